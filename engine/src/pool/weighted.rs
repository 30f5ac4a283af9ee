//! The Balancer weighted pool of E5 (`dtao-price-burn`): on chain from 2026-06-25
//! (`pallets/swap/src/pallet/balancer.rs`, `swap_step.rs`, `impls.rs`, read at 2026-06-30).
//!
//! x = alpha reserve, y = TAO reserve, weights w_α + w_τ = 1, each at least 0.01. Only the TAO
//! weight is stored, in the chain's `Perquintill` parts (10^18 = 1). Price `(w_α/w_τ)·(y/x)`.
//! A swap pays out `R_out·(1 − e)` with `e = (x_in/(x_in + Δ))^(w_in/w_out)`.
//!
//! The chain computes `e` as `E = ⌊e·10^18⌋` (an exact integer root for small rational
//! exponents, otherwise a 256-bit fixed-point log/exp: the same floor but for values within
//! ~2^-200 of an integer), then in `U64F64` fixed point `ε = ⌊E·2^64/10^18⌋` (capped at 2^64) and
//! `out = ⌊R_out·(2^64 − ε)/2^64⌋`. We reproduce that in integers: `E` from an `f64` estimate
//! with a proven error bound when the bound pins the output (almost always), else from a
//! 224-bit computation ([`super::weighted_pow`]); small rational exponents are checked
//! exactly as the chain's root is. The weights are re-solved at each injection exactly as
//! `update_weights_for_added_liquidity` does (integer arithmetic with the chain's roundings),
//! so injection does not move the price.
//!
//! Because `E` is floored, the chain's output is at least `⌊R_out·(1 − e)⌋`: it may round up by
//! one rao in the trader's favour (the constant-product pool rounds down).

use super::weighted_pow::pow_floor_precise;
use crate::units::Rao;

/// 1.0 in the chain's `Perquintill` weights.
pub const WEIGHT_ONE: u64 = 1_000_000_000_000_000_000;
/// The smallest weight either side may have (0.01).
pub const MIN_WEIGHT: u64 = WEIGHT_ONE / 100;
const HALF: u64 = WEIGHT_ONE / 2;

/// A weighted pool's weights: the TAO (quote) weight in parts of 10^18; alpha's is the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    quote: u64,
}

impl Default for Weights {
    /// ½ each: a new pool's weights, and the migration's fallback.
    fn default() -> Self {
        Weights { quote: HALF }
    }
}

impl Weights {
    /// Weights with this TAO weight, if both weights are at least [`MIN_WEIGHT`].
    pub fn from_quote_parts(quote: u64) -> Option<Weights> {
        (MIN_WEIGHT..=WEIGHT_ONE - MIN_WEIGHT)
            .contains(&quote)
            .then_some(Weights { quote })
    }

    /// w_τ in parts of 10^18.
    pub fn quote_parts(self) -> u64 {
        self.quote
    }

    /// w_α = 1 − w_τ in parts of 10^18.
    pub fn base_parts(self) -> u64 {
        WEIGHT_ONE - self.quote
    }

    /// `w_α/w_τ`: the factor by which the pool's price differs from `T/A` (1 at equal weights).
    pub fn price_factor(self) -> f64 {
        self.base_parts() as f64 / self.quote as f64
    }

    /// The weights that give a pool with these reserves the price `T/A` of the constant-product
    /// (Uniswap-v3, protocol liquidity only) pool it replaces: the chain's migration
    /// (`migrate_swapv3_to_balancer` → `maybe_initialize_palswap`) computes
    /// `w_τ = y/(p·x + y)` with `p` the v3 price in `U64F64`, `p·x` as `⌊p⌋·x + ⌊x·frac(p)⌋`,
    /// and the `Perquintill` rounded down; weights out of range fall back to ½.
    pub fn from_constant_product(tao: Rao, alpha: Rao) -> Weights {
        if alpha == 0 {
            return Weights::default();
        }
        // p = T/A in U64F64 bits (T < 2^64, so T·2^64 fits in u128).
        let price_bits = ((tao as u128) << 64) / alpha as u128;
        let px_high = (price_bits >> 64) * alpha as u128;
        let px_low = (alpha as u128 * (price_bits & u64::MAX as u128)) >> 64;
        let px_plus_y = px_high + px_low + tao as u128;
        if px_plus_y == 0 {
            return Weights::default();
        }
        Weights::from_quote_parts(perquintill_floor(tao as u128, px_plus_y)).unwrap_or_default()
    }

