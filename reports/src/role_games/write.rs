//! The files and terminal text of a role tournament's reports:
//! - `role_equilibria.csv`: every equilibrium found, one line per (role, strategy): weight,
//!   bootstrap support frequency and weight interval (verdict equilibrium), regret against the
//!   verdict's equilibrium, the role's payoff and its interval;
//! - `role_profiles.{parquet,csv}`: the profile payoff table, one line per (profile, role,
//!   strategy played): players, matches, mean and std payoff;
//! - `role_network.{parquet,csv}`: the network at equilibrium beside the all-matches mean;
//! - `rolegame.json`: every analysis (equilibria, confidence, replicator, α-Rank);
//! - `games/<mechanism>__<schedule>.roles.nfg`: two roles of one player, as a Gambit game.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::build::OBSERVABLES;
use super::network::EquilibriumNetwork;
use super::{RoleCell, SUPPORT};
use crate::meta::roles::to_nfg_two_roles;
use crate::render::{num, text_table};
use crate::{slug, write_frame, ReportError};

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `role_equilibria.csv`.
pub fn equilibria_csv(cells: &[RoleCell]) -> String {
    let mut out = String::from(
        "mechanism,schedule,equilibrium,role,strategy,weight,support_frequency,weight_low,weight_high,regret,role_payoff_tao,role_payoff_low_tao,role_payoff_high_tao,equilibrium_regret\n",
    );
    for c in cells {
        for (e, eq) in c.equilibria.iter().enumerate() {
            for (r, role) in c.game().roles().iter().enumerate() {
                for (s, name) in role.strategies.iter().enumerate() {
                    let conf = c.confidence.as_ref().filter(|_| e == 0);
                    let regret = if e == 0 {
                        c.regrets[r][s]
                    } else {
                        c.game().regrets(&eq.mix)[r][s]
                    };
                    let (wl, wh) = conf
                        .map(|k| k.weight_interval[r][s])
                        .unwrap_or((f64::NAN, f64::NAN));
                    let (pl, ph) = conf
                        .map(|k| k.payoff_interval[r])
                        .unwrap_or((f64::NAN, f64::NAN));
                    let _ = writeln!(
                        out,
                        "{},{},{e},{},{},{},{},{},{},{},{},{},{},{}",
                        csv_field(c.mechanism()),
                        csv_field(c.schedule()),
                        csv_field(&role.name),
                        csv_field(name),
                        num(eq.mix[r][s], 6),
                        conf.map(|k| num(k.support_frequency[r][s], 4))
                            .unwrap_or_else(|| "–".into()),
                        num(wl, 6),
                        num(wh, 6),
                        num(regret, 6),
                        num(eq.payoff[r], 6),
                        num(pl, 6),
                        num(ph, 6),
                        num(eq.regret, 6),
                    );
                }
            }
        }
    }
    out
}

/// The profile payoff table.
pub fn profiles_frame(cells: &[RoleCell]) -> Result<DataFrame, ReportError> {
    struct Line {
        mechanism: String,
        schedule: String,
        profile: String,
        role: String,
        strategy: String,
        players: u32,
        matches: u32,
        mean: f64,
        std: f64,
    }
    let mut lines = Vec::new();
    for c in cells {
        let game = &c.built.full;
        for p in game.profiles() {
            let label = profile_text(game, &p.profile);
            for (r, role) in game.roles().iter().enumerate() {
                for (s, name) in role.strategies.iter().enumerate() {
                    if p.profile[r][s] == 0 {
                        continue;
                    }
                    let xs: Vec<f64> = p.observations.iter().map(|o| o.payoff[r][s]).collect();
                    let m = crate::stats::Moments::of(&xs);
                    lines.push(Line {
                        mechanism: c.mechanism().into(),
                        schedule: c.schedule().into(),
                        profile: label.clone(),
                        role: role.name.clone(),
                        strategy: name.clone(),
                        players: p.profile[r][s],
                        matches: xs.len() as u32,
                        mean: m.mean,
                        std: m.std,
                    });
                }
            }
        }
    }
    Ok(DataFrame::new_infer_height(vec![
        column!(lines, "mechanism", |l| l.mechanism.clone()),
        column!(lines, "schedule", |l| l.schedule.clone()),
        column!(lines, "profile", |l| l.profile.clone()),
        column!(lines, "role", |l| l.role.clone()),
        column!(lines, "strategy", |l| l.strategy.clone()),
        column!(lines, "players", |l| l.players),
        column!(lines, "matches", |l| l.matches),
        column!(lines, "mean_payoff_tao", |l| l.mean),
        column!(lines, "std_payoff_tao", |l| l.std),
    ])?)
}

