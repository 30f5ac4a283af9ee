//! Parity with the chain's formulas: test vectors computed independently of the engine, by an
//! exact-arithmetic Python transcription of `shared/spec/dtao-mechanics.md` (Fractions for
//! emission, swaps, root proportion and injection; a plain float transcription of Yuma §6).
//! The generator is reproduced in the comment at the end of this file.

use tourney_engine::dividends::{split_by_stake_mix, validator_take, StakeMix};
use tourney_engine::ema_start::{initial_ema, EmaStart};
use tourney_engine::emission::block_emission_for_issuance;
use tourney_engine::fees::FeeRule;
use tourney_engine::hotkey_yield::dividend_yield;
use tourney_engine::injection::{inject, InjectionRule};
use tourney_engine::mechanism::{self, MechanismSpec};
use tourney_engine::pool::{Curve, Reserves, Weights};
use tourney_engine::pruning::{
    pro_rata_largest_remainder, subnet_to_prune, NETWORK_IMMUNITY_BLOCKS,
};
use tourney_engine::rates::Rates;
use tourney_engine::registration::{lock_cost, MIN_LOCK_RAO};
use tourney_engine::root_claims::{settle, RootClaim, Settled};
use tourney_engine::schedule::native_root_proportion;
use tourney_engine::state::Subnets;
use tourney_engine::units::{RAO_PER_TAO, TAO_WEIGHT};
use tourney_engine::yuma::{epoch, YumaParams};
use tourney_sdk::Mechanism;

/// The unstake fee of 2025-03-19 to 2025-06-30 (`calculate_staking_fee`,
/// `pallets/subtensor/src/staking/stake_utils.rs`, read at 2025-04-11, commit 6b86ebf):
/// fee = max(τ·D/A, τ·0.00005, 50,000 rao), τ = the TAO the alpha fetches without fee
/// (`sim_swap_alpha_for_tao`), D = the hotkey's alpha dividends to nominators at its last epoch
/// (net of take), A = the alpha staked on it then; taken off the TAO out, kept in SubnetTAO.
#[test]
fn unstake_fee_by_dividend_yield() {
    let pool = Reserves {
        tao_rao: 1_000 * RAO_PER_TAO,
        alpha_rao: 10_000 * RAO_PER_TAO,
    };
    // Sell 1,000 alpha: τ = ⌊1e12·1e12/(1e13 + 1e12)⌋ = 90,909,090,909 rao.
    // No dividends: the 0.005 % floor, ⌊90,909,090,909·5/100,000⌋ = 4,545,454 > 50,000.
    let s = pool
        .quote_sell_at(FeeRule::UnstakeYield, 1_000 * RAO_PER_TAO, 0.0)
        .unwrap();
    assert_eq!((s.fee_rao, s.received), (4_545_454, 90_904_545_455));
    // A hotkey that paid 1 alpha per 10,000 staked: ⌊90,909,090,909·0.0001⌋ = 9,090,909.
    let y = dividend_yield(1_000_000_000, 10_000_000_000_000);
    assert_eq!(y, 1e-4);
    let s = pool
        .quote_sell_at(FeeRule::UnstakeYield, 1_000 * RAO_PER_TAO, y)
        .unwrap();
    assert_eq!((s.fee_rao, s.received), (9_090_909, 90_900_000_000));
    // Sell 10 alpha: τ = ⌊1e12·1e10/(1e13 + 1e10)⌋ = 999,000,999; floor 49,950 < 50,000, so
    // the flat fee: 998,950,999 received.
    let s = pool
        .quote_sell_at(FeeRule::UnstakeYield, 10 * RAO_PER_TAO, 0.0)
        .unwrap();
    assert_eq!((s.fee_rao, s.received), (50_000, 998_950_999));
    // Stakes pay the flat fee, as at launch.
    let buy = pool
        .quote_buy_with(FeeRule::UnstakeYield, 100 * RAO_PER_TAO)
        .unwrap();
    assert_eq!(buy, pool.quote_buy(100 * RAO_PER_TAO).unwrap());
    // Liquidation value agrees with the sale.
    assert_eq!(
        pool.liquidation_value_at(FeeRule::UnstakeYield, 1_000 * RAO_PER_TAO, y),
        90_900_000_000
    );
}

