//! The journal: rows appended (one line each) and flushed to disk as each match finishes, so
//! that a crash or `kill -9` loses nothing already computed, and `--resume` replays nothing.
//!
//! Format (`journal.jsonl`), one record per line:
//!
//! ```text
//! {"journal":2,"fingerprint":"<hex>"}\t<fnv1a-64 of the JSON, 16 hex digits>
//! {<raw row as JSON>}\t<fnv1a-64 of the JSON>
//! …
//! ```
//!
//! - The first line names the tournament it belongs to (a fingerprint of the YAML and of every
//!   plugin build, computed by the CLI), so a resume or merge never mixes two tournaments.
//! - Every line carries a checksum, so a line damaged on disk — torn by a kill, or altered but
//!   still parseable — is detected and dropped instead of trusted. The count of dropped lines is
//!   reported.
//! - The file is read as bytes: a torn line may end inside a multi-byte character.
//! - The file is never rewritten in place: a new journal is written to a temporary file, synced
//!   and renamed over the old one; a resumed one is only appended to. A kill at any instant
//!   leaves either the old journal or the new one, never an empty or half-written one.

use super::rows::RawRow;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// The journal format's version, in the header line.
const FORMAT: u32 = 2;

/// FNV-1a, 64 bits: a small checksum that detects torn and altered lines (not an adversary's
/// edits — the journal is not a security boundary).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// One line: the JSON, a tab, its checksum, a newline.
fn line_of(json: &str) -> String {
    format!("{json}\t{:016x}\n", fnv1a64(json.as_bytes()))
}

/// The JSON of a line whose checksum holds, or `None` for a damaged line.
fn checked(line: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(line).ok()?;
    let (json, sum) = text.rsplit_once('\t')?;
    let sum = u64::from_str_radix(sum, 16).ok()?;
    (sum == fnv1a64(json.as_bytes()) && json.len() + 17 == text.len()).then_some(json)
}

fn header_json(fingerprint: &str) -> String {
    serde_json::json!({"journal": FORMAT, "fingerprint": fingerprint}).to_string()
}

/// An open journal.
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Start a new journal holding `rows`: written to `<path>.tmp`, synced, then renamed over
    /// `path` (and the directory synced), so a kill never leaves a partial file at `path`.
    pub fn create(path: &Path, fingerprint: &str, rows: &[RawRow]) -> std::io::Result<Journal> {
        Journal::create_from(path, fingerprint, rows.iter().cloned().map(Ok))
    }

    /// [`Journal::create`] from rows read one at a time (a merge streams them from the shards'
    /// journals instead of holding them all).
    pub fn create_from(
        path: &Path,
        fingerprint: &str,
        rows: impl IntoIterator<Item = std::io::Result<RawRow>>,
    ) -> std::io::Result<Journal> {
        let tmp = path.with_extension("jsonl.tmp");
        {
            let mut f = std::io::BufWriter::new(File::create(&tmp)?);
            f.write_all(line_of(&header_json(fingerprint)).as_bytes())?;
            for r in rows {
                let json = serde_json::to_string(&r?).map_err(std::io::Error::other)?;
                f.write_all(line_of(&json).as_bytes())?;
            }
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent() {
            // Make the rename itself durable; not every platform can open a directory.
            if let Ok(d) = File::open(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }) {
                let _ = d.sync_all();
            }
        }
        Journal::append_to(path)
    }

    /// Open an existing journal for appending, without touching what it holds. A torn last
    /// line (no newline) is closed with one, so the next record starts on a line of its own
    /// and the torn one stays a single damaged line.
    pub fn append_to(path: &Path) -> std::io::Result<Journal> {
        let mut file = OpenOptions::new().append(true).read(true).open(path)?;
        let len = file.metadata()?.len();
        if len > 0 {
            use std::io::{Seek, SeekFrom};
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
                file.sync_data()?;
            }
        }
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
            buf.push_str(&line_of(
                &serde_json::to_string(r).map_err(std::io::Error::other)?,
            ));
        }
        self.file.write_all(buf.as_bytes())?;
        self.file.sync_data()
    }
}

/// What a journal holds.
#[derive(Debug, Default)]
pub struct Contents {
    /// The tournament fingerprint of the header; `None` when the file has no valid header
    /// (absent, empty, or written by an older version).
    pub fingerprint: Option<String>,
    /// Every row of every complete match, each (match, slot) once.
    pub rows: Vec<RawRow>,
    /// Lines dropped: torn, altered (checksum mismatch) or unreadable.
    pub dropped_lines: usize,
    /// Whether the file exists.
    pub exists: bool,
}

/// Where one kept row's line starts in the journal file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowAt {
    pub match_index: u32,
    pub slot: u32,
    pub offset: u64,
}

