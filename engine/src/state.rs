//! The network's state as plain data: subnets as a structure of arrays (the hot per-block loop
//! walks them linearly), accounts as a small vector, and the global ledger.

use crate::emission::{AlphaEmissions, HalvingIntervals};
use crate::pool::{Curve, Reserves, Weights};
use crate::units::Rao;
use tourney_sdk::{SubnetId, WeightPolicy};

/// Index of an account in `Network::accounts`.
pub type AccountId = usize;

/// What kind of work a subnet's miners do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkKind {
    /// AI work: creates value (productivity × TAO paid to workers).
    Ai,
    /// Off-topic work (bitcoin mining): earns outside revenue, no AI value.
    OffTopic,
}

/// How the network scores a subnet when it reports where emission went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SubnetClass {
    /// Miners do AI work with positive productivity.
    Value = 0,
    /// Miners are paid mostly for holding alpha (holdings weight ≥ 0.5).
    Meme = 1,
    /// Miners do off-topic work (revenue, but no AI value).
    OffTopic = 2,
    /// Neither: no value, no revenue.
    Idle = 3,
}

impl SubnetClass {
    pub const ALL: [SubnetClass; 4] = [
        SubnetClass::Value,
        SubnetClass::Meme,
        SubnetClass::OffTopic,
        SubnetClass::Idle,
    ];
    pub fn name(self) -> &'static str {
        match self {
            SubnetClass::Value => "value",
            SubnetClass::Meme => "meme",
            SubnetClass::OffTopic => "offtopic",
            SubnetClass::Idle => "idle",
        }
    }
}

/// A bond between a validator and a miner, kept sparse because the validator and miner sets of
/// a subnet change as agents come and go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bond {
    pub validator: ValidatorKey,
    pub miner: MinerKey,
    pub value: f64,
}

/// Who a validator is, stably across epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValidatorKey {
    /// The subnet's own validators (the owner and community), holding the delegated alpha
    /// stake of every account that runs no validator of its own here.
    Community,
    /// Root validators holding passive root stake.
    PassiveRoot,
    /// The validator an agent runs here (`SetWeights`).
    Agent(AccountId),
}

/// Who a miner is, stably across epochs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MinerKey {
    /// The owner's uid 0: incentive sent here is recycled.
    Burn,
    /// The subnet's workers (an aggregate background miner).
    Work,
    /// An account paid for the alpha it holds (the SN28 rule).
    Holder(AccountId),
}

