//! The owner cut as a mechanism setting (`owner_cut`, `docs/mechanisms.md`): left out, or
//! written as the chain's 0.18, it is the chain's 11796/65535 and the match is bit for bit
//! today's; another value changes the owner's share of every subnet's alpha emission, and only
//! that split.

mod common;

use tourney_engine::config::{owner_cut_numerator, DEFAULT_OWNER_CUT};
use tourney_engine::emission::{AlphaEmission, AlphaEmissionRule};
use tourney_engine::network::Network;
use tourney_engine::runner::run_match;
use tourney_engine::units::{OWNER_CUT_DENOMINATOR, OWNER_CUT_NUMERATOR};

#[test]
fn the_default_and_0_18_by_hand_are_the_chains_11796() {
    assert_eq!(owner_cut_numerator(DEFAULT_OWNER_CUT), OWNER_CUT_NUMERATOR);
    // 0.18 × 65535 = 11796.3, nearest 11796.
    assert_eq!(owner_cut_numerator(0.18), 11_796);
    // 0.5 × 65535 = 32767.5, rounded half away from zero: 32768.
    assert_eq!(owner_cut_numerator(0.5), 32_768);
    assert_eq!(owner_cut_numerator(1.0), OWNER_CUT_DENOMINATOR);
}

#[test]
fn an_explicit_chain_cut_plays_the_same_match_bit_for_bit() {
    for rule in [AlphaEmissionRule::Issuance, AlphaEmissionRule::ByShare] {
        let mut a = common::with_meme(common::small(11, 4, 3.0), 100.0);
        a.alpha_emission = rule;
        let mut b = a.clone();
        b.owner_cut = 0.18;
        let (ra, rb) = (
            run_match(&a, vec![]).unwrap(),
            run_match(&b, vec![]).unwrap(),
        );
        assert_eq!(format!("{ra:?}"), format!("{rb:?}"), "{rule:?}");
    }
}

#[test]
fn a_larger_cut_moves_emission_from_miners_and_validators_to_the_owner() {
    let chain = common::small(3, 4, 2.0);
    let mut half = chain.clone();
    half.owner_cut = 0.5;
    let (n0, n1) = (Network::genesis(&chain, &[]), Network::genesis(&half, &[]));
    for i in 0..n0.subnets.alpha_emission.len() {
        let (e0, e1) = (
            n0.subnets.alpha_emission.get(i),
            n1.subnets.alpha_emission.get(i),
        );
        assert_eq!(e0, AlphaEmission::per_block(e0.per_block));
        // Same alpha a block; the owner takes ⌊α·32768/65535⌋, miners half the rest.
        assert_eq!(e1.per_block, e0.per_block);
        assert_eq!(e1.owner, e1.per_block * 32_768 / 65_535);
        assert_eq!(e1.miners, (e1.per_block - e1.owner) / 2);
        assert_eq!(e1.owner + e1.miners + e1.validators_and_root, e1.per_block);
        assert!(e1.owner > e0.owner && e1.miners < e0.miners);
    }
    // Played: the owners' pending alpha grows faster under the larger cut.
    let (mut n0, mut n1) = (n0, n1);
    for _ in 0..50 {
        n0.step_block();
        n1.step_block();
    }
    let owed = |n: &Network| n.subnets.pending_owner.iter().sum::<u64>();
    assert!(owed(&n1) > owed(&n0));
    // A cut outside [0, 1] is refused.
    let mut bad = chain;
    bad.owner_cut = 1.5;
    assert!(run_match(&bad, vec![]).is_err());
}
