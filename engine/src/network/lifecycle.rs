//! Subnets and UIDs that come and go: the holder UID burn and cap, owner entrants' locks, and
//! background subnet registrations that dissolve the lowest-EMA subnet from 2025-09-24. The
//! rules are in `registration.rs` and `pruning.rs`; this module applies them to the network,
//! called from genesis, the epoch and once a block (an O(1) check unless a registration is due).

use super::Network;
use crate::config::{LogNormal, MatchConfig};
use crate::emission::{halving_interval, AlphaEmission};
use crate::fees::era_start_day;
use crate::pool::Reserves;
use crate::pruning::{pro_rata_largest_remainder, subnet_to_prune, PRUNING_DAY};
use crate::registration::{Locks, Uids, MIN_LOCK_RAO};
use crate::rng::{normal, stream};
use crate::state::{AccountId, WorkKind};
use crate::units::{Rao, BLOCKS_PER_DAY};
use rand_chacha::ChaCha8Rng;
use tourney_sdk::{tao_to_rao, WeightPolicy};

/// The network's registration state.
#[derive(Clone, Debug)]
pub(super) struct Lifecycle {
    uids: Uids,
    burn_rao: Rao,
    locks: Locks,
    /// TAO each subnet's owner has locked (owner entrants; 0 where the lock predates the
    /// model), held until the subnet is dissolved.
    locked: Vec<Rao>,
    /// Owner-cut alpha each subnet's owner has received (the refund deducts its value).
    owner_alpha: Vec<Rao>,
    /// Absolute block at which each subnet registered (immunity from pruning).
    registered_at: Vec<i64>,
    rng: ChaCha8Rng,
    /// Background registrations per block (0: none).
    rate_per_block: f64,
    /// Absolute block of the next background registration.
    next_registration: u64,
    /// Absolute block from which a registration dissolves a subnet.
    pruning_from: u64,
    productivity: LogNormal,
    zero_value_fraction: f64,
    /// Subnets dissolved so far (names the new ones).
    pub(super) dissolved: u32,
}

impl Lifecycle {
    /// `registered_at`: absolute registration block of each subnet.
    pub(super) fn new(config: &MatchConfig, start_abs: u64, registered_at: Vec<i64>) -> Self {
        let n = registered_at.len();
        let n_cfg = &config.network;
        let era_day = config.start_day.max(era_start_day(config.mechanism));
        let pruning_from = if era_day >= PRUNING_DAY {
            0
        } else {
            (PRUNING_DAY * BLOCKS_PER_DAY as f64) as u64
        };
        let rate_per_block = n_cfg.subnet_registrations_per_day / BLOCKS_PER_DAY as f64;
        let mut life = Self {
            uids: Uids::new(n, n_cfg.background_uids),
            burn_rao: tao_to_rao(n_cfg.registration_burn_tao),
            locks: Locks::at_start(start_abs),
            locked: vec![0; n],
            owner_alpha: vec![0; n],
            registered_at,
            rng: stream(config.seed, "subnet-registrations"),
            rate_per_block,
            next_registration: u64::MAX,
            pruning_from,
            productivity: n_cfg.productivity,
            zero_value_fraction: n_cfg.zero_value_fraction,
            dissolved: 0,
        };
        life.next_registration = life.draw_next(start_abs);
        life
    }

    /// The block of the next registration after `now`: an exponential wait (Poisson arrivals).
    fn draw_next(&mut self, now: u64) -> u64 {
        if self.rate_per_block <= 0.0 {
            return u64::MAX;
        }
        let u: f64 = rand::Rng::random(&mut self.rng);
        let wait = -(1.0 - u).ln() / self.rate_per_block;
        now + (wait.ceil() as u64).max(1)
    }

    /// TAO held in locks.
    pub(super) fn locked_total(&self) -> u128 {
        self.locked.iter().map(|&x| x as u128).sum()
    }

    /// Whether a background registration is due at absolute block `now`.
    #[inline]
    pub(super) fn due(&self, now: u64) -> bool {
        now >= self.next_registration
    }
}

impl Network {
    /// TAO `account` has locked in the subnets it owns (a cost: it is refunded only if the
    /// subnet is dissolved).
    pub fn locked_by(&self, account: AccountId) -> Rao {
        (0..self.subnets.len())
            .filter(|&i| self.subnets.owner[i] == account)
            .map(|i| self.lifecycle.locked[i])
            .sum()
    }

