//! Role tournaments (`format: roles`) read as role-symmetric games: one [`RoleGame`] per
//! (mechanism, schedule) built from the raw table ([`build`]), solved with
//! [`crate::meta::roles`] (equilibria per role, regrets, replicator dynamics per role,
//! multi-population α-Rank), with a seeded bootstrap over repetitions for the confidence of
//! every verdict, and the network the equilibrium produces ([`network`]). [`write`] writes the
//! files, [`compare`] compares mechanisms, [`adaptive`] decides adaptive repetitions.
//!
//! Nothing here compares players across roles: a role's payoff is its players' TAO profit at
//! the role's capital.

pub mod adaptive;
pub mod build;
pub mod compare;
pub mod network;
pub mod write;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::meta::roles::{
    alpha_rank_roles, bootstrap, replicator_roles, role_equilibria, BootstrapOptions, Confidence,
    EquilibriumOptions, Mixture, RoleEquilibrium, RoleGame, RoleReplicatorOptions,
};
use crate::render::num;
use build::{observable, BuiltGame};

/// Options of the role analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleOptions {
    /// Bootstrap resamples per verdict.
    pub resamples: u32,
    /// Confidence level of the bootstrap intervals.
    pub level: f64,
}

impl Default for RoleOptions {
    fn default() -> Self {
        RoleOptions {
            resamples: 200,
            level: 0.95,
        }
    }
}

/// The bootstrap seed of one cell: a pure function of its labels, so that a report rebuilt
/// from the raw table alone, and the adaptive decision taken during the run, agree.
pub fn bootstrap_seed(mechanism: &str, schedule: &str) -> u64 {
    use crate::file_names::fnv1a_64_from;
    let h = fnv1a_64_from(0xcbf2_9ce4_8422_2325, mechanism.as_bytes());
    fnv1a_64_from(fnv1a_64_from(h, &[0]), schedule.as_bytes())
}

/// Everything computed on one (mechanism, schedule) of a role tournament.
#[derive(Debug, Clone)]
pub struct RoleCell {
    pub built: BuiltGame,
    /// Every equilibrium found, the verdict's first (see [`reference_equilibrium`]).
    pub equilibria: Vec<RoleEquilibrium>,
    /// The bootstrap of the verdict's equilibrium (None without an equilibrium).
    pub confidence: Option<Confidence>,
    /// Regret of every (role, strategy) against the verdict's equilibrium.
    pub regrets: Vec<Vec<f64>>,
    /// Replicator dynamics per role from the uniform mixture: where they end.
    pub replicator: Option<Mixture>,
    pub replicator_converged: bool,
    /// α-Rank over roles: stationary mass of each (role, strategy) marginal, if computed.
    pub alpha_rank: Option<Vec<Vec<f64>>>,
    pub options: RoleOptions,
}

impl RoleCell {
    pub fn mechanism(&self) -> &str {
        &self.built.mechanism
    }
    pub fn schedule(&self) -> &str {
        &self.built.schedule
    }
    pub fn game(&self) -> &RoleGame {
        &self.built.game
    }
    /// The verdict's equilibrium.
    pub fn reference(&self) -> Option<&RoleEquilibrium> {
        self.equilibria.first()
    }
    /// The verdict's confidence: the least support frequency over the roles' supports (how
    /// often, over resamples, the least sure strategy of the verdict is still played). 1 with
    /// no resample disagreeing; None without an equilibrium.
    pub fn verdict_confidence(&self) -> Option<f64> {
        let (eq, c) = (self.reference()?, self.confidence.as_ref()?);
        let mut least: f64 = 1.0;
        for (r, mix) in eq.mix.iter().enumerate() {
            for (s, &w) in mix.iter().enumerate() {
                if w > SUPPORT {
                    least = least.min(c.support_frequency[r][s]);
                }
            }
        }
        Some(least)
    }
}

/// Weights above this are in a mixture's support (for display and confidence).
pub const SUPPORT: f64 = 1e-3;

/// The verdict's equilibrium among those found: the one with the least regret (ties: the first
/// in the solver's order). A tie between equilibria is reported as such, never decided by a
/// coin flip (every one is written to `role_equilibria.csv`).
pub fn reference_equilibrium(mut equilibria: Vec<RoleEquilibrium>) -> Vec<RoleEquilibrium> {
    // A stable sort keeps the solver's order among equals.
    equilibria.sort_by(|a, b| a.regret.total_cmp(&b.regret));
    equilibria
}

