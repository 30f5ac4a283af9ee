//! The network table's extremes include the match's end: `peak_meme_share` is the largest
//! meme share of one block's emission over every block (so at least the match's mean meme
//! share, however short the match), and `largest_crash` samples the prices at the horizon as
//! well as every 360 blocks (a crash in the last blocks counts). Neither touches the momentum
//! ring that trading reads.

mod common;

use tourney_engine::config::*;
use tourney_engine::network::Network;
use tourney_engine::runner::run_match;
use tourney_engine::units::BLOCKS_PER_DAY;
use tourney_sdk::Mechanism;

/// A meme subnet holding most of the network's value (200k TAO at 1 TAO per alpha against
/// three background subnets), so that most emission goes to it under price-based rules.
fn big_meme(days: f64) -> MatchConfig {
    let mut c = common::with_meme(common::small(3, 3, 0.0), 0.0);
    c.start_day = 100.0;
    c.horizon_day = 100.0 + days;
    c.subnets[0].pool_tao = 200_000.0;
    c.subnets[0].price = 1.0;
    c
}

/// A match of 0.02 days (144 blocks, shorter than the 360-block snapshot interval) reported
/// a peak meme share of 0 whatever its emission; and a sampled peak could fall below the
/// mean. Every mechanism: the peak is at least the mean; dTAO's price rule gives the meme
/// subnet most of the emission, so the peak is large.
#[test]
fn the_peak_meme_share_is_at_least_the_mean_in_a_short_match() {
    for days in [0.02, 0.1] {
        for mechanism in Mechanism::ALL {
            let mut c = big_meme(days);
            c.mechanism = mechanism;
            let n = run_match(&c, Vec::new()).unwrap().network;
            let (mean, peak) = (n.emission_meme_share, n.peak_meme_share);
            assert!(
                peak >= mean,
                "{} over {days} days: peak {peak} below the mean {mean}",
                mechanism.name()
            );
            assert!(peak <= 1.0, "{}: peak {peak}", mechanism.name());
            if mean > 0.0 {
                assert!(peak > 0.0, "{}: peak 0, mean {mean}", mechanism.name());
            }
        }
    }
    let mut c = big_meme(0.02);
    c.mechanism = Mechanism::DtaoPrice;
    let n = run_match(&c, Vec::new()).unwrap().network;
    assert!(n.emission_meme_share > 0.9, "{n:?}");
    assert!(n.peak_meme_share >= n.emission_meme_share, "{n:?}");
}

/// The farmer doubles the meme pool's TAO at block 0 (100k TAO into a 100k-TAO pool at
/// 0.02 TAO per alpha: T = 200k, A = 2.5M, price 0.08) and sells everything at block 500 of
/// a 576-block match (T and A back to about 100k and 5M: price 0.02). The snapshot at block
/// 360 sees the peak, none sees the dump (the next would be at 720): only the horizon's
/// sample does. Hand-computed: `1 − 0.02 / 0.08 = 0.75`, moved by at most ~0.002 by the
/// emission the pool receives meanwhile (≤ 1 TAO a block, 576 blocks, against 100k–200k TAO)
/// and by the flat fees (50,000 rao a swap).
#[test]
fn a_crash_in_the_last_blocks_is_in_largest_crash() {
    let mut c = common::with_meme(common::small(5, 3, 0.08), 0.0);
    assert_eq!(c.horizon_blocks(), 576);
    c.subnets[0].pool_tao = 100_000.0;
    c.subnets[0].price = 0.02;
    c.agents[0].capital_tao = 100_000.0;
    // No background market: the only trades are the farmer's.
    c.market.min_trade_tao = MAX_AMOUNT_TAO;
    let meme = || SubnetRef::Name("meme".into());
    c.events = vec![
        EventConfig {
            block: Some(0),
            day: None,
            agent: "farmer".into(),
            action: ActionConfig::Stake {
                subnet: meme(),
                tao: 100_000.0,
            },
        },
        EventConfig {
            block: Some(500),
            day: None,
            agent: "farmer".into(),
            action: ActionConfig::UnstakeAll { subnet: meme() },
        },
    ];
    let out = run_match(&c, Vec::new()).unwrap();
    assert!(out.rejections.is_empty(), "{:?}", out.rejections);
    let crash = out.network.largest_crash;
    assert!((crash - 0.75).abs() < 0.005, "largest crash {crash}");
}

/// The horizon's sample writes only the crash statistics: the 1-day and 7-day price changes
/// (the momentum ring, which the market and observations read) are the same after it, and a
/// second sample of the same state (a horizon that falls on a snapshot) changes nothing.
#[test]
fn sampling_the_prices_leaves_momentum_alone_and_is_idempotent() {
    let config = common::small(11, 6, 2.0);
    let mut net = Network::genesis(&config, &[]);
    let mut market = common::market(&config, &net);
    let accounts = net.market_accounts.clone();
    let changes = |net: &Network| -> Vec<(u64, u64)> {
        (0..net.subnets.len())
            .map(|i| {
                let (d, w) = net.price_changes_1d_7d(i);
                (d.to_bits(), w.to_bits())
            })
            .collect()
    };
    for block in 0..BLOCKS_PER_DAY + 500 {
        if block.is_multiple_of(config.market.interval_blocks) {
            market.trade(&mut net, &accounts);
        }
        net.step_block();
        if net.block.is_multiple_of(360) || net.block == BLOCKS_PER_DAY + 500 {
            let momentum = changes(&net);
            net.record_price_extremes();
            let (peak, crash) = (
                net.subnets.peak_price.clone(),
                net.subnets.largest_crash.clone(),
            );
            net.record_price_extremes();
            assert_eq!(changes(&net), momentum, "block {}", net.block);
            assert_eq!(net.subnets.peak_price, peak);
            assert_eq!(net.subnets.largest_crash, crash);
            for i in 0..net.subnets.len() {
                assert!(net.subnets.peak_price[i] >= net.subnets.price(i));
            }
        }
    }
}

/// The meme subnets the block loop sums follow the class: a subnet that stops paying holders
/// leaves the list and its emission from then on is not meme, as in the match's mean. The
/// owner turns the meme subnet into a plain one halfway through a 144-block match: the mean
/// meme share falls to about half the peak, which the first half's blocks set.
#[test]
fn the_meme_subnets_follow_the_class() {
    let mut c = big_meme(0.02);
    let net = Network::genesis(&c, &[]);
    let meme = net.subnets.name.iter().position(|n| n == "meme").unwrap();
    assert_eq!(net.subnets.meme_subnets, vec![meme]);
    c.events = vec![EventConfig {
        block: Some(72),
        day: None,
        agent: "farmer".into(),
        action: ActionConfig::SetIncentive {
            subnet: None,
            holdings_weight: 0.0,
        },
    }];
    let out = run_match(&c, Vec::new()).unwrap();
    assert!(out.rejections.is_empty(), "{:?}", out.rejections);
    let n = out.network;
    assert!(n.peak_meme_share > 0.9, "{n:?}");
    let half = n.emission_meme_share / n.peak_meme_share;
    assert!((half - 0.5).abs() < 0.02, "{n:?}");
}
