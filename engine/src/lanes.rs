//! The block kernel's integer ↔ `f64` conversions, in two forms that give the same bits: the
//! native casts, and bit manipulations that vectorise on CPUs without 64-bit integer ↔ float
//! vector instructions (AVX2: x86-64-v3).
//!
//! Why two forms: the kernel converts amounts (rao, `u64`) to `f64` and back a dozen times per
//! subnet per block. AVX-512 (DQ) has vector instructions for both directions, and so has
//! aarch64 NEON; AVX2 has neither, so native casts there leave the loops scalar. The bit
//! manipulations below are exact — the same value as the cast, bit for bit — over the ranges
//! the engine uses (every amount is below 2^63 rao), so a kernel may use either form.

/// How a kernel converts amounts. Implemented by zero-sized types, picked at compile time per
/// compiled kernel (monomorphised: no runtime cost).
///
/// The `small_*` and `*_at_most` forms carry a precondition the caller proves (an amount below
/// 2^52): every implementation returns the same value as the general form when it holds, and
/// [`Below52`] is cheaper for it. The block kernel runs a `Below52` loop only after a scan of the
/// block's inputs has shown the bounds (`network::block_kernel`).
pub trait Lanes {
    /// Whether the swaps update a pool as `old ± (amount or 0)` rather than as a select
    /// between the new and the old values (the same results). On AVX2 a select stored back
    /// where it was read compiles to masked stores, which the next loads cannot forward from;
    /// in scalar code the arithmetic form costs more (measured: the sale pass 4.9 → 4.5 ns a
    /// subnet on AVX2, 8.9 → 13.5 ns on the baseline).
    const UPDATE_BY_ARITHMETIC: bool = false;
    /// `x as i64 as f64` for `x < 2^63`: the correctly rounded value of `x`.
    fn to_f64(x: u64) -> f64;
    /// [`crate::units::rao_from_f64`]: truncation toward zero, negatives and NaN to 0,
    /// saturating just below 2^63. A NaN here is a quiet one, as arithmetic makes them; a
    /// signaling NaN (only ever made from raw bits) is not an input: Rust leaves its handling
    /// by `max` and comparisons to the platform (aarch64's `fmaxnm` returns it rather than 0).
    fn to_rao(x: f64) -> u64;
    /// [`Lanes::to_f64`] for `x < 2^52` (the caller's precondition).
    #[inline(always)]
    fn small_to_f64(x: u64) -> f64 {
        Self::to_f64(x)
    }
    /// [`Lanes::to_rao`] for an `x` that is NaN or below 2^52 (the caller's precondition).
    #[inline(always)]
    fn small_to_rao(x: f64) -> u64 {
        Self::to_rao(x)
    }
    /// `min(to_rao(x), bound)` for `bound < 2^52` (the caller's precondition), any `x`.
    #[inline(always)]
    fn to_rao_at_most(x: f64, bound: u64) -> u64 {
        Self::to_rao(x).min(bound)
    }
    /// An integer within 1 of `x` for `x` in `[0, 2^52)` — an estimate, never a result (the
    /// exact swaps' quotient estimate, which their proof checks); outside that range the
    /// general forms give `to_rao(x)`, [`Below52`] an unspecified value, so a caller may pass
    /// such an `x` only where nothing depends on the estimate.
    #[inline(always)]
    fn estimate_to_rao(x: f64) -> u64 {
        Self::small_to_rao(x)
    }
}

/// The native casts (one instruction each on AVX-512 DQ, NEON, and scalar x86-64).
pub struct Native;

impl Lanes for Native {
    #[inline(always)]
    fn to_f64(x: u64) -> f64 {
        x as i64 as f64
    }
    #[inline(always)]
    fn to_rao(x: f64) -> u64 {
        crate::units::rao_from_f64(x)
    }
}

/// Conversions by bit manipulation, built from operations AVX2 has for four lanes at a time.
pub struct Magic;

/// 2^52: adding it to an integer-valued `f64` in `[0, 2^52)` is exact and leaves the integer
/// in the low 52 bits of the representation (the spacing of `f64` in `[2^52, 2^53)` is 1).
const TWO_POW_52: f64 = 4_503_599_627_370_496.0;
/// The bits of 2^52.
const TWO_POW_52_BITS: u64 = 0x4330_0000_0000_0000;
/// The bits of 2^84; `2^84 + h·2^32` has the bits `TWO_POW_84_BITS | h` for `h < 2^32`.
const TWO_POW_84_BITS: u64 = 0x4530_0000_0000_0000;
/// 2^84 + 2^52.
const TWO_POW_84_PLUS_52: f64 = 19_342_813_118_337_666_422_669_312.0;
/// The largest `f64` below 2^63 (the saturation point of `rao_from_f64`).
const F64_BELOW_2_POW_63: f64 = 9_223_372_036_854_774_784.0;

