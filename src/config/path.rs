//! The JSON path at a position of a JSON text (`executions[0].latency_ms`), so decode errors,
//! which serde reports by line and column, can name the field. A scanner over the text instead of
//! a path-tracking deserializer: that would instantiate every config type a second time, which
//! the browser build pays for in download size.

enum Frame {
    /// Inside an object: the last key read, if any.
    Object(Option<String>),
    /// Inside an array: the index of the current element.
    Array(usize),
}

/// Byte offset of serde_json's (1-based line, column) position: the bytes it had consumed.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column).min(text.len())
}

/// The path of the value being read at byte `offset` of `text` (text before it is valid JSON so
/// far): object keys joined by `.`, array indices as `[i]`; empty at the top level.
pub fn path_at(text: &str, offset: usize) -> String {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    // In an object, a string is a key when it follows `{` or `,`; otherwise it is a value.
    let mut expect_key = false;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(k)) => {
                    *k = None;
                    expect_key = true;
                }
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(k)) = stack.last_mut() {
                        let raw = &text[start..i.min(bytes.len())];
                        *k = Some(
                            crate::json::from_str::<String>(&format!("\"{raw}\""))
                                .unwrap_or_else(|_| raw.to_string()),
                        );
                    }
                    expect_key = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for f in &stack {
        match f {
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
            Frame::Object(Some(k)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
            }
            Frame::Object(None) => {}
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> String {
        path_at(text, text.find(marker).unwrap())
    }

    #[test]
    fn paths_of_positions() {
        let t = r#"{"a": {"b": [1, {"c": "x", "d,\"e": [true, "HERE1"]}]}, "f": "HERE2"}"#;
        assert_eq!(at(t, "HERE1"), "a.b[1].d,\"e[1]");
        assert_eq!(at(t, "\"HERE2"), "f");
        assert_eq!(at(t, "{\"c\""), "a.b[1]");
        assert_eq!(path_at(t, 0), "");
        assert_eq!(offset_of("ab\ncd\nef", 3, 1), 7);
        assert_eq!(offset_of("ab", 1, 9), 2);
    }
}
