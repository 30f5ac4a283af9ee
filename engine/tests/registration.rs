//! Registration in the network: a holder is paid holder incentive only through a UID it burned
//! TAO for (`do_burned_registration`: the burn buys alpha that is recycled), at most 256 UIDs a
//! subnet; owner entrants pay the lock; from 2025-09-24 a background registration dissolves
//! the lowest-EMA non-immune subnet and pays its pool TAO to its stakers.

mod common;

use tourney_engine::network::{EntrantSpec, Network};
use tourney_engine::registration::MIN_LOCK_RAO;
use tourney_engine::root_claims::RootClaim;
use tourney_sdk::{Role, RAO_PER_TAO};

/// The farmer stakes 500 TAO into its meme subnet and a scripted holder 100 TAO; one epoch
/// later: (holder's free TAO, holder's costs, the meme subnet's holder incentive, holder alpha
/// gained after the stake).
fn holder_after_one_epoch(background_uids: u32) -> (u64, u128, f64, u64) {
    let mut c = common::with_meme(common::small(9, 3, 2.0), 0.0);
    c.network.background_uids = background_uids;
    c.agents.push(tourney_engine::config::AgentConfig {
        name: "holder".into(),
        capital_tao: 200.0,
        root_stake_tao: 0.0,
        root_claim: RootClaim::Swap,
    });
    let mut net = Network::genesis(&c, &[]);
    let (holder, i) = common::stake_into_meme(&mut net, "holder", 100);
    let staked = net.accounts[holder].alpha[i];
    for _ in 0..400 {
        net.step_block();
        net.check_conservation().unwrap();
    }
    let acc = &net.accounts[holder];
    (
        acc.free_tao,
        acc.costs_total,
        net.subnets.holder_incentive[i],
        acc.alpha[i] - staked,
    )
}

#[test]
fn a_holder_pays_the_burn_for_a_uid_and_is_paid() {
    let (free, costs, incentive, gained) = holder_after_one_epoch(0);
    // 200 − 100 staked − 0.1 burned (the chain's initial burn).
    assert_eq!(free, 100 * RAO_PER_TAO - 100_000_000);
    assert_eq!(costs, 100_000_000);
    assert!(incentive > 0.9, "{incentive}");
    assert!(gained > 0);
}

#[test]
fn a_full_subnet_pays_no_holder() {
    // Every UID taken by workers and validators: nobody registers, holdings weight burns.
    let (free, costs, incentive, _) = holder_after_one_epoch(256);
    assert_eq!(free, 100 * RAO_PER_TAO);
    assert_eq!(costs, 0);
    assert_eq!(incentive, 0.0);
}

#[test]
fn an_owner_entrant_locks_the_minimum_at_the_start() {
    let c = common::small(4, 3, 1.0);
    let owner = EntrantSpec {
        name: "owner".into(),
        role: Role::SubnetOwner,
        capital_tao: 10_000.0,
        root_claim: RootClaim::Swap,
    };
    let net = Network::genesis(&c, &[owner]);
    let a = net.entrant_accounts[0];
    // 1,000 TAO (min lock: the last lock is at the minimum and a reduction interval old).
    assert_eq!(net.locked_by(a), MIN_LOCK_RAO);
    assert_eq!(net.accounts[a].free_tao, 9_000 * RAO_PER_TAO);
    net.check_conservation().unwrap();
}

#[test]
fn from_day_223_a_registration_dissolves_the_lowest_ema_subnet() {
    let mut c = common::small(6, 4, 231.0);
    c.start_day = 230.0;
    // One registration expected every ~10 blocks.
    c.network.subnet_registrations_per_day = 720.0;
    let owner = EntrantSpec {
        name: "owner".into(),
        role: Role::SubnetOwner,
        capital_tao: 10_000.0,
        root_claim: RootClaim::Swap,
    };
    let mut net = Network::genesis(&c, &[owner]);
    let owned = net.entrant_subnets[0].unwrap();
    let lowest = (0..4)
        .min_by(|&x, &y| net.subnets.ema_price[x].total_cmp(&net.subnets.ema_price[y]))
        .unwrap();
    let holders = net.bg_holders;
    let (free_before, alpha_before) = (
        net.accounts[holders].free_tao,
        net.accounts[holders].alpha[lowest],
    );
    assert!(alpha_before > 0);
    let mut blocks = 0;
    while !net.subnets.name[lowest].starts_with("new-") {
        net.step_block();
        net.check_conservation().unwrap();
        blocks += 1;
        assert!(blocks < 1_000, "no dissolution");
    }
    // The long-term holders were paid TAO for their alpha and hold none of the new subnet.
    assert!(net.accounts[holders].free_tao > free_before);
    assert_eq!(net.accounts[holders].alpha[lowest], 0);
    // The new subnet: min_lock TAO and as much alpha, EMA from 0.
    assert_eq!(net.subnets.ema_price[lowest], 0.0);
    // The owner entrant's subnet, registered at the start, is immune for 180 days.
    for _ in 0..2_000 {
        net.step_block();
    }
    net.check_conservation().unwrap();
    let i = owned as usize - 1;
    assert!(!net.subnets.name[i].starts_with("new-"));
    assert_eq!(net.entrant_subnets[0], Some(owned));
}
