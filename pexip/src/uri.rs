//! Resource URIs as objects carry them (`resource_uri`, references to other objects).

/// The id a resource URI ends with: `/api/admin/configuration/v1/conference/7/` → `7`, the
/// trailing slash optional. A bare id (what some fields hold instead of a URI) is returned as it
/// is, and an empty string stays empty.
pub fn uri_id(uri: &str) -> &str {
    let trimmed = uri.trim_end_matches('/');
    trimmed.rsplit('/').next().unwrap_or(trimmed)
}

#[cfg(test)]
mod tests {
    use super::uri_id;

    #[test]
    fn the_last_segment_is_the_id() {
        assert_eq!(uri_id("/api/admin/configuration/v1/conference/7/"), "7");
        assert_eq!(uri_id("/api/admin/status/v1/participant/ab-12"), "ab-12");
        assert_eq!(
            uri_id("https://node/api/admin/history/v1/conference/x/"),
            "x"
        );
    }

    #[test]
    fn a_bare_id_or_nothing_stays_as_it_is() {
        assert_eq!(uri_id("42"), "42");
        assert_eq!(uri_id(""), "");
        assert_eq!(uri_id("///"), "");
    }
}
