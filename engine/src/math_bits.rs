//! Whether two machines compute the engine's transcendental functions to the same bits.
//!
//! The rules call `exp`, `ln`, `cos`, `powf`, `exp_m1` and `ln_1p` (the daily shocks and their
//! normal draws, TaoFlow's exponent, the market's momentum, the weighted pools, the lifecycle's
//! waiting times). Rust takes them from the platform's C math library, which does not round
//! them correctly and so need not agree with another library bit for bit: glibc chooses an
//! implementation by CPU (on x86-64, one using FMA instructions and one without), and other
//! glibc versions and other systems (macOS, musl) have their own. Measured on this project's
//! machine with glibc 2.36: between its two x86-64 variants 6 to 10 in 10,000 random arguments of
//! `exp`, `cos`, `exp_m1`, `ln_1p` and `pow` give results an ulp apart, and a 2-day copy of
//! `dtao-transition` (≈ 1,000 matches) gave one match different payoffs. (glibc's aarch64
//! functions gave the FMA variant's bits on every argument tried.) So "same YAML and seed,
//! same bits" holds on one machine, and across machines whose math library computes these
//! functions alike — not across every machine.
//!
//! [`fingerprint`] is what "alike" is checked by: a hash of this process's results of each of
//! those functions on 16,384 fixed arguments in the ranges the engine uses. Two libraries that
//! differ on 6 in 10,000 arguments of five of them differ on ≈ 50 of these, so equal
//! fingerprints mean the same bits with near certainty. `tourney run` records it in the
//! manifest and folds it into the journal's fingerprint, so `--resume` and `merge` refuse to mix
//! results computed on machines that compute differently (`docs/scaling.md`).

use std::sync::OnceLock;
use tourney_sdk::abi::{fnv1a64, FNV1A64_OFFSET};

/// Arguments drawn per function.
const SAMPLES: usize = 16_384;

/// The fingerprint of this process's math library (computed once, ≈ 5 ms).
pub fn fingerprint() -> u64 {
    static FINGERPRINT: OnceLock<u64> = OnceLock::new();
    *FINGERPRINT.get_or_init(compute)
}

fn compute() -> u64 {
    // xorshift64: fixed arguments, the same on every machine (integer operations only).
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut unit = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // 53 random bits as a double in [0, 1): exact.
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut hash = FNV1A64_OFFSET;
    let mut mix = |x: f64| hash = fnv1a64(&x.to_bits().to_le_bytes(), hash);
    for _ in 0..SAMPLES {
        let (u, v) = (unit(), unit());
        let positive = positive(u, v);
        mix((u * 80.0 - 40.0).exp());
        mix(positive.ln());
        mix((std::f64::consts::TAU * v).cos());
        mix(positive.powf(0.05 + 4.95 * v));
        mix((2.0 * u - 1.0).exp_m1());
        mix((1.9 * v - 0.9).ln_1p());
    }
    hash
}

/// A positive amount from 2^-30 to 2^43 (≈ 1e-9 to 9e12: prices, flows in rao per block,
/// reserves), spread over its binary exponents: `2^(⌊73·u⌋ − 30)` times a significand from `v`'s
/// bits, built without a math function.
fn positive(u: f64, v: f64) -> f64 {
    let exponent = (u * 73.0) as u64 + 1023 - 30;
    f64::from_bits((exponent << 52) | (v.to_bits() & ((1 << 52) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arguments_cover_the_engines_ranges() {
        // From 2^-30 up to just below 2^43, each binade by its significand.
        assert_eq!(positive(0.0, 0.0), 2f64.powi(-30));
        assert_eq!(positive(0.999_999, 0.0), 2f64.powi(42));
        assert_eq!(
            positive(0.999_999, 1.0 - f64::EPSILON / 2.0),
            2f64.powi(43) * (1.0 - f64::EPSILON / 2.0)
        );
        // 0.3's significand bits: 0.3 = 1.2 · 2^-2, so 2^6 · 1.2.
        assert_eq!(positive(0.5, 0.3), 64.0 * 1.2);
    }

    #[test]
    fn the_fingerprint_is_the_math_librarys_not_the_runs() {
        // Computed again from scratch, it is the cached value: nothing else enters it.
        assert_eq!(compute(), fingerprint());
        assert_ne!(fingerprint(), FNV1A64_OFFSET);
    }
}
