//! The simulated network: genesis at a start day, the per-block step (emission split,
//! injection, alpha_out split, EMAs), the per-subnet epoch (Yuma consensus and payouts), the
//! validated application of actions, and the conservation check.

use crate::config::{MatchConfig, PassiveRootWeights, WorkConfig};
use crate::dividends::{split_by_stake_mix, validator_take, StakeMix, OWNER_MINER_BURN_DAY};
use crate::ema_start::initial_ema;
use crate::emission::{
    halving_interval, AlphaEmission, AlphaEmissionRule, AlphaEmissions, EmissionCache,
};
use crate::fees::FeeRule;
use crate::hotkey_yield::{Hotkey, HotkeyYields};
use crate::mechanism::{self, EmissionRule};
use crate::pool::{pro_rata_floor, Reserves, SwapError, Weights};
use crate::rates::Rates;
use crate::rng::{normal, stream};
use crate::root_claims::{RootClaim, RootClaims};
use crate::schedule::{effective_tao_weight, native_root_proportion, RootSchedule};
use crate::state::*;
use crate::units::*;
use crate::yuma::{self, YumaParams};
use rand_chacha::ChaCha8Rng;
mod block_kernel;
mod claims;
mod lifecycle;

pub use block_kernel::{ema_price_step, flow_ema_step, Simd};

use tourney_sdk::{tao_to_rao, Action, Role, SpendKind, SubnetId, WeightPolicy};

/// Price snapshots: one every this many blocks (20 a day), kept for 8 days.
pub const SNAPSHOT_INTERVAL_BLOCKS: u64 = 360;
const SNAPSHOTS_PER_DAY: usize = (BLOCKS_PER_DAY / SNAPSHOT_INTERVAL_BLOCKS) as usize;
const SNAPSHOT_RING: usize = 8 * SNAPSHOTS_PER_DAY;

/// `now/then − 1`, or 0 when there is no earlier price.
#[inline]
fn relative_change(now: f64, then: f64) -> f64 {
    if then > 0.0 {
        now / then - 1.0
    } else {
        0.0
    }
}

/// Value score EMA horizon, days.
const VALUE_SCORE_DAYS: f64 = 7.0;

