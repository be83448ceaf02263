//! How to join a meeting room: each alias as a dial string with its SIP and H.323 forms, the
//! web app link built from `rooms.webapp_url`, and the QR code of that link — worked out on the
//! server (the QR encoder stays out of the wasm) and sent with the room to the end users' room
//! cards. The types compile without `ssr` so the wasm UI shares them; the settings and the QR
//! encoder are the server's only.

use serde::{Deserialize, Serialize};

/// Where the alias goes in `rooms.webapp_url`.
pub const ALIAS_PLACEHOLDER: &str = "{alias}";

/// The `[rooms]` settings.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoomsConfig {
    /// The web app join link of a room: a URL template where `{alias}` stands for the room's
    /// alias, percent-encoded (`https://meet.example.com/webapp/m/{alias}`). Unset: no join
    /// link and no QR code.
    pub webapp_url: Option<String>,
}

/// The join link template demo mode uses when `rooms.webapp_url` is not set.
#[cfg(feature = "ssr")]
pub const DEMO_WEBAPP_URL: &str = "https://meet.example.com/webapp/m/{alias}";

#[cfg(feature = "ssr")]
impl RoomsConfig {
    /// Checks the settings; the error names the key.
    pub fn validate(&self) -> Result<(), String> {
        let Some(url) = &self.webapp_url else {
            return Ok(());
        };
        let problem = if !(url.starts_with("https://") || url.starts_with("http://")) {
            Some("must start with https:// (or http://)")
        } else if !url.contains(ALIAS_PLACEHOLDER) {
            Some("must contain {alias}, where the room's alias goes")
        } else if url.chars().any(char::is_whitespace) {
            Some("must not contain spaces")
        } else {
            None
        };
        match problem {
            Some(problem) => Err(format!(
                "invalid configuration value for `rooms.webapp_url`: {problem} (got `{url}`)"
            )),
            None => Ok(()),
        }
    }
}

/// One alias of a room, as people dial it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialString {
    /// The alias as configured: what to dial.
    pub alias: String,
    /// The alias's description on the node (may be empty).
    pub description: String,
    /// The SIP address: the alias itself when it has `@`; a number or name followed by the
    /// domain of the room's other aliases; none when the room has no domain.
    pub sip: Option<String>,
    /// The H.323 form: the alias without any URI scheme (URI dialing for `name@domain`, the
    /// E.164 number or H.323 ID otherwise).
    pub h323: String,
}

/// A QR code: `size` × `size` modules, row by row, `1` for dark and `0` for light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrCode {
    pub size: u32,
    pub modules: String,
}

impl QrCode {
    /// Whether the module at column `x`, row `y` is dark.
    pub fn dark(&self, x: u32, y: u32) -> bool {
        x < self.size
            && y < self.size
            && self.modules.as_bytes().get((y * self.size + x) as usize) == Some(&b'1')
    }

    /// An SVG path drawing the dark modules (one `M x y h n v1 h-n z` per run of dark modules
    /// in a row), shifted by `margin` modules.
    pub fn svg_path(&self, margin: u32) -> String {
        let mut path = String::new();
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if self.dark(x, y) {
                    let start = x;
                    while x < self.size && self.dark(x, y) {
                        x += 1;
                    }
                    let run = x - start;
                    path.push_str(&format!(
                        "M{} {}h{run}v1h-{run}z",
                        start + margin,
                        y + margin
                    ));
                } else {
                    x += 1;
                }
            }
        }
        path
    }
}

/// How to join one room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinDetails {
    /// Every alias, in the node's order.
    pub aliases: Vec<DialString>,
    /// The web app link (none when `rooms.webapp_url` is unset or the room has no alias).
    pub web_link: Option<String>,
    /// The QR code of `web_link`.
    pub qr: Option<QrCode>,
}

/// URI schemes an alias may carry.
const SCHEMES: [&str; 4] = ["sip:", "sips:", "h323:", "tel:"];

/// The alias without a URI scheme.
pub fn bare_alias(alias: &str) -> &str {
    let alias = alias.trim();
    SCHEMES
        .iter()
        .find_map(|scheme| {
            alias
                .get(..scheme.len())
                .filter(|head| head.eq_ignore_ascii_case(scheme))
                .map(|_| &alias[scheme.len()..])
        })
        .unwrap_or(alias)
}

/// Percent-encodes an alias for a URL: everything but letters, digits, `-._~` and `@`.
pub fn encode_alias(alias: &str) -> String {
    alias
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The dial strings of a room's aliases (`(alias, description)` in the node's order).
pub fn dial_strings(aliases: &[(String, String)]) -> Vec<DialString> {
    // The domain of the room's first URI alias, for its numbers and names.
    let domain = aliases
        .iter()
        .find_map(|(alias, _)| bare_alias(alias).rsplit_once('@').map(|(_, d)| d))
        .filter(|d| !d.is_empty());
    aliases
        .iter()
        .map(|(alias, description)| {
            let bare = bare_alias(alias);
            let sip = if bare.contains('@') {
                Some(alias.trim().to_string())
            } else {
                domain.map(|domain| format!("{bare}@{domain}"))
            };
            DialString {
                alias: alias.trim().to_string(),
                description: description.trim().to_string(),
                sip,
                h323: bare.to_string(),
            }
        })
        .collect()
}

