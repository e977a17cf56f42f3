//! Text helpers shared by the layers that read text (times, loaders).

/// `text` without leading and trailing whitespace, as `str::trim`. Most texts read (CSV cells,
/// dates) have none: two byte tests settle those (`trim` walked each end by `char`, 9 % of a
/// CSV's load).
#[inline]
pub(crate) fn trimmed(text: &str) -> &str {
    // Every Unicode whitespace is at most a space in ASCII or beyond it.
    let plain = |b: &u8| *b > b' ' && b.is_ascii();
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if plain(a) && plain(z) => text,
        _ => text.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_is_str_trim() {
        let cases = "|\u{20}|1.5|\u{20}1.5|1.5\u{20}|\t1.5\r|\u{a0}1.5|1.5\u{2003}|\u{3000}|\u{85}x|\u{1}1\u{1}|\u{7f}|é|\u{20}é\u{20}|\u{feff}1|a b|\n\n";
        for t in cases.split('|') {
            assert_eq!(trimmed(t), t.trim(), "{t:?}");
        }
    }
}
