//! Pexip Infinity Management API: the model (schemas, list envelope, queries, errors) and the
//! HTTP client. This crate knows nothing about Leptos.

pub mod error;
pub mod limits;
pub mod list;
pub mod schema;

pub use error::{ApiError, FormErrors, NON_FIELD_ERRORS};
pub use limits::Limits;
pub use list::{ListMeta, ListResponse};
pub use schema::{Field, FieldType, Filtering, HttpMethod, RelatedType, Schema};