/// A profile in words: `meme-farmer+meme-farmer | root-staker | momentum-speculator`.
pub fn profile_text(game: &crate::meta::roles::RoleGame, profile: &[Vec<u32>]) -> String {
    game.roles()
        .iter()
        .zip(profile)
        .map(|(role, counts)| {
            role.strategies
                .iter()
                .zip(counts)
                .flat_map(|(s, &c)| std::iter::repeat_n(s.clone(), c as usize))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The network-at-equilibrium table.
pub fn network_frame(rows: &[EquilibriumNetwork]) -> Result<DataFrame, ReportError> {
    let mut columns = vec![
        column!(rows, "mechanism", |r| r.mechanism.clone()),
        column!(rows, "schedule", |r| r.schedule.clone()),
        column!(rows, "matches", |r| r.matches as u64),
    ];
    for (k, name) in OBSERVABLES.iter().enumerate() {
        columns.push(Column::new(
            format!("{name}_at_equilibrium").into(),
            rows.iter().map(|r| r.at_equilibrium[k]).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("{name}_low").into(),
            rows.iter().map(|r| r.interval[k].0).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("{name}_high").into(),
            rows.iter().map(|r| r.interval[k].1).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("{name}_all_matches").into(),
            rows.iter().map(|r| r.all_matches[k]).collect::<Vec<_>>(),
        ));
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

/// Writes every role file into `out_dir`; returns the files written.
pub fn write_role_reports(
    cells: &[RoleCell],
    network: &[EquilibriumNetwork],
    out_dir: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    let mut written = Vec::new();
    if cells.is_empty() {
        return Ok(written);
    }
    let path = out_dir.join("role_equilibria.csv");
    fs::write(&path, equilibria_csv(cells)).map_err(|e| ReportError::io(&path, e))?;
    written.push(path);
    written.extend(write_frame(
        out_dir,
        "role_profiles",
        &mut profiles_frame(cells)?,
    )?);
    written.extend(write_frame(
        out_dir,
        "role_network",
        &mut network_frame(network)?,
    )?);
    let path = out_dir.join("rolegame.json");
    let json: Vec<_> = cells.iter().map(RoleCell::to_json).collect();
    let text = serde_json::to_string_pretty(&json)
        .map_err(|e| ReportError::Invalid(format!("serializing the role games: {e}")))?;
    fs::write(&path, text + "\n").map_err(|e| ReportError::io(&path, e))?;
    written.push(path);
    let games_dir = out_dir.join("games");
    fs::create_dir_all(&games_dir).map_err(|e| ReportError::io(&games_dir, e))?;
    for c in cells {
        let title = format!(
            "tourney role game: {} / {} (TAO profit per role)",
            c.mechanism(),
            c.schedule()
        );
        if let Some(nfg) = to_nfg_two_roles(c.game(), &title) {
            let path = games_dir.join(format!(
                "{}__{}.roles.nfg",
                slug(c.mechanism()),
                slug(c.schedule())
            ));
            fs::write(&path, nfg).map_err(|e| ReportError::io(&path, e))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// Terminal text of one cell: the regret of every strategy against the verdict's equilibrium,
/// its support frequency and weight interval, where replicator dynamics end, each role's payoff.
pub fn cell_terminal(c: &RoleCell) -> String {
    let mut out = String::new();
    {
        let Some(eq) = c.reference() else {
            let _ = writeln!(out, "no role equilibrium");
            return out;
        };
        let headers: Vec<String> = [
            "role / strategy",
            "weight",
            "in support",
            "weight interval",
            "regret TAO",
            "replicator",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rows = Vec::new();
        for (r, role) in c.game().roles().iter().enumerate() {
            for (s, name) in role.strategies.iter().enumerate() {
                let conf = c.confidence.as_ref();
                rows.push(vec![
                    format!("{} / {name}", role.name),
                    num(eq.mix[r][s], 3),
                    conf.map(|k| num(k.support_frequency[r][s], 2))
                        .unwrap_or_else(|| "–".into()),
                    conf.map(|k| {
                        let (lo, hi) = k.weight_interval[r][s];
                        format!("[{}, {}]", num(lo, 2), num(hi, 2))
                    })
                    .unwrap_or_else(|| "–".into()),
                    num(c.regrets[r][s], 3),
                    c.replicator
                        .as_ref()
                        .map(|m| num(m[r][s], 3))
                        .unwrap_or_else(|| "–".into()),
                ]);
            }
        }
        out.push_str(&text_table(&headers, &rows));
        for (r, role) in c.game().roles().iter().enumerate() {
            let interval = c
                .confidence
                .as_ref()
                .map(|k| {
                    let (lo, hi) = k.payoff_interval[r];
                    format!(" [{}, {}]", num(lo, 1), num(hi, 1))
                })
                .unwrap_or_default();
            let played: Vec<&str> = role
                .strategies
                .iter()
                .zip(&eq.mix[r])
                .filter(|(_, &w)| w > SUPPORT)
                .map(|(s, _)| s.as_str())
                .collect();
            let _ = writeln!(
                out,
                "  {}: {} TAO per player{interval} at equilibrium ({})",
                role.name,
                num(eq.payoff[r], 1),
                played.join(", ")
            );
        }
        if c.equilibria.len() > 1 {
            let _ = writeln!(
                out,
                "  {} equilibria found; the verdict shows the one with least regret (all in role_equilibria.csv)",
                c.equilibria.len()
            );
        }
    }
    out
}

/// Terminal text: the network at each cell's equilibrium beside the all-matches mean.
pub fn network_terminal(network: &[EquilibriumNetwork]) -> String {
    let mut out = String::new();
    if !network.is_empty() {
        let headers: Vec<String> = [
            "mechanism / schedule",
            "no value % at eq",
            "interval",
            "all matches",
            "value %",
            "meme %",
            "off-topic %",
            "idle %",
            "largest crash %",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let pct = |x: f64| num(100.0 * x, 1);
        let rows: Vec<Vec<String>> = network
            .iter()
            .map(|n| {
                let (at, (lo, hi), all) = n.get("no_value_share");
                vec![
                    format!("{} / {}", n.mechanism, n.schedule),
                    pct(at),
                    format!("[{}, {}]", pct(lo), pct(hi)),
                    pct(all),
                    pct(n.get("value_share").0),
                    pct(n.get("meme_share").0),
                    pct(n.get("offtopic_share").0),
                    pct(n.get("idle_share").0),
                    pct(n.get("largest_crash").0),
                ]
            })
            .collect();
        let _ = writeln!(out, "\n== Network at equilibrium ==");
        out.push_str(&text_table(&headers, &rows));
    }
    out
}