    /// At genesis: each owner entrant pays the subnet lock cost of the start day (all of its
    /// TAO if it holds less); entrants register together, so none pays another's doubling.
    pub(super) fn pay_owner_locks(&mut self) {
        let now = self.start_block_abs;
        let cost = self.lifecycle.locks.cost(now);
        for k in 0..self.entrant_accounts.len() {
            let Some(id) = self.entrant_subnets[k] else {
                continue;
            };
            let i = id as usize - 1;
            let acc = &mut self.accounts[self.entrant_accounts[k]];
            let lock = cost.min(acc.free_tao);
            acc.free_tao -= lock;
            self.lifecycle.locked[i] += lock;
            self.lifecycle.registered_at[i] = now as i64;
        }
    }

    /// The owner's cut paid at subnet `i`'s epoch (deducted from a refund on dissolution).
    pub(super) fn record_owner_alpha(&mut self, i: usize, amount: Rao) {
        self.lifecycle.owner_alpha[i] += amount;
    }

    /// Whether `account` holds a UID on subnet `i` (the background workers, owners and
    /// validators and the subnet's owner always do).
    pub(super) fn holds_uid(&self, i: usize, account: AccountId) -> bool {
        account == self.bg_miners
            || account == self.bg_owners
            || account == self.bg_validators
            || account == self.subnets.owner[i]
            || self.lifecycle.uids.has(i, account)
    }

    /// Before subnet `i`'s epoch: when someone's weights pay holders, every holder without a
    /// UID registers one if there is room and it can pay the burn, which buys alpha from the
    /// pool that is recycled (`do_burned_registration`).
    pub(super) fn register_holder_uids(&mut self, i: usize) {
        let pays_holders = self.subnets.holdings_weight[i] > 0.0
            || self.subnets.agent_validators[i].iter().any(
                |(_, p)| matches!(p, WeightPolicy::Classes { holdings, .. } if *holdings > 0.0),
            );
        if !pays_holders {
            return;
        }
        let burn = self.lifecycle.burn_rao;
        for a in 0..self.accounts.len() {
            if self.accounts[a].alpha[i] == 0 || self.holds_uid(i, a) {
                continue;
            }
            if !self.lifecycle.uids.has_room(i) {
                return;
            }
            if self.accounts[a].free_tao < burn {
                continue;
            }
            let bought = if burn > 0 {
                let curve = self.subnets.curve(i);
                self.subnets.reserves[i].protocol_buy_on(curve, burn)
            } else {
                0
            };
            if burn > 0 && bought == 0 {
                continue;
            }
            self.subnets.alpha_burned[i] += bought;
            let acc = &mut self.accounts[a];
            acc.free_tao -= burn;
            acc.costs_since += burn;
            acc.costs_total += burn as u128;
            self.lifecycle.uids.add(i, a);
        }
    }

    /// Once a block: a background subnet registration, when one is due, moves the lock cost
    /// and, from 2025-09-24, dissolves the subnet the chain would prune.
    #[inline]
    pub(super) fn background_registrations(&mut self) {
        let now = self.start_block_abs + self.block;
        if self.lifecycle.due(now) {
            self.background_registration(now);
        }
    }

    fn background_registration(&mut self, now: u64) {
        let cost = self.lifecycle.locks.cost(now);
        self.lifecycle.locks.registered(now, cost);
        self.lifecycle.next_registration = self.lifecycle.draw_next(now);
        if now < self.lifecycle.pruning_from {
            return;
        }
        if let Some(i) = subnet_to_prune(
            &self.subnets.ema_price,
            &self.lifecycle.registered_at,
            now as i64,
        ) {
            self.dissolve(i, now);
        }
    }

