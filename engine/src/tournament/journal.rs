//! The journal: rows appended (one line each) and flushed to disk as each match finishes, so
//! that a crash or `kill -9` loses nothing already computed, and `--resume` replays nothing.
//!
//! Format (`journal.jsonl`), one record per line:
//!
//! ```text
//! {"fingerprint":"<hex>","journal":2}\t<fnv1a-64 of the JSON, 16 hex digits>
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
//! - Matches are appended as they finish, so with several jobs the lines come in completion
//!   order, and a resume appends after whatever a kill left (torn lines, replays). Once the raw
//!   table has been written, the journal is put in plan order ([`Rewrite`], the same way: a new
//!   file beside it, synced, renamed over it): the header, then each complete match's lines in
//!   plan order, damaged lines and second copies left out. Its bytes then depend only on the
//!   matches it holds, not on `--jobs`, kills, resumes or shards, as the project's determinism
//!   rule asks of every output file; and it is still a journal a `--resume` reads.

use super::rows::RawRow;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

/// The journal format's version, in the header line.
const FORMAT: u32 = 2;

/// FNV-1a, 64 bits: a small checksum that detects torn and altered lines (not an adversary's
/// edits — the journal is not a security boundary).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    tourney_sdk::abi::fnv1a64(bytes, tourney_sdk::abi::FNV1A64_OFFSET)
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

/// Where a new journal is written before it is renamed over `path`.
fn aside(path: &Path) -> PathBuf {
    path.with_extension("jsonl.tmp")
}

/// Rename the synced file `tmp` over `path`, and sync the directory so that the rename itself
/// is durable.
fn rename_over(tmp: &Path, path: &Path) -> std::io::Result<()> {
    std::fs::rename(tmp, path)?;
    if let Some(dir) = path.parent() {
        // Not every platform can open a directory.
        if let Ok(d) = File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }) {
            let _ = d.sync_all();
        }
    }
    Ok(())
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
        let tmp = aside(path);
        {
            let mut f = std::io::BufWriter::new(File::create(&tmp)?);
            f.write_all(line_of(&header_json(fingerprint)).as_bytes())?;
            for r in rows {
                let json = serde_json::to_string(&r?).map_err(std::io::Error::other)?;
                f.write_all(line_of(&json).as_bytes())?;
            }
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        rename_over(&tmp, path)?;
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

/// Where one row's line starts in the journal file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RowAt {
    pub match_index: u32,
    pub slot: u32,
    pub offset: u64,
}

/// Where one complete match lies in the journal: its rows are consecutive lines from `start`
/// (slot 0 first), or, where `start` is [`SCATTERED`], they are listed in
/// [`Index::scattered`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MatchAt {
    pub match_index: u32,
    pub start: u64,
}

/// [`MatchAt::start`] of a match whose rows are not consecutive lines.
pub const SCATTERED: u64 = u64::MAX;

/// What a journal holds, without its rows: the header, the count of dropped lines, and where
/// each complete match lies, in plan order. A match is appended in one write, so its rows are
/// consecutive lines and one offset finds them all: 16 bytes a match, whatever its rows hold
/// and however many it has, so that a resume, a merge and the raw table of a million matches
/// read the journal in one pass and then the rows a match at a time ([`Rows`]).
///
/// Which copy is kept when a match stands more than once (a replay after damage): the first
/// complete copy in consecutive lines; a match with none (its copies torn) is put together
/// from the first intact line of each slot. A replay gives the same rows, so the choice
/// changes nothing but where they are read from.
#[derive(Debug, Default)]
pub struct Index {
    pub fingerprint: Option<String>,
    pub dropped_lines: usize,
    pub exists: bool,
    /// Whether the file is exactly what [`Rewrite`] would write: its header, then each complete
    /// match's lines once, in plan order, and nothing else.
    in_plan_order: bool,
    rows_per_match: usize,
    /// Every complete match, ascending.
    matches: Vec<MatchAt>,
    /// The rows of the [`SCATTERED`] matches, sorted by (match, slot), `rows_per_match` each.
    scattered: Vec<RowAt>,
}

