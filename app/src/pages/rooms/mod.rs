//! Meeting rooms: the list (`/rooms`), a new room (`/rooms/new?type=…`) and one room
//! (`/rooms/<id>`), all through the schema-driven form engine.

mod edit;
mod list;
mod participants;
pub mod query;

pub use edit::{RoomEditPage, RoomNewPage};
pub use list::RoomsPage;
