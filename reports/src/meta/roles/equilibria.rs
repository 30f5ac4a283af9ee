//! Role-symmetric equilibria: a mixture per role from which no player of any role gains by
//! switching strategy (every strategy in a role's support earns the role's best deviation
//! payoff).
//!
//! **How they are found.**
//! 1. Two-player shapes (one role of two players, or two roles of one player) that are complete
//!    and have at most `exact_max_strategies` strategies in all are solved exactly
//!    (`exact.rs`): every extreme point of the equilibrium set, grouped into components.
//! 2. Otherwise, numerically: every pure mixture is checked directly (its regret needs only
//!    the profile and its one-player deviations); replicator dynamics per role run from the
//!    uniform mixture and `random_starts` seeded random mixtures (uniform on each role's
//!    simplex, ChaCha8 from `seed`); after 16, 32, 64, … steps the current point (or, failing
//!    that, the time average since the last try, for dynamics that cycle around an
//!    equilibrium) is refined by Newton's method on its support (`refine.rs`), and the run
//!    stops at the first point that passes the **regret check**: per role, the largest gain
//!    of any strategy is at most `regret_threshold` × the role's payoff span.
//!
//! **Ties and degenerate games.** Equilibria closer than `dedup_distance` (largest weight
//! difference) are one. Two equilibria belong to the same **component** when the segment
//! between them consists of equilibria (checked at 1/4, 1/2, 3/4 — exact for the two-player
//! shapes, where the conditions are linear along the segment); within a component one point is
//! kept per support. A tie — two strategies earning the same — is therefore reported as a
//! component spanning both (e.g. the two pure points and a mixed one), never as one of them
//! picked by a coin flip.
//!
//! **Order.** By component (in order of first discovery, pure mixtures first), then support
//! size, then support, then larger weights on earlier strategies first — deterministic.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::game::{Mixture, RoleGame};
use super::refine::{refine, refine_on, support_of, support_with_gainers};
use super::replicator::{normalize_roles, rk4_step, velocity, RoleReplicatorOptions};

/// One role-symmetric equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleEquilibrium {
    /// Per role, probabilities over its strategies; strategies outside the support are exactly 0.
    pub mix: Mixture,
    /// Per role, the expected payoff of its players at the equilibrium.
    pub payoff: Vec<f64>,
    /// The largest gain of any (role, strategy) against the mixture (≥ 0; 0 when exact).
    pub regret: f64,
    /// The component (connected piece of the equilibrium set) it belongs to, from 0.
    pub component: usize,
}

impl RoleEquilibrium {
    /// Per role, the indices of the strategies played with positive probability.
    pub fn support(&self) -> Vec<Vec<usize>> {
        self.mix
            .iter()
            .map(|m| (0..m.len()).filter(|&s| m[s] > 0.0).collect())
            .collect()
    }
}

/// Options of the equilibrium search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EquilibriumOptions {
    /// Replicator starts besides the uniform mixture (default 16).
    pub random_starts: u32,
    /// Seed of the random starts (default 0).
    pub seed: u64,
    pub replicator: RoleReplicatorOptions,
    /// Regret check: per role, largest gain ≤ this × the role's payoff span (default 1e-6).
    pub regret_threshold: f64,
    /// Weights below this in a replicator end point are taken as leaving the support
    /// (default 1e-3).
    pub support_threshold: f64,
    /// Equilibria whose weights all differ by less than this are one (default 1e-4).
    pub dedup_distance: f64,
    /// Use the exact solver for two-player shapes up to this many strategies in all (default
    /// 16; 0 turns it off).
    pub exact_max_strategies: usize,
    /// Check at most this many pure mixtures directly (default 65,536).
    pub max_pure: usize,
}

impl Default for EquilibriumOptions {
    fn default() -> Self {
        EquilibriumOptions {
            random_starts: 16,
            seed: 0,
            replicator: RoleReplicatorOptions::default(),
            regret_threshold: 1e-6,
            support_threshold: 1e-3,
            dedup_distance: 1e-4,
            exact_max_strategies: 16,
            max_pure: 1 << 16,
        }
    }
}