/// Root claims (`pallets/subtensor/src/staking/claim_root.rs` `root_claim_on_subnet` and
/// `run_coinbase.rs` root alpha dividends, read at 2025-11-04, commit 6218ecc): a root
/// validator's alpha dividend keeps its take `⌊x·11796/65535⌋` (default delegate take), the
/// rest is claimable by its root stakers pro rata root stake; Swap sells the claim through the
/// pool without fee and stakes the TAO on root, Keep holds the alpha.
#[test]
fn root_claims_swap_or_keep() {
    // 1,000 alpha to a root validator: take ⌊1e12·11796/65535⌋ = 179,995,422,293; the rest,
    // 820,004,577,707, to stakers holding 3:1 root stake: ⌊·3/4⌋ = 615,003,433,280 and
    // ⌊·1/4⌋ = 205,001,144,426.
    let root_alpha = 1_000 * RAO_PER_TAO;
    let take = validator_take(root_alpha);
    assert_eq!(take, 179_995_422_293);
    let rest = root_alpha - take;
    assert_eq!((rest * 3 / 4, rest / 4), (615_003_433_280, 205_001_144_426));
    // Swap 41 alpha against T = 1,000 TAO, A = 10,000 alpha, no fee:
    // ⌊1e12·41e9/(1e13 + 41e9)⌋ = 4,083,258,639 rao staked on root; the pool keeps the alpha.
    let mut pool = Reserves {
        tao_rao: 1_000 * RAO_PER_TAO,
        alpha_rao: 10_000 * RAO_PER_TAO,
    };
    let s = settle(
        RootClaim::Swap,
        41 * RAO_PER_TAO,
        &mut pool,
        Curve::ConstantProduct,
    );
    assert_eq!(
        s,
        Settled {
            tao_to_root: 4_083_258_639,
            alpha_kept: 0
        }
    );
    assert_eq!(
        (pool.tao_rao, pool.alpha_rao),
        (995_916_741_361, 10_041_000_000_000)
    );
    // Keep: the alpha is held and the pool does not move.
    let before = pool;
    let k = settle(
        RootClaim::Keep,
        41 * RAO_PER_TAO,
        &mut pool,
        Curve::ConstantProduct,
    );
    assert_eq!(
        (k.tao_to_root, k.alpha_kept, pool),
        (0, 41 * RAO_PER_TAO, before)
    );
}

/// The subnet lock (`get_network_lock_cost`, `pallets/subtensor/src/coinbase/root.rs`, read at
/// 2025-09-30, commit 79010a3): `max(min_lock, 2·last − ⌊last/interval⌋·Δ)`, interval 100,800
/// blocks (14 days), min_lock 1,000 TAO.
#[test]
fn subnet_lock_cost() {
    let last = 2_000 * RAO_PER_TAO;
    // ⌊2e12/100,800⌋ = 19,841,269 rao a block. 7 days on (Δ = 50,400):
    // 4e12 − 19,841,269·50,400 = 4e12 − 999,999,957,600 = 3,000,000,042,400.
    assert_eq!(
        lock_cost(last, Some(1_000_000), 1_050_400, MIN_LOCK_RAO),
        3_000_000_042_400
    );
    // 28 days on: 4e12 − 19,841,269·201,600 = 169,600 rao, below the minimum: 1,000 TAO.
    assert_eq!(
        lock_cost(last, Some(1_000_000), 1_201_600, MIN_LOCK_RAO),
        MIN_LOCK_RAO
    );
    // Never registered: multiplier 1, and Δ counts from block 0.
    assert_eq!(lock_cost(last, None, 0, MIN_LOCK_RAO), last);
}

