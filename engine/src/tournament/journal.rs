//! The journal: rows appended (one JSON line each) and flushed to disk as each match finishes,
//! so that a crash or `kill -9` loses nothing already computed, and `--resume` replays nothing.

use super::rows::RawRow;
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// An open journal.
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Open for appending (creating it); with `truncate`, start empty.
    pub fn open(path: &Path, truncate: bool) -> std::io::Result<Journal> {
        let file = OpenOptions::new()
            .create(true)
            .append(!truncate)
            .write(true)
            .truncate(truncate)
            .open(path)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one match's rows in a single write, then flush to disk.
    pub fn append(&mut self, rows: &[RawRow]) -> std::io::Result<()> {
        let mut buf = String::new();
        for r in rows {
            buf.push_str(&serde_json::to_string(r).map_err(std::io::Error::other)?);
            buf.push('\n');
        }
        self.file.write_all(buf.as_bytes())?;
        self.file.sync_data()
    }
}

/// Read a journal: every complete row; a torn last line (killed mid-write) is ignored, and so
/// is any match with fewer rows than `rows_per_match` says it should have.
pub fn read(
    path: &Path,
    rows_per_match: impl Fn(&RawRow) -> usize,
) -> std::io::Result<Vec<RawRow>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut by_match: BTreeMap<u32, Vec<RawRow>> = BTreeMap::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        if let Ok(row) = serde_json::from_str::<RawRow>(&line) {
            let rows = by_match.entry(row.match_index).or_default();
            if !rows.iter().any(|r| r.slot == row.slot) {
                rows.push(row);
            }
        }
    }
    Ok(by_match
        .into_values()
        .filter(|rows| rows.len() == rows_per_match(&rows[0]))
        .flatten()
        .collect())
}
