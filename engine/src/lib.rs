//! # tourney-engine
//!
//! A deterministic, block-resolution simulation of Bittensor's dynamic TAO economy, and the
//! match runner that plays strategies in it. See `ARCHITECTURE.md` for the map.
//!
//! Numbers: balances are integer rao (`u64`, products in `u128`); prices, EMAs and shares are
//! `f64`. The chain keeps prices in U96F32 fixed point; `f64` has 53 bits of mantissa against
//! fixed point's 32 fractional bits, is as deterministic on one platform when the order of
//! operations is fixed (ours is: no parallel reductions inside a match), and is much faster.
//! Every amount that moves between accounts is an integer, so conservation is exact.

pub mod config;
pub mod dividends;
pub mod ema_start;
pub mod emission;
pub mod fees;
pub mod hotkey_yield;
pub mod injection;
pub mod lanes;
pub mod market;
pub mod math_bits;
pub mod mechanism;
pub mod network;
pub mod observe;
pub mod plugin;
pub mod pool;
pub mod pruning;
pub mod rates;
pub mod registration;
pub mod rng;
pub mod root_claims;
pub mod runner;
pub mod schedule;
pub mod search;
pub mod series;
pub mod state;
pub mod tournament;
pub mod units;
pub mod yuma;

pub use config::{ConfigError, MatchConfig};
pub use network::{EntrantSpec, Network};
pub use runner::{
    entrant_seed, run_match, run_match_with_series, Entrant, EntrantStatus, MatchError,
    MatchOutcome, NetworkSummary, Payoff, Rejection,
};
pub use series::{Series, SeriesFile, SeriesSink};