/// Pruning (`get_network_to_prune`, `coinbase/root.rs`, and `destroy_alpha_in_out_stakes`,
/// `staking/remove_stake.rs`, on chain since 2025-09-24, read at 2025-09-30): the lowest moving
/// price among non-immune subnets, ties to the earliest registration; the pool's TAO paid pro
/// rata stake, floors first and the rao left over one each to the largest remainders.
#[test]
fn pruning_picks_the_lowest_ema_and_pays_pro_rata() {
    let now = 2_000_000;
    // Subnet 3 is cheapest but immune (registered 10 blocks ago); 1 and 2 tie at 0.01 and 2
    // registered earlier.
    let ema = [0.02, 0.01, 0.01, 0.005];
    let registered = [0, 100, 50, now - 10];
    assert_eq!(subnet_to_prune(&ema, &registered, now), Some(2));
    // Immunity ends NETWORK_IMMUNITY_BLOCKS (1,296,000) after registration.
    let later = now - 10 + NETWORK_IMMUNITY_BLOCKS;
    assert_eq!(subnet_to_prune(&ema, &registered, later), Some(3));
    // 1,000,000,007 rao over stakes 3:2:2: floors 428,571,431, 285,714,287, 285,714,287
    // (remainders 4, 5, 5; 1,000,000,005 paid), the 2 rao left to the remainders of 5.
    assert_eq!(
        pro_rata_largest_remainder(1_000_000_007, &[3, 2, 2]),
        vec![428_571_431, 285_714_288, 285_714_288]
    );
}

#[test]
fn emission_schedule() {
    // (issuance_rao, emission_rao): halvings at 10.5M, 15.75M, 18.375M, 19.6875M TAO.
    let vectors: [(u64, u64); 11] = [
        (0, 1000000000),
        (5000000000000000, 1000000000),
        (10499999999999999, 1000000000),
        (10500000000000000, 500000000),
        (13000000000000000, 500000000),
        (15749999999999999, 500000000),
        (15750000000000000, 250000000),
        (18375000000000000, 125000000),
        (19687500000000000, 62500000),
        (20999999000000000, 59),
        (21000000000000000, 0),
    ];
    for (issuance, expected) in vectors {
        assert_eq!(
            block_emission_for_issuance(issuance),
            expected,
            "I = {issuance}"
        );
    }
}

#[test]
fn swaps() {
    // (tao_reserve, alpha_reserve, tao_in_with_fee, alpha_out)
    let buys: [(u64, u64, u64, u64); 4] = [
        (1000000000000, 10000000000000, 100000050000, 909090909090),
        (5432109876543, 123456789012345, 7000000000, 158884703160),
        (20000000, 30000000, 9000000, 9274611),
        (
            3000000000000000,
            60000000000000000,
            12345000000000,
            245888169187889,
        ),
    ];
    for (t, a, tao_in, alpha_out) in buys {
        let quote = Reserves {
            tao_rao: t,
            alpha_rao: a,
        }
        .quote_buy(tao_in)
        .unwrap();
        assert_eq!(quote.received, alpha_out, "buy {tao_in} from ({t}, {a})");
    }
    // (tao_reserve, alpha_reserve, alpha_in, tao_out_after_fee)
    let sells: [(u64, u64, u64, u64); 3] = [
        (1000000000000, 10000000000000, 1000000000000, 90909040909),
        (5432109876543, 123456789012345, 777000000000, 33974196520),
        (
            3000000000000000,
            60000000000000000,
            9999000000001,
            499866647214,
        ),
    ];
    for (t, a, alpha_in, tao_out) in sells {
        let quote = Reserves {
            tao_rao: t,
            alpha_rao: a,
        }
        .quote_sell(alpha_in)
        .unwrap();
        assert_eq!(quote.received, tao_out, "sell {alpha_in} into ({t}, {a})");
    }
}

#[test]
fn root_proportion() {
    // (root_stake_tao, alpha_issuance_tao, τw·R/(τw·R + A_i) exactly, rounded to f64)
    let vectors: [(f64, f64, f64); 5] = [
        (5500000.0, 52105.0, 0.9500002398990505),
        (5500000.0, 1000000.0, 0.49748743718592964),
        (5500000.0, 5256000.0, 0.1585014409221902),
        (1000000.0, 10.0, 0.9999444475306928),
        (0.0, 100.0, 0.0),
    ];
    let tao = RAO_PER_TAO as f64;
    for (r, a, expected) in vectors {
        let rp = native_root_proportion(TAO_WEIGHT, r * tao, a * tao);
        assert!(
            (rp - expected).abs() < 1e-14,
            "R = {r}, A = {a}: {rp} vs {expected}"
        );
    }
}

