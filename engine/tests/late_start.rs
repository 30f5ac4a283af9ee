//! A match that starts late in the transition still has TAO emission: the network is aged to
//! its start day along the halvings (aged at 1 TAO a block, issuance reached the 21M cap at
//! about day 1750, and every later start day played an economy with no emission at all).

mod common;

use tourney_engine::run_match;
use tourney_engine::units::BLOCKS_PER_DAY;

#[test]
fn late_start_days_emit_at_their_eras_rate() {
    for (start_day, per_block_tao) in [(100.0, 1.0), (1_000.0, 0.5), (2_000.0, 0.25)] {
        let mut c = common::small(1, 3, start_day + 0.1);
        c.start_day = start_day;
        let outcome = run_match(&c, Vec::new()).unwrap();
        let blocks = (0.1 * BLOCKS_PER_DAY as f64).round();
        // Everything minted goes to the subnets (0.1 days, one halving era).
        let expected = blocks * per_block_tao;
        let emitted = outcome.network.emission_total_tao;
        assert!(
            (emitted - expected).abs() <= 1e-6 * expected,
            "start day {start_day}: {emitted} TAO emitted, expected {expected}"
        );
    }
}
