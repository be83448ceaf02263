//! The UI kit: every page composes these components and writes no Tailwind class string of its
//! own. Each component lives in a file named after it; their classes are the `@layer
//! components` classes in `style/tailwind.css` (or Tailwind utilities inside the kit).
//!
//! - Page frame: [`PageHeader`], [`Breadcrumb`], [`TextLink`], [`Section`], [`Subheading`],
//!   [`Card`], [`Stack`], [`Row`], [`Grid`], [`Intro`], [`Hint`], [`Strong`], [`SubText`], [`Code`],
//!   [`StepList`] of [`Step`]s (a numbered procedure).
//! - Actions: [`Button`] (primary, secondary, danger, with a busy state), [`LinkButton`],
//!   [`ConfirmButton`] (confirm-in-place for deletes).
//! - Fields: [`TextField`], [`PasswordField`], [`TextArea`], [`SelectField`], [`CheckboxField`] with
//!   label, help and error; [`FileField`] (a file chooser).
//! - Data: [`Loaded`] (load, error, not found), [`DataTable`], [`SortHeader`], [`Pager`], [`Empty`], [`Loading`], [`Badge`],
//!   [`CountProgress`] (a bar of steps done and its status line), [`ErrorList`].
//! - Notices: [`ErrorNotice`], [`SuccessNotice`], [`WarningNotice`], [`DemoBanner`].
//! - Charts: [`charts`] (load, media load, percentage and usage bars, media quality, timeline).
//! - Signed-out pages: [`SignInFrame`]. The signed-in pages' frame: [`frame`] (used by `crate::layout`)
//!   and [`PendingNote`] (what a streamed page shows while its data loads).
//! - The resource editor frame: [`ResourceEditor`] and its [`DeleteZone`] ([`Deletion`]).
//! - Cards that each stand for one thing (the end users' rooms): [`CardGrid`] of [`GridCard`]s with
//!   their [`CardTitle`] and [`CardSection`]s; [`Copyable`] (a value and its [`CopyButton`]),
//!   [`QrImage`], [`Preformatted`] text, [`TileList`] of [`Tile`]s.

mod actions;
mod badge;
mod breadcrumb;
mod break_anywhere;
mod bullet_list;
mod button;
mod card;
mod card_grid;
mod card_list;
mod card_section;
mod card_title;
mod centered;
pub mod charts;
mod checkbox_field;
mod code;
mod confirm_button;
mod confirm_panel;
mod copy_button;
mod copyable;
mod count_progress;
mod data_table;
mod delete_zone;
mod demo_banner;
mod disclosure;
mod empty;
mod error_list;
mod error_notice;
mod facts;
mod field_actions;
mod field_frame;
mod file_field;
mod fine_print;
mod form_actions;
pub mod frame;
mod grid;
mod hint;
mod intro;
#[cfg(test)]
mod kit_guard;
mod link_button;
mod link_grid;
mod loaded;
mod loading;
mod muted;
mod narrow;
mod no_wrap;
mod page_header;
mod pager;
mod password_field;
mod pending_note;
mod plain_link;
mod preformatted;
mod progress;
mod qr_image;
mod resource_editor;
mod row;
mod section;
mod select_field;
mod sign_in_frame;
mod sort_header;
pub mod stack;
mod step_list;
mod strong;
mod sub_text;
mod subheading;
mod success_notice;
mod text_area;
mod text_field;
mod text_link;
mod tile_list;
mod visually_hidden;
mod warning_notice;

pub use actions::Actions;
pub use badge::{Badge, Tone};
pub use breadcrumb::Breadcrumb;
pub use break_anywhere::BreakAnywhere;
pub use bullet_list::BulletList;
pub use button::{Button, Variant};
pub use card::Card;
pub use card_grid::{CardGrid, GridCard};
pub use card_list::{CardList, LinkCard};
pub use card_section::CardSection;
pub use card_title::CardTitle;
pub use centered::Centered;
pub use checkbox_field::CheckboxField;
pub use code::Code;
pub use confirm_button::{ConfirmButton, ConfirmState};
pub use confirm_panel::ConfirmPanel;
pub use copy_button::CopyButton;
pub use copyable::Copyable;
pub use count_progress::CountProgress;
pub use data_table::DataTable;
pub use delete_zone::{DeleteZone, Deletion};
pub use demo_banner::DemoBanner;
pub use disclosure::Disclosure;
pub use empty::Empty;
pub use error_list::ErrorList;
pub use error_notice::{ErrorNotice, action_error, explain};
pub use facts::Facts;
pub use field_actions::FieldActions;
pub use file_field::FileField;
pub use fine_print::FinePrint;
pub use form_actions::FormActions;
pub use grid::{Grid, GridRow, GridWide};
pub use hint::Hint;
pub use intro::Intro;
pub use link_button::LinkButton;
pub use link_grid::{LinkGrid, LinkGridItem};
pub use loaded::Loaded;
pub use loading::Loading;
pub use muted::Muted;
pub use narrow::Narrow;
pub use no_wrap::NoWrap;
pub use page_header::PageHeader;
pub use pager::Pager;
pub use password_field::PasswordField;
pub use pending_note::PendingNote;
pub use plain_link::PlainLink;
pub use preformatted::Preformatted;
pub use progress::Progress;
pub use qr_image::QrImage;
pub use resource_editor::{ResourceEditor, SaveAction};
pub use row::Row;
pub use section::{Section, SectionActions};
pub use select_field::SelectField;
pub use sign_in_frame::SignInFrame;
pub use sort_header::{SortDirection, SortHeader};
pub use stack::{Space, Stack};
pub use step_list::{Step, StepList};
pub use strong::Strong;
pub use sub_text::SubText;
pub use subheading::Subheading;
pub use success_notice::SuccessNotice;
pub use text_area::TextArea;
pub use text_field::TextField;
pub use text_link::TextLink;
pub use tile_list::{Tile, TileList};
pub use visually_hidden::VisuallyHidden;
pub use warning_notice::WarningNotice;
