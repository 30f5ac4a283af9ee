//! Bounds on an input file checked before the YAML parser sees it: its size and the nesting
//! depth of flow collections (`[`, `{`). A parser handed 100,000 nested `[` spends tens of
//! seconds before it gives up; these checks answer at once, with the place.
//!
//! Also a UTF-8 byte-order mark, which some editors write: dropped, so the first key is read as
//! what it says rather than as `\u{feff}name`.

/// The largest tournament or match file (tournaments in `tournaments/` are a few KiB).
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// The deepest nesting of flow collections (`[[…]]`, `{a: {…}}`); real files nest 3 or 4.
pub const MAX_FLOW_DEPTH: usize = 32;

/// Where and why an input is refused: (line, column, message), 1-based.
pub type Refusal = (Option<(usize, usize)>, String);

/// Read at most [`MAX_INPUT_BYTES`] of `path` as UTF-8 text. The bound holds for what is read,
/// not for what the file system says: a pipe, `/dev/zero` or a FIFO has no size, and reading
/// one to its end would never stop. Invalid UTF-8 is refused at the line and column of its
/// first bad byte.
pub fn read_bounded(path: &std::path::Path) -> Result<String, Refusal> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| (None, format!("cannot read: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| (None, format!("cannot read: {e}")))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err((
            None,
            format!("the file is longer than {MAX_INPUT_BYTES} bytes, the most that are read"),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // Columns count characters, as the YAML parser's do; the line's valid part is UTF-8.
        let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
        (
            Some((line, column)),
            "the file is not UTF-8 text (an invalid byte here)".to_string(),
        )
    })
}

/// Drop a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Check the size, then the flow nesting depth (ignoring quoted text and comments).
pub fn check(text: &str) -> Result<(), Refusal> {
    if text.len() > MAX_INPUT_BYTES {
        return Err((
            None,
            format!(
                "the file is {} bytes; at most {MAX_INPUT_BYTES} are read",
                text.len()
            ),
        ));
    }
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = '\n';
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            line += 1;
            col = 0;
            comment = false;
            prev = c;
            continue;
        }
        match (quote, c) {
            _ if comment => {}
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'')
                if matches!(prev, ' ' | '\t' | '[' | '{' | ',' | ':' | '\n') =>
            {
                quote = Some(c)
            }
            (None, '#') if matches!(prev, ' ' | '\t' | '\n') => comment = true,
            (None, '[') | (None, '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Err((
                        Some((line, col)),
                        format!("collections nested deeper than {MAX_FLOW_DEPTH} levels"),
                    ));
                }
            }
            (None, ']') | (None, '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_at_its_place() {
        let deep = format!("a: {}", "[".repeat(100_000));
        // Depth 33 is reached at the 33rd `[`, column 3 + 33 = 36.
        assert_eq!(
            check(&deep).unwrap_err().0,
            Some((1, 3 + MAX_FLOW_DEPTH + 1))
        );
        assert!(check("a: [[1, 2], {b: [3]}]\nc: '[[[[' # [[[[\n").is_ok());
    }

    #[test]
    fn reading_is_bounded_whatever_the_file_says_its_size_is() {
        // /dev/zero reports size 0 and never ends.
        let (at, message) = read_bounded(std::path::Path::new("/dev/zero")).unwrap_err();
        assert_eq!(at, None);
        assert!(message.contains("longer than"), "{message}");
    }

    #[test]
    fn invalid_utf8_is_located_at_its_first_bad_byte() {
        let dir = std::env::temp_dir().join(format!("tourney-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bad.yaml");
        std::fs::write(&path, b"name: a\nseed: \xc3\xa9\xff1\n").unwrap();
        let (at, message) = read_bounded(&path).unwrap_err();
        // Line 2: `seed: é` is 7 characters, the bad byte the 8th.
        assert_eq!(at, Some((2, 8)));
        assert!(message.contains("UTF-8"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn size_and_bom() {
        assert!(check(&"#".repeat(MAX_INPUT_BYTES + 1)).is_err());
        assert_eq!(strip_bom("\u{feff}name: x"), "name: x");
    }
}
