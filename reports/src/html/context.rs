//! What the report page needs from the result directory beyond the [`ReportSet`]: the run's
//! manifest and YAML, and for each equilibrium's support a representative match with its time
//! series when the run wrote one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::plot::{read_series, MatchSeries};
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
    /// `series/<match_id>.csv`, when the run wrote it, as its chart draws it (a bounded number
    /// of points a subnet, however long the file: `plot::read_series`), or why it cannot be
    /// read (see [`SeriesRead`]).
    pub series: Option<SeriesRead>,
}

/// A series file as the page gets it: the series, or the error reading it (file:line and
/// reason). The page shows that error in the chart's place rather than failing: one damaged
/// file is one chart of many, and the rest of the report stands without it.
pub type SeriesRead = Result<MatchSeries, String>;

/// Everything the page shows about the run itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunContext {
    /// The result directory as the user named it (used in the commands the page shows).
    pub result_dir: PathBuf,
    /// `manifest.json` when it is text: the page quotes it whole, copied from the file as the
    /// page is written (`super::manifest::write_escaped`), never held.
    pub manifest_path: Option<PathBuf>,
    /// `manifest.json` parsed, its `match_seeds` cut to the first
    /// [`super::manifest::MAX_SEEDS_SHOWN`]; `seed_count` is how many it lists.
    pub manifest: Option<serde_json::Value>,
    pub seed_count: Option<usize>,
    /// `tournament.yaml`, the copy of the tournament file the run saved.
    pub yaml: Option<String>,
    pub matches: Vec<RepresentativeMatch>,
    /// Role tournaments: one match per role game (see [`role_representatives`]).
    pub role_matches: Vec<RoleMatch>,
    /// What the page shows in place of a chart it could not draw, one line each, for the
    /// command to repeat on stderr (a page is not always read).
    pub warnings: Vec<String>,
}

/// The match that shows a role game's equilibrium at work: the first ok match (in plan order)
/// of the profile the equilibrium mixture makes most likely.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleMatch {
    pub mechanism: String,
    pub schedule: String,
    /// The profile in words (`meme-farmer | root-staker`), and its probability under the mix.
    pub profile: String,
    pub probability: f64,
    pub match_id: String,
    /// `series/<match_id>.csv`, when the run wrote it, as its chart draws it (a bounded number
    /// of points a subnet, however long the file: `plot::read_series`), or why it cannot be
    /// read (see [`SeriesRead`]).
    pub series: Option<SeriesRead>,
}

impl RunContext {
    /// Reads the manifest, the YAML and the representative matches of `result_dir`.
    pub fn read(result_dir: &Path, set: &ReportSet) -> Result<RunContext, ReportError> {
        let manifest_file = result_dir.join("manifest.json");
        let manifest_path = super::manifest::is_text(&manifest_file).then_some(manifest_file);
        let (manifest, seed_count) = match manifest_path.as_deref().and_then(super::manifest::read)
        {
            Some((m, count)) => (Some(m), count),
            None => (None, None),
        };
        let yaml = fs::read_to_string(result_dir.join("tournament.yaml")).ok();
        let mut warnings = Vec::new();
        let mut matches = representative_matches(result_dir, set)?;
        for m in &mut matches {
            m.series = series_of(result_dir, &m.match_id, &mut warnings);
        }
        let mut role_matches = role_representatives(result_dir, set)?;
        for m in &mut role_matches {
            m.series = series_of(result_dir, &m.match_id, &mut warnings);
        }
        Ok(RunContext {
            result_dir: result_dir.to_path_buf(),
            manifest_path,
            manifest,
            seed_count,
            yaml,
            matches,
            role_matches,
            warnings,
        })
    }
}

/// `series/<match_id>.csv` of `result_dir` read for its chart, `None` when the run wrote none.
/// A file that cannot be read is a warning, not the page's failure (see [`SeriesRead`]).
fn series_of(result_dir: &Path, match_id: &str, warnings: &mut Vec<String>) -> Option<SeriesRead> {
    let path = result_dir
        .join("series")
        .join(crate::file_names::series_file_name(match_id));
    if !path.is_file() {
        return None;
    }
    Some(read_series(&path).map_err(|e| {
        let error = e.to_string();
        warnings.push(format!(
            "the report page shows no chart for match {match_id}: {error}"
        ));
        error
    }))
}

/// The first ok round-robin match (in plan order) of `entrant` against `opponent` under
/// (`mechanism`, `schedule`): the table read a slice at a time until one is found, so memory
/// holds one slice whatever the table's size.
fn first_round_robin_match(
    result_dir: &Path,
    (mechanism, schedule): (&str, &str),
    entrant: &str,
    opponent: &str,
) -> Result<Option<String>, ReportError> {
    let wanted = col("format")
        .eq(lit("round-robin"))
        .and(col("status").eq(lit("ok")))
        .and(col("mechanism").eq(lit(mechanism)))
        .and(col("schedule").eq(lit(schedule)))
        .and(col("entrant").eq(lit(entrant)))
        .and(col("opponent").eq(lit(opponent)));
    let scan = tables::scan_raw(result_dir)?.select([col("match_id"), wanted.alias("wanted")]);
    let mut found = None;
    crate::raw_batches::lazy_batches(scan, |df| {
        let hits = df.column("wanted")?.bool()?;
        let ids = df.column("match_id")?.str()?;
        found = hits
            .iter()
            .zip(ids.iter())
            .find(|(hit, _)| *hit == Some(true))
            .map(|(_, id)| id.unwrap_or("").to_string());
        Ok(found.is_none())
    })?;
    Ok(found)
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
    let mut out: Vec<RepresentativeMatch> = Vec::new();
    for (mechanism, schedule, support) in supports {
        let mut found = 0;
        for (k, strategy) in support.iter().enumerate() {
            if found == MAX_MATCHES_PER_GAME {
                break;
            }
            let opponent = &support[(k + 1) % support.len()];
            let Some(match_id) =
                first_round_robin_match(result_dir, (mechanism, schedule), strategy, opponent)?
            else {
                continue;
            };
            if out.iter().any(|m| m.match_id == match_id) {
                continue;
            }
            out.push(RepresentativeMatch {
                mechanism: mechanism.to_string(),
                schedule: schedule.to_string(),
                strategy: strategy.clone(),
                opponent: opponent.clone(),
                match_id,
                series: None,
            });
            found += 1;
        }
    }
    Ok(out)
}

