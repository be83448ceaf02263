//! Text inputs: random strings, and real inputs with a few random edits (a parser's interesting
//! cases sit next to the inputs it was written for).

use proptest::prelude::*;
use proptest::sample::select;

/// Characters edits insert: digits, the punctuation parsers split on, whitespace, control
/// characters and multi-byte UTF-8.
const ALPHABET: &[char] = &[
    '0', '1', '9', '-', '+', '.', ',', ':', ';', '#', '/', '\\', '?', '&', '=', '%', '_', '"',
    '\'', ' ', '\t', '\n', '\r', '\0', '(', ')', '*', 'a', 'Z', 'é', 'ß', '€', '😀', '\u{202e}',
    '\u{feff}',
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, char),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), prop_oneof![select(ALPHABET), any::<char>()])
            .prop_map(|(at, c)| Edit::Insert(at, c)),
        (any::<usize>(), 1usize..8).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), 1usize..16).prop_map(|(at, n)| Edit::Duplicate(at, n)),
        any::<usize>().prop_map(Edit::Truncate),
    ]
}

/// The nearest character boundary at or before `at % (len + 1)`.
fn boundary(s: &str, at: usize) -> usize {
    let mut at = at % (s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut s = seed.to_string();
    for edit in edits {
        match *edit {
            Edit::Insert(at, c) => {
                let at = boundary(&s, at);
                s.insert(at, c);
            }
            Edit::Delete(at, n) => {
                let from = boundary(&s, at);
                let to = boundary(&s, from.saturating_add(n).min(s.len()));
                s.replace_range(from..to.max(from), "");
            }
            Edit::Duplicate(at, n) => {
                let from = boundary(&s, at);
                let to = boundary(&s, from.saturating_add(n).min(s.len()));
                let part = s[from..to.max(from)].to_string();
                s.insert_str(from, &part);
            }
            Edit::Truncate(at) => {
                let at = boundary(&s, at);
                s.truncate(at);
            }
        }
    }
    s
}

/// One of `seeds` with up to eight random edits, a random string, or a seed repeated.
pub fn around(seeds: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (select(seeds), prop::collection::vec(edit(), 0..8))
            .prop_map(|(seed, edits)| apply(seed, &edits)),
        2 => any::<String>(),
        1 => (select(seeds), 2usize..50).prop_map(|(seed, n)| seed.repeat(n)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_keep_valid_utf8_and_reach_every_position() {
        let s = "é€a";
        assert_eq!(apply(s, &[Edit::Insert(1, 'x')]), "xé€a");
        assert_eq!(apply(s, &[Edit::Delete(2, 3)]), "éa");
        assert_eq!(apply(s, &[Edit::Duplicate(0, 2)]), "éé€a");
        assert_eq!(apply(s, &[Edit::Truncate(100)]), "é");
        assert_eq!(apply("", &[Edit::Delete(5, 5), Edit::Insert(9, 'q')]), "q");
    }
}