/// Subnets, structure of arrays; index `i` is subnet id `i + 1`.
#[derive(Clone, Debug, Default)]
pub struct Subnets {
    pub id: Vec<SubnetId>,
    pub name: Vec<String>,
    pub owner: Vec<AccountId>,
    pub reserves: Vec<Reserves>,
    /// E5's Balancer weights, one per subnet; empty when the pools are constant-product
    /// (E1–E4), so `is_empty` tells which curve every pool trades on.
    pub pool_weights: Vec<Weights>,
    /// `w_α/w_τ` of each pool (the price is this × `T/A`): 1.0 for constant-product pools,
    /// which leaves their price's bits unchanged. Kept in step with `pool_weights`.
    pub price_factor: Vec<f64>,
    /// Alpha held outside the pool: account balances plus pending emission.
    pub alpha_outstanding: Vec<Rao>,
    /// Alpha ever minted into this subnet (pool injections, alpha_out, genesis). `u64` is
    /// enough: a subnet mints at most 2 alpha a block, 1,700 years to reach 2^64 rao.
    pub alpha_minted: Vec<Rao>,
    /// Alpha removed: burned by holders/burn uid, bought by chain buys, recycled.
    pub alpha_burned: Vec<Rao>,
    pub alpha_emission: AlphaEmissions,
    /// The issuance interval `[from, below)` over which `alpha_emission` holds.
    pub alpha_emission_interval: HalvingIntervals,
    /// p̄: EMA of min(price, 1).
    pub ema_price: Vec<f64>,
    /// TaoFlow's EMA of net user TAO flow, rao per block.
    pub flow_ema: Vec<f64>,
    /// Net user TAO flow in the current block, rao (stakes − unstakes).
    pub flow_block: Vec<f64>,
    /// E4's EMA of protocol flow (TAO injected + chain buys − root sales), rao per block. The
    /// block loop keeps it only under a rule that reads it (`taoflow-net`).
    pub protocol_flow_ema: Vec<f64>,
    /// Share of miner incentive that consensus sent to the owner's burn uid at the last epoch
    /// (E5's MinerBurned).
    pub miner_burned: Vec<f64>,
    /// Block at which the subnet's emission started (may be before the match: its age).
    pub start_block: Vec<i64>,
    /// Share of TAO block emission in the last block.
    pub share: Vec<f64>,
    /// Root's share of validator weight (root proportion) in the last block.
    pub root_proportion: Vec<f64>,
    /// Pending alpha, paid at the epoch.
    pub pending_owner: Vec<Rao>,
    pub pending_miner: Vec<Rao>,
    pub pending_validator: Vec<Rao>,
    /// TAO from selling root alpha, paid to root stakers at the epoch.
    pub pending_root_tao: Vec<Rao>,
    /// The published incentive rule: 0 = pay work, 1 = pay holdings.
    pub holdings_weight: Vec<f64>,
    /// Share of miner incentive that consensus actually paid to holders at the last epoch
    /// (what a yield seeker observes; differs from the rule when a validator overrules it).
    pub holder_incentive: Vec<f64>,
    pub work_kind: Vec<WorkKind>,
    /// The class derived from the rule, work kind and productivity ([`Subnets::classify`]),
    /// cached because the block loop reads it every block.
    pub class: Vec<SubnetClass>,
    /// The subnets whose class is meme, by index, ascending (kept by
    /// [`Subnets::refresh_class`]): the block loop sums their emission every block for the
    /// peak meme share, and they are few.
    pub meme_subnets: Vec<usize>,
    /// Value created per TAO paid to workers (AI), or BTC revenue per TAO (off-topic).
    pub productivity: Vec<f64>,
    /// Value score: EMA of value created per day, TAO/day.
    pub value_score: Vec<f64>,
    /// Exogenous attention, a log-normal level that drifts daily.
    pub hype: Vec<f64>,
    /// Legacy-root votes: the stake-weighted root vote for this subnet (unnormalised).
    pub root_vote: Vec<f64>,
    /// Validators agents run here, with their policies.
    pub agent_validators: Vec<Vec<(AccountId, WeightPolicy)>>,
    pub bonds: Vec<Vec<Bond>>,
    /// Price snapshots every snapshot interval (ring buffer), for momentum (the 1-day and
    /// 7-day price changes); only `Network::snapshot_prices` writes it.
    pub price_ring: Vec<Vec<f64>>,
    // --- statistics (for payoffs and the network table) ---
    /// TAO emission into this subnet so far (injection + chain buys), rao (at most the
    /// 21M TAO supply, so `u64`).
    pub emission_tao: Vec<Rao>,
    /// `emission_tao` when the subnet's current class began (see [`Subnets::emission_by_class`]).
    pub emission_tao_at_class_start: Vec<Rao>,
    /// Emission attributed to classes that subnets have since left, rao, by class.
    pub emission_by_former_class: [u128; 4],
    /// Value created so far, TAO.
    pub value_created: Vec<f64>,
    /// Value created since the subnet's last epoch (feeds the value score), TAO.
    pub value_since_epoch: Vec<f64>,
    /// The highest price sampled by `Network::record_price_extremes` (from the price at
    /// genesis, or at the registration of a subnet that replaced a dissolved one).
    pub peak_price: Vec<f64>,
    /// The largest fall of a sampled price from the peak before it, `1 − p / peak` (kept
    /// across a dissolution: the slot's worst crash).
    pub largest_crash: Vec<f64>,
}

