//! Readable names: of fields (from their snake_case names) and of choices (from a small table
//! of well-known values, then from the help text's "value: meaning." phrases, else the raw
//! value).

use serde_json::Value;

/// Words written in capitals (or otherwise) in labels.
const WORDS: [(&str, &str); 24] = [
    ("id", "ID"),
    ("uri", "URI"),
    ("url", "URL"),
    ("pin", "PIN"),
    ("ivr", "IVR"),
    ("sip", "SIP"),
    ("h323", "H.323"),
    ("mssip", "MS-SIP"),
    ("rtmp", "RTMP"),
    ("dtmf", "DTMF"),
    ("dns", "DNS"),
    ("ntp", "NTP"),
    ("snmp", "SNMP"),
    ("ldap", "LDAP"),
    ("tls", "TLS"),
    ("qos", "QoS"),
    ("uuid", "UUID"),
    ("ip", "IP"),
    ("stun", "STUN"),
    ("turn", "TURN"),
    ("gms", "GMS"),
    ("vm", "VM"),
    ("smtp", "SMTP"),
    ("ssh", "SSH"),
];

/// Labels of values whose meaning the help text does not spell out: (field or `*`, value,
/// label).
const KNOWN_CHOICES: [(&str, &str, &str); 13] = [
    ("service_type", "conference", "Virtual Meeting Room"),
    ("service_type", "lecture", "Virtual Auditorium"),
    ("service_type", "two_stage_dialing", "Virtual Reception"),
    ("service_type", "test_call", "Test Call Service"),
    ("service_type", "media_playback", "Media Playback Service"),
    ("crypto_mode", "", "Use global setting"),
    ("crypto_mode", "besteffort", "Best effort"),
    ("crypto_mode", "on", "Required"),
    ("crypto_mode", "off", "No encryption"),
    ("*", "default", "Use global setting"),
    ("*", "yes", "Yes"),
    ("*", "no", "No"),
    ("*", "", "Not set"),
];

/// `guest_pin` → "Guest PIN", `max_callrate_in` → "Max callrate in".
pub fn field_label(name: &str) -> String {
    let words: Vec<String> = name
        .split('_')
        .filter(|w| !w.is_empty())
        .enumerate()
        .map(|(i, word)| {
            if let Some((_, special)) = WORDS.iter().find(|(w, _)| *w == word) {
                (*special).to_string()
            } else if i == 0 {
                capitalize(word)
            } else {
                word.to_string()
            }
        })
        .collect();
    if words.is_empty() {
        name.to_string()
    } else {
        words.join(" ")
    }
}

/// One item of a to-many field, lower case: `aliases` → "alias", `event_sinks` → "event sink".
pub fn singular(name: &str) -> String {
    let one = if name.ends_with("ses") {
        &name[..name.len() - 2]
    } else {
        name.strip_suffix('s').unwrap_or(name)
    };
    field_label(one).to_lowercase()
}

/// The readable label of one of a field's `valid_choices`.
pub fn choice_label(field: &str, value: &Value, help_text: &str) -> String {
    let raw = match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => return "Yes".into(),
        Value::Bool(false) => return "No".into(),
        Value::Null => return "Not set".into(),
        other => other.to_string(),
    };
    if let Some((_, _, label)) = KNOWN_CHOICES
        .iter()
        .find(|(f, v, _)| *f == field && *v == raw)
        .or_else(|| {
            KNOWN_CHOICES
                .iter()
                .find(|(f, v, _)| *f == "*" && *v == raw)
        })
    {
        return (*label).to_string();
    }
    from_help(&raw, help_text).unwrap_or(raw)
}

/// "… conference: Virtual Meeting Room. lecture: …" → "Virtual Meeting Room" for `conference`.
fn from_help(value: &str, help_text: &str) -> Option<String> {
    if value.is_empty() {
        return None;
    }
    let key = format!("{value}: ");
    let mut search = help_text;
    while let Some(pos) = search.find(&key) {
        let starts_word = search[..pos]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '(');
        let rest = &search[pos + key.len()..];
        if starts_word {
            let end = rest.find(". ").unwrap_or(rest.len());
            let meaning = rest[..end].trim().trim_end_matches('.').trim();
            if !meaning.is_empty() && meaning.chars().count() <= 80 {
                return Some(capitalize(meaning));
            }
            return None;
        }
        search = rest;
    }
    None
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_read_as_words() {
        assert_eq!(field_label("guest_pin"), "Guest PIN");
        assert_eq!(field_label("ivr_theme"), "IVR theme");
        assert_eq!(field_label("id"), "ID");
        assert_eq!(
            field_label("primary_owner_email_address"),
            "Primary owner email address"
        );
        assert_eq!(field_label("h323_gatekeeper"), "H.323 gatekeeper");
    }

    #[test]
    fn items_of_lists_are_singular() {
        assert_eq!(singular("aliases"), "alias");
        assert_eq!(singular("automatic_participants"), "automatic participant");
        assert_eq!(singular("event_sinks"), "event sink");
        assert_eq!(singular("conference"), "conference");
    }

    #[test]
    fn choices_come_from_the_table_then_the_help_text_then_raw() {
        let help = "The type. conference: Virtual Meeting Room. lecture: Virtual Auditorium.";
        assert_eq!(
            choice_label("service_type", &json!("conference"), help),
            "Virtual Meeting Room"
        );
        assert_eq!(
            choice_label(
                "host_view",
                &json!("one_main_zero_pips"),
                "The layout. one_main_zero_pips: full-screen main speaker only. x: y."
            ),
            "Full-screen main speaker only"
        );
        assert_eq!(
            choice_label("call_type", &json!("audio"), "Maximum media content."),
            "audio"
        );
        assert_eq!(
            choice_label("enable_chat", &json!("default"), ""),
            "Use global setting"
        );
        // A value that only appears inside another word is not taken.
        assert_eq!(
            choice_label(
                "x",
                &json!("hosts"),
                "no_hosts: only while no Host is present."
            ),
            "hosts"
        );
        assert_eq!(choice_label("x", &json!(true), ""), "Yes");
    }
}
