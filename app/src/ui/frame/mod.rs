//! The frame around every signed-in page: the skip link, the bar at the top with the brand, the
//! navigation (a row on wide screens, a menu behind a toggle on narrow ones) and the main area.
//! `crate::layout` composes these; pages never use them.

mod app_bar;
mod brand;
mod compact_nav;
mod main_area;
mod main_nav;
mod menu_toggle;
mod nav_list;
mod skip_link;
mod user_box;

pub use app_bar::{AppBar, AppBarBelow};
pub use brand::Brand;
pub use compact_nav::CompactNav;
pub use main_area::MainArea;
pub use main_nav::MainNav;
pub use menu_toggle::MenuToggle;
pub use nav_list::{NavItem, NavList};
pub use skip_link::SkipLink;
pub use user_box::UserBox;
