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
    let text = read_input(path)?;
    let value = parse_yaml(path, &text)?;
    Ok((value, text))
}

/// Read an input file's text within the bounds (size, then nesting and bytes:
/// `input_limits`), a byte-order mark dropped. A file that cannot be read at all, or is too
/// large to read, is an error without a line; a text refused as read is located in it.
pub fn read_input(path: &Path) -> Result<String, InputError> {
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
    Ok(text)
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
        if let Some(said) = beyond_float(&message) {
            message = said;
        }
        let mut at = loc.as_ref().map(|l| (l.line(), l.column()));
        // serde finds a duplicate field when its mapping ends, and serde_yaml then points at
        // the mapping's start (1:1 for a top-level key): point at the second occurrence. An
        // unknown field inside a tagged enum (a simulate event) is placed at the enum's start
        // too (serde buffers it): point at the field.
        if let Some(field) = field_named(&message, &["duplicate field `", "duplicate parameter `"])
        {
            at = crate::yaml_locate::locate_second_key(text, &field).or(at);
        } else if let Some(field) = field_named(&message, &["unknown field `"]) {
            at = crate::yaml_locate::locate_key(text, &field).or(at);
        }
        InputError {
            file: path.to_path_buf(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            message,
        }
    })
}

/// serde_yaml reads a plain number beyond a float's range (`1e400`) as text, and refuses it
/// as "invalid type: string \"1e400\", expected f64": say what it is instead. `None` for any
/// other message, and for text that is no such number (`lots`, `inf`).
fn beyond_float(message: &str) -> Option<String> {
    const TEXT: &str = "invalid type: string \"";
    let at = message.find(TEXT)?;
    let (value, rest) = message[at + TEXT.len()..].split_once("\", expected f64")?;
    let x: f64 = value.parse().ok()?;
    (x.is_infinite() && value.contains(|c: char| c.is_ascii_digit())).then(|| {
        format!(
            "{}{value} is out of range for a float (its magnitude is at most about 1.8e308){rest}",
            &message[..at]
        )
    })
}

/// The field a message of one of `kinds` names (serde's "duplicate field `x`" and "unknown
/// field `x`", a strategy's "duplicate parameter `x`"), with the path serde_yaml puts before it
/// (`network: duplicate field `x`` names `network.x`).
fn field_named(message: &str, kinds: &[&str]) -> Option<String> {
    let (at, rest) = kinds.iter().find_map(|p| {
        let at = message.find(p)?;
        Some((at, &message[at + p.len()..]))
    })?;
    let key = &rest[..rest.find('`')?];
    let path = message[..at].trim_end().trim_end_matches(':');
    Some(if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    })
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
    fn a_number_beyond_a_float_is_said_to_be_out_of_range() {
        assert_eq!(
            beyond_float("events[0].tao: invalid type: string \"1e400\", expected f64").as_deref(),
            Some(
                "events[0].tao: 1e400 is out of range for a float (its magnitude is at most \
                 about 1.8e308)"
            )
        );
        assert_eq!(
            beyond_float("horizon_days: invalid type: string \"-2e999\", expected f64").as_deref(),
            Some(
                "horizon_days: -2e999 is out of range for a float (its magnitude is at most \
                 about 1.8e308)"
            )
        );
        for other in [
            "events[0].tao: invalid type: string \"lots\", expected f64",
            "events[0].tao: invalid type: string \"inf\", expected f64",
            "events[0].tao: invalid type: string \"1e5\", expected f64",
            "seed: invalid type: string \"1e400\", expected u64",
        ] {
            assert_eq!(beyond_float(other), None, "{other}");
        }
    }

    #[test]
    fn a_message_names_its_field_with_the_path_before_it() {
        let twice = ["duplicate field `", "duplicate parameter `"];
        let duplicate = |m: &str| field_named(m, &twice);
        assert_eq!(duplicate("duplicate field `seed`").as_deref(), Some("seed"));
        assert_eq!(
            duplicate("network: duplicate field `n`").as_deref(),
            Some("network.n")
        );
        assert_eq!(
            duplicate("entrants[0].params: duplicate parameter `x`: give each once").as_deref(),
            Some("entrants[0].params.x")
        );
        assert_eq!(duplicate("unknown field `x`"), None);
        let unknown = field_named(
            "events[0]: unknown field `extra`, expected `tao`",
            &["unknown field `"],
        );
        assert_eq!(unknown.as_deref(), Some("events[0].extra"));
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
