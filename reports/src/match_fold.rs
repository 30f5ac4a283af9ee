//! The payoff, summary and network tables computed in passes over the raw table, one match at
//! a time, so that memory does not grow with the table: each pass reads the table a batch at a
//! time ([`RawTable::batches`]: only the columns it needs, each row group decoded once) and
//! keeps the rows of the current match and, per group, the observations its statistics need
//! (8 bytes each: moments are sums in sorted order and the median needs every value, so these
//! are inherent). Each pass collects one list of values, so at most one list per observation
//! is held at a time.
//!
//! A pass does little per row, so it copies no text: each text cell becomes a small number
//! ([`Names`]: the distinct values of the text columns, which are few — mechanisms, schedules,
//! formats, roles, entrants, statuses), and a row is a few numbers ([`Row`]).
//!
//! Per-match work (self-play averaging, wins, the network columns of a match) needs a match's
//! rows together. A raw table written by `tourney` is in plan order (`match_index`
//! non-decreasing, one `match_id` per index and a new one at each new index), so they are
//! adjacent; a table without `match_index`, or out of order, is sorted by match first, once
//! for every pass (in memory — only tables from elsewhere take that path).
//!
//! The results are those of the definitions in [`crate::tables`]: each group's values are
//! sorted before their moments are taken, so neither the batches nor their order matter.

use std::collections::HashMap;

use polars::prelude::*;

use crate::raw_batches::RawTable;
use crate::ReportError;

/// The distinct texts seen by a pass, each named by a number (the order of first sight).
#[derive(Default)]
pub(crate) struct Names {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    /// The number of `text` (a new one the first time it is seen).
    pub fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    /// The text numbered `id`.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// One row as a pass reads it: its `T` text columns (as [`Names`] numbers), then its `N`
/// numbers.
#[derive(Clone, Copy)]
pub(crate) struct Row<const T: usize, const N: usize> {
    pub text: [u32; T],
    pub numbers: [Option<f64>; N],
}

impl<const T: usize, const N: usize> Default for Row<T, N> {
    fn default() -> Self {
        Row {
            text: [0; T],
            numbers: [None; N],
        }
    }
}

/// Values collected per group key (`K` text numbers), in first-seen order; sorted by key (as
/// text) at the end.
pub(crate) struct Groups<const K: usize> {
    index: HashMap<[u32; K], usize>,
    keys: Vec<[u32; K]>,
    pub values: Vec<Vec<f64>>,
    pub counts: Vec<[usize; 2]>,
}

impl<const K: usize> Default for Groups<K> {
    fn default() -> Self {
        Groups {
            index: HashMap::new(),
            keys: Vec::new(),
            values: Vec::new(),
            counts: Vec::new(),
        }
    }
}

impl<const K: usize> Groups<K> {
    fn slot(&mut self, key: [u32; K]) -> usize {
        if let Some(&k) = self.index.get(&key) {
            return k;
        }
        let k = self.keys.len();
        self.index.insert(key, k);
        self.keys.push(key);
        self.values.push(Vec::new());
        self.counts.push([0, 0]);
        k
    }

    /// Add an observation (kept when finite, as the definitions' lists do).
    pub fn push(&mut self, key: [u32; K], value: Option<f64>) -> usize {
        let k = self.slot(key);
        if let Some(v) = value.filter(|v| v.is_finite()) {
            self.values[k].push(v);
        }
        k
    }