    /// Dissolve subnet `i` (`destroy_alpha_in_out_stakes`) and register a background subnet
    /// in its slot with `min_lock` TAO and as much alpha in its pool.
    fn dissolve(&mut self, i: usize, now: u64) {
        // Undistributed emission is recycled; pending root TAO is burned.
        for pending in [
            std::mem::take(&mut self.subnets.pending_owner[i]),
            std::mem::take(&mut self.subnets.pending_miner[i]),
            std::mem::take(&mut self.subnets.pending_validator[i]),
            self.root_claims.take_pending(i),
        ] {
            self.burn_pending(i, pending);
        }
        self.ledger.burned += std::mem::take(&mut self.subnets.pending_root_tao[i]) as u128;

        // The owner's refund: its lock less the TAO value of the owner cut it received.
        let pool = self.subnets.reserves[i];
        let (curve, price) = (self.subnets.curve(i), self.subnets.price(i));
        let owner = self.subnets.owner[i];
        let locked = std::mem::take(&mut self.lifecycle.locked[i]);
        let owner_alpha = std::mem::take(&mut self.lifecycle.owner_alpha[i]);
        let mut probe = pool;
        let owner_tao = match probe.protocol_sell_on(curve, owner_alpha) {
            0 => (owner_alpha as f64 * price) as Rao,
            tao => tao,
        };
        let refund = locked.saturating_sub(owner_tao);
        self.accounts[owner].free_tao += refund;
        self.ledger.burned += (locked - refund) as u128;

        // The pool's TAO to the stakers, pro rata their alpha (largest remainder).
        let weights: Vec<u128> = self.accounts.iter().map(|a| a.alpha[i] as u128).collect();
        let shares = pro_rata_largest_remainder(pool.tao_rao, &weights);
        let paid: Rao = shares.iter().sum();
        for (acc, share) in self.accounts.iter_mut().zip(shares) {
            acc.free_tao += share;
            acc.alpha[i] = 0;
        }
        self.ledger.burned += (pool.tao_rao - paid) as u128;
        let s = &mut self.subnets;
        s.alpha_burned[i] += pool.alpha_rao + s.alpha_outstanding[i];
        s.alpha_outstanding[i] = 0;

        // The new subnet: its registrant's `min_lock` (from outside the model) funds the pool.
        let fresh = Reserves {
            tao_rao: MIN_LOCK_RAO,
            alpha_rao: MIN_LOCK_RAO,
        };
        self.ledger.external_in += MIN_LOCK_RAO as u128;
        s.alpha_minted[i] += fresh.alpha_rao;
        s.reserves[i] = fresh;
        // On E5's weighted pools the new pool starts where the chain's migration starts one:
        // the weights that keep its constant-product price.
        if let Some(w) = s.pool_weights.get_mut(i) {
            *w = crate::pool::Weights::from_constant_product(fresh.tao_rao, fresh.alpha_rao);
            s.price_factor[i] = w.price_factor();
        }
        self.lifecycle.dissolved += 1;
        s.name[i] = format!("new-{}", self.lifecycle.dissolved);
        s.owner[i] = self.bg_owners;
        s.alpha_emission.set(
            i,
            AlphaEmission::at_issuance_with_cut(fresh.alpha_rao, self.params.owner_cut)
                .with_injection_cap(&self.params.rates),
        );
        s.alpha_emission_interval
            .set(i, halving_interval(fresh.alpha_rao));
        s.ema_price[i] = 0.0;
        s.flow_ema[i] = 0.0;
        s.flow_block[i] = 0.0;
        s.protocol_flow_ema[i] = 0.0;
        s.miner_burned[i] = 0.0;
        s.start_block[i] = self.block as i64;
        s.holdings_weight[i] = 0.0;
        s.holder_incentive[i] = 0.0;
        s.work_kind[i] = WorkKind::Ai;
        let rng = &mut self.lifecycle.rng;
        let zero = rand::Rng::random::<f64>(rng) < self.lifecycle.zero_value_fraction;
        let d = self.lifecycle.productivity;
        let productivity = d.median * (d.sigma * normal(rng)).exp();
        s.productivity[i] = if zero { 0.0 } else { productivity };
        s.value_score[i] = 0.0;
        s.value_since_epoch[i] = 0.0;
        s.hype[i] = 1.0;
        s.agent_validators[i].clear();
        s.bonds[i].clear();
        let price = fresh.price() * s.price_factor[i];
        s.price_ring[i].fill(price);
        s.peak_price[i] = price;
        s.refresh_class(i);
        self.lifecycle.registered_at[i] = now as i64;
        self.lifecycle.uids.clear(i);
        self.yields.reset(i);
        let id = self.subnets.id[i];
        for owned in self.entrant_subnets.iter_mut() {
            if *owned == Some(id) {
                *owned = None;
            }
        }
    }
}