/// Solve one game and bootstrap its verdict; with `everything`, also replicator dynamics and
/// α-Rank (the adaptive decision needs only the verdict).
pub fn analyse(built: BuiltGame, options: &RoleOptions) -> RoleCell {
    solve(built, options, true)
}

/// See [`analyse`].
pub fn solve(built: BuiltGame, options: &RoleOptions, everything: bool) -> RoleCell {
    let game = &built.game;
    let eq_options = EquilibriumOptions::default();
    let equilibria = reference_equilibrium(role_equilibria(game, &eq_options));
    let confidence = equilibria.first().map(|eq| {
        bootstrap(
            game,
            eq,
            &BootstrapOptions {
                resamples: options.resamples,
                seed: bootstrap_seed(&built.mechanism, &built.schedule),
                level: options.level,
            },
            &eq_options,
        )
    });
    let regrets = match equilibria.first() {
        Some(eq) => game.regrets(&eq.mix),
        None => game
            .roles()
            .iter()
            .map(|r| vec![f64::NAN; r.strategies.len()])
            .collect(),
    };
    let uniform: Mixture = game
        .roles()
        .iter()
        .map(|r| vec![1.0 / r.strategies.len() as f64; r.strategies.len()])
        .collect();
    let rep =
        everything.then(|| replicator_roles(game, &uniform, &RoleReplicatorOptions::default()));
    let alpha = everything.then(|| alpha_rank_roles(game, &Default::default()));
    RoleCell {
        equilibria,
        confidence,
        regrets,
        replicator_converged: rep.as_ref().is_some_and(|r| r.converged),
        replicator: rep.map(|r| r.final_mix),
        alpha_rank: alpha.map(|a| a.strategy_mass),
        options: *options,
        built,
    }
}

/// Every role cell of a raw table.
pub fn role_cells(
    raw: polars::prelude::LazyFrame,
    options: &RoleOptions,
) -> Result<Vec<RoleCell>, crate::ReportError> {
    Ok(build::role_games(raw)?
        .into_iter()
        .map(|b| analyse(b, options))
        .collect())
}

/// "meme-farmer" or "0.600 a + 0.400 b".
fn describe(strategies: &[String], mix: &[f64]) -> String {
    crate::meta::describe_mix(strategies, mix)
}

/// A deviation whose gain against the equilibrium is within this share of the role's payoff
/// span is a tie, not a worse reply.
const TIE: f64 = 1e-9;

/// The strategies of role `r` outside the support of the verdict's equilibrium that earn what
/// the equilibrium earns against it: a tie, which the verdict names instead of hiding behind
/// the solver's first pick.
fn tied_strategies(cell: &RoleCell, r: usize, mix: &[f64]) -> Vec<usize> {
    let tolerance = TIE * cell.game().payoff_span(r);
    (0..mix.len())
        .filter(|&s| mix[s] <= SUPPORT && cell.regrets[r][s] >= -tolerance)
        .collect()
}

/// A role's part of the verdict: `owners: meme-farmer (0.93 of resamples)`, and
/// `root: a (1.00 of resamples; tied with b)` when another strategy earns exactly as much.
fn role_part(cell: &RoleCell, r: usize, eq: &RoleEquilibrium) -> String {
    let role = &cell.game().roles()[r];
    let mix = &eq.mix[r];
    let support: Vec<usize> = (0..mix.len()).filter(|&s| mix[s] > SUPPORT).collect();
    let freq = match &cell.confidence {
        Some(c) => support
            .iter()
            .map(|&s| num(c.support_frequency[r][s], 2))
            .collect::<Vec<_>>()
            .join(" / "),
        None => "–".into(),
    };
    let tied: Vec<&str> = tied_strategies(cell, r, mix)
        .into_iter()
        .map(|s| role.strategies[s].as_str())
        .collect();
    let tie = if tied.is_empty() {
        String::new()
    } else {
        format!("; tied with {}", tied.join(", "))
    };
    format!(
        "{}: {} ({freq} of resamples{tie})",
        role.name,
        describe(&role.strategies, mix)
    )
}