/// Why an action was refused. Nothing of a refused action is applied.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    #[error("unknown subnet {0}")]
    UnknownSubnet(SubnetId),
    #[error("amount must be positive")]
    ZeroAmount,
    #[error("needs {needed} rao but holds {held}")]
    Insufficient { needed: Rao, held: Rao },
    #[error("only a subnet owner may {0}")]
    NotOwner(&'static str),
    #[error("weights must be finite, non-negative and not all zero")]
    BadWeights,
    #[error("holdings weight must be in [0, 1], got {0}")]
    BadIncentive(f64),
    #[error("pool refused the swap: {0}")]
    Pool(#[from] SwapError),
}

/// Who enters a match and with what.
#[derive(Clone, Debug)]
pub struct EntrantSpec {
    pub name: String,
    pub role: Role,
    pub capital_tao: f64,
    /// What its root claims do (from 2025-11-04).
    pub root_claim: RootClaim,
}

/// Running statistics of the network (for the network table).
#[derive(Clone, Debug, Default)]
pub struct NetworkStats {
    /// The largest meme share of one block's TAO emission: over every block that emitted
    /// TAO, the TAO emitted into meme subnets (by their class when it was emitted, as the
    /// match's `emission_meme_share` counts it) over the TAO emitted into all subnets. The
    /// match's mean meme share is an emission-weighted mean of these per-block shares, so this
    /// peak is at least the mean. 0 until a block emits TAO.
    pub peak_meme_share: f64,
}

impl NetworkStats {
    /// Takes one block's emission into account: `meme` of the `total` rao of TAO it emitted
    /// went to meme subnets. Both are below 2^63 (the supply is 2.1·10^16 rao): single-
    /// instruction conversions, and no division in a block without meme emission.
    #[inline]
    fn record_block(&mut self, meme: Rao, total: Rao) {
        if meme > 0 {
            let share = meme as i64 as f64 / total as i64 as f64;
            self.peak_meme_share = self.peak_meme_share.max(share);
        }
    }
}

/// Exogenous paths: BTC price in TAO and the AI revenue signal (daily log random walks).
#[derive(Clone, Debug)]
pub struct Exogenous {
    pub btc_tao_price: f64,
    pub btc_tao_price_start: f64,
    pub ai_revenue_signal: f64,
    rng: ChaCha8Rng,
}

/// Economic parameters the block loop needs (copied out of the config once).
#[derive(Clone, Debug)]
struct Params {
    tempo: u64,
    tao_weight: f64,
    schedule: RootSchedule,
    passive_root_weights: PassiveRootWeights,
    ema_ramp: bool,
    /// The per-block rates (EMA rates, injection cap factor): the chain's unless a
    /// counterfactual sets them.
    rates: Rates,
    alpha_emission: AlphaEmissionRule,
    /// The owner's cut of alpha emission, over 65535 (`MatchConfig::owner_cut_numerator`).
    owner_cut: u64,
    /// The pool's fee rule for user swaps.
    fees: FeeRule,
    owner_sell_fraction: f64,
    miner_sell_fraction: f64,
    ai_revenue_share: f64,
    ai_revenue_volatility: f64,
    btc_volatility: f64,
    btc_revenue_per_tao: f64,
    hype_volatility: f64,
}

/// The epoch's working memory: the validator and miner sets, the weight and bond matrices
/// and Yuma's own, kept between epochs so that an epoch allocates nothing.
#[derive(Clone, Debug, Default)]
struct EpochScratch {
    own: Vec<(AccountId, WeightPolicy)>,
    v_keys: Vec<ValidatorKey>,
    v_stake: Vec<f64>,
    v_policy: Vec<WeightPolicy>,
    /// Each validator's stake by origin (alpha, τw·root): its dividend's split.
    v_mix: Vec<StakeMix>,
    /// Each validator's alpha dividend and root TAO dividend this epoch.
    div_alpha: Vec<Rao>,
    div_tao: Vec<Rao>,
    m_keys: Vec<MinerKey>,
    holdings: Vec<f64>,
    weights: Vec<f64>,
    bonds_old: Vec<f64>,
    yuma: yuma::Yuma,
}

/// The whole simulated network.
pub struct Network {
    /// Blocks since the match started.
    pub block: u64,
    /// Absolute block of the match start on the transition timeline (start_day × 7,200).
    pub start_block_abs: u64,
    pub start_day: f64,
    pub subnets: Subnets,
    pub accounts: Vec<Account>,
    pub ledger: TaoLedger,
    /// TAO issued so far (drives the block emission and its halvings).
    pub tao_issuance: Rao,
    tao_emission: EmissionCache,
    pub root_stake_total: Rao,
    rule: Box<dyn EmissionRule>,
    params: Params,
    pub stats: NetworkStats,
    pub exo: Exogenous,
    hype_rng: ChaCha8Rng,
    vote_rng: ChaCha8Rng,
    /// Special accounts.
    pub bg_owners: AccountId,
    pub bg_miners: AccountId,
    pub bg_holders: AccountId,
    pub passive_root: AccountId,
    /// Operators of the aggregate validators (community, passive root): the validator take.
    pub bg_validators: AccountId,
    /// Account of each entrant, and the subnet each owner entrant owns.
    pub entrant_accounts: Vec<AccountId>,
    pub entrant_subnets: Vec<Option<SubnetId>>,
    /// Market segment accounts.
    pub market_accounts: Vec<(crate::market::Segment, AccountId)>,
    /// Scripted agents by name.
    pub agent_accounts: Vec<(String, AccountId)>,
    shares_scratch: Vec<f64>,
    /// Scratch arrays between the block kernel's passes.
    handoff: block_kernel::Handoff,
    /// The reserves before this block's injection (weighted pools only: their weights are
    /// re-solved from what each pool received).
    reserves_before_injection: Vec<Reserves>,
    /// Each subnet's alpha emission this block under `by-share` (scratch).
    alpha_by_share: AlphaEmissions,
    /// Working memory of the epoch, reused.
    epoch_scratch: EpochScratch,
    /// Which compiled version of the kernel's elementwise passes this CPU runs.
    simd: block_kernel::Simd,
    /// Each hotkey's dividend yield at its subnet's last epoch (kept only under the
    /// `unstake-yield` fee, which reads it).
    yields: HotkeyYields,
    /// Root alpha claimed at the epoch instead of sold every block (from 2025-11-04), and each
    /// account's claim type.
    root_claims: RootClaims,
    /// Holder UIDs, owner locks, background subnet registrations and pruning.
    lifecycle: lifecycle::Lifecycle,
}

impl Network {
    /// Build the network as it stands at `config.start_day`, with the given entrants.
    pub fn genesis(config: &MatchConfig, entrants: &[EntrantSpec]) -> Network {
        let n_cfg = &config.network;
        let mut rng = stream(config.seed, "genesis");
        let n_bg = n_cfg.background_subnets as usize;
        let n_owner_entrants = entrants
            .iter()
            .filter(|e| e.role == Role::SubnetOwner)
            .count();
        let n = n_bg + config.subnets.len() + n_owner_entrants;

        // Accounts, in a fixed order.
        let mut accounts = vec![
            Account::new("background-owners", AccountKind::BackgroundOwners, n),
            Account::new("background-miners", AccountKind::BackgroundMiners, n),
            Account::new("background-holders", AccountKind::BackgroundHolders, n),
            Account::new("passive-root", AccountKind::PassiveRoot, n),
            Account::new(
                "background-validators",
                AccountKind::BackgroundValidators,
                n,
            ),
        ];
        let (bg_owners, bg_miners, bg_holders, passive_root, bg_validators) = (0, 1, 2, 3, 4);
        accounts[passive_root].root_stake = tao_to_rao(n_cfg.root_stake_tao);
        let mut market_accounts = Vec::new();
        for seg in crate::market::Segment::ALL {
            market_accounts.push((seg, accounts.len()));
            let mut a = Account::new(seg.name(), AccountKind::Market(seg), n);
            a.free_tao = tao_to_rao(seg.config(&config.market).capital_tao);
            accounts.push(a);
        }
        let mut agent_accounts = Vec::new();
        for a in &config.agents {
            agent_accounts.push((a.name.clone(), accounts.len()));
            let mut acc = Account::new(a.name.clone(), AccountKind::Scripted, n);
            acc.free_tao = tao_to_rao(a.capital_tao);
            acc.root_stake = tao_to_rao(a.root_stake_tao);
            accounts.push(acc);
        }
        let mut entrant_accounts = Vec::new();
        for (k, e) in entrants.iter().enumerate() {
            entrant_accounts.push(accounts.len());
            let mut acc = Account::new(e.name.clone(), AccountKind::Entrant(k), n);
            acc.free_tao = tao_to_rao(e.capital_tao);
            accounts.push(acc);
        }

        // Each account's root claim type: the chain's default (Swap) unless the YAML says.
        let mut claim_choice = vec![RootClaim::Swap; accounts.len()];
        for (a, &(_, account)) in config.agents.iter().zip(&agent_accounts) {
            claim_choice[account] = a.root_claim;
        }
        for (e, &account) in entrants.iter().zip(&entrant_accounts) {
            claim_choice[account] = e.root_claim;
        }

        // Subnets: background, configured, then one per owner entrant.
        let mut s = Subnets::default();
        let lognormal = |rng: &mut ChaCha8Rng, d: crate::config::LogNormal| {
            d.median * (d.sigma * normal(rng)).exp()
        };
        struct Draft {
            name: String,
            owner: AccountId,
            pool_tao: f64,
            price: f64,
            holdings: f64,
            productivity: f64,
            work: WorkKind,
            hype: f64,
        }
        let mut drafts = Vec::with_capacity(n);
        for k in 0..n_bg {
            // Held to the amount cap here (not only in the reserves below), so the far tail of
            // a wide draw cannot make the mean pool, which scales the initial flow, inf.
            let pool_tao =
                lognormal(&mut rng, n_cfg.pool_tao).clamp(1.0, crate::config::MAX_AMOUNT_TAO);
            // The model's prices start at most at 1 TAO per alpha (`NetworkConfig::price`).
            let price = lognormal(&mut rng, n_cfg.price).min(1.0);
            let zero = rand::Rng::random::<f64>(&mut rng) < n_cfg.zero_value_fraction;
            let productivity = if zero {
                0.0
            } else {
                lognormal(&mut rng, n_cfg.productivity)
            };
            let hype = (n_cfg.hype_sigma * normal(&mut rng)).exp();
            drafts.push(Draft {
                name: format!("bg-{}", k + 1),
                owner: bg_owners,
                pool_tao,
                price,
                holdings: 0.0,
                productivity,
                work: WorkKind::Ai,
                hype,
            });
        }
        for c in &config.subnets {
            let owner = c
                .owner
                .as_ref()
                .and_then(|o| agent_accounts.iter().find(|(n, _)| n == o).map(|x| x.1))
                .unwrap_or(bg_owners);
            drafts.push(Draft {
                name: c.name.clone(),
                owner,
                pool_tao: c.pool_tao,
                price: c.price,
                holdings: c.holdings_weight,
                productivity: c.productivity,
                work: match c.work {
                    WorkConfig::Ai => WorkKind::Ai,
                    WorkConfig::Offtopic => WorkKind::OffTopic,
                },
                hype: c.hype,
            });
        }
        let mut entrant_subnets = vec![None; entrants.len()];
        for (k, e) in entrants.iter().enumerate() {
            if e.role == Role::SubnetOwner {
                let o = &config.entrants.owned_subnet;
                entrant_subnets[k] = Some((drafts.len() + 1) as SubnetId);
                drafts.push(Draft {
                    name: e.name.clone(),
                    owner: entrant_accounts[k],
                    pool_tao: o.pool_tao,
                    price: o.price,
                    holdings: 0.0,
                    productivity: o.productivity,
                    work: WorkKind::Ai,
                    hype: o.hype,
                });
            }
        }

        let start_blocks = (config.start_day * BLOCKS_PER_DAY as f64).round() as u64;
        // Each subnet's registration, blocks before dTAO's launch (its own stream, so the
        // draws above do not move): the EMA ramp counts blocks since registration.
        let mut registration_rng = stream(config.seed, "registration");
        let registered_before_launch: Vec<u64> = (0..n)
            .map(|_| {
                let u: f64 = rand::Rng::random(&mut registration_rng);
                (u * n_cfg.registration_age_days * BLOCKS_PER_DAY as f64) as u64
            })
            .collect();
        let mean_pool = drafts.iter().map(|d| d.pool_tao).sum::<f64>() / n.max(1) as f64;
        let rule = mechanism::build(&config.mechanism_spec());
        let weighted = rule.weighted_pool();
        for (i, d) in drafts.iter().enumerate() {
            // A log-normal draw's far tail is held to the configuration's amount cap (a
            // configured pool already is), so no reserve saturates the integer range.
            let cap = crate::config::MAX_AMOUNT_TAO;
            let pool = Reserves {
                tao_rao: tao_to_rao(d.pool_tao.min(cap)).max(MIN_RESERVE_RAO),
                alpha_rao: tao_to_rao((d.pool_tao / d.price).min(cap)).max(MIN_RESERVE_RAO),
            };
            // Alpha outstanding at the start day: a quarter of the pool from registration, plus
            // half the issuance growth since the transition (alpha_out; alpha_in went to the
            // pool, whose state at the start day the config gives). Held by long-term holders.
            let aged = pool.alpha_rao as f64 * 0.25
                + n_cfg.alpha_growth_per_block / 2.0 * start_blocks as f64 * RAO_PER_TAO as f64;
            let outstanding = aged as Rao;
            accounts[bg_holders].alpha[i] = outstanding;
            s.id.push((i + 1) as SubnetId);
            s.name.push(d.name.clone());
            s.owner.push(d.owner);
            s.reserves.push(pool);
            // E5: Balancer pools from the start, weighted to keep the constant-product price
            // (the chain's migration from the v3 pool).
            let price_factor = if weighted {
                let w = Weights::from_constant_product(pool.tao_rao, pool.alpha_rao);
                s.pool_weights.push(w);
                w.price_factor()
            } else {
                1.0
            };
            s.price_factor.push(price_factor);
            let price = pool.price() * price_factor;
            s.alpha_outstanding.push(outstanding);
            s.alpha_minted.push(pool.alpha_rao + outstanding);
            s.alpha_burned.push(0);
            s.alpha_emission.push(
                AlphaEmission::at_issuance_with_cut(
                    pool.alpha_rao + outstanding,
                    config.owner_cut_numerator(),
                )
                .with_injection_cap(&config.rates()),
            );
            s.alpha_emission_interval
                .push(halving_interval(pool.alpha_rao + outstanding));
            s.ema_price.push(initial_ema(
                config.ema_start,
                price,
                start_blocks as f64,
                registered_before_launch[i] as f64,
                config.ema_ramp,
                &config.rates(),
            ));
            let flow = n_cfg.initial_flow_tao_per_day * RAO_PER_TAO as f64 / BLOCKS_PER_DAY as f64
                * (d.pool_tao / mean_pool);
            s.flow_ema.push(flow);
            s.flow_block.push(0.0);
            s.protocol_flow_ema.push(0.0);
            s.miner_burned.push(0.0);
            s.start_block
                .push(-((start_blocks + registered_before_launch[i]) as i64));
            s.share.push(0.0);
            s.root_proportion.push(0.0);
            s.pending_owner.push(0);
            s.pending_miner.push(0);
            s.pending_validator.push(0);
            s.pending_root_tao.push(0);
            s.holdings_weight.push(d.holdings);
            s.holder_incentive.push(d.holdings);
            s.work_kind.push(d.work);
            s.class.push(SubnetClass::Idle);
            s.productivity.push(d.productivity);
            s.value_score.push(0.0);
            s.hype.push(d.hype);
            s.root_vote.push(0.0);
            s.agent_validators.push(Vec::new());
            s.bonds.push(Vec::new());
            s.price_ring.push(vec![price; SNAPSHOT_RING]);
            s.emission_tao.push(0);
            s.emission_tao_at_class_start.push(0);
            s.value_created.push(0.0);
            s.value_since_epoch.push(0.0);
            s.peak_price.push(price);
            s.largest_crash.push(0.0);
        }
        for i in 0..n {
            s.refresh_class(i);
        }
        // Initial value score: productivity × the workers' expected pay per day (41 % of the
        // subnet's expected TAO emission, by its share of the capped spot prices: what an aged
        // network pays, whatever the EMA start).
        let capped: Vec<f64> = (0..n).map(|i| s.price(i).min(1.0)).collect();
        let sum_price: f64 = capped.iter().sum();
        for (i, &price) in capped.iter().enumerate() {
            let share = if sum_price > 0.0 {
                price / sum_price
            } else {
                0.0
            };
            // E4's protocol flow EMA starts where an aged network's would be: the TAO it has
            // been injecting, its price share of a 1 TAO block emission (root sales, a few
            // percent of that, are left out).
            s.protocol_flow_ema[i] = share * RAO_PER_TAO as f64;
            let work_pay = share * BLOCKS_PER_DAY as f64 * 0.41;
            s.value_score[i] = if s.work_kind[i] == WorkKind::Ai && s.holdings_weight[i] < 0.5 {
                s.productivity[i] * work_pay
            } else {
                0.0
            };
        }

        // Market segments start invested (their invest fraction, by pool size), bought from
        // the long-term holders' aged alpha at the start price where there is enough of it.
        for &(seg, acct) in &market_accounts {
            let cfg = seg.config(&config.market);
            let invest = tao_to_rao(cfg.capital_tao * cfg.invest_fraction * 0.5);
            let total_pool: u128 = s.reserves.iter().map(|r| r.tao_rao as u128).sum();
            if total_pool == 0 {
                continue;
            }
            let mut spent = 0;
            for i in 0..n {
                let tao = (invest as u128 * s.reserves[i].tao_rao as u128 / total_pool) as Rao;
                let price = s.price(i);
                let alpha = ((tao as f64 / price) as Rao).min(accounts[bg_holders].alpha[i]);
                let paid = (alpha as f64 * price) as Rao;
                accounts[bg_holders].alpha[i] -= alpha;
                accounts[acct].alpha[i] += alpha;
                accounts[bg_holders].free_tao += paid;
                spent += paid;
            }
            accounts[acct].free_tao -= spent.min(accounts[acct].free_tao);
        }

        // Aged to the start day along the halvings (the configured issuance is the launch's).
        let tao_issuance =
            crate::emission::issuance_after(tao_to_rao(n_cfg.tao_issuance_tao), start_blocks);
        // Absolute registration block of each subnet (pruning immunity).
        let registered_at: Vec<i64> = s
            .start_block
            .iter()
            .map(|&b| b + start_blocks as i64)
            .collect();
        let root_stake_total = accounts.iter().map(|a| a.root_stake).sum();
        let mut net = Network {
            block: 0,
            start_block_abs: start_blocks,
            start_day: config.start_day,
            subnets: s,
            accounts,
            ledger: TaoLedger::default(),
            tao_issuance,
            tao_emission: EmissionCache::new(tao_issuance),
            root_stake_total,
            rule,
            params: Params {
                tempo: n_cfg.tempo_blocks,
                tao_weight: n_cfg.tao_weight,
                schedule: config.schedule.clone(),
                passive_root_weights: n_cfg.passive_root_weights,
                ema_ramp: config.ema_ramp,
                rates: config.rates(),
                alpha_emission: config.alpha_emission,
                owner_cut: config.owner_cut_numerator(),
                fees: config
                    .fees
                    .unwrap_or_else(|| FeeRule::for_match(config.mechanism, config.start_day)),
                owner_sell_fraction: n_cfg.owner_sell_fraction,
                miner_sell_fraction: n_cfg.miner_sell_fraction,
                ai_revenue_share: n_cfg.ai_revenue_share,
                ai_revenue_volatility: n_cfg.ai_revenue_volatility_per_day,
                btc_volatility: n_cfg.btc_volatility_per_day,
                btc_revenue_per_tao: n_cfg.btc_revenue_per_tao,
                hype_volatility: n_cfg.hype_volatility_per_day,
            },
            stats: NetworkStats::default(),
            exo: Exogenous {
                btc_tao_price: n_cfg.btc_tao_price,
                btc_tao_price_start: n_cfg.btc_tao_price,
                ai_revenue_signal: 1.0,
                rng: stream(config.seed, "exogenous"),
            },
            hype_rng: stream(config.seed, "hype"),
            vote_rng: stream(config.seed, "root-votes"),
            bg_owners,
            bg_miners,
            bg_holders,
            passive_root,
            bg_validators,
            entrant_accounts,
            entrant_subnets,
            market_accounts,
            agent_accounts,
            shares_scratch: vec![0.0; n],
            handoff: block_kernel::Handoff::default(),
            reserves_before_injection: Vec::new(),
            alpha_by_share: AlphaEmissions::default(),
            epoch_scratch: EpochScratch::default(),
            simd: Simd::detect(),
            yields: HotkeyYields::new(n),
            lifecycle: lifecycle::Lifecycle::new(config, start_blocks, registered_at),
            root_claims: RootClaims::new(
                crate::root_claims::active_for_match(config.mechanism, config.start_day),
                n,
                claim_choice,
            ),
        };
        net.update_root_votes();
        net.pay_owner_locks();
        net.ledger.genesis = net.tao_held_total();
        net
    }

    pub fn mechanism(&self) -> tourney_sdk::Mechanism {
        self.rule.mechanism()
    }

    /// Whether the block loop keeps the protocol flow EMA (only for a rule that reads it).
    pub fn keeps_protocol_flow(&self) -> bool {
        self.rule.uses_protocol_flow()
    }

    /// Day of the transition now.
    pub fn day(&self) -> f64 {
        self.start_day + self.block as f64 / BLOCKS_PER_DAY as f64
    }

    /// Every TAO the network holds: balances, root stake, pools and pending root TAO.
    pub fn tao_held_total(&self) -> u128 {
        let accounts: u128 = self
            .accounts
            .iter()
            .map(|a| a.free_tao as u128 + a.root_stake as u128)
            .sum();
        let pools: u128 = self
            .subnets
            .reserves
            .iter()
            .map(|r| r.tao_rao as u128)
            .sum();
        let pending: u128 = self
            .subnets
            .pending_root_tao
            .iter()
            .map(|&x| x as u128)
            .sum();
        accounts + pools + pending + self.lifecycle.locked_total()
    }

    /// Check `held == genesis + minted − burned + in − out` for TAO, and per subnet
    /// `pool + Σ account alpha + pending == minted − burned` and `outstanding` consistency.
    pub fn check_conservation(&self) -> Result<(), String> {
        let l = &self.ledger;
        let held = self.tao_held_total();
        let expected = l.genesis + l.minted + l.external_in - l.burned - l.external_out;
        if held != expected {
            return Err(format!(
                "block {}: TAO held {held} != genesis + minted − burned + in − out = {expected}",
                self.block
            ));
        }
        let s = &self.subnets;
        for i in 0..s.len() {
            let held: u128 = self.accounts.iter().map(|a| a.alpha[i] as u128).sum();
            let pending = s.pending_owner[i] as u128
                + s.pending_miner[i] as u128
                + s.pending_validator[i] as u128
                + self.root_claims.pending(i) as u128;
            if held + pending != s.alpha_outstanding[i] as u128 {
                return Err(format!(
                    "block {}: subnet {} outstanding {} != held {held} + pending {pending}",
                    self.block, s.id[i], s.alpha_outstanding[i]
                ));
            }
            let total = s.reserves[i].alpha_rao as u128 + held + pending;
            if total + s.alpha_burned[i] as u128 != s.alpha_minted[i] as u128 {
                return Err(format!(
                    "block {}: subnet {} alpha pool+held+pending {total} + burned {} != minted {}",
                    self.block, s.id[i], s.alpha_burned[i], s.alpha_minted[i]
                ));
            }
        }
        Ok(())
    }

    /// Root's share of validator weight on subnet `i` now (native or scheduled).
    #[inline]
    fn root_proportion_and_weight(&self, i: usize) -> (f64, f64) {
        let a = self.subnets.alpha_issuance(i) as f64;
        let r = self.root_stake_total as f64;
        match self.params.schedule.override_at(self.day()) {
            None => (
                native_root_proportion(self.params.tao_weight, r, a),
                self.params.tao_weight,
            ),
            Some(x) => (x, effective_tao_weight(x, r, a)),
        }
    }

    /// One block: emission split, injection, alpha_out, EMAs; then epochs that fall due.
    pub fn step_block(&mut self) {
        let e_block = self.tao_emission.at(self.tao_issuance);
        let n = self.subnets.len();
        let mut shares = std::mem::take(&mut self.shares_scratch);
        self.rule.shares(&self.subnets, &mut shares);
        // Root's alpha: sold every block before 2025-11-04, claimed at the epoch from then on
        // (`root_claims`); recycled (never minted) when the rule does not sell it.
        let sells_root = self.rule.sells_root_alpha(&self.subnets);
        let claims_root = sells_root && self.root_claims.active;
        let inputs = block_kernel::BlockInputs {
            rule: self.rule.injection(),
            block_emission: e_block,
            scheduled_root_proportion: self.params.schedule.override_at(self.day()),
            root_weighted: self.params.tao_weight * self.root_stake_total as f64,
        };
        let block_abs = self.start_block_abs + self.block;
        let s = &mut self.subnets;
        block_kernel::refresh_alpha_emission(
            self.simd,
            &s.reserves,
            &s.alpha_outstanding,
            &mut s.alpha_emission_interval,
            &mut s.alpha_emission,
            self.params.owner_cut,
            &self.params.rates,
        );
        self.handoff.resize(n);
        // The meme subnets' emission before this block's (emission_tao grows only in the
        // injection and swap passes below).
        let meme_before = s.meme_emission_tao();
        let alpha_emission = match self.params.alpha_emission {
            AlphaEmissionRule::Issuance => &s.alpha_emission,
            AlphaEmissionRule::ByShare => {
                // α_e × min(1, N × share): a counterfactual, so a scalar pre-pass is fine.
                let (owner_cut, rates) = (self.params.owner_cut, &self.params.rates);
                self.alpha_by_share.clear();
                for (i, &share) in shares[..n].iter().enumerate() {
                    let scaled = s.alpha_emission.get(i).scaled_by_share(share, n, owner_cut);
                    self.alpha_by_share.push(scaled.with_injection_cap(rates));
                }
                &self.alpha_by_share
            }
        };
        // E5's weights are re-solved from each pool's injection: keep the reserves before it.
        let weighted = !s.pool_weights.is_empty();
        if weighted {
            self.reserves_before_injection.clone_from(&s.reserves);
        }
        let injected = block_kernel::inject_and_split(
            self.simd,
            &inputs,
            block_kernel::InjectPass {
                share: &shares[..n],
                share_out: &mut s.share,
                reserves: &mut s.reserves,
                price_factor: weighted.then_some(&s.price_factor[..]),
                alpha_outstanding: &mut s.alpha_outstanding,
                alpha_emission,
                root_proportion: &mut s.root_proportion,
                pending_owner: &mut s.pending_owner,
                pending_miner: &mut s.pending_miner,
                pending_validator: &mut s.pending_validator,
                alpha_minted: &mut s.alpha_minted,
                emission_tao: &mut s.emission_tao,
                handoff: &mut self.handoff,
            },
        );
        if weighted {
            s.resolve_weights_after_injection(&self.reserves_before_injection);
        }
        let protocol_flow = self.rule.uses_protocol_flow();
        let chain_bought_with = block_kernel::swap(
            self.simd,
            sells_root && !claims_root,
            protocol_flow,
            injected,
            block_kernel::SwapPass {
                reserves: &mut s.reserves,
                pool_weights: &s.pool_weights,
                alpha_minted: &mut s.alpha_minted,
                alpha_burned: &mut s.alpha_burned,
                emission_tao: &mut s.emission_tao,
                pending_root_tao: &mut s.pending_root_tao,
                handoff: &mut self.handoff,
            },
        );
        if claims_root {
            self.root_claims.accrue(
                &self.handoff.root_alpha[..n],
                &mut s.alpha_minted,
                &mut s.alpha_outstanding,
            );
        }
        let minted_tao = injected.tao_in as u128 + chain_bought_with as u128;
        // What the block emitted into subnets is what it minted (every `emission_tao` addition
        // of the passes is counted in `tao_in` or the chain buys).
        self.stats
            .record_block(s.meme_emission_tao() - meme_before, minted_tao as Rao);
        block_kernel::update_emas(
            self.simd,
            self.block as i64,
            self.params.ema_ramp,
            &self.params.rates,
            protocol_flow,
            block_kernel::EmaPass {
                price: &self.handoff.price,
                price_factor: weighted.then_some(&s.price_factor[..]),
                start_block: &s.start_block,
                ema_price: &mut s.ema_price,
                flow_ema: &mut s.flow_ema,
                flow_block: &mut s.flow_block,
                protocol_flow_ema: &mut s.protocol_flow_ema,
                protocol_flow: &self.handoff.protocol_flow,
            },
        );
        self.shares_scratch = shares;
        self.tao_issuance += minted_tao as Rao;
        self.ledger.minted += minted_tao;

        // Subnet `id` runs its epoch when (block + id + 1) is a multiple of tempo + 1 (the
        // chain's staggering): those are the ids ≡ −(block + 1) mod (tempo + 1).
        let period = self.params.tempo + 1;
        let mut id = (period - (block_abs + 1) % period) % period;
        while id as usize <= n {
            if id > 0 {
                self.run_epoch(id as usize - 1);
            }
            id += period;
        }
        self.background_registrations();
        self.block += 1;
        if self.block.is_multiple_of(SNAPSHOT_INTERVAL_BLOCKS) {
            self.snapshot_prices();
            self.record_price_extremes();
        }
        if self.block.is_multiple_of(BLOCKS_PER_DAY) {
            self.daily();
        }
    }

    /// Price snapshot: each subnet's price into the momentum ring (what
    /// [`Self::price_change`] and the 1-day/7-day reads compare with), at every
    /// [`SNAPSHOT_INTERVAL_BLOCKS`]th block only, so that the ring's slots stay a fixed
    /// interval apart.
    fn snapshot_prices(&mut self) {
        let slot = (self.block / SNAPSHOT_INTERVAL_BLOCKS) as usize % SNAPSHOT_RING;
        let s = &mut self.subnets;
        for i in 0..s.len() {
            s.price_ring[i][slot] = s.price(i);
        }
    }

    /// Samples each subnet's price for the network table's crash statistics: its peak price
    /// (which starts at its price at genesis, or at its registration for a subnet that replaced
    /// a dissolved one) and its largest crash (the largest fall of a sampled price from the
    /// peak before it, `1 − p / peak`). The block loop samples every
    /// [`SNAPSHOT_INTERVAL_BLOCKS`]th block; the runner samples the horizon's state as well,
    /// so a crash in the match's last blocks, or in a match shorter than the interval, counts.
    /// A fall and recovery between two samples is not seen. Nothing the economy or a strategy
    /// reads is written (the momentum ring is [`Self::snapshot_prices`]'s), and a second call
    /// on the same state changes nothing.
    pub fn record_price_extremes(&mut self) {
        let s = &mut self.subnets;
        for i in 0..s.len() {
            let p = s.price(i);
            if p > s.peak_price[i] {
                s.peak_price[i] = p;
            }
            if s.peak_price[i] > 0.0 {
                s.largest_crash[i] = s.largest_crash[i].max(1.0 - p / s.peak_price[i]);
            }
        }
    }

    /// Relative price change over the last `days` (≤ 7), from snapshots.
    pub fn price_change(&self, i: usize, days: f64) -> f64 {
        self.change_over(i, (days * SNAPSHOTS_PER_DAY as f64).round() as usize)
    }

    /// [`Self::price_change`] over one day, without the rounding of a fractional horizon.
    pub fn price_change_1d(&self, i: usize) -> f64 {
        self.change_over(i, SNAPSHOTS_PER_DAY)
    }

    /// [`Self::price_change`] over seven days, without the rounding of a fractional horizon.
    pub fn price_change_7d(&self, i: usize) -> f64 {
        self.change_over(i, 7 * SNAPSHOTS_PER_DAY)
    }

    /// Subnet `i`'s relative price change since the snapshot `back` snapshots ago.
    #[inline]
    fn change_over(&self, i: usize, back: usize) -> f64 {
        let then = self.subnets.price_ring[i][self.snapshot_slot(back)];
        relative_change(self.subnets.price(i), then)
    }

    /// The 1-day and 7-day price changes of subnet `i` (what [`Self::price_change`] gives for
    /// 1 and 7 days), from one price read: the market and observations ask for both of every
    /// subnet, and the price is a division.
    pub fn price_changes_1d_7d(&self, i: usize) -> (f64, f64) {
        let (day, week) = (
            self.snapshot_slot(SNAPSHOTS_PER_DAY),
            self.snapshot_slot(7 * SNAPSHOTS_PER_DAY),
        );
        let (now, ring) = (self.subnets.price(i), &self.subnets.price_ring[i]);
        (
            relative_change(now, ring[day]),
            relative_change(now, ring[week]),
        )
    }

    /// The ring slot of the snapshot `back` snapshots ago (1 to the ring's length − 1).
    #[inline]
    fn snapshot_slot(&self, back: usize) -> usize {
        let back = back.clamp(1, SNAPSHOT_RING - 1);
        let now_slot = (self.block / SNAPSHOT_INTERVAL_BLOCKS) as usize;
        (now_slot + SNAPSHOT_RING - back) % SNAPSHOT_RING
    }

    /// Annualised alpha yield to stakers/holders of subnet `i` (validators' share, plus the
    /// miners' share that consensus actually paid holders at the last epoch), per alpha
    /// outstanding.
    pub fn staker_apy(&self, i: usize) -> f64 {
        let s = &self.subnets;
        let out = s.alpha_outstanding[i] as f64;
        if out <= 0.0 {
            return 0.0;
        }
        let alpha_per_day = BLOCKS_PER_DAY as f64 * RAO_PER_TAO as f64;
        let to_stakers = 0.41 * (1.0 - s.root_proportion[i]) + 0.41 * s.holder_incentive[i];
        365.0 * alpha_per_day * to_stakers / out
    }

    /// Market cap in TAO: spot price × alpha outstanding.
    pub fn market_cap_tao(&self, i: usize) -> f64 {
        self.subnets.price(i) * tao(self.subnets.alpha_outstanding[i])
    }

    /// Daily: exogenous paths, hype, legacy root votes.
    fn daily(&mut self) {
        let p = &self.params;
        let z = normal(&mut self.exo.rng);
        self.exo.btc_tao_price *= (p.btc_volatility * z - 0.5 * p.btc_volatility.powi(2)).exp();
        let z = normal(&mut self.exo.rng);
        self.exo.ai_revenue_signal *=
            (p.ai_revenue_volatility * z - 0.5 * p.ai_revenue_volatility.powi(2)).exp();
        for h in &mut self.subnets.hype {
            let z = normal(&mut self.hype_rng);
            // Mean-reverting log random walk (reversion 5 %/day).
            *h = (0.95 * h.ln() + p.hype_volatility * z).exp();
        }
        self.update_root_votes();
    }

    /// Legacy-root votes: root validators vote by value score with per-validator noise;
    /// stake-weighted across the passive root and every root-holding agent.
    fn update_root_votes(&mut self) {
        let s = &mut self.subnets;
        for i in 0..s.len() {
            let noise = (0.3 * normal(&mut self.vote_rng)).exp();
            s.root_vote[i] = s.value_score[i] * noise * self.root_stake_total as f64;
        }
    }

    // ----- epochs -------------------------------------------------------------------------

    /// Yuma consensus on subnet `i` and payment of everything pending there.
    fn run_epoch(&mut self, i: usize) {
        // Working memory reused across epochs (taken out of `self` while `self` is mutated).
        let mut scratch = std::mem::take(&mut self.epoch_scratch);
        self.run_epoch_with(i, &mut scratch);
        self.epoch_scratch = scratch;
    }

    fn run_epoch_with(&mut self, i: usize, scratch: &mut EpochScratch) {
        self.register_holder_uids(i);
        let (_, tw) = self.root_proportion_and_weight(i);
        let EpochScratch {
            own,
            v_keys,
            v_stake,
            v_policy,
            v_mix,
            div_alpha,
            div_tao,
            m_keys,
            holdings,
            weights,
            bonds_old,
            yuma,
        } = scratch;
        // Validators.
        own.clear();
        own.extend_from_slice(&self.subnets.agent_validators[i]);
        let runs_own = |a: AccountId| own.iter().any(|(x, _)| *x == a);
        v_keys.clear();
        v_stake.clear();
        v_policy.clear();
        v_mix.clear();
        v_keys.push(ValidatorKey::Community);
        v_stake.push(0.0);
        v_policy.push(WeightPolicy::FollowRule);
        let mut community_stake: u128 = 0;
        let mut passive_root: u128 = 0;
        for (a, acc) in self.accounts.iter().enumerate() {
            if !runs_own(a) {
                community_stake += acc.alpha[i] as u128;
                passive_root += acc.root_stake as u128;
            }
        }
        v_stake[0] = community_stake as f64;
        v_mix.push(StakeMix {
            alpha: community_stake as f64,
            root_weighted: 0.0,
        });
        if self.params.passive_root_weights == PassiveRootWeights::FollowRule && passive_root > 0 {
            v_keys.push(ValidatorKey::PassiveRoot);
            v_stake.push(tw * passive_root as f64);
            v_policy.push(WeightPolicy::FollowRule);
            v_mix.push(StakeMix {
                alpha: 0.0,
                root_weighted: tw * passive_root as f64,
            });
        }
        for &(a, policy) in own.iter() {
            v_keys.push(ValidatorKey::Agent(a));
            let acc = &self.accounts[a];
            let mix = StakeMix {
                alpha: acc.alpha[i] as f64,
                root_weighted: tw * acc.root_stake as f64,
            };
            v_stake.push(mix.alpha + mix.root_weighted);
            v_policy.push(policy);
            v_mix.push(mix);
        }
        // Miners: burn, work, then holders in account order.
        let s = &self.subnets;
        let has_work = s.productivity[i] > 0.0 || s.work_kind[i] == WorkKind::OffTopic;
        m_keys.clear();
        m_keys.extend([MinerKey::Burn, MinerKey::Work]);
        holdings.clear();
        holdings.extend([0.0, 0.0]);
        let mut total_held = 0.0;
        for (a, acc) in self.accounts.iter().enumerate() {
            // A holder is paid only through a UID (`registration.rs`).
            if acc.alpha[i] > 0 && self.holds_uid(i, a) {
                m_keys.push(MinerKey::Holder(a));
                holdings.push(acc.alpha[i] as f64);
                total_held += acc.alpha[i] as f64;
            }
        }
        let n_m = m_keys.len();
        let n_v = v_keys.len();
        weights.clear();
        weights.resize(n_v * n_m, 0.0);
        for (v, policy) in v_policy.iter().enumerate() {
            let (mut work, holding, mut burn) = match *policy {
                WeightPolicy::FollowRule => (1.0 - s.holdings_weight[i], s.holdings_weight[i], 0.0),
                WeightPolicy::ZeroHolders => (1.0, 0.0, 0.0),
                WeightPolicy::Classes {
                    work,
                    holdings,
                    burn,
                } => (work, holdings, burn),
            };
            if !has_work {
                burn += work;
                work = 0.0;
            }
            let row = &mut weights[v * n_m..(v + 1) * n_m];
            row[1] = work;
            if total_held > 0.0 {
                for j in 2..n_m {
                    row[j] = holding * holdings[j] / total_held;
                }
            } else {
                burn += holding;
            }
            row[0] = burn;
        }
        // Bonds from last epoch, by key.
        bonds_old.clear();
        bonds_old.resize(n_v * n_m, 0.0);
        for b in &s.bonds[i] {
            if let (Some(v), Some(m)) = (
                v_keys.iter().position(|k| *k == b.validator),
                m_keys.iter().position(|k| *k == b.miner),
            ) {
                bonds_old[v * n_m + m] = b.value;
            }
        }
        let out = yuma.epoch(v_stake, weights, bonds_old, n_m, YumaParams::default());
        let mut bonds = std::mem::take(&mut self.subnets.bonds[i]);
        bonds.clear();
        for (v, &validator) in v_keys.iter().enumerate() {
            for (m, &miner) in m_keys.iter().enumerate() {
                let value = out.bonds[v * n_m + m];
                if value > 0.0 {
                    bonds.push(Bond {
                        validator,
                        miner,
                        value,
                    });
                }
            }
        }
        self.subnets.bonds[i] = bonds;
        self.subnets.holder_incentive[i] = out.incentive.iter().skip(2).sum();
        self.subnets.miner_burned[i] = out.incentive[0];

        // Pay miners by incentive; from 2025-03-19 what Yuma assigns to the owner's own
        // hotkeys (its holder uid) is burned.
        let price = self.subnets.price(i);
        let owner = self.subnets.owner[i];
        let burns_owner = self.day() >= OWNER_MINER_BURN_DAY;
        let miner_total = std::mem::take(&mut self.subnets.pending_miner[i]);
        let mut paid = 0;
        let mut work_paid = 0;
        for (m, key) in m_keys.iter().enumerate() {
            let amount = (miner_total as f64 * out.incentive[m]) as Rao;
            let amount = amount.min(miner_total - paid);
            if amount == 0 {
                continue;
            }
            paid += amount;
            match *key {
                MinerKey::Burn => self.burn_pending(i, amount),
                MinerKey::Work => {
                    work_paid += amount;
                    self.credit_alpha(i, self.bg_miners, amount, price);
                }
                MinerKey::Holder(a) if a == owner && burns_owner => self.burn_pending(i, amount),
                MinerKey::Holder(a) => self.credit_alpha(i, a, amount, price),
            }
        }
        self.burn_pending(i, miner_total - paid);

        // Validators: each one's dividend split by its own stake mix, the alpha pool ∝ d·(1−r)
        // and root's TAO ∝ d·r (`dividends`); nominators of the aggregate validators pay the
        // validator take. What nobody is due is recycled (alpha) or burned (TAO).
        // Root's part is TAO from the block sales, or (from 2025-11-04) root alpha to claim.
        let validator_total = std::mem::take(&mut self.subnets.pending_validator[i]);
        let root_tao = std::mem::take(&mut self.subnets.pending_root_tao[i]);
        let root_alpha = self.root_claims.take_pending(i);
        split_by_stake_mix(
            &out.dividends,
            v_mix,
            validator_total,
            root_tao + root_alpha,
            div_alpha,
            div_tao,
        );
        let claims = root_alpha > 0;
        let (mut alpha_paid, mut tao_paid) = (0, 0);
        let keep_yields = self.params.fees.uses_dividend_yield();
        if keep_yields {
            self.yields.start_epoch(i);
        }
        for (v, key) in v_keys.iter().enumerate() {
            let (alpha, tao_divs) = (div_alpha[v], div_tao[v]);
            alpha_paid += alpha;
            tao_paid += tao_divs;
            match *key {
                ValidatorKey::Community => {
                    let take = validator_take(alpha);
                    self.credit_alpha(i, self.bg_validators, take, price);
                    self.pay_community(i, alpha - take, own, price);
                    if claims {
                        self.claim_root_alpha(i, self.bg_validators, tao_divs, price);
                    } else {
                        self.pay_tao(self.bg_validators, tao_divs);
                    }
                    if keep_yields {
                        let staked = community_stake + alpha as u128;
                        self.yields
                            .record(i, Hotkey::Community, alpha - take, staked);
                    }
                }
                ValidatorKey::PassiveRoot => {
                    let take = validator_take(tao_divs);
                    let own: &[(AccountId, WeightPolicy)] = own;
                    let nominators = |a: AccountId| own.iter().all(|x| x.0 != a);
                    if claims {
                        // The take in alpha, the rest claimable by root stakers pro rata.
                        self.credit_alpha(i, self.bg_validators, take, price);
                        self.pay_root_alpha(i, tao_divs - take, nominators, price);
                    } else {
                        self.pay_tao(self.bg_validators, take);
                        self.pay_root_tao(tao_divs - take, nominators);
                    }
                    self.credit_alpha(i, self.bg_validators, alpha, price);
                }
                ValidatorKey::Agent(a) => {
                    self.credit_alpha(i, a, alpha, price);
                    if claims {
                        self.claim_root_alpha(i, a, tao_divs, price);
                    } else {
                        self.pay_tao(a, tao_divs);
                    }
                    if keep_yields {
                        let staked = self.accounts[a].alpha[i] as u128;
                        self.yields.record(i, Hotkey::Agent(a), alpha, staked);
                    }
                }
            }
        }
        self.burn_pending(i, validator_total - alpha_paid);
        if claims {
            self.burn_pending(i, root_alpha - tao_paid);
        } else {
            self.ledger.burned += (root_tao - tao_paid) as u128;
        }

        // Owner cut.
        let owner_total = std::mem::take(&mut self.subnets.pending_owner[i]);
        self.credit_alpha(i, owner, owner_total, price);
        self.record_owner_alpha(i, owner_total);

        // Work: value created, revenue to the owner, and the workers sell to cover costs.
        let work_tao = tao(work_paid) * price;
        self.account_work(i, work_tao);
        // Value score: EMA over VALUE_SCORE_DAYS of value created per day (this epoch's work
        // plus whatever the owner spent since the last epoch).
        let tempo_days = (self.params.tempo + 1) as f64 / BLOCKS_PER_DAY as f64;
        let s = &mut self.subnets;
        let per_day = std::mem::take(&mut s.value_since_epoch[i]) / tempo_days;
        let k = (tempo_days / VALUE_SCORE_DAYS).min(1.0);
        s.value_score[i] += k * (per_day - s.value_score[i]);
        let miners_sell = (self.accounts[self.bg_miners].alpha[i] as f64
            * self.params.miner_sell_fraction) as Rao;
        self.protocol_agent_sell(self.bg_miners, i, miners_sell);
        if owner == self.bg_owners {
            let sell = (owner_total as f64 * self.params.owner_sell_fraction) as Rao;
            self.protocol_agent_sell(self.bg_owners, i, sell.min(self.accounts[owner].alpha[i]));
        }
    }

    /// Value, revenue and value score after `work_tao` of TAO value was paid to workers (or
    /// spent by the owner on work).
    fn account_work(&mut self, i: usize, work_tao: f64) {
        let s = &mut self.subnets;
        let owner = s.owner[i];
        let background = owner == self.bg_owners;
        let (value, revenue) = match s.work_kind[i] {
            WorkKind::Ai => {
                let v = work_tao * s.productivity[i];
                (
                    v,
                    v * self.params.ai_revenue_share * self.exo.ai_revenue_signal,
                )
            }
            WorkKind::OffTopic => {
                let btc = self.exo.btc_tao_price / self.exo.btc_tao_price_start.max(1e-12);
                (0.0, work_tao * self.params.btc_revenue_per_tao * btc)
            }
        };
        s.value_created[i] += value;
        s.value_since_epoch[i] += value;
        if !background {
            let r = tao_to_rao(revenue);
            let acc = &mut self.accounts[owner];
            acc.free_tao += r;
            acc.revenue_since += r;
            acc.revenue_total += r as u128;
            self.ledger.external_in += r as u128;
        }
    }

    /// Move `amount` pending alpha of subnet `i` to `account`, valuing it at `price`.
    fn credit_alpha(&mut self, i: usize, account: AccountId, amount: Rao, price: f64) {
        if amount == 0 {
            return;
        }
        let acc = &mut self.accounts[account];
        acc.alpha[i] += amount;
        let value = rao_value(amount, price);
        acc.emission_since += value;
        acc.emission_total += value as u128;
    }

    /// Pending alpha that nobody receives is recycled.
    fn burn_pending(&mut self, i: usize, amount: Rao) {
        self.subnets.alpha_outstanding[i] -= amount;
        self.subnets.alpha_burned[i] += amount;
    }

    /// Community validator dividends, pro rata the alpha each delegator holds (accounts that
    /// run their own validator here are not delegators); to the owner when nobody holds any.
    fn pay_community(
        &mut self,
        i: usize,
        amount: Rao,
        own: &[(AccountId, WeightPolicy)],
        price: f64,
    ) {
        let runs_own = |a: AccountId| own.iter().any(|(x, _)| *x == a);
        let total: u128 = (0..self.accounts.len())
            .filter(|&a| !runs_own(a))
            .map(|a| self.accounts[a].alpha[i] as u128)
            .sum();
        if total == 0 {
            let owner = self.subnets.owner[i];
            self.credit_alpha(i, owner, amount, price);
            return;
        }
        let mut paid = 0;
        for a in 0..self.accounts.len() {
            if runs_own(a) {
                continue;
            }
            let share = pro_rata_floor(amount, self.accounts[a].alpha[i], total);
            paid += share;
            self.credit_alpha(i, a, share, price);
        }
        self.burn_pending(i, amount - paid);
    }

    /// Root dividends in TAO to `account` (counted as emission received).
    fn pay_tao(&mut self, account: AccountId, amount: Rao) {
        let acc = &mut self.accounts[account];
        acc.free_tao += amount;
        acc.emission_since += amount;
        acc.emission_total += amount as u128;
    }

    /// Pay `amount` TAO to root stakers selected by `eligible`, pro rata root stake; any
    /// remainder (or everything, when nobody is eligible) is burned.
    fn pay_root_tao(&mut self, amount: Rao, eligible: impl Fn(AccountId) -> bool) {
        if amount == 0 {
            return;
        }
        let paid =
            self.pay_pro_rata_root_stake(amount, eligible, |net, a, share| net.pay_tao(a, share));
        self.ledger.burned += (amount - paid) as u128;
    }

    /// Split `amount` among the accounts `eligible` selects, pro rata root stake (floors),
    /// handing each share to `pay`; returns what was paid. The denominator is fixed before the
    /// first payment, and each account's share is taken before its own payment (a root-alpha
    /// claim may stake TAO on root).
    pub(super) fn pay_pro_rata_root_stake(
        &mut self,
        amount: Rao,
        eligible: impl Fn(AccountId) -> bool,
        mut pay: impl FnMut(&mut Self, AccountId, Rao),
    ) -> Rao {
        let total = self.eligible_root_stake(&eligible);
        let mut paid = 0;
        for a in 0..self.accounts.len() {
            if let Some(share) = self.root_stake_share(a, amount, total, &eligible) {
                paid += share;
                pay(self, a, share);
            }
        }
        paid
    }

    /// The root stake of the accounts `eligible` selects: the denominator of a pro-rata root
    /// payout.
    fn eligible_root_stake(&self, eligible: &impl Fn(AccountId) -> bool) -> u128 {
        (0..self.accounts.len())
            .filter(|&a| eligible(a))
            .map(|a| self.accounts[a].root_stake as u128)
            .sum()
    }

    /// Account `a`'s floor share of `amount` pro rata root stake (`total` from
    /// [`Self::eligible_root_stake`]), or `None` when it is not eligible or stakes nothing.
    fn root_stake_share(
        &self,
        a: AccountId,
        amount: Rao,
        total: u128,
        eligible: &impl Fn(AccountId) -> bool,
    ) -> Option<Rao> {
        let stake = self.accounts[a].root_stake;
        if !eligible(a) || stake == 0 {
            return None;
        }
        // total ≥ this stake > 0 here.
        Some(pro_rata_floor(amount, stake, total))
    }

    /// A background agent's sale (workers, background owners): an ordinary unstake, counted
    /// in the flow like any user's, skipped if the pool refuses it.
    fn protocol_agent_sell(&mut self, account: AccountId, i: usize, alpha: Rao) {
        if alpha > 0 {
            let id = self.subnets.id[i];
            let _ = self.apply(
                account,
                Action::Unstake {
                    subnet: id,
                    alpha_rao: alpha,
                },
            );
        }
    }

    // ----- actions -------------------------------------------------------------------------

    fn subnet_index(&self, id: SubnetId) -> Result<usize, ActionError> {
        self.subnets
            .index_of(id)
            .ok_or(ActionError::UnknownSubnet(id))
    }

    fn owned_subnet(&self, account: AccountId, what: &'static str) -> Result<usize, ActionError> {
        (0..self.subnets.len())
            .find(|&i| self.subnets.owner[i] == account && account != self.bg_owners)
            .ok_or(ActionError::NotOwner(what))
    }

    fn need(held: Rao, needed: Rao) -> Result<(), ActionError> {
        if needed == 0 {
            Err(ActionError::ZeroAmount)
        } else if needed > held {
            Err(ActionError::Insufficient { needed, held })
        } else {
            Ok(())
        }
    }

    /// Apply one action for `account`, whole or not at all.
    pub fn apply(&mut self, account: AccountId, action: Action) -> Result<(), ActionError> {
        match action {
            Action::Stake { subnet, tao_rao } => {
                let i = self.subnet_index(subnet)?;
                Self::need(self.accounts[account].free_tao, tao_rao)?;
                self.stake(account, i, tao_rao).map(|_| ())
            }
            Action::Unstake { subnet, alpha_rao } => {
                let i = self.subnet_index(subnet)?;
                Self::need(self.accounts[account].alpha[i], alpha_rao)?;
                let dividend_yield = self.unstake_yield(account, i);
                let curve = self.subnets.curve(i);
                let swap = self.subnets.reserves[i].sell_on(
                    curve,
                    self.params.fees,
                    alpha_rao,
                    dividend_yield,
                )?;
                let acc = &mut self.accounts[account];
                acc.alpha[i] -= alpha_rao;
                acc.free_tao += swap.received;
                self.subnets.alpha_outstanding[i] -= alpha_rao;
                self.subnets.flow_block[i] -= swap.received as f64;
                Ok(())
            }
            Action::StakeRoot { tao_rao } => {
                Self::need(self.accounts[account].free_tao, tao_rao)?;
                let acc = &mut self.accounts[account];
                acc.free_tao -= tao_rao;
                acc.root_stake += tao_rao;
                self.root_stake_total += tao_rao;
                Ok(())
            }
            Action::UnstakeRoot { tao_rao } => {
                Self::need(self.accounts[account].root_stake, tao_rao)?;
                let acc = &mut self.accounts[account];
                acc.root_stake -= tao_rao;
                acc.free_tao += tao_rao;
                self.root_stake_total -= tao_rao;
                Ok(())
            }
            Action::SetIncentive { holdings_weight } => {
                let i = self.owned_subnet(account, "set the incentive rule")?;
                if !(0.0..=1.0).contains(&holdings_weight) {
                    return Err(ActionError::BadIncentive(holdings_weight));
                }
                self.subnets.holdings_weight[i] = holdings_weight;
                self.subnets.refresh_class(i);
                Ok(())
            }
            Action::SetWeights { subnet, policy } => {
                let i = self.subnet_index(subnet)?;
                if let WeightPolicy::Classes {
                    work,
                    holdings,
                    burn,
                } = policy
                {
                    let ws = [work, holdings, burn];
                    if ws.iter().any(|w| !w.is_finite() || *w < 0.0)
                        || ws.iter().sum::<f64>() <= 0.0
                    {
                        return Err(ActionError::BadWeights);
                    }
                }
                let list = &mut self.subnets.agent_validators[i];
                match list.iter_mut().find(|(a, _)| *a == account) {
                    Some(entry) => entry.1 = policy,
                    None => list.push((account, policy)),
                }
                Ok(())
            }
            Action::Spend { tao_rao, kind } => {
                let i = self.owned_subnet(account, "spend on operations")?;
                Self::need(self.accounts[account].free_tao, tao_rao)?;
                let acc = &mut self.accounts[account];
                acc.free_tao -= tao_rao;
                acc.costs_since += tao_rao;
                acc.costs_total += tao_rao as u128;
                self.ledger.external_out += tao_rao as u128;
                self.subnets.work_kind[i] = match kind {
                    SpendKind::Work => WorkKind::Ai,
                    SpendKind::OffTopic => WorkKind::OffTopic,
                };
                self.subnets.refresh_class(i);
                self.account_work(i, tao(tao_rao));
                Ok(())
            }
            Action::Buyback { tao_rao, burn } => {
                let i = self.owned_subnet(account, "buy back")?;
                Self::need(self.accounts[account].free_tao, tao_rao)?;
                let bought = self.stake(account, i, tao_rao)?;
                if burn {
                    self.accounts[account].alpha[i] -= bought;
                    self.subnets.alpha_outstanding[i] -= bought;
                    self.subnets.alpha_burned[i] += bought;
                }
                Ok(())
            }
        }
    }

    fn stake(&mut self, account: AccountId, i: usize, tao_rao: Rao) -> Result<Rao, ActionError> {
        let curve = self.subnets.curve(i);
        let swap = self.subnets.reserves[i].buy_on(curve, self.params.fees, tao_rao)?;
        let acc = &mut self.accounts[account];
        acc.free_tao -= tao_rao;
        acc.alpha[i] += swap.received;
        self.subnets.alpha_outstanding[i] += swap.received;
        self.subnets.flow_block[i] += tao_rao as f64;
        Ok(swap.received)
    }

    /// The last-epoch dividend yield of the hotkey `account`'s alpha on subnet `i` is staked
    /// on, which the `unstake-yield` fee reads (0 under every other rule).
    pub fn unstake_yield(&self, account: AccountId, i: usize) -> f64 {
        if !self.params.fees.uses_dividend_yield() {
            return 0.0;
        }
        let hotkey = if account == self.bg_miners {
            Hotkey::Miner
        } else if self.subnets.agent_validators[i]
            .iter()
            .any(|(a, _)| *a == account)
        {
            Hotkey::Agent(account)
        } else {
            Hotkey::Community
        };
        self.yields.of(i, hotkey)
    }

    // ----- valuation -----------------------------------------------------------------------

    /// Net worth if everything were sold now, each position alone against its pool.
    pub fn liquidation_worth(&self, account: AccountId) -> Rao {
        let acc = &self.accounts[account];
        let alpha: Rao = (0..self.subnets.len())
            .map(|i| {
                let curve = self.subnets.curve(i);
                self.subnets.reserves[i].liquidation_value_on(
                    curve,
                    self.params.fees,
                    acc.alpha[i],
                    self.unstake_yield(account, i),
                )
            })
            .sum();
        acc.free_tao + acc.root_stake + alpha
    }

    /// Net worth at spot prices, TAO.
    pub fn mark_to_market_tao(&self, account: AccountId) -> f64 {
        let acc = &self.accounts[account];
        // Positions of zero add +0.0, which leaves any sum as it was: skipped, they cost no
        // price division (the market values its accounts every interval).
        let alpha: f64 = (0..self.subnets.len())
            .filter(|&i| acc.alpha[i] > 0)
            .map(|i| tao(acc.alpha[i]) * self.subnets.price(i))
            .sum();
        tao(acc.free_tao) + tao(acc.root_stake) + alpha
    }

    /// The root proportion of subnet `i` (for observations).
    pub fn root_proportion(&self, i: usize) -> f64 {
        self.root_proportion_and_weight(i).0
    }
}
