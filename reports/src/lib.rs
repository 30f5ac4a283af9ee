//! tourney-reports: everything users read, computed from the raw long table a tournament run
//! writes (`raw.parquet` / `raw.csv`, one row per match × entrant). It knows nothing of how a
//! match is played.
//!
//! - [`tables`]: payoff matrices with std and 95 % t intervals, the per-strategy summary, the
//!   network scorecard, computed a match at a time over the raw table read a batch at a time
//!   (`match_fold`, [`raw_batches`]), so memory does not grow with the number of matches;
//! - [`meta`]: each payoff matrix as a symmetric game — all symmetric Nash equilibria (exact),
//!   regrets, replicator dynamics, α-Rank, Gambit export;
//! - [`compare`]: mechanism variants side by side (Welch intervals, rank and equilibrium
//!   changes);
//! - [`plot`]: SVG heatmaps, emission bars and match time series;
//! - [`render`]: terminal tables and `summary.md`;
//! - [`html`]: the self-contained pages `reports/index.html` and `compare.html`;
//! - [`cli`]: the `tourney report | compare | plot` commands as plain library functions.
//!
//! Entry points: [`build_reports`] then [`write_reports`].

/// One typed polars column from a slice of rows: `column!(rows, "name", |r| r.field)`.
/// Defined before the modules so that every frame builder in the crate uses it.
macro_rules! column {
    ($rows:expr, $name:literal, |$r:ident| $value:expr) => {
        ::polars::prelude::Column::new(
            $name.into(),
            $rows.iter().map(|$r| $value).collect::<Vec<_>>(),
        )
    };
}

pub mod cli;
pub mod compare;
pub mod file_names;
pub mod free_memory;
pub mod html;
mod match_fold;
pub mod meta;
pub mod plot;
pub mod raw_batches;
pub mod render;
pub mod role_games;
pub mod stats;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

pub use meta::{Game, MetaGame, MetaOptions};
pub use tables::{NetworkRow, PayoffCell, SummaryRow, Tables};

/// Errors of the reports crate.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("no raw table in {0}: expected raw.parquet or raw.csv (hint: is this a tourney result directory?)")]
    NoRawTable(PathBuf),
    #[error("the raw table {source_name} has no column `{column}` (hint: it must follow the raw-table contract in docs/reports.md)")]
    MissingColumn { source_name: String, column: String },
    #[error("reading the raw table: {0}")]
    Polars(#[from] PolarsError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error("rendering {path} as PNG: {message}")]
    Png { path: PathBuf, message: String },
}

impl ReportError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> ReportError {
        ReportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Options of [`build_reports`] and [`write_reports`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// Confidence level of the intervals (default 0.95).
    pub level: f64,
    pub meta: MetaOptions,
    /// Role tournaments: bootstrap resamples per verdict (the level is `level`).
    pub role_resamples: u32,
    /// Write SVG plots (default true).
    pub plots: bool,
    /// Also write each plot as PNG (rendered from the SVG with resvg).
    pub png: bool,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            level: 0.95,
            meta: MetaOptions::default(),
            role_resamples: role_games::RoleOptions::default().resamples,
            plots: true,
            png: false,
        }
    }
}

/// The meta-game of one (mechanism, schedule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GameReport {
    pub mechanism: String,
    pub schedule: String,
    /// None when the payoff matrix has holes (a pairing never played or always errored);
    /// `note` says which.
    pub meta: Option<MetaGame>,
    pub note: Option<String>,
}

/// The one-line verdict of one (mechanism, schedule).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub mechanism: String,
    pub schedule: String,
    /// The selected equilibrium mix, e.g. "0.667 A + 0.333 B" (None when there is no game).
    pub equilibrium: Option<String>,
    pub equilibrium_payoff_tao: Option<f64>,
    /// How many extreme equilibria there are, and whether the set has continua.
    pub equilibria: usize,
    pub continuum: bool,
    /// 1 − emission_value_share (None when the network table has no row, or its matches all
    /// failed).
    pub no_value_share: Option<f64>,
    /// Matches that could not be played, left out of `no_value_share`.
    pub failed_matches: usize,
    /// Why there is no equilibrium, when there is none.
    pub note: Option<String>,
}

