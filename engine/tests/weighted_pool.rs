//! E5's Balancer pool in the network: which matches trade on it, and injection leaving its
//! price where it was (`adjust_protocol_liquidity`, on chain from 2026-06-25).

mod common;

use tourney_engine::pool::{Curve, Reserves, Weights};
use tourney_engine::state::Subnets;
use tourney_engine::units::RAO_PER_TAO as TAO;
use tourney_engine::Network;

#[test]
fn only_e5_matches_trade_on_weighted_pools() {
    for mechanism in tourney_sdk::Mechanism::ALL {
        let mut config = common::small(3, 4, 2.0);
        config.mechanism = mechanism;
        let mut net = Network::genesis(&config, &[]);
        let weighted = mechanism == tourney_sdk::Mechanism::DtaoPriceBurn;
        let s = &net.subnets;
        assert_eq!(s.pool_weights.len(), if weighted { s.len() } else { 0 });
        for i in 0..s.len() {
            match s.curve(i) {
                Curve::ConstantProduct => assert_eq!(s.price_factor[i], 1.0),
                // The migration's weights keep the constant-product price to 1e-12.
                Curve::Weighted(w) => {
                    assert!(weighted);
                    assert!((w.price_factor() - 1.0).abs() < 1e-12);
                    assert_eq!(s.price_factor[i], w.price_factor());
                }
            }
        }
        // Two days of blocks: weights stay in range and in step with the price factors.
        while net.block < 2 * 7_200 {
            net.step_block();
        }
        let s = &net.subnets;
        for (i, w) in s.pool_weights.iter().enumerate() {
            assert!(Weights::from_quote_parts(w.quote_parts()).is_some());
            assert_eq!(s.price_factor[i], w.price_factor());
            assert_eq!(s.price(i), s.reserves[i].price_on(s.curve(i)));
        }
    }
}

#[test]
fn injection_re_solves_the_weights_and_keeps_the_price() {
    // Three pools at w_τ = ½, 0.4 and 0.7; inject at the pool price (E3–E5), TAO alone (E1's
    // capped case) and alpha alone.
    let reserves = [
        Reserves {
            tao_rao: 1_000 * TAO,
            alpha_rao: 10_000 * TAO,
        },
        Reserves {
            tao_rao: 52_000 * TAO,
            alpha_rao: 90_000 * TAO,
        },
        Reserves {
            tao_rao: 7 * TAO,
            alpha_rao: 300 * TAO,
        },
    ];
    let weights = [
        500_000_000_000_000_000,
        400_000_000_000_000_000,
        700_000_000_000_000_000,
    ]
    .map(|q| Weights::from_quote_parts(q).unwrap());
    let mut s = Subnets {
        reserves: reserves.to_vec(),
        pool_weights: weights.to_vec(),
        price_factor: weights.iter().map(|w| w.price_factor()).collect(),
        ..Subnets::default()
    };
    let before: Vec<f64> = (0..3).map(|i| s.price(i)).collect();
    // Subnet 0 at its price 0.1: 1 TAO and 10 alpha; subnet 1: 5 TAO alone; subnet 2: 2 alpha.
    let injected = [(TAO, 10 * TAO), (5 * TAO, 0), (0, 2 * TAO)];
    for (r, (t, a)) in s.reserves.iter_mut().zip(injected) {
        r.tao_rao += t;
        r.alpha_rao += a;
    }
    s.resolve_weights_after_injection(&reserves);
    for (i, &was) in before.iter().enumerate() {
        let after = s.price(i);
        assert!(
            ((after - was) / was).abs() < 1e-15,
            "subnet {i}: {was} → {after}"
        );
        assert_eq!(s.price_factor[i], s.pool_weights[i].price_factor());
    }
    // At equal weights an injection in proportion to the reserves leaves them equal; TAO alone
    // raises the TAO weight, alpha alone lowers it.
    assert_eq!(s.pool_weights[0], weights[0]);
    assert!(s.pool_weights[1].quote_parts() > weights[1].quote_parts());
    assert!(s.pool_weights[2].quote_parts() < weights[2].quote_parts());
}