/// The web app link of a room: the template with its preferred alias (the first one of the
/// form `name@domain`, else the first one), without a scheme and percent-encoded.
pub fn web_link(template: &str, aliases: &[(String, String)]) -> Option<String> {
    let alias = aliases
        .iter()
        .map(|(alias, _)| bare_alias(alias))
        .find(|alias| alias.contains('@'))
        .or_else(|| aliases.first().map(|(alias, _)| bare_alias(alias)))
        .filter(|alias| !alias.is_empty())?;
    Some(template.replace(ALIAS_PLACEHOLDER, &encode_alias(alias)))
}

#[cfg(feature = "ssr")]
mod server {
    use super::{JoinDetails, QrCode, RoomsConfig, dial_strings, web_link};
    use serde_json::Value;

    /// The QR code of `text` (medium error correction), if it fits a QR code.
    pub fn qr_code(text: &str) -> Option<QrCode> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
        let size = code.width() as u32;
        let modules = code
            .to_colors()
            .into_iter()
            .map(|c| if c == qrcode::Color::Dark { '1' } else { '0' })
            .collect();
        Some(QrCode { size, modules })
    }

    /// How to join `room` (a `conference` object with its embedded aliases).
    pub fn join_details(room: &Value, config: &RoomsConfig) -> JoinDetails {
        let text = |v: &Value, key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let aliases: Vec<(String, String)> = room
            .get("aliases")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|a| match a {
                Value::String(alias) => (alias.clone(), String::new()),
                other => (text(other, "alias"), text(other, "description")),
            })
            .filter(|(alias, _)| !alias.trim().is_empty())
            .collect();
        let link = config
            .webapp_url
            .as_deref()
            .and_then(|template| web_link(template, &aliases));
        JoinDetails {
            aliases: dial_strings(&aliases),
            qr: link.as_deref().and_then(qr_code),
            web_link: link,
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::{join_details, qr_code};

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases(list: &[&str]) -> Vec<(String, String)> {
        list.iter()
            .map(|a| (a.to_string(), String::new()))
            .collect()
    }

    #[test]
    fn dial_strings_give_sip_and_h323_forms() {
        let dial = dial_strings(&aliases(&[
            "meet.alice@example.com",
            "81000",
            "sip:meet.alice@example.com",
        ]));
        assert_eq!(dial[0].sip.as_deref(), Some("meet.alice@example.com"));
        assert_eq!(dial[0].h323, "meet.alice@example.com");
        assert_eq!(dial[1].sip.as_deref(), Some("81000@example.com"));
        assert_eq!(dial[1].h323, "81000");
        assert_eq!(dial[2].sip.as_deref(), Some("sip:meet.alice@example.com"));
        assert_eq!(dial[2].h323, "meet.alice@example.com");
        // Without any domain, a number has no SIP address.
        let dial = dial_strings(&aliases(&["81000"]));
        assert_eq!(dial[0].sip, None);
        assert_eq!(dial[0].h323, "81000");
    }

    #[test]
    fn web_links_prefer_a_uri_alias_and_encode_it() {
        let template = "https://meet.example.com/webapp/m/{alias}";
        assert_eq!(
            web_link(
                template,
                &aliases(&["81000", "sip:Board Room+1@example.com"])
            ),
            Some("https://meet.example.com/webapp/m/Board%20Room%2B1@example.com".into())
        );
        assert_eq!(
            web_link("https://x/#/?conference={alias}", &aliases(&["81000"])),
            Some("https://x/#/?conference=81000".into())
        );
        assert_eq!(web_link(template, &[]), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_template_is_checked() {
        let config = |url: &str| RoomsConfig {
            webapp_url: Some(url.into()),
        };
        assert!(RoomsConfig::default().validate().is_ok());
        assert!(config(DEMO_WEBAPP_URL).validate().is_ok());
        for bad in [
            "meet.example.com/{alias}",
            "https://meet.example.com/webapp/",
            "https://meet example.com/{alias}",
        ] {
            let error = config(bad).validate().unwrap_err();
            assert!(error.contains("rooms.webapp_url"), "{error}");
        }
    }

    #[test]
    fn qr_paths_join_runs_of_dark_modules() {
        let qr = QrCode {
            size: 3,
            modules: "110011101".into(),
        };
        assert!(qr.dark(0, 0) && !qr.dark(2, 0) && !qr.dark(3, 0));
        assert_eq!(
            qr.svg_path(4),
            "M4 4h2v1h-2zM5 5h2v1h-2zM4 6h1v1h-1zM6 6h1v1h-1z"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn rooms_get_their_join_details() {
        let room = serde_json::json!({
            "name": "Alice's room",
            "aliases": [
                {"alias": "meet.alice@example.com", "description": "Email-style alias"},
                {"alias": "81000", "description": "Numeric dial-in"},
            ],
        });
        let none = join_details(&room, &RoomsConfig::default());
        assert_eq!(none.aliases.len(), 2);
        assert_eq!(none.aliases[0].description, "Email-style alias");
        assert_eq!((none.web_link, none.qr), (None, None));
        let config = RoomsConfig {
            webapp_url: Some(DEMO_WEBAPP_URL.into()),
        };
        let details = join_details(&room, &config);
        assert_eq!(
            details.web_link.as_deref(),
            Some("https://meet.example.com/webapp/m/meet.alice@example.com")
        );
        let qr = details.qr.expect("a QR code");
        assert!(
            qr.size >= 21 && (qr.size - 21).is_multiple_of(4),
            "{}",
            qr.size
        );
        assert_eq!(qr.modules.len(), (qr.size * qr.size) as usize);
        // The finder pattern: a dark 7×7 square ring in the top-left corner.
        assert!((0..7).all(|i| qr.dark(i, 0) && qr.dark(0, i) && qr.dark(i, 6)));
        assert!(!qr.dark(1, 1) && qr.dark(2, 2));
    }
}
