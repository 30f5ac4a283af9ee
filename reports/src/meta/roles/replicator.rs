//! Replicator dynamics per role (multi-population): each role's mix grows the strategies that
//! earn more than the role's average against the current mixture,
//! `ẋ_rs = x_rs (dev_rs(x) − Σ_t x_rt dev_rt(x)) / span_r`,
//! where `span_r` is the role's payoff span (`RoleGame::payoff_span`), so every role moves on
//! the same scale whatever its capital. Integrated with RK4 at a fixed step, clipping negative
//! shares and renormalizing each role after a step (as the symmetric `replicator`). Interior
//! equilibria of two-role games are often centres (orbits cycle around them), so the outcome
//! also gives the time average over the second half of the run, whose limit is the centre.

use serde::Serialize;

use super::game::{Mixture, RoleGame};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RoleReplicatorOptions {
    /// RK4 step in normalized time (default 0.25).
    pub dt: f64,
    /// Time horizon (default 100).
    pub max_time: f64,
    /// Converged when every `|ẋ_rs|` is below this (default 1e-9).
    pub tolerance: f64,
}

impl Default for RoleReplicatorOptions {
    fn default() -> Self {
        RoleReplicatorOptions {
            dt: 0.25,
            max_time: 100.0,
            tolerance: 1e-9,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleReplicatorOutcome {
    /// The mixture at the end of the run.
    pub final_mix: Mixture,
    /// Time average over the second half of the run (equals `final_mix` when converged).
    pub average_mix: Mixture,
    /// True when the dynamics came to rest before `max_time`.
    pub converged: bool,
    /// Normalized time simulated.
    pub time: f64,
}

/// The replicator velocity at flat `x`; None where the game lacks data.
pub(crate) fn velocity(game: &RoleGame, x: &[f64]) -> Option<Vec<f64>> {
    let gains = game.regrets_flat(x);
    let offsets = game.offsets();
    let mut v = vec![0.0; x.len()];
    for r in 0..offsets.len() - 1 {
        let span = game.payoff_span(r);
        for i in offsets[r]..offsets[r + 1] {
            if x[i] != 0.0 {
                if gains[i].is_nan() {
                    return None;
                }
                v[i] = x[i] * gains[i] / span;
            }
        }
    }
    Some(v)
}

fn axpy(x: &[f64], k: &[f64], h: f64) -> Vec<f64> {
    x.iter().zip(k).map(|(a, b)| a + h * b).collect()
}

/// Clips negative shares and renormalizes each role.
pub(crate) fn normalize_roles(game: &RoleGame, x: &mut [f64]) {
    for w in game.offsets().windows(2) {
        let part = &mut x[w[0]..w[1]];
        part.iter_mut().for_each(|p| *p = p.max(0.0));
        let s: f64 = part.iter().sum();
        if s > 0.0 {
            part.iter_mut().for_each(|p| *p /= s);
        }
    }
}

/// One RK4 step, then clip and renormalize each role; None where the game lacks data.
pub(crate) fn rk4_step(game: &RoleGame, x: &[f64], dt: f64) -> Option<Vec<f64>> {
    let k1 = velocity(game, x)?;
    let k2 = velocity(game, &axpy(x, &k1, dt / 2.0))?;
    let k3 = velocity(game, &axpy(x, &k2, dt / 2.0))?;
    let k4 = velocity(game, &axpy(x, &k3, dt))?;
    let mut next: Vec<f64> = (0..x.len())
        .map(|i| x[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]))
        .collect();
    normalize_roles(game, &mut next);
    Some(next)
}

/// Replicator dynamics per role from `start`. Stops early (not converged) if the mixture
/// reaches profiles the game has no data for.
pub fn replicator_roles(
    game: &RoleGame,
    start: &Mixture,
    opts: &RoleReplicatorOptions,
) -> RoleReplicatorOutcome {
    let mut x = game.flatten_mix(start);
    normalize_roles(game, &mut x);
    let steps = (opts.max_time / opts.dt).ceil() as usize;
    let half = steps / 2;
    let mut sum = vec![0.0; x.len()];
    let mut counted = 0usize;
    let mut time = 0.0;
    let mut converged = false;
    for step in 0..steps {
        let Some(v) = velocity(game, &x) else { break };
        if v.iter().all(|d| d.abs() < opts.tolerance) {
            converged = true;
            break;
        }
        let Some(next) = rk4_step(game, &x, opts.dt) else {
            break;
        };
        x = next;
        time = (step + 1) as f64 * opts.dt;
        if step >= half {
            sum.iter_mut().zip(&x).for_each(|(s, p)| *s += p);
            counted += 1;
        }
    }
    let average = if converged || counted == 0 {
        x.clone()
    } else {
        sum.iter().map(|s| s / counted as f64).collect()
    };
    RoleReplicatorOutcome {
        final_mix: game.unflatten(&x),
        average_mix: game.unflatten(&average),
        converged,
        time,
    }
}
