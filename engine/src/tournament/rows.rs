//! The raw long table: one row per match × entrant, the source of truth for every report.

use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One value of a row, typed, for the writers (CSV here, Parquet in the CLI).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Str(&'a str),
    U32(u32),
    U64(u64),
    F64(f64),
}

/// The type of a column (what [`Cell`] it holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    Str,
    U32,
    U64,
    F64,
}

trait IntoCell {
    const TYPE: ColumnType;
    fn cell(&self) -> Cell<'_>;
}

impl IntoCell for String {
    const TYPE: ColumnType = ColumnType::Str;
    fn cell(&self) -> Cell<'_> {
        Cell::Str(self)
    }
}

impl IntoCell for u32 {
    const TYPE: ColumnType = ColumnType::U32;
    fn cell(&self) -> Cell<'_> {
        Cell::U32(*self)
    }
}

impl IntoCell for u64 {
    const TYPE: ColumnType = ColumnType::U64;
    fn cell(&self) -> Cell<'_> {
        Cell::U64(*self)
    }
}

impl IntoCell for f64 {
    const TYPE: ColumnType = ColumnType::F64;
    fn cell(&self) -> Cell<'_> {
        Cell::F64(*self)
    }
}

/// The raw table is declared once, here: the row struct, the column names and types in order,
/// and the typed cell accessor that the CSV and Parquet writers iterate over.
macro_rules! raw_table {
    ($($name:ident: $ty:ty,)*) => {
        /// One row (see `docs/reports.md` for the column contract). `Default` is the empty
        /// row (empty text, zero values): rows are written as the cells they set over it.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct RawRow {
            $(pub $name: $ty,)*
        }

        /// Column names and types, in order.
        pub const COLUMNS: &[(&str, ColumnType)] =
            &[$((stringify!($name), <$ty as IntoCell>::TYPE),)*];

        impl RawRow {
            /// The value of every column, in [`COLUMNS`] order.
            pub fn cells(&self) -> [Cell<'_>; COLUMNS.len()] {
                [$(self.$name.cell(),)*]
            }
        }
    };
}

raw_table! {
    tournament: String,
    match_index: u32,
    match_id: String,
    format: String,
    mechanism: String,
    schedule: String,
    repetition: u32,
    seed: u64,
    entrant: String,
    opponent: String,
    role: String,
    profile: String,
    slot: u32,
    status: String,
    reason: String,
    profit_tao: f64,
    mark_to_market_tao: f64,
    emission_captured_tao: f64,
    roi: f64,
    max_drawdown_tao: f64,
    initial_capital_tao: f64,
    revenue_tao: f64,
    costs_tao: f64,
    rejected_actions: u32,
    emission_total_tao: f64,
    emission_value_share: f64,
    emission_meme_share: f64,
    emission_offtopic_share: f64,
    value_created_tao: f64,
    value_per_tao_emitted: f64,
    peak_meme_share: f64,
    largest_crash: f64,
}

fn csv_text(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Rows sorted into the stable order (match index, slot).
pub fn sort_rows(rows: &mut [RawRow]) {
    rows.sort_by_key(|a| (a.match_index, a.slot));
}

/// The CSV header line (with its newline).
pub fn csv_header() -> String {
    let mut out = String::new();
    for (k, (name, _)) in COLUMNS.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(name);
    }
    out.push('\n');
    out
}

/// Append one row as a CSV line (with its newline), floats in Rust's shortest round-trip form.
pub fn push_csv_line(out: &mut String, row: &RawRow) {
    for (k, cell) in row.cells().into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        let _ = match cell {
            Cell::Str(s) => {
                csv_text(out, s);
                Ok(())
            }
            Cell::U32(x) => write!(out, "{x}"),
            Cell::U64(x) => write!(out, "{x}"),
            Cell::F64(x) => write!(out, "{x}"),
        };
    }
    out.push('\n');
}

/// The table as CSV: deterministic bytes (the header, then [`push_csv_line`] for each row).
pub fn to_csv(rows: &[RawRow]) -> String {
    let mut out = String::with_capacity(64 + rows.len() * 300);
    out.push_str(&csv_header());
    for r in rows {
        push_csv_line(&mut out, r);
    }
    out
}
