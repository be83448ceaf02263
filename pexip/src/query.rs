//! List queries: filters (`field=value`, `field__lookup=value`, across relations with `__`,
//! `__in` lists), ordering (`order_by=field` / `order_by=-field`) and paging (`limit`,
//! `offset`), rendered to a percent-encoded query string, and checked against a resource's
//! [`Schema`] (its `filtering` and `ordering`) when one is at hand.

use std::fmt;

use crate::schema::{LOOKUPS, Schema};

/// Parameter names a filter may not take: they mean something else to tastypie.
const RESERVED: [&str; 6] = [
    "limit", "offset", "order_by", "format", "username", "api_key",
];

/// A list query. Built with chained calls; the order of parameters is kept when rendering.
///
/// ```
/// use pexip::query::Query;
/// let q = Query::new()
///     .filter("name__icontains", "room 1")
///     .filter_in("service_type", ["conference", "lecture"])
///     .order_by("-name")
///     .limit(50)
///     .offset(100);
/// assert_eq!(
///     q.to_query_string(),
///     "name__icontains=room%201&service_type__in=conference%2Clecture&order_by=-name&limit=50&offset=100"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    filters: Vec<(String, String)>,
    order_by: Vec<String>,
    limit: Option<u64>,
    offset: Option<u64>,
}

/// Why a query does not fit a schema, or is not a query at all. The messages follow tastypie's
/// wording where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A filter or ordering name that is not `field(__field)*(__lookup)?` made of `[a-z0-9_]`.
    #[error("'{0}' is not a valid filter or field name.")]
    InvalidName(String),
    /// The parameter is reserved (`limit`, `offset`, `order_by`...), not a filter.
    #[error("'{0}' is a reserved parameter and cannot be used as a filter.")]
    Reserved(String),
    #[error("The '{0}' field does not allow filtering.")]
    NotFilterable(String),
    #[error("'{lookup}' is not an allowed filter on the '{field}' field.")]
    LookupNotAllowed { field: String, lookup: String },
    #[error("Lookups are not allowed more than one level deep on the '{0}' field.")]
    NoRelations(String),
    #[error("The '{0}' field does not allow ordering.")]
    NotOrderable(String),
}

/// One filter, split the way tastypie splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPath<'a> {
    /// The field names, first the resource's own, then across relations.
    pub fields: Vec<&'a str>,
    /// The lookup (`exact` when the filter names none).
    pub lookup: &'a str,
}

impl<'a> FilterPath<'a> {
    /// Splits `name__other__lookup`. A last part that is a known lookup (or `range` /
    /// `isnull`) is the lookup; otherwise the lookup is `exact`.
    pub fn parse(key: &'a str) -> Result<FilterPath<'a>, QueryError> {
        let parts: Vec<&str> = key.split("__").collect();
        if parts.iter().any(|p| !is_name(p)) {
            return Err(QueryError::InvalidName(key.to_owned()));
        }
        let (lookup, fields) = match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() && is_lookup(last) => (*last, rest.to_vec()),
            _ => ("exact", parts),
        };
        Ok(FilterPath { fields, lookup })
    }
}

/// Whether `s` is a lookup tastypie knows (the guide's, `in`, and the `range`/`isnull` a schema
/// may list explicitly).
fn is_lookup(s: &str) -> bool {
    LOOKUPS.contains(&s) || s == "range" || s == "isnull"
}

