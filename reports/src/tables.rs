//! The payoff, summary and network tables, computed from the raw long table with polars (lazy).
//!
//! Polars does the heavy work (filtering a million rows, per-match reduction, window functions
//! for wins, grouping); each group comes back as a **sorted list** of its observations, and the
//! moments are then computed here in a fixed order. Floating-point sums therefore do not depend
//! on how polars partitions or schedules the work, and the outputs are byte-identical run to run.
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
//! - network (per mechanism, schedule): one observation per match (the network columns are
//!   identical in its rows); means across matches, plus the maximum of `largest_crash`.

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;
use serde::Serialize;

use crate::stats::{mean_interval, median, Moments};
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
    fn dtype(self) -> DataType {
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
        let mut overwrite = Schema::default();
        for (name, ty) in RAW_COLUMNS {
            overwrite.insert((*name).into(), ty.dtype());
        }
        overwrite.insert("reason".into(), DataType::String);
        for name in OPTIONAL_RAW_COLUMNS {
            overwrite.insert((*name).into(), DataType::String);
        }
        overwrite.insert("seed".into(), DataType::UInt64);
        (
            csv.clone(),
            LazyCsvReader::new(PlRefPath::new(p.as_str()))
                .with_has_header(true)
                .with_dtype_overwrite(Some(Arc::new(overwrite)))
                .finish()?,
        )
    } else {
        return Err(ReportError::NoRawTable(result_dir.to_path_buf()));
    };
    select_raw(lf, &path.to_string_lossy())
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
    pub matches: usize,
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

fn sorted_list(name: &str) -> Expr {
    col(name).sort(SortOptions::default())
}

fn strs(df: &DataFrame, name: &str) -> Result<Vec<String>, ReportError> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.unwrap_or("").to_string())
        .collect())
}

fn lists(df: &DataFrame, name: &str) -> Result<Vec<Vec<f64>>, ReportError> {
    let column = df.column(name)?.list()?;
    let mut out = Vec::with_capacity(column.len());
    for idx in 0..column.len() {
        match column.get_as_series(idx) {
            Some(s) => {
                let s = s.cast(&DataType::Float64)?;
                out.push(
                    s.f64()?
                        .iter()
                        .flatten()
                        .filter(|x| x.is_finite())
                        .collect(),
                );
            }
            None => out.push(Vec::new()),
        }
    }
    Ok(out)
}

fn counts(df: &DataFrame, name: &str) -> Result<Vec<usize>, ReportError> {
    let s = df.column(name)?.cast(&DataType::UInt64)?;
    Ok(s.u64()?.iter().map(|v| v.unwrap_or(0) as usize).collect())
}

fn mean(v: &[f64]) -> f64 {
    Moments::of(v).mean
}

