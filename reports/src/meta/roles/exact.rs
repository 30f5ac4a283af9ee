//! Exact equilibria of the two-player role games, by the existing exact symmetric solver
//! (`nash::symmetric_equilibria`: support enumeration in rational arithmetic, every extreme
//! point, grouped into components).
//!
//! - **One role of two players** is a symmetric two-player game: `A[i][j]` is the payoff of
//!   `i` in the profile {i, j}. Its role-symmetric equilibria are its symmetric equilibria.
//! - **Two roles of one player each** is a bimatrix game `(A, B)`. It is solved through its
//!   symmetrization, the symmetric game `C = [[0, A'], [B'ᵀ, 0]]` with `A' = A − min A + 1`,
//!   `B' = B − min B + 1` (shifting a player's payoffs does not change the equilibria, and
//!   makes them positive). With positive payoffs, `z = (p x, q y)` is a symmetric equilibrium
//!   of `C` iff `(x, y)` is an equilibrium of `(A', B')` and `p/q = x·A'y / x·B'y`: against
//!   `z`, row strategies earn `q (A'y)_i` and column strategies `p (B'ᵀx)_j`; both blocks must
//!   be played (a block alone earns 0 against itself while the other block would earn > 0),
//!   so each block best-responds within itself. The map `z ↦ (x, y)` is continuous with a
//!   continuous inverse and maps segments to segments, so components and extreme points carry
//!   over.

use super::equilibria::RoleEquilibrium;
use super::game::{Mixture, RoleGame};
use crate::meta::nash::{symmetric_equilibria, NashOptions};
use crate::meta::Game;

/// The payoff of (`role`, `strategy`) at the profile given by per-role pure choices for
/// one-player roles, or a pair for a two-player single role.
fn payoff_at(game: &RoleGame, profile: Vec<Vec<u32>>, role: usize, strategy: usize) -> Option<f64> {
    game.mean_payoff(&profile).map(|u| u[role][strategy])
}

fn one_role_two_players(game: &RoleGame) -> Option<Game> {
    let n = game.roles()[0].strategies.len();
    let mut a = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            let mut counts = vec![0u32; n];
            counts[i] += 1;
            counts[j] += 1;
            a[i][j] = payoff_at(game, vec![counts], 0, i)?;
        }
    }
    Game::new(game.roles()[0].strategies.clone(), a).ok()
}

fn two_roles_one_player(game: &RoleGame) -> Option<(Game, usize)> {
    let (m, n) = (
        game.roles()[0].strategies.len(),
        game.roles()[1].strategies.len(),
    );
    let pure = |i: usize, j: usize| {
        let mut x = vec![0u32; m];
        let mut y = vec![0u32; n];
        x[i] = 1;
        y[j] = 1;
        vec![x, y]
    };
    let mut a = vec![vec![0.0; n]; m];
    let mut b = vec![vec![0.0; n]; m];
    for i in 0..m {
        for j in 0..n {
            a[i][j] = payoff_at(game, pure(i, j), 0, i)?;
            b[i][j] = payoff_at(game, pure(i, j), 1, j)?;
        }
    }
    let min = |t: &[Vec<f64>]| t.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    let (amin, bmin) = (min(&a), min(&b));
    let mut c = vec![vec![0.0; m + n]; m + n];
    for i in 0..m {
        for j in 0..n {
            c[i][m + j] = a[i][j] - amin + 1.0;
            c[m + j][i] = b[i][j] - bmin + 1.0;
        }
    }
    let names = game
        .roles()
        .iter()
        .flat_map(|r| r.strategies.iter().map(move |s| format!("{}:{s}", r.name)))
        .collect();
    Some((Game::new(names, c).ok()?, m))
}

/// Maps a symmetric equilibrium of the solved game back to a mixture per role.
type MixFromSymmetric = Box<dyn Fn(&[f64]) -> Mixture>;

/// Every equilibrium exactly, when the game is one of the two-player shapes, complete, and
/// small enough for the exact search; None otherwise.
pub(crate) fn exact_equilibria(
    game: &RoleGame,
    max_strategies: usize,
) -> Option<Vec<RoleEquilibrium>> {
    let roles = game.roles();
    let options = NashOptions {
        max_strategies,
        ..NashOptions::default()
    };
    let to_mix: MixFromSymmetric;
    let symmetric = if roles.len() == 1 && roles[0].players == 2 {
        to_mix = Box::new(|z: &[f64]| vec![z.to_vec()]);
        one_role_two_players(game)?
    } else if roles.len() == 2 && roles.iter().all(|r| r.players == 1) {
        let (g, m) = two_roles_one_player(game)?;
        to_mix = Box::new(move |z: &[f64]| {
            let normalized = |part: &[f64]| {
                let s: f64 = part.iter().sum();
                part.iter().map(|p| p / s).collect::<Vec<f64>>()
            };
            vec![normalized(&z[..m]), normalized(&z[m..])]
        });
        g
    } else {
        return None;
    };
    let set = symmetric_equilibria(&symmetric, &options).ok()?;
    Some(
        set.equilibria
            .iter()
            .map(|e| {
                let mix = to_mix(&e.mix);
                RoleEquilibrium {
                    payoff: game.mixture_payoff(&mix),
                    regret: game.regret(&mix),
                    component: e.component,
                    mix,
                }
            })
            .collect(),
    )
}