/// What a journal holds, without its rows: the header, the count of dropped lines, and where
/// each kept row lies, sorted by (match, slot). 16 bytes a row instead of the row itself, so
/// that a resume, a merge and the raw table of a million matches read the journal in one pass
/// and then the rows one at a time ([`Rows`]), in plan order.
#[derive(Debug, Default)]
pub struct Index {
    pub fingerprint: Option<String>,
    /// Every row of every complete match, each (match, slot) once (the first intact line).
    pub rows: Vec<RowAt>,
    pub dropped_lines: usize,
    pub exists: bool,
}

impl Index {
    /// The complete matches, ascending, each with its rows in slot order.
    pub fn matches(&self) -> impl Iterator<Item = (u32, &[RowAt])> + '_ {
        self.rows
            .chunk_by(|a, b| a.match_index == b.match_index)
            .map(|rows| (rows[0].match_index, rows))
    }

    /// The rows of match `match_index` (empty when the journal has no complete copy of it).
    pub fn rows_of(&self, match_index: u32) -> &[RowAt] {
        let start = self.rows.partition_point(|r| r.match_index < match_index);
        let end = self.rows.partition_point(|r| r.match_index <= match_index);
        &self.rows[start..end]
    }

    /// Whether match `match_index` is complete in the journal.
    pub fn has(&self, match_index: u32) -> bool {
        !self.rows_of(match_index).is_empty()
    }
}

/// Index a journal in one streaming pass (a line at a time): every row whose line is intact; a
/// damaged line is dropped and counted, and so is any match with fewer than `rows_per_match`
/// rows.
pub fn index(path: &Path, rows_per_match: usize) -> std::io::Result<Index> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Index::default()),
        Err(e) => return Err(e),
    };
    let mut reader = std::io::BufReader::new(file);
    let mut out = Index {
        exists: true,
        ..Index::default()
    };
    let mut line = Vec::new();
    let (mut offset, mut n) = (0u64, 0usize);
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        let at = offset;
        offset += read as u64;
        let first = n == 0;
        n += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if text.is_empty() {
            continue;
        }
        let Some(json) = checked(text) else {
            out.dropped_lines += 1;
            continue;
        };
        if first {
            let header: Option<serde_json::Value> = serde_json::from_str(json).ok();
            match header.as_ref().and_then(|h| h["fingerprint"].as_str()) {
                Some(f) if header.as_ref().is_some_and(|h| h["journal"] == FORMAT) => {
                    out.fingerprint = Some(f.to_string());
                }
                _ => out.dropped_lines += 1,
            }
            continue;
        }
        match serde_json::from_str::<RawRow>(json) {
            Ok(row) => {
                out.rows.push(RowAt {
                    match_index: row.match_index,
                    slot: row.slot,
                    offset: at,
                });
            }
            Err(_) => out.dropped_lines += 1,
        }
    }
    // The first intact line of each (match, slot) wins: rows sort by (match, slot, offset), and
    // offsets grow through the file.
    out.rows.sort_unstable();
    out.rows.dedup_by_key(|r| (r.match_index, r.slot));
    // Keep complete matches only, compacting in place.
    let (mut keep, mut start) = (0, 0);
    while start < out.rows.len() {
        let m = out.rows[start].match_index;
        let end = start
            + out.rows[start..]
                .iter()
                .take_while(|r| r.match_index == m)
                .count();
        if end - start == rows_per_match {
            out.rows.copy_within(start..end, keep);
            keep += end - start;
        }
        start = end;
    }
    out.rows.truncate(keep);
    Ok(out)
}

/// Reads indexed rows back from a journal, one at a time.
pub struct Rows {
    reader: std::io::BufReader<File>,
    line: Vec<u8>,
    /// Where the reader stands in the file: rows read in plan order mostly follow each other
    /// in the journal, and a move within the buffer keeps it (a seek would drop it and read
    /// the next 8 KB again for every row).
    position: u64,
}

impl Rows {
    pub fn open(path: &Path) -> std::io::Result<Rows> {
        Ok(Rows {
            reader: std::io::BufReader::new(File::open(path)?),
            line: Vec::new(),
            position: 0,
        })
    }

    /// The row whose line starts at `at` (from an [`Index`] of this file).
    pub fn read(&mut self, at: &RowAt) -> std::io::Result<RawRow> {
        let moved = i64::try_from(at.offset).map_err(std::io::Error::other)?
            - i64::try_from(self.position).map_err(std::io::Error::other)?;
        self.reader.seek_relative(moved)?;
        self.line.clear();
        let read = self.reader.read_until(b'\n', &mut self.line)?;
        self.position = at.offset + read as u64;
        let text = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
        let damaged = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the journal changed while being read (match {}, slot {})",
                    at.match_index, at.slot
                ),
            )
        };
        let json = checked(text).ok_or_else(damaged)?;
        let row: RawRow = serde_json::from_str(json).map_err(|_| damaged())?;
        if (row.match_index, row.slot) != (at.match_index, at.slot) {
            return Err(damaged());
        }
        Ok(row)
    }
}