#[test]
fn injection_per_era() {
    // (rule, E_i, α_e, price, tao_in, alpha_in, chain_buy). The engine's price is f64 (the
    // chain's is U96F32), so alpha amounts derived from it may differ by one rao.
    let vectors: [(InjectionRule, u64, u64, f64, u64, u64, u64); 8] = [
        (
            InjectionRule::E1,
            50000000,
            1000000000,
            1.0 / 10.0,
            50000000,
            500000000,
            0,
        ),
        (
            InjectionRule::E1,
            500000000,
            1000000000,
            1.0 / 10.0,
            500000000,
            1000000000,
            0,
        ),
        (
            InjectionRule::E1,
            123456789,
            1000000000,
            3.0 / 4.0,
            123456789,
            164609052,
            0,
        ),
        (
            InjectionRule::E2,
            500000000,
            1000000000,
            1.0 / 10.0,
            100000000,
            1000000000,
            400000000,
        ),
        (
            InjectionRule::E2,
            20000000,
            1000000000,
            1.0 / 10.0,
            20000000,
            200000000,
            0,
        ),
        (
            InjectionRule::E3,
            500000000,
            1000000000,
            1.0 / 10.0,
            100000000,
            1000000000,
            400000000,
        ),
        (
            InjectionRule::E3,
            20000000,
            1000000000,
            1.0 / 10.0,
            20000000,
            200000000,
            0,
        ),
        (
            InjectionRule::E3,
            250000000,
            1000000000,
            1.0 / 8.0,
            125000000,
            1000000000,
            125000000,
        ),
    ];
    for (rule, e, alpha_e, price, tao_in, alpha_in, chain_buy) in vectors {
        let got = inject(rule, e, alpha_e, 0.0, price, RAO_PER_TAO);
        let close = |a: u64, b: u64| a.abs_diff(b) <= 1;
        assert!(
            close(got.tao_in, tao_in)
                && close(got.alpha_in, alpha_in)
                && close(got.chain_buy_tao, chain_buy),
            "{rule:?} E_i = {e} at p = {price}: {got:?}"
        );
        // Whatever the rounding, the emission is accounted for exactly.
        assert_eq!(got.tao_in + got.chain_buy_tao, e);
        // E2's subsidy branch (p < E_i/E; `run_coinbase`, 2025-08) is the one with a chain
        // buy in these vectors; only there the chain sells no root alpha.
        assert_eq!(
            got.subsidised,
            rule == InjectionRule::E2 && chain_buy > 0,
            "{rule:?} E_i = {e} at p = {price}"
        );
    }
}

#[test]
fn injection_e5_root_cap() {
    // (E_i, α_e, root proportion, price, tao_in, alpha_in, chain_buy): the cap is
    // ⌊root_proportion · α_e⌋ (spec §3, E5).
    let vectors: [(u64, u64, f64, f64, u64, u64, u64); 3] = [
        (
            500000000, 1000000000, 0.3, 0.1, 30000000, 300000000, 470000000,
        ),
        (20000000, 1000000000, 0.3, 0.1, 20000000, 200000000, 0),
        (
            250000000, 500000000, 0.95, 0.125, 59375000, 475000000, 190625000,
        ),
    ];
    for (e, alpha_e, rp, price, tao_in, alpha_in, chain_buy) in vectors {
        let got = inject(InjectionRule::E5RootCap, e, alpha_e, rp, price, RAO_PER_TAO);
        let close = |a: u64, b: u64| a.abs_diff(b) <= 1;
        assert!(
            close(got.tao_in, tao_in)
                && close(got.alpha_in, alpha_in)
                && close(got.chain_buy_tao, chain_buy),
            "E5 E_i = {e} at rp = {rp}, p = {price}: {got:?}"
        );
        assert_eq!(got.tao_in + got.chain_buy_tao, e);
    }
}

/// Shares under a mechanism for the given subnet state.
fn shares(mechanism: Mechanism, fill: impl FnOnce(&mut Subnets)) -> Vec<f64> {
    let mut s = Subnets::default();
    fill(&mut s);
    let mut out = vec![0.0; s.ema_price.len()];
    mechanism::build(&MechanismSpec::new(mechanism)).shares(&s, &mut out);
    out
}

