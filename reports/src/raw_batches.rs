//! The raw table read a batch of rows at a time, only the columns a pass asks for, with the
//! types of the raw-table contract ([`crate::tables::RAW_COLUMNS`]), so that memory holds one
//! batch whatever the table's size.
//!
//! A `raw.parquet` is read one row group at a time with polars' eager Parquet reader: its
//! footer is parsed once, and each row group is decoded once per pass (a row group `tourney`
//! writes is 4,096 rows). A `raw.csv` alone is read [`BATCH_ROWS`] records at a time, each
//! batch parsed by polars as the whole file would be (a lazy scan sliced at an offset reads the
//! file up to the offset again: quadratic). A frame built in memory is read as slices of its
//! lazy frame, each slice its own query. (A lazy scan of the Parquet file sliced
//! per row group costs a query plan, a footer parse and a decoder set-up per slice: most of the
//! time of a pass that does little per row.)

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::io::parquet::read::ParallelStrategy;
use polars::prelude::*;

use crate::tables::{OPTIONAL_RAW_COLUMNS, RAW_COLUMNS};
use crate::ReportError;

/// Rows per batch of a source read in slices; a `tourney` raw table's row group.
pub const BATCH_ROWS: usize = 4096;

/// A Parquet row group longer than this is read in slices of this many rows (each slice decodes
/// its group's pages again, but memory holds only the slice).
const MAX_BATCH_ROWS: usize = 1 << 16;

/// A raw table that follows the contract, ready to be read in batches.
pub struct RawTable {
    /// The table as a lazy frame after [`crate::tables::select_raw`]: what the queries that
    /// want polars read (the role games, a sort of a table out of plan order).
    lazy: LazyFrame,
    parquet: Option<ParquetSource>,
    /// `raw.csv`, when the directory has no `raw.parquet`.
    csv: Option<PathBuf>,
    /// The table held in memory ([`RawTable::sorted_by_match`]).
    frame: Option<DataFrame>,
}

/// `raw.parquet`, its footer read once.
struct ParquetSource {
    path: PathBuf,
    metadata: Arc<polars::io::parquet::read::FileMetadata>,
    schema: Arc<ArrowSchema>,
}

impl RawTable {
    /// The raw table of a result directory: `raw.parquet` (preferred) or `raw.csv`.
    pub fn open(result_dir: &Path) -> Result<RawTable, ReportError> {
        let lazy = crate::tables::scan_raw(result_dir)?;
        let path = result_dir.join("raw.parquet");
        let parquet = if path.is_file() {
            let file = File::open(&path).map_err(|e| ReportError::io(&path, e))?;
            let mut reader = ParquetReader::new(file);
            let schema = reader.schema()?;
            let metadata = reader.get_metadata()?.clone();
            Some(ParquetSource {
                path,
                metadata,
                schema,
            })
        } else {
            None
        };
        let csv = result_dir.join("raw.csv");
        Ok(RawTable {
            lazy,
            csv: (parquet.is_none() && csv.is_file()).then_some(csv),
            parquet,
            frame: None,
        })
    }

    /// A lazy frame that already went through [`crate::tables::select_raw`].
    pub fn from_lazy(lazy: LazyFrame) -> RawTable {
        RawTable {
            lazy,
            parquet: None,
            csv: None,
            frame: None,
        }
    }

