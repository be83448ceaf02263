//! The list envelope every list GET answers with:
//! `{"meta": {"limit", "next", "offset", "previous", "total_count"}, "objects": [...]}`.

use serde::{Deserialize, Serialize};

/// The `meta` part of a list response. `next` and `previous` are server-relative URLs
/// (`/api/admin/configuration/v1/conference/?limit=20&offset=20`) or `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMeta {
    pub limit: u64,
    pub next: Option<String>,
    pub offset: u64,
    pub previous: Option<String>,
    pub total_count: u64,
}

/// A page of objects of type `T` (use `serde_json::Value` for schema-driven code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct ListResponse<T> {
    pub meta: ListMeta,
    pub objects: Vec<T>,
}

impl<T> ListResponse<T> {
    /// Whether the server says there is a further page.
    pub fn has_next(&self) -> bool {
        self.meta.next.is_some()
    }

    /// The offset of the next page, when there is one.
    pub fn next_offset(&self) -> Option<u64> {
        self.has_next()
            .then(|| self.meta.offset + self.objects.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn parses_the_guide_example_envelope() {
        let body = json!({
            "meta": {"limit": 20, "next": null, "offset": 0, "previous": null, "total_count": 2},
            "objects": [{"aws_instance_id": "i-edblae65"}, {"aws_instance_id": "i-cfb0af47"}]
        });
        let page: ListResponse<Value> = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(page.meta.total_count, 2);
        assert_eq!(page.objects.len(), 2);
        assert!(!page.has_next());
        assert_eq!(page.next_offset(), None);
        assert_eq!(serde_json::to_value(&page).unwrap(), body);
    }

    #[test]
    fn next_page_offset_and_typed_objects() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Alias {
            alias: String,
        }
        let page: ListResponse<Alias> = serde_json::from_value(json!({
            "meta": {"limit": 2, "next": "/api/admin/configuration/v1/conference_alias/?limit=2&offset=4",
                     "offset": 2, "previous": "/api/admin/configuration/v1/conference_alias/?limit=2&offset=0",
                     "total_count": 9},
            "objects": [{"alias": "a"}, {"alias": "b"}]
        }))
        .unwrap();
        assert_eq!(page.next_offset(), Some(4));
        assert_eq!(page.objects[1], Alias { alias: "b".into() });
    }

    #[test]
    fn missing_meta_is_an_error() {
        assert!(serde_json::from_value::<ListResponse<Value>>(json!({"objects": []})).is_err());
    }
}