impl Verdict {
    pub fn line(&self) -> String {
        let eq = match (&self.equilibrium, self.equilibrium_payoff_tao) {
            (Some(mix), Some(v)) => {
                let how_many = if self.equilibria > 1 {
                    format!(
                        ", best of {} extreme equilibria{}",
                        self.equilibria,
                        if self.continuum {
                            ", with continua"
                        } else {
                            ""
                        }
                    )
                } else {
                    String::new()
                };
                format!(
                    "equilibrium {mix} ({} TAO per match{how_many})",
                    render::num(v, 3)
                )
            }
            _ => format!(
                "no equilibrium ({})",
                self.note
                    .as_deref()
                    .unwrap_or("no round-robin payoff matrix")
            ),
        };
        let failed = |n: usize| {
            if n == 1 {
                "1 failed match".to_string()
            } else {
                format!("{n} failed matches")
            }
        };
        let waste = match (self.no_value_share, self.failed_matches) {
            (Some(s), 0) => format!(
                "{} % of emission funded no value",
                render::num(100.0 * s, 1)
            ),
            (Some(s), n) => format!(
                "{} % of emission funded no value ({} left out)",
                render::num(100.0 * s, 1),
                failed(n)
            ),
            (None, 0) => "no network data".to_string(),
            (None, 1) => "no network data: its only match failed".to_string(),
            (None, n) => format!("no network data: all {n} matches failed"),
        };
        format!("{} / {}: {eq}; {waste}", self.mechanism, self.schedule)
    }
}

/// Everything [`write_reports`] writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSet {
    pub tables: Tables,
    pub games: Vec<GameReport>,
    pub verdicts: Vec<Verdict>,
    /// Role tournaments: one solved role game per (mechanism, schedule), and the network at
    /// each one's equilibrium (`rolegame.json` and `role_network.*` hold them).
    #[serde(skip)]
    pub roles: Vec<role_games::RoleCell>,
    #[serde(skip)]
    pub role_network: Vec<role_games::network::EquilibriumNetwork>,
    pub level: f64,
}

impl ReportOptions {
    /// The role analysis' options.
    pub fn roles(&self) -> role_games::RoleOptions {
        role_games::RoleOptions {
            resamples: self.role_resamples,
            level: self.level,
        }
    }
}

/// Reads `result_dir/raw.parquet` (or `raw.csv`) and computes every report.
pub fn build_reports(result_dir: &Path, options: &ReportOptions) -> Result<ReportSet, ReportError> {
    build_reports_of(&raw_batches::RawTable::open(result_dir)?, options)
}

/// Computes every report from a raw lazy frame that follows the contract.
pub fn build_reports_from(
    raw: LazyFrame,
    options: &ReportOptions,
) -> Result<ReportSet, ReportError> {
    let raw = tables::select_raw(raw, "the raw frame")?;
    build_reports_of(&raw_batches::RawTable::from_lazy(raw), options)
}

/// Computes every report from a raw table. Each table and the role games read what they need
/// from it (a scan of the file, in batches: never the whole table in memory at once).
/// Freed memory is given back to the system before and after the tables' passes
/// ([`free_memory::release`]).
fn build_reports_of(
    raw: &raw_batches::RawTable,
    options: &ReportOptions,
) -> Result<ReportSet, ReportError> {
    free_memory::release();
    let tables = tables::build_tables_of(raw, options.level)?;
    // The passes' lists are freed: give them back before the reports are written.
    free_memory::release();
    let games = games_of(&tables.payoff, &options.meta);
    // Role games only when the table has `format: roles` rows (the summary groups every row by
    // format): otherwise their query over the whole table would find none, at the cost of
    // starting polars' query engine (≈ 18 MB).
    let has_roles = tables
        .summary
        .iter()
        .any(|r| r.format.starts_with("roles:"));
    let roles = if has_roles {
        role_games::role_cells(raw.lazy().clone(), &options.roles())?
    } else {
        Vec::new()
    };
    let role_network = role_games::network::equilibrium_network(&roles, &tables.network);
    // A role cell's verdict is its role verdict (printed from `roles`), not a round-robin one.
    let verdicts = verdicts_of(&games, &tables.network)
        .into_iter()
        .filter(|v| {
            !roles
                .iter()
                .any(|c| c.mechanism() == v.mechanism && c.schedule() == v.schedule)
        })
        .collect();
    Ok(ReportSet {
        tables,
        games,
        verdicts,
        roles,
        role_network,
        level: options.level,
    })
}