    /// The columns `columns` and `match_id` of the table sorted by `match_id` (stable: rows of a
    /// match keep their order), held in memory: for a table out of plan order, whose matches
    /// are told apart only once sorted (only tables from elsewhere take that path).
    pub fn sorted_by_match(&self, columns: &[&str]) -> Result<RawTable, ReportError> {
        let mut selected: Vec<Expr> = vec![col("match_id")];
        selected.extend(
            columns
                .iter()
                .filter(|c| **c != "match_id")
                .map(|c| col(*c)),
        );
        let frame = self
            .lazy
            .clone()
            .select(selected)
            .sort(
                ["match_id"],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .collect()?;
        Ok(RawTable {
            lazy: frame.clone().lazy(),
            parquet: None,
            csv: None,
            frame: Some(frame),
        })
    }

    /// The table as a lazy frame (contract columns and types).
    pub fn lazy(&self) -> &LazyFrame {
        &self.lazy
    }

    /// Feed `f` the rows of the table in order, a batch at a time, with the contract columns
    /// `columns` (in that order, with their contract types). `f` returns whether to go on.
    pub fn batches(
        &self,
        columns: &[&str],
        mut f: impl FnMut(&DataFrame) -> PolarsResult<bool>,
    ) -> Result<(), ReportError> {
        if let Some(frame) = &self.frame {
            return frame_batches(&frame.select(columns.iter().copied())?, f);
        }
        if let Some(path) = &self.csv {
            return csv_batches(path, columns, f);
        }
        let Some(source) = &self.parquet else {
            let selected = self
                .lazy
                .clone()
                .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>());
            return lazy_batches(selected, f);
        };
        let present: Vec<String> = columns
            .iter()
            .filter(|c| source.schema.contains(c))
            .map(|c| c.to_string())
            .collect();
        let mut offset = 0usize;
        for group in &source.metadata.row_groups {
            let end = offset + group.num_rows();
            while offset < end {
                let len = (end - offset).min(MAX_BATCH_ROWS);
                let file =
                    File::open(&source.path).map_err(|e| ReportError::io(&source.path, e))?;
                let mut reader = ParquetReader::new(file)
                    .with_columns(Some(present.clone()))
                    .with_slice(Some((offset, len)))
                    .read_parallel(ParallelStrategy::RowGroups);
                reader.set_metadata(source.metadata.clone());
                let read = reader.finish()?;
                offset += len;
                if !f(&contract_columns(&read, columns, len)?)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// The columns `names` of a batch read from a file, with the contract's types: what
/// [`crate::tables::select_raw`] does to the whole table (optional text columns absent from the
/// file are empty text, an absent `match_index` is null; a column of the contract absent from
/// the file cannot happen: [`RawTable::open`] checked them).
fn contract_columns(read: &DataFrame, names: &[&str], height: usize) -> PolarsResult<DataFrame> {
    let columns = names
        .iter()
        .map(|name| {
            let contract = RAW_COLUMNS
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.dtype());
            let optional = OPTIONAL_RAW_COLUMNS.contains(name);
            match (read.column(name).ok(), *name) {
                (Some(c), "match_index") => c.strict_cast(&DataType::UInt64),
                // A null reads as empty text, as `select_raw`'s `fill_null("")` makes it.
                (Some(c), _) if optional => c.strict_cast(&DataType::String),
                (Some(c), _) => match contract {
                    Some(t) => c.strict_cast(&t),
                    None => Ok(c.clone()),
                },
                (None, "match_index") => {
                    Ok(Column::full_null((*name).into(), height, &DataType::UInt64))
                }
                (None, _) if optional => {
                    Ok(StringChunked::full((*name).into(), "", height).into_column())
                }
                (None, _) => Err(polars_err!(ColumnNotFound: "{name}")),
            }
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(height, columns)
}

/// Feed `f` the rows of the CSV file `path`, [`BATCH_ROWS`] records at a time: each batch (the
/// header and its records) parsed with the types of [`crate::tables::scan_raw`] for the
/// contract's columns, then given their contract types by [`crate::tables::select_raw`].
fn csv_batches(
    path: &Path,
    columns: &[&str],
    mut f: impl FnMut(&DataFrame) -> PolarsResult<bool>,
) -> Result<(), ReportError> {
    use std::io::BufReader;
    let io = |e| ReportError::io(path, e);
    let mut reader = BufReader::new(File::open(path).map_err(io)?);
    let mut header = Vec::new();
    if !read_record(&mut reader, &mut header).map_err(io)? {
        return Ok(());
    }
    let types = Arc::new(crate::tables::csv_types());
    let source = path.to_string_lossy();
    let mut chunk = Vec::new();
    // Records read before this batch: where a bad value is, for its message.
    let mut before = 0usize;
    loop {
        chunk.clear();
        chunk.extend_from_slice(&header);
        let mut records = 0;
        while records < BATCH_ROWS && read_record(&mut reader, &mut chunk).map_err(io)? {
            records += 1;
        }
        if records == 0 {
            return Ok(());
        }
        // The columns outside the contract are read as text: a type inferred from one batch's
        // records could fail on the next one's.
        let parsed = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .with_schema_overwrite(Some(types.clone()))
            .into_reader_with_file_handle(std::io::Cursor::new(std::mem::take(&mut chunk)))
            .finish()
            .map_err(|e| {
                // Polars' own first sentence names the value and the column; the advice after
                // it is for its Python users.
                let text = e.to_string();
                let first = text.split("\n\n").next().unwrap_or(&text).trim();
                ReportError::Invalid(format!(
                    "{source}: not a raw table tourney wrote, in rows {}–{}: {first}",
                    before + 1,
                    before + records
                ))
            })?;
        before += records;
        let batch = crate::tables::select_raw(parsed.lazy(), &source)?
            .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
            .collect()?;
        if !f(&batch)? || records < BATCH_ROWS {
            return Ok(());
        }
    }
}

/// Append one CSV record of `reader` to `out`, up to and including the newline that ends it (a
/// newline inside quotes does not); false at the end of the file.
fn read_record(reader: &mut impl std::io::BufRead, out: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut quotes = 0usize;
    let mut read_any = false;
    loop {
        let start = out.len();
        if reader.read_until(b'\n', out)? == 0 {
            return Ok(read_any);
        }
        read_any = true;
        quotes += out[start..].iter().filter(|&&b| b == b'"').count();
        if quotes.is_multiple_of(2) {
            return Ok(true);
        }
    }
}

/// Feed `f` the rows of `lf` in order, [`BATCH_ROWS`] at a time: each batch is its own query,
/// a slice of the frame. (Polars' streaming engine, handing batches to a callback, decodes row
/// groups ahead of a slower consumer: at 100,000 matches it held 30 MB of them.) `f` returns
/// whether to go on.
pub fn lazy_batches(
    lf: LazyFrame,
    mut f: impl FnMut(&DataFrame) -> PolarsResult<bool>,
) -> Result<(), ReportError> {
    let mut offset = 0usize;
    loop {
        let df = lf
            .clone()
            .slice(offset as i64, BATCH_ROWS as IdxSize)
            .collect()?;
        offset += df.height();
        if df.height() == 0 || !f(&df)? || df.height() < BATCH_ROWS {
            return Ok(());
        }
    }
}

/// Feed `f` the rows of a frame held in memory, [`BATCH_ROWS`] at a time (zero-copy slices).
pub fn frame_batches(
    df: &DataFrame,
    mut f: impl FnMut(&DataFrame) -> PolarsResult<bool>,
) -> Result<(), ReportError> {
    let mut offset = 0usize;
    while offset < df.height() {
        let batch = df.slice(offset as i64, BATCH_ROWS);
        offset += batch.height();
        if !f(&batch)? {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::synthetic_raw;
    use crate::tables::{build_tables, build_tables_of, select_raw, Tables};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("raw-batches-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// `df` written as `dir/raw.parquet` in row groups of `group_rows`, opened as a raw table.
    fn written(name: &str, mut df: DataFrame, group_rows: usize) -> RawTable {
        let dir = scratch(name);
        let file = File::create(dir.join("raw.parquet")).unwrap();
        ParquetWriter::new(file)
            .with_row_group_size(Some(group_rows))
            .finish(&mut df)
            .unwrap();
        RawTable::open(&dir).unwrap()
    }

    /// The tables from the file read a row group at a time are those of the same rows held
    /// in memory (read as slices of a lazy frame), whatever the row groups and the row order:
    /// groups of 1,000 rows, of 4,097 (a match's two rows straddle two batches), one group
    /// larger than [`MAX_BATCH_ROWS`] (read in slices), rows shuffled without `match_index`
    /// (sorted by match first), and a `role` column with nulls (read as empty text).
    #[test]
    fn row_groups_give_the_tables_of_the_frame_in_memory() {
        let df = synthetic_raw(70_000, 5).unwrap();
        let n = df.height() as u32;
        // Compared as text: a NaN (no observation) equals itself there.
        let text = |t: Tables| format!("{t:?}");
        let tables_in_memory = |df: &DataFrame| {
            text(build_tables(select_raw(df.clone().lazy(), "test").unwrap(), 0.95).unwrap())
        };
        let expected = tables_in_memory(&df);
        // 8 entrants: 64 cells (self-play included) per mechanism (3) and schedule (2).
        let cells = build_tables(select_raw(df.clone().lazy(), "test").unwrap(), 0.95).unwrap();
        assert_eq!(cells.payoff.len(), 3 * 2 * 64);
        for (name, group_rows) in [("g1000", 1000), ("g4097", 4097), ("one", 70_000)] {
            let table = written(name, df.clone(), group_rows);
            assert_eq!(
                text(build_tables_of(&table, 0.95).unwrap()),
                expected,
                "{name}"
            );
        }
        // 7,919 is prime, so i ↦ 7,919·i mod n is a permutation of the rows.
        let order = IdxCa::from_vec(
            "order".into(),
            (0..n)
                .map(|i| (u64::from(i) * 7919 % u64::from(n)) as IdxSize)
                .collect(),
        );
        let shuffled = df.drop("match_index").unwrap().take(&order).unwrap();
        let table = written("shuffled", shuffled, 1000);
        assert_eq!(text(build_tables_of(&table, 0.95).unwrap()), expected);
        // Every seventh row a role (the rest null): the summary groups rows by role too.
        let roles: StringChunked = (0..n)
            .map(|i| (i % 7 == 0).then_some("r"))
            .collect::<StringChunked>()
            .with_name("role".into());
        let mut with_roles = df.clone();
        with_roles.with_column(roles.into_column()).unwrap();
        let expected = tables_in_memory(&with_roles);
        let table = written("roles", with_roles, 1000);
        assert_eq!(text(build_tables_of(&table, 0.95).unwrap()), expected);
    }

    /// A `raw.csv` alone is read a batch of records at a time and gives the tables of the same
    /// rows in memory, a record whose text holds quoted newlines and quotes included, and a
    /// column outside the contract whose type a batch's first records would mislead.
    #[test]
    fn a_csv_table_read_in_batches_gives_the_tables_of_the_frame_in_memory() {
        let mut df = synthetic_raw(10_000, 11).unwrap();
        let n = df.height() as u32;
        let reasons: StringChunked = (0..n)
            .map(|i| {
                if i % 9 == 4 {
                    "a \"torn\"\nline,\n\"x\""
                } else {
                    ""
                }
            })
            .collect::<StringChunked>()
            .with_name("reason".into());
        df.with_column(reasons.into_column()).unwrap();
        // A column outside the contract that reads as integers, then (within a batch) not.
        let extra: StringChunked = (0..n)
            .map(|i| Some(if i < 5000 { "7" } else { "7.5" }))
            .collect::<StringChunked>()
            .with_name("extra".into());
        df.with_column(extra.into_column()).unwrap();
        let expected = format!(
            "{:?}",
            build_tables(select_raw(df.clone().lazy(), "test").unwrap(), 0.95).unwrap()
        );
        let dir = scratch("csv");
        let file = File::create(dir.join("raw.csv")).unwrap();
        CsvWriter::new(file).finish(&mut df).unwrap();
        let table = RawTable::open(&dir).unwrap();
        assert!(table.csv.is_some());
        let mut rows = 0;
        table
            .batches(&["match_id"], |b| {
                rows += b.height();
                Ok(true)
            })
            .unwrap();
        assert_eq!(rows, df.height());
        assert_eq!(
            format!("{:?}", build_tables_of(&table, 0.95).unwrap()),
            expected
        );
    }

    /// Batches hold the asked columns, in order, with the contract's types, and together every
    /// row once in file order.
    #[test]
    fn batches_hold_every_row_once_in_order() {
        let df = synthetic_raw(10_000, 9).unwrap();
        let table = written("order", df.clone(), 4096);
        let mut ids: Vec<String> = Vec::new();
        let mut heights = Vec::new();
        table
            .batches(&["match_id", "repetition", "role"], |b| {
                assert_eq!(b.get_column_names(), ["match_id", "repetition", "role"]);
                assert_eq!(b.column("repetition")?.dtype(), &DataType::UInt32);
                // The file has no `role`: empty text.
                assert!(b.column("role")?.str()?.iter().all(|r| r == Some("")));
                ids.extend(
                    b.column("match_id")?
                        .str()?
                        .iter()
                        .map(|s| s.unwrap().to_string()),
                );
                heights.push(b.height());
                Ok(true)
            })
            .unwrap();
        // A batch per row group (polars' writer evens out the groups: two of 5,000 here).
        let groups: Vec<usize> = table
            .parquet
            .as_ref()
            .unwrap()
            .metadata
            .row_groups
            .iter()
            .map(|g| g.num_rows())
            .collect();
        assert_eq!(heights, groups);
        assert!(heights.len() > 1);
        let expected: Vec<String> = df
            .column("match_id")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|s| s.unwrap().to_string())
            .collect();
        assert_eq!(ids, expected);
    }
}
