//! The role-symmetric game: one immutable value holding the roles, the profiles played and,
//! for each, the observations (whole matches) with their means kept beside them. Every
//! analysis in `roles` is a function of this type (the `egtaonline/gameanalysis` design).
//!
//! Payoffs are only ever compared within a role: a role's players all start with the same
//! capital, and the payoff of a (role, strategy) is the mean profit of the players of that role
//! playing that strategy in a match.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rand::Rng;
use serde::Serialize;

use super::profiles::{flat_key, profile_count, sort_in_profile_order};

/// One role: its name, how many players of it sit in every match, its strategies (names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Role {
    pub name: String,
    pub players: u32,
    pub strategies: Vec<String>,
}

/// A profile: for each role (in `Role` order), the count of players playing each of its
/// strategies (in that role's strategy order); each role's counts sum to its `players`.
pub type Profile = Vec<Vec<u32>>;

/// A mixture: per role, probabilities over its strategies (each role's sum to 1).
pub type Mixture = Vec<Vec<f64>>;

/// One repetition (one match) of a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// payoff[role][strategy]: mean payoff (TAO profit at the role's capital) of the players of
    /// that role playing that strategy in this match; NaN where the profile has none.
    pub payoff: Vec<Vec<f64>>,
    /// Network observables of this match, in `RoleGame::observables` order.
    pub observables: Vec<f64>,
}

/// A profile and every match played of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileData {
    pub profile: Profile,
    pub observations: Vec<Observation>,
}

/// The game's input is malformed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RoleGameError {
    #[error("the game has no roles")]
    NoRoles,
    #[error("role `{role}`: {problem}")]
    Role { role: String, problem: String },
    #[error("profile {profile:?}: {problem}")]
    Profile { profile: Profile, problem: String },
    #[error("deviation-preserving reduction: {0}")]
    Reduction(String),
}

/// A profile with data, in the flat (role, strategy) layout the hot loops read.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Counts in flat (role, strategy) order.
    pub counts: Vec<u32>,
    /// Per role: the multinomial coefficient `players! / Π counts!`.
    pub coefficient: Vec<f64>,
    /// Mean payoff per flat (role, strategy); NaN where the count is 0.
    pub payoff: Vec<f64>,
    /// Mean of each observable over the profile's observations.
    pub observables: Vec<f64>,
    /// The positive counts as (flat index, count), role by role: the hot loops skip zeros.
    entries: Vec<(usize, u32)>,
    /// `entries[role_entries[r]..role_entries[r + 1]]` are role `r`'s.
    role_entries: Vec<usize>,
}

impl Row {
    /// A row from its flat counts (roles split by `offsets`) and its means.
    pub(crate) fn new(
        counts: Vec<u32>,
        offsets: &[usize],
        payoff: Vec<f64>,
        observables: Vec<f64>,
    ) -> Row {
        let mut entries = Vec::new();
        let mut role_entries = vec![0];
        let mut coefficient = Vec::with_capacity(offsets.len() - 1);
        for w in offsets.windows(2) {
            coefficient.push(multinomial(&counts[w[0]..w[1]]));
            entries.extend(
                (w[0]..w[1])
                    .filter(|&i| counts[i] > 0)
                    .map(|i| (i, counts[i])),
            );
            role_entries.push(entries.len());
        }
        Row {
            counts,
            coefficient,
            payoff,
            observables,
            entries,
            role_entries,
        }
    }
}

/// Where a reduced game came from, so that resampling resamples the full game's matches.
#[derive(Debug, Clone)]
pub(crate) struct ReducedFrom {
    pub full: RoleGame,
    pub reduced_players: Vec<u32>,
}

/// The game: roles, observable names, and profile data (means kept beside the samples).
/// Immutable once built; every analysis takes it by reference.
#[derive(Debug, Clone)]
pub struct RoleGame {
    roles: Vec<Role>,
    observables: Vec<String>,
    /// Shared with the game's bootstrap resamples, which only change the means.
    profiles: Arc<Vec<ProfileData>>,
    /// First flat index of each role's strategies (and, last, the total).
    offsets: Vec<usize>,
    /// The profiles with at least one observation.
    rows: Vec<Row>,
    /// Flat counts → index in `rows` (shared with resamples).
    index: Arc<HashMap<Box<[u32]>, usize>>,
    /// Per role, (lowest, highest) mean payoff over every profile (the role's payoff scale).
    payoff_range: Vec<(f64, f64)>,
    reduced_from: Option<Arc<ReducedFrom>>,
}

