//! The payoff, summary and network tables, computed from the raw long table in passes over its
//! matches (`crate::match_fold`: the table read a batch at a time, one match's rows and one list
//! of observations held), so memory does not grow with the number of matches.
//!
//! Each group's observations are **sorted** before its moments are computed, in a fixed order,
//! so floating-point sums do not depend on how the table is read, and the outputs are
//! byte-identical run to run (and to the polars group-by queries these passes replaced).
//!
//! Units of observation:
//! - payoff cell (row strategy `i` against column strategy `j`): one observation per match,
//!   the mean of `i`'s ok rows in that match against `j` (self-play matches give two rows for
//!   `i`, which are averaged). Std and the 95 % t interval are across these per-match values
//!   (the repetitions), df = n − 1. Only `round-robin` rows enter the payoff matrix;
//! - summary (per mechanism, schedule, format, entrant): every ok row is one observation;
//!   `errors` counts rows whose status is not ok; `wins` counts matches where the entrant's
//!   profit strictly exceeds every other ok entrant's profit in the match (self-play rows never
//!   win); rank is by mean profit, highest first, ties by name;
//! - network (per mechanism, schedule): one observation per match that was played (the network
//!   columns are identical in its rows); means across matches, plus the maximum of
//!   `largest_crash`. A match with a row whose status is neither ok nor forfeit (an `error` row:
//!   the match could not be played, its values are zeros) is left out and counted in `errors`;
//!   a forfeit is one entrant's outcome in a match that was played, and counts.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;
use serde::Serialize;

use crate::match_fold::{self, Groups, Names, Row};
use crate::raw_batches::RawTable;
use crate::stats::{mean_interval, median_of_sorted, Moments};
use crate::ReportError;

