//! Who the epoch pays (`docs/mechanisms.md`, "Who receives alpha_out"): on a meme subnet
//! (holders paid) owned by the agent `farmer`, measured over one epoch of the engine.
//!
//! - From 2025-03-19 (`distribute_dividends_and_incentives`, read at 2025-04-01) the Yuma
//!   incentive the owner's own hotkeys earn is burned: the farmer, a holder of the subnet's
//!   alpha, then gains only its owner cut and its share of the community validator's
//!   dividends, net of the validator take.
//! - Before that date it is paid: the farmer gains its holder incentive on top.

mod common;

use tourney_engine::config::PassiveRootWeights;
use tourney_engine::dividends::validator_take;
use tourney_engine::network::Network;
use tourney_engine::units::rao_from_f64;

/// What the farmer gained over the meme subnet's first epoch after staking 500 TAO: (gain −
/// owner cut, lower and upper bounds of its community dividend, its holder incentive if paid).
fn farmer_over_one_epoch(start_day: f64) -> (u64, u64, u64, u64) {
    let mut c = common::with_meme(common::small(7, 3, start_day + 2.0), 0.0);
    c.start_day = start_day;
    // The passive root validators set no weights: the community validator (all delegated alpha,
    // r = 0) is the only one with dividends, so it takes the whole alpha pool.
    c.network.passive_root_weights = PassiveRootWeights::Abstain;
    let mut net = Network::genesis(&c, &[]);
    let (farmer, i) = common::stake_into_meme(&mut net, "farmer", 500);
    loop {
        let s = &net.subnets;
        let (owner_before, validator_before, miner_before) = (
            s.pending_owner[i],
            s.pending_validator[i],
            s.pending_miner[i],
        );
        let farmer_before = net.accounts[farmer].alpha[i];
        let held_before: u64 = net.accounts.iter().map(|a| a.alpha[i]).sum();
        net.step_block();
        let s = &net.subnets;
        if s.pending_owner[i] >= owner_before {
            continue;
        }
        // The epoch ran this block, after this block's alpha_out was added to pending.
        let split = s.alpha_emission.get(i);
        let root_alpha = rao_from_f64(split.validators_and_root as f64 * s.root_proportion[i]);
        let owner_total = owner_before + split.owner;
        let validator_total = validator_before + split.validators_and_root - root_alpha;
        let miner_total = miner_before + split.miners;
        let to_delegators = validator_total - validator_take(validator_total);
        let gain = net.accounts[farmer].alpha[i] - farmer_before;
        let held_after: u64 = net.accounts.iter().map(|a| a.alpha[i]).sum();
        // Its community dividend is ⌊to_delegators·farmer/Σheld⌋ with Σheld between the
        // holdings before the epoch and after it (miner payouts come first).
        let upper = (to_delegators as u128 * farmer_before as u128 / held_before as u128) as u64;
        let lower = (to_delegators as u128 * farmer_before as u128 / held_after as u128) as u64;
        // Every validator weights holders by holdings (no work on a meme subnet), so Yuma's
        // incentive to the farmer's holder uid is its share of the holdings.
        let incentive = (miner_total as u128 * farmer_before as u128 / held_before as u128) as u64;
        return (gain - owner_total, lower, upper, incentive);
    }
}

#[test]
fn the_owners_own_miner_incentive_is_burned_from_2025_03_19() {
    let (dividend, lower, upper, _) = farmer_over_one_epoch(40.0);
    assert!(
        (lower..=upper).contains(&dividend),
        "day 40: {dividend} outside [{lower}, {upper}]"
    );
}

#[test]
fn before_2025_03_19_the_owner_is_paid_as_a_holder() {
    let (gain, lower, upper, incentive) = farmer_over_one_epoch(20.0);
    // Its holder incentive (± 2 rao of f64 rounding in Yuma's normalisation) on top.
    assert!(incentive > 0);
    assert!(
        (lower + incentive - 2..=upper + incentive + 2).contains(&gain),
        "day 20: gain {gain}, dividend in [{lower}, {upper}], incentive {incentive}"
    );
}
