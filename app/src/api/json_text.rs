//! The response encoding of every server function: JSON, read in the browser from text.
//!
//! The stock `Json` encoding reads a response with `serde_json::from_slice`, while a resource's
//! value sent along with a server-rendered page is read with `serde_json::from_str`: each
//! returned type's `Deserialize` code was compiled into the wasm twice, once per reader (about a
//! tenth of the initial bundle's code). Reading responses from text too leaves one copy. The
//! bytes on the wire and the content type are the same as `Json`'s.

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON in the body of a `POST` answer, decoded from UTF-8 text.
pub type JsonText = Post<JsonTextEncoding>;

/// The encoding behind [`JsonText`].
pub struct JsonTextEncoding;

impl ContentType for JsonTextEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonTextEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonTextEncoding {
    type Error = serde_json::Error;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        let text =
            std::str::from_utf8(&bytes).map_err(<serde_json::Error as serde::de::Error>::custom)?;
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_comes_back_as_it_was_sent() {
        let sent = vec![("room".to_string(), Some(3_u64))];
        let bytes = <JsonTextEncoding as Encodes<_>>::encode(&sent).unwrap();
        let back: Vec<(String, Option<u64>)> = JsonTextEncoding::decode(bytes).unwrap();
        assert_eq!(back, sent);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_an_error_not_a_panic() {
        let error = <JsonTextEncoding as Decodes<String>>::decode(Bytes::from_static(b"\"\xff\""))
            .unwrap_err();
        assert!(error.to_string().contains("utf-8"), "{error}");
    }
}
