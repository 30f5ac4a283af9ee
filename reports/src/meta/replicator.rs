//! Replicator dynamics from the uniform mix.
//!
//! `ẋ_i = x_i ((Ax)_i − xᵀAx)`, integrated with the classical fourth-order Runge–Kutta scheme
//! (RK4) at a fixed step `dt` in **normalized payoff units**: the payoffs are first rescaled to
//! `[0, 1]` by `(A − min A) / (max A − min A)` (a positive affine map, which changes the speed of
//! the dynamics but not its orbits), so `dt` and `max_time` mean the same for any payoff scale.
//! After each step negative shares (numerical round-off) are clipped to 0 and the mix is
//! renormalized. The run stops when `max_i |ẋ_i| < tolerance` (converged: a rest point) or at
//! `max_time`; then the outcome also gives the time average over the second half of the run,
//! which is the meaningful summary of a cycle (e.g. rock–paper–scissors orbits, whose time
//! average is the interior equilibrium).

use serde::Serialize;

use super::Game;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReplicatorOptions {
    /// RK4 step in normalized time units (default 0.05).
    pub dt: f64,
    /// Time horizon (default 2000).
    pub max_time: f64,
    /// Convergence threshold on `max_i |ẋ_i|` (default 1e-9).
    pub tolerance: f64,
}

impl Default for ReplicatorOptions {
    fn default() -> Self {
        ReplicatorOptions {
            dt: 0.05,
            max_time: 2000.0,
            tolerance: 1e-9,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplicatorOutcome {
    /// The mix at the end of the run.
    pub final_mix: Vec<f64>,
    /// Time average over the second half of the run (equals `final_mix` when converged).
    pub average_mix: Vec<f64>,
    /// True when the dynamics came to rest before `max_time`.
    pub converged: bool,
    /// Normalized time simulated.
    pub time: f64,
}

fn normalized(game: &Game) -> Vec<Vec<f64>> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for row in &game.payoff {
        for &a in row {
            lo = lo.min(a);
            hi = hi.max(a);
        }
    }
    let span = hi - lo;
    game.payoff
        .iter()
        .map(|row| {
            row.iter()
                .map(|&a| if span > 0.0 { (a - lo) / span } else { 0.0 })
                .collect()
        })
        .collect()
}

fn velocity(a: &[Vec<f64>], x: &[f64]) -> Vec<f64> {
    let ax: Vec<f64> = a
        .iter()
        .map(|row| row.iter().zip(x).map(|(v, p)| v * p).sum())
        .collect();
    let mean: f64 = ax.iter().zip(x).map(|(u, p)| u * p).sum();
    x.iter().zip(&ax).map(|(p, u)| p * (u - mean)).collect()
}

fn axpy(x: &[f64], k: &[f64], h: f64) -> Vec<f64> {
    x.iter().zip(k).map(|(a, b)| a + h * b).collect()
}

/// One RK4 step of the replicator equation, then clip and renormalize.
pub fn rk4_step(a: &[Vec<f64>], x: &[f64], dt: f64) -> Vec<f64> {
    let k1 = velocity(a, x);
    let k2 = velocity(a, &axpy(x, &k1, dt / 2.0));
    let k3 = velocity(a, &axpy(x, &k2, dt / 2.0));
    let k4 = velocity(a, &axpy(x, &k3, dt));
    let mut next: Vec<f64> = (0..x.len())
        .map(|i| (x[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])).max(0.0))
        .collect();
    let s: f64 = next.iter().sum();
    if s > 0.0 {
        next.iter_mut().for_each(|p| *p /= s);
    }
    next
}

/// Replicator dynamics from `start` (a mix) on `game`.
pub fn replicator_from(
    game: &Game,
    start: &[f64],
    options: &ReplicatorOptions,
) -> ReplicatorOutcome {
    let a = normalized(game);
    let n = game.len();
    let steps = (options.max_time / options.dt).ceil() as usize;
    let half = steps / 2;
    let mut x = start.to_vec();
    let mut sum = vec![0.0; n];
    let mut counted = 0usize;
    for step in 0..steps {
        let v = velocity(&a, &x);
        if v.iter().all(|d| d.abs() < options.tolerance) {
            return ReplicatorOutcome {
                average_mix: x.clone(),
                final_mix: x,
                converged: true,
                time: step as f64 * options.dt,
            };
        }
        x = rk4_step(&a, &x, options.dt);
        if step >= half {
            sum.iter_mut().zip(&x).for_each(|(s, p)| *s += p);
            counted += 1;
        }
    }
    let average_mix = if counted > 0 {
        sum.iter().map(|s| s / counted as f64).collect()
    } else {
        x.clone()
    };
    ReplicatorOutcome {
        final_mix: x,
        average_mix,
        converged: false,
        time: steps as f64 * options.dt,
    }
}

/// Replicator dynamics from the uniform mix.
pub fn replicator(game: &Game, options: &ReplicatorOptions) -> ReplicatorOutcome {
    let n = game.len();
    if n == 0 {
        return ReplicatorOutcome {
            final_mix: vec![],
            average_mix: vec![],
            converged: true,
            time: 0.0,
        };
    }
    replicator_from(game, &vec![1.0 / n as f64; n], options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisoners_dilemma_goes_to_defect() {
        let g = Game::of_rows(&[&[3.0, 0.0], &[5.0, 1.0]]);
        let out = replicator(&g, &ReplicatorOptions::default());
        assert!(out.final_mix[1] > 0.999_999, "{:?}", out);
    }

    #[test]
    fn coordination_from_uniform_picks_the_larger_basin() {
        // A: 2/0, B: 0/1; the mixed rest point is at x_A = 1/3, so the uniform start (1/2)
        // lies in A's basin.
        let g = Game::of_rows(&[&[2.0, 0.0], &[0.0, 1.0]]);
        let out = replicator(&g, &ReplicatorOptions::default());
        assert!(out.final_mix[0] > 0.999_999);
    }

    #[test]
    fn rock_paper_scissors_rests_at_uniform_and_cycles_around_it() {
        let g = Game::of_rows(&[&[0.0, -1.0, 1.0], &[1.0, 0.0, -1.0], &[-1.0, 1.0, 0.0]]);
        // From the uniform mix nothing moves: it is the interior rest point.
        let out = replicator(&g, &ReplicatorOptions::default());
        assert!(out.converged);
        assert!(out.final_mix.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-12));
        // From a perturbed start the orbit is closed: x_R·x_P·x_S is a constant of motion of
        // zero-sum RPS (d/dt ln Π x_i = Σ (Ax)_i − 3 xᵀAx = 0), RK4 keeps it to ~1e-6 over
        // t = 200, and the time average over the second half is close to uniform.
        let start = [0.5, 0.3, 0.2];
        let opts = ReplicatorOptions {
            dt: 0.01,
            max_time: 200.0,
            tolerance: 1e-12,
        };
        let out = replicator_from(&g, &start, &opts);
        assert!(!out.converged);
        let product = |x: &[f64]| x.iter().product::<f64>();
        assert!((product(&out.final_mix) - product(&start)).abs() < 1e-6);
        assert!(
            out.average_mix.iter().all(|p| (p - 1.0 / 3.0).abs() < 0.02),
            "{:?}",
            out
        );
    }
}