    /// The weights after `tao_in` and `alpha_in` are added to reserves `tao`, `alpha`, re-solved
    /// so the price does not move (`update_weights_for_added_liquidity`): with
    /// `q1 = round(w_α·T·(A + α_in))` and `q2 = round(w_τ·A·(T + τ_in))` (each rounded to the
    /// nearest integer), `w_τ' = ⌊q2·10^18/(q1 + q2)⌋` (½ when both are 0). `None` when `w_τ'`
    /// leaves `[0.01, 0.99]`: the chain then refuses the injection (see `docs/mechanisms.md`).
    pub fn after_injection(
        self,
        tao: Rao,
        alpha: Rao,
        tao_in: Rao,
        alpha_in: Rao,
    ) -> Option<Weights> {
        let (t, a) = (tao as u128, alpha as u128);
        let q1 = mul_parts_round(self.base_parts(), t.saturating_mul(a + alpha_in as u128));
        let q2 = mul_parts_round(self.quote, a.saturating_mul(t + tao_in as u128));
        let sum = q1.saturating_add(q2);
        let quote = if sum == 0 {
            HALF
        } else {
            perquintill_floor(q2, sum)
        };
        Weights::from_quote_parts(quote)
    }

    /// TAO out for `alpha_in` alpha sold into reserves `tao`, `alpha`, no fee:
    /// `T·(1 − (A/(A + Δα))^(w_α/w_τ))` with the chain's roundings.
    #[inline]
    pub fn tao_out(self, tao: Rao, alpha: Rao, alpha_in: Rao) -> Rao {
        weighted_out(tao, alpha, alpha_in, self.base_parts(), self.quote)
    }

    /// Alpha out for `tao_in` TAO into reserves `tao`, `alpha`, no fee:
    /// `A·(1 − (T/(T + Δτ))^(w_τ/w_α))` with the chain's roundings.
    #[inline]
    pub fn alpha_out(self, tao: Rao, alpha: Rao, tao_in: Rao) -> Rao {
        weighted_out(alpha, tao, tao_in, self.quote, self.base_parts())
    }
}

/// `round(value·parts/10^18)` to the nearest integer, halves up (`mul_perquintill_round`),
/// exactly: `value·parts` has up to 192 bits, divided limb by limb.
fn mul_parts_round(parts: u64, value: u128) -> u128 {
    const D: u128 = WEIGHT_ONE as u128;
    let (hi, lo) = (value >> 64, value & u64::MAX as u128);
    // value·parts + D/2 = (hi·parts)·2^64 + (lo·parts + D/2); both terms below 2^125.
    let upper = hi * parts as u128;
    let lower = lo * parts as u128 + D / 2;
    let (q_upper, r_upper) = div_rem_by_weight_one(upper);
    // r_upper < 2^60, so r_upper·2^64 + lower < 2^125.
    let rest = ((r_upper as u128) << 64) + lower;
    (q_upper << 64) + div_rem_by_weight_one(rest).0
}

/// A `u128` as `f64` from its two halves (the runtime's 128-bit conversions are slow library
/// calls; this is within a relative 2^-52 of the value).
#[inline]
fn approx_f64(n: u128) -> f64 {
    (n >> 64) as u64 as f64 * TWO_POW_64 + n as u64 as f64
}

/// An `i128` as `f64`, the same way (`r = hi·2^64 + lo`, `hi` signed).
#[inline]
fn approx_f64_signed(r: i128) -> f64 {
    (r >> 64) as i64 as f64 * TWO_POW_64 + r as u64 as f64
}

const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// `(⌊n/10^18⌋, n mod 10^18)`: a division by a constant, which the compiler turns into
/// multiplications.
#[inline]
fn div_rem_by_weight_one(n: u128) -> (u128, u64) {
    const D: u128 = WEIGHT_ONE as u128;
    (n / D, (n % D) as u64)
}

