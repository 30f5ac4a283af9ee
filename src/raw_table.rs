//! Writing the raw table (`raw.csv` and `raw.parquet`) a row at a time, in plan order, from the
//! journal: memory stays flat whatever the number of matches (one Parquet row group of
//! [`ROW_GROUP_ROWS`] rows at most, instead of every row, the whole CSV text and a DataFrame
//! of the table).
//!
//! The bytes do not depend on how the rows arrive: the CSV is the header and one line per row
//! (`rows::push_csv_line`); the Parquet file is polars' writer fed one DataFrame per row group,
//! each of [`ROW_GROUP_ROWS`] rows but the last. A table of at most that many rows is the very
//! file `ParquetWriter::finish` writes for the whole table at once.

use crate::tournament_io::raw_frame;
use polars::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tourney_engine::tournament::journal::{Index, Rewrite, Rows};
use tourney_engine::tournament::rows::{csv_header, push_csv_line, RawRow};

/// Rows per Parquet row group. Small enough that the rows buffered for one group (≈ 0.8 KB
/// each) weigh little next to the process (3.4 MB), large enough for good compression.
pub const ROW_GROUP_ROWS: usize = 4096;

/// Writes `raw.csv` and `raw.parquet` into a directory, row by row.
pub struct RawTableWriter {
    dir: PathBuf,
    csv: BufWriter<File>,
    line: String,
    parquet: polars::io::parquet::write::BatchedWriter<File>,
    group: Vec<RawRow>,
    /// Rows written, and rows whose status is not `ok`.
    pub rows: usize,
    pub not_ok: usize,
}

impl RawTableWriter {
    pub fn create(dir: &Path) -> Result<RawTableWriter, String> {
        let csv_path = dir.join("raw.csv");
        let mut csv = BufWriter::new(File::create(&csv_path).map_err(|e| format!("raw.csv: {e}"))?);
        csv.write_all(csv_header().as_bytes())
            .map_err(|e| format!("raw.csv: {e}"))?;
        let schema = raw_frame(&[])
            .map_err(|e| format!("raw table: {e}"))?
            .schema()
            .as_ref()
            .clone();
        let file =
            File::create(dir.join("raw.parquet")).map_err(|e| format!("raw.parquet: {e}"))?;
        let parquet = ParquetWriter::new(file)
            .batched(&schema)
            .map_err(|e| format!("raw.parquet: {e}"))?;
        Ok(RawTableWriter {
            dir: dir.to_path_buf(),
            csv,
            line: String::new(),
            parquet,
            group: Vec::with_capacity(ROW_GROUP_ROWS),
            rows: 0,
            not_ok: 0,
        })
    }

