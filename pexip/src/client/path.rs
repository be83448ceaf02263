//! The only paths the client can request: `/api/admin/{api}/v1/{resource}/[{id}/]`, built from
//! validated parts, so no caller input can reach another host or an arbitrary path.

use std::fmt;

use super::error::ClientError;

/// The prefix of every path the client requests.
pub const API_PREFIX: &str = "/api/admin/";

/// One of the Management API's trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    Configuration,
    Status,
    History,
    Command,
}

impl Api {
    /// The trees whose root lists resources (the command tree has no schema root).
    pub const DISCOVERABLE: [Api; 3] = [Api::Configuration, Api::Status, Api::History];

    /// The path segment (`configuration`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Configuration => "configuration",
            Api::Status => "status",
            Api::History => "history",
            Api::Command => "command",
        }
    }

    /// The tree named `segment`.
    pub fn parse(segment: &str) -> Option<Api> {
        [Api::Configuration, Api::Status, Api::History, Api::Command]
            .into_iter()
            .find(|a| a.as_str() == segment)
    }

    /// `/api/admin/{api}/v1/`.
    pub fn root(self) -> String {
        format!("{API_PREFIX}{}/v1/", self.as_str())
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Checks a resource (or command) name: `^[a-z0-9_]+$`, at most 64 characters.
pub fn check_name(name: &str) -> Result<&str, ClientError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(name)
    } else {
        Err(ClientError::InvalidInput(format!(
            "'{}' is not a valid resource name",
            printable(name)
        )))
    }
}

/// The id of one object: an integer (configuration), a UUID (status, history, some
/// configuration resources) or a file-name-like key (system backups, licences).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ObjectId {
    Int(u64),
    Uuid(String),
    Key(String),
}

impl ObjectId {
    /// An integer or a UUID (the ids a browser may send); anything else is refused.
    pub fn parse(s: &str) -> Result<ObjectId, ClientError> {
        if let Some(id) = parse_int(s) {
            Ok(ObjectId::Int(id))
        } else if is_uuid(s) {
            Ok(ObjectId::Uuid(s.to_ascii_lowercase()))
        } else {
            Err(invalid_id(s))
        }
    }

    /// A natural key such as a backup's file name: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 255
    /// characters, no `..`. Integers and UUIDs are accepted too.
    pub fn key(s: &str) -> Result<ObjectId, ClientError> {
        if let Ok(id) = ObjectId::parse(s) {
            return Ok(id);
        }
        let ok = s.len() <= 255
            && s.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            && !s.contains("..");
        if ok {
            Ok(ObjectId::Key(s.to_owned()))
        } else {
            Err(invalid_id(s))
        }
    }
}

impl From<u64> for ObjectId {
    fn from(id: u64) -> Self {
        ObjectId::Int(id)
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectId::Int(id) => write!(f, "{id}"),
            ObjectId::Uuid(s) | ObjectId::Key(s) => f.write_str(s),
        }
    }
}

fn parse_int(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn invalid_id(s: &str) -> ClientError {
    ClientError::InvalidInput(format!("'{}' is not a valid object id", printable(s)))
}

/// At most 64 characters of `s`, control characters replaced, for error messages.
fn printable(s: &str) -> String {
    s.chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// One object of the API, as a resource URI names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub api: Api,
    pub resource: String,
    pub id: ObjectId,
}

impl ObjectRef {
    /// The object `id` of `resource` in `api` (names checked).
    pub fn new(api: Api, resource: &str, id: ObjectId) -> Result<ObjectRef, ClientError> {
        check_name(resource)?;
        Ok(ObjectRef {
            api,
            resource: resource.to_owned(),
            id,
        })
    }

    /// Reads a server-relative resource URI, `/api/admin/{api}/v1/{resource}/{id}/` (the
    /// trailing slash optional). Ids may be natural keys.
    pub fn parse_uri(uri: &str) -> Result<ObjectRef, ClientError> {
        let bad = || {
            ClientError::InvalidInput(format!(
                "'{}' is not a resource URI of the Management API",
                printable(uri)
            ))
        };
        let rest = uri.strip_prefix(API_PREFIX).ok_or_else(bad)?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let parts: Vec<&str> = rest.split('/').collect();
        let [api, "v1", resource, id] = parts.as_slice() else {
            return Err(bad());
        };
        let api = Api::parse(api).ok_or_else(bad)?;
        let id = ObjectId::key(id).map_err(|_| bad())?;
        ObjectRef::new(api, resource, id).map_err(|_| bad())
    }

    /// The resource URI, `/api/admin/{api}/v1/{resource}/{id}/`.
    pub fn uri(&self) -> String {
        detail_path(self.api, &self.resource, &self.id)
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri())
    }
}