/// All role-symmetric equilibria found, de-duplicated and grouped into components (see the
/// module documentation for the method). Empty only when the game lacks the data to check any
/// mixture (an incomplete game: reduce it first, see `dpr_reduce`).
pub fn role_equilibria(game: &RoleGame, opts: &EquilibriumOptions) -> Vec<RoleEquilibrium> {
    if opts.exact_max_strategies > 0 {
        if let Some(found) = super::exact::exact_equilibria(game, opts.exact_max_strategies) {
            return found;
        }
    }
    let mut points = pure_equilibria(game, opts);
    for start in starts(game, opts) {
        if let Some(x) = solve_from(game, &start, opts) {
            points.push(x);
        }
    }
    group(game, points, opts)
}

/// The equilibria near `reference` (flat) in a game: the pure ones, Newton on the reference's
/// support, and if that fails replicator dynamics from the reference moved a tenth of the way
/// to uniform (a pure reference is a rest point of the dynamics). Used by the bootstrap, which
/// needs the equilibrium of a resample that corresponds to the reference, not all of them.
pub(crate) fn equilibria_near(
    game: &RoleGame,
    reference: &[f64],
    opts: &EquilibriumOptions,
) -> Vec<Vec<f64>> {
    if opts.exact_max_strategies > 0 {
        if let Some(found) = super::exact::exact_equilibria(game, opts.exact_max_strategies) {
            return found.iter().map(|e| game.flatten_mix(&e.mix)).collect();
        }
    }
    let mut points = pure_equilibria(game, opts);
    let support = support_of(game, reference, 0.0);
    let local = super::refine::newton_on_support(game, &support, reference)
        .filter(|x| x.iter().all(|&p| p >= -1e-12))
        .and_then(|x| refine(game, &x, opts.support_threshold, opts.regret_threshold));
    match local {
        Some(x) => points.push(x),
        None => {
            let mut start = reference.to_vec();
            for w in game.offsets().windows(2) {
                let k = (w[1] - w[0]) as f64;
                for p in &mut start[w[0]..w[1]] {
                    *p = 0.9 * *p + 0.1 / k;
                }
            }
            if let Some(x) = solve_from(game, &game.unflatten(&start), opts) {
                points.push(x);
            }
        }
    }
    points
}

/// Replicator dynamics from `start`, trying to refine the current point (and, when that
/// fails, the time average since the last try, for dynamics that cycle) after 8, 16, 32, …
/// steps and at the end: the dynamics only need to reveal the support, Newton does the rest,
/// so most runs stop long before `max_time`.
fn solve_from(game: &RoleGame, start: &Mixture, opts: &EquilibriumOptions) -> Option<Vec<f64>> {
    let attempt = |x: &[f64]| refine(game, x, opts.support_threshold, opts.regret_threshold);
    let mut x = game.flatten_mix(start);
    normalize_roles(game, &mut x);
    let steps = (opts.replicator.max_time / opts.replicator.dt).ceil() as usize;
    let mut sum = vec![0.0; x.len()];
    let mut visited = vec![0.0f64; x.len()];
    let mut counted = 0usize;
    let mut next_try = 16;
    let mut escapes = 0;
    let (mut half_sum, mut half_visited) = (vec![0.0; x.len()], vec![0.0f64; x.len()]);
    let mut half_counted = 0usize;
    for step in 0..steps {
        if step == next_try {
            next_try *= 2;
            if let Some(e) = attempt(&x) {
                return Some(e);
            }
            let average: Vec<f64> = sum.iter().map(|s| s / counted as f64).collect();
            if let Some(e) = attempt(&average) {
                return Some(e);
            }
            // Dynamics that cycle near the boundary (heteroclinic cycles around an unstable
            // interior equilibrium) visit every strategy of its support in turn: Newton on the
            // strategies visited since the last try, from the average.
            let cycle = support_of(game, &visited, opts.support_threshold);
            if cycle != support_of(game, &average, opts.support_threshold) {
                let found = refine_on(
                    game,
                    &average,
                    cycle,
                    opts.support_threshold,
                    opts.regret_threshold,
                );
                if found.is_some() {
                    return found;
                }
            }
            sum.iter_mut().for_each(|s| *s = 0.0);
            visited.iter_mut().for_each(|v| *v = 0.0);
            counted = 0;
        }
        let v = velocity(game, &x)?;
        if v.iter().all(|d| d.abs() < opts.replicator.tolerance) {
            if let Some(e) = attempt(&x) {
                return Some(e);
            }
            // At rest but not an equilibrium: a profitable strategy has (almost) died out, and
            // the dynamics cannot bring back what is not there. Give every profitable strategy
            // weight again and continue.
            if escapes == MAX_ESCAPES || !escape(game, &mut x, opts.regret_threshold) {
                break;
            }
            escapes += 1;
            continue;
        }
        x = rk4_step(game, &x, opts.replicator.dt)?;
        sum.iter_mut().zip(&x).for_each(|(s, p)| *s += p);
        visited.iter_mut().zip(&x).for_each(|(v, p)| *v = v.max(*p));
        counted += 1;
        if step >= steps / 2 {
            half_sum.iter_mut().zip(&x).for_each(|(s, p)| *s += p);
            half_visited
                .iter_mut()
                .zip(&x)
                .for_each(|(v, p)| *v = v.max(*p));
            half_counted += 1;
        }
    }
    if let Some(e) = attempt(&x) {
        return Some(e);
    }
    // Last resorts for a run that never settled: Newton from the average of the second half
    // of the run, on the strategies it visited, then on the average's likely support joined
    // by every strategy that gains against it, then on the union of those and the strategies
    // gaining at the end (a cycle along the boundary keeps a strategy of the support near
    // zero all along).
    let average: Vec<f64> = if half_counted > 0 {
        half_sum.iter().map(|s| s / half_counted as f64).collect()
    } else {
        x.clone()
    };
    let visited_support = support_of(game, &half_visited, opts.support_threshold);
    let with_gainers = support_with_gainers(game, &average, opts.support_threshold);
    let visited_or_gaining = union(
        &union(&visited_support, &with_gainers),
        &support_with_gainers(game, &x, opts.support_threshold),
    );
    [visited_support, with_gainers, visited_or_gaining]
        .into_iter()
        .find_map(|support| {
            // From the average, and from the support's centroid (where the interior
            // equilibrium of a cycle tends to sit when the average is skewed by slow passes).
            let starts = [average.clone(), centroid_of(game, &support)];
            starts.iter().find_map(|start| {
                refine_on(
                    game,
                    start,
                    support.clone(),
                    opts.support_threshold,
                    opts.regret_threshold,
                )
            })
        })
}