    /// The groups sorted by key (their texts, from `names`), each with its values sorted.
    pub fn sorted(self, names: &Names) -> Vec<(Vec<String>, Vec<f64>, [usize; 2])> {
        let mut out: Vec<_> = self
            .keys
            .into_iter()
            .zip(self.values)
            .zip(self.counts)
            .map(|((k, mut v), c)| {
                v.sort_by(f64::total_cmp);
                (k.map(|id| names.name(id).to_string()).to_vec(), v, c)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

/// Whether the rows of each match are adjacent, matches in plan order: `match_index` present
/// (never null), never decreasing, one `match_id` per index and another at the next index (so
/// that the matches read by index are those read by id). One pass over two columns.
pub(crate) fn in_plan_order(raw: &RawTable) -> Result<bool, ReportError> {
    let mut last: Option<u64> = None;
    let mut last_id = String::new();
    let mut ordered = true;
    raw.batches(&["match_index", "match_id"], |df| {
        let idx = df.column("match_index")?.u64()?;
        let ids = df.column("match_id")?.str()?;
        for (i, id) in idx.iter().zip(ids.iter()) {
            let (Some(i), id) = (i, id.unwrap_or("")) else {
                ordered = false;
                break;
            };
            match last {
                Some(li) if li == i => ordered &= last_id == id,
                Some(li) if li > i => ordered = false,
                _ => {
                    ordered &= last.is_none() || last_id != id;
                    last = Some(i);
                    last_id.clear();
                    last_id.push_str(id);
                }
            }
            if !ordered {
                break;
            }
        }
        Ok(ordered)
    })?;
    Ok(ordered)
}

/// Run `pass` on the rows of each match of `raw` in turn (in table order within a match), with
/// the columns `text` (as text, numbered by `names`) and `numbers` (as f64). The rows of a
/// match must be adjacent: matches are told apart by `match_index` when `in_plan_order` (from
/// [`in_plan_order`]), by `match_id` otherwise (a table sorted by match first:
/// [`RawTable::sorted_by_match`]).
pub(crate) fn for_each_match<const T: usize, const N: usize>(
    raw: &RawTable,
    in_plan_order: bool,
    names: &mut Names,
    text: [&str; T],
    numbers: [&str; N],
    mut pass: impl FnMut(&[Row<T, N>]),
) -> Result<(), ReportError> {
    let key_column = if in_plan_order {
        "match_index"
    } else {
        "match_id"
    };
    let mut columns: Vec<&str> = vec![key_column];
    columns.extend(text);
    columns.extend(numbers);
    let mut batch: Vec<Row<T, N>> = Vec::new();
    let mut keys: Vec<u64> = Vec::new();
    let mut current: Vec<Row<T, N>> = Vec::new();
    let mut current_key: Option<u64> = None;
    // Out of plan order: matches are numbered by their id's run in the sorted table.
    let mut last_id = String::new();
    let mut run = 0u64;
    let mut read = |df: &DataFrame| -> PolarsResult<bool> {
        let height = df.height();
        batch.clear();
        batch.resize(height, Row::default());
        keys.clear();
        if in_plan_order {
            keys.extend(df.column(key_column)?.u64()?.iter().map(|i| i.unwrap_or(0)));
        } else {
            for id in df
                .column(key_column)?
                .cast(&DataType::String)?
                .str()?
                .iter()
            {
                let id = id.unwrap_or("");
                if id != last_id {
                    run += 1;
                    last_id.clear();
                    last_id.push_str(id);
                }
                keys.push(run);
            }
        }
        for (c, name) in text.iter().enumerate() {
            let column = df.column(name)?.cast(&DataType::String)?;
            // Most cells repeat the one above (one mechanism, schedule, format, status for a
            // long stretch): compared with it first, looked up only when they differ.
            let mut above: Option<(&str, u32)> = None;
            for (row, value) in batch.iter_mut().zip(column.str()?.iter()) {
                let value = value.unwrap_or("");
                let id = match above {
                    Some((text, id)) if text == value => id,
                    _ => {
                        let id = names.id(value);
                        above = Some((value, id));
                        id
                    }
                };
                row.text[c] = id;
            }
        }
        for (c, name) in numbers.iter().enumerate() {
            let column = df.column(name)?.cast(&DataType::Float64)?;
            for (row, value) in batch.iter_mut().zip(column.f64()?.iter()) {
                row.numbers[c] = value;
            }
        }
        for (row, &key) in batch.iter().zip(&keys) {
            if current_key != Some(key) {
                if !current.is_empty() {
                    pass(&current);
                    current.clear();
                }
                current_key = Some(key);
            }
            current.push(*row);
        }
        Ok(true)
    };
    raw.batches(&columns, &mut read)?;
    if !current.is_empty() {
        pass(&current);
    }
    Ok(())
}
