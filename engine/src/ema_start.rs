//! Where each subnet's moving (EMA) price stands at the start day.
//!
//! On chain the moving price began at 0 when dTAO launched on 2025-02-13 (the storage
//! default: the migration's initialisation was commented out), and it climbs from there at
//! `a = 3e-6` a block, or, with the ramp, `a = 3e-6·b/(b + 201,600)` where b counts blocks since
//! the subnet registered (`update_moving_price`). So at launch a subnet that pumps its price
//! gains emission share fast: every EMA is small. The engine's earlier start at the spot price
//! is kept as the counterfactual `ema_start: spot`.

use crate::rates::Rates;
use serde::{Deserialize, Serialize};

/// How the EMA price starts (YAML `ema_start`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmaStart {
    /// The chain: 0 at launch, aged to the start day at the subnet's start price.
    #[default]
    Zero,
    /// Counterfactual: the spot price (capped at 1) at the start day.
    Spot,
}

/// Σ a_b over the blocks `b` in `(from, from + blocks]`: `a·blocks` without the ramp; with
/// it, the integral of `a·b/(b + h)`, `a·(blocks − h·ln((from + blocks + h)/(from + h)))`
/// (the per-block sum differs from the integral by under a·½·blocks/(from + h)). `a` and `h`
/// are the match's rates (the chain's 3e-6 and 201,600).
pub fn summed_rate(from: f64, blocks: f64, ramp: bool, rates: &Rates) -> f64 {
    let a = rates.ema_price_rate;
    if !ramp {
        return a * blocks;
    }
    let h = rates.ema_ramp_blocks;
    a * (blocks - h * ((from + blocks + h) / (from + h)).ln())
}

/// The EMA price at the start day of a subnet whose (capped) price has been `price` since
/// launch, `since_launch` blocks ago, registered `age_at_launch` blocks before launch:
/// `p̄ = min(p, 1)·(1 − Π(1 − a_b)) ≈ min(p, 1)·(1 − exp(−Σ a_b))` (each a_b ≤ 3e-6, so the
/// product and the exponential agree to 1e-11 relative). `Spot` gives `min(p, 1)`.
pub fn initial_ema(
    start: EmaStart,
    price: f64,
    since_launch: f64,
    age_at_launch: f64,
    ramp: bool,
    rates: &Rates,
) -> f64 {
    let p = price.min(1.0);
    match start {
        EmaStart::Spot => p,
        EmaStart::Zero => p * -(-summed_rate(age_at_launch, since_launch, ramp, rates)).exp_m1(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_at_launch_and_spot_unchanged() {
        assert_eq!(
            initial_ema(EmaStart::Zero, 0.05, 0.0, 1e6, true, &Rates::default()),
            0.0
        );
        assert_eq!(
            initial_ema(EmaStart::Spot, 2.0, 0.0, 0.0, true, &Rates::default()),
            1.0
        );
    }

    #[test]
    fn constant_rate_after_ten_days() {
        // 72,000 blocks at 3e-6: Σa = 0.216; p̄ = 0.05·(1 − e^−0.216) = 0.0097…
        let got = initial_ema(
            EmaStart::Zero,
            0.05,
            72_000.0,
            0.0,
            false,
            &Rates::default(),
        );
        assert!((got - 0.05 * (1.0 - (-0.216f64).exp())).abs() < 1e-15);
    }

    #[test]
    fn the_ramp_sum_matches_the_blockwise_sum() {
        // A subnet registered at launch (from = 0), 201,600 blocks on: the integral is
        // 3e-6·(201,600 − 201,600·ln 2) = 0.18567…; the blockwise sum agrees closely.
        let exact: f64 = (1..=201_600u64)
            .map(|b| 3e-6 * b as f64 / (b as f64 + 201_600.0))
            .sum();
        let got = summed_rate(0.0, 201_600.0, true, &Rates::default());
        assert!((got - 3e-6 * 201_600.0 * (1.0 - 2f64.ln())).abs() < 1e-12);
        assert!((got - exact).abs() < 1e-6, "{got} vs {exact}");
    }
}