/// `⌊p·10^18/q⌋` for `p ≤ q`, `q > 0` (`Perquintill::from_rational`, which rounds down),
/// exactly: an `f64` estimate (within ~500 of the quotient) corrected by the remainder, which
/// is small enough to compute mod 2^128.
pub(crate) fn perquintill_floor(p: u128, q: u128) -> u64 {
    debug_assert!(q > 0 && p <= q);
    if p >= q {
        return WEIGHT_ONE;
    }
    // Keep q below 2^100 so the remainder (|r| < 600·q) fits in i128; reserves below 2^50
    // rao never need the shift (q ≤ T·A < 2^100), larger ones lose their lowest bits here.
    let shift = (128 - q.leading_zeros()).saturating_sub(100);
    let (p, q) = (p >> shift, (q >> shift).max(1));
    let q_f = approx_f64(q);
    let estimate = ((approx_f64(p) / q_f) * WEIGHT_ONE as f64) as u64;
    let mut remainder = (p.wrapping_mul(WEIGHT_ONE as u128))
        .wrapping_sub((estimate as u128).wrapping_mul(q)) as i128;
    // remainder/q is within ~600 of 0: an f64 step (truncated), then at most a unit each way.
    let q = q as i128;
    let k = (approx_f64_signed(remainder) / q_f) as i64 as i128;
    let mut quotient = estimate as i128 + k;
    remainder -= k * q;
    while remainder < 0 {
        quotient -= 1;
        remainder += q;
    }
    while remainder >= q {
        quotient += 1;
        remainder -= q;
    }
    quotient.clamp(0, WEIGHT_ONE as i128) as u64
}

/// The chain's swap output `⌊R_out·(2^64 − ε)/2^64⌋`, `ε = min(⌊E·2^64/10^18⌋, 2^64)`, for
/// `E = ⌊(x/(x + dx))^(w_in/w_out)·10^18⌋`.
#[inline]
fn weighted_out(out_reserve: Rao, x: Rao, dx: Rao, w_in: u64, w_out: u64) -> Rao {
    if dx == 0 {
        return 0;
    }
    let den = x.saturating_add(dx);
    if x == 0 {
        return out_reserve;
    }
    if w_in == w_out {
        // Exponent 1: E = ⌊x·10^18/(x + dx)⌋ exactly (x·10^18 < 2^124).
        let e = (x as u128 * WEIGHT_ONE as u128 / den as u128) as u64;
        return out_for_scaled_power(out_reserve, e);
    }
    let (e_low, e_high) = scaled_power_bounds(x, dx, w_in, w_out);
    let out_low = out_for_scaled_power(out_reserve, e_high);
    let out_high = out_for_scaled_power(out_reserve, e_low);
    if out_low == out_high {
        return out_low;
    }
    out_for_scaled_power(out_reserve, pow_floor_precise(x, den, w_in, w_out))
}

/// `⌊R·(2^64 − ε)/2^64⌋` with `ε = min(⌊e·2^64/10^18⌋, 2^64)`: the chain's `U64F64` steps
/// (`e` as a fraction, capped at 1, `R·(1 − e)` truncated).
#[inline]
fn out_for_scaled_power(reserve: Rao, e: u64) -> Rao {
    let eps = div_rem_by_weight_one((e as u128) << 64).0.min(1 << 64);
    ((reserve as u128 * ((1u128 << 64) - eps)) >> 64) as Rao
}

/// Relative error bound of the `f64` estimate of `1 − e`: `ln_1p`, `exp_m1`, the weight ratio
/// and the two conversions each add at most a few ulps (`x·e^x/(1 − e^x) ≤ 1` keeps the
/// exponential from amplifying them); 1e-13 is ~450 ulps, a wide margin for any libm.
const ESTIMATE_RELATIVE_ERROR: f64 = 1e-13;