/// Columns of the raw table this crate reads, with the type it reads them as.
pub const RAW_COLUMNS: &[(&str, RawType)] = &[
    ("tournament", RawType::Str),
    ("match_id", RawType::Str),
    ("format", RawType::Str),
    ("mechanism", RawType::Str),
    ("schedule", RawType::Str),
    ("repetition", RawType::U32),
    ("entrant", RawType::Str),
    ("opponent", RawType::Str),
    ("status", RawType::Str),
    ("profit_tao", RawType::F64),
    ("emission_captured_tao", RawType::F64),
    ("roi", RawType::F64),
    ("emission_value_share", RawType::F64),
    ("emission_meme_share", RawType::F64),
    ("emission_offtopic_share", RawType::F64),
    ("value_per_tao_emitted", RawType::F64),
    ("peak_meme_share", RawType::F64),
    ("largest_crash", RawType::F64),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawType {
    Str,
    U32,
    F64,
}

impl RawType {
    pub(crate) fn dtype(self) -> DataType {
        match self {
            RawType::Str => DataType::String,
            RawType::U32 => DataType::UInt32,
            RawType::F64 => DataType::Float64,
        }
    }
}

/// A text column of `df` as owned strings (a missing value is the empty string); other column
/// types are cast to text first.
pub(crate) fn text_column(df: &DataFrame, name: &str) -> Result<Vec<String>, ReportError> {
    let column = df.column(name)?.cast(&DataType::String)?;
    Ok(column
        .str()?
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect())
}

/// Opens `raw.parquet` (preferred) or `raw.csv` in `result_dir` as a lazy frame with the
/// columns this crate needs, cast to their contract types.
pub fn scan_raw(result_dir: &Path) -> Result<LazyFrame, ReportError> {
    let parquet = result_dir.join("raw.parquet");
    let csv = result_dir.join("raw.csv");
    let (path, lf) = if parquet.is_file() {
        let p = parquet.to_string_lossy().to_string();
        (
            parquet.clone(),
            LazyFrame::scan_parquet(PlRefPath::new(p.as_str()), ScanArgsParquet::default())?,
        )
    } else if csv.is_file() {
        let p = csv.to_string_lossy().to_string();
        (
            csv.clone(),
            LazyCsvReader::new(PlRefPath::new(p.as_str()))
                .with_has_header(true)
                .with_dtype_overwrite(Some(Arc::new(csv_types())))
                .finish()?,
        )
    } else {
        return Err(ReportError::NoRawTable(result_dir.to_path_buf()));
    };
    select_raw(lf, &path.to_string_lossy())
}

/// The types `raw.csv`'s columns are read as (the others are inferred).
pub(crate) fn csv_types() -> Schema {
    let mut types = Schema::default();
    for (name, ty) in RAW_COLUMNS {
        types.insert((*name).into(), ty.dtype());
    }
    types.insert("reason".into(), DataType::String);
    for name in OPTIONAL_RAW_COLUMNS {
        types.insert((*name).into(), DataType::String);
    }
    types.insert("seed".into(), DataType::UInt64);
    types.insert("match_index".into(), DataType::UInt64);
    types
}

/// Columns added to the contract later, read as empty text from tables written before them:
/// the role of a row and the profile of its match (`format: roles` only).
pub const OPTIONAL_RAW_COLUMNS: &[&str] = &["role", "profile"];

/// Checks that `lf` has every column of the contract and selects them with their types (the
/// optional ones as empty text where absent).
pub fn select_raw(mut lf: LazyFrame, source: &str) -> Result<LazyFrame, ReportError> {
    let schema = lf.collect_schema()?;
    for (name, _) in RAW_COLUMNS {
        if schema.get(name).is_none() {
            return Err(ReportError::MissingColumn {
                source_name: source.to_string(),
                column: (*name).to_string(),
            });
        }
    }
    let mut columns: Vec<Expr> = RAW_COLUMNS
        .iter()
        .map(|(name, ty)| col(*name).strict_cast(ty.dtype()))
        .collect();
    for name in OPTIONAL_RAW_COLUMNS {
        columns.push(if schema.get(name).is_some() {
            col(*name).strict_cast(DataType::String).fill_null(lit(""))
        } else {
            lit("").alias(*name)
        });
    }
    // The plan order, when the table says it (tables written by `tourney` do): lets the
    // tables be computed a match at a time without sorting ([`crate::match_fold`]).
    columns.push(if schema.get("match_index").is_some() {
        col("match_index").strict_cast(DataType::UInt64)
    } else {
        lit(NULL).cast(DataType::UInt64).alias("match_index")
    });
    Ok(lf.select(columns))
}

/// One cell of a payoff matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayoffCell {
    pub mechanism: String,
    pub schedule: String,
    /// Row strategy (whose payoff this is).
    pub entrant: String,
    /// Column strategy.
    pub opponent: String,
    /// Number of matches (repetitions) with an ok row.
    pub matches: usize,
    pub mean_profit_tao: f64,
    pub std_profit_tao: f64,
    pub ci_low_tao: f64,
    pub ci_high_tao: f64,
}

/// One line of the per-strategy summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    pub mechanism: String,
    pub schedule: String,
    pub format: String,
    pub entrant: String,
    pub rank: usize,
    /// Ok rows.
    pub matches: usize,
    pub errors: usize,
    pub wins: usize,
    pub mean_profit_tao: f64,
    pub median_profit_tao: f64,
    pub std_profit_tao: f64,
    pub mean_emission_captured_tao: f64,
    pub mean_roi: f64,
}

/// The network scorecard of one (mechanism, schedule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkRow {
    pub mechanism: String,
    pub schedule: String,
    /// Matches played (the observations); the shares below are NaN when there is none.
    pub matches: usize,
    /// Matches that could not be played (a row with status `error`), left out of the means.
    pub errors: usize,
    pub emission_value_share: f64,
    pub emission_meme_share: f64,
    pub emission_offtopic_share: f64,
    /// 1 − value − meme − off-topic: emission to idle subnets.
    pub emission_idle_share: f64,
    /// 1 − value share: emission that funded no value.
    pub emission_no_value_share: f64,
    pub value_per_tao_emitted: f64,
    pub peak_meme_share: f64,
    pub largest_crash: f64,
    pub largest_crash_max: f64,
}

/// The three tables.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Tables {
    pub payoff: Vec<PayoffCell>,
    pub summary: Vec<SummaryRow>,
    pub network: Vec<NetworkRow>,
}

