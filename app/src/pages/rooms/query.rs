//! The rooms list's URL contract:
//! `/rooms?name=<text>&alias=<text>&type=<service_type>&order=<field or -field>&page=<1-based>&size=<n>`
//! (sizes 10/20/50/100, default 20), `/rooms/new?type=<service_type>`, `/rooms/<id>`.

use bff::requests::RoomQuery;

/// The page sizes offered.
pub const SIZES: [u64; 4] = [10, 20, 50, 100];
pub const DEFAULT_SIZE: u64 = 20;

/// What the list shows, as the URL says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    pub name: String,
    pub alias: String,
    pub service_type: String,
    pub order: String,
    /// 1-based.
    pub page: u64,
    pub size: u64,
}

impl Default for ListParams {
    fn default() -> Self {
        ListParams {
            name: String::new(),
            alias: String::new(),
            service_type: String::new(),
            order: String::new(),
            page: 1,
            size: DEFAULT_SIZE,
        }
    }
}

impl ListParams {
    /// Reads the URL's query parameters (`get` answers one); anything unreadable takes its
    /// default.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ListParams {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        let size = get("size")
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|s| SIZES.contains(s))
            .unwrap_or(DEFAULT_SIZE);
        ListParams {
            name: text("name"),
            alias: text("alias"),
            service_type: text("type"),
            order: text("order"),
            page: get("page")
                .and_then(|p| p.parse::<u64>().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            size,
        }
    }

    /// The BFF request for this page.
    pub fn room_query(&self) -> RoomQuery {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        RoomQuery {
            name: some(&self.name),
            alias: some(&self.alias),
            service_type: some(&self.service_type),
            order_by: some(&self.order),
            limit: self.size,
            offset: (self.page - 1) * self.size,
        }
    }

    /// The number of pages for `total` rooms (at least 1).
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(self.size).max(1)
    }

    /// The same list on another page.
    pub fn with_page(&self, page: u64) -> ListParams {
        ListParams {
            page,
            ..self.clone()
        }
    }

    /// The URL of this list (default values left out).
    pub fn href(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (key, value) in [
            ("name", &self.name),
            ("alias", &self.alias),
            ("type", &self.service_type),
            ("order", &self.order),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        if self.page != 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.size != DEFAULT_SIZE {
            pairs.push(("size", self.size.to_string()));
        }
        with_query("/rooms", &pairs)
    }
}

/// `path?k=v&…` with the values percent-encoded.
pub fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return path.to_string();
    }
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// Percent-encodes everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &[(&str, &str)]) -> ListParams {
        ListParams::from_query(|key| {
            query
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn the_url_contract_round_trips() {
        let p = params(&[
            ("name", "Board"),
            ("alias", "@acme"),
            ("type", "lecture"),
            ("order", "-name"),
            ("page", "3"),
            ("size", "50"),
        ]);
        assert_eq!(
            p.href(),
            "/rooms?name=Board&alias=%40acme&type=lecture&order=-name&page=3&size=50"
        );
        let q = p.room_query();
        assert_eq!((q.limit, q.offset), (50, 100));
        assert_eq!(q.alias.as_deref(), Some("@acme"));
        assert_eq!(q.order_by.as_deref(), Some("-name"));
        assert_eq!(
            p.with_page(1).href(),
            "/rooms?name=Board&alias=%40acme&type=lecture&order=-name&size=50"
        );
    }

    #[test]
    fn bad_values_fall_back_to_defaults() {
        let p = params(&[("page", "0"), ("size", "7"), ("name", "  ")]);
        assert_eq!(p, ListParams::default());
        assert_eq!(p.href(), "/rooms");
        assert_eq!(params(&[("page", "x")]).page, 1);
        let q = p.room_query();
        assert_eq!((q.name, q.limit, q.offset), (None, 20, 0));
        assert_eq!(p.pages(0), 1);
        assert_eq!(p.pages(41), 3);
    }
}