impl Lanes for Magic {
    const UPDATE_BY_ARITHMETIC: bool = true;

    /// Exact for every `u64`, hence equal to the cast for `x < 2^63`:
    /// with `h = x >> 32` and `l = x mod 2^32`,
    /// - `from_bits(2^84 bits | h) = 2^84 + h·2^32` exactly (h < 2^32 fits the significand);
    /// - subtracting `2^84 + 2^52` is exact: the result `h·2^32 − 2^52` is a multiple of 2^32
    ///   below 2^64 in magnitude, 32 significant bits at most;
    /// - `from_bits(2^52 bits | l) = 2^52 + l` exactly;
    /// - the sum of the two is `h·2^32 + l = x`, rounded once: the correctly rounded `x`,
    ///   which is what the cast returns.
    #[inline(always)]
    fn to_f64(x: u64) -> f64 {
        let high = f64::from_bits(TWO_POW_84_BITS | (x >> 32)) - TWO_POW_84_PLUS_52;
        let low = f64::from_bits(TWO_POW_52_BITS | (x & 0xFFFF_FFFF));
        high + low
    }

    /// Exact: after clamping (`max`/`min` return the non-NaN operand, as in `rao_from_f64`) the
    /// value `c` lies in `[0, 2^63)`; `t = trunc(c)` is the integer the cast gives. Then
    /// - `h = floor(t·2^-32)`: the scaling is exact (a power of two), `h < 2^31`;
    /// - `l = t − h·2^32`: `h·2^32` is exact, and so is the difference (an integer below 2^32,
    ///   representable, and IEEE subtraction returns a representable result exactly);
    /// - `h` and `l` are integers below 2^52, so `v + 2^52` is exact and its low 52 bits are
    ///   `v`; `t = h·2^32 + l`.
    #[inline(always)]
    fn to_rao(x: f64) -> u64 {
        #[allow(clippy::manual_clamp)]
        let clamped = x.max(0.0).min(F64_BELOW_2_POW_63);
        let t = clamped.trunc();
        let high = (t * (1.0 / 4_294_967_296.0)).floor();
        let low = t - high * 4_294_967_296.0;
        let high = (high + TWO_POW_52).to_bits() - TWO_POW_52_BITS;
        let low = (low + TWO_POW_52).to_bits() - TWO_POW_52_BITS;
        (high << 32) | low
    }
}

/// [`Magic`], with the short forms for amounts the block kernel has shown to be below 2^52 (the
/// AVX2 kernel's loops after the bounds scan): two or four vector operations a conversion
/// instead of six or twelve.
pub struct Below52;

impl Lanes for Below52 {
    const UPDATE_BY_ARITHMETIC: bool = true;

    #[inline(always)]
    fn to_f64(x: u64) -> f64 {
        Magic::to_f64(x)
    }
    #[inline(always)]
    fn to_rao(x: f64) -> u64 {
        Magic::to_rao(x)
    }

    /// Exact for `x < 2^52`: `from_bits(2^52 bits | x) = 2^52 + x` exactly (x fits the
    /// significand), and subtracting 2^52 is exact (Sterbenz: both lie in `[2^52, 2^53)`).
    #[inline(always)]
    fn small_to_f64(x: u64) -> f64 {
        f64::from_bits(TWO_POW_52_BITS | x) - TWO_POW_52
    }

    /// Exact for NaN and every `x < 2^52`: `c = x > 0 ? x : 0` (NaN and negatives to 0, as
    /// `rao_from_f64`; one `maxpd`), `t = trunc(c)` is the integer the cast gives, in
    /// `[0, 2^52)`; `t + 2^52` is exact (the spacing in `[2^52, 2^53)` is 1) and its low 52
    /// bits are `t`.
    #[inline(always)]
    fn small_to_rao(x: f64) -> u64 {
        let c = if x > 0.0 { x } else { 0.0 };
        (c.trunc() + TWO_POW_52).to_bits() - TWO_POW_52_BITS
    }

    /// Round to nearest instead of truncating (no `roundpd`, no clamp): `x + 2^52` for `x` in
    /// `[0, 2^52)` is `x` rounded to an integer, in the low 52 bits.
    #[inline(always)]
    fn estimate_to_rao(x: f64) -> u64 {
        (x + TWO_POW_52).to_bits().wrapping_sub(TWO_POW_52_BITS)
    }

