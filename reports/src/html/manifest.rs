//! The run's `manifest.json` as the report page needs it, read without holding it: the page
//! shows its fields and the first [`MAX_SEEDS_SHOWN`] match seeds, and quotes the whole file,
//! which at a million matches is ~150 MB. The file is parsed as a stream (the seeds past the
//! first few are counted and skipped), and quoted by copying it, escaped, straight into the
//! page file ([`write_escaped`]).

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;

/// Most match seeds listed on the page (all are in `manifest.json`).
pub const MAX_SEEDS_SHOWN: usize = 500;

/// The first [`MAX_SEEDS_SHOWN`] entries of a JSON array, and how many it holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FirstSeeds {
    pub shown: Vec<serde_json::Value>,
    pub count: usize,
}

impl<'de> Deserialize<'de> for FirstSeeds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<FirstSeeds, D::Error> {
        struct Seeds;
        impl<'de> Visitor<'de> for Seeds {
            type Value = FirstSeeds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of match seeds")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstSeeds, A::Error> {
                let mut out = FirstSeeds::default();
                while out.shown.len() < MAX_SEEDS_SHOWN {
                    match seq.next_element::<serde_json::Value>()? {
                        Some(v) => out.shown.push(v),
                        None => {
                            out.count = out.shown.len();
                            return Ok(out);
                        }
                    }
                }
                out.count = out.shown.len();
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    out.count += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Seeds)
    }
}

#[derive(Deserialize)]
struct Parsed {
    #[serde(default)]
    match_seeds: Option<FirstSeeds>,
    #[serde(flatten)]
    fields: serde_json::Map<String, serde_json::Value>,
}

/// The manifest's fields, with `match_seeds` cut to its first entries (and their count), or
/// `None` when the file is absent or not a JSON object.
pub fn read(path: &Path) -> Option<(serde_json::Value, Option<usize>)> {
    let file = File::open(path).ok()?;
    let parsed: Parsed = serde_json::from_reader(BufReader::new(file)).ok()?;
    let mut fields = parsed.fields;
    let count = parsed.match_seeds.map(|s| {
        fields.insert("match_seeds".into(), serde_json::Value::Array(s.shown));
        s.count
    });
    Some((serde_json::Value::Object(fields), count))
}

/// Whether `path` is a readable UTF-8 text file (what the page quotes), read in pieces.
pub fn is_text(path: &Path) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = 0usize;
    loop {
        let n = match file.read(&mut buf[carry..]) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return carry == 0;
        }
        let filled = carry + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => carry = 0,
            // An incomplete character at the end: keep it for the next read.
            Err(e) if e.error_len().is_none() => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carry = filled - valid;
            }
            Err(_) => return false,
        }
    }
}

/// Copy `path` into `out` escaped for HTML text, as [`super::esc`] escapes it (the characters
/// it escapes are ASCII, so escaping bytes is escaping characters).
pub fn write_escaped(path: &Path, out: &mut impl Write) -> std::io::Result<()> {
    let mut file = BufReader::new(File::open(path)?);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        let mut start = 0;
        for (k, &b) in buf[..n].iter().enumerate() {
            let replacement: &[u8] = match b {
                b'&' => b"&amp;",
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'"' => b"&quot;",
                b'\'' => b"&#39;",
                _ => continue,
            };
            out.write_all(&buf[start..k])?;
            out.write_all(replacement)?;
            start = k + 1;
        }
        out.write_all(&buf[start..n])?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_past_the_shown_ones_are_counted_not_kept() {
        let dir = std::env::temp_dir().join(format!("manifest-seeds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("manifest.json");
        let seeds: Vec<String> = (0..MAX_SEEDS_SHOWN + 7)
            .map(|i| format!("{{\"id\": \"m{i}\", \"index\": {i}, \"seed\": {}}}", 2 * i))
            .collect();
        std::fs::write(
            &path,
            format!(
                "{{\"matches\": 507, \"match_seeds\": [{}]}}",
                seeds.join(",")
            ),
        )
        .unwrap();
        let (m, count) = read(&path).unwrap();
        // 500 shown + 7 more = 507 counted; the last shown is index 499.
        assert_eq!(count, Some(MAX_SEEDS_SHOWN + 7));
        let shown = m["match_seeds"].as_array().unwrap();
        assert_eq!(shown.len(), MAX_SEEDS_SHOWN);
        assert_eq!(shown[MAX_SEEDS_SHOWN - 1]["index"], 499);
        assert_eq!(m["matches"], 507);
    }

    #[test]
    fn escaping_a_file_is_escaping_its_text() {
        let dir = std::env::temp_dir().join(format!("manifest-esc-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("m.json");
        // Long enough to cross the 64 KiB read size, with a two-byte character at the seam.
        let mut text = "x".repeat((1 << 16) - 1);
        text.push_str("é <a href='x'>\"&\"</a> ü");
        std::fs::write(&path, &text).unwrap();
        let mut out = Vec::new();
        write_escaped(&path, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), super::super::esc(&text));
        assert!(is_text(&path));
        std::fs::write(&path, b"ok \xc3").unwrap();
        assert!(!is_text(&path));
    }
}
