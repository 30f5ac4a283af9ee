//! Registration costs and limits: the miner UID burn, the 256-UID cap, and the subnet lock.
//!
//! Read in `opentensor/subtensor` at 2025-09-30 (commit 79010a3): `do_burned_registration`
//! (`pallets/subtensor/src/subnets/registration.rs`) takes the subnet's `Burn` in TAO from the
//! coldkey, swaps it into the pool and recycles the alpha it buys; `InitialBurn` is 0.1 TAO
//! (bounded by 0.0005 and 100 TAO, adjusted by demand); a subnet holds at most
//! `MaxAllowedUids` UIDs (256 on mainnet subnets). `get_network_lock_cost`
//! (`coinbase/root.rs`) prices a new subnet at `max(min_lock, 2·last − last/interval·Δ)`, Δ
//! blocks since the last registration, `min_lock` 1,000 TAO, `interval` 14 days; the lock is
//! the owner's stake in the subnet (the pool's first TAO, the rest recycled) and is refunded,
//! less the owner's emission, only if the subnet is dissolved (`destroy_alpha_in_out_stakes`).
//!
//! Modelled: an account is paid holder incentive on a subnet only while it holds a UID there
//! (registered automatically at the subnet's epoch when its rule pays holders and the account
//! can pay the burn; a background aggregate holds one UID); the cap counts holder UIDs plus
//! `network.background_uids` taken by workers and validators; an owner entrant pays the lock
//! cost at the start day. Not modelled: every UID, the burn's adjustment with demand (the
//! burn is `network.registration_burn_tao`), and a full subnet's replacement of its lowest-
//! ranked UID (a registration at the cap is refused).

use crate::state::AccountId;
use crate::units::{Rao, BLOCKS_PER_DAY, RAO_PER_TAO};

/// The most UIDs a subnet holds (`MaxAllowedUids` on mainnet subnets).
pub const MAX_UIDS_PER_SUBNET: u32 = 256;
/// The chain's initial registration burn, 0.1 TAO (`SubtensorInitialBurn`).
pub const INITIAL_BURN_TAO: f64 = 0.1;
/// The smallest subnet lock, 1,000 TAO (`SubtensorInitialMinLockCost`).
pub const MIN_LOCK_RAO: Rao = 1_000 * RAO_PER_TAO;
/// Blocks over which the lock falls from twice the last lock back to it
/// (`SubtensorInitialNetworkLockReductionInterval`, 14 days).
pub const LOCK_REDUCTION_INTERVAL: u64 = 14 * BLOCKS_PER_DAY;

/// The subnet lock cost now: `max(min_lock, 2·last − ⌊last/interval⌋·Δ)`, Δ = blocks since the
/// last registration; before any registration (`last_block` = None) the multiplier is 1.
pub fn lock_cost(last_lock: Rao, last_block: Option<u64>, now: u64, min_lock: Rao) -> Rao {
    let (mult, since) = match last_block {
        None => (1, now),
        Some(b) => (2, now.saturating_sub(b)),
    };
    let reduction = (last_lock / LOCK_REDUCTION_INTERVAL).saturating_mul(since);
    last_lock
        .saturating_mul(mult)
        .saturating_sub(reduction)
        .max(min_lock)
}

/// The network's lock state: what the last subnet registration paid and when (absolute
/// block on the transition timeline).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locks {
    pub last_lock: Rao,
    /// May be before the timeline's block 0 (at the start, see [`Locks::at_start`]).
    pub last_block: i64,
}

impl Locks {
    /// At the start: the last lock at the minimum, paid two reduction intervals ago, so a
    /// registration now costs exactly the minimum.
    pub fn at_start(start_block_abs: u64) -> Self {
        Self {
            last_lock: MIN_LOCK_RAO,
            last_block: start_block_abs as i64 - 2 * LOCK_REDUCTION_INTERVAL as i64,
        }
    }

    /// The lock cost at absolute block `now`.
    pub fn cost(&self, now: u64) -> Rao {
        let since = (now as i64 - self.last_block).max(0) as u64;
        lock_cost(self.last_lock, Some(0), since, MIN_LOCK_RAO)
    }

    /// A registration at `now` paid `cost`.
    pub fn registered(&mut self, now: u64, cost: Rao) {
        self.last_lock = cost;
        self.last_block = now as i64;
    }
}

/// Holder UIDs per subnet (the accounts paid for the alpha they hold must own one).
#[derive(Clone, Debug, Default)]
pub struct Uids {
    holders: Vec<Vec<AccountId>>,
    /// UIDs taken by the subnet's workers, validators and owner.
    background: u32,
}

impl Uids {
    pub fn new(n_subnets: usize, background: u32) -> Self {
        Self {
            holders: vec![Vec::new(); n_subnets],
            background: background.min(MAX_UIDS_PER_SUBNET),
        }
    }

    pub fn has(&self, i: usize, account: AccountId) -> bool {
        self.holders[i].contains(&account)
    }

    /// Whether subnet `i` has a free UID.
    pub fn has_room(&self, i: usize) -> bool {
        self.background + (self.holders[i].len() as u32) < MAX_UIDS_PER_SUBNET
    }

    /// Give `account` a UID on subnet `i` (the caller checked room and took the burn).
    pub fn add(&mut self, i: usize, account: AccountId) {
        self.holders[i].push(account);
    }

    /// Subnet `i` was dissolved: its UIDs are gone.
    pub fn clear(&mut self, i: usize) {
        self.holders[i].clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_counts_background_uids() {
        let mut u = Uids::new(1, 254);
        assert!(u.has_room(0));
        u.add(0, 3);
        assert!(u.has_room(0));
        u.add(0, 4);
        assert!(!u.has_room(0));
        assert!(u.has(0, 4) && !u.has(0, 5));
        u.clear(0);
        assert!(u.has_room(0) && !u.has(0, 4));
    }

    #[test]
    fn lock_doubles_then_decays_to_the_minimum() {
        let mut l = Locks::at_start(1_000_000);
        assert_eq!(l.cost(1_000_000), MIN_LOCK_RAO);
        l.registered(1_000_000, MIN_LOCK_RAO);
        assert_eq!(l.cost(1_000_000), 2 * MIN_LOCK_RAO);
        assert_eq!(
            l.cost(1_000_000 + 2 * LOCK_REDUCTION_INTERVAL),
            MIN_LOCK_RAO
        );
    }
}