impl Index {
    /// The complete matches, ascending.
    pub fn matches(&self) -> impl Iterator<Item = u32> + '_ {
        self.matches.iter().map(|m| m.match_index)
    }

    /// How many complete matches the journal holds.
    pub fn len(&self) -> usize {
        self.matches.len()
    }

    pub fn is_empty(&self) -> bool {
        self.matches.is_empty()
    }

    /// Where match `match_index` lies, if the journal has a complete copy of it.
    pub fn locate(&self, match_index: u32) -> Option<MatchAt> {
        let k = self
            .matches
            .binary_search_by_key(&match_index, |m| m.match_index)
            .ok()?;
        Some(self.matches[k])
    }

    /// Whether the journal is already in plan order (its header, each complete match's lines
    /// once in plan order, nothing else), so that [`Rewrite`] has nothing to do: a run of one
    /// job, a merge, a resume of a journal already rewritten.
    pub fn in_plan_order(&self) -> bool {
        self.fingerprint.is_some() && self.in_plan_order
    }

    /// Whether match `match_index` is complete in the journal.
    pub fn has(&self, match_index: u32) -> bool {
        self.locate(match_index).is_some()
    }

    /// The rows of a [`SCATTERED`] match, in slot order.
    fn scattered_rows(&self, match_index: u32) -> &[RowAt] {
        let start = self
            .scattered
            .partition_point(|r| r.match_index < match_index);
        let end = self
            .scattered
            .partition_point(|r| r.match_index <= match_index);
        &self.scattered[start..end]
    }
}

/// The consecutive row lines of one match being read, slot 0 first: complete when it holds
/// `rows_per_match` of them, else its rows are kept one by one.
struct Run {
    rows: Vec<RowAt>,
}

impl Run {
    /// Whether the row at `at` continues the run (the next slot of its match, on the next line).
    fn continued_by(&self, at: &RowAt) -> bool {
        self.rows
            .last()
            .is_some_and(|last| last.match_index == at.match_index && last.slot + 1 == at.slot)
    }

    /// Ends the run: its rows join the loose ones.
    fn break_into(&mut self, loose: &mut Vec<RowAt>) {
        loose.append(&mut self.rows);
    }
}

