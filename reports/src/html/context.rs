//! What the report page needs from the result directory beyond the [`ReportSet`]: the run's
//! manifest and YAML, and for each equilibrium's support a representative match with its time
//! series when the run wrote one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::plot::{read_series, SubnetSeries};
use crate::{tables, ReportError, ReportSet};

/// Most representative matches shown per game (one per support strategy, up to this many).
pub const MAX_MATCHES_PER_GAME: usize = 6;

/// One match that shows an equilibrium strategy at work.
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentativeMatch {
    pub mechanism: String,
    pub schedule: String,
    /// The support strategy it represents, and whom it met.
    pub strategy: String,
    pub opponent: String,
    pub match_id: String,
    /// `series/<match_id>.csv`, when the run wrote it.
    pub series: Option<BTreeMap<String, SubnetSeries>>,
}

/// Everything the page shows about the run itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunContext {
    /// The result directory as the user named it (used in the commands the page shows).
    pub result_dir: PathBuf,
    /// `manifest.json`, verbatim and parsed.
    pub manifest_text: Option<String>,
    pub manifest: Option<serde_json::Value>,
    /// `tournament.yaml`, the copy of the tournament file the run saved.
    pub yaml: Option<String>,
    pub matches: Vec<RepresentativeMatch>,
}

impl RunContext {
    /// Reads the manifest, the YAML and the representative matches of `result_dir`.
    pub fn read(result_dir: &Path, set: &ReportSet) -> Result<RunContext, ReportError> {
        let manifest_text = fs::read_to_string(result_dir.join("manifest.json")).ok();
        let manifest = manifest_text
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok());
        let yaml = fs::read_to_string(result_dir.join("tournament.yaml")).ok();
        let mut matches = representative_matches(result_dir, set)?;
        for m in &mut matches {
            let path = result_dir
                .join("series")
                .join(format!("{}.csv", m.match_id));
            if path.is_file() {
                m.series = Some(read_series(&path)?);
            }
        }
        Ok(RunContext {
            result_dir: result_dir.to_path_buf(),
            manifest_text,
            manifest,
            yaml,
            matches,
        })
    }
}

/// One ok round-robin row of the raw table, the columns that find a match.
struct RoundRobinRow {
    mechanism: String,
    schedule: String,
    entrant: String,
    opponent: String,
    match_id: String,
}

/// The ok round-robin rows of the raw table, in plan order.
fn round_robin_rows(result_dir: &Path) -> Result<Vec<RoundRobinRow>, ReportError> {
    let df = tables::scan_raw(result_dir)?
        .filter(
            col("format")
                .eq(lit("round-robin"))
                .and(col("status").eq(lit("ok"))),
        )
        .select([
            col("mechanism"),
            col("schedule"),
            col("entrant"),
            col("opponent"),
            col("match_id"),
        ])
        .collect()?;
    let text = |name: &str| -> Result<Vec<String>, ReportError> {
        let column = df.column(name)?.cast(&DataType::String)?;
        Ok(column
            .str()?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect())
    };
    let (m, s, e, o, id) = (
        text("mechanism")?,
        text("schedule")?,
        text("entrant")?,
        text("opponent")?,
        text("match_id")?,
    );
    Ok((0..df.height())
        .map(|k| RoundRobinRow {
            mechanism: m[k].clone(),
            schedule: s[k].clone(),
            entrant: e[k].clone(),
            opponent: o[k].clone(),
            match_id: id[k].clone(),
        })
        .collect())
}

/// For each game's selected equilibrium, one match per support strategy: the first ok
/// round-robin match (in plan order) of that strategy against the next strategy of the support
/// (in name order, wrapping around; against itself when the support is one strategy). A match
/// found twice (A vs B and B vs A) is listed once.
pub fn representative_matches(
    result_dir: &Path,
    set: &ReportSet,
) -> Result<Vec<RepresentativeMatch>, ReportError> {
    let supports: Vec<(&str, &str, Vec<String>)> = set
        .games
        .iter()
        .filter_map(|g| {
            let m = g.meta.as_ref()?;
            let best = m.equilibria.as_ref()?.best()?;
            let names = best
                .support
                .iter()
                .map(|&i| m.game.strategies[i].clone())
                .collect();
            Some((g.mechanism.as_str(), g.schedule.as_str(), names))
        })
        .collect();
    if supports.is_empty() {
        return Ok(Vec::new());
    }
    let rows = round_robin_rows(result_dir)?;
    let mut out: Vec<RepresentativeMatch> = Vec::new();
    for (mechanism, schedule, support) in supports {
        let mut found = 0;
        for (k, strategy) in support.iter().enumerate() {
            if found == MAX_MATCHES_PER_GAME {
                break;
            }
            let opponent = &support[(k + 1) % support.len()];
            let Some(row) = rows.iter().find(|r| {
                r.mechanism == mechanism
                    && r.schedule == schedule
                    && &r.entrant == strategy
                    && &r.opponent == opponent
            }) else {
                continue;
            };
            if out.iter().any(|m| m.match_id == row.match_id) {
                continue;
            }
            out.push(RepresentativeMatch {
                mechanism: mechanism.to_string(),
                schedule: schedule.to_string(),
                strategy: strategy.clone(),
                opponent: opponent.clone(),
                match_id: row.match_id.clone(),
                series: None,
            });
            found += 1;
        }
    }
    Ok(out)
}
