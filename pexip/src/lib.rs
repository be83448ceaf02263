//! Pexip Infinity Management API: the model (schemas, list envelope, queries, errors) and the
//! HTTP client. This crate knows nothing about Leptos.
