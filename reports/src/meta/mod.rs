//! The meta-game: a payoff matrix read as a symmetric two-player game, and what we compute on
//! it — all symmetric Nash equilibria (exact), regrets, replicator dynamics, α-Rank, and a
//! Gambit `.nfg` export for cross-checking.

pub mod alpharank;
pub mod nash;
pub mod nfg;
pub mod replicator;
pub mod roles;

use serde::Serialize;

pub use alpharank::{alpha_rank, AlphaRank, AlphaRankOptions};
pub use nash::{
    regrets, symmetric_equilibria, Equilibrium, EquilibriumSet, NashError, NashOptions,
};
pub use nfg::to_nfg;
pub use replicator::{replicator, ReplicatorOptions, ReplicatorOutcome};

/// A symmetric two-player game: `payoff[i][j]` is what strategy `i` earns against strategy `j`
/// (the column player's payoff is the transpose).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Game {
    pub strategies: Vec<String>,
    pub payoff: Vec<Vec<f64>>,
}

/// The game is malformed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GameError {
    #[error("payoff matrix is {rows}×{cols} but there are {strategies} strategies")]
    Shape {
        strategies: usize,
        rows: usize,
        cols: usize,
    },
}

impl Game {
    pub fn new(strategies: Vec<String>, payoff: Vec<Vec<f64>>) -> Result<Game, GameError> {
        let n = strategies.len();
        if payoff.len() != n || payoff.iter().any(|r| r.len() != n) {
            return Err(GameError::Shape {
                strategies: n,
                rows: payoff.len(),
                cols: payoff.iter().map(Vec::len).max().unwrap_or(0),
            });
        }
        Ok(Game { strategies, payoff })
    }

    /// A game of the given rows, its strategies named `s0`, `s1`, … (for tests).
    #[cfg(test)]
    pub(crate) fn of_rows(payoff: &[&[f64]]) -> Game {
        let names = (0..payoff.len()).map(|i| format!("s{i}")).collect();
        Game::new(names, payoff.iter().map(|r| r.to_vec()).collect()).unwrap()
    }

    pub fn len(&self) -> usize {
        self.strategies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strategies.is_empty()
    }

    /// `(A x)_i` for every `i`.
    pub fn payoffs_against(&self, x: &[f64]) -> Vec<f64> {
        self.payoff
            .iter()
            .map(|row| row.iter().zip(x).map(|(a, p)| a * p).sum())
            .collect()
    }
}

/// Options of the whole meta-game analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct MetaOptions {
    pub nash: NashOptions,
    pub replicator: ReplicatorOptions,
    pub alpha_rank: AlphaRankOptions,
}

/// Everything computed on one game.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetaGame {
    pub game: Game,
    /// None when the exact search refused the game (too many strategies); the reason is in
    /// `nash_error`.
    pub equilibria: Option<EquilibriumSet>,
    pub nash_error: Option<String>,
    /// Regret of each strategy against the best equilibrium (`payoff(best eq) − payoff(i vs
    /// best eq)`).
    pub regret: Vec<f64>,
    pub replicator: ReplicatorOutcome,
    pub alpha_rank: AlphaRank,
}

/// Runs every analysis on `game`.
pub fn analyse(game: &Game, options: &MetaOptions) -> MetaGame {
    let (equilibria, nash_error) = match symmetric_equilibria(game, &options.nash) {
        Ok(set) => (Some(set), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let regret = match equilibria.as_ref().and_then(|s| s.best()) {
        Some(best) => regrets(game, &best.mix),
        None => vec![f64::NAN; game.len()],
    };
    MetaGame {
        game: game.clone(),
        equilibria,
        nash_error,
        regret,
        replicator: replicator(game, &options.replicator),
        alpha_rank: alpha_rank(game, &options.alpha_rank),
    }
}

/// "0.50 A + 0.50 B" — a mix written with the strategies it plays (probability ≥ 0.0005).
pub fn describe_mix(strategies: &[String], mix: &[f64]) -> String {
    let parts: Vec<String> = strategies
        .iter()
        .zip(mix)
        .filter(|(_, p)| **p >= 0.0005)
        .map(|(s, p)| {
            if (*p - 1.0).abs() < 0.0005 {
                s.clone()
            } else {
                format!("{p:.3} {s}")
            }
        })
        .collect();
    if parts.is_empty() {
        "(none)".to_string()
    } else {
        parts.join(" + ")
    }
}