/// Index a journal in one streaming pass (a line at a time): every complete match, found as
/// `rows_per_match` consecutive intact lines of slots 0, 1, … or else assembled from the first
/// intact line of each of its slots. A damaged line is dropped and counted, and so is any
/// match with fewer than `rows_per_match` rows.
pub fn index(path: &Path, rows_per_match: usize) -> std::io::Result<Index> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Index::default()),
        Err(e) => return Err(e),
    };
    let mut reader = std::io::BufReader::new(file);
    let mut out = Index {
        exists: true,
        in_plan_order: true,
        rows_per_match,
        ..Index::default()
    };
    let mut run = Run {
        rows: Vec::with_capacity(rows_per_match),
    };
    let mut loose = Vec::new();
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
        // A last line without its newline, or an empty line: not what a rewrite writes.
        if text.len() == line.len() || text.is_empty() {
            out.in_plan_order = false;
        }
        let row = if text.is_empty() {
            None
        } else if let Some(json) = checked(text) {
            if first {
                let header: Option<serde_json::Value> = serde_json::from_str(json).ok();
                match header.as_ref().and_then(|h| h["fingerprint"].as_str()) {
                    Some(f) if header.as_ref().is_some_and(|h| h["journal"] == FORMAT) => {
                        out.in_plan_order &= json == header_json(f);
                        out.fingerprint = Some(f.to_string());
                    }
                    _ => out.dropped_lines += 1,
                }
                None
            } else {
                match serde_json::from_str::<RawRow>(json) {
                    Ok(row) => Some(RowAt {
                        match_index: row.match_index,
                        slot: row.slot,
                        offset: at,
                    }),
                    Err(_) => {
                        out.dropped_lines += 1;
                        None
                    }
                }
            }
        } else {
            out.dropped_lines += 1;
            None
        };
        // Any line that is not the next row of the run ends it.
        let Some(row) = row else {
            run.break_into(&mut loose);
            continue;
        };
        if !run.continued_by(&row) {
            run.break_into(&mut loose);
            if row.slot != 0 {
                loose.push(row);
                continue;
            }
        }
        run.rows.push(row);
        if run.rows.len() == rows_per_match {
            // A second copy, or a match after a later one: not in plan order.
            if out
                .matches
                .last()
                .is_some_and(|last| last.match_index >= row.match_index)
            {
                out.in_plan_order = false;
            }
            out.matches.push(MatchAt {
                match_index: row.match_index,
                start: run.rows[0].offset,
            });
            run.rows.clear();
        }
    }
    run.break_into(&mut loose);
    // A damaged line, or a row outside a complete match's consecutive lines: not in plan order.
    out.in_plan_order &= out.dropped_lines == 0 && loose.is_empty();
    // The first consecutive copy of each match wins: copies sort by (match, offset).
    out.matches.sort_unstable();
    out.matches.dedup_by_key(|m| m.match_index);
    // The loose rows of matches without such a copy: the first intact line of each
    // (match, slot), complete matches only.
    loose.retain(|r| !out.has(r.match_index));
    loose.sort_unstable();
    loose.dedup_by_key(|r| (r.match_index, r.slot));
    let mut start = 0;
    while start < loose.len() {
        let m = loose[start].match_index;
        let end = start + loose[start..].partition_point(|r| r.match_index == m);
        if end - start == rows_per_match {
            out.scattered.extend_from_slice(&loose[start..end]);
            out.matches.push(MatchAt {
                match_index: m,
                start: SCATTERED,
            });
        }
        start = end;
    }
    out.matches.sort_unstable();
    Ok(out)
}

/// Reads indexed rows back from a journal, a match at a time.
pub struct Rows {
    reader: std::io::BufReader<File>,
    line: Vec<u8>,
    /// Where the reader stands in the file: matches read in plan order mostly follow each
    /// other in the journal, and a move within the buffer keeps it (a seek would drop it and
    /// read the next 8 KB again for every match).
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

    /// Appends the rows of match `match_index` to `out`, in slot order; false (and nothing
    /// appended) when `index` has no complete copy of it.
    pub fn read_match(
        &mut self,
        index: &Index,
        match_index: u32,
        out: &mut Vec<RawRow>,
    ) -> std::io::Result<bool> {
        self.read_match_and_lines(index, match_index, out, None)
    }

    /// [`Rows::read_match`], also appending the match's lines to `lines` as they stand in the
    /// file (checksums included, each ending with a newline): what [`Rewrite::copy`] takes.
    pub fn read_match_lines(
        &mut self,
        index: &Index,
        match_index: u32,
        out: &mut Vec<RawRow>,
        lines: &mut Vec<u8>,
    ) -> std::io::Result<bool> {
        self.read_match_and_lines(index, match_index, out, Some(lines))
    }

    fn read_match_and_lines(
        &mut self,
        index: &Index,
        match_index: u32,
        out: &mut Vec<RawRow>,
        mut lines: Option<&mut Vec<u8>>,
    ) -> std::io::Result<bool> {
        let Some(at) = index.locate(match_index) else {
            return Ok(false);
        };
        if at.start == SCATTERED {
            for row in index.scattered_rows(match_index) {
                let read =
                    self.read_line(row.offset, match_index, row.slot, lines.as_deref_mut())?;
                out.push(read);
            }
        } else {
            let mut offset = at.start;
            for slot in 0..index.rows_per_match as u32 {
                out.push(self.read_line(offset, match_index, slot, lines.as_deref_mut())?);
                offset = self.position;
            }
        }
        Ok(true)
    }

