//! `⌊(num/den)^(p/q)·10^18⌋` to 224 fractional bits: the weighted pool's slow path, for the
//! rare swaps whose `f64` estimate cannot pin the output (see [`super::weighted`]).
//!
//! Our own method (the chain uses a 256-bit fixed-point log/exp of its `safe-bigmath`
//! crate): `ln` by `2·atanh((m − 1)/(m + 1))` on the mantissa in `[1, 2)`, `exp` by range
//! reduction to `[0, ln 2)` and Taylor terms. Both are accurate to ~2^-215, so the floor is
//! the exact one unless `v·10^18` lies within ~10^-45 of an integer. When the reduced exponent
//! is small (numerator and denominator at most 1,024, where the chain takes an exact integer
//! root) the floor is checked, and corrected, exactly.

use num_bigint::{BigInt, BigUint};
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::sync::OnceLock;

/// Fractional bits of the fixed-point computation.
const FRAC_BITS: usize = 224;
/// The chain's exact-root limit on the reduced exponent's numerator and denominator.
const MAX_EXACT_EXPONENT: u64 = 1_024;
const SCALE: u64 = 1_000_000_000_000_000_000;

fn one() -> BigInt {
    BigInt::one() << FRAC_BITS
}

/// `atanh(z)` for a fixed-point `0 ≤ z ≤ 1/3`: `z + z³/3 + z⁵/5 + …`.
fn atanh_fixed(z: &BigInt) -> BigInt {
    let z2 = (z * z) >> FRAC_BITS;
    let mut power = z.clone();
    let mut sum = z.clone();
    let mut k: u32 = 1;
    loop {
        power = (&power * &z2) >> FRAC_BITS;
        k += 2;
        let term = &power / k;
        if term.is_zero() {
            return sum;
        }
        sum += term;
    }
}

fn ln_two() -> &'static BigInt {
    static LN_TWO: OnceLock<BigInt> = OnceLock::new();
    // ln 2 = 2·atanh(1/3).
    LN_TWO.get_or_init(|| atanh_fixed(&(one() / 3u32)) << 1usize)
}

/// `ln(n)` in fixed point, `n ≥ 1`: `n = m·2^k` with `m ∈ [1, 2)`.
fn ln_fixed(n: u64) -> BigInt {
    let k = 63 - n.leading_zeros() as usize;
    let m = (BigInt::from(n) << FRAC_BITS) >> k;
    let z = ((&m - one()) << FRAC_BITS) / (&m + one());
    ln_two() * BigInt::from(k) + (atanh_fixed(&z) << 1usize)
}

/// `e^r` in fixed point for `0 ≤ r < 1`: Taylor terms until they vanish.
fn exp_fixed(r: &BigInt) -> BigInt {
    let mut term = one();
    let mut sum = one();
    let mut n: u32 = 0;
    loop {
        n += 1;
        term = ((&term * r) >> FRAC_BITS) / n;
        if term.is_zero() {
            return sum;
        }
        sum += &term;
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `⌊(num/den)^(p/q)·10^18⌋` for `0 < num ≤ den`, `p, q > 0` (so the result is at most 10^18).
pub(crate) fn pow_floor_precise(num: u64, den: u64, p: u64, q: u64) -> u64 {
    if num == 0 {
        return 0;
    }
    if num >= den {
        return SCALE;
    }
    let g = gcd(p, q);
    let (p, q) = (p / g, q / g);
    let ln_ratio = ln_fixed(num) - ln_fixed(den);
    let l = ln_ratio * BigInt::from(p) / BigInt::from(q);
    // e^-46 < 10^-18·10^-2: the floor is 0 (and checked exactly below for small exponents).
    let floor = if l < -(one() * 46u32) {
        0
    } else {
        // l = k·ln 2 + r with r ∈ [0, ln 2): k from an f64 estimate, then adjusted.
        let ln2 = ln_two();
        let estimate = (&l >> (FRAC_BITS - 52)).to_i64().unwrap_or(0) as f64 / (1u64 << 52) as f64;
        let mut k = (estimate / std::f64::consts::LN_2).floor() as i64;
        let mut r = &l - ln2 * BigInt::from(k);
        while r.is_negative() {
            k -= 1;
            r += ln2;
        }
        while &r >= ln2 {
            k += 1;
            r -= ln2;
        }
        // v = e^r·2^k with k ≤ 0: ⌊v·10^18⌋ = ⌊e^r·10^18 / 2^(FRAC_BITS − k)⌋.
        let shift = FRAC_BITS + (-k) as usize;
        ((exp_fixed(&r) * BigInt::from(SCALE)) >> shift)
            .to_u64()
            .unwrap_or(SCALE)
            .min(SCALE)
    };
    if p <= MAX_EXACT_EXPONENT && q <= MAX_EXACT_EXPONENT {
        exact_floor_check(floor, num, den, p as u32, q as u32)
    } else {
        floor
    }
}

/// The largest `E` with `E^q·den^p ≤ num^p·10^(18q)`, searched from `start` (off by at most a
/// few): the chain's exact root for small exponents.
fn exact_floor_check(start: u64, num: u64, den: u64, p: u32, q: u32) -> u64 {
    let target = BigUint::from(num).pow(p) * BigUint::from(SCALE).pow(q);
    let den_p = BigUint::from(den).pow(p);
    let fits = |e: u64| BigUint::from(e).pow(q) * &den_p <= target;
    let mut e = start;
    while e > 0 && !fits(e) {
        e -= 1;
    }
    while e < SCALE && fits(e + 1) {
        e += 1;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_powers() {
        // (1/4)^(1/2) = ½ exactly: the exact check keeps 5·10^17 (not 5·10^17 − 1).
        assert_eq!(pow_floor_precise(1, 4, 1, 2), 500_000_000_000_000_000);
        // (1/8)^(2/3) = ¼.
        assert_eq!(pow_floor_precise(1, 8, 2, 3), 250_000_000_000_000_000);
        // (2/3)^(1/2)·10^18 = 816,496,580,927,726,032.7… → …032.
        assert_eq!(pow_floor_precise(2, 3, 1, 2), 816_496_580_927_726_032);
        // The chain's own vector (`test_perquintill_power`): (21/28)^(0.6/0.4)·10^18
        // = 0.75^1.5·10^18 = 649,519,052,838,328,985.2… → 649,519,052,838,328,985.
        assert_eq!(
            pow_floor_precise(
                21_000_000_000_000_000,
                28_000_000_000_000_000,
                600_000_000_000_000_000,
                400_000_000_000_000_000
            ),
            649_519_052_838_328_985
        );
        // A large reduced exponent takes the log/exp path: 0.75^(600…001/399…999).
        let e = pow_floor_precise(3, 4, 600_000_000_000_000_001, 399_999_999_999_999_999);
        let f = 0.75f64.powf(600_000_000_000_000_001.0 / 399_999_999_999_999_999.0) * 1e18;
        assert!((e as f64 - f).abs() < 1e4, "{e} vs {f}");
        assert_eq!(pow_floor_precise(5, 5, 3, 7), SCALE);
        assert_eq!(pow_floor_precise(1, u64::MAX, 99, 1), 0);
    }
}