impl Tables {
    /// The payoff cells of one (mechanism, schedule), in table order.
    pub fn payoff_cells(&self, mechanism: &str, schedule: &str) -> Vec<&PayoffCell> {
        self.payoff
            .iter()
            .filter(|c| c.mechanism == mechanism && c.schedule == schedule)
            .collect()
    }
}

fn mean(v: &[f64]) -> f64 {
    Moments::of(v).mean
}

/// Builds the three tables from a raw lazy frame (see [`scan_raw`] / [`select_raw`]): see
/// [`build_tables_of`].
pub fn build_tables(raw: LazyFrame, level: f64) -> Result<Tables, ReportError> {
    build_tables_of(&RawTable::from_lazy(raw), level)
}

/// Builds the three tables from a raw table, in passes over its matches
/// ([`crate::match_fold`]): memory holds one batch of rows, one match's rows and one list of
/// observations at a time, whatever the number of matches.
pub fn build_tables_of(raw: &RawTable, level: f64) -> Result<Tables, ReportError> {
    let ordered = match_fold::in_plan_order(raw)?;
    // Out of plan order: the columns the passes read, sorted by match once.
    let sorted;
    let raw = if ordered {
        raw
    } else {
        sorted = raw.sorted_by_match(&PASS_COLUMNS)?;
        &sorted
    };
    Ok(Tables {
        payoff: payoff_cells(raw, ordered, level)?,
        summary: summary_rows(raw, ordered)?,
        network: network_rows(raw, ordered)?,
    })
}

/// Every column the passes below read (besides the match's key): the summary's text columns
/// and values, and the network columns.
const PASS_COLUMNS: [&str; 16] = concat_columns(
    concat_columns::<7, 3, 10>(SUMMARY_TEXT, ["profit_tao", "emission_captured_tao", "roi"]),
    NETWORK_COLUMNS,
);