/// Sampling weight of weights below this is treated as complete coverage (float sums of
/// multinomial weights).
const COVERAGE: f64 = 1.0 - 1e-9;

impl RoleGame {
    /// Checks the roles and the profile data and computes the means.
    pub fn new(
        roles: Vec<Role>,
        observables: Vec<String>,
        profiles: Vec<ProfileData>,
    ) -> Result<RoleGame, RoleGameError> {
        check_roles(&roles)?;
        let offsets = offsets_of(&roles);
        let mut seen: HashSet<Box<[u32]>> = HashSet::new();
        for data in &profiles {
            check_profile(&roles, &data.profile)?;
            if !seen.insert(flat_key(&data.profile)) {
                return Err(RoleGameError::Profile {
                    profile: data.profile.clone(),
                    problem: "listed twice".into(),
                });
            }
            for obs in &data.observations {
                check_observation(&roles, observables.len(), &data.profile, obs)?;
            }
        }
        Ok(Self::assemble(roles, observables, profiles, offsets))
    }

    /// Builds the game from checked parts (means computed from the observations).
    fn assemble(
        roles: Vec<Role>,
        observables: Vec<String>,
        profiles: Vec<ProfileData>,
        offsets: Vec<usize>,
    ) -> RoleGame {
        let rows: Vec<Row> = profiles
            .iter()
            .filter(|d| !d.observations.is_empty())
            .map(|d| row_of(d, &offsets, observables.len()))
            .collect();
        Self::from_rows(roles, observables, profiles, offsets, rows)
    }

