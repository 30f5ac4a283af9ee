//! # tourney-sdk
//!
//! The types a strategy and the engine share, and nothing heavier: what a strategy sees
//! ([`Observation`]), what it may do ([`Action`]), how it describes itself ([`Classifier`]),
//! how it is configured ([`Params`]) and the [`Strategy`] trait it implements.
//!
//! The SDK knows nothing of the engine. Amounts are integers in rao (1 TAO = 1e9 rao; alpha
//! likewise, 1e9 units per alpha). Prices are `f64` TAO per alpha, as the engine keeps them.

pub mod abi;
mod action;
mod helpers;
mod observation;
mod params;
pub mod testing;

pub use action::{Action, SpendKind, WeightPolicy};
pub use helpers::{
    alpha_for_tao, days, fund_from_alpha, per_interval, spend_then_buy_back, tao_for_alpha,
    DecisionClock, Funding, STAKE_FEE_RAO,
};
pub use observation::{AgentView, Mechanism, Observation, SubnetView};
pub use params::{ParamError, ParamValue, Params};

/// Rao: the chain's integer unit. 1 TAO = 1e9 rao. Alpha uses the same scale.
pub type Rao = u64;
/// Rao per TAO (and alpha units per alpha).
pub const RAO_PER_TAO: u64 = 1_000_000_000;
/// A subnet's network id (netuid). 0 is the root subnet.
pub type SubnetId = u16;
/// Blocks per day (12 s blocks).
pub const BLOCKS_PER_DAY: u64 = 7_200;

/// Convert whole TAO (possibly fractional) to rao, saturating at the `u64` range.
pub fn tao_to_rao(tao: f64) -> Rao {
    if tao.is_nan() || tao <= 0.0 {
        0
    } else {
        (tao * RAO_PER_TAO as f64).min(u64::MAX as f64) as Rao
    }
}

/// Convert rao to TAO as `f64` (for display and decisions, never for balances).
pub fn rao_to_tao(rao: Rao) -> f64 {
    rao as f64 / RAO_PER_TAO as f64
}

/// The role an entrant plays in a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Role {
    /// Registers a subnet at the start of the match and decides how its validators score
    /// miners (`SetIncentive`), what it spends on work and what it buys back.
    SubnetOwner = 0,
    /// Trades and stakes; may hold root stake and run validators on any subnet.
    Staker = 1,
}

/// How a strategy describes itself (after Axelrod's classifier): the engine uses `role`; the
/// reports use the rest to group and explain results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Classifier {
    pub role: Role,
    /// Whether its decisions use its random stream (seeded by the engine from the match seed).
    pub stochastic: bool,
    /// Whether it expects to hold root (SN0) stake.
    pub uses_root_stake: bool,
}

/// Static description of a strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrategyInfo {
    pub name: String,
    pub version: String,
    pub classifier: Classifier,
}

/// A strategy: called once per decision interval with what it can see, it pushes the actions it
/// wants applied, in order, into `actions` (which arrives empty). The engine validates every
/// action; an impossible one is rejected and recorded, never applied partly.
///
/// Implementations must be deterministic given their construction seed and the observations
/// they receive: no clocks, no OS randomness, no global state.
pub trait Strategy: Send {
    fn info(&self) -> StrategyInfo;
    fn decide(&mut self, observation: &Observation, actions: &mut Vec<Action>);

    /// Problems at the last decision that `decide` cannot return (it has no error type, so
    /// that ordinary strategies stay simple). The engine calls this after each decision and
    /// records what it gets. Statically linked strategies have none; a loaded plugin reports a
    /// panic or error as [`StrategyFault::Forfeit`] and undecodable action records as
    /// [`StrategyFault::RejectedAction`].
    fn take_faults(&mut self) -> Vec<StrategyFault> {
        Vec::new()
    }
}

/// A problem a strategy reports through [`Strategy::take_faults`].
#[derive(Clone, Debug, PartialEq)]
pub enum StrategyFault {
    /// The strategy cannot go on (a plugin panicked or failed): the engine should forfeit it.
    /// It produces no actions from then on.
    Forfeit { reason: String },
    /// One action could not be decoded or was invalid before reaching the engine (unknown tag,
    /// NaN weights); it was dropped and should be counted as rejected.
    RejectedAction { reason: String },
}

impl std::fmt::Display for StrategyFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StrategyFault::Forfeit { reason } => write!(f, "forfeit: {reason}"),
            StrategyFault::RejectedAction { reason } => write!(f, "rejected action: {reason}"),
        }
    }
}

/// Construction of a strategy from YAML parameters and the seed the engine derives for it.
/// `export_strategy!` (in the plugin layer) and statically linked registries both use this.
pub trait StrategyFactory: Strategy + Sized {
    fn create(params: &Params, seed: u64) -> Result<Self, ParamError>;
}

/// A tiny deterministic generator (SplitMix64) for stochastic strategies, so that plugins need
/// no dependency to be reproducible. The engine hands each strategy its own seed.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tao_rao_round_trip() {
        assert_eq!(tao_to_rao(1.5), 1_500_000_000);
        assert_eq!(tao_to_rao(-1.0), 0);
        assert_eq!(tao_to_rao(f64::NAN), 0);
        assert_eq!(rao_to_tao(2_500_000_000), 2.5);
    }

    #[test]
    fn splitmix_is_reproducible_and_uniform_enough() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut r = SplitMix64::new(1);
        let mean = (0..10_000).map(|_| r.next_f64()).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
    }
}
