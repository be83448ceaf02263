//! Search filters built from configured templates (`(sAMAccountName={username})`) and what people
//! type: every substituted value is escaped as an RFC 4515 assertion value, so a name such as
//! `*` or `alice)(uid=*` can only ever match an entry whose attribute holds exactly that text.

/// Escapes `value` for use as an assertion value inside an LDAP search filter (RFC 4515 §3):
/// `\`, `*`, `(`, `)` and NUL become `\5c`, `\2a`, `\28`, `\29` and `\00`. Everything else,
/// UTF-8 included, is left as it is.
pub fn escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\5c"),
            '*' => escaped.push_str("\\2a"),
            '(' => escaped.push_str("\\28"),
            ')' => escaped.push_str("\\29"),
            '\0' => escaped.push_str("\\00"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Placeholder(String),
}

/// A filter template such as `(&(objectClass=user)(sAMAccountName={username}))`: literal filter
/// text with `{name}` placeholders, each replaced by an escaped value when rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterTemplate {
    pieces: Vec<Piece>,
}

impl FilterTemplate {
    /// Parses `template`, accepting only the placeholders in `allowed` (e.g. `["username"]`).
    /// The template must be one parenthesised filter that is valid once its placeholders are
    /// filled in. Errors are phrased for a configuration message (`… {user} is not …`).
    pub fn parse(template: &str, allowed: &[&str]) -> Result<FilterTemplate, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(format!("an unclosed {{ in {template:?}"));
            };
            let name = &after[..close];
            if !allowed.contains(&name) {
                return Err(format!(
                    "{{{name}}} is not a placeholder here (use {})",
                    allowed
                        .iter()
                        .map(|a| format!("{{{a}}}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
            }
            if !text.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut text)));
            }
            pieces.push(Piece::Placeholder(name.to_string()));
            rest = &after[close + 1..];
        }
        text.push_str(rest);
        if text.contains('}') {
            return Err(format!("a stray }} in {template:?}"));
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        let parsed = FilterTemplate { pieces };
        let trimmed = template.trim();
        if !(trimmed.starts_with('(') && trimmed.ends_with(')')) {
            return Err(format!(
                "{template:?} is not a filter in parentheses, e.g. (uid={{username}})"
            ));
        }
        let sample: Vec<(&str, &str)> = allowed.iter().map(|name| (*name, "x")).collect();
        if ldap3::parse_filter(parsed.render(&sample)).is_err() {
            return Err(format!("{template:?} is not a valid LDAP filter"));
        }
        Ok(parsed)
    }

    /// Whether the template uses the placeholder `name`.
    pub fn uses(&self, name: &str) -> bool {
        self.pieces
            .iter()
            .any(|piece| matches!(piece, Piece::Placeholder(p) if p == name))
    }

    /// The filter with each placeholder replaced by its escaped value from `values`
    /// (placeholders without a value become empty).
    pub fn render(&self, values: &[(&str, &str)]) -> String {
        let mut filter = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => filter.push_str(text),
                Piece::Placeholder(name) => {
                    if let Some((_, value)) = values.iter().find(|(n, _)| n == name) {
                        filter.push_str(&escape(value));
                    }
                }
            }
        }
        filter
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_rfc_4515_specials() {
        assert_eq!(escape("alice"), "alice");
        assert_eq!(escape("*"), "\\2a");
        assert_eq!(escape("alice)(uid=*"), "alice\\29\\28uid=\\2a");
        assert_eq!(escape("eve*)(uid=*"), "eve\\2a\\29\\28uid=\\2a");
        assert_eq!(escape("a\\b"), "a\\5cb");
        assert_eq!(escape("nul\0"), "nul\\00");
        // Already-escaped text is escaped again: what people type is never trusted as escapes.
        assert_eq!(escape("\\2a"), "\\5c2a");
        // UTF-8 and the other filter characters are fine inside a value.
        assert_eq!(escape("Åsa Ødegård"), "Åsa Ødegård");
        assert_eq!(escape("a=b&c|!d~e>f<g"), "a=b&c|!d~e>f<g");
    }

    #[test]
    fn escaped_values_stay_one_assertion() {
        let template = FilterTemplate::parse("(uid={username})", &["username"]).unwrap();
        for hostile in [
            "*",
            "alice)(uid=*",
            "*)(|(uid=*",
            "x)(objectClass=*))(|(uid=x",
            "\\",
        ] {
            let filter = template.render(&[("username", hostile)]);
            let parsed = ldap3::parse_filter(&filter).expect("still a valid filter");
            // A single equality match (tag 3), never a presence or substring match or a
            // combination of several.
            let ldap3::asn1::Tag::Sequence(seq) = parsed else {
                panic!("{filter}: not an equality match: {parsed:?}");
            };
            assert_eq!(seq.id, 3, "{filter}");
        }
    }

    #[test]
    fn renders_every_placeholder() {
        let template = FilterTemplate::parse(
            "(&(objectClass=groupOfNames)(|(member={dn})(memberUid={username})))",
            &["dn", "username"],
        )
        .unwrap();
        assert!(template.uses("dn") && template.uses("username"));
        assert_eq!(
            template.render(&[
                ("dn", "cn=Star\\, Eve (test),ou=people,dc=example,dc=com"),
                ("username", "eve*")
            ]),
            "(&(objectClass=groupOfNames)(|(member=cn=Star\\5c, Eve \\28test\\29,ou=people,\
             dc=example,dc=com)(memberUid=eve\\2a)))"
        );
        let ad = FilterTemplate::parse(
            "(&(objectCategory=person)(sAMAccountName={username}))",
            &["username"],
        )
        .unwrap();
        assert!(!ad.uses("dn"));
        // Active Directory's nested-group match (LDAP_MATCHING_RULE_IN_CHAIN).
        let nested = FilterTemplate::parse(
            "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={dn}))",
            &["dn", "username"],
        )
        .unwrap();
        assert_eq!(
            nested.render(&[("dn", "CN=Olsen\\, Alice,DC=corp")]),
            "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:=CN=Olsen\\5c, Alice,DC=corp))"
        );
        assert_eq!(
            ad.render(&[("username", "ALICE")]),
            "(&(objectCategory=person)(sAMAccountName=ALICE))"
        );
    }

    #[test]
    fn refuses_bad_templates() {
        let err = FilterTemplate::parse("(uid={user})", &["username"]).unwrap_err();
        assert_eq!(err, "{user} is not a placeholder here (use {username})");
        let err = FilterTemplate::parse("(member={username})", &["dn"]).unwrap_err();
        assert!(err.contains("use {dn}"), "{err}");
        assert!(
            FilterTemplate::parse("(uid={username)", &["username"])
                .unwrap_err()
                .contains("unclosed")
        );
        assert!(
            FilterTemplate::parse("(uid=username})", &["username"])
                .unwrap_err()
                .contains("stray")
        );
        assert!(
            FilterTemplate::parse("uid={username}", &["username"])
                .unwrap_err()
                .contains("parentheses")
        );
        assert!(
            FilterTemplate::parse("(&(uid={username})", &["username"])
                .unwrap_err()
                .contains("not a valid LDAP filter")
        );
    }
}