/// Whether `s` is a field name: `[a-z0-9_]+`, at most 64 characters, and no `__` inside.
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Query {
    /// An empty query (the server's default page).
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds a filter: `key` is `field`, `field__lookup` or `relation__field__lookup`; `value`
    /// is rendered with `Display` (use [`Query::filter_null`] for null). Repeating a key sends it
    /// twice, which tastypie reads as the last one.
    pub fn filter(mut self, key: impl Into<String>, value: impl fmt::Display) -> Self {
        self.filters.push((key.into(), value.to_string()));
        self
    }

    /// Adds `field__lookup=value`.
    pub fn filter_lookup(self, field: &str, lookup: &str, value: impl fmt::Display) -> Self {
        self.filter(format!("{field}__{lookup}"), value)
    }

    /// Adds `field__in=a,b,c`. Values containing a comma cannot be expressed (tastypie splits
    /// on commas) and are sent as they are.
    pub fn filter_in<I>(self, field: &str, values: I) -> Self
    where
        I: IntoIterator,
        I::Item: fmt::Display,
    {
        let joined = values
            .into_iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",");
        self.filter(format!("{field}__in"), joined)
    }

    /// Adds `field=null` (matches null values).
    pub fn filter_null(self, field: &str) -> Self {
        self.filter(field, "null")
    }

    /// Orders by `field`, or by `-field` for descending. Repeatable: later calls break ties.
    pub fn order_by(mut self, field: impl Into<String>) -> Self {
        self.order_by.push(field.into());
        self
    }

    /// Orders by `field` descending.
    pub fn order_by_desc(self, field: &str) -> Self {
        self.order_by(format!("-{field}"))
    }

    /// The page size (`0` asks for everything, up to the server's maximum).
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The index of the first object of the page.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The filters, in the order they were added.
    pub fn filters(&self) -> &[(String, String)] {
        &self.filters
    }

    /// The orderings (`field` or `-field`), in the order they were added.
    pub fn orderings(&self) -> &[String] {
        &self.order_by
    }

    /// The page size, if set.
    pub fn get_limit(&self) -> Option<u64> {
        self.limit
    }

    /// The offset, if set.
    pub fn get_offset(&self) -> Option<u64> {
        self.offset
    }

    /// Checks the shape of every filter and ordering name, without a schema: names made of
    /// `[a-z0-9_]`, no reserved parameter used as a filter.
    pub fn check_names(&self) -> Result<(), QueryError> {
        for (key, _) in &self.filters {
            if RESERVED.contains(&key.as_str()) {
                return Err(QueryError::Reserved(key.clone()));
            }
            FilterPath::parse(key)?;
        }
        for field in &self.order_by {
            let name = field.strip_prefix('-').unwrap_or(field);
            if !is_name(name) || name.contains("__") {
                return Err(QueryError::InvalidName(field.clone()));
            }
        }
        Ok(())
    }

    /// Checks the query against `schema`, as the server would: each filter's field must be in
    /// `filtering` with its lookup allowed (and `2` to go across a relation; the related
    /// resource's own rules are left to the server), each ordering field in `ordering`.
    pub fn validate(&self, schema: &Schema) -> Result<(), QueryError> {
        self.check_names()?;
        for (key, _) in &self.filters {
            let path = FilterPath::parse(key)?;
            let field = path.fields[0];
            let Some(filtering) = schema.filtering.get(field) else {
                return Err(QueryError::NotFilterable(field.to_owned()));
            };
            if path.fields.len() > 1 {
                if !filtering.allows_relations() {
                    return Err(QueryError::NoRelations(field.to_owned()));
                }
            } else if !filtering.allows_lookup(path.lookup) {
                return Err(QueryError::LookupNotAllowed {
                    field: field.to_owned(),
                    lookup: path.lookup.to_owned(),
                });
            }
        }
        for field in &self.order_by {
            let name = field.strip_prefix('-').unwrap_or(field);
            if !schema.can_order_by(name) {
                return Err(QueryError::NotOrderable(name.to_owned()));
            }
        }
        Ok(())
    }

    /// The query string, without the leading `?` (empty for an empty query). Keys and values
    /// are percent-encoded: everything but `A-Z a-z 0-9 - . _ ~` becomes `%XX` (UTF-8 bytes).
    pub fn to_query_string(&self) -> String {
        let mut out = String::new();
        let mut push = |key: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            encode_into(&mut out, key);
            out.push('=');
            encode_into(&mut out, value);
        };
        for (key, value) in &self.filters {
            push(key, value);
        }
        for field in &self.order_by {
            push("order_by", field);
        }
        if let Some(limit) = self.limit {
            push("limit", &limit.to_string());
        }
        if let Some(offset) = self.offset {
            push("offset", &offset.to_string());
        }
        out
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_query_string())
    }
}