/// Probability of `profile` (counts per role and strategy) when every player of role `r` draws
/// its strategy from `mix[r]`: per role the multinomial `players! / Π counts! · Π w^count`.
pub fn profile_probability(profile: &[Vec<u32>], mix: &[Vec<f64>]) -> f64 {
    profile
        .iter()
        .zip(mix)
        .map(|(counts, weights)| {
            let players: u32 = counts.iter().sum();
            let mut p: f64 = (1..=players).map(f64::from).product();
            for (&c, &w) in counts.iter().zip(weights) {
                p /= (1..=c).map(f64::from).product::<f64>();
                p *= w.powi(c as i32);
            }
            p
        })
        .product()
}

/// For each role game with an equilibrium: the profile (among those played) with the highest
/// probability under the equilibrium mixture (ties: the first in profile order), and its
/// first match (in plan order) whose rows are all ok.
pub fn role_representatives(
    result_dir: &Path,
    set: &ReportSet,
) -> Result<Vec<RoleMatch>, ReportError> {
    if set.roles.is_empty() {
        return Ok(Vec::new());
    }
    let df = tables::scan_raw(result_dir)?
        .filter(col("format").eq(lit("roles")))
        .select([
            col("mechanism"),
            col("schedule"),
            col("match_id"),
            col("role"),
            col("entrant"),
            col("status"),
        ])
        .collect()?;
    let text = |name: &str| tables::text_column(&df, name);
    let (mech, sched, ids, roles, entrants, status) = (
        text("mechanism")?,
        text("schedule")?,
        text("match_id")?,
        text("role")?,
        text("entrant")?,
        text("status")?,
    );
    let mut out = Vec::new();
    for cell in &set.roles {
        let Some(eq) = cell.reference() else {
            continue;
        };
        let game = &cell.built.full;
        let mut best: Option<(f64, &Vec<Vec<u32>>)> = None;
        for p in game.profiles() {
            let prob = profile_probability(&p.profile, &eq.mix);
            match best {
                Some((b, _)) if prob <= b => {}
                _ => best = Some((prob, &p.profile)),
            }
        }
        let Some((probability, profile)) = best else {
            continue;
        };
        // The cell's matches in plan order: their profile, and whether every row is ok.
        let mut order: Vec<String> = Vec::new();
        let mut counts: BTreeMap<String, (Vec<Vec<u32>>, bool)> = BTreeMap::new();
        for k in 0..df.height() {
            if mech[k] != cell.mechanism() || sched[k] != cell.schedule() {
                continue;
            }
            let entry = counts.entry(ids[k].clone()).or_insert_with(|| {
                order.push(ids[k].clone());
                (
                    game.roles()
                        .iter()
                        .map(|r| vec![0; r.strategies.len()])
                        .collect(),
                    true,
                )
            });
            entry.1 &= status[k] == "ok";
            let r = game.roles().iter().position(|r| r.name == roles[k]);
            let s = r.and_then(|r| {
                game.roles()[r]
                    .strategies
                    .iter()
                    .position(|n| *n == entrants[k])
            });
            match (r, s) {
                (Some(r), Some(s)) => entry.0[r][s] += 1,
                _ => entry.1 = false,
            }
        }
        let Some(id) = order.iter().find(|id| {
            let (c, ok) = &counts[*id];
            *ok && c == profile
        }) else {
            continue;
        };
        out.push(RoleMatch {
            mechanism: cell.mechanism().to_string(),
            schedule: cell.schedule().to_string(),
            profile: crate::role_games::write::profile_text(game, profile),
            probability,
            match_id: id.clone(),
            series: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::profile_probability;

    #[test]
    fn profile_probability_is_multinomial_per_role() {
        // Two owners (a, b) and one trader (c, d); owners mix 0.6 a + 0.4 b, the trader plays c.
        let mix = vec![vec![0.6, 0.4], vec![1.0, 0.0]];
        // One a and one b: 2!/(1!·1!) · 0.6 · 0.4 = 0.48; the trader: 1.
        assert!((profile_probability(&[vec![1, 1], vec![1, 0]], &mix) - 0.48).abs() < 1e-12);
        // Two a: 0.6² = 0.36; two b: 0.16; the three sum to 1 with the trader on c.
        assert!((profile_probability(&[vec![2, 0], vec![1, 0]], &mix) - 0.36).abs() < 1e-12);
        assert!((profile_probability(&[vec![0, 2], vec![1, 0]], &mix) - 0.16).abs() < 1e-12);
        // The trader on d: impossible.
        assert_eq!(profile_probability(&[vec![2, 0], vec![0, 1]], &mix), 0.0);
    }
}
