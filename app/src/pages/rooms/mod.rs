//! Meeting rooms: the list (`/rooms`; end users get their rooms as cards), a new room
//! (`/rooms/new?type=…`) and one room (`/rooms/<id>`), all through the schema-driven form engine.

mod cards;
mod edit;
mod email;
mod list;
mod participants;
pub mod query;

pub use edit::{RoomEditPage, RoomNewPage};
pub use list::RoomsPage;
