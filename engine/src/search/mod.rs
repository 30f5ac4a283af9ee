//! `tourney search`'s method: an outer search over mechanism knobs with a game solved inside
//! each point (empirical mechanism design, Vorobeychik & Wellman). This module is the pure
//! method — the parameter space, the seeded space-filling first batch, successive halving,
//! local refinement, the Pareto front and the search journal — driven through the
//! [`driver::Evaluator`] interface. How a point is evaluated (a role tournament at those knob
//! values, its role equilibria with bootstrap confidence) and where its matches run (local or
//! a Slurm job array) live outside this module; nothing here reads YAML or plays a match.
//!
//! Determinism: every random draw comes from `rng::stream(search seed, name)`, batches are
//! formed from earlier results in point order, and ties break by point id, so the same search
//! file gives the same sequence of evaluations whatever executes them.

pub mod config;
pub mod driver;
pub mod halving;
pub mod journal;
pub mod pareto;
pub mod refine;
pub mod sampler;
pub mod space;