#[test]
fn taoflow_net_shares() {
    // U = [5e5, 2e5, −1e5, 3e5], P = [4e5, 6e5, 1e5, −2e5] (spec §2, E4): norm = 1e6/1.1e6 =
    // 10/11; net = [1.5e6/11, −, −, 5.5e6/11] → shares [3/14, 0, 0, 11/14].
    let got = shares(Mechanism::TaoflowNet, |s| {
        s.ema_price = vec![0.1; 4];
        s.flow_ema = vec![5e5, 2e5, -1e5, 3e5];
        s.protocol_flow_ema = vec![4e5, 6e5, 1e5, -2e5];
    });
    let want = [3.0 / 14.0, 0.0, 0.0, 11.0 / 14.0];
    assert!(
        got.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-12),
        "{got:?}"
    );
}

#[test]
fn dtao_price_burn_shares() {
    // p̄ = [0.2, 0.1, 0.05], MinerBurned = [0.5, 0, 1] (spec §2, E5) → [0.1, 0.1, 0] → [½, ½, 0].
    let got = shares(Mechanism::DtaoPriceBurn, |s| {
        s.ema_price = vec![0.2, 0.1, 0.05];
        s.miner_burned = vec![0.5, 0.0, 1.0];
    });
    assert!(
        got.iter()
            .zip([0.5, 0.5, 0.0])
            .all(|(a, b)| (a - b).abs() < 1e-12),
        "{got:?}"
    );
}

#[test]
fn yuma_on_a_mixed_three_by_three() {
    let stake = [0.55, 0.30, 0.15];
    let weights = [0.7, 0.3, 0.0, 0.2, 0.5, 0.3, 0.0, 0.1, 0.9];
    let bonds = [0.5, 0.2, 0.0, 0.5, 0.8, 0.3, 0.0, 0.0, 0.7];
    let out = epoch(&stake, &weights, &bonds, 3, YumaParams::default());
    let expect = |got: &[f64], want: &[f64]| {
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    };
    expect(&out.consensus, &[0.7, 0.3, 0.0]);
    expect(
        &out.incentive,
        &[0.6223776223776223, 0.3776223776223776, 0.0],
    );
    expect(
        &out.dividends,
        &[0.42496503496503496, 0.572937062937063, 0.002097902097902098],
    );
}

#[test]
fn dividends_split_by_each_validators_stake_mix() {
    // `calculate_dividend_distribution` (pallets/subtensor/src/coinbase/run_coinbase.rs, read at
    // 2025-04-01; in this form since 2025-02-24): r_v = τw·root_v/(alpha_v + τw·root_v); the
    // alpha pool is paid ∝ d_v(1 − r_v), root's TAO ∝ d_v·r_v.
    // Validators: a community one (600 alpha, no root: r = 0), a passive-root one (τw·root = 900,
    // no alpha: r = 1), an agent (100 alpha, 1,000 root → τw·root = 180: r = 180/280 = 9/14).
    // Yuma dividends d = [0.5, 0.3, 0.2].
    // Alpha weights: 0.5, 0, 0.2·5/14 = 1/14 → Σ = 4/7: shares 7/8, 0, 1/8.
    //   8,000,000,001 · 7/8 = 7,000,000,000.875 → 7,000,000,000; · 1/8 = 1,000,000,000.125 →
    //   1,000,000,000 (1 rao left for the caller to recycle).
    // Root weights: 0, 0.3, 0.2·9/14 = 9/70 → Σ = 3/7: shares 0, 0.7, 0.3.
    //   1,000,000,003 · 0.7 = 700,000,002.1 → 700,000,002; · 0.3 = 300,000,000.9 → 300,000,000.
    let stake = [
        StakeMix {
            alpha: 600.0,
            root_weighted: 0.0,
        },
        StakeMix {
            alpha: 0.0,
            root_weighted: TAO_WEIGHT * 5_000.0,
        },
        StakeMix {
            alpha: 100.0,
            root_weighted: TAO_WEIGHT * 1_000.0,
        },
    ];
    let (mut alpha, mut tao) = (Vec::new(), Vec::new());
    split_by_stake_mix(
        &[0.5, 0.3, 0.2],
        &stake,
        8_000_000_001,
        1_000_000_003,
        &mut alpha,
        &mut tao,
    );
    assert_eq!(alpha, vec![7_000_000_000, 0, 1_000_000_000]);
    assert_eq!(tao, vec![0, 700_000_002, 300_000_000]);
    // A root validator that loses consensus (d = 0) loses its root income: the agent takes it all.
    split_by_stake_mix(
        &[0.8, 0.0, 0.2],
        &stake,
        8_000_000_001,
        1_000_000_003,
        &mut alpha,
        &mut tao,
    );
    assert_eq!(tao, vec![0, 0, 1_000_000_003]);
}

