//! Reading YAML input with errors that point at the file, line and column, and name the field.

use std::fmt;
use std::path::{Path, PathBuf};

/// Bad input: where, and what was expected. Exit code 2.
#[derive(Debug)]
pub struct InputError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// Read and deserialize a YAML file.
pub fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<(T, String), InputError> {
    let located = |(at, message): crate::input_limits::Refusal| InputError {
        file: path.to_path_buf(),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        message,
    };
    // The size is checked before reading where the file system knows it (a huge file is
    // refused without being loaded), and the reading itself is bounded (a pipe has no size).
    let size = std::fs::metadata(path)
        .map_err(|e| located((None, format!("cannot read: {e}"))))?
        .len();
    if size > crate::input_limits::MAX_INPUT_BYTES as u64 {
        return Err(located((
            None,
            format!(
                "the file is {size} bytes; at most {} are read",
                crate::input_limits::MAX_INPUT_BYTES
            ),
        )));
    }
    let text = crate::input_limits::read_bounded(path).map_err(located)?;
    let text = crate::input_limits::strip_bom(&text).to_string();
    crate::input_limits::check(&text).map_err(located)?;
    let value = parse_yaml(path, &text)?;
    Ok((value, text))
}

/// Deserialize YAML text; serde_yaml's error carries the field path and the location.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
) -> Result<T, InputError> {
    serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location();
        // serde_yaml appends " at line L column C"; we print the location up front instead.
        let mut message = e.to_string();
        if let Some(idx) = message.find(" at line ") {
            message.truncate(idx);
        }
        let mut at = loc.as_ref().map(|l| (l.line(), l.column()));
        // serde finds a duplicate field when its mapping ends, and serde_yaml then points at
        // the mapping's start (1:1 for a top-level key): point at the second occurrence.
        if let (Some((line, column)), Some(key)) = (at, duplicate_field(&message)) {
            at = second_key(text, line, column, key).or(at);
        }
        InputError {
            file: path.to_path_buf(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            message,
        }
    })
}

/// The key a "duplicate field `x`" message (serde's, for a struct) or "duplicate parameter
/// `x`" message (a strategy's `params`) names.
fn duplicate_field(message: &str) -> Option<&str> {
    let rest = ["duplicate field `", "duplicate parameter `"]
        .iter()
        .find_map(|p| Some(&message[message.find(p)? + p.len()..]))?;
    Some(&rest[..rest.find('`')?])
}

/// The line and column of the second `key:` of the block mapping whose first key is at
/// (`line`, `column`), 1-based: keys of that mapping start at that column, and the mapping ends
/// at a line indented less or at the next list item of the same list. `None` where the mapping is a flow
/// mapping or the key is not found twice.
fn second_key(text: &str, line: usize, column: usize, key: &str) -> Option<(usize, usize)> {
    let key_col = column.checked_sub(1)?;
    let mut seen = 0;
    for (n, l) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        let body = l.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = l.len() - body.len();
        let (at, item) = match body.strip_prefix("- ") {
            Some(rest) => (indent + (body.len() - rest.len()), true),
            None => (indent, false),
        };
        if n + 1 > line && (at < key_col || (item && at == key_col)) {
            return None;
        }
        let rest = &l[at..];
        let named = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| {
                rest.strip_prefix(k.as_str())
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            });
        if at == key_col && named {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, column));
            }
        }
    }
    None
}

/// Locate a field path like `network.root_stake_tao` or `events[2].tao` in YAML text, for
/// errors found after parsing: the line and column (1-based) of its key, or of its nearest
/// written ancestor when it is not written ([`crate::yaml_locate::locate_key`]).
pub fn locate(text: &str, field: &str) -> Option<(usize, usize)> {
    crate::yaml_locate::locate_key(text, field)
}

/// A semantic error (`field: message`) turned into an input error with a location.
pub fn semantic(path: &Path, text: &str, field: &str, message: &str) -> InputError {
    let loc = locate(text, field);
    InputError {
        file: path.to_path_buf(),
        line: loc.map(|l| l.0),
        column: loc.map(|l| l.1),
        message: format!("{field}: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_key_is_placed_at_its_second_occurrence() {
        let text = "name: x\nseed: 1\nroles:\n  - name: a\n    seed: 3\n  - name: b\n    \
                    seed: 4\nnetwork:\n  n: 4\n  # seed: 9\n  n: 5\nseed: 2\n";
        assert_eq!(second_key(text, 1, 1, "seed"), Some((12, 1)));
        assert_eq!(second_key(text, 9, 3, "n"), Some((11, 3)));
        // A list item's keys: the next item is another mapping.
        assert_eq!(second_key(text, 4, 5, "seed"), None);
        assert_eq!(second_key(text, 4, 5, "name"), None);
        assert_eq!(duplicate_field("duplicate field `seed`"), Some("seed"));
        let error = parse_yaml::<serde_yaml::Value>(Path::new("f.yaml"), "a: 1\n");
        assert!(error.is_ok());
    }

    #[test]
    fn locates_nested_fields_and_list_items() {
        let text = "seed: 1\nnetwork:\n  root_stake_tao: -5\nevents:\n  - block: 1\n    tao: 3\n  - block: 2\n    tao: -1\n";
        assert_eq!(locate(text, "network.root_stake_tao"), Some((3, 3)));
        assert_eq!(locate(text, "events[1].tao"), Some((8, 5)));
        assert_eq!(locate(text, "seed"), Some((1, 1)));
        assert_eq!(locate(text, "nothing"), None);
        // Not written: the deepest part that is (a list item at its first key).
        assert_eq!(locate(text, "events[1].name"), Some((7, 5)));
        assert_eq!(locate(text, "network.absent"), Some((2, 1)));
        let flow = "schedules:\n  - native\n  - {name: x, start_day: -3}\n";
        assert_eq!(locate(flow, "schedules[1].start_day"), Some((3, 15)));
        // Flow mappings on the line of their key, at any depth.
        let inline =
            "network: {tao_weight: 2, hype_sigma: 9}\nmarket:\n  pool: {median: 1, sigma: 5}\n";
        assert_eq!(locate(inline, "network.hype_sigma"), Some((1, 26)));
        assert_eq!(locate(inline, "network.tao_weight"), Some((1, 11)));
        assert_eq!(locate(inline, "market.pool.sigma"), Some((3, 21)));
        assert_eq!(locate(inline, "market.pool"), Some((3, 3)));
    }
}
