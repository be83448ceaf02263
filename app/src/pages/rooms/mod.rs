//! Meeting rooms: the list (`/rooms`; end users get their rooms as cards), a new room
//! (`/rooms/new?type=…`) and one room (`/rooms/<id>`) through the schema-driven form engine; the
//! cards' PIN form is a small form of its own (`pin_form.rs`), without the engine.

mod cards;
mod edit;
mod email;
mod list;
mod participants;
mod pin_form;
pub mod query;

pub use edit::{RoomEditPage, RoomNewPage};
pub use list::RoomsPage;
