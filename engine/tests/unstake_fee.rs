//! The 2025-03-19 to 2025-06-30 unstake fee inside the network: after an epoch, a delegator's
//! unstake pays `max(50,000 rao, 0.005 %, τ × the community validator's last-epoch dividend
//! yield)` (`calculate_staking_fee`, read at 2025-04-11); before 2025-03-19 the flat fee.

mod common;

use tourney_engine::fees::FeeRule;
use tourney_engine::network::Network;
use tourney_sdk::Action;

/// (fee rule, yield the farmer's unstake reads, TAO the unstake received, what the pool quoted
/// under the rule with that yield, what the flat fee would have given).
fn farmer_unstakes_after_an_epoch(start_day: f64) -> (FeeRule, f64, u64, u64, u64) {
    let mut c = common::with_meme(common::small(3, 3, start_day + 2.0), 0.0);
    c.start_day = start_day;
    let mut net = Network::genesis(&c, &[]);
    let (farmer, i) = common::stake_into_meme(&mut net, "farmer", 500);
    let id = net.subnets.id[i];
    // Past the meme subnet's first epoch (tempo 360).
    for _ in 0..400 {
        net.step_block();
    }
    let alpha = net.accounts[farmer].alpha[i] / 2;
    let y = net.unstake_yield(farmer, i);
    let rule = FeeRule::for_match(c.mechanism, start_day);
    let quoted = net.subnets.reserves[i]
        .quote_sell_at(rule, alpha, y)
        .unwrap();
    let flat = net.subnets.reserves[i].quote_sell(alpha).unwrap();
    let before = net.accounts[farmer].free_tao;
    net.apply(
        farmer,
        Action::Unstake {
            subnet: id,
            alpha_rao: alpha,
        },
    )
    .unwrap();
    net.check_conservation().unwrap();
    let received = net.accounts[farmer].free_tao - before;
    (rule, y, received, quoted.received, flat.received)
}

#[test]
fn an_unstake_pays_the_hotkeys_dividend_yield_from_day_34() {
    let (rule, y, received, quoted, flat) = farmer_unstakes_after_an_epoch(40.0);
    assert_eq!(rule, FeeRule::UnstakeYield);
    // The community validator paid dividends at the epoch: a positive yield, well under 1 %
    // an epoch.
    assert!(y > 0.0 && y < 0.01, "yield {y}");
    assert_eq!(received, quoted);
    // The fee is more than the flat 50,000 rao on an unstake of this size.
    assert!(received < flat, "{received} vs flat {flat}");
}

#[test]
fn before_day_34_the_fee_is_flat() {
    let (rule, y, received, _, flat) = farmer_unstakes_after_an_epoch(0.0);
    assert_eq!(rule, FeeRule::Flat);
    assert_eq!(y, 0.0);
    assert_eq!(received, flat);
}
