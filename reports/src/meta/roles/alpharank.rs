//! Multi-population α-Rank (Omidshafiei et al., "α-Rank: Multi-Agent Evaluation by
//! Evolution", Scientific Reports 9, 2019, the multi-population model): one population per
//! role, each monomorphic, so a state is a pure profile of strategies, one per role.
//!
//! From a state `s`, a role `r` is picked uniformly (1/R) and a mutant strategy `τ ≠ s_r`
//! uniformly among the role's others (1/(S_r − 1)). The mutant's fitness is the payoff of one
//! player of role `r` playing `τ` while the role's other players play `s_r` and every other
//! role plays `s` (the one-player deviation profile); the resident's is the payoff of `s_r` in
//! `s`. With a constant fitness gap the Moran fixation probability in a population of `m`
//! under selection intensity `α` is `ρ = (1 − e^{−αΔ}) / (1 − e^{−mαΔ})` (1/m when Δ = 0),
//! computed by the single-population `fixation_probability` on a two-strategy game whose rows
//! are constant (so the gap does not depend on the number of mutants). Payoffs are rescaled to
//! [0, 1] per role (by the role's payoff span) before α applies, so α means the same for every
//! role. A transition whose profile has no data is left out (probability 0). The α-Rank score
//! is the stationary distribution of this chain; `strategy_mass` sums it per role and
//! strategy.

use serde::Serialize;

use super::game::RoleGame;
use crate::meta::alpharank::{fixation_probability, stationary, AlphaRankOptions};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleAlphaRank {
    /// The states: one strategy index per role, last role varying fastest.
    pub states: Vec<Vec<usize>>,
    /// Stationary mass of each state.
    pub stationary: Vec<f64>,
    /// Per role and strategy, the mass of the states in which the role plays it.
    pub strategy_mass: Vec<Vec<f64>>,
    /// State indices from the highest mass to the lowest (ties by state order).
    pub ranking: Vec<usize>,
    pub alpha: f64,
    pub population_size: usize,
}

/// Normalized payoff of (`role`, `strategy`) at flat counts `flat`, if the game has it.
fn fitness(game: &RoleGame, flat: &[u32], role: usize, strategy: usize) -> Option<f64> {
    let row = game.row_flat(flat)?;
    let u = row.payoff[game.offsets()[role] + strategy];
    Some((u - game.payoff_min(role)) / game.payoff_span(role))
}

/// Multi-population α-Rank of `game` (see the module documentation).
pub fn alpha_rank_roles(game: &RoleGame, opts: &AlphaRankOptions) -> RoleAlphaRank {
    let roles = game.roles();
    let offsets = game.offsets();
    let sizes: Vec<usize> = roles.iter().map(|r| r.strategies.len()).collect();
    let states = super::profiles::cartesian(
        &sizes
            .iter()
            .map(|&k| (0..k as u32).map(|s| vec![s]).collect::<Vec<Vec<u32>>>())
            .collect::<Vec<_>>(),
    )
    .into_iter()
    .map(|p| p.into_iter().map(|v| v[0] as usize).collect::<Vec<usize>>())
    .collect::<Vec<_>>();
    let n = states.len();
    let index_of = |state: &[usize]| {
        state
            .iter()
            .zip(&sizes)
            .fold(0usize, |acc, (&s, &k)| acc * k + s)
    };
    let m = opts.population_size.max(2);
    let mut c = vec![vec![0.0; n]; n];
    for (from, state) in states.iter().enumerate() {
        let mut flat = vec![0u32; game.strategy_count()];
        for (r, &s) in state.iter().enumerate() {
            flat[offsets[r] + s] = roles[r].players;
        }
        let mut out = 0.0;
        for (r, &resident) in state.iter().enumerate() {
            if sizes[r] < 2 {
                continue;
            }
            let Some(f_resident) = fitness(game, &flat, r, resident) else {
                continue;
            };
            let eta = 1.0 / (roles.len() as f64 * (sizes[r] - 1) as f64);
            for mutant in 0..sizes[r] {
                if mutant == resident {
                    continue;
                }
                flat[offsets[r] + resident] -= 1;
                flat[offsets[r] + mutant] += 1;
                let f_mutant = fitness(game, &flat, r, mutant);
                flat[offsets[r] + resident] += 1;
                flat[offsets[r] + mutant] -= 1;
                let Some(f_mutant) = f_mutant else { continue };
                // Rows constant: f_τ(k) − f_σ(k) = f_mutant − f_resident for every k.
                let a = vec![vec![f_resident, f_resident], vec![f_mutant, f_mutant]];
                let rho = fixation_probability(&a, 0, 1, opts.alpha, m);
                let mut next = state.clone();
                next[r] = mutant;
                let to = index_of(&next);
                c[from][to] += eta * rho;
                out += eta * rho;
            }
        }
        c[from][from] = 1.0 - out;
    }
    let pi = if n <= 1 { vec![1.0; n] } else { stationary(&c) };
    let mut strategy_mass: Vec<Vec<f64>> = sizes.iter().map(|&k| vec![0.0; k]).collect();
    for (state, p) in states.iter().zip(&pi) {
        for (r, &s) in state.iter().enumerate() {
            strategy_mass[r][s] += p;
        }
    }
    let mut ranking: Vec<usize> = (0..n).collect();
    ranking.sort_by(|&i, &j| pi[j].total_cmp(&pi[i]).then(i.cmp(&j)));
    RoleAlphaRank {
        states,
        stationary: pi,
        strategy_mass,
        ranking,
        alpha: opts.alpha,
        population_size: m,
    }
}