/// The payoff matrix of each (mechanism, schedule) as a game (strategies in name order).
pub fn games_of(cells: &[PayoffCell], options: &MetaOptions) -> Vec<GameReport> {
    let mut by_key: BTreeMap<(String, String), Vec<&PayoffCell>> = BTreeMap::new();
    for c in cells {
        by_key
            .entry((c.mechanism.clone(), c.schedule.clone()))
            .or_default()
            .push(c);
    }
    by_key
        .into_iter()
        .map(|((mechanism, schedule), cells)| {
            let names: Vec<String> = cells
                .iter()
                .flat_map(|c| [c.entrant.clone(), c.opponent.clone()])
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let index = |s: &str| names.iter().position(|n| n == s).unwrap_or(0);
            let n = names.len();
            let mut payoff = vec![vec![f64::NAN; n]; n];
            for c in &cells {
                payoff[index(&c.entrant)][index(&c.opponent)] = c.mean_profit_tao;
            }
            let mut holes = Vec::new();
            for i in 0..n {
                for j in 0..n {
                    if !payoff[i][j].is_finite() {
                        holes.push(format!("{} vs {}", names[i], names[j]));
                    }
                }
            }
            if !holes.is_empty() {
                return GameReport {
                    mechanism,
                    schedule,
                    meta: None,
                    note: Some(format!("no ok payoff for {}", holes.join(", "))),
                };
            }
            let game = Game {
                strategies: names,
                payoff,
            };
            GameReport {
                mechanism,
                schedule,
                meta: Some(meta::analyse(&game, options)),
                note: None,
            }
        })
        .collect()
}

fn verdicts_of(games: &[GameReport], network: &[NetworkRow]) -> Vec<Verdict> {
    let mut keys: BTreeSet<(String, String)> = games
        .iter()
        .map(|g| (g.mechanism.clone(), g.schedule.clone()))
        .collect();
    keys.extend(
        network
            .iter()
            .map(|r| (r.mechanism.clone(), r.schedule.clone())),
    );
    keys.into_iter()
        .map(|(mechanism, schedule)| {
            let report = games
                .iter()
                .find(|g| g.mechanism == mechanism && g.schedule == schedule);
            let game = report.and_then(|g| g.meta.as_ref());
            let note = report.and_then(|g| {
                g.note
                    .clone()
                    .or_else(|| g.meta.as_ref().and_then(|m| m.nash_error.clone()))
            });
            let set = game.and_then(|m| m.equilibria.as_ref());
            let best = set.and_then(|s| s.best());
            let row = network
                .iter()
                .find(|r| r.mechanism == mechanism && r.schedule == schedule);
            Verdict {
                equilibrium: match (game, best) {
                    (Some(m), Some(b)) => Some(meta::describe_mix(&m.game.strategies, &b.mix)),
                    _ => None,
                },
                equilibrium_payoff_tao: best.map(|b| b.payoff),
                equilibria: set.map(|s| s.equilibria.len()).unwrap_or(0),
                continuum: set.map(|s| s.continuum).unwrap_or(false),
                no_value_share: row
                    .filter(|r| r.matches > 0)
                    .map(|r| r.emission_no_value_share),
                failed_matches: row.map_or(0, |r| r.errors),
                note,
                mechanism,
                schedule,
            }
        })
        .collect()
}

/// A file-name-safe form of a label.
pub fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn write_text(path: &Path, text: &str) -> Result<(), ReportError> {
    fs::write(path, text).map_err(|e| ReportError::io(path, e))
}

/// Writes a DataFrame as `<stem>.parquet` and `<stem>.csv` in `dir`.
pub fn write_frame(
    dir: &Path,
    stem: &str,
    df: &mut DataFrame,
) -> Result<Vec<PathBuf>, ReportError> {
    let pq = dir.join(format!("{stem}.parquet"));
    let file = fs::File::create(&pq).map_err(|e| ReportError::io(&pq, e))?;
    ParquetWriter::new(file).finish(df)?;
    let csv = dir.join(format!("{stem}.csv"));
    let mut file = fs::File::create(&csv).map_err(|e| ReportError::io(&csv, e))?;
    CsvWriter::new(&mut file).include_header(true).finish(df)?;
    Ok(vec![pq, csv])
}

