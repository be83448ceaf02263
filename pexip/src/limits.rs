//! Limits stated in a field's `help_text`.
//!
//! Pexip schemas have no `max_length` key: the limits live only in phrases such as
//! "Maximum length: 250 characters.", "Length: 4-20 digits, including any terminal #." or
//! "Range: 128 to 8192.". This module finds them (case-insensitively, wherever they appear in
//! the text) and checks values against them. A help text without such a phrase has no limits.

use serde_json::Value;

/// Every limit a help text states. All parts are optional.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Limits {
    /// "Minimum length: N characters." or the lower bound of "Length: a-b characters."
    pub min_length: Option<usize>,
    /// "Maximum length: N characters." or the upper bound of "Length: a-b characters."
    pub max_length: Option<usize>,
    /// "Length: a-b digits[, including any terminal #]."
    pub digits: Option<Digits>,
    /// "Range: a to b." (inclusive), or one bound from "Minimum: a." / "Maximum: b.".
    pub range: Option<Range>,
}

/// A string of `min..=max` decimal digits, optionally ending with one `#` that counts towards
/// the length when `terminal_hash` is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits {
    pub min: usize,
    pub max: usize,
    pub terminal_hash: bool,
}

/// An inclusive numeric range; an unstated bound is infinite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

impl Limits {
    /// Finds the limit phrases in `help_text`.
    pub fn parse(help_text: &str) -> Limits {
        let lower = help_text.to_ascii_lowercase();
        let mut limits = Limits::default();
        if let Some(rest) = after(&lower, "maximum length:") {
            limits.max_length = leading_number(rest).and_then(|(n, _)| to_usize(n));
        }
        if let Some(rest) = after(&lower, "minimum length:") {
            limits.min_length = leading_number(rest).and_then(|(n, _)| to_usize(n));
        }
        // "Length:" on its own (not the tail of "Maximum length:"): a span of characters or digits.
        let mut search = lower.as_str();
        while let Some(pos) = search.find("length:") {
            let before = search[..pos].trim_end();
            let preceded_by_word = before.ends_with("maximum")
                || before.ends_with("minimum")
                || before.chars().next_back().is_some_and(|c| c == '_');
            let rest = &search[pos + "length:".len()..];
            if !preceded_by_word && let Some((lo, hi, tail)) = span(rest) {
                let unit = tail.trim_start();
                if unit.starts_with("digit") {
                    if let (Some(min), Some(max)) = (to_usize(lo), to_usize(hi)) {
                        limits.digits = Some(Digits {
                            min,
                            max,
                            terminal_hash: sentence(unit).contains('#'),
                        });
                    }
                } else {
                    limits.min_length = limits.min_length.or(to_usize(lo));
                    limits.max_length = limits.max_length.or(to_usize(hi));
                }
            }
            search = rest;
        }
        if let Some(rest) = after(&lower, "range:")
            && let Some((min, max, _)) = span(rest)
        {
            limits.range = Some(Range { min, max });
        }
        // "Minimum: 5" / "Maximum: 10" bound one side only.
        if limits.range.is_none() {
            let bound = |key| after(&lower, key).and_then(leading_number).map(|(n, _)| n);
            let (min, max) = (bound("minimum:"), bound("maximum:"));
            if min.is_some() || max.is_some() {
                limits.range = Some(Range {
                    min: min.unwrap_or(f64::NEG_INFINITY),
                    max: max.unwrap_or(f64::INFINITY),
                });
            }
        }
        limits
    }

    /// Whether the help text stated any limit.
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }

    /// Checks a value against the limits; `Err` carries the message a Management Node would
    /// give for the field. `null` and values of other kinds pass (other rules judge them).
    pub fn check(&self, value: &Value) -> Result<(), String> {
        match value {
            Value::String(s) => self.check_str(s),
            Value::Number(n) => n.as_f64().map_or(Ok(()), |n| self.check_number(n)),
            _ => Ok(()),
        }
    }

    /// Checks a string (an empty string passes: whether blank is allowed is the schema's
    /// `blank`, not a limit).
    pub fn check_str(&self, s: &str) -> Result<(), String> {
        if s.is_empty() {
            return Ok(());
        }
        let count = s.chars().count();
        if let Some(max) = self.max_length
            && count > max
        {
            return Err(format!(
                "Ensure this value has at most {max} characters (it has {count})."
            ));
        }
        if let Some(min) = self.min_length
            && count < min
        {
            return Err(format!(
                "Ensure this value has at least {min} characters (it has {count})."
            ));
        }
        if let Some(d) = self.digits {
            d.check(s)?;
        }
        if let Some(range) = self.range
            && let Ok(n) = s.trim().parse::<f64>()
        {
            return self.check_number_in(range, n);
        }
        Ok(())
    }

    /// Checks a number against the range.
    pub fn check_number(&self, n: f64) -> Result<(), String> {
        match self.range {
            Some(range) => self.check_number_in(range, n),
            None => Ok(()),
        }
    }

    fn check_number_in(&self, range: Range, n: f64) -> Result<(), String> {
        if n < range.min {
            Err(format!(
                "Ensure this value is greater than or equal to {}.",
                show(range.min)
            ))
        } else if n > range.max {
            Err(format!(
                "Ensure this value is less than or equal to {}.",
                show(range.max)
            ))
        } else {
            Ok(())
        }
    }
}

