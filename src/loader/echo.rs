//! Quoting field values in error messages. A value is echoed so the user can find it, but a
//! malformed file can hold a field of megabytes (a missing closing quote swallows the rest of
//! the line), so echoes are cut to a prefix plus the full size.

/// Fields up to this many bytes are echoed whole.
const WHOLE: usize = 40;
/// Longer ones are cut to about this many bytes (at a character boundary).
const PREFIX: usize = 32;

/// `text` quoted for an error message: whole when short, else a prefix and its length in bytes.
pub(crate) fn shown(text: &str) -> String {
    if text.len() <= WHOLE {
        return format!("{text:?}");
    }
    format!("{:?}… ({} bytes)", &text[..boundary(text, PREFIX)], text.len())
}

/// A whole message of foreign origin (serde's, which quotes values) cut to `max` bytes.
pub(crate) fn clipped(message: String, max: usize) -> String {
    if message.len() <= max {
        return message;
    }
    format!("{}… ({} bytes)", &message[..boundary(&message, max)], message.len())
}

fn boundary(text: &str, max: usize) -> usize {
    (0..=max.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_whole_long_ones_cut() {
        assert_eq!(shown("abc"), "\"abc\"");
        let long = "x".repeat(5_000_000);
        let s = shown(&long);
        // 32 x's, quoted, then the size: 34 + "… (5000000 bytes)".
        assert_eq!(s, format!("\"{}\"… (5000000 bytes)", "x".repeat(32)));
        // A multi-byte character straddling the cut is left out whole: 31 a's then 'é' (2 bytes)
        // ends at byte 33 > 32, so the prefix is the 31 a's.
        let t = format!("{}é{}", "a".repeat(31), "b".repeat(20));
        assert_eq!(shown(&t), format!("\"{}\"… (53 bytes)", "a".repeat(31)));
        assert_eq!(clipped("abcdef".into(), 3), "abc… (6 bytes)");
    }
}