#[test]
fn moving_price_starts_at_zero_and_ramps_from_registration() {
    // `update_moving_price` (pallets/subtensor/src/coinbase/, read at 2025-04-01): the moving
    // price is 0 at launch (storage default), then p̄ ← a·min(p, 1) + (1 − a)·p̄ with
    // a = 3e-6·b/(b + 201,600), b = blocks since registration. At a constant price p,
    // p̄ = min(p, 1)·(1 − Π(1 − a_b)) ≈ min(p, 1)·(1 − exp(−Σ a_b)).
    // At launch: 0, whatever the price.
    assert_eq!(
        initial_ema(EmaStart::Zero, 0.05, 0.0, 3e6, true, &Rates::default()),
        0.0
    );
    // No ramp, ten days (72,000 blocks): Σa = 0.216, p̄ = 0.05·(1 − e^−0.216) = 0.0097132349…
    let got = initial_ema(
        EmaStart::Zero,
        0.05,
        72_000.0,
        0.0,
        false,
        &Rates::default(),
    );
    assert!((got - 0.009713234906326019).abs() < 1e-15, "{got}");
    // Ramp, registered 201,600 blocks before launch, 201,600 blocks on: Σa = 3e-6·(201,600 −
    // 201,600·ln(604,800/403,200)) = 0.6048·(1 − ln 1.5) = 0.3595747026…; at p = 0.5,
    // p̄ = 0.5·(1 − e^−0.3595747) = 0.1510134454…
    let got = initial_ema(
        EmaStart::Zero,
        0.5,
        201_600.0,
        201_600.0,
        true,
        &Rates::default(),
    );
    assert!((got - 0.15101344545334566).abs() < 1e-12, "{got}");
    // The counterfactual: the spot price, capped at 1.
    assert_eq!(
        initial_ema(EmaStart::Spot, 1.7, 72_000.0, 0.0, true, &Rates::default()),
        1.0
    );
}

#[test]
fn validator_take_by_default() {
    // `distribute_dividends_and_incentives` (2025-04-01): take = DefaultDelegateTake 11,796/65,535
    // of a hotkey's dividends. 123,456,789,012 · 11,796 / 65,535 = 22,221,656,873.2… →
    // 22,221,656,873; 1e9 · 11,796/65,535 = 179,995,422.3… → 179,995,422.
    assert_eq!(validator_take(123_456_789_012), 22_221_656_873);
    assert_eq!(validator_take(1_000_000_000), 179_995_422);
}