/// `a` then `b` (`C = A + B`, checked at compile time).
const fn concat_columns<const A: usize, const B: usize, const C: usize>(
    a: [&'static str; A],
    b: [&'static str; B],
) -> [&'static str; C] {
    assert!(A + B == C);
    let mut out = [""; C];
    let mut i = 0;
    while i < C {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
}

/// Payoff cells. One observation per match: a non-self-play row is its own observation; the
/// rows of one entrant in a self-play match are averaged.
fn payoff_cells(raw: &RawTable, ordered: bool, level: f64) -> Result<Vec<PayoffCell>, ReportError> {
    const FORMAT: usize = 0;
    const STATUS: usize = 1;
    const MECH: usize = 2;
    const SCHED: usize = 3;
    const ENTRANT: usize = 4;
    const OPPONENT: usize = 5;
    let mut names = Names::default();
    let ok = names.id("ok");
    let round_robin = names.id("round-robin");
    let mut groups = Groups::default();
    let text = [
        "format",
        "status",
        "mechanism",
        "schedule",
        "entrant",
        "opponent",
    ];
    match_fold::for_each_match(raw, ordered, &mut names, text, ["profit_tao"], |rows| {
        // Self-play rows by entrant, in first-seen order: (first row, sum, count).
        let mut self_play: Vec<(usize, f64, usize)> = Vec::new();
        for (k, r) in rows.iter().enumerate() {
            let t = &r.text;
            if t[STATUS] != ok || t[FORMAT] != round_robin {
                continue;
            }
            if t[ENTRANT] != t[OPPONENT] {
                groups.push([t[MECH], t[SCHED], t[ENTRANT], t[OPPONENT]], r.numbers[0]);
                continue;
            }
            match self_play
                .iter_mut()
                .find(|(first, _, _)| rows[*first].text[ENTRANT] == t[ENTRANT])
            {
                Some((_, sum, n)) => {
                    if let Some(x) = r.numbers[0] {
                        *sum += x;
                        *n += 1;
                    }
                }
                None => self_play.push((
                    k,
                    r.numbers[0].unwrap_or(0.0),
                    usize::from(r.numbers[0].is_some()),
                )),
            }
        }
        for (first, sum, n) in self_play {
            let t = &rows[first].text;
            groups.push(
                [t[MECH], t[SCHED], t[ENTRANT], t[OPPONENT]],
                (n > 0).then(|| sum / n as f64),
            );
        }
    })?;
    Ok(groups
        .sorted(&names)
        .into_iter()
        .map(|(key, profits, _)| {
            let m = Moments::of(&profits);
            let ci = mean_interval(&m, level);
            let [mechanism, schedule, entrant, opponent]: [String; 4] =
                key.try_into().unwrap_or_default();
            PayoffCell {
                mechanism,
                schedule,
                entrant,
                opponent,
                matches: m.n,
                mean_profit_tao: m.mean,
                std_profit_tao: m.std,
                ci_low_tao: ci.low,
                ci_high_tao: ci.high,
            }
        })
        .collect())
}

/// The text columns of the summary passes, and where each is in a row.
const SUMMARY_TEXT: [&str; 7] = [
    "mechanism",
    "schedule",
    "format",
    "role",
    "entrant",
    "opponent",
    "status",
];
const S_MECH: usize = 0;
const S_SCHED: usize = 1;
const S_FORMAT: usize = 2;
const S_ROLE: usize = 3;
const S_ENTRANT: usize = 4;
const S_OPPONENT: usize = 5;
const S_STATUS: usize = 6;

/// A summary row's group: (mechanism, schedule, format, role, entrant).
fn summary_key(r: &Row<7, 1>) -> [u32; 5] {
    let t = &r.text;
    [t[S_MECH], t[S_SCHED], t[S_FORMAT], t[S_ROLE], t[S_ENTRANT]]
}

/// Summary rows. A role tournament's rows are ranked, and win, only within their role: wins
/// are decided per (match, role), rows are grouped by role too, and their format reads
/// `roles:<role>` in the summary (other formats have an empty role).
fn summary_rows(raw: &RawTable, ordered: bool) -> Result<Vec<SummaryRow>, ReportError> {
    // Profits of ok rows, errors and wins: counts[0] errors, counts[1] wins.
    let mut names = Names::default();
    let ok = names.id("ok");
    let mut profits = Groups::default();
    match_fold::for_each_match(
        raw,
        ordered,
        &mut names,
        SUMMARY_TEXT,
        ["profit_tao"],
        |rows| {
            let ok_profit =
                |r: &Row<7, 1>| (r.text[S_STATUS] == ok).then_some(r.numbers[0]).flatten();
            for r in rows {
                // The win window: this row's (match, role).
                let mates = rows.iter().filter(|x| x.text[S_ROLE] == r.text[S_ROLE]);
                let mut max: Option<f64> = None;
                let mut n_ok = 0usize;
                for p in mates.clone().filter_map(ok_profit) {
                    n_ok += 1;
                    max = Some(max.map_or(p, |m: f64| m.max(p)));
                }
                let n_at_max = mates
                    .filter(|x| ok_profit(x).is_some() && ok_profit(x) == max)
                    .count();
                let p = ok_profit(r);
                let win = p.is_some()
                    && p == max
                    && n_at_max == 1
                    && n_ok >= 2
                    && r.text[S_ENTRANT] != r.text[S_OPPONENT];
                let k = profits.push(summary_key(r), p);
                profits.counts[k][0] += usize::from(r.text[S_STATUS] != ok);
                profits.counts[k][1] += usize::from(win);
            }
        },
    )?;
    // Each list is reduced to its statistics before the next pass collects another: at a
    // million matches each holds millions of values, and only one is held at a time.
    let profits: Vec<_> = profits
        .sorted(&names)
        .into_iter()
        .map(|(key, profits, counts)| {
            // `sorted` sorted each list by `total_cmp`.
            let median = median_of_sorted(&profits);
            (key, Moments::of(&profits), median, counts)
        })
        .collect();
    // The other two columns' means, one pass each (ok rows only).
    let ok_means = |column: &str| -> Result<Vec<f64>, ReportError> {
        let mut names = Names::default();
        let ok = names.id("ok");
        let mut groups = Groups::default();
        match_fold::for_each_match(raw, ordered, &mut names, SUMMARY_TEXT, [column], |rows| {
            for r in rows {
                let value = (r.text[S_STATUS] == ok).then_some(r.numbers[0]).flatten();
                groups.push(summary_key(r), value);
            }
        })?;
        Ok(groups
            .sorted(&names)
            .into_iter()
            .map(|(_, v, _)| mean(&v))
            .collect())
    };
    let emission = ok_means("emission_captured_tao")?;
    let roi = ok_means("roi")?;
    let mut summary: Vec<SummaryRow> = profits
        .into_iter()
        .enumerate()
        .map(|(k, (key, m, median_profit, [errors, wins]))| {
            let [mechanism, schedule, format, role, entrant]: [String; 5] =
                key.try_into().unwrap_or_default();
            SummaryRow {
                format: if format == "roles" {
                    format!("roles:{role}")
                } else {
                    format
                },
                mechanism,
                schedule,
                entrant,
                rank: 0,
                matches: m.n,
                errors,
                wins,
                mean_profit_tao: m.mean,
                median_profit_tao: median_profit,
                std_profit_tao: m.std,
                mean_emission_captured_tao: emission.get(k).copied().unwrap_or(f64::NAN),
                mean_roi: roi.get(k).copied().unwrap_or(f64::NAN),
            }
        })
        .collect();
    assign_ranks(&mut summary);
    Ok(summary)
}

/// The raw table's network observables (the same in every row of a match), in report order.
pub(crate) const NETWORK_COLUMNS: [&str; 6] = [
    "emission_value_share",
    "emission_meme_share",
    "emission_offtopic_share",
    "value_per_tao_emitted",
    "peak_meme_share",
    "largest_crash",
];

/// Network rows: one observation per match that was played (its first row; the network
/// columns are the same in every row of a match), one pass per column. A match with a row whose
/// status is neither ok nor forfeit could not be played (its values are zeros, not a network):
/// it is left out and counted in `errors`.
fn network_rows(raw: &RawTable, ordered: bool) -> Result<Vec<NetworkRow>, ReportError> {
    let columns = NETWORK_COLUMNS;
    let mut keys: Vec<Vec<String>> = Vec::new();
    // Per group: [matches played, matches that failed].
    let mut counts: Vec<[usize; 2]> = Vec::new();
    // Each column's mean per group, and the largest crash's maximum: every list is reduced
    // before the next pass collects another (a million matches make a million values a column).
    let mut means: Vec<Vec<f64>> = Vec::new();
    let mut largest_crash_max: Vec<f64> = Vec::new();
    for column in columns {
        let mut names = Names::default();
        let ok = names.id("ok");
        let forfeit = names.id("forfeit");
        let mut groups = Groups::default();
        match_fold::for_each_match(
            raw,
            ordered,
            &mut names,
            ["mechanism", "schedule", "status"],
            [column],
            |rows| {
                let first = &rows[0];
                let played = rows.iter().all(|r| r.text[2] == ok || r.text[2] == forfeit);
                let key = [first.text[0], first.text[1]];
                let k = groups.push(key, played.then_some(first.numbers[0]).flatten());
                groups.counts[k][usize::from(!played)] += 1;
            },
        )?;
        let sorted = groups.sorted(&names);
        keys = sorted.iter().map(|(k, _, _)| k.clone()).collect();
        counts = sorted.iter().map(|(_, _, c)| *c).collect();
        means.push(sorted.iter().map(|(_, v, _)| mean(v)).collect());
        if column == "largest_crash" {
            largest_crash_max = sorted
                .iter()
                .map(|(_, v, _)| v.iter().cloned().fold(f64::NAN, f64::max))
                .collect();
        }
    }
    Ok(keys
        .into_iter()
        .enumerate()
        .map(|(k, key)| {
            let [value, meme, offtopic, per_tao, peak_meme, crash] =
                std::array::from_fn(|c| means[c][k]);
            let [mechanism, schedule]: [String; 2] = key.try_into().unwrap_or_default();
            NetworkRow {
                mechanism,
                schedule,
                matches: counts[k][0],
                errors: counts[k][1],
                emission_value_share: value,
                emission_meme_share: meme,
                emission_offtopic_share: offtopic,
                emission_idle_share: 1.0 - value - meme - offtopic,
                emission_no_value_share: 1.0 - value,
                value_per_tao_emitted: per_tao,
                peak_meme_share: peak_meme,
                largest_crash: crash,
                largest_crash_max: largest_crash_max[k],
            }
        })
        .collect())
}

/// Rank within each (mechanism, schedule, format) by mean profit, highest first; NaN means
/// (no ok row) last; ties by entrant name.
fn assign_ranks(summary: &mut [SummaryRow]) {
    let mut groups: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for (i, r) in summary.iter().enumerate() {
        groups
            .entry((r.mechanism.clone(), r.schedule.clone(), r.format.clone()))
            .or_default()
            .push(i);
    }
    for idx in groups.values_mut() {
        idx.sort_by(|&a, &b| {
            let (x, y) = (summary[a].mean_profit_tao, summary[b].mean_profit_tao);
            match (x.is_nan(), y.is_nan()) {
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                _ => y.total_cmp(&x),
            }
            .then_with(|| summary[a].entrant.cmp(&summary[b].entrant))
        });
        for (r, &i) in idx.iter().enumerate() {
            summary[i].rank = r + 1;
        }
    }
}

/// Payoff-table rows as a DataFrame (for Parquet/CSV).
pub fn payoff_frame(cells: &[PayoffCell]) -> Result<DataFrame, ReportError> {
    Ok(DataFrame::new_infer_height(vec![
        column!(cells, "mechanism", |c| c.mechanism.clone()),
        column!(cells, "schedule", |c| c.schedule.clone()),
        column!(cells, "entrant", |c| c.entrant.clone()),
        column!(cells, "opponent", |c| c.opponent.clone()),
        column!(cells, "matches", |c| c.matches as u64),
        column!(cells, "mean_profit_tao", |c| c.mean_profit_tao),
        column!(cells, "std_profit_tao", |c| c.std_profit_tao),
        column!(cells, "ci_low_tao", |c| c.ci_low_tao),
        column!(cells, "ci_high_tao", |c| c.ci_high_tao),
    ])?)
}

/// Summary rows as a DataFrame.
pub fn summary_frame(rows: &[SummaryRow]) -> Result<DataFrame, ReportError> {
    Ok(DataFrame::new_infer_height(vec![
        column!(rows, "mechanism", |c| c.mechanism.clone()),
        column!(rows, "schedule", |c| c.schedule.clone()),
        column!(rows, "format", |c| c.format.clone()),
        column!(rows, "entrant", |c| c.entrant.clone()),
        column!(rows, "rank", |c| c.rank as u64),
        column!(rows, "matches", |c| c.matches as u64),
        column!(rows, "errors", |c| c.errors as u64),
        column!(rows, "wins", |c| c.wins as u64),
        column!(rows, "mean_profit_tao", |c| c.mean_profit_tao),
        column!(rows, "median_profit_tao", |c| c.median_profit_tao),
        column!(rows, "std_profit_tao", |c| c.std_profit_tao),
        column!(rows, "mean_emission_captured_tao", |c| c
            .mean_emission_captured_tao),
        column!(rows, "mean_roi", |c| c.mean_roi),
    ])?)
}

/// Network rows as a DataFrame.
pub fn network_frame(rows: &[NetworkRow]) -> Result<DataFrame, ReportError> {
    Ok(DataFrame::new_infer_height(vec![
        column!(rows, "mechanism", |c| c.mechanism.clone()),
        column!(rows, "schedule", |c| c.schedule.clone()),
        column!(rows, "matches", |c| c.matches as u64),
        column!(rows, "errors", |c| c.errors as u64),
        column!(rows, "emission_value_share", |c| c.emission_value_share),
        column!(rows, "emission_meme_share", |c| c.emission_meme_share),
        column!(rows, "emission_offtopic_share", |c| c
            .emission_offtopic_share),
        column!(rows, "emission_idle_share", |c| c.emission_idle_share),
        column!(rows, "emission_no_value_share", |c| c
            .emission_no_value_share),
        column!(rows, "value_per_tao_emitted", |c| c.value_per_tao_emitted),
        column!(rows, "peak_meme_share", |c| c.peak_meme_share),
        column!(rows, "largest_crash", |c| c.largest_crash),
        column!(rows, "largest_crash_max", |c| c.largest_crash_max),
    ])?)
}
