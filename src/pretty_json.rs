//! Pretty JSON (as `serde_json::to_string_pretty` prints it) with one top-level array written
//! an entry at a time: the manifest's `match_seeds` has an entry per match, and a plan of a
//! million matches should not be one JSON value in memory to be printed.

use serde_json::Value;
use std::io::Write;

/// Where the streamed array goes: a string no caller's data holds (it has NUL characters).
pub const ARRAY_HERE: &str = "\u{0}array\u{0}";

/// Write `value` pretty-printed, with the field that holds [`ARRAY_HERE`] (a top-level field)
/// replaced by an array of `entries`: byte for byte what `to_string_pretty` prints for the
/// value with the array in place.
pub fn write_with_array(
    out: &mut impl Write,
    value: &Value,
    entries: impl IntoIterator<Item = std::io::Result<Value>>,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    let quoted = serde_json::to_string(ARRAY_HERE).map_err(std::io::Error::other)?;
    let Some((before, after)) = text.split_once(&quoted) else {
        return out.write_all(text.as_bytes());
    };
    out.write_all(before.as_bytes())?;
    let mut entries = entries.into_iter().peekable();
    if entries.peek().is_none() {
        out.write_all(b"[]")?;
    } else {
        // A top-level field's array: its entries at two levels of indentation (4 spaces).
        out.write_all(b"[")?;
        for (k, entry) in entries.enumerate() {
            let pretty = serde_json::to_string_pretty(&entry?).map_err(std::io::Error::other)?;
            out.write_all(if k == 0 { b"\n" } else { b",\n" })?;
            for (n, line) in pretty.lines().enumerate() {
                if n > 0 {
                    out.write_all(b"\n")?;
                }
                out.write_all(b"    ")?;
                out.write_all(line.as_bytes())?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(after.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_streamed_array_prints_as_the_whole_value_would() {
        for n in [0usize, 1, 3] {
            let entries: Vec<Value> = (0..n)
                .map(|i| json!({"index": i, "id": format!("m \"{i}\"\n"), "nested": {"a": [1, 2]}}))
                .collect();
            let whole = json!({"a": 1, "list": entries.clone(), "z": {"b": [true]}});
            let mut with_placeholder = whole.clone();
            with_placeholder["list"] = ARRAY_HERE.into();
            let mut out = Vec::new();
            write_with_array(&mut out, &with_placeholder, entries.into_iter().map(Ok)).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&whole).unwrap(),
                "{n} entries"
            );
        }
    }
}