/// The verdict line of a role cell, e.g. `dtao-price / launch: owners: meme-farmer (0.93 of
/// resamples) · root: … ; no value 31.2 % [24.0, 38.5] at equilibrium (all matches: 22.4 %)`.
pub fn verdict_line(cell: &RoleCell, all_matches_no_value: Option<f64>) -> String {
    let head = format!("{} / {}", cell.mechanism(), cell.schedule());
    let Some(eq) = cell.reference() else {
        return format!(
            "{head}: no role equilibrium ({} matches; a profile without data?)",
            cell.built.matches
        );
    };
    let roles: Vec<String> = (0..eq.mix.len()).map(|r| role_part(cell, r, eq)).collect();
    let k = observable("no_value_share");
    let at = cell.game().observable_at(&eq.mix, k);
    let interval = match &cell.confidence {
        Some(c) => {
            let (lo, hi) = c.observable_interval[k];
            format!(" [{}, {}]", num(100.0 * lo, 1), num(100.0 * hi, 1))
        }
        None => String::new(),
    };
    let all = match all_matches_no_value {
        Some(x) => format!(" (all matches: {} %)", num(100.0 * x, 1)),
        None => String::new(),
    };
    let others = if cell.equilibria.len() > 1 {
        format!("; 1 of {} equilibria", cell.equilibria.len())
    } else {
        String::new()
    };
    format!(
        "{head}: {}; no value {} %{interval} at equilibrium{all}{others}",
        roles.join(" · "),
        num(100.0 * at, 1)
    )
}

/// Serializable summary of a role cell (for `rolegame.json`).
#[derive(Debug, Clone, Serialize)]
pub struct RoleCellJson {
    pub mechanism: String,
    pub schedule: String,
    pub roles: Vec<crate::meta::roles::Role>,
    pub reduced_players: Option<Vec<u32>>,
    pub matches: usize,
    pub errored_matches: usize,
    pub equilibria: Vec<EquilibriumJson>,
    pub verdict_confidence: Option<f64>,
    pub support_frequency: Option<Vec<Vec<f64>>>,
    pub weight_interval: Option<Vec<Vec<(f64, f64)>>>,
    pub payoff_interval: Option<Vec<(f64, f64)>>,
    pub observable_interval: Option<Vec<(f64, f64)>>,
    pub resamples: u32,
    pub regrets: Vec<Vec<f64>>,
    pub replicator_final: Option<Mixture>,
    pub replicator_converged: bool,
    pub alpha_rank: Option<Vec<Vec<f64>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EquilibriumJson {
    pub mix: Mixture,
    pub payoff: Vec<f64>,
    pub regret: f64,
}

/// Two cells are equal when everything they report is (the games themselves are compared
/// through their analyses).
impl PartialEq for RoleCell {
    fn eq(&self, other: &Self) -> bool {
        serde_json::to_value(self.to_json()).ok() == serde_json::to_value(other.to_json()).ok()
    }
}

impl RoleCell {
    pub fn to_json(&self) -> RoleCellJson {
        let c = self.confidence.as_ref();
        RoleCellJson {
            mechanism: self.mechanism().into(),
            schedule: self.schedule().into(),
            roles: self.game().roles().to_vec(),
            reduced_players: self.built.reduced_players.clone(),
            matches: self.built.matches,
            errored_matches: self.built.errored_matches,
            equilibria: self
                .equilibria
                .iter()
                .map(|e| EquilibriumJson {
                    mix: e.mix.clone(),
                    payoff: e.payoff.clone(),
                    regret: e.regret,
                })
                .collect(),
            verdict_confidence: self.verdict_confidence(),
            support_frequency: c.map(|c| c.support_frequency.clone()),
            weight_interval: c.map(|c| c.weight_interval.clone()),
            payoff_interval: c.map(|c| c.payoff_interval.clone()),
            observable_interval: c.map(|c| c.observable_interval.clone()),
            resamples: c.map(|c| c.resamples).unwrap_or(0),
            regrets: self.regrets.clone(),
            replicator_final: self.replicator.clone(),
            replicator_converged: self.replicator_converged,
            alpha_rank: self.alpha_rank.clone(),
        }
    }
}
