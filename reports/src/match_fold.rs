//! The payoff, summary and network tables computed in passes over the raw table, one match at
//! a time, so that memory does not grow with the table: each pass reads a lazy scan of the file
//! a slice at a time ([`batches`]: only the columns it needs, only the row groups under the
//! slice); a pass keeps
//! the rows of the current match and, per group, the observations its statistics need (8 bytes
//! each: moments are sums in sorted order and the median needs every value, so these are
//! inherent). Each pass collects one list of values, so at most one list per observation is
//! held at a time.
//!
//! Per-match work (self-play averaging, wins, the network columns of a match) needs a match's
//! rows together. A raw table written by `tourney` is in plan order (`match_index`
//! non-decreasing), so they are adjacent; a table without `match_index`, or out of order, is
//! sorted by match first (in memory — only tables from elsewhere take that path).
//!
//! The results are those of the definitions in [`crate::tables`]: each group's values are
//! sorted before their moments are taken, so neither the batches nor their order matter.

use std::collections::HashMap;

use polars::prelude::*;

use crate::ReportError;

/// One row as a pass reads it: the text columns it asked for, then the numbers.
pub(crate) struct Row {
    pub text: Vec<String>,
    pub numbers: Vec<Option<f64>>,
}

/// Values collected per group key (the key's parts joined), in first-seen order; sorted by key
/// at the end.
#[derive(Default)]
pub(crate) struct Groups {
    index: HashMap<String, usize>,
    pub keys: Vec<Vec<String>>,
    pub values: Vec<Vec<f64>>,
    pub counts: Vec<[usize; 2]>,
}

impl Groups {
    fn slot(&mut self, key: &[&str]) -> usize {
        let joined = key.join("\u{1f}");
        if let Some(&k) = self.index.get(&joined) {
            return k;
        }
        let k = self.keys.len();
        self.index.insert(joined, k);
        self.keys.push(key.iter().map(|s| s.to_string()).collect());
        self.values.push(Vec::new());
        self.counts.push([0, 0]);
        k
    }

    /// Add an observation (kept when finite, as the definitions' lists do).
    pub fn push(&mut self, key: &[&str], value: Option<f64>) -> usize {
        let k = self.slot(key);
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.values[k].push(v);
        }
        k
    }

    /// The groups sorted by key, each with its values sorted.
    pub fn sorted(mut self) -> Vec<(Vec<String>, Vec<f64>, [usize; 2])> {
        let mut out: Vec<_> = self
            .keys
            .drain(..)
            .zip(self.values.drain(..))
            .zip(self.counts.drain(..))
            .map(|((k, mut v), c)| {
                v.sort_by(f64::total_cmp);
                (k, v, c)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Whether the rows of each match are adjacent, matches in plan order: `match_index` present
/// (never null), never decreasing, and one `match_id` per index. One streamed pass over two
/// columns.
pub(crate) fn in_plan_order(raw: &LazyFrame) -> Result<bool, ReportError> {
    let mut last: Option<(u64, String)> = None;
    let mut ordered = true;
    batches(
        raw.clone().select([col("match_index"), col("match_id")]),
        |df| {
            let idx = df.column("match_index")?.cast(&DataType::UInt64)?;
            let ids = df.column("match_id")?.cast(&DataType::String)?;
            for (i, id) in idx.u64()?.iter().zip(ids.str()?.iter()) {
                let (Some(i), id) = (i, id.unwrap_or("")) else {
                    ordered = false;
                    break;
                };
                match &last {
                    Some((li, lid)) if *li == i => ordered &= lid == id,
                    Some((li, _)) if *li > i => ordered = false,
                    _ => last = Some((i, id.to_string())),
                }
            }
            Ok(ordered)
        },
    )?;
    Ok(ordered)
}

/// Run `pass` on the rows of each match of `raw` in turn (in table order within a match), with
/// the columns `text` (as text) and `numbers` (as f64). `in_plan_order` (from
/// [`in_plan_order`]) says whether the table can be streamed as it is; otherwise it is sorted
/// by match first (stable).
pub(crate) fn for_each_match(
    raw: &LazyFrame,
    in_plan_order: bool,
    text: &[&str],
    numbers: &[&str],
    mut pass: impl FnMut(&[Row]),
) -> Result<(), ReportError> {
    let mut columns: Vec<Expr> = vec![col("match_id")];
    columns.extend(text.iter().map(|c| col(*c)));
    columns.extend(numbers.iter().map(|c| col(*c)));
    let selected = raw.clone().select(columns);
    // Out of plan order: the table sorted by match once, in memory, then read in batches.
    let sorted = if in_plan_order {
        None
    } else {
        Some(
            selected
                .clone()
                .sort(
                    ["match_id"],
                    SortMultipleOptions::default().with_maintain_order(true),
                )
                .collect()?,
        )
    };
    let source = match &sorted {
        Some(df) => df.clone().lazy(),
        None => selected,
    };
    let mut current: Vec<Row> = Vec::new();
    let mut current_id: Option<String> = None;
    batches(source, |df| {
        let ids = df.column("match_id")?.cast(&DataType::String)?;
        let ids = ids.str()?;
        let texts: Vec<Column> = text
            .iter()
            .map(|c| df.column(c).and_then(|s| s.cast(&DataType::String)))
            .collect::<PolarsResult<_>>()?;
        let nums: Vec<Column> = numbers
            .iter()
            .map(|c| df.column(c).and_then(|s| s.cast(&DataType::Float64)))
            .collect::<PolarsResult<_>>()?;
        let texts: Vec<&StringChunked> =
            texts.iter().map(|c| c.str()).collect::<PolarsResult<_>>()?;
        let nums: Vec<&Float64Chunked> =
            nums.iter().map(|c| c.f64()).collect::<PolarsResult<_>>()?;
        for r in 0..df.height() {
            let id = ids.get(r).unwrap_or("");
            if current_id.as_deref() != Some(id) {
                if !current.is_empty() {
                    pass(&current);
                    current.clear();
                }
                current_id = Some(id.to_string());
            }
            current.push(Row {
                text: texts
                    .iter()
                    .map(|c| c.get(r).unwrap_or("").to_string())
                    .collect(),
                numbers: nums.iter().map(|c| c.get(r)).collect(),
            });
        }
        Ok(true)
    })?;
    if !current.is_empty() {
        pass(&current);
    }
    Ok(())
}

/// Rows read at a time: one Parquet row group of a raw table `tourney` wrote.
pub(crate) const BATCH_ROWS: usize = 4096;

/// Feed `f` the rows of `lf` in order, [`BATCH_ROWS`] at a time: each batch is its own query,
/// a slice of the scan, so polars decodes only the row groups under it. (Polars' streaming
/// engine, handing batches to a callback, decodes row groups ahead of a slower consumer: at
/// 100,000 matches it held 30 MB of them.) `f` returns whether to go on.
pub(crate) fn batches(
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