    pub(crate) fn from_rows(
        roles: Vec<Role>,
        observables: Vec<String>,
        profiles: Vec<ProfileData>,
        offsets: Vec<usize>,
        rows: Vec<Row>,
    ) -> RoleGame {
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.counts.clone().into_boxed_slice(), i))
            .collect();
        let payoff_range = payoff_range_of(&rows, &offsets);
        RoleGame {
            roles,
            observables,
            profiles: Arc::new(profiles),
            offsets,
            rows,
            index: Arc::new(index),
            payoff_range,
            reduced_from: None,
        }
    }

    pub fn roles(&self) -> &[Role] {
        &self.roles
    }

    /// Names of the network observables, in `Observation::observables` order.
    pub fn observables(&self) -> &[String] {
        &self.observables
    }

    pub fn profiles(&self) -> &[ProfileData] {
        &self.profiles
    }

    /// True when every profile of the game has at least one observation.
    pub fn is_complete(&self) -> bool {
        self.rows.len() as u128 == profile_count(&self.roles)
    }

    /// Number of (role, strategy) pairs.
    pub fn strategy_count(&self) -> usize {
        *self.offsets.last().unwrap_or(&0)
    }

    /// The payoff scale of a role: highest minus lowest mean payoff over every profile, or 1
    /// when they are equal (a constant role). Tolerances and dynamics are taken relative to it,
    /// so they mean the same for a role playing with 10,000 TAO and one with 3,000,000.
    pub fn payoff_span(&self, role: usize) -> f64 {
        let (lo, hi) = self.payoff_range[role];
        if hi > lo {
            hi - lo
        } else {
            1.0
        }
    }

    /// Lowest mean payoff of a role over every profile.
    pub(crate) fn payoff_min(&self, role: usize) -> f64 {
        self.payoff_range[role].0
    }

    pub(crate) fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    pub(crate) fn set_reduced_from(&mut self, from: ReducedFrom) {
        self.reduced_from = Some(Arc::new(from));
    }

    /// The row of a profile given by its flat counts.
    pub(crate) fn row_flat(&self, flat: &[u32]) -> Option<&Row> {
        self.index.get(flat).map(|&i| &self.rows[i])
    }

    /// Mean payoff per (role, strategy) at `profile` (NaN where the count is 0), or None when
    /// the profile has no data.
    pub fn mean_payoff(&self, profile: &Profile) -> Option<Vec<Vec<f64>>> {
        let row = self.row_flat(&flat_key(profile))?;
        Some(self.unflatten(&row.payoff))
    }

    /// Mean observables at `profile`, or None when the profile has no data.
    pub fn mean_observables(&self, profile: &Profile) -> Option<Vec<f64>> {
        Some(self.row_flat(&flat_key(profile))?.observables.clone())
    }

    pub(crate) fn unflatten(&self, flat: &[f64]) -> Vec<Vec<f64>> {
        self.offsets
            .windows(2)
            .map(|w| flat[w[0]..w[1]].to_vec())
            .collect()
    }

    pub(crate) fn flatten_mix(&self, mix: &Mixture) -> Vec<f64> {
        mix.iter().flatten().copied().collect()
    }

    /// Stride of the power table: the largest role's players + 1.
    fn power_stride(&self) -> usize {
        self.roles
            .iter()
            .map(|r| r.players as usize)
            .max()
            .unwrap_or(0)
            + 1
    }

    /// `powers[i · stride + k] = x_i^k` for every flat strategy `i` and `k = 0..=players` of
    /// its role.
    fn powers(&self, x: &[f64]) -> Vec<f64> {
        let stride = self.power_stride();
        let mut out = vec![0.0; x.len() * stride];
        for (r, role) in self.roles.iter().enumerate() {
            for i in self.offsets[r]..self.offsets[r + 1] {
                let mut acc = 1.0;
                for k in 0..=role.players as usize {
                    out[i * stride + k] = acc;
                    acc *= x[i];
                }
            }
        }
        out
    }

    /// Expected payoff of each flat (role, strategy) for one player deviating to it while every
    /// other player draws independently from `x` (flat), and the total probability of the
    /// profiles with data that this used (1 when the game covers the mixture).
    pub(crate) fn deviation_flat(&self, x: &[f64]) -> Vec<f64> {
        let n = x.len();
        let stride = self.power_stride();
        let pw = self.powers(x);
        let roles = self.roles.len();
        let mut dev = vec![0.0; n];
        let mut covered = vec![0.0; n];
        let mut role_prob = vec![0.0; roles];
        for row in &self.rows {
            for (r, prob) in role_prob.iter_mut().enumerate() {
                let mut p = row.coefficient[r];
                for &(i, c) in &row.entries[row.role_entries[r]..row.role_entries[r + 1]] {
                    p *= pw[i * stride + c as usize];
                }
                *prob = p;
            }
            for r in 0..roles {
                let others: f64 = (0..roles)
                    .filter(|&q| q != r)
                    .map(|q| role_prob[q])
                    .product();
                if others == 0.0 {
                    continue;
                }
                let players = self.roles[r].players as f64;
                let own_role = &row.entries[row.role_entries[r]..row.role_entries[r + 1]];
                for (a, &(i, c)) in own_role.iter().enumerate() {
                    // Weight of the other N_r − 1 players of role r being `counts − e_i`:
                    // (N−1)!/Π(c − e_i)! = N!/Π c! · c_i/N, times Π x^(c − e_i).
                    let mut own = row.coefficient[r] * c as f64 / players;
                    own *= pw[i * stride + c as usize - 1];
                    for (b, &(j, cj)) in own_role.iter().enumerate() {
                        if b != a {
                            own *= pw[j * stride + cj as usize];
                        }
                    }
                    let w = others * own;
                    dev[i] += w * row.payoff[i];
                    covered[i] += w;
                }
            }
        }
        for (d, &c) in dev.iter_mut().zip(&covered) {
            if c < COVERAGE {
                *d = f64::NAN;
            }
        }
        dev
    }

    /// Each role's payoff at the mixture: Σ_s x_rs · dev_rs (strategies with zero weight skipped,
    /// so missing data there does not matter).
    pub(crate) fn mix_payoff_flat(&self, x: &[f64], dev: &[f64]) -> Vec<f64> {
        self.offsets
            .windows(2)
            .map(|w| {
                (w[0]..w[1])
                    .filter(|&i| x[i] != 0.0)
                    .map(|i| x[i] * dev[i])
                    .sum()
            })
            .collect()
    }

    /// Expected payoff of each (role, strategy) deviating against a mixture (one mix per role):
    /// one player of the role plays the strategy, every other player (of every role) draws its
    /// strategy independently from its role's mix. NaN where the game lacks a profile this
    /// needs with positive probability.
    pub fn deviation_payoffs(&self, mix: &Mixture) -> Vec<Vec<f64>> {
        self.unflatten(&self.deviation_flat(&self.flatten_mix(mix)))
    }

    /// Each role's expected payoff when everyone plays the mixture.
    pub fn mixture_payoff(&self, mix: &Mixture) -> Vec<f64> {
        let x = self.flatten_mix(mix);
        let dev = self.deviation_flat(&x);
        self.mix_payoff_flat(&x, &dev)
    }

    /// Per (role, strategy): what a player of the role gains by switching from the mixture to
    /// the strategy, `dev_rs − Σ_t x_rt dev_rt`. At an equilibrium it is 0 on the support and
    /// ≤ 0 elsewhere.
    pub fn regrets(&self, mix: &Mixture) -> Vec<Vec<f64>> {
        let x = self.flatten_mix(mix);
        self.unflatten(&self.regrets_flat(&x))
    }

    pub(crate) fn regrets_flat(&self, x: &[f64]) -> Vec<f64> {
        let dev = self.deviation_flat(x);
        let v = self.mix_payoff_flat(x, &dev);
        let mut out = dev;
        for (r, w) in self.offsets.windows(2).enumerate() {
            for u in &mut out[w[0]..w[1]] {
                *u -= v[r];
            }
        }
        out
    }

    /// The mixture's regret: the largest gain of any (role, strategy), ≥ 0; NaN when the game
    /// lacks data the mixture needs.
    pub fn regret(&self, mix: &Mixture) -> f64 {
        let gains = self.regrets_flat(&self.flatten_mix(mix));
        if gains.iter().any(|g| g.is_nan()) {
            return f64::NAN;
        }
        gains.iter().fold(0.0, |m, &g| m.max(g))
    }

    /// Per role, the largest gain divided by the role's payoff span (scale-free regret).
    pub(crate) fn relative_regrets_flat(&self, x: &[f64]) -> Vec<f64> {
        let gains = self.regrets_flat(x);
        self.offsets
            .windows(2)
            .enumerate()
            .map(|(r, w)| {
                let g = gains[w[0]..w[1]].iter().fold(0.0f64, |m, &g| {
                    if g.is_nan() || m.is_nan() {
                        f64::NAN
                    } else {
                        m.max(g)
                    }
                });
                g / self.payoff_span(r)
            })
            .collect()
    }

    /// Probability of each row's profile when every player draws from `x` (flat), and the
    /// total probability covered by the rows.
    fn profile_probabilities(&self, x: &[f64]) -> (Vec<f64>, f64) {
        let stride = self.power_stride();
        let pw = self.powers(x);
        let probs: Vec<f64> = self
            .rows
            .iter()
            .map(|row| {
                let coefficients: f64 = row.coefficient.iter().product();
                row.entries
                    .iter()
                    .fold(coefficients, |p, &(i, c)| p * pw[i * stride + c as usize])
            })
            .collect();
        let total = probs.iter().sum();
        (probs, total)
    }

    /// Mixture-weighted mean of observable `k`: the network the mixture produces, each profile
    /// weighted by its probability when every player draws from its role's mix. NaN when the
    /// game lacks a profile the mixture plays.
    pub fn observable_at(&self, mix: &Mixture, k: usize) -> f64 {
        let (probs, total) = self.profile_probabilities(&self.flatten_mix(mix));
        if total < COVERAGE {
            return f64::NAN;
        }
        self.rows
            .iter()
            .zip(&probs)
            .filter(|(_, p)| **p > 0.0)
            .map(|(row, p)| p * row.observables[k])
            .sum()
    }

    /// Profiles that decide a verdict at `mix`: every profile made only of the support's
    /// strategies (strategies with positive weight), and every profile one player away from
    /// one of those (one player of one role switched to any other strategy of its role).
    /// Sorted in `all_profiles` order, each once. These are where more repetitions sharpen the
    /// verdict (adaptive repetitions).
    pub fn deciding_profiles(&self, mix: &Mixture) -> Vec<Profile> {
        let support: Vec<Vec<usize>> = mix
            .iter()
            .map(|m| (0..m.len()).filter(|&s| m[s] > 0.0).collect())
            .collect();
        let per_role: Vec<Vec<Vec<u32>>> = self
            .roles
            .iter()
            .zip(&support)
            .map(|(role, sup)| {
                super::profiles::role_profiles(role.players, sup.len())
                    .into_iter()
                    .map(|counts| {
                        let mut full = vec![0; role.strategies.len()];
                        for (c, &s) in counts.iter().zip(sup) {
                            full[s] = *c;
                        }
                        full
                    })
                    .collect()
            })
            .collect();
        let mut out: HashSet<Profile> = HashSet::new();
        for base in super::profiles::cartesian(&per_role) {
            for (r, role) in self.roles.iter().enumerate() {
                for from in 0..role.strategies.len() {
                    if base[r][from] == 0 {
                        continue;
                    }
                    for to in 0..role.strategies.len() {
                        if to != from {
                            let mut p = base.clone();
                            p[r][from] -= 1;
                            p[r][to] += 1;
                            out.insert(p);
                        }
                    }
                }
            }
            out.insert(base);
        }
        let mut profiles: Vec<Profile> = out.into_iter().collect();
        sort_in_profile_order(&mut profiles);
        profiles
    }

    /// The means of a resample, exactly as `resample` would compute them from the same random
    /// stream (the same draws in the same order), without copying any observation: the
    /// bootstrap's fast path. The returned game shares this game's profile list, so its
    /// `profiles()` are the original observations; only its means differ.
    pub(crate) fn resampled_means(&self, rng: &mut impl Rng) -> RoleGame {
        if let Some(from) = &self.reduced_from {
            let full = from.full.resampled_means(rng);
            return super::reduction::dpr_reduce(&full, &from.reduced_players)
                .expect("a reduction that succeeded once succeeds on a resample");
        }
        let mut originals = self.rows.iter();
        let mut rows = Vec::with_capacity(self.rows.len());
        for data in self.profiles.iter() {
            let n = data.observations.len();
            if n == 0 {
                continue;
            }
            let mut row = originals
                .next()
                .expect("one row per profile with data")
                .clone();
            // Accumulate in draw order and divide, as `row_of` does on a resample.
            let mut payoff = vec![0.0; row.payoff.len()];
            let mut observables = vec![0.0; row.observables.len()];
            for _ in 0..n {
                let obs = &data.observations[rng.random_range(0..n)];
                for (acc, u) in payoff.iter_mut().zip(obs.payoff.iter().flatten()) {
                    *acc += u;
                }
                for (acc, v) in observables.iter_mut().zip(&obs.observables) {
                    *acc += v;
                }
            }
            for (u, &c) in payoff.iter_mut().zip(&row.counts) {
                *u = if c == 0 { f64::NAN } else { *u / n as f64 };
            }
            observables.iter_mut().for_each(|v| *v /= n as f64);
            row.payoff = payoff;
            row.observables = observables;
            rows.push(row);
        }
        RoleGame {
            roles: self.roles.clone(),
            observables: self.observables.clone(),
            profiles: Arc::clone(&self.profiles),
            offsets: self.offsets.clone(),
            payoff_range: payoff_range_of(&rows, &self.offsets),
            rows,
            index: Arc::clone(&self.index),
            reduced_from: None,
        }
    }

    /// A game resampled: each profile's observations drawn with replacement (whole matches),
    /// as many as it has. A reduced game resamples the full game's matches and reduces again,
    /// so each played profile is resampled once.
    pub fn resample(&self, rng: &mut impl Rng) -> RoleGame {
        if let Some(from) = &self.reduced_from {
            let full = from.full.resample(rng);
            return super::reduction::dpr_reduce(&full, &from.reduced_players)
                .expect("a reduction that succeeded once succeeds on a resample");
        }
        let profiles: Vec<ProfileData> = self
            .profiles
            .iter()
            .map(|d| {
                let n = d.observations.len();
                ProfileData {
                    profile: d.profile.clone(),
                    observations: (0..n)
                        .map(|_| d.observations[rng.random_range(0..n)].clone())
                        .collect(),
                }
            })
            .collect();
        Self::assemble(
            self.roles.clone(),
            self.observables.clone(),
            profiles,
            self.offsets.clone(),
        )
    }
}