/// Per role, the strategies in either support.
fn union(a: &[Vec<usize>], b: &[Vec<usize>]) -> Vec<Vec<usize>> {
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            let mut s: Vec<usize> = x.iter().chain(y).copied().collect();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect()
}

/// The uniform mixture over each role's part of `support` (flat).
fn centroid_of(game: &RoleGame, support: &[Vec<usize>]) -> Vec<f64> {
    let mut x = vec![0.0; game.strategy_count()];
    for sup in support {
        for &i in sup {
            x[i] = 1.0 / sup.len() as f64;
        }
    }
    x
}

/// Rest points that are not equilibria left at most this many times per run.
const MAX_ESCAPES: usize = 8;

/// Raises every strategy that gains against `x` to at least 5 % of its role, renormalized.
/// False when no strategy gains (nothing to escape to).
fn escape(game: &RoleGame, x: &mut [f64], tolerance: f64) -> bool {
    let gains = game.regrets_flat(x);
    let offsets = game.offsets();
    let mut moved = false;
    for (r, w) in offsets.windows(2).enumerate() {
        for i in w[0]..w[1] {
            if gains[i] > tolerance * game.payoff_span(r) && x[i] < 0.05 {
                x[i] = 0.05;
                moved = true;
            }
        }
    }
    normalize_roles(game, x);
    moved
}

/// The uniform mixture, then the seeded random ones.
fn starts(game: &RoleGame, opts: &EquilibriumOptions) -> Vec<Mixture> {
    let uniform: Mixture = game
        .roles()
        .iter()
        .map(|r| vec![1.0 / r.strategies.len() as f64; r.strategies.len()])
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut out = vec![uniform];
    for _ in 0..opts.random_starts {
        out.push(
            game.roles()
                .iter()
                .map(|r| {
                    // −ln U normalized: uniform on the simplex (Dirichlet(1, …, 1)).
                    let e: Vec<f64> = (0..r.strategies.len())
                        .map(|_| -(1.0 - rng.random::<f64>()).ln())
                        .collect();
                    let s: f64 = e.iter().sum();
                    e.iter().map(|v| v / s).collect()
                })
                .collect(),
        );
    }
    out
}

