//! α-Rank, single-population formulation (Omidshafiei et al., "α-Rank: Multi-Agent Evaluation
//! by Evolution", Scientific Reports 9, 2019).
//!
//! A population of `m` individuals all play one strategy (a monomorphic state). A mutant
//! strategy `τ` appears (chosen uniformly among the other `n − 1`, so `η = 1/(n − 1)`) in a
//! resident population of `σ`. With `k` mutants present, their fitnesses are
//! `f_τ(k) = ((k − 1) A(τ,τ) + (m − k) A(τ,σ)) / (m − 1)` and
//! `f_σ(k) = (k A(σ,τ) + (m − k − 1) A(σ,σ)) / (m − 1)`. Under the logit (Fermi) selection
//! rule with intensity `α` the fixation probability of the mutant is
//! `ρ_{σ→τ} = 1 / (1 + Σ_{l=1}^{m−1} Π_{k=1}^{l} exp(−α (f_τ(k) − f_σ(k))))`
//! (`= 1/m` when the fitnesses are equal), computed here in log space (log-sum-exp) so large
//! α cannot overflow. The Markov chain over monomorphic states has `C[σ][τ] = η ρ_{σ→τ}`,
//! `C[σ][σ] = 1 − Σ_τ C[σ][τ]`; its stationary distribution `π` is the α-Rank score and the
//! ranking orders strategies by `π` (ties by name order).
//!
//! Payoff scale: α multiplies payoff differences, so by default payoffs are first rescaled to
//! `[0, 1]` (`normalize = true`), which makes α comparable across mechanisms; the paper's
//! advice is to take α large (the infinite-α limit) — default α = 100, m = 50.

use serde::Serialize;

use super::Game;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AlphaRankOptions {
    /// Selection intensity α (default 100, on normalized payoffs).
    pub alpha: f64,
    /// Population size m ≥ 2 (default 50).
    pub population_size: usize,
    /// Rescale payoffs to [0, 1] before applying α (default true).
    pub normalize: bool,
}

impl Default for AlphaRankOptions {
    fn default() -> Self {
        AlphaRankOptions {
            alpha: 100.0,
            population_size: 50,
            normalize: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaRank {
    /// Stationary mass of each strategy (same order as the game's strategies).
    pub stationary: Vec<f64>,
    /// Strategy indices from the highest mass to the lowest.
    pub ranking: Vec<usize>,
    pub alpha: f64,
    pub population_size: usize,
}

fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

/// Fixation probability of a mutant `tau` in a resident population of `sigma`.
pub fn fixation_probability(a: &[Vec<f64>], sigma: usize, tau: usize, alpha: f64, m: usize) -> f64 {
    let mf = m as f64;
    // Log terms: 0 (the "1 +"), then −α S_l for l = 1..m−1 with S_l = Σ_{k≤l} (f_τ(k) − f_σ(k)).
    let mut terms = Vec::with_capacity(m);
    terms.push(0.0);
    let mut cumulative = 0.0;
    for k in 1..m {
        let kf = k as f64;
        let f_tau = ((kf - 1.0) * a[tau][tau] + (mf - kf) * a[tau][sigma]) / (mf - 1.0);
        let f_sigma = (kf * a[sigma][tau] + (mf - kf - 1.0) * a[sigma][sigma]) / (mf - 1.0);
        cumulative += f_tau - f_sigma;
        terms.push(-alpha * cumulative);
    }
    (-log_sum_exp(&terms)).exp()
}

/// Stationary distribution of a row-stochastic matrix: solve πᵀ(C − I) = 0 with Σπ = 1 by
/// Gaussian elimination with partial pivoting; fall back to power iteration of the lazy chain
/// if the system is numerically singular (a chain made reducible by underflow).
#[allow(clippy::needless_range_loop)] // index-based elimination reads like the algebra
pub(crate) fn stationary(c: &[Vec<f64>]) -> Vec<f64> {
    let n = c.len();
    // Equations: for each state j < n−1: Σ_i π_i (C[i][j] − δ_ij) = 0; last: Σ π_i = 1.
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            let mut row: Vec<f64> = (0..n)
                .map(|i| {
                    if j == n - 1 {
                        1.0
                    } else {
                        c[i][j] - if i == j { 1.0 } else { 0.0 }
                    }
                })
                .collect();
            row.push(if j == n - 1 { 1.0 } else { 0.0 });
            row
        })
        .collect();
    let mut singular = false;
    for col in 0..n {
        let p = (col..n)
            .max_by(|&r, &s| m[r][col].abs().total_cmp(&m[s][col].abs()).then(s.cmp(&r)))
            .unwrap_or(col);
        if m[p][col].abs() < 1e-300 {
            singular = true;
            break;
        }
        m.swap(col, p);
        for r in 0..n {
            if r != col {
                let f = m[r][col] / m[col][col];
                if f != 0.0 {
                    for k in col..=n {
                        m[r][k] -= f * m[col][k];
                    }
                }
            }
        }
    }
    if !singular {
        let pi: Vec<f64> = (0..n).map(|i| (m[i][n] / m[i][i]).max(0.0)).collect();
        let s: f64 = pi.iter().sum();
        if s > 0.0 && pi.iter().all(|p| p.is_finite()) {
            return pi.iter().map(|p| p / s).collect();
        }
    }
    let mut pi = vec![1.0 / n as f64; n];
    for _ in 0..100_000 {
        let mut next = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                let lazy = 0.5 * c[i][j] + if i == j { 0.5 } else { 0.0 };
                next[j] += pi[i] * lazy;
            }
        }
        pi = next;
    }
    pi
}