impl Subnets {
    pub fn len(&self) -> usize {
        self.id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
    pub fn index_of(&self, id: SubnetId) -> Option<usize> {
        let i = (id as usize).checked_sub(1)?;
        (i < self.len()).then_some(i)
    }
    /// The curve subnet `i`'s pool trades on.
    #[inline]
    pub fn curve(&self, i: usize) -> Curve {
        match self.pool_weights.get(i) {
            Some(&w) => Curve::Weighted(w),
            None => Curve::ConstantProduct,
        }
    }

    /// Subnet `i`'s spot price, TAO per alpha, on its curve.
    #[inline]
    pub fn price(&self, i: usize) -> f64 {
        self.reserves[i].price() * self.price_factor[i]
    }

    /// After a block's injection into weighted pools: re-solve each pool's weights from its
    /// reserves `before` and what it received, so the injection leaves its price where it was
    /// (`adjust_protocol_liquidity`). Where the new weights would leave `[0.01, 0.99]` the chain
    /// refuses the whole injection; we keep the old weights and the injection (see
    /// `docs/mechanisms.md`: under E5's injection, in proportion to the price, it does not
    /// happen).
    pub fn resolve_weights_after_injection(&mut self, before: &[Reserves]) {
        for (i, &old) in before.iter().enumerate().take(self.pool_weights.len()) {
            let new = self.reserves[i];
            let (tao_in, alpha_in) = (new.tao_rao - old.tao_rao, new.alpha_rao - old.alpha_rao);
            if tao_in == 0 && alpha_in == 0 {
                continue;
            }
            if let Some(w) =
                self.pool_weights[i].after_injection(old.tao_rao, old.alpha_rao, tao_in, alpha_in)
            {
                self.pool_weights[i] = w;
                self.price_factor[i] = w.price_factor();
            }
        }
    }

    /// A_i: alpha in the pool plus alpha outstanding.
    #[inline]
    pub fn alpha_issuance(&self, i: usize) -> Rao {
        self.reserves[i].alpha_rao + self.alpha_outstanding[i]
    }
    /// The cached class of subnet `i`.
    #[inline]
    pub fn class(&self, i: usize) -> SubnetClass {
        self.class[i]
    }

    /// Recompute the cached class after the rule, work kind or productivity changed.
    ///
    /// Emission is attributed to the class a subnet had when it was emitted: the part since the
    /// class began is closed into `emission_by_former_class` when the class changes (so the
    /// block loop does not have to add into a per-class total for every subnet every block).
    pub fn refresh_class(&mut self, i: usize) {
        let class = self.classify(i);
        if class != self.class[i] {
            let since = self.emission_tao[i] - self.emission_tao_at_class_start[i];
            self.emission_by_former_class[self.class[i] as usize] += since as u128;
            self.emission_tao_at_class_start[i] = self.emission_tao[i];
            if self.class[i] == SubnetClass::Meme {
                self.meme_subnets.retain(|&m| m != i);
            }
            if class == SubnetClass::Meme {
                let at = self.meme_subnets.partition_point(|&m| m < i);
                self.meme_subnets.insert(at, i);
            }
            self.class[i] = class;
        }
    }

    /// TAO emitted into the meme subnets so far, rao ([`Subnets::meme_subnets`]'s
    /// `emission_tao`): its change over a block is the meme part of that block's emission.
    #[inline]
    pub fn meme_emission_tao(&self) -> Rao {
        self.meme_subnets
            .iter()
            .map(|&i| self.emission_tao[i])
            .sum()
    }

    /// TAO emitted into subnets so far, rao, by the class of the subnet at the time.
    pub fn emission_by_class(&self) -> [u128; 4] {
        let mut by_class = self.emission_by_former_class;
        for i in 0..self.len() {
            let since = self.emission_tao[i] - self.emission_tao_at_class_start[i];
            by_class[self.class[i] as usize] += since as u128;
        }
        by_class
    }

    /// Classify subnet `i` from its rule, work kind and productivity.
    pub fn classify(&self, i: usize) -> SubnetClass {
        if self.holdings_weight[i] >= 0.5 {
            SubnetClass::Meme
        } else if self.work_kind[i] == WorkKind::OffTopic {
            SubnetClass::OffTopic
        } else if self.productivity[i] > 0.0 {
            SubnetClass::Value
        } else {
            SubnetClass::Idle
        }
    }
}

/// Who an account is. Background accounts are the engine's own agents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountKind {
    /// A strategy in the match (index into the entrant list).
    Entrant(usize),
    /// A named agent driven by scripted events.
    Scripted,
    /// Owners of background subnets (sell part of their cut).
    BackgroundOwners,
    /// Background workers (sell the alpha they are paid to cover their costs).
    BackgroundMiners,
    /// Long-term holders of the alpha outstanding at the start day (never trade).
    BackgroundHolders,
    /// Passive root stakers.
    PassiveRoot,
    /// The operators of the community and passive-root validators: they keep the validator
    /// take (18 %) of the dividends their nominators earn.
    BackgroundValidators,
    /// A market segment of speculators.
    Market(crate::market::Segment),
}

/// One coldkey.
#[derive(Clone, Debug)]
pub struct Account {
    pub name: String,
    pub kind: AccountKind,
    pub free_tao: Rao,
    pub root_stake: Rao,
    /// Alpha per subnet index.
    pub alpha: Vec<Rao>,
    /// Statistics since the last decision (revenue, costs, emission at receipt, rejections).
    pub revenue_since: Rao,
    pub costs_since: Rao,
    pub emission_since: Rao,
    pub rejected_since: u32,
    /// Totals over the match.
    pub emission_total: u128,
    pub revenue_total: u128,
    pub costs_total: u128,
}

impl Account {
    pub fn new(name: impl Into<String>, kind: AccountKind, n_subnets: usize) -> Self {
        Self {
            name: name.into(),
            kind,
            free_tao: 0,
            root_stake: 0,
            alpha: vec![0; n_subnets],
            revenue_since: 0,
            costs_since: 0,
            emission_since: 0,
            rejected_since: 0,
            emission_total: 0,
            revenue_total: 0,
            costs_total: 0,
        }
    }
}

/// TAO that entered or left the simulated economy, for the conservation identity
/// `Σ balances + Σ pool TAO + pending == genesis + minted − burned + external_in − external_out`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaoLedger {
    pub genesis: u128,
    pub minted: u128,
    pub burned: u128,
    pub external_in: u128,
    pub external_out: u128,
}
