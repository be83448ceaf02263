//! A server function's answer that the browser reads only where the page shows it.
//!
//! A lazy route's `data()` (`crate::routes`) is in the initial bundle, so that its requests
//! start on navigation while the page's code loads. A resource made there of a page's own types
//! (the live snapshot, the history, the usage report, …) would put those types' JSON reading
//! and the resource machinery for each of them into the initial bundle too. Such an answer is a
//! [`Deferred<T>`] instead: on the wire and in the server-rendered page it is `T`'s JSON, as
//! before; in the browser it is kept as that JSON text until the page, in its own chunk, calls
//! [`Deferred::decode`]. Every `Deferred<T>` is the same code whatever `T`, so the initial
//! bundle holds it once.

use super::AppError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// The JSON of a `T`, read into a `T` by [`Deferred::decode`].
pub struct Deferred<T> {
    /// Shared, so that a resource handing its value out again does not copy the text.
    json: Arc<RawValue>,
    of: PhantomData<fn() -> T>,
}

impl<T: Serialize> Deferred<T> {
    /// The answer `value`, written out once on the server.
    pub fn new(value: &T) -> Result<Self, AppError> {
        serde_json::value::to_raw_value(value)
            .map(|json| Self {
                json: Arc::from(json),
                of: PhantomData,
            })
            .map_err(|e| AppError::Internal(format!("The answer could not be written: {e}")))
    }
}

impl<T: DeserializeOwned> Deferred<T> {
    /// The `T` the JSON holds.
    pub fn decode(self) -> Result<T, AppError> {
        serde_json::from_str(self.json.get())
            .map_err(|e| AppError::Request(format!("The server's answer could not be read: {e}")))
    }
}

impl<T> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Self {
            json: Arc::clone(&self.json),
            of: PhantomData,
        }
    }
}

/// Equal when the JSON is the same text (what a resource compares to skip an unchanged value).
impl<T> PartialEq for Deferred<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json.get() == other.json.get()
    }
}

impl<T> fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Deferred").field(&self.json.get()).finish()
    }
}

impl<T> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RawValue::serialize(&self.json, serializer)
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(|json| Self {
            json: Arc::from(json),
            of: PhantomData,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::json_text::JsonTextEncoding;
    use leptos::server_fn::Decodes;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Room {
        name: String,
        pin: Option<String>,
    }

    fn room() -> Room {
        Room {
            name: "Sales \"weekly\" ✓".into(),
            pin: None,
        }
    }

    #[test]
    fn the_wire_carries_the_value_itself() {
        let deferred = Deferred::new(&room()).unwrap();
        let answer: Result<Deferred<Room>, AppError> = Ok(deferred);
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            serde_json::to_string(&Ok::<_, AppError>(room())).unwrap()
        );
    }

    #[test]
    fn what_the_server_sent_decodes_to_the_value() {
        let text = serde_json::to_string(&Ok::<_, AppError>(room())).unwrap();
        let got: Result<Deferred<Room>, AppError> = JsonTextEncoding::decode(text.into()).unwrap();
        assert_eq!(got.and_then(Deferred::decode).unwrap(), room());
    }

    #[test]
    fn json_of_another_shape_is_a_readable_error_when_decoded() {
        let got: Deferred<Room> = serde_json::from_str(r#"{"name": 3}"#).unwrap();
        match got.decode() {
            Err(AppError::Request(message)) => {
                assert!(
                    message.starts_with("The server's answer could not be read"),
                    "{message}"
                )
            }
            other => panic!("expected a request error, got {other:?}"),
        }
    }

    #[test]
    fn clones_share_the_text_and_compare_by_it() {
        let a = Deferred::new(&room()).unwrap();
        let b = a.clone();
        assert!(Arc::ptr_eq(&a.json, &b.json));
        assert_eq!(a, Deferred::new(&room()).unwrap());
        assert_ne!(
            a,
            Deferred::new(&Room {
                pin: Some("1234".into()),
                ..room()
            })
            .unwrap()
        );
    }
}