/// α-Rank of `game`.
#[allow(clippy::needless_range_loop)]
pub fn alpha_rank(game: &Game, options: &AlphaRankOptions) -> AlphaRank {
    let n = game.len();
    let m = options.population_size.max(2);
    let a: Vec<Vec<f64>> = if options.normalize {
        let lo = game
            .payoff
            .iter()
            .flatten()
            .cloned()
            .fold(f64::INFINITY, f64::min);
        let hi = game
            .payoff
            .iter()
            .flatten()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max);
        let span = hi - lo;
        game.payoff
            .iter()
            .map(|r| {
                r.iter()
                    .map(|&x| if span > 0.0 { (x - lo) / span } else { 0.0 })
                    .collect()
            })
            .collect()
    } else {
        game.payoff.clone()
    };
    let stationary_mass = if n <= 1 {
        vec![1.0; n]
    } else {
        let eta = 1.0 / (n as f64 - 1.0);
        let mut c = vec![vec![0.0; n]; n];
        for s in 0..n {
            let mut out = 0.0;
            for t in 0..n {
                if s != t {
                    c[s][t] = eta * fixation_probability(&a, s, t, options.alpha, m);
                    out += c[s][t];
                }
            }
            c[s][s] = 1.0 - out;
        }
        stationary(&c)
    };
    let mut ranking: Vec<usize> = (0..n).collect();
    ranking.sort_by(|&i, &j| {
        stationary_mass[j]
            .total_cmp(&stationary_mass[i])
            .then_with(|| game.strategies[i].cmp(&game.strategies[j]))
    });
    AlphaRank {
        stationary: stationary_mass,
        ranking,
        alpha: options.alpha,
        population_size: m,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_by_two_by_hand() {
        // Prisoner's dilemma C/D, A = [[3, 0], [5, 1]], raw payoffs, α = 0.2, m = 2, η = 1.
        // With m = 2 and k = 1 mutant: f_τ(1) = A(τ,σ), f_σ(1) = A(σ,τ), so
        // ρ_{C→D} = 1/(1 + e^{−α(A(D,C) − A(C,D))}) = 1/(1 + e^{−0.2·5}) = 1/(1 + e^{−1}) = 0.7310586
        // ρ_{D→C} = 1/(1 + e^{−0.2·(0 − 5)}) = 1/(1 + e) = 0.2689414.
        // Two states: π_C ρ_{C→D} = π_D ρ_{D→C} → π_C/π_D = e^{−1} → π_C = 1/(1 + e) = 0.2689414,
        // π_D = e/(1 + e) = 0.7310586.
        let g = Game::of_rows(&[&[3.0, 0.0], &[5.0, 1.0]]);
        let opts = AlphaRankOptions {
            alpha: 0.2,
            population_size: 2,
            normalize: false,
        };
        let r = alpha_rank(&g, &opts);
        let e = std::f64::consts::E;
        assert!((r.stationary[0] - 1.0 / (1.0 + e)).abs() < 1e-12);
        assert!((r.stationary[1] - e / (1.0 + e)).abs() < 1e-12);
        assert_eq!(r.ranking, vec![1, 0]);
    }

    #[test]
    fn neutral_drift_fixation_is_one_over_m() {
        // Constant game: every fitness difference is 0, so ρ = 1/m (neutral fixation).
        let a = vec![vec![1.0, 1.0], vec![1.0, 1.0]];
        assert!((fixation_probability(&a, 0, 1, 5.0, 10) - 0.1).abs() < 1e-12);
    }

    #[test]
    fn constant_fitness_advantage_matches_moran_closed_form() {
        // Mutant always ahead by d = A(τ,·) − A(σ,·) = 1 (A = [[0,0],[1,1]], τ = 1, σ = 0):
        // f_τ(k) − f_σ(k) = 1 for all k, so ρ = 1/Σ_{l=0}^{m−1} e^{−αl} = (1 − e^{−α})/(1 − e^{−αm}).
        // α = 0.5, m = 5: (1 − e^{−0.5})/(1 − e^{−2.5}) = 0.3934693/0.9179150 = 0.4286558.
        let a = vec![vec![0.0, 0.0], vec![1.0, 1.0]];
        let rho = fixation_probability(&a, 0, 1, 0.5, 5);
        assert!((rho - 0.393_469_340_3 / 0.917_915_001_0).abs() < 1e-9);
    }

    #[test]
    fn rock_paper_scissors_is_uniform() {
        // The α-Rank paper's RPS example: by the cyclic symmetry every fixation probability
        // along the cycle is the same, so π is uniform for any α and m.
        let g = Game::of_rows(&[&[0.0, -1.0, 1.0], &[1.0, 0.0, -1.0], &[-1.0, 1.0, 0.0]]);
        for alpha in [0.1, 1.0, 100.0] {
            let r = alpha_rank(
                &g,
                &AlphaRankOptions {
                    alpha,
                    ..Default::default()
                },
            );
            assert!(
                r.stationary.iter().all(|p| (p - 1.0 / 3.0).abs() < 1e-9),
                "{r:?}"
            );
        }
    }

    #[test]
    fn large_alpha_concentrates_on_the_sink() {
        // Prisoner's dilemma with α = 100 on normalized payoffs: all mass on D.
        let g = Game::of_rows(&[&[3.0, 0.0], &[5.0, 1.0]]);
        let r = alpha_rank(&g, &AlphaRankOptions::default());
        assert!(r.stationary[1] > 1.0 - 1e-12);
    }
}