    /// Append one row (rows must come in the table's order: match index, then slot).
    pub fn push(&mut self, row: RawRow) -> Result<(), String> {
        self.line.clear();
        push_csv_line(&mut self.line, &row);
        self.csv
            .write_all(self.line.as_bytes())
            .map_err(|e| format!("raw.csv: {e}"))?;
        self.rows += 1;
        self.not_ok += usize::from(row.status != "ok");
        self.group.push(row);
        if self.group.len() == ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> Result<(), String> {
        if self.group.is_empty() {
            return Ok(());
        }
        let df = raw_frame(&self.group).map_err(|e| format!("raw table: {e}"))?;
        self.group.clear();
        self.parquet
            .write_batch(&df)
            .map_err(|e| format!("raw.parquet: {e}"))
    }

    /// Write the last row group and the Parquet footer, and flush the CSV.
    pub fn finish(mut self) -> Result<(usize, usize), String> {
        self.flush_group()?;
        self.parquet
            .finish()
            .map_err(|e| format!("raw.parquet: {e}"))?;
        self.csv
            .into_inner()
            .map_err(|e| format!("raw.csv: {}", e.error()))?
            .sync_all()
            .map_err(|e| format!("raw.csv in {}: {e}", self.dir.display()))?;
        Ok((self.rows, self.not_ok))
    }
}

/// Write the raw table of `matches` (ascending plan indices) from a journal's index: each
/// match's rows read back from `journal` in slot order. A match the journal has no complete
/// copy of is an error (its rows were appended when it finished, so the journal was damaged
/// since). Returns (rows, rows not ok).
///
/// The same pass puts the journal in plan order ([`Rewrite`]): every complete match it holds —
/// those of `matches` and any other (another shard's, resumed into this directory), which a
/// later `--resume` reuses — has its lines copied, in plan order, into a new journal that is
/// renamed over the old one once the table is written. So the journal, like the table, does
/// not depend on the order matches finished in (`--jobs`), on kills and resumes or on shards,
/// at the cost of writing it once more (it is read once either way), and only when it is not
/// in plan order already (one job, a merge, a second resume). On any error the old journal
/// stays as it was.
pub fn write_from_journal(
    dir: &Path,
    journal: &Path,
    index: &Index,
    matches: impl IntoIterator<Item = u32>,
) -> Result<(usize, usize), String> {
    let at = |e: std::io::Error| format!("{}: {e}", journal.display());
    let mut writer = RawTableWriter::create(dir)?;
    let mut reader = Rows::open(journal).map_err(at)?;
    let mut rewrite = Rewrite::begin(journal, index).map_err(at)?;
    let missing = |m: u32| {
        format!(
            "{}: match {m} is missing or damaged; run again with --resume to play it",
            journal.display()
        )
    };
    let mut wanted = matches.into_iter().peekable();
    let (mut rows, mut lines) = (Vec::new(), Vec::new());
    for m in index.matches() {
        if let Some(&w) = wanted.peek().filter(|&&w| w < m) {
            return Err(missing(w));
        }
        let chosen = wanted.next_if_eq(&m).is_some();
        if rewrite.needed() {
            lines.clear();
            reader
                .read_match_lines(index, m, &mut rows, &mut lines)
                .map_err(at)?;
            rewrite.copy(m, &lines).map_err(at)?;
        } else if chosen {
            reader.read_match(index, m, &mut rows).map_err(at)?;
        }
        if chosen {
            for row in rows.drain(..) {
                writer.push(row)?;
            }
        } else {
            rows.clear();
        }
    }
    if let Some(w) = wanted.next() {
        return Err(missing(w));
    }
    let counts = writer.finish()?;
    rewrite.write_aside().map_err(at)?;
    crate::test_hook::pause_at("journal-rewritten-aside");
    rewrite.commit().map_err(at)?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_engine::tournament::rows::to_csv;

    fn row(match_index: u32, slot: u32) -> RawRow {
        RawRow {
            tournament: "t".into(),
            match_index,
            match_id: format!("m,{match_index}"),
            format: "round-robin".into(),
            mechanism: "dtao-price".into(),
            schedule: "native".into(),
            repetition: match_index,
            seed: 7 + u64::from(match_index) * 1_000_003,
            entrant: format!("e{slot}"),
            opponent: format!("e{}", 1 - slot),
            slot,
            status: if match_index % 7 == 3 { "error" } else { "ok" }.into(),
            reason: if match_index % 7 == 3 {
                "a \"reason\""
            } else {
                ""
            }
            .into(),
            profit_tao: f64::from(match_index) * 0.1 - f64::from(slot),
            mark_to_market_tao: 1.0 / 3.0,
            roi: -0.25,
            initial_capital_tao: 1000.0,
            rejected_actions: slot,
            emission_total_tao: 7200.0,
            emission_value_share: 0.5,
            emission_meme_share: 0.25,
            emission_offtopic_share: 0.125,
            peak_meme_share: 0.3,
            // Text and value columns left empty and zero.
            ..RawRow::default()
        }
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("raw-table-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn written(dir: &Path, rows: &[RawRow]) -> (usize, usize) {
        let mut w = RawTableWriter::create(dir).unwrap();
        for r in rows {
            w.push(r.clone()).unwrap();
        }
        w.finish().unwrap()
    }

    /// The whole table at once, as `run` wrote it before rows were streamed.
    fn at_once(dir: &Path, rows: &[RawRow]) {
        std::fs::write(dir.join("raw.csv"), to_csv(rows)).unwrap();
        let mut df = raw_frame(rows).unwrap();
        let file = File::create(dir.join("raw.parquet")).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
    }

    #[test]
    fn a_table_of_one_row_group_is_the_file_written_at_once() {
        for n in [0u32, 1, 50] {
            let rows: Vec<RawRow> = (0..n).flat_map(|m| [row(m, 0), row(m, 1)]).collect();
            let (a, b) = (scratch(&format!("a{n}")), scratch(&format!("b{n}")));
            let (count, not_ok) = written(&a, &rows);
            at_once(&b, &rows);
            assert_eq!(count, rows.len());
            // Matches 3, 10, 17, … (index ≡ 3 mod 7) errored, 2 rows each: 0, 0 and 7 × 2 = 14.
            assert_eq!(
                not_ok,
                rows.iter().filter(|r| r.match_index % 7 == 3).count()
            );
            for f in ["raw.csv", "raw.parquet"] {
                assert!(
                    std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
                    "{f} differs with {n} matches"
                );
            }
        }
    }

    #[test]
    fn a_table_of_several_row_groups_holds_the_same_rows() {
        // 2,100 matches × 2 rows = 4,200 rows: one full row group of 4,096 and one of 104.
        let rows: Vec<RawRow> = (0..2100).flat_map(|m| [row(m, 0), row(m, 1)]).collect();
        let (a, b) = (scratch("big-a"), scratch("big-b"));
        written(&a, &rows);
        at_once(&b, &rows);
        assert!(
            std::fs::read(a.join("raw.csv")).unwrap() == std::fs::read(b.join("raw.csv")).unwrap()
        );
        let read = |dir: &Path| {
            ParquetReader::new(File::open(dir.join("raw.parquet")).unwrap())
                .finish()
                .unwrap()
        };
        let streamed = read(&a);
        assert_eq!(streamed.height(), 4200);
        assert!(streamed.equals_missing(&read(&b)));
        let groups = ParquetReader::new(File::open(a.join("raw.parquet")).unwrap())
            .get_metadata()
            .unwrap()
            .row_groups
            .iter()
            .map(|g| g.num_rows())
            .collect::<Vec<_>>();
        assert_eq!(groups, vec![ROW_GROUP_ROWS, 4200 - ROW_GROUP_ROWS]);
    }
}
