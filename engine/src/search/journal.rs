//! The search journal: one JSON line per finished evaluation, appended and fsynced as it
//! finishes, so a killed driver (`kill -9`, a lost login node) resumes without re-running a
//! finished point. The first line names the search it belongs to (a fingerprint of the search
//! file and everything it reads), and a journal of another search is refused rather than
//! silently mixed in. Every line ends with a newline, so what follows the last newline is a
//! torn write (the kill landed mid-write): ignored, and cut off on resume. A damaged complete
//! line is an error, since it means the file was edited.

use super::driver::Evaluation;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// One finished evaluation: which point (id and unit-cube coordinates), at how many
/// repetitions per profile, and what it gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub point: usize,
    pub coords: Vec<f64>,
    pub repetitions: u32,
    pub evaluation: Evaluation,
}

#[derive(Serialize, Deserialize)]
struct Header {
    search_journal: u32,
    fingerprint: String,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line}: not a search journal line ({reason})")]
    Damaged {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error(
        "{path}: this journal belongs to another search (fingerprint {found}, expected \
         {expected}); remove it or use another --out"
    )]
    OtherSearch {
        path: PathBuf,
        found: String,
        expected: String,
    },
}

/// An open journal: what it held when opened, and the file to append to.
pub struct Journal {
    path: PathBuf,
    file: File,
    entries: Vec<Entry>,
}

impl Journal {
    /// Open `path` for the search `fingerprint`. `resume`: keep and read what is there (a
    /// missing file is an empty journal; a torn last line is cut off); otherwise start afresh.
    pub fn open(path: &Path, fingerprint: &str, resume: bool) -> Result<Journal, JournalError> {
        let io = |source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        };
        let (entries, complete) = if resume && path.exists() {
            read_complete(path, fingerprint)?
        } else {
            (Vec::new(), 0)
        };
        let fresh = complete == 0;
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(fresh)
            .open(path)
            .map_err(io)?;
        if fresh {
            let header = Header {
                search_journal: 1,
                fingerprint: fingerprint.to_string(),
            };
            let line = serde_json::to_string(&header).expect("header serialises");
            writeln!(file, "{line}").map_err(io)?;
        } else {
            // Cut a torn last line off, and append after the last complete one.
            file.set_len(complete).map_err(io)?;
            file.seek(SeekFrom::End(0)).map_err(io)?;
        }
        file.sync_data().map_err(io)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
            entries,
        })
    }

    /// The entries the journal held when it was opened, in the order they were written.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The journalled evaluation of `point` at `repetitions`, if its coordinates match.
    pub fn find(&self, point: usize, coords: &[f64], repetitions: u32) -> Option<&Evaluation> {
        self.entries
            .iter()
            .find(|e| e.point == point && e.repetitions == repetitions && e.coords == coords)
            .map(|e| &e.evaluation)
    }

    /// Append one finished evaluation and put it on disk before returning.
    pub fn append(&mut self, entry: &Entry) -> Result<(), JournalError> {
        let io = |source| JournalError::Io {
            path: self.path.clone(),
            source,
        };
        let line = serde_json::to_string(entry).expect("entries serialise");
        writeln!(self.file, "{line}").map_err(io)?;
        self.file.sync_data().map_err(io)?;
        Ok(())
    }
}

/// Read a journal's entries, checking it belongs to `fingerprint`.
pub fn read(path: &Path, fingerprint: &str) -> Result<Vec<Entry>, JournalError> {
    Ok(read_complete(path, fingerprint)?.0)
}

/// The entries of the complete (newline-terminated) lines, and those lines' length in bytes
/// (0 when not even the header is complete). Whatever follows the last newline is a torn write.
fn read_complete(path: &Path, fingerprint: &str) -> Result<(Vec<Entry>, u64), JournalError> {
    let text = std::fs::read_to_string(path).map_err(|source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let complete = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let damaged = |line: usize, reason: String| JournalError::Damaged {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut lines = text[..complete].lines();
    let Some(first) = lines.next() else {
        return Ok((Vec::new(), 0));
    };
    let header: Header = serde_json::from_str(first).map_err(|e| damaged(1, e.to_string()))?;
    if header.fingerprint != fingerprint {
        return Err(JournalError::OtherSearch {
            path: path.to_path_buf(),
            found: header.fingerprint,
            expected: fingerprint.to_string(),
        });
    }
    let mut entries = Vec::new();
    for (k, line) in lines.enumerate() {
        let entry =
            serde_json::from_str::<Entry>(line).map_err(|e| damaged(k + 2, e.to_string()))?;
        entries.push(entry);
    }
    Ok((entries, complete as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::driver::Estimate;

    fn entry(point: usize, reps: u32, value: f64) -> Entry {
        Entry {
            point,
            coords: vec![0.1 * point as f64, 1.0 / 3.0],
            repetitions: reps,
            evaluation: Evaluation {
                objectives: vec![Estimate {
                    value,
                    lo: value - 0.1,
                    hi: f64::NAN,
                }],
                constraints: vec![0.75],
                matches: 12,
            },
        }
    }

    fn same(a: &Entry, b: &Entry) -> bool {
        // NaN round-trips as NaN (written as null), so compare through the JSON text.
        serde_json::to_string(a).unwrap() == serde_json::to_string(b).unwrap()
    }

    #[test]
    fn appended_entries_survive_reopen_and_a_torn_tail() {
        let dir = std::env::temp_dir().join(format!("search-journal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("journal.jsonl");
        let (a, b) = (entry(0, 2, 0.25), entry(3, 6, 1.0 / 7.0));
        {
            let mut j = Journal::open(&path, "fp1", false).unwrap();
            j.append(&a).unwrap();
            j.append(&b).unwrap();
        }
        // A kill mid-write leaves half a line.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"point\":4,\"coo").unwrap();
        drop(f);
        let mut j = Journal::open(&path, "fp1", true).unwrap();
        assert_eq!(j.entries().len(), 2);
        assert!(same(&j.entries()[0], &a) && same(&j.entries()[1], &b));
        assert!(j.find(3, &b.coords, 6).is_some());
        assert!(j.find(3, &b.coords, 2).is_none(), "other repetitions");
        assert!(j.find(3, &a.coords, 6).is_none(), "other coordinates");
        // Appending after the torn line starts a new line: the next open reads all three.
        let c = entry(5, 2, 0.5);
        j.append(&c).unwrap();
        drop(j);
        let entries = read(&path, "fp1").unwrap();
        assert_eq!(entries.len(), 3);
        assert!(same(&entries[2], &c));
        // Another search's journal is refused; a fresh open truncates.
        assert!(matches!(
            Journal::open(&path, "fp2", true),
            Err(JournalError::OtherSearch { .. })
        ));
        let j = Journal::open(&path, "fp2", false).unwrap();
        assert!(j.entries().is_empty());
        assert!(read(&path, "fp2").unwrap().is_empty());
        // A damaged complete line is an error naming its line.
        std::fs::write(
            &path,
            "{\"search_journal\":1,\"fingerprint\":\"f\"}\nnot json\n",
        )
        .unwrap();
        assert!(matches!(
            read(&path, "f"),
            Err(JournalError::Damaged { line: 2, .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