/// Read a journal: every row whose line is intact; a damaged line is dropped and counted, and
/// so is any match with fewer rows than `rows_per_match` says it should have. Holds every row:
/// for a few matches (adaptive stages, tests); [`index`] and [`Rows`] read any number.
pub fn read(path: &Path, rows_per_match: usize) -> std::io::Result<Contents> {
    let index = index(path, rows_per_match)?;
    let mut rows = Vec::with_capacity(index.rows.len());
    if !index.rows.is_empty() {
        let mut reader = Rows::open(path)?;
        for at in &index.rows {
            rows.push(reader.read(at)?);
        }
    }
    Ok(Contents {
        fingerprint: index.fingerprint,
        rows,
        dropped_lines: index.dropped_lines,
        exists: index.exists,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(match_index: u32, slot: u32) -> RawRow {
        RawRow {
            tournament: "t".into(),
            match_index,
            match_id: format!("m{match_index}"),
            format: "round-robin".into(),
            mechanism: "dtao-price".into(),
            schedule: "native".into(),
            seed: 7,
            entrant: "a".into(),
            opponent: "b".into(),
            slot,
            status: "ok".into(),
            profit_tao: 1.5,
            ..RawRow::default()
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("journal-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("journal.jsonl")
    }

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        // FNV-1a 64 test vectors (Fowler/Noll/Vo): "" → offset basis, "a" → af63dc4c8601ec8c.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn damaged_lines_are_dropped_and_counted() {
        let path = scratch("damaged");
        let mut j = Journal::create(&path, "f00d", &[row(0, 0), row(0, 1)]).unwrap();
        j.append(&[row(1, 0), row(1, 1)]).unwrap();
        j.append(&[row(2, 0), row(2, 1)]).unwrap();
        drop(j);
        let text = std::fs::read_to_string(&path).unwrap();
        // Alter a digit of match 1's profit: still valid JSON, but the checksum no longer holds.
        let altered = text.replacen("1.5", "9.5", 4);
        let mut bytes = altered.into_bytes();
        // A tear inside a two-byte character: not UTF-8.
        bytes.extend_from_slice(b"{\"tournament\":\"\xc3");
        std::fs::write(&path, &bytes).unwrap();
        let c = read(&path, 2).unwrap();
        assert_eq!(c.fingerprint.as_deref(), Some("f00d"));
        // Lines 2-5 (matches 0 and 1) altered: 4 dropped, plus the torn line: 5. Match 2 stays.
        assert_eq!(c.dropped_lines, 5);
        let kept: Vec<(u32, u32)> = c.rows.iter().map(|r| (r.match_index, r.slot)).collect();
        assert_eq!(kept, vec![(2, 0), (2, 1)]);
        // Appending after a tear starts a fresh line: the torn one stays one dropped line.
        let mut j = Journal::append_to(&path).unwrap();
        j.append(&[row(3, 0), row(3, 1)]).unwrap();
        let c = read(&path, 2).unwrap();
        assert_eq!(c.dropped_lines, 5);
        assert_eq!(c.rows.len(), 4);
    }

    #[test]
    fn the_index_points_at_each_match_in_plan_order_first_intact_copy_first() {
        let path = scratch("index");
        // Completion order 2, 0, 1 (two jobs), then match 0 again (a replay after damage).
        let mut j = Journal::create(&path, "f00d", &[row(2, 0), row(2, 1)]).unwrap();
        j.append(&[row(0, 0), row(0, 1)]).unwrap();
        j.append(&[row(1, 1)]).unwrap(); // torn match: one of two rows
        let mut again = row(0, 0);
        again.profit_tao = 9.0; // a later copy of (0, 0): not the one kept
        j.append(&[again, row(0, 1)]).unwrap();
        drop(j);
        let index = index(&path, 2).unwrap();
        let matches: Vec<u32> = index.matches().map(|(m, _)| m).collect();
        // Match 1 is incomplete; 0 and 2 come out in plan order whatever the file order.
        assert_eq!(matches, vec![0, 2]);
        assert!(index.has(2) && !index.has(1));
        let mut rows = Rows::open(&path).unwrap();
        let read: Vec<(u32, u32, f64)> = index
            .rows
            .iter()
            .map(|at| rows.read(at).unwrap())
            .map(|r| (r.match_index, r.slot, r.profit_tao))
            .collect();
        // The first copy of (0, 0) (profit 1.5), not the replay's 9.0.
        assert_eq!(
            read,
            vec![(0, 0, 1.5), (0, 1, 1.5), (2, 0, 1.5), (2, 1, 1.5)]
        );
        // 16 bytes a row in the index, whatever the row holds.
        assert_eq!(std::mem::size_of::<RowAt>(), 16);
    }

    #[test]
    fn a_journal_without_a_header_has_no_fingerprint() {
        let path = scratch("headerless");
        std::fs::write(&path, "{\"x\":1}\n").unwrap();
        let c = read(&path, 2).unwrap();
        assert!(c.exists && c.fingerprint.is_none());
        assert_eq!(c.dropped_lines, 1);
    }
}