/// Per role, (lowest, highest) mean payoff over the rows ((0, 0) without data).
fn payoff_range_of(rows: &[Row], offsets: &[usize]) -> Vec<(f64, f64)> {
    offsets
        .windows(2)
        .map(|w| {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for row in rows {
                for &u in &row.payoff[w[0]..w[1]] {
                    if !u.is_nan() {
                        lo = lo.min(u);
                        hi = hi.max(u);
                    }
                }
            }
            if lo > hi {
                (0.0, 0.0)
            } else {
                (lo, hi)
            }
        })
        .collect()
}

pub(crate) fn offsets_of(roles: &[Role]) -> Vec<usize> {
    let mut offsets = vec![0];
    for role in roles {
        offsets.push(offsets.last().unwrap() + role.strategies.len());
    }
    offsets
}

fn check_roles(roles: &[Role]) -> Result<(), RoleGameError> {
    if roles.is_empty() {
        return Err(RoleGameError::NoRoles);
    }
    for (r, role) in roles.iter().enumerate() {
        let bad = |problem: &str| RoleGameError::Role {
            role: role.name.clone(),
            problem: problem.to_string(),
        };
        if role.players == 0 {
            return Err(bad("has 0 players (every role needs at least one)"));
        }
        if role.strategies.is_empty() {
            return Err(bad("has no strategies"));
        }
        if roles[..r].iter().any(|o| o.name == role.name) {
            return Err(bad("is named twice"));
        }
        for (s, name) in role.strategies.iter().enumerate() {
            if role.strategies[..s].contains(name) {
                return Err(bad(&format!("lists strategy `{name}` twice")));
            }
        }
    }
    Ok(())
}

