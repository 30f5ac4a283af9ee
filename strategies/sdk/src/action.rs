//! What a strategy may do (the game model's actions). The engine validates each one.

use crate::{Rao, SubnetId};

/// How a validator weights a subnet's miners. Miners fall in three classes: *workers* (paid
/// for value produced), *holders* (paid by alpha held: the SN28 rule) and the *burn* uid (the
/// owner's uid 0, whose incentive is recycled). The policy gives non-negative relative weights
/// to the classes; within a class, weight follows work output, alpha held, or is the single
/// burn uid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WeightPolicy {
    /// Follow the subnet's published incentive rule.
    FollowRule,
    /// Zero out holder-scored miners: all weight to workers (to burn if there are none).
    ZeroHolders,
    /// Explicit class weights.
    Classes { work: f64, holdings: f64, burn: f64 },
}

/// What operating spending buys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SpendKind {
    /// Real AI work: raises the subnet's value score and earns AI revenue.
    Work = 0,
    /// Off-topic work (bitcoin mining): earns BTC revenue, creates no AI value.
    OffTopic = 1,
}

/// One action. Amounts are rao; impossible actions (more than held, unknown subnet, non-finite
/// or negative weights, owner-only actions by a staker) are rejected whole.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    /// Swap `tao_rao` of free TAO into subnet alpha through its pool (fee included).
    Stake { subnet: SubnetId, tao_rao: Rao },
    /// Swap `alpha_rao` of held alpha back to TAO through the pool.
    Unstake { subnet: SubnetId, alpha_rao: Rao },
    /// Move free TAO into root (SN0) stake, 1:1.
    StakeRoot { tao_rao: Rao },
    /// Move root stake back to free TAO, 1:1.
    UnstakeRoot { tao_rao: Rao },
    /// Owners: publish the subnet's incentive rule (0 = work, 1 = holdings, between = a mix).
    SetIncentive { holdings_weight: f64 },
    /// Run (or re-configure) this agent's validator on `subnet`. Its Yuma stake is its alpha
    /// stake there plus τw × its root stake.
    SetWeights {
        subnet: SubnetId,
        policy: WeightPolicy,
    },
    /// Owners: pay operating cost from free TAO.
    Spend { tao_rao: Rao, kind: SpendKind },
    /// Owners: stake free TAO into the own subnet's pool; with `burn`, the alpha bought is
    /// burned instead of held.
    Buyback { tao_rao: Rao, burn: bool },
}

impl Action {
    /// A short name for logs and tables.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Stake { .. } => "stake",
            Action::Unstake { .. } => "unstake",
            Action::StakeRoot { .. } => "stake_root",
            Action::UnstakeRoot { .. } => "unstake_root",
            Action::SetIncentive { .. } => "set_incentive",
            Action::SetWeights { .. } => "set_weights",
            Action::Spend { .. } => "spend",
            Action::Buyback { .. } => "buyback",
        }
    }
}
