//! Role-symmetric games (empirical game-theoretic analysis; Wellman; the design of
//! `egtaonline/gameanalysis`): players belong to roles, each role has its own strategies and
//! stakes, payoffs are compared only within a role, and an equilibrium is a mixture per role.
//!
//! One immutable central type, [`RoleGame`] (roles, profiles, observations and their means),
//! and every analysis a function of it:
//! - [`profiles`]: enumerating ([`all_profiles`], fixed order) and counting ([`profile_count`]);
//! - [`reduction`]: deviation-preserving reduction ([`dpr_profiles`], [`dpr_reduce`]);
//! - [`equilibria`]: [`role_equilibria`] (exact for two-player shapes; otherwise pure checks,
//!   replicator dynamics per role from seeded starts, Newton refinement, regret check,
//!   components), built on [`replicator_roles`] and the refinement in `refine`;
//! - [`alpharank`]: multi-population α-Rank ([`alpha_rank_roles`]);
//! - [`bootstrap`]: seeded bootstrap over repetitions ([`bootstrap()`], [`Confidence`]);
//! - [`nfg`]: Gambit export of two roles of one player ([`to_nfg_two_roles`]).
//!
//! It never reads raw rows or polars frames: the tournament side builds the game.

pub mod alpharank;
pub mod bootstrap;
pub mod equilibria;
mod exact;
pub mod game;
pub mod nfg;
pub mod profiles;
pub mod reduction;
mod refine;
pub mod replicator;

#[cfg(test)]
mod tests;

pub use alpharank::{alpha_rank_roles, RoleAlphaRank};
pub use bootstrap::{bootstrap, BootstrapOptions, Confidence};
pub use equilibria::{role_equilibria, EquilibriumOptions, RoleEquilibrium};
pub use game::{Mixture, Observation, Profile, ProfileData, Role, RoleGame, RoleGameError};
pub use nfg::to_nfg_two_roles;
pub use profiles::{all_profiles, profile_count};
pub use reduction::{check_dpr, dpr_profiles, dpr_reduce};
pub use replicator::{replicator_roles, RoleReplicatorOptions, RoleReplicatorOutcome};