/// Every pure mixture (one strategy per role) that passes the regret check, found by direct
/// lookups: its regret needs only the profile where every player of a role plays the role's
/// strategy and the profiles one player away.
pub(crate) fn pure_equilibria(game: &RoleGame, opts: &EquilibriumOptions) -> Vec<Vec<f64>> {
    let roles = game.roles();
    let offsets = game.offsets();
    let total: usize = roles.iter().map(|r| r.strategies.len()).product();
    if total > opts.max_pure {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut choice = vec![0usize; roles.len()];
    let mut flat = vec![0u32; game.strategy_count()];
    'outer: for _ in 0..total {
        flat.iter_mut().for_each(|c| *c = 0);
        for (r, &s) in choice.iter().enumerate() {
            flat[offsets[r] + s] = roles[r].players;
        }
        if let Some(base) = game.row_flat(&flat).map(|row| row.payoff.clone()) {
            let mut ok = true;
            for (r, &s) in choice.iter().enumerate() {
                let here = base[offsets[r] + s];
                let tolerance = opts.regret_threshold * game.payoff_span(r);
                for t in 0..roles[r].strategies.len() {
                    if t == s {
                        continue;
                    }
                    flat[offsets[r] + s] -= 1;
                    flat[offsets[r] + t] += 1;
                    let there = game.row_flat(&flat).map(|row| row.payoff[offsets[r] + t]);
                    flat[offsets[r] + s] += 1;
                    flat[offsets[r] + t] -= 1;
                    match there {
                        Some(u) if u - here <= tolerance => {}
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                if !ok {
                    break;
                }
            }
            if ok {
                let mut x = vec![0.0; flat.len()];
                for (r, &s) in choice.iter().enumerate() {
                    x[offsets[r] + s] = 1.0;
                }
                out.push(x);
            }
        }
        // Next choice, last role fastest.
        for r in (0..roles.len()).rev() {
            choice[r] += 1;
            if choice[r] < roles[r].strategies.len() {
                continue 'outer;
            }
            choice[r] = 0;
        }
    }
    out
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    parent[i] = r;
    r
}

/// De-duplicates, groups into components, keeps one point per support in a component, and
/// orders the result.
fn group(
    game: &RoleGame,
    points: Vec<Vec<f64>>,
    opts: &EquilibriumOptions,
) -> Vec<RoleEquilibrium> {
    let mut unique: Vec<Vec<f64>> = Vec::new();
    for p in points {
        if !unique.iter().any(|u| distance(u, &p) < opts.dedup_distance) {
            unique.push(p);
        }
    }
    let n = unique.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let equilibrium = |x: &[f64]| {
        game.relative_regrets_flat(x)
            .iter()
            .all(|g| !g.is_nan() && *g <= opts.regret_threshold)
    };
    for i in 0..n {
        for j in i + 1..n {
            let joined = [0.25, 0.5, 0.75].iter().all(|t| {
                let z: Vec<f64> = unique[i]
                    .iter()
                    .zip(&unique[j])
                    .map(|(a, b)| (1.0 - t) * a + t * b)
                    .collect();
                equilibrium(&z)
            });
            if joined {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    // Component ids in order of first discovery.
    let mut roots: Vec<usize> = Vec::new();
    let mut kept: Vec<(usize, Vec<Vec<usize>>, Vec<f64>)> = Vec::new();
    for (i, x) in unique.into_iter().enumerate() {
        let root = find(&mut parent, i);
        let component = match roots.iter().position(|&r| r == root) {
            Some(c) => c,
            None => {
                roots.push(root);
                roots.len() - 1
            }
        };
        let support: Vec<Vec<usize>> = support_of(game, &x, 0.0);
        if !kept
            .iter()
            .any(|(c, s, _)| *c == component && *s == support)
        {
            kept.push((component, support, x));
        }
    }
    kept.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(support_size(&a.1).cmp(&support_size(&b.1)))
            .then(a.1.cmp(&b.1))
            .then_with(|| {
                for (p, q) in a.2.iter().zip(&b.2) {
                    match q.total_cmp(p) {
                        std::cmp::Ordering::Equal => continue,
                        o => return o,
                    }
                }
                std::cmp::Ordering::Equal
            })
    });
    kept.into_iter()
        .map(|(component, _, x)| {
            let mix = game.unflatten(&x);
            RoleEquilibrium {
                payoff: game.mixture_payoff(&mix),
                regret: game.regret(&mix),
                component,
                mix,
            }
        })
        .collect()
}

fn support_size(s: &[Vec<usize>]) -> usize {
    s.iter().map(Vec::len).sum()
}