impl Digits {
    /// Checks a PIN-like value.
    pub fn check(&self, s: &str) -> Result<(), String> {
        let body = if self.terminal_hash {
            s.strip_suffix('#').unwrap_or(s)
        } else {
            s
        };
        let len = s.chars().count();
        if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
            let hash = if self.terminal_hash {
                ", optionally followed by #"
            } else {
                ""
            };
            return Err(format!("Enter digits only{hash}."));
        }
        if len < self.min || len > self.max {
            let hash = if self.terminal_hash {
                ", including any terminal #"
            } else {
                ""
            };
            return Err(format!(
                "Ensure this value has {}-{} digits{hash} (it has {len}).",
                self.min, self.max
            ));
        }
        Ok(())
    }
}

fn after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.find(key).map(|pos| &text[pos + key.len()..])
}

/// The rest of the sentence (up to the first ". " or the end).
fn sentence(text: &str) -> &str {
    text.find(". ").map_or(text, |end| &text[..end])
}

/// A number at the start of `text` (after spaces): returns it and the rest.
fn leading_number(text: &str) -> Option<(f64, &str)> {
    let text = text.trim_start();
    let mut end = 0;
    for (i, c) in text.char_indices() {
        let sign = (c == '-' || c == '+') && i == 0;
        let digit = c.is_ascii_digit() || c == ',';
        // A '.' counts only when a digit follows (so "250." ends a sentence).
        let point = c == '.'
            && text[i + 1..]
                .chars()
                .next()
                .is_some_and(|n| n.is_ascii_digit());
        if sign || digit || point {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    let number = text[..end].replace(',', "");
    number.parse::<f64>().ok().map(|n| (n, &text[end..]))
}

/// "a to b", "a-b", "a – b", "a and b" (also "between a and b", "0s to 30s"): the bounds and
/// the rest.
fn span(text: &str) -> Option<(f64, f64, &str)> {
    let text = text.trim_start();
    let text = text.strip_prefix("between").unwrap_or(text);
    let (lo, rest) = leading_number(text)?;
    // A unit written against the number ("0s to 30s") is skipped.
    let rest = rest
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '%')
        .trim_start();
    let rest = ["to", "-", "–", "and"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?;
    let (hi, rest) = leading_number(rest)?;
    // An inverted span ("41-20 digits": a typo in a help text) states no limit; taking it would
    // reject every value.
    (lo <= hi).then_some((lo, hi, rest))
}

fn to_usize(n: f64) -> Option<usize> {
    (n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64).then_some(n as usize)
}

fn show(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maximum_length() {
        let l = Limits::parse("A description of the service. Maximum length: 250 characters.");
        assert_eq!(l.max_length, Some(250));
        assert_eq!(l.min_length, None);
        assert!(l.check_str(&"x".repeat(250)).is_ok());
        let err = l.check_str(&"x".repeat(251)).unwrap_err();
        assert_eq!(
            err,
            "Ensure this value has at most 250 characters (it has 251)."
        );
    }

    #[test]
    fn pin_digits_with_terminal_hash() {
        let l = Limits::parse(
            "This optional field allows you to set a secure access code. Length: 4-20 digits, including any terminal #.",
        );
        let d = l.digits.unwrap();
        assert_eq!((d.min, d.max, d.terminal_hash), (4, 20, true));
        assert_eq!(l.max_length, None);
        assert!(l.check(&json!("1234")).is_ok());
        assert!(l.check(&json!("1234#")).is_ok());
        assert!(l.check(&json!("")).is_ok());
        assert!(l.check(&json!("123")).is_err());
        assert!(l.check(&json!("12a4")).is_err());
        assert!(l.check(&json!("12#34")).is_err());
        assert!(l.check(&json!("#")).is_err());
        assert!(l.check(&json!("1".repeat(21))).is_err());
    }

    #[test]
    fn digits_without_hash() {
        let d = Limits::parse("Length: 4 to 10 digits.").digits.unwrap();
        assert!(!d.terminal_hash);
        assert!(d.check("1234#").is_err());
        assert!(d.check("1234").is_ok());
    }

    /// Found by `fuzz_help_text_limits` (FUZZ_SEED=1796208788892582895): an inverted span is a
    /// typo, not a limit that would reject every value.
    #[test]
    fn inverted_spans_state_no_limit() {
        let l = Limits::parse("Length: 41-20 digits, including any terminal #.");
        assert_eq!(l.digits, None);
        assert_eq!(Limits::parse("Length: 250-1 characters.").max_length, None);
        assert_eq!(Limits::parse("Range: 8192 to 128.").range, None);
    }

    #[test]
    fn range_integer_and_variants() {
        let l = Limits::parse("Maximum inbound call bandwidth. Range: 128 to 8192.");
        assert_eq!(
            l.range,
            Some(Range {
                min: 128.0,
                max: 8192.0
            })
        );
        assert!(l.check(&json!(128)).is_ok());
        assert_eq!(
            l.check(&json!(127)).unwrap_err(),
            "Ensure this value is greater than or equal to 128."
        );
        assert_eq!(
            l.check(&json!(8193)).unwrap_err(),
            "Ensure this value is less than or equal to 8192."
        );
        assert!(l.check(&json!("9000")).is_err());
        let l = Limits::parse("RANGE: 0 to 1,000,000.");
        assert_eq!(
            l.range,
            Some(Range {
                min: 0.0,
                max: 1_000_000.0
            })
        );
        let l = Limits::parse("Range: -10 - 10.");
        assert_eq!(
            l.range,
            Some(Range {
                min: -10.0,
                max: 10.0
            })
        );
        let l = Limits::parse("Range: 0.5 to 2.5.");
        assert_eq!(l.range, Some(Range { min: 0.5, max: 2.5 }));
        let l = Limits::parse(
            "The number of seconds to show a notification. Range: 0s to 30s. Default: 0s.",
        );
        assert_eq!(
            l.range,
            Some(Range {
                min: 0.0,
                max: 30.0
            })
        );
        assert!(l.check(&json!(31)).is_err());
    }

    #[test]
    fn one_sided_bounds() {
        let l = Limits::parse(
            "The minimum number of minutes a bursting node is kept running. Minimum: 5",
        );
        assert_eq!(l.range.map(|r| r.min), Some(5.0));
        assert!(l.check(&json!(4)).is_err());
        assert!(l.check(&json!(100_000)).is_ok());
        let l = Limits::parse("Maximum: 10.");
        assert!(l.check(&json!(11)).is_err());
        assert!(l.check(&json!(-3)).is_ok());
        let l = Limits::parse("Maximum length: 40 characters.");
        assert!(l.range.is_none(), "a length is not a numeric bound");
    }

    #[test]
    fn length_span_of_characters() {
        let l = Limits::parse("The name. Length: 1-100 characters.");
        assert_eq!((l.min_length, l.max_length), (Some(1), Some(100)));
        assert!(l.digits.is_none());
        let l = Limits::parse("Minimum length: 3 characters. Maximum length: 8 characters.");
        assert_eq!((l.min_length, l.max_length), (Some(3), Some(8)));
        assert!(l.check_str("ab").is_err());
    }

    #[test]
    fn any_cut_of_a_help_text_parses_without_panicking() {
        let text = "Länge – Range: -1,5 to 2. Length: 4–20 digits, including any terminal #. Maximum length: 1,024 characters. Minimum: 3. Maximum: 0s";
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &start in &cuts {
            for &end in cuts.iter().filter(|&&e| e >= start) {
                let limits = Limits::parse(&text[start..end]);
                let _ = limits.check(&json!("1234#"));
                let _ = limits.check(&json!(-7.5));
            }
        }
    }

    #[test]
    fn absent_or_garbled_phrases_give_no_limits() {
        for text in [
            "",
            "The primary key.",
            "Maximum length: lots.",
            "Range: a to b.",
            "Length: 4-",
            "Range: 5",
        ] {
            let l = Limits::parse(text);
            assert!(l.is_empty(), "{text:?} gave {l:?}");
            assert!(l.check(&json!("anything")).is_ok());
        }
    }
}
