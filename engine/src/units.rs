//! Chain constants, named as the spec names them. Amounts are rao (1 TAO = 1e9 rao).

pub use tourney_sdk::{Rao, BLOCKS_PER_DAY, RAO_PER_TAO};

/// Total TAO supply cap, rao (21M TAO). Alpha uses the same cap per subnet.
pub const TOTAL_SUPPLY_RAO: u64 = 21_000_000 * RAO_PER_TAO;
/// Default epoch length of a subnet (blocks between Yuma runs).
pub const DEFAULT_TEMPO_BLOCKS: u64 = 360;
/// TaoWeight τw: root stake's weight relative to alpha stake (0.18 on chain).
pub const TAO_WEIGHT: f64 = 0.18;
/// Owner cut of alpha_out: 11796/65535 ≈ 18 %.
pub const OWNER_CUT_NUMERATOR: u64 = 11_796;
pub const OWNER_CUT_DENOMINATOR: u64 = 65_535;
/// Flat stake/unstake fee (E1 pools), rao, added to the pool's TAO.
pub const STAKE_FEE_RAO: u64 = 50_000;
/// A swap that would leave a reserve below this is rejected.
pub const MIN_RESERVE_RAO: u64 = 10_000_000;
/// E1 EMA price base rate per block and ramp half-point (blocks).
pub const EMA_PRICE_BASE_ALPHA: f64 = 0.000_003;
pub const EMA_PRICE_RAMP_BLOCKS: f64 = 201_600.0;
/// TaoFlow EMA rate per block (≈ 30-day half-life).
pub const FLOW_EMA_ALPHA: f64 = 3.209e-6;
/// Yuma: κ (consensus majority) and bonds EMA rate.
pub const YUMA_KAPPA: f64 = 0.5;
pub const YUMA_BOND_ALPHA: f64 = 0.1;

/// TAO as `f64`, for display and reports only.
pub fn tao(rao: Rao) -> f64 {
    rao as f64 / RAO_PER_TAO as f64
}

/// The largest `f64` below 2^63.
const F64_BELOW_2_POW_63: f64 = 9_223_372_036_854_774_784.0;

/// An `f64` amount of rao truncated to an integer: negatives and NaN give 0, and the result
/// saturates just below 2^63.
///
/// Equal to `x as i64 as Rao` for every amount the engine computes (finite, ≥ 0, < 2^63), but
/// written so that it vectorises: Rust's saturating `as` casts compile to a scalar
/// conversion plus NaN and range checks per element, which kept the block kernel scalar.
#[inline(always)]
pub fn rao_from_f64(x: f64) -> Rao {
    // `max` and `min` return the non-NaN operand, so `clamped` is finite and in [0, 2^63)
    // (`clamp` would pass NaN through).
    #[allow(clippy::manual_clamp)]
    let clamped = x.max(0.0).min(F64_BELOW_2_POW_63);
    // SAFETY: `clamped` is finite and representable as an i64 (see above).
    unsafe { clamped.to_int_unchecked::<i64>() as Rao }
}

/// `amount` rao of alpha valued at `price`, truncated to rao: what `(amount as f64 * price) as
/// Rao` gives, with the signed conversions (one instruction each; the unsigned ones are
/// branchy sequences) wherever they agree, which is below 2^63 (every realistic value). Epoch
/// payouts value every credit this way.
#[inline]
pub fn rao_value(amount: Rao, price: f64) -> Rao {
    const TWO_POW_63: f64 = 9_223_372_036_854_775_808.0;
    if amount < 1 << 63 {
        let value = amount as i64 as f64 * price;
        if value < TWO_POW_63 {
            return rao_from_f64(value);
        }
    }
    (amount as f64 * price) as Rao
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rao_from_f64_truncates_and_clamps() {
        assert_eq!(rao_from_f64(2.9), 2);
        assert_eq!(rao_from_f64(1e9 * 0.3), 300_000_000);
        assert_eq!(rao_from_f64(-5.0), 0);
        assert_eq!(rao_from_f64(f64::NAN), 0);
        assert_eq!(rao_from_f64(f64::INFINITY), 9_223_372_036_854_774_784);
        assert_eq!(rao_from_f64(1e30), 9_223_372_036_854_774_784);
    }

    /// The fast valuation truncates exactly as the plain unsigned conversion does, at the edges
    /// (NaN, negative, past 2^63, past 2^64) and at ordinary values.
    #[test]
    fn rao_value_is_the_unsigned_conversion() {
        let amounts = [
            0,
            1,
            7,
            999_999_999,
            1 << 52,
            (1 << 53) + 1,
            1 << 62,
            u64::MAX,
        ];
        let prices = [
            0.0,
            -0.5,
            f64::NAN,
            f64::INFINITY,
            1e-9,
            0.0123,
            1.0 / 3.0,
            2.5,
            1e3,
            1e10,
        ];
        for &a in &amounts {
            for &p in &prices {
                assert_eq!(
                    rao_value(a, p),
                    (a as f64 * p) as u64,
                    "amount {a}, price {p}"
                );
            }
        }
    }
}