/// E5's Balancer pool (`pallets/swap/src/pallet/balancer.rs` `exp_scaled`,
/// `update_weights_for_added_liquidity`; `swap_step.rs` `convert_deltas`; on chain from
/// 2026-06-25, read at 2026-06-30). Vectors from the chain's formula in 90-digit decimal
/// arithmetic (generator at the end of this file): `E = ⌊(x/(x+Δ))^(w_in/w_out)·10^18⌋`,
/// `ε = ⌊E·2^64/10^18⌋`, `out = ⌊R_out·(2^64 − ε)/2^64⌋`.
#[test]
fn balancer_weighted_pool() {
    // T = 1,100 TAO, A = 10,000 TAO, w_τ = 523,809,523,809,523,809 (the weights after 100 TAO
    // alone was injected into T = 1,000, A = 10,000 at ½: price (w_α/w_τ)·T/A = 0.1).
    let w = Weights::from_quote_parts(523_809_523_809_523_809).unwrap();
    let pool = Reserves {
        tao_rao: 1_100 * RAO_PER_TAO,
        alpha_rao: 10_000 * RAO_PER_TAO,
    };
    assert!((pool.price_on(Curve::Weighted(w)) - 0.1).abs() < 1e-15);
    // Sell 100 alpha: e = (10,000/10,100)^(w_α/w_τ) = 0.990995034439547784255…,
    // E = 990,995,034,439,547,784, ε = 18,280,631,778,623,321,089, out = 9,905,462,116 rao.
    let mut sold = pool;
    assert_eq!(
        sold.protocol_sell_on(Curve::Weighted(w), 100 * RAO_PER_TAO),
        9_905_462_116
    );
    // Buy with 10 TAO: e = (1,100/1,110)^(w_τ/w_α) = 0.990094566130030121866…,
    // E = 990,094,566,130,030,121, ε = 18,264,021,070,171,162,881, out = 99,054,338,699 rao.
    let mut bought = pool;
    assert_eq!(
        bought.protocol_buy_on(Curve::Weighted(w), 10 * RAO_PER_TAO),
        99_054_338_699
    );
    // w_τ = 0.6 (reduced exponents 2/3 and 3/2: the chain's exact-root path), T = 6,000,
    // A = 10,000: price 0.4. Sell 1,000 alpha: e = (10/11)^(2/3) = 0.938436468596697417466…,
    // out = 369,381,188,419 rao (the constant-product pool would pay 545,454,545,454).
    let w = Weights::from_quote_parts(600_000_000_000_000_000).unwrap();
    let pool = Reserves {
        tao_rao: 6_000 * RAO_PER_TAO,
        alpha_rao: 10_000 * RAO_PER_TAO,
    };
    assert!((pool.price_on(Curve::Weighted(w)) - 0.4).abs() < 1e-15);
    let mut sold = pool;
    assert_eq!(
        sold.protocol_sell_on(Curve::Weighted(w), 1_000 * RAO_PER_TAO),
        369_381_188_419
    );
    // Buy with 600 TAO: e = (6,000/6,600)^(3/2) = 0.866784172041447559497…,
    // out = 1,332,158,279,585 rao.
    let mut bought = pool;
    assert_eq!(
        bought.protocol_buy_on(Curve::Weighted(w), 600 * RAO_PER_TAO),
        1_332_158_279_585
    );
    // Injection re-solves the weights (`update_weights_for_added_liquidity`): 100 TAO alone
    // into T = 1,000, A = 10,000 at ½: q1 = ½·10^12·10^13, q2 = ½·10^13·1.1·10^12,
    // w_τ' = ⌊q2·10^18/(q1 + q2)⌋ = ⌊10^18·11/21⌋ = 523,809,523,809,523,809.
    let after = Weights::default()
        .after_injection(
            1_000 * RAO_PER_TAO,
            10_000 * RAO_PER_TAO,
            100 * RAO_PER_TAO,
            0,
        )
        .unwrap();
    assert_eq!(after.quote_parts(), 523_809_523_809_523_809);
}

// The generator (Python 3, `from fractions import Fraction as F`):
//
//   def emission(I):            # spec §1
//       if I >= S: return 0
//       r = F(S, S - I); k = 0
//       while F(2) ** (k + 1) <= r: k += 1
//       return TAO // 2 ** k
//   def buy(T, A, d):           # spec §4, flat fee 50,000 rao
//       k = T * A; return A - ceil(k / (T + d - 50_000))
//   def sell(T, A, d):
//       k = T * A; return T - ceil(k / (A + d)) - 50_000
//   rp = F(18, 100) * R / (F(18, 100) * R + A)      # spec §5
//   E1: (E, min(floor(E / p), α_e), 0)              # spec §3
//   E2: if p < E / E_block: (floor(p α_e), α_e, E − floor(p α_e)) else E1
//   E3: w = floor(E / p); (E, w, 0) if w ≤ α_e else (floor(α_e p), α_e, E − floor(α_e p))
//   E5: as E3 with cap = floor(rp · α_e) in place of α_e
//   E4 and E5 shares are exact fractions worked in the tests' comments.
//   Yuma: normalise S and rows of W; C_j = weight at which cumulative stake (sorted by
//   weight, descending) first reaches ½; W̄ = min(W, C); I ∝ S·W̄; ΔB = W̄·S column-normalised;
//   B = 0.1 ΔB + 0.9 B_old column-normalised; D ∝ B·I.
//
//   Balancer (E5), `from decimal import Decimal as D, getcontext; getcontext().prec = 90`:
//   def out(R, x, dx, w_in, w_out):
//       E = min(floor((D(x) / D(x + dx)) ** (D(w_in) / D(w_out)) * 10**18), 10**18)
//       eps = min((E << 64) // 10**18, 1 << 64)
//       return (R * ((1 << 64) - eps)) >> 64
//   sell: out(T, A, Δα, w_α, w_τ); buy: out(A, T, Δτ, w_τ, w_α)
