//! Pexip Infinity Management API: the model (schemas, list envelope, queries, errors) and the
//! HTTP client (feature `client`). This crate knows nothing about Leptos.

#[cfg(feature = "client")]
pub mod client;
pub mod error;
pub mod limits;
pub mod list;
pub mod query;
pub mod schema;
pub mod uri;

pub use error::{ApiError, FormErrors, NON_FIELD_ERRORS};
pub use limits::Limits;
pub use list::{ListMeta, ListResponse};
pub use query::{Query, QueryError};
pub use schema::{Field, FieldType, Filtering, HttpMethod, RelatedType, Schema};
pub use uri::uri_id;