/// Appends `s` percent-encoded (RFC 3986 unreserved characters stay as they are).
fn encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Schema {
        serde_json::from_value(json!({
            "fields": {},
            "filtering": {"name": 1, "conference": 2, "tag": ["exact", "in"], "start_time": 1},
            "ordering": ["name", "start_time"]
        }))
        .unwrap()
    }

    #[test]
    fn renders_filters_order_and_paging_in_order() {
        let q = Query::new()
            .filter("name", "VMR_1")
            .filter_lookup("start_time", "gte", "2026-01-01T00:00:00")
            .order_by("name")
            .order_by_desc("start_time")
            .offset(40)
            .limit(20);
        assert_eq!(
            q.to_query_string(),
            "name=VMR_1&start_time__gte=2026-01-01T00%3A00%3A00&order_by=name&order_by=-start_time&limit=20&offset=40"
        );
        assert_eq!(Query::new().to_query_string(), "");
    }

    #[test]
    fn percent_encodes_everything_reserved_and_utf8() {
        let q = Query::new().filter("name", "a b&c=d+e/f?g#h%i,j'k\"lé");
        assert_eq!(
            q.to_query_string(),
            "name=a%20b%26c%3Dd%2Be%2Ff%3Fg%23h%25i%2Cj%27k%22l%C3%A9"
        );
        let q = Query::new().filter("name", "-._~Az09");
        assert_eq!(q.to_query_string(), "name=-._~Az09");
    }

    #[test]
    fn in_lists_and_null() {
        let q = Query::new()
            .filter_in("id", [1, 2, 3])
            .filter_null("description");
        assert_eq!(q.to_query_string(), "id__in=1%2C2%2C3&description=null");
    }

    #[test]
    fn splits_filter_paths_like_tastypie() {
        let p = FilterPath::parse("conference__name__icontains").unwrap();
        assert_eq!(p.fields, ["conference", "name"]);
        assert_eq!(p.lookup, "icontains");
        let p = FilterPath::parse("conference__name").unwrap();
        assert_eq!((p.fields, p.lookup), (vec!["conference", "name"], "exact"));
        let p = FilterPath::parse("in").unwrap();
        assert_eq!((p.fields, p.lookup), (vec!["in"], "exact"));
        for bad in ["", "Name", "name__", "__name", "a b", "name;drop", "x/../y"] {
            assert_eq!(
                FilterPath::parse(bad),
                Err(QueryError::InvalidName(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn validates_against_the_schema() {
        let s = schema();
        let ok = Query::new()
            .filter("name__icontains", "x")
            .filter("tag__in", "a,b")
            .filter("conference__name__startswith", "v")
            .order_by("-start_time");
        assert_eq!(ok.validate(&s), Ok(()));
        let cases = [
            (
                Query::new().filter("missing", 1),
                "The 'missing' field does not allow filtering.",
            ),
            (
                Query::new().filter("tag__contains", 1),
                "'contains' is not an allowed filter on the 'tag' field.",
            ),
            (
                Query::new().filter("name__other__exact", 1),
                "Lookups are not allowed more than one level deep on the 'name' field.",
            ),
            (
                Query::new().order_by("tag"),
                "The 'tag' field does not allow ordering.",
            ),
            (
                Query::new().filter("limit", 5),
                "'limit' is a reserved parameter and cannot be used as a filter.",
            ),
            (
                Query::new().order_by("--name"),
                "'--name' is not a valid filter or field name.",
            ),
        ];
        for (q, message) in cases {
            assert_eq!(q.validate(&s).unwrap_err().to_string(), message, "{q}");
        }
    }

    #[test]
    fn accessors_report_what_was_built() {
        let q = Query::new().filter("a", 1).order_by("b").limit(0);
        assert_eq!(q.filters(), [("a".to_owned(), "1".to_owned())]);
        assert_eq!(q.orderings(), ["b"]);
        assert_eq!(q.get_limit(), Some(0));
        assert_eq!(q.get_offset(), None);
    }
}
