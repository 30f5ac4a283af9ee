//! Parity with the chain's formulas: test vectors computed independently of the engine, by an
//! exact-arithmetic Python transcription of `shared/spec/dtao-mechanics.md` (Fractions for
//! emission, swaps, root proportion and injection; a plain float transcription of Yuma §6).
//! The generator is reproduced in the comment at the end of this file.

use tourney_engine::emission::block_emission_for_issuance;
use tourney_engine::injection::{inject, InjectionRule};
use tourney_engine::mechanism::{self, MechanismSpec};
use tourney_engine::pool::Reserves;
use tourney_engine::schedule::native_root_proportion;
use tourney_engine::state::Subnets;
use tourney_engine::units::{RAO_PER_TAO, TAO_WEIGHT};
use tourney_engine::yuma::{epoch, YumaParams};
use tourney_sdk::Mechanism;

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