/// Bounds `[E_lo, E_hi]` on `E = ⌊(x/(x + dx))^(w_in/w_out)·10^18⌋` from `f64`:
/// `1 − e = −expm1((w_in/w_out)·(−ln_1p(dx/x)))`, accurate to a small relative error, and
/// `E = 10^18 − ⌈(1 − e)·10^18⌉`.
#[inline]
fn scaled_power_bounds(x: Rao, dx: Rao, w_in: u64, w_out: u64) -> (u64, u64) {
    let ln = -(dx as f64 / x as f64).ln_1p();
    let complement = -(ln * (w_in as f64 / w_out as f64)).exp_m1();
    let scaled = complement * WEIGHT_ONE as f64;
    let low = scaled * (1.0 - ESTIMATE_RELATIVE_ERROR) - 1.0;
    let high = scaled * (1.0 + ESTIMATE_RELATIVE_ERROR) + 1.0;
    let one = WEIGHT_ONE as f64;
    // `as u64` saturates: a negative low bound counts as 0, a high one past 10^18 as 10^18.
    let ceil_low = (low.ceil().clamp(0.0, one)) as u64;
    let ceil_high = (high.ceil().clamp(0.0, one)) as u64;
    (WEIGHT_ONE - ceil_high, WEIGHT_ONE - ceil_low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::RAO_PER_TAO as TAO;

    #[test]
    fn equal_weights_trade_as_the_constant_product_pool_up_to_the_chains_rounding() {
        // w = ½: e = A/(A + Δα), so out = T·Δα/(A + Δα) before rounding. T = 1,000 TAO,
        // A = 10,000 TAO, sell 1,000 alpha: e = ⌊10^13·10^18/1.1·10^13⌋ = 909,090,909,090,909,090;
        // ε = ⌊e·2^64/10^18⌋; out = ⌊10^12·(2^64 − ε)/2^64⌋ = 90,909,090,909 (the constant-product
        // ⌊10^12·10^12/(1.1·10^13)⌋ = 90,909,090,909 too).
        let w = Weights::default();
        assert_eq!(
            w.tao_out(1_000 * TAO, 10_000 * TAO, 1_000 * TAO),
            90_909_090_909
        );
        // Where the exact quotient is an integer the chain's floors round up by one:
        // T = 3, A = 1, Δα = 2 → 3·2/3 = 2 exactly; e = ⌊10^18/3⌋ = 333…333, ε < 2^64/3, so
        // 3·(2^64 − ε)/2^64 is just above 2: out 2 (and equal to the constant product here).
        assert_eq!(w.tao_out(3, 1, 2), 2);
    }

    #[test]
    fn migration_weights_keep_the_constant_product_price() {
        // T = 1,000 TAO, A = 10,000 TAO: p = 0.1 in U64F64 is ⌊2^64/10⌋/2^64, so
        // p·x = ⌊10^13·⌊2^64/10⌋/2^64⌋ = 999,999,999,999 (one below T): w_τ = ⌊T·10^18/(T + px)⌋
        // = ⌊10^12·10^18/1,999,999,999,999⌋ = 500,000,000,000,250,000.
        let w = Weights::from_constant_product(1_000 * TAO, 10_000 * TAO);
        assert_eq!(w.quote_parts(), 500_000_000_000_250_000);
        assert!((w.price_factor() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn injection_at_the_price_keeps_the_weights_and_off_price_moves_them() {
        // Injecting 10 TAO and 100 alpha into T = 1,000, A = 10,000 at w = ½:
        // q1 = round(½·10^12·1.01·10^13) = q2 = round(½·10^13·1.01·10^12) → w_τ' = ½ exactly.
        let w = Weights::default();
        let after = w
            .after_injection(1_000 * TAO, 10_000 * TAO, 10 * TAO, 100 * TAO)
            .unwrap();
        assert_eq!(after, w);
        // TAO only (E1's capped injection): 100 TAO into T = 1,000, A = 10,000:
        // q1 = ½·10^12·10^13 = 5·10^24, q2 = ½·10^13·1.1·10^12 = 5.5·10^24,
        // w_τ' = ⌊5.5/10.5·10^18⌋ = 523,809,523,809,523,809; price = (w_α/w_τ)·1,100/10,000
        // = (10/11)·0.11 = 0.1: unchanged.
        let after = w
            .after_injection(1_000 * TAO, 10_000 * TAO, 100 * TAO, 0)
            .unwrap();
        assert_eq!(after.quote_parts(), 523_809_523_809_523_809);
        let price = after.price_factor() * 1_100.0 / 10_000.0;
        assert!((price - 0.1).abs() < 1e-15, "{price}");
        // Weights past 0.99 are refused.
        assert_eq!(w.after_injection(TAO, 1_000 * TAO, 1_000 * TAO, 0), None);
    }

    #[test]
    fn perquintill_floor_is_exact() {
        assert_eq!(perquintill_floor(1, 3), 333_333_333_333_333_333);
        assert_eq!(perquintill_floor(2, 3), 666_666_666_666_666_666);
        assert_eq!(perquintill_floor(5, 5), WEIGHT_ONE);
        let q = (1u128 << 99) + 12_345;
        let p = q / 7;
        // ⌊p·10^18/q⌋ by 256-bit-free reasoning: p/q just below 1/7 → 142,857,142,857,142,857.
        assert_eq!(perquintill_floor(p, q), 142_857_142_857_142_857);
    }

    proptest::proptest! {
        #[test]
        fn division_by_weight_one_is_exact(n in 0u128..1 << 125) {
            let (q, r) = div_rem_by_weight_one(n);
            proptest::prop_assert_eq!((q, r as u128), (n / WEIGHT_ONE as u128, n % WEIGHT_ONE as u128));
        }

        #[test]
        fn perquintill_floor_matches_division(q in 1u128..1 << 100, f in 0.0f64..=1.0) {
            let p = ((q as f64 * f) as u128).min(q);
            let want = (p * WEIGHT_ONE as u128 / q) as u64;
            // p·10^18 overflows u128 past 2^68; check there by the defining inequalities.
            if p < 1 << 60 {
                proptest::prop_assert_eq!(perquintill_floor(p, q), want);
            }
            let got = perquintill_floor(p, q) as u128;
            let (lo, hi) = (num_bigint::BigUint::from(got) * q, num_bigint::BigUint::from(got + 1) * q);
            let target = num_bigint::BigUint::from(p) * WEIGHT_ONE;
            proptest::prop_assert!(lo <= target && (got == WEIGHT_ONE as u128 || target < hi));
        }

        #[test]
        fn mul_parts_round_matches_big_arithmetic(parts in 0u64..=WEIGHT_ONE, value in 0u128..1 << 112) {
            let big = (num_bigint::BigUint::from(value) * parts + WEIGHT_ONE / 2) / WEIGHT_ONE;
            proptest::prop_assert_eq!(num_bigint::BigUint::from(mul_parts_round(parts, value)), big);
        }
    }

    #[test]
    fn mul_parts_round_is_exact() {
        // 3·(10^18/4)/10^18 = 0.75 → 1; 2·¼ = 0.5 → 1 (halves up); 1·¼ → 0.
        assert_eq!(mul_parts_round(WEIGHT_ONE / 4, 3), 1);
        assert_eq!(mul_parts_round(WEIGHT_ONE / 4, 2), 1);
        assert_eq!(mul_parts_round(WEIGHT_ONE / 4, 1), 0);
        // A value past 2^64: (2^100)·½ = 2^99 exactly.
        assert_eq!(mul_parts_round(HALF, 1 << 100), 1 << 99);
    }

    proptest::proptest! {
        /// The fast path's output equals the 224-bit path's whenever it claims to know it.
        #[test]
        fn fast_path_agrees_with_the_precise_path(
            x in 10_000_000u64..10_000_000 * TAO,
            y in 10_000_000u64..10_000_000 * TAO,
            dx in 1u64..1_000_000 * TAO,
            quote in MIN_WEIGHT..=WEIGHT_ONE - MIN_WEIGHT,
        ) {
            let w_in = WEIGHT_ONE - quote;
            let precise = out_for_scaled_power(y, pow_floor_precise(x, x + dx, w_in, quote));
            proptest::prop_assert_eq!(weighted_out(y, x, dx, w_in, quote), precise);
            let (lo, hi) = scaled_power_bounds(x, dx, w_in, quote);
            let e = pow_floor_precise(x, x + dx, w_in, quote);
            proptest::prop_assert!(lo <= e && e <= hi, "{} not in [{}, {}]", e, lo, hi);
        }

        /// Injection re-solves the weights so the price stays within the rounding of the
        /// 10^18-part weights.
        #[test]
        fn injection_keeps_the_price(
            t in 1_000 * TAO..1_000_000 * TAO,
            a in 1_000 * TAO..10_000_000 * TAO,
            tao_in in 0u64..10 * TAO,
            alpha_in in 0u64..10 * TAO,
            quote in 30 * MIN_WEIGHT..=70 * MIN_WEIGHT,
        ) {
            let w = Weights::from_quote_parts(quote).unwrap();
            let before = w.price_factor() * t as f64 / a as f64;
            let after_w = w.after_injection(t, a, tao_in, alpha_in).unwrap();
            let after = after_w.price_factor() * (t + tao_in) as f64 / (a + alpha_in) as f64;
            proptest::prop_assert!(((after - before) / before).abs() < 1e-12, "{} → {}", before, after);
        }
    }
}