    /// `min(to_rao(x), bound)` for `bound < 2^52`, exactly: with `b = bound` as `f64` (exact),
    /// `m = x > b ? b : x` (one `minpd`; NaN stays NaN). If `x > b`, `to_rao(x) ≥ to_rao(b) = b`
    /// (truncation is monotone), so the answer is `b = small_to_rao(b)`; otherwise `m = x` is
    /// NaN or at most `b < 2^52`, so `small_to_rao(x) = to_rao(x) ≤ bound` is the answer.
    #[inline(always)]
    fn to_rao_at_most(x: f64, bound: u64) -> u64 {
        let b = Self::small_to_f64(bound);
        Self::small_to_rao(if x > b { b } else { x })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `f64` of `bits` as the engine can meet it: a signaling NaN (which no arithmetic
    /// makes) quieted, as [`Lanes::to_rao`] requires.
    fn arithmetic(bits: u64) -> f64 {
        let x = f64::from_bits(bits);
        if x.is_nan() {
            f64::NAN
        } else {
            x
        }
    }

    fn agree_to_f64(x: u64) {
        assert_eq!(
            Magic::to_f64(x).to_bits(),
            Native::to_f64(x).to_bits(),
            "{x}"
        );
    }

    fn agree_to_rao(x: f64) {
        assert_eq!(Magic::to_rao(x), Native::to_rao(x), "{x:?}");
    }

    #[test]
    fn conversions_agree_at_the_edges() {
        // Powers of two and their neighbours, up to just below 2^63, where rounding to f64
        // starts to discard bits (2^53 + 1 rounds to 2^53, ties to even).
        for k in 0..63 {
            let p = 1u64 << k;
            for x in [p - 1, p, p + 1, p | (p >> 1), p + (p >> 1) + 1] {
                agree_to_f64(x);
            }
        }
        for x in [
            0,
            1,
            u32::MAX as u64,
            (1 << 53) + 1,
            (1 << 53) + 3,
            i64::MAX as u64,
        ] {
            agree_to_f64(x);
        }
        for x in [
            0.0,
            -0.0,
            0.5,
            0.999_999_999,
            1.0,
            2.9,
            -5.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4_294_967_295.5,
            4_294_967_296.0,
            TWO_POW_52 - 0.5,
            TWO_POW_52,
            TWO_POW_52 + 1.0,
            9_007_199_254_740_993.0,
            F64_BELOW_2_POW_63,
            9.3e18,
            1e30,
            f64::MIN_POSITIVE,
        ] {
            agree_to_rao(x);
        }
    }

    proptest::proptest! {
        #[test]
        fn conversions_agree(
            x in 0u64..1 << 63,
            bits in proptest::num::u64::ANY,
            y in 0.0f64..1e19,
        ) {
            agree_to_f64(x);
            agree_to_f64(x >> (x % 64));
            agree_to_rao(arithmetic(bits));
            agree_to_rao(y);
            agree_to_rao(y * 1e-6);
        }

        /// The short forms give the general forms' values wherever their preconditions hold.
        #[test]
        fn short_forms_agree_below_2_pow_52(
            x in 0u64..1 << 52,
            shift in 0u32..52,
            bits in proptest::num::u64::ANY,
            y in 0.0f64..4_503_599_627_370_496.0,
            bound in 0u64..1 << 52,
        ) {
            for x in [x, x >> shift] {
                proptest::prop_assert_eq!(Below52::small_to_f64(x).to_bits(), Native::to_f64(x).to_bits());
                proptest::prop_assert_eq!(Magic::small_to_f64(x).to_bits(), Native::to_f64(x).to_bits());
            }
            let any = arithmetic(bits);
            for v in [y, y * 1e-9, -y, f64::NAN, -0.0] {
                proptest::prop_assert_eq!(Below52::small_to_rao(v), Native::to_rao(v));
            }
            // The estimate's conversion: within 1 of the value (round to nearest).
            for v in [y, y * 1e-9] {
                let e = Below52::estimate_to_rao(v) as f64;
                proptest::prop_assert!((e - v).abs() <= 0.5, "{} {}", v, e);
            }
            for v in [y, y * 1e-9, -y, any, f64::NAN, f64::INFINITY, 1e300, bound as f64] {
                for b in [bound, bound >> shift] {
                    proptest::prop_assert_eq!(Below52::to_rao_at_most(v, b), Native::to_rao(v).min(b));
                    proptest::prop_assert_eq!(Magic::to_rao_at_most(v, b), Native::to_rao(v).min(b));
                }
            }
        }
    }

    #[test]
    fn short_forms_at_the_edges() {
        let top = (1u64 << 52) - 1;
        for x in [0, 1, top, top - 1, 1 << 51, u32::MAX as u64] {
            assert_eq!(Below52::small_to_f64(x), x as f64, "{x}");
        }
        for v in [
            0.0,
            -0.0,
            0.5,
            1.0,
            -1.0,
            top as f64,
            top as f64 + 0.5,
            f64::NAN,
        ] {
            assert_eq!(Below52::small_to_rao(v), Native::to_rao(v), "{v:?}");
        }
        // A bound at the top of the range, and values just over, at and under it.
        for v in [
            top as f64 + 1.0,
            top as f64,
            top as f64 - 0.5,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(
                Below52::to_rao_at_most(v, top),
                Native::to_rao(v).min(top),
                "{v:?}"
            );
        }
    }
}
