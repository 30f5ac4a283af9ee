//! The 1-day/7-day price-change pair the market and observations read in one call, and the
//! fixed-horizon reads, are the general `price_change` of each, bit for bit, at every point of
//! a moving economy (before the ring is full, across its wrap, and on days with trades).

mod common;

use tourney_engine::network::Network;
use tourney_engine::units::BLOCKS_PER_DAY;

#[test]
fn the_pair_is_price_change_of_one_and_seven_days() {
    let config = common::small(11, 6, 10.0);
    let mut net = Network::genesis(&config, &[]);
    let mut market = common::market(&config, &net);
    let accounts = net.market_accounts.clone();
    let mut moved = false;
    for block in 0..10 * BLOCKS_PER_DAY {
        if block % config.market.interval_blocks == 0 {
            market.trade(&mut net, &accounts);
        }
        net.step_block();
        if block % 997 == 0 {
            for i in 0..net.subnets.len() {
                let (r1, r7) = net.price_changes_1d_7d(i);
                assert_eq!(r1.to_bits(), net.price_change(i, 1.0).to_bits());
                assert_eq!(r7.to_bits(), net.price_change(i, 7.0).to_bits());
                assert_eq!(r1.to_bits(), net.price_change_1d(i).to_bits());
                assert_eq!(r7.to_bits(), net.price_change_7d(i).to_bits());
                moved |= r1 != 0.0 && r7 != 0.0 && r1 != r7;
            }
        }
    }
    assert!(
        moved,
        "prices moved over 10 days, so the two horizons differ"
    );
}