/// `/api/admin/{api}/v1/{resource}/` (`resource` already checked).
pub(crate) fn list_path(api: Api, resource: &str) -> String {
    format!("{}{resource}/", api.root())
}

/// `/api/admin/{api}/v1/{resource}/{id}/` (`resource` already checked; ids are safe in paths
/// by construction).
pub(crate) fn detail_path(api: Api, resource: &str, id: &ObjectId) -> String {
    format!("{}{resource}/{id}/", api.root())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("conference_alias").is_ok());
        assert!(check_name("v1").is_ok());
        for bad in [
            "",
            "Conference",
            "../x",
            "a/b",
            "a b",
            "a%2f",
            "a.b",
            "é",
            &"x".repeat(65),
        ] {
            assert!(
                matches!(check_name(bad), Err(ClientError::InvalidInput(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn ids_are_integers_uuids_or_keys() {
        assert_eq!(ObjectId::parse("42").unwrap(), ObjectId::Int(42));
        assert_eq!(
            ObjectId::parse("3F2504E0-4F89-11D3-9A0C-0305E82C3301").unwrap(),
            ObjectId::Uuid("3f2504e0-4f89-11d3-9a0c-0305e82c3301".into())
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "99999999999999999999",
            "abc",
            "1/2",
            "../1",
            "1 ",
            "%31",
            "3f2504e0-4f89-11d3-9a0c-0305e82c330",
        ] {
            assert!(ObjectId::parse(bad).is_err(), "{bad}");
        }
        let file = "pexip_backup_10-44-7-0-mgr_11_26902.0.0_16_01_28_15_36_16.tar.gpg";
        assert_eq!(ObjectId::key(file).unwrap(), ObjectId::Key(file.into()));
        assert_eq!(ObjectId::key("7").unwrap(), ObjectId::Int(7));
        for bad in ["..", "a..b", ".hidden", "a/b", "a b", "a?b", "a#b", ""] {
            assert!(ObjectId::key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn uris_parse_and_render() {
        let r = ObjectRef::parse_uri("/api/admin/configuration/v1/conference/3/").unwrap();
        assert_eq!(
            r,
            ObjectRef {
                api: Api::Configuration,
                resource: "conference".into(),
                id: ObjectId::Int(3)
            }
        );
        assert_eq!(r.uri(), "/api/admin/configuration/v1/conference/3/");
        assert!(
            ObjectRef::parse_uri(
                "/api/admin/status/v1/participant/3f2504e0-4f89-11d3-9a0c-0305e82c3301"
            )
            .is_ok()
        );
        for bad in [
            "/api/admin/configuration/v2/conference/3/",
            "/api/admin/configuration/v1/conference/",
            "/api/admin/other/v1/conference/3/",
            "/api/admin/configuration/v1/conference/3/extra/",
            "https://evil/api/admin/configuration/v1/conference/3/",
            "/api/admin/configuration/v1/Conf/3/",
            "/api/admin/configuration/v1/conference/../",
        ] {
            assert!(ObjectRef::parse_uri(bad).is_err(), "{bad}");
        }
    }
}
