//! What a strategy sees at each decision (the game model's "observation").

use crate::{Rao, SubnetId};

/// The emission rule a match runs under: a chain era or a counterfactual.
/// See `docs/mechanisms.md` for the formulas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Mechanism {
    /// Before 2025-02-13: root validators' stake-weighted votes over subnets.
    LegacyRoot = 0,
    /// E1 (2025-02-13): share ∝ EMA price; alpha_in capped, tao_in not reduced.
    DtaoPrice = 1,
    /// E2 (2025-07): E1 plus the subsidy branch for subnets priced below their share.
    DtaoSubsidy = 2,
    /// E3 (2025-11-04): share ∝ EMA of net TAO staking flow; excess TAO does chain buys.
    Taoflow = 3,
    /// Counterfactual: share ∝ EMA price × alpha outstanding.
    MarketCap = 4,
    /// Counterfactual: share ∝ an exogenous, measured value score.
    Objective = 5,
    /// E4 (2026-05): TaoFlow on user flow net of protocol flow (injections and chain buys less
    /// root sales).
    TaoflowNet = 6,
    /// E5 (2026-06): EMA-price shares × (1 − the share of miner incentive burned); injection
    /// capped at root proportion × α_e.
    DtaoPriceBurn = 7,
}

impl Mechanism {
    /// In code order (`from_u8` relies on it).
    pub const ALL: [Mechanism; 8] = [
        Mechanism::LegacyRoot,
        Mechanism::DtaoPrice,
        Mechanism::DtaoSubsidy,
        Mechanism::Taoflow,
        Mechanism::MarketCap,
        Mechanism::Objective,
        Mechanism::TaoflowNet,
        Mechanism::DtaoPriceBurn,
    ];

    /// The name used in YAML and reports.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::LegacyRoot => "legacy-root",
            Mechanism::DtaoPrice => "dtao-price",
            Mechanism::DtaoSubsidy => "dtao-subsidy",
            Mechanism::Taoflow => "taoflow",
            Mechanism::MarketCap => "market-cap",
            Mechanism::Objective => "objective",
            Mechanism::TaoflowNet => "taoflow-net",
            Mechanism::DtaoPriceBurn => "dtao-price-burn",
        }
    }

    pub fn from_name(name: &str) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn from_u8(code: u8) -> Option<Mechanism> {
        Mechanism::ALL.get(code as usize).copied()
    }
}

impl std::fmt::Display for Mechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Public state of one subnet (the root subnet is not listed; its state is in
/// [`Observation::root_stake_total_rao`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SubnetView {
    pub id: SubnetId,
    /// Spot price, TAO per alpha (pool TAO / pool alpha).
    pub price: f64,
    /// The chain's moving price (p̄), clamped at 1.0 per the spec.
    pub ema_price: f64,
    pub tao_reserve_rao: Rao,
    pub alpha_reserve_rao: Rao,
    /// This subnet's share of TAO block emission in the last block, in [0, 1].
    pub emission_share: f64,
    /// EMA of net TAO staking flow (rao per block), as TaoFlow keeps it.
    pub flow_ema: f64,
    /// Alpha issued so far (pool + outstanding), the A_i of the root-proportion formula.
    pub alpha_issuance_rao: Rao,
    /// Alpha held outside the pool (stakers, pending).
    pub alpha_outstanding_rao: Rao,
    /// Root's share of validator weight on this subnet (τw·R / (τw·R + A_i), or the schedule).
    pub root_proportion: f64,
    /// The subnet's public incentive rule: 0 = miners paid for work, 1 = paid by alpha held.
    pub incentive_holdings_weight: f64,
    /// The subnet's measured value score (value created per day, TAO), public as the chain's
    /// critics would measure it.
    pub value_score: f64,
    /// Relative price change over the last day and the last week (0.1 = +10 %).
    pub price_change_1d: f64,
    pub price_change_7d: f64,
    /// Blocks since the subnet started emission.
    pub age_blocks: u64,
    /// E4's EMA of protocol flow (TAO injected + chain buys − root sales), rao per block, as
    /// `taoflow-net` nets it out of user flow; 0 under other mechanisms.
    pub protocol_flow_ema: f64,
    /// Share of miner incentive that consensus sent to the owner's burn uid at the last epoch
    /// (what `dtao-price-burn` scales emission down by).
    pub miner_burned: f64,
}

/// Private state of the observing agent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentView {
    pub free_tao_rao: Rao,
    /// Alpha held on each subnet, aligned with [`Observation::subnets`].
    pub alpha_rao: Vec<Rao>,
    pub root_stake_rao: Rao,
    /// External revenue received since the last decision (AI revenue, BTC revenue).
    pub revenue_rao: Rao,
    /// Operating costs paid since the last decision.
    pub costs_rao: Rao,
    /// Emission received since the last decision, valued in TAO at receipt.
    pub emission_rao: Rao,
    /// Actions rejected since the last decision.
    pub rejected_actions: u32,
    /// The subnet this agent owns, if its role is subnet owner.
    pub own_subnet: Option<SubnetId>,
}

/// Everything a strategy sees at one decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub block: u64,
    pub day: f64,
    pub mechanism: Mechanism,
    /// TAO emitted per block at the current issuance, rao.
    pub block_emission_rao: Rao,
    pub root_stake_total_rao: Rao,
    pub subnets: Vec<SubnetView>,
    pub me: AgentView,
    /// BTC price in TAO (a seeded path).
    pub btc_tao_price: f64,
    /// AI revenue signal: TAO of revenue per TAO of value created (a seeded path around 1).
    pub ai_revenue_signal: f64,
}

impl Observation {
    /// The view of subnet `id`, if it exists.
    pub fn subnet(&self, id: SubnetId) -> Option<&SubnetView> {
        self.subnets.iter().find(|s| s.id == id)
    }

    /// Index of subnet `id` in [`Observation::subnets`] (and in [`AgentView::alpha_rao`]).
    pub fn subnet_index(&self, id: SubnetId) -> Option<usize> {
        self.subnets.iter().position(|s| s.id == id)
    }

    /// Alpha this agent holds on subnet `id`.
    pub fn my_alpha(&self, id: SubnetId) -> Rao {
        self.subnet_index(id)
            .and_then(|i| self.me.alpha_rao.get(i).copied())
            .unwrap_or(0)
    }
}