/// Writes every report into `out_dir` (created if needed) and returns the files written:
/// `payoff|summary|network.{parquet,csv}`, `equilibria.csv`, `metagame.json`,
/// `games/<mechanism>__<schedule>.nfg`, `summary.md`, and `plots/*.svg` when enabled.
pub fn write_reports(
    set: &ReportSet,
    out_dir: &Path,
    options: &ReportOptions,
) -> Result<Vec<PathBuf>, ReportError> {
    fs::create_dir_all(out_dir).map_err(|e| ReportError::io(out_dir, e))?;
    let mut written = Vec::new();
    written.extend(write_frame(
        out_dir,
        "payoff",
        &mut tables::payoff_frame(&set.tables.payoff)?,
    )?);
    written.extend(write_frame(
        out_dir,
        "summary",
        &mut tables::summary_frame(&set.tables.summary)?,
    )?);
    written.extend(write_frame(
        out_dir,
        "network",
        &mut tables::network_frame(&set.tables.network)?,
    )?);

    let eq_path = out_dir.join("equilibria.csv");
    write_text(&eq_path, &render::equilibria_csv(set))?;
    written.push(eq_path);

    let json_path = out_dir.join("metagame.json");
    let json = serde_json::to_string_pretty(&set.games)
        .map_err(|e| ReportError::Invalid(format!("serializing the meta-game: {e}")))?;
    write_text(&json_path, &(json + "\n"))?;
    written.push(json_path);

    let games_dir = out_dir.join("games");
    fs::create_dir_all(&games_dir).map_err(|e| ReportError::io(&games_dir, e))?;
    for g in &set.games {
        if let Some(m) = &g.meta {
            let path = games_dir.join(format!("{}__{}.nfg", slug(&g.mechanism), slug(&g.schedule)));
            let title = format!(
                "tourney payoff matrix: {} / {} (TAO)",
                g.mechanism, g.schedule
            );
            write_text(&path, &meta::to_nfg(&m.game, &title))?;
            written.push(path);
        }
    }

    written.extend(role_games::write::write_role_reports(
        &set.roles,
        &set.role_network,
        out_dir,
    )?);

    let md_path = out_dir.join("summary.md");
    write_text(&md_path, &render::markdown(set))?;
    written.push(md_path);

    if options.plots || options.png {
        let svgs = plot::write_report_plots(set, &out_dir.join("plots"))?;
        if options.png {
            written.extend(plot::png_siblings(&svgs)?);
        }
        written.extend(svgs);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(e: &str, o: &str, mean: f64) -> PayoffCell {
        PayoffCell {
            mechanism: "m".into(),
            schedule: "s".into(),
            entrant: e.into(),
            opponent: o.into(),
            matches: 1,
            mean_profit_tao: mean,
            std_profit_tao: f64::NAN,
            ci_low_tao: f64::NAN,
            ci_high_tao: f64::NAN,
        }
    }

    #[test]
    fn a_hole_in_the_matrix_is_explained_in_the_verdict() {
        // B vs A was never played (or always errored): no game, and the verdict says why.
        let cells = vec![
            cell("A", "A", 1.0),
            cell("A", "B", 2.0),
            cell("B", "B", 3.0),
        ];
        let games = games_of(&cells, &MetaOptions::default());
        assert!(games[0].meta.is_none());
        let v = verdicts_of(&games, &[]);
        assert_eq!(
            v[0].line(),
            "m / s: no equilibrium (no ok payoff for B vs A); no network data"
        );
    }

    #[test]
    fn a_game_too_large_for_the_exact_search_is_explained() {
        let names: Vec<String> = (0..17).map(|i| format!("s{i:02}")).collect();
        let mut cells = Vec::new();
        for a in &names {
            for b in &names {
                cells.push(cell(a, b, if a == b { 1.0 } else { 0.0 }));
            }
        }
        let games = games_of(&cells, &MetaOptions::default());
        let v = verdicts_of(&games, &[]);
        assert!(v[0].line().contains("limited to 16"), "{}", v[0].line());
    }
}
