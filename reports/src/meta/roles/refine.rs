//! Refinement of an approximate equilibrium to machine precision: Newton's method on the
//! support's indifference system, with a small support search around it.
//!
//! On a support `S_r` per role, a role-symmetric equilibrium makes every strategy of `S_r`
//! earn the same deviation payoff, and each role's weights sum to 1:
//! `dev_{r,s}(x) − dev_{r,s_0}(x) = 0` for `s ∈ S_r \ {s_0}` and `Σ_{s∈S_r} x_rs = 1`
//! (with `x_rt = 0` off the support) — as many equations as unknowns. Deviation payoffs are
//! polynomials in `x`, so Newton converges quadratically from a replicator end point. The
//! Jacobian is taken by forward differences (supports are small). If the solution has
//! negative weights, those strategies leave the support; if the system has no solution, the
//! support's worst strategy against the start leaves it; if a strategy outside it gains more
//! than the tolerance, the one gaining most joins; at most a few rounds.
//! A singular system (a tie: duplicate strategies, a continuum of equilibria) is not an
//! error: the caller keeps the unrefined point when its regret is within tolerance.

use super::game::RoleGame;
use super::replicator::normalize_roles;

/// Support per role as flat strategy indices.
pub(crate) type Support = Vec<Vec<usize>>;

pub(crate) fn support_of(game: &RoleGame, x: &[f64], threshold: f64) -> Support {
    game.offsets()
        .windows(2)
        .map(|w| {
            let mut s: Vec<usize> = (w[0]..w[1]).filter(|&i| x[i] > threshold).collect();
            if s.is_empty() {
                // Keep the heaviest strategy: a role always plays something.
                let best = (w[0]..w[1])
                    .max_by(|&a, &b| x[a].total_cmp(&x[b]).then(b.cmp(&a)))
                    .unwrap_or(w[0]);
                s.push(best);
            }
            s
        })
        .collect()
}

/// The role of flat strategy index `i`.
pub(crate) fn role_of(offsets: &[usize], i: usize) -> usize {
    offsets.partition_point(|&o| o <= i) - 1
}

/// Residual of the indifference system at flat `x` (zero off the support), scaled per role.
fn residual(game: &RoleGame, support: &Support, x: &[f64]) -> Option<Vec<f64>> {
    let dev = game.deviation_flat(x);
    let mut f = Vec::new();
    for (r, sup) in support.iter().enumerate() {
        let span = game.payoff_span(r);
        let base = dev[sup[0]];
        for &i in &sup[1..] {
            let d = (dev[i] - base) / span;
            if d.is_nan() {
                return None;
            }
            f.push(d);
        }
        f.push(sup.iter().map(|&i| x[i]).sum::<f64>() - 1.0);
    }
    Some(f)
}

/// Newton iterations at most (it converges in a handful from a good start).
const NEWTON_ITERATIONS: usize = 30;
/// Residual (in units of the role's payoff span) counted as solved.
const CONVERGED: f64 = 1e-12;
/// Residual accepted when rounding stops Newton improving (large payoffs, small spans).
const STALLED: f64 = 1e-8;

/// Solves `a z = b` by Gaussian elimination with partial pivoting; None when singular.
#[allow(clippy::needless_range_loop)]
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a
        .iter()
        .flatten()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(1e-300);
    for col in 0..n {
        let p = (col..n).max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))?;
        if a[p][col].abs() < 1e-10 * scale {
            return None;
        }
        a.swap(col, p);
        b.swap(col, p);
        for r in col + 1..n {
            let f = a[r][col] / a[col][col];
            if f != 0.0 {
                for k in col..n {
                    a[r][k] -= f * a[col][k];
                }
                b[r] -= f * b[col];
            }
        }
    }
    let mut z = vec![0.0; n];
    for col in (0..n).rev() {
        let s: f64 = (col + 1..n).map(|k| a[col][k] * z[k]).sum();
        z[col] = (b[col] - s) / a[col][col];
    }
    Some(z)
}

