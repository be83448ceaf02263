//! The query string of a list request, split into paging, ordering and filters.

/// Parameters that are neither filters nor paging/ordering and are ignored as tastypie does.
const IGNORED: [&str; 3] = ["format", "username", "api_key"];

/// A list request's parameters, in the order they came.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListQuery {
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// Every `order_by` value, in order (`-field` for descending).
    pub order_by: Vec<String>,
    /// `(key, value)` of every filter, such as `("name__icontains", "vmr")`.
    pub filters: Vec<(String, String)>,
    /// Every parameter except `limit` and `offset`, kept to build `next` and `previous`.
    pub carried: Vec<(String, String)>,
}

impl ListQuery {
    /// Reads a raw (percent-encoded) query string; `None` or `""` is an empty query.
    pub fn parse(raw: Option<&str>) -> ListQuery {
        let mut query = ListQuery::default();
        let Some(raw) = raw else { return query };
        for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
            let (key, value) = (key.into_owned(), value.into_owned());
            match key.as_str() {
                "limit" => query.limit = Some(value),
                "offset" => query.offset = Some(value),
                _ => {
                    if key == "order_by" {
                        query.order_by.push(value.clone());
                    } else if !IGNORED.contains(&key.as_str()) {
                        query.filters.push((key.clone(), value.clone()));
                    }
                    query.carried.push((key, value));
                }
            }
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paging_ordering_and_filters() {
        let q = ListQuery::parse(Some(
            "service_type=conference&limit=5&order_by=-name&format=json&name__icontains=a%20b&offset=10",
        ));
        assert_eq!(q.limit.as_deref(), Some("5"));
        assert_eq!(q.offset.as_deref(), Some("10"));
        assert_eq!(q.order_by, ["-name"]);
        assert_eq!(
            q.filters,
            [
                ("service_type".to_owned(), "conference".to_owned()),
                ("name__icontains".to_owned(), "a b".to_owned())
            ]
        );
        assert_eq!(q.carried.len(), 4);
    }
}
