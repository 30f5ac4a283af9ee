//! How sure is a verdict? A seeded bootstrap over repetitions.
//!
//! Each resample draws, for every profile, as many matches as it has, with replacement (whole
//! matches: a match's payoffs and observables stay together; a reduced game resamples the full
//! game's matches and reduces again). The resampled game is re-solved near the reference
//! equilibrium (`equilibria_near`: the pure equilibria, Newton on the reference's support, and
//! if that fails replicator dynamics from the reference; the exact solver for two-player
//! shapes), and **the resample's equilibrium is the one nearest the reference in L1 distance**
//! (ties: the first in the order found). A resample in which no equilibrium is found counts
//! as "not in the support" for every strategy and is left out of the intervals.
//!
//! Determinism: resample `i` draws from ChaCha8 seeded with `seed` on stream `i`, so each
//! resample's draws depend only on (seed, i), and results are combined in index order; the
//! result does not depend on how resamples are scheduled.
//!
//! Intervals are percentile intervals at `level` (e.g. 0.95: the 2.5th and 97.5th
//! percentiles, linear interpolation between order statistics).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::equilibria::{equilibria_near, EquilibriumOptions, RoleEquilibrium};
use super::game::RoleGame;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapOptions {
    /// Number of resamples (default 200).
    pub resamples: u32,
    /// Seed of the resample stream.
    pub seed: u64,
    /// Coverage of the intervals (default 0.95).
    pub level: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            resamples: 200,
            seed: 0,
            level: 0.95,
        }
    }
}

/// The bootstrap summary of one equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// Per (role, strategy): share of resamples where it is in the matched equilibrium's
    /// support.
    pub support_frequency: Vec<Vec<f64>>,
    /// Per (role, strategy): interval on its weight.
    pub weight_interval: Vec<Vec<(f64, f64)>>,
    /// Per role: interval on the equilibrium payoff.
    pub payoff_interval: Vec<(f64, f64)>,
    /// Per observable: interval on its mixture-weighted value at the equilibrium.
    pub observable_interval: Vec<(f64, f64)>,
    pub resamples: u32,
    /// Resamples in which an equilibrium was found (the intervals are over these).
    pub found: u32,
    /// Share of resamples whose equilibrium has exactly the reference's support (every role).
    pub same_support: f64,
}

/// The `q`-quantile of sorted values (linear interpolation, R's type 7); `q` is clamped to
/// [0, 1], so a level outside (0, 1) (the CLI refuses one) cannot index past the values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn interval(mut values: Vec<f64>, level: f64) -> (f64, f64) {
    values.retain(|v| !v.is_nan());
    values.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    (quantile(&values, tail), quantile(&values, 1.0 - tail))
}

/// Splits a flat (role, strategy) vector per role.
fn per_role<T: Clone>(offsets: &[usize], flat: &[T]) -> Vec<Vec<T>> {
    offsets
        .windows(2)
        .map(|w| flat[w[0]..w[1]].to_vec())
        .collect()
}

fn l1(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// One resample's equilibrium matched to the reference.
struct Matched {
    /// Flat mixture.
    mix: Vec<f64>,
    /// Per role.
    payoff: Vec<f64>,
    observables: Vec<f64>,
}

/// One resample's matched equilibrium, if any.
fn resample_once(
    game: &RoleGame,
    reference: &[f64],
    seed: u64,
    index: u32,
    eq: &EquilibriumOptions,
) -> Option<Matched> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(index));
    let resampled = game.resampled_means(&mut rng);
    let found = equilibria_near(&resampled, reference, eq);
    let best = found
        .into_iter()
        .min_by(|a, b| l1(a, reference).total_cmp(&l1(b, reference)))?;
    let mix = resampled.unflatten(&best);
    let payoff = resampled.mixture_payoff(&mix);
    let observables = (0..resampled.observables().len())
        .map(|k| resampled.observable_at(&mix, k))
        .collect();
    Some(Matched {
        mix: best,
        payoff,
        observables,
    })
}

/// Seeded bootstrap over repetitions: resample, re-solve, and summarise (see the module
/// documentation for the matching rule).
pub fn bootstrap(
    game: &RoleGame,
    reference: &RoleEquilibrium,
    opts: &BootstrapOptions,
    eq: &EquilibriumOptions,
) -> Confidence {
    let reference_flat = game.flatten_mix(&reference.mix);
    let found: Vec<Matched> = (0..opts.resamples)
        .filter_map(|i| resample_once(game, &reference_flat, opts.seed, i, eq))
        .collect();
    let total = opts.resamples.max(1) as f64;
    let flat_frequency: Vec<f64> = (0..reference_flat.len())
        .map(|i| found.iter().filter(|m| m.mix[i] > 0.0).count() as f64 / total)
        .collect();
    let flat_interval: Vec<(f64, f64)> = (0..reference_flat.len())
        .map(|i| interval(found.iter().map(|m| m.mix[i]).collect(), opts.level))
        .collect();
    Confidence {
        support_frequency: per_role(game.offsets(), &flat_frequency),
        weight_interval: per_role(game.offsets(), &flat_interval),
        payoff_interval: (0..game.roles().len())
            .map(|r| interval(found.iter().map(|m| m.payoff[r]).collect(), opts.level))
            .collect(),
        observable_interval: (0..game.observables().len())
            .map(|k| interval(found.iter().map(|m| m.observables[k]).collect(), opts.level))
            .collect(),
        resamples: opts.resamples,
        found: found.len() as u32,
        same_support: found
            .iter()
            .filter(|m| {
                m.mix
                    .iter()
                    .zip(&reference_flat)
                    .all(|(a, b)| (*a > 0.0) == (*b > 0.0))
            })
            .count() as f64
            / total,
    }
}