fn norm(f: &[f64]) -> f64 {
    f.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Newton's method on the support's system from `x0` (flat). Returns the solution (flat,
/// zero off the support) when the residual falls below `CONVERGED` (or below `STALLED` when
/// rounding stops progress); None when the system is singular or Newton fails.
pub(crate) fn newton_on_support(
    game: &RoleGame,
    support: &Support,
    x0: &[f64],
) -> Option<Vec<f64>> {
    let vars: Vec<usize> = support.iter().flatten().copied().collect();
    let mut x = vec![0.0; x0.len()];
    for sup in support {
        let total: f64 = sup.iter().map(|&i| x0[i].max(0.0)).sum();
        for &i in sup {
            x[i] = if total > 0.0 {
                x0[i].max(0.0) / total
            } else {
                1.0 / sup.len() as f64
            };
        }
    }
    let mut f = residual(game, support, &x)?;
    for iteration in 0..NEWTON_ITERATIONS {
        if norm(&f) < CONVERGED {
            return Some(x);
        }
        if iteration == 10 && norm(&f) > 1e-3 {
            // Not converging quadratically: a wrong support or a poor start; give up early.
            return None;
        }
        let h = 1e-7;
        let mut jac = vec![vec![0.0; vars.len()]; vars.len()];
        for (c, &i) in vars.iter().enumerate() {
            let mut xh = x.clone();
            xh[i] += h;
            let fh = residual(game, support, &xh)?;
            for (row, (a, b)) in jac.iter_mut().zip(fh.iter().zip(&f)) {
                row[c] = (a - b) / h;
            }
        }
        let step = solve_linear(jac, f.iter().map(|v| -v).collect())?;
        // Damped: halve the step until the residual decreases.
        let mut t = 1.0;
        let mut improved = None;
        for _ in 0..8 {
            let mut xn = x.clone();
            for (&i, d) in vars.iter().zip(&step) {
                xn[i] += t * d;
            }
            if let Some(fnew) = residual(game, support, &xn) {
                if norm(&fnew) < norm(&f) {
                    improved = Some((xn, fnew));
                    break;
                }
            }
            t /= 2.0;
        }
        // No step improves: converged as far as rounding allows, or stuck.
        let Some((xn, fnew)) = improved else {
            return (norm(&f) < STALLED).then_some(x);
        };
        x = xn;
        f = fnew;
    }
    (norm(&f) < STALLED).then_some(x)
}

/// Support rounds (drop the negative, add the best deviation) at most.
const ROUNDS: usize = 6;
/// A strategy losing more than this share of its role's payoff span against the candidate is
/// dying out, not part of a nearby equilibrium's support.
const DYING: f64 = 0.02;

/// The support a nearby equilibrium probably has: strategies above the threshold that are not
/// clearly losing against `x` (each role keeps at least its heaviest).
fn likely_support(game: &RoleGame, x: &[f64], threshold: f64) -> Support {
    let gains = game.regrets_flat(x);
    let offsets = game.offsets();
    let mut support = support_of(game, x, threshold);
    for sup in support.iter_mut() {
        let heaviest = sup.iter().copied().max_by(|&a, &b| x[a].total_cmp(&x[b]));
        sup.retain(|&i| {
            Some(i) == heaviest || gains[i] / game.payoff_span(role_of(offsets, i)) > -DYING
        });
    }
    support
}

/// `likely_support` joined by every strategy that gains against `x` (relative gain above
/// zero).
pub(crate) fn support_with_gainers(game: &RoleGame, x: &[f64], threshold: f64) -> Support {
    let gains = game.regrets_flat(x);
    let offsets = game.offsets();
    let mut support = likely_support(game, x, threshold);
    for (r, sup) in support.iter_mut().enumerate() {
        for (i, &gain) in gains
            .iter()
            .enumerate()
            .take(offsets[r + 1])
            .skip(offsets[r])
        {
            if gain > 0.0 && !sup.contains(&i) {
                sup.push(i);
            }
        }
        sup.sort_unstable();
    }
    support
}

/// Refines `candidate` (flat) into an equilibrium whose relative regret (per role, gain over
/// payoff span) is at most `tolerance`. Returns None when neither the refined nor the
/// candidate point qualifies.
pub(crate) fn refine(
    game: &RoleGame,
    candidate: &[f64],
    support_threshold: f64,
    tolerance: f64,
) -> Option<Vec<f64>> {
    let support = likely_support(game, candidate, support_threshold);
    refine_on(game, candidate, support, support_threshold, tolerance)
}

/// `refine` from a given first support.
pub(crate) fn refine_on(
    game: &RoleGame,
    candidate: &[f64],
    mut support: Support,
    support_threshold: f64,
    tolerance: f64,
) -> Option<Vec<f64>> {
    let within = |x: &[f64]| {
        game.relative_regrets_flat(x)
            .iter()
            .all(|g| !g.is_nan() && *g <= tolerance)
    };
    let mut start = candidate.to_vec();
    let strategies = game.strategy_count();
    for _ in 0..ROUNDS {
        let Some(mut x) = newton_on_support(game, &support, &start) else {
            // No solution on this support (e.g. a strategy that always earns a constant amount
            // less than another: its indifference equation has none). The support's worst
            // strategy against the start leaves it, and Newton tries again.
            let gains = game.regrets_flat(&start);
            let offsets = game.offsets();
            let worst = support
                .iter()
                .filter(|s| s.len() > 1)
                .flatten()
                .copied()
                .min_by(|&a, &b| {
                    let ga = gains[a] / game.payoff_span(role_of(offsets, a));
                    let gb = gains[b] / game.payoff_span(role_of(offsets, b));
                    ga.total_cmp(&gb).then(a.cmp(&b))
                });
            let Some(worst) = worst.filter(|&w| !gains[w].is_nan()) else {
                break;
            };
            support[role_of(offsets, worst)].retain(|&j| j != worst);
            start[worst] = 0.0;
            normalize_roles(game, &mut start);
            continue;
        };
        // Weights below zero: those strategies leave the support (each role keeps its
        // heaviest).
        if support.iter().flatten().any(|&i| x[i] < -1e-12) {
            for sup in support.iter_mut() {
                let heaviest = *sup.iter().max_by(|&&a, &&b| x[a].total_cmp(&x[b]))?;
                sup.retain(|&j| j == heaviest || x[j] >= -1e-12);
            }
            for p in x.iter_mut() {
                *p = p.max(0.0);
            }
            normalize_roles(game, &mut x);
            start = x;
            continue;
        }
        // Weights at rounding level are zeros (a strategy on the support's edge).
        for p in x.iter_mut() {
            if *p < 1e-12 {
                *p = 0.0;
            }
        }
        normalize_roles(game, &mut x);
        if within(&x) {
            return Some(x);
        }
        // A profitable strategy outside the support joins it.
        let gains = game.regrets_flat(&x);
        let offsets = game.offsets();
        let Some(joining) = (0..strategies)
            .filter(|i| !support.iter().any(|s| s.contains(i)))
            .max_by(|&a, &b| {
                let ga = gains[a] / game.payoff_span(role_of(offsets, a));
                let gb = gains[b] / game.payoff_span(role_of(offsets, b));
                ga.total_cmp(&gb).then(b.cmp(&a))
            })
        else {
            break;
        };
        let r = role_of(offsets, joining);
        support[r].push(joining);
        support[r].sort_unstable();
        start = x;
    }
    // Newton could not settle it (a singular system: a tie). Keep the candidate, cleaned of
    // weights below the support threshold, if it is an equilibrium within tolerance.
    let kept = support_of(game, candidate, support_threshold);
    let mut cleaned = candidate.to_vec();
    for (i, p) in cleaned.iter_mut().enumerate() {
        if !kept.iter().any(|s| s.contains(&i)) {
            *p = 0.0;
        }
    }
    normalize_roles(game, &mut cleaned);
    within(&cleaned).then_some(cleaned)
}