    /// The row whose line starts at `offset`, which must be slot `slot` of match
    /// `match_index`; its line (with a newline) appended to `copy` when given.
    fn read_line(
        &mut self,
        offset: u64,
        match_index: u32,
        slot: u32,
        copy: Option<&mut Vec<u8>>,
    ) -> std::io::Result<RawRow> {
        let moved = i64::try_from(offset).map_err(std::io::Error::other)?
            - i64::try_from(self.position).map_err(std::io::Error::other)?;
        self.reader.seek_relative(moved)?;
        self.line.clear();
        let read = self.reader.read_until(b'\n', &mut self.line)?;
        self.position = offset + read as u64;
        let text = self.line.strip_suffix(b"\n").unwrap_or(&self.line);
        let damaged = || {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the journal changed while being read (match {match_index}, slot {slot})"),
            )
        };
        let json = checked(text).ok_or_else(damaged)?;
        let row: RawRow = serde_json::from_str(json).map_err(|_| damaged())?;
        if (row.match_index, row.slot) != (match_index, slot) {
            return Err(damaged());
        }
        if let Some(copy) = copy {
            copy.extend_from_slice(text);
            copy.push(b'\n');
        }
        Ok(row)
    }
}

/// A journal put in plan order: its header, then each complete match of its [`Index`] in plan
/// order, each match's lines copied as they stand (checksums included), and nothing else —
/// damaged lines, torn matches and second copies left out. The caller reads the matches back in
/// plan order anyway (for the raw table) and hands each one's lines to [`Rewrite::copy`], so the
/// journal is read once, a match at a time, whatever its size.
///
/// Crash safety is kept: the journal is never rewritten in place. The new one is written beside
/// it (`journal.jsonl.tmp`), synced ([`Rewrite::write_aside`]), then renamed over it and the
/// directory synced ([`Rewrite::commit`]): at every instant a complete journal stands at its
/// path, the old one or the new one, which hold the same complete matches. A kill before the
/// rename leaves the old journal (and a `.tmp` that the next rewrite or fresh run overwrites);
/// a resume reads either as it reads any journal. Nothing is written when the journal already
/// is in plan order ([`Index::in_plan_order`]).
pub struct Rewrite<'a> {
    path: PathBuf,
    tmp: PathBuf,
    index: &'a Index,
    /// The new journal being written; `None` when none is needed or once it is synced.
    file: Option<std::io::BufWriter<File>>,
    needed: bool,
    /// Matches of `index` copied so far.
    copied: usize,
    renamed: bool,
}

impl<'a> Rewrite<'a> {
    /// Start putting the journal at `path`, indexed as `index`, in plan order: its header is
    /// written aside, unless the journal already is in plan order (then a `.tmp` an earlier
    /// kill left is removed).
    pub fn begin(path: &Path, index: &'a Index) -> std::io::Result<Rewrite<'a>> {
        let tmp = aside(path);
        let needed = !index.in_plan_order();
        let file = if needed {
            let fingerprint = index.fingerprint.as_deref().ok_or_else(|| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the journal has no valid header to rewrite it with",
                )
            })?;
            let mut f = std::io::BufWriter::new(File::create(&tmp)?);
            f.write_all(line_of(&header_json(fingerprint)).as_bytes())?;
            Some(f)
        } else {
            match std::fs::remove_file(&tmp) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
            None
        };
        Ok(Rewrite {
            path: path.to_path_buf(),
            tmp,
            index,
            file,
            needed,
            copied: 0,
            renamed: false,
        })
    }

    /// Whether the journal is rewritten (it is not already in plan order): when not, the
    /// caller need not read the lines of matches it does not want for itself.
    pub fn needed(&self) -> bool {
        self.needed
    }

    /// Copy the lines of match `match_index` ([`Rows::read_match_lines`]), which must be the
    /// index's next complete match in plan order. Nothing happens when no rewrite is needed.
    pub fn copy(&mut self, match_index: u32, lines: &[u8]) -> std::io::Result<()> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let expected = self.index.matches.get(self.copied).map(|m| m.match_index);
        if expected != Some(match_index) {
            return Err(std::io::Error::other(format!(
                "journal rewrite: match {match_index} given where match {expected:?} comes in plan order"
            )));
        }
        file.write_all(lines)?;
        self.copied += 1;
        Ok(())
    }

    /// Flush and sync the new journal beside the old one, once every complete match has been
    /// copied (an error otherwise: the old journal stays, with nothing lost).
    pub fn write_aside(&mut self) -> std::io::Result<()> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        if self.copied != self.index.matches.len() {
            return Err(std::io::Error::other(format!(
                "journal rewrite: {} of {} matches copied",
                self.copied,
                self.index.matches.len()
            )));
        }
        file.into_inner().map_err(|e| e.into_error())?.sync_all()
    }

    /// [`Rewrite::write_aside`] if not done yet, then rename the new journal over the old one
    /// and sync the directory.
    pub fn commit(mut self) -> std::io::Result<()> {
        if !self.needed {
            return Ok(());
        }
        self.write_aside()?;
        rename_over(&self.tmp, &self.path)?;
        self.renamed = true;
        Ok(())
    }
}

