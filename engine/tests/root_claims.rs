//! Root claims in the network (from 2025-11-04): root's alpha accrues to the epoch instead of
//! being sold every block, and a root staker's claim is swapped to TAO staked on root (the
//! default) or kept as alpha, by the account's choice.

mod common;

use tourney_engine::config::AgentConfig;
use tourney_engine::network::Network;
use tourney_engine::root_claims::RootClaim;
use tourney_sdk::RAO_PER_TAO;

/// A scripted root staker with 100,000 TAO on root and the given claim type, one day of
/// blocks from `start_day`: (its root stake, alpha held across subnets, its emission received).
fn root_staker_after_a_day(start_day: f64, claim: RootClaim) -> (u64, u64, u128) {
    let mut c = common::small(5, 4, start_day + 1.0);
    c.start_day = start_day;
    c.agents.push(AgentConfig {
        name: "root-staker".into(),
        capital_tao: 0.0,
        root_stake_tao: 100_000.0,
        root_claim: claim,
    });
    let mut net = Network::genesis(&c, &[]);
    let a = net.agent_accounts[0].1;
    for _ in 0..7_200 {
        net.step_block();
        net.check_conservation().unwrap();
    }
    let acc = &net.accounts[a];
    (acc.root_stake, acc.alpha.iter().sum(), acc.emission_total)
}

#[test]
fn swap_stakes_the_claim_on_root_and_keep_holds_alpha() {
    let start = 300.0;
    let (swap_root, swap_alpha, swap_emission) = root_staker_after_a_day(start, RootClaim::Swap);
    let (keep_root, keep_alpha, _) = root_staker_after_a_day(start, RootClaim::Keep);
    let initial = 100_000 * RAO_PER_TAO;
    // Swap: the TAO of every claim is staked on root, and no alpha is held.
    assert!(swap_root > initial, "{swap_root}");
    assert_eq!(swap_alpha, 0);
    assert_eq!(u128::from(swap_root - initial), swap_emission);
    // Keep: root stake unchanged, the claims held as alpha.
    assert_eq!(keep_root, initial);
    assert!(keep_alpha > 0);
}

#[test]
fn before_claims_root_dividends_are_tao() {
    // Day 200 (E1 rules, before 2025-11-04): root TAO is paid as free TAO, root stake unchanged.
    let (root, alpha, emission) = root_staker_after_a_day(200.0, RootClaim::Keep);
    assert_eq!(root, 100_000 * RAO_PER_TAO);
    assert_eq!(alpha, 0);
    assert!(emission > 0);
}