/// Builds the three tables from a raw lazy frame (see [`scan_raw`] / [`select_raw`]).
pub fn build_tables(raw: LazyFrame, level: f64) -> Result<Tables, ReportError> {
    // Read the table once; the three queries below then run on the in-memory frame.
    let raw = raw.collect()?.lazy();
    let ok = col("status").eq(lit("ok"));

    // Payoff cells. One observation per match: a non-self-play row is its own observation;
    // the two rows of a self-play match are averaged (grouping only those keeps the expensive
    // per-match grouping to the self-play subset).
    let round_robin = raw
        .clone()
        .filter(ok.clone().and(col("format").eq(lit("round-robin"))));
    let keys = ["mechanism", "schedule", "entrant", "opponent"];
    let others = round_robin
        .clone()
        .filter(col("entrant").neq(col("opponent")))
        .select([
            col("mechanism"),
            col("schedule"),
            col("entrant"),
            col("opponent"),
            col("profit_tao").alias("profit"),
        ]);
    let self_play = round_robin
        .filter(col("entrant").eq(col("opponent")))
        .group_by([col("match_id"), col("entrant")])
        .agg([
            col("mechanism").first(),
            col("schedule").first(),
            col("opponent").first(),
            col("profit_tao").mean().alias("profit"),
        ])
        .select(
            keys.iter()
                .map(|k| col(*k))
                .chain([col("profit")])
                .collect::<Vec<_>>(),
        );
    let per_match = concat([others, self_play], UnionArgs::default())?;
    let cells = per_match
        .group_by([
            col("mechanism"),
            col("schedule"),
            col("entrant"),
            col("opponent"),
        ])
        .agg([sorted_list("profit").alias("profits")])
        .sort(
            ["mechanism", "schedule", "entrant", "opponent"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let mut payoff = Vec::with_capacity(cells.height());
    let (mech, sched, ent, opp) = (
        strs(&cells, "mechanism")?,
        strs(&cells, "schedule")?,
        strs(&cells, "entrant")?,
        strs(&cells, "opponent")?,
    );
    for (k, profits) in lists(&cells, "profits")?.into_iter().enumerate() {
        let m = Moments::of(&profits);
        let ci = mean_interval(&m, level);
        payoff.push(PayoffCell {
            mechanism: mech[k].clone(),
            schedule: sched[k].clone(),
            entrant: ent[k].clone(),
            opponent: opp[k].clone(),
            matches: m.n,
            mean_profit_tao: m.mean,
            std_profit_tao: m.std,
            ci_low_tao: ci.low,
            ci_high_tao: ci.high,
        });
    }

    // Summary.
    let ok_profit = when(ok.clone())
        .then(col("profit_tao"))
        .otherwise(lit(NULL).cast(DataType::Float64));
    // A role tournament's rows are ranked, and win, only within their role: the win windows
    // are per (match, role), rows are grouped by role too, and their format reads
    // `roles:<role>` in the summary (other formats have an empty role).
    let with_wins = raw
        .clone()
        .with_columns([ok_profit.alias("_p")])
        // Three windows over the same partition in one context share its grouping.
        .with_columns([
            col("_p")
                .max()
                .over([col("match_id"), col("role")])?
                .alias("_max"),
            col("_p")
                .count()
                .over([col("match_id"), col("role")])?
                .alias("_n_ok"),
            col("_p")
                .eq(col("_p").max())
                .cast(DataType::UInt32)
                .sum()
                .over([col("match_id"), col("role")])?
                .alias("_n_at_max"),
        ])
        .with_columns([col("_p")
            .eq(col("_max"))
            .fill_null(lit(false))
            .alias("_at_max")])
        .with_columns([col("_at_max")
            .and(col("_n_at_max").eq(lit(1u32)))
            .and(col("_n_ok").cast(DataType::UInt32).gt_eq(lit(2u32)))
            .and(col("entrant").neq(col("opponent")))
            .alias("_win")]);
    let summary_df = with_wins
        .group_by([
            col("mechanism"),
            col("schedule"),
            col("format"),
            col("role"),
            col("entrant"),
        ])
        .agg([
            col("_p")
                .drop_nulls()
                .sort(SortOptions::default())
                .alias("profits"),
            col("emission_captured_tao")
                .filter(ok.clone())
                .sort(SortOptions::default())
                .alias("emission"),
            col("roi")
                .filter(ok.clone())
                .sort(SortOptions::default())
                .alias("roi"),
            ok.clone()
                .not()
                .cast(DataType::UInt32)
                .sum()
                .alias("errors"),
            col("_win").cast(DataType::UInt32).sum().alias("wins"),
        ])
        .sort(
            ["mechanism", "schedule", "format", "role", "entrant"],
            SortMultipleOptions::default(),
        )
        .collect()?;
    let (mech, sched, ent) = (
        strs(&summary_df, "mechanism")?,
        strs(&summary_df, "schedule")?,
        strs(&summary_df, "entrant")?,
    );
    let fmt: Vec<String> = strs(&summary_df, "format")?
        .into_iter()
        .zip(strs(&summary_df, "role")?)
        .map(|(f, role)| {
            if f == "roles" {
                format!("roles:{role}")
            } else {
                f
            }
        })
        .collect();
    let profits = lists(&summary_df, "profits")?;
    let emission = lists(&summary_df, "emission")?;
    let roi = lists(&summary_df, "roi")?;
    let errors = counts(&summary_df, "errors")?;
    let wins = counts(&summary_df, "wins")?;
    let mut summary: Vec<SummaryRow> = (0..summary_df.height())
        .map(|k| {
            let m = Moments::of(&profits[k]);
            SummaryRow {
                mechanism: mech[k].clone(),
                schedule: sched[k].clone(),
                format: fmt[k].clone(),
                entrant: ent[k].clone(),
                rank: 0,
                matches: m.n,
                errors: errors[k],
                wins: wins[k],
                mean_profit_tao: m.mean,
                median_profit_tao: median(&profits[k]),
                std_profit_tao: m.std,
                mean_emission_captured_tao: mean(&emission[k]),
                mean_roi: mean(&roi[k]),
            }
        })
        .collect();
    assign_ranks(&mut summary);

    // Network.
    let network_columns = [
        "emission_value_share",
        "emission_meme_share",
        "emission_offtopic_share",
        "value_per_tao_emitted",
        "peak_meme_share",
        "largest_crash",
    ];
    let per_match_network = raw.group_by([col("match_id")]).agg(
        ["mechanism", "schedule"]
            .iter()
            .chain(network_columns.iter())
            .map(|c| col(*c).first())
            .collect::<Vec<_>>(),
    );
    let network_df = per_match_network
        .group_by([col("mechanism"), col("schedule")])
        .agg({
            let mut aggs: Vec<Expr> = network_columns.iter().map(|c| sorted_list(c)).collect();
            aggs.push(len().alias("matches"));
            aggs
        })
        .sort(["mechanism", "schedule"], SortMultipleOptions::default())
        .collect()?;
    let (mech, sched) = (
        strs(&network_df, "mechanism")?,
        strs(&network_df, "schedule")?,
    );
    let matches = counts(&network_df, "matches")?;
    let values: Vec<Vec<Vec<f64>>> = network_columns
        .iter()
        .map(|c| lists(&network_df, c))
        .collect::<Result<_, _>>()?;
    let network = (0..network_df.height())
        .map(|k| {
            let value = mean(&values[0][k]);
            let meme = mean(&values[1][k]);
            let offtopic = mean(&values[2][k]);
            NetworkRow {
                mechanism: mech[k].clone(),
                schedule: sched[k].clone(),
                matches: matches[k],
                emission_value_share: value,
                emission_meme_share: meme,
                emission_offtopic_share: offtopic,
                emission_idle_share: 1.0 - value - meme - offtopic,
                emission_no_value_share: 1.0 - value,
                value_per_tao_emitted: mean(&values[3][k]),
                peak_meme_share: mean(&values[4][k]),
                largest_crash: mean(&values[5][k]),
                largest_crash_max: values[5][k].iter().cloned().fold(f64::NAN, f64::max),
            }
        })
        .collect();

    Ok(Tables {
        payoff,
        summary,
        network,
    })
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
