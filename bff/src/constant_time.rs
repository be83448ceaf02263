//! Comparing secrets (passwords, tokens, nonces) without leaking where they differ.

/// Byte equality whose time depends on the lengths only, not on where `a` and `b` differ.
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_only_when_every_byte_and_the_length_match() {
        assert!(super::eq(b"abc", b"abc"));
        assert!(super::eq(b"", b""));
        assert!(!super::eq(b"abc", b"abd"));
        assert!(!super::eq(b"abc", b"ab"));
        assert!(!super::eq(b"", b"a"));
    }
}