fn check_profile(roles: &[Role], profile: &Profile) -> Result<(), RoleGameError> {
    let bad = |problem: String| RoleGameError::Profile {
        profile: profile.clone(),
        problem,
    };
    if profile.len() != roles.len() {
        return Err(bad(format!(
            "has {} roles, the game {}",
            profile.len(),
            roles.len()
        )));
    }
    for (counts, role) in profile.iter().zip(roles) {
        if counts.len() != role.strategies.len() {
            return Err(bad(format!(
                "role `{}` has {} counts for {} strategies",
                role.name,
                counts.len(),
                role.strategies.len()
            )));
        }
        let sum: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if sum != u64::from(role.players) {
            return Err(bad(format!(
                "role `{}` counts sum to {sum}, not its {} players",
                role.name, role.players
            )));
        }
    }
    Ok(())
}

fn check_observation(
    roles: &[Role],
    observables: usize,
    profile: &Profile,
    obs: &Observation,
) -> Result<(), RoleGameError> {
    let bad = |problem: String| RoleGameError::Profile {
        profile: profile.clone(),
        problem,
    };
    if obs.observables.len() != observables {
        return Err(bad(format!(
            "an observation has {} observables, the game {observables}",
            obs.observables.len()
        )));
    }
    if obs.payoff.len() != roles.len() {
        return Err(bad(
            "an observation's payoff has the wrong number of roles".into()
        ));
    }
    for ((payoffs, counts), role) in obs.payoff.iter().zip(profile).zip(roles) {
        if payoffs.len() != role.strategies.len() {
            return Err(bad(format!(
                "an observation's payoff for role `{}` has {} entries for {} strategies",
                role.name,
                payoffs.len(),
                role.strategies.len()
            )));
        }
        for ((u, &c), name) in payoffs.iter().zip(counts).zip(&role.strategies) {
            if c > 0 && !u.is_finite() {
                return Err(bad(format!(
                    "payoff of `{}` / `{name}` is {u}, not a finite number",
                    role.name
                )));
            }
        }
    }
    Ok(())
}

/// `n! / Π c!` as f64 (exact for the player counts of a match).
fn multinomial(counts: &[u32]) -> f64 {
    let mut result = 1.0;
    let mut k = 0.0;
    for &c in counts {
        for j in 1..=c {
            k += 1.0;
            result *= k / f64::from(j);
        }
    }
    result
}

fn row_of(data: &ProfileData, offsets: &[usize], observables: usize) -> Row {
    let counts: Vec<u32> = data.profile.iter().flatten().copied().collect();
    let n = data.observations.len() as f64;
    let mut payoff = vec![0.0; counts.len()];
    let mut obs_mean = vec![0.0; observables];
    for obs in &data.observations {
        for (acc, u) in payoff.iter_mut().zip(obs.payoff.iter().flatten()) {
            *acc += u;
        }
        for (acc, v) in obs_mean.iter_mut().zip(&obs.observables) {
            *acc += v;
        }
    }
    for (u, &c) in payoff.iter_mut().zip(&counts) {
        *u = if c == 0 { f64::NAN } else { *u / n };
    }
    obs_mean.iter_mut().for_each(|v| *v /= n);
    Row::new(counts, offsets, payoff, obs_mean)
}