impl Drop for Rewrite<'_> {
    /// A rewrite abandoned (an error before the rename) leaves no `.tmp` behind.
    fn drop(&mut self) {
        if self.needed && !self.renamed {
            self.file = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Read a journal: every row of every complete match (see [`index`]), in plan order. Holds
/// every row: for a few matches (adaptive stages, tests); [`index`] and [`Rows`] read any
/// number.
pub fn read(path: &Path, rows_per_match: usize) -> std::io::Result<Contents> {
    let index = index(path, rows_per_match)?;
    let mut rows = Vec::with_capacity(index.len() * rows_per_match);
    if !index.is_empty() {
        let mut reader = Rows::open(path)?;
        for m in index.matches() {
            reader.read_match(&index, m, &mut rows)?;
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
    fn the_index_points_at_each_match_in_plan_order_first_complete_copy_first() {
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
        let matches: Vec<u32> = index.matches().collect();
        // Match 1 is incomplete; 0 and 2 come out in plan order whatever the file order.
        assert_eq!(matches, vec![0, 2]);
        assert!(index.has(2) && !index.has(1));
        let mut rows = Rows::open(&path).unwrap();
        let mut read = Vec::new();
        for m in index.matches() {
            assert!(rows.read_match(&index, m, &mut read).unwrap());
        }
        assert!(!rows.read_match(&index, 1, &mut read).unwrap());
        let read: Vec<(u32, u32, f64)> = read
            .iter()
            .map(|r| (r.match_index, r.slot, r.profit_tao))
            .collect();
        // The first copy of match 0 (profit 1.5), not the replay's 9.0.
        assert_eq!(
            read,
            vec![(0, 0, 1.5), (0, 1, 1.5), (2, 0, 1.5), (2, 1, 1.5)]
        );
        // Each match found by the offset of its first line: 16 bytes a match in the index,
        // whatever its rows hold and however many they are.
        assert_eq!(std::mem::size_of::<MatchAt>(), 16);
        assert!(index.scattered.is_empty());
    }

    /// A match whose rows are not consecutive lines (a damaged line between them, or two
    /// writers' lines interleaved, as an edited or concatenated journal may have) is still
    /// found, from the first intact line of each slot; one with a slot missing is not.
    #[test]
    fn a_match_in_pieces_is_put_together_from_its_first_intact_lines() {
        let path = scratch("pieces");
        let mut j = Journal::create(&path, "f00d", &[row(1, 0)]).unwrap();
        drop(j);
        let line = |r: &RawRow| line_of(&serde_json::to_string(r).unwrap());
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("not a row\n");
        text.push_str(&line(&row(1, 1)));
        // Matches 3 and 4 interleaved; match 5 with slot 0 twice, the first copy kept.
        for r in [row(3, 0), row(4, 0), row(3, 1), row(4, 1), row(5, 0)] {
            text.push_str(&line(&r));
        }
        let mut replay = row(5, 0);
        replay.profit_tao = 9.0;
        text.push_str(&line(&replay));
        text.push_str("torn\n");
        text.push_str(&line(&row(5, 1)));
        // Match 6: slot 1 only.
        text.push_str(&line(&row(6, 1)));
        std::fs::write(&path, text).unwrap();
        j = Journal::append_to(&path).unwrap();
        // Match 7 appended whole: consecutive lines.
        j.append(&[row(7, 0), row(7, 1)]).unwrap();
        drop(j);
        let index = index(&path, 2).unwrap();
        assert_eq!(index.dropped_lines, 2);
        assert_eq!(index.matches().collect::<Vec<_>>(), vec![1, 3, 4, 5, 7]);
        assert_eq!(index.locate(7).map(|m| m.start == SCATTERED), Some(false));
        assert_eq!(index.locate(5).map(|m| m.start == SCATTERED), Some(true));
        let c = read(&path, 2).unwrap();
        let read: Vec<(u32, u32, f64)> = c
            .rows
            .iter()
            .map(|r| (r.match_index, r.slot, r.profit_tao))
            .collect();
        let expected: Vec<(u32, u32, f64)> = [1, 3, 4, 5, 7]
            .iter()
            .flat_map(|&m| [(m, 0, 1.5), (m, 1, 1.5)])
            .collect();
        assert_eq!(read, expected);
    }

    /// Put the journal at `path` in plan order the way the raw table's pass does: every
    /// complete match read back in plan order, its lines copied.
    fn rewrite(path: &Path, rows_per_match: usize) -> Index {
        let index = index(path, rows_per_match).unwrap();
        let mut rewrite = Rewrite::begin(path, &index).unwrap();
        let mut reader = Rows::open(path).unwrap();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        for m in index.matches() {
            lines.clear();
            assert!(reader
                .read_match_lines(&index, m, &mut rows, &mut lines)
                .unwrap());
            rewrite.copy(m, &lines).unwrap();
        }
        rewrite.commit().unwrap();
        index
    }

    #[test]
    fn a_journal_in_completion_order_is_rewritten_in_plan_order() {
        let path = scratch("rewrite");
        // Completion order 2, 0 (two jobs); match 1 torn (one row of two), match 0 played again
        // after damage, a damaged line, and a torn last line.
        let mut j = Journal::create(&path, "f00d", &[row(2, 0), row(2, 1)]).unwrap();
        j.append(&[row(0, 0), row(0, 1)]).unwrap();
        j.append(&[row(1, 1)]).unwrap();
        j.append(&[row(0, 0), row(0, 1)]).unwrap();
        drop(j);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"not a row\n{\"tournament\":\"t\",\"match_ind");
        std::fs::write(&path, &bytes).unwrap();
        let before = rewrite(&path, 2);
        assert!(!before.in_plan_order());
        assert_eq!(before.dropped_lines, 2);
        // The very bytes of a journal that received matches 0 and 2 in plan order.
        let expected = scratch("rewrite-expected");
        let mut j = Journal::create(&expected, "f00d", &[row(0, 0), row(0, 1)]).unwrap();
        j.append(&[row(2, 0), row(2, 1)]).unwrap();
        drop(j);
        assert!(std::fs::read(&path).unwrap() == std::fs::read(&expected).unwrap());
        assert!(!aside(&path).exists());
        // Now in plan order: a second rewrite has nothing to do, and the file is unchanged.
        let after = index(&path, 2).unwrap();
        assert!(after.in_plan_order() && after.dropped_lines == 0);
        assert!(!Rewrite::begin(&path, &after).unwrap().needed());
        rewrite(&path, 2);
        assert!(std::fs::read(&path).unwrap() == std::fs::read(&expected).unwrap());
        // Still a journal: appended to (a resume) and read as before.
        let mut j = Journal::append_to(&path).unwrap();
        j.append(&[row(1, 0), row(1, 1)]).unwrap();
        let c = read(&path, 2).unwrap();
        assert_eq!(c.fingerprint.as_deref(), Some("f00d"));
        assert_eq!(c.rows.len(), 6);
    }

    /// What makes a journal not in plan order, each case alone: the rewrite would change it.
    #[test]
    fn only_a_journal_exactly_as_a_rewrite_writes_it_is_in_plan_order() {
        let path = scratch("order");
        let in_order = |setup: &dyn Fn(&mut Vec<u8>)| {
            let mut j = Journal::create(&path, "f00d", &[row(0, 0), row(0, 1)]).unwrap();
            j.append(&[row(3, 0), row(3, 1)]).unwrap();
            drop(j);
            let mut bytes = std::fs::read(&path).unwrap();
            setup(&mut bytes);
            std::fs::write(&path, &bytes).unwrap();
            index(&path, 2).unwrap().in_plan_order()
        };
        let line = |r: &RawRow| line_of(&serde_json::to_string(r).unwrap()).into_bytes();
        assert!(in_order(&|_| {}));
        // The last newline missing.
        assert!(!in_order(&|b| {
            b.pop();
        }));
        // An empty line.
        assert!(!in_order(&|b| b.push(b'\n')));
        // A match before the last one, a second copy, a torn match.
        assert!(!in_order(
            &|b| b.extend(line(&row(1, 0)).into_iter().chain(line(&row(1, 1))))
        ));
        assert!(!in_order(
            &|b| b.extend(line(&row(3, 0)).into_iter().chain(line(&row(3, 1))))
        ));
        assert!(!in_order(&|b| b.extend(line(&row(4, 0)))));
        // A later match in order: still in plan order.
        assert!(in_order(
            &|b| b.extend(line(&row(4, 0)).into_iter().chain(line(&row(4, 1))))
        ));
        // Slots out of order within a match (put together from its lines): not.
        assert!(!in_order(
            &|b| b.extend(line(&row(4, 1)).into_iter().chain(line(&row(4, 0))))
        ));
        // The header's JSON written otherwise (its checksum recomputed): not as a rewrite writes.
        assert!(!in_order(&|b| {
            let end = b.iter().position(|&c| c == b'\n').unwrap();
            let header = r#"{"journal":2, "fingerprint":"f00d"}"#;
            b.splice(..=end, line_of(header).into_bytes());
        }));
    }

    /// A rewrite not given every match, or given one out of order, fails and leaves the old
    /// journal as it was, with no `.tmp` beside it.
    #[test]
    fn an_incomplete_rewrite_replaces_nothing() {
        let path = scratch("incomplete");
        let mut j = Journal::create(&path, "f00d", &[row(2, 0), row(2, 1)]).unwrap();
        j.append(&[row(0, 0), row(0, 1)]).unwrap();
        drop(j);
        let before = std::fs::read(&path).unwrap();
        let index = index(&path, 2).unwrap();
        let mut reader = Rows::open(&path).unwrap();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        reader
            .read_match_lines(&index, 2, &mut rows, &mut lines)
            .unwrap();
        let mut rewrite = Rewrite::begin(&path, &index).unwrap();
        assert!(rewrite.needed() && aside(&path).exists());
        // Match 2 where match 0 comes first.
        assert!(rewrite.copy(2, &lines).is_err());
        lines.clear();
        reader
            .read_match_lines(&index, 0, &mut rows, &mut lines)
            .unwrap();
        rewrite.copy(0, &lines).unwrap();
        // Match 2 not copied.
        assert!(rewrite.commit().is_err());
        assert!(std::fs::read(&path).unwrap() == before);
        assert!(!aside(&path).exists());
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
