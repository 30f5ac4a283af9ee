//! The chain's per-block rates as mechanism fields (`engine/src/rates.rs`, `docs/search.md`):
//! written as the chain's values they play the match bit for bit as left out; other values
//! change exactly what they name, and are refused out of range with the field's name.

mod common;

use tourney_engine::network::Network;
use tourney_engine::runner::run_match;
use tourney_engine::MatchConfig;
use tourney_sdk::Mechanism;

#[test]
fn the_chains_rates_written_out_play_the_same_match_bit_for_bit() {
    for mechanism in [
        Mechanism::DtaoPrice,
        Mechanism::Taoflow,
        Mechanism::Objective,
    ] {
        let mut a = common::with_meme(common::small(5, 4, 2.0), 100.0);
        a.mechanism = mechanism;
        let mut b = a.clone();
        (b.ema_price_rate, b.ema_ramp_blocks) = (3e-6, 201_600.0);
        (b.flow_ema_rate, b.injection_cap) = (3.209e-6, 1.0);
        (b.objective_price_weight, b.objective_flow_weight) = (0.0, 0.0);
        let (ra, rb) = (
            run_match(&a, vec![]).unwrap(),
            run_match(&b, vec![]).unwrap(),
        );
        assert_eq!(format!("{ra:?}"), format!("{rb:?}"), "{mechanism:?}");
    }
}

/// Two networks from `base` and `changed`, stepped `blocks` blocks.
fn step_both(base: &MatchConfig, changed: &MatchConfig, blocks: usize) -> (Network, Network) {
    let (mut a, mut b) = (Network::genesis(base, &[]), Network::genesis(changed, &[]));
    for _ in 0..blocks {
        a.step_block();
        b.step_block();
    }
    (a, b)
}

#[test]
fn a_faster_ema_rate_moves_the_moving_price_further_each_block() {
    // With the ramp off the rate is the base rate itself: one block from p̄₀ at spot price p
    // gives p̄₁ = a·min(p, 1) + (1 − a)·p̄₀. Ten times the rate moves p̄ ten times as far
    // (to first order) toward the price, from the same start.
    let mut base = common::small(9, 3, 1.0);
    base.ema_ramp = false;
    let mut fast = base.clone();
    fast.ema_price_rate = 3e-5;
    let (a0, b0) = (Network::genesis(&base, &[]), Network::genesis(&fast, &[]));
    let (a, b) = step_both(&base, &fast, 1);
    for i in 0..a.subnets.ema_price.len() {
        let p = a.subnets.reserves[i].price().min(1.0);
        let want = 3e-6 * p + (1.0 - 3e-6) * a0.subnets.ema_price[i];
        assert!(
            (a.subnets.ema_price[i] - want).abs() <= 1e-15 * want.max(1e-9),
            "{i}"
        );
        let p = b.subnets.reserves[i].price().min(1.0);
        let want = 3e-5 * p + (1.0 - 3e-5) * b0.subnets.ema_price[i];
        assert!(
            (b.subnets.ema_price[i] - want).abs() <= 1e-15 * want.max(1e-9),
            "{i}"
        );
    }
}

#[test]
fn a_zero_injection_cap_turns_all_of_e3s_emission_into_chain_buys() {
    // E3 (taoflow): alpha_in = min(E_i/p, cap·α_e). At cap 0 no alpha and no TAO go in at the
    // price: tao_in = 0·p = 0, and all of E_i buys alpha for the chain, which is burned: the
    // burned alpha grows faster than under the chain's cap.
    let mut base = common::small(4, 3, 1.0);
    base.mechanism = Mechanism::Taoflow;
    let mut capped = base.clone();
    capped.injection_cap = 0.0;
    let (a, b) = step_both(&base, &capped, 20);
    let burned = |n: &Network| n.subnets.alpha_burned.iter().sum::<u64>();
    assert!(burned(&b) > burned(&a), "{} vs {}", burned(&b), burned(&a));
    b.check_conservation().unwrap();
}

#[test]
fn the_flow_ema_rate_reaches_the_flow_ema() {
    // The same match at another flow rate: every subnet's flow EMA moved differently from the
    // same start (the step itself, S ← S + f·(F − S), is checked by hand in the kernel's tests).
    let base = common::small(2, 3, 1.0);
    let mut slow = base.clone();
    slow.flow_ema_rate = 1e-7;
    let (a, b) = step_both(&base, &slow, 100);
    let differs = (0..a.subnets.flow_ema.len())
        .filter(|&i| a.subnets.flow_ema[i] != b.subnets.flow_ema[i])
        .count();
    assert_eq!(differs, a.subnets.flow_ema.len());
}

#[test]
fn out_of_range_rates_are_refused_naming_the_field() {
    let base = common::small(1, 2, 1.0);
    for (field, config) in [
        (
            "ema_price_rate",
            MatchConfig {
                ema_price_rate: 0.0,
                ..base.clone()
            },
        ),
        (
            "ema_ramp_blocks",
            MatchConfig {
                ema_ramp_blocks: -1.0,
                ..base.clone()
            },
        ),
        (
            "flow_ema_rate",
            MatchConfig {
                flow_ema_rate: 2.0,
                ..base.clone()
            },
        ),
        (
            "injection_cap",
            MatchConfig {
                injection_cap: f64::INFINITY,
                ..base.clone()
            },
        ),
        (
            "objective_flow_weight",
            MatchConfig {
                objective_price_weight: 0.7,
                objective_flow_weight: 0.7,
                ..base.clone()
            },
        ),
    ] {
        let e = config.validate().unwrap_err();
        assert_eq!(e.field, field, "{e}");
    }
}
