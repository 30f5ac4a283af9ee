//! The subnet pool: a constant-product TAO–alpha AMM (the E1 pool of the spec, §4).
//!
//! Swaps are computed exactly in integer arithmetic (u128 products, rounding in the pool's
//! favour), so a swap never lowers `k = T·A` and conservation holds to the rao. The chain uses
//! U96F32 fixed point and floors the output: the same results up to that rounding.
//!
//! Simplifications (documented in `docs/mechanisms.md`): the Uniswap-v3 era pool with
//! protocol liquidity only is the same curve (x·y = L²) with a proportional 33/65535 fee; we
//! keep the E1 flat fee for every era. The E5 Balancer pool is not modelled.

use crate::units::{Rao, MIN_RESERVE_RAO, STAKE_FEE_RAO};

/// Why a swap was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SwapError {
    #[error("amount is zero or does not cover the {STAKE_FEE_RAO} rao fee")]
    BelowFee,
    #[error("swap would leave a pool reserve below the minimum of {MIN_RESERVE_RAO} rao")]
    ReserveTooLow,
}

/// The constant-product output: the largest `out` with `(Y − out)·(X + dx) ≥ X·Y`, i.e.
/// exactly `⌊Y·dx/(X + dx)⌋`.
///
/// Computed without a 128-bit division (the hot path sells root alpha every block on every
/// subnet): an `f64` estimate of the quotient, then its remainder against the exact `u128`
/// numerator, which takes two machine multiplies. The estimate is within a unit or two of the
/// answer for reserves below 2^62, so one correction step almost always settles it; anything
/// further off falls back to the exact division.
#[inline]
fn curve_out(y: Rao, x: Rao, dx: Rao) -> Rao {
    if dx == 0 || y == 0 {
        return 0;
    }
    let new_x = x as u128 + dx as u128;
    let numerator = y as u128 * dx as u128;
    if (x | y | dx) >> 62 != 0 {
        // Beyond 2^62 per operand: the exact 128-bit division (never at chain-scale reserves).
        return (numerator / new_x) as Rao;
    }
    // Signed conversions are single instructions on x86-64 (unsigned ones are not).
    let estimate = (y as i64 as f64 * (dx as i64 as f64 / new_x as i64 as f64)) as i64 as Rao;
    let product = estimate as u128 * new_x;
    if product <= numerator {
        // out = estimate + ⌊(numerator − product) / new_x⌋.
        let remainder = numerator - product;
        if remainder < new_x {
            return estimate;
        }
        if remainder < 2 * new_x {
            return estimate + 1;
        }
    } else if product - numerator <= new_x {
        return estimate - 1;
    }
    (numerator / new_x) as Rao
}

/// Pool reserves of one subnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserves {
    pub tao_rao: Rao,
    pub alpha_rao: Rao,
}

/// The result of a swap: what the trader pays in and receives, and the fee kept by the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Swap {
    pub paid: Rao,
    pub received: Rao,
    pub fee_rao: Rao,
}

impl Reserves {
    /// Spot price, TAO per alpha.
    #[inline]
    pub fn price(&self) -> f64 {
        if self.alpha_rao == 0 {
            0.0
        } else {
            // Reserves are far below 2^63 (the supply cap is 2.1e16 rao), so the signed
            // conversions (one instruction each, unlike unsigned ones) are exact the same way.
            self.tao_rao as i64 as f64 / self.alpha_rao as i64 as f64
        }
    }

    /// Alpha out for `tao_net` TAO in, no fee: `Δα = ⌊A·Δτ/(T+Δτ)⌋ = A − ⌈k/(T+Δτ)⌉`.
    #[inline]
    fn alpha_out_for(&self, tao_net: Rao) -> Rao {
        curve_out(self.alpha_rao, self.tao_rao, tao_net)
    }

    /// TAO out for `alpha_in` alpha in, no fee: `Δτ = ⌊T·Δα/(A+Δα)⌋ = T − ⌈k/(A+Δα)⌉`.
    #[inline]
    fn tao_out_for(&self, alpha_in: Rao) -> Rao {
        curve_out(self.tao_rao, self.alpha_rao, alpha_in)
    }

    /// Quote a stake (buy alpha with `tao_rao`, the flat fee included) without applying it.
    pub fn quote_buy(&self, tao_rao: Rao) -> Result<Swap, SwapError> {
        if tao_rao <= STAKE_FEE_RAO {
            return Err(SwapError::BelowFee);
        }
        let received = self.alpha_out_for(tao_rao - STAKE_FEE_RAO);
        if self.alpha_rao - received < MIN_RESERVE_RAO || received == 0 {
            return Err(SwapError::ReserveTooLow);
        }
        Ok(Swap {
            paid: tao_rao,
            received,
            fee_rao: STAKE_FEE_RAO,
        })
    }

    /// Quote an unstake (sell `alpha_rao` for TAO, the flat fee deducted) without applying it.
    pub fn quote_sell(&self, alpha_rao: Rao) -> Result<Swap, SwapError> {
        if alpha_rao == 0 {
            return Err(SwapError::BelowFee);
        }
        let gross = self.tao_out_for(alpha_rao);
        if gross <= STAKE_FEE_RAO {
            return Err(SwapError::BelowFee);
        }
        if self.tao_rao - gross < MIN_RESERVE_RAO {
            return Err(SwapError::ReserveTooLow);
        }
        Ok(Swap {
            paid: alpha_rao,
            received: gross - STAKE_FEE_RAO,
            fee_rao: STAKE_FEE_RAO,
        })
    }

    /// Stake: pay `tao_rao` (fee included), receive alpha. The fee stays in the pool's TAO.
    pub fn buy(&mut self, tao_rao: Rao) -> Result<Swap, SwapError> {
        let swap = self.quote_buy(tao_rao)?;
        self.tao_rao += swap.paid;
        self.alpha_rao -= swap.received;
        Ok(swap)
    }

    /// Unstake: pay `alpha_rao`, receive TAO net of the fee (which stays in the pool).
    pub fn sell(&mut self, alpha_rao: Rao) -> Result<Swap, SwapError> {
        let swap = self.quote_sell(alpha_rao)?;
        self.alpha_rao += swap.paid;
        self.tao_rao -= swap.received;
        Ok(swap)
    }

    /// A protocol swap without fee (root alpha sold for TAO, chain buys): returns the amount
    /// received, or 0 (and no change) when the pool cannot take it or it would return nothing
    /// (a swap that takes alpha in for no TAO out would mint alpha no one is paid for).
    pub fn protocol_sell(&mut self, alpha_rao: Rao) -> Rao {
        if alpha_rao == 0 {
            return 0;
        }
        let out = self.tao_out_for(alpha_rao);
        if out == 0 || self.tao_rao - out < MIN_RESERVE_RAO {
            return 0;
        }
        self.alpha_rao += alpha_rao;
        self.tao_rao -= out;
        out
    }

    /// A protocol buy without fee: returns alpha received, 0 (and no change) if refused.
    pub fn protocol_buy(&mut self, tao_rao: Rao) -> Rao {
        if tao_rao == 0 {
            return 0;
        }
        let out = self.alpha_out_for(tao_rao);
        if out == 0 || self.alpha_rao - out < MIN_RESERVE_RAO {
            return 0;
        }
        self.tao_rao += tao_rao;
        self.alpha_rao -= out;
        out
    }

    /// What selling `alpha_rao` would return now (liquidation value); 0 if the pool refuses.
    /// Large positions are valued by the marginal curve, capped at what the pool can pay.
    pub fn liquidation_value(&self, alpha_rao: Rao) -> Rao {
        if alpha_rao == 0 {
            return 0;
        }
        let gross = self.tao_out_for(alpha_rao);
        let gross = gross.min(self.tao_rao.saturating_sub(MIN_RESERVE_RAO));
        gross.saturating_sub(STAKE_FEE_RAO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::RAO_PER_TAO as TAO;

    #[test]
    fn buy_against_a_pool_by_hand() {
        // T = 1,000 TAO, A = 10,000 alpha, k = 1e7 TAO·alpha. Stake 100 TAO + fee:
        // Δτ_net = 100 TAO; A' = k/(T+Δτ) = 1e7/1100 = 9,090.909090909090909... alpha
        // ⌈A'⌉ in rao = 9_090_909_090_910; Δα = 10_000e9 − 9_090_909_090_910 = 909_090_909_090.
        let mut p = Reserves {
            tao_rao: 1_000 * TAO,
            alpha_rao: 10_000 * TAO,
        };
        let s = p.buy(100 * TAO + STAKE_FEE_RAO).unwrap();
        assert_eq!(s.received, 909_090_909_090);
        assert_eq!(p.tao_rao, 1_100 * TAO + STAKE_FEE_RAO);
        assert_eq!(p.alpha_rao, 9_090_909_090_910);
        // The price rose from 0.1 to ≈ 0.121 TAO/alpha.
        assert!((p.price() - 0.121).abs() < 1e-6);
    }

    #[test]
    fn sell_against_a_pool_by_hand() {
        // T = 1,000 TAO, A = 10,000 alpha. Sell 1,000 alpha: T' = 1e7/11,000 = 909.0909... TAO
        // ⌈T'⌉ = 909_090_909_091 rao; gross = 90_909_090_909; net of fee = 90_909_040_909.
        let mut p = Reserves {
            tao_rao: 1_000 * TAO,
            alpha_rao: 10_000 * TAO,
        };
        let s = p.sell(1_000 * TAO).unwrap();
        assert_eq!(s.received, 90_909_040_909);
        assert_eq!(p.alpha_rao, 11_000 * TAO);
        assert_eq!(p.tao_rao, 909_090_909_091 + STAKE_FEE_RAO);
    }

    #[test]
    fn refusals() {
        let mut p = Reserves {
            tao_rao: 20_000_000,
            alpha_rao: 20_000_000,
        };
        assert_eq!(p.buy(STAKE_FEE_RAO), Err(SwapError::BelowFee));
        assert_eq!(p.sell(0), Err(SwapError::BelowFee));
        // Buying half the alpha would leave 1e7 − a little < min reserve.
        assert_eq!(p.buy(30_000_000), Err(SwapError::ReserveTooLow));
        assert_eq!(p.protocol_sell(u64::MAX / 4), 0);
        assert_eq!(p.tao_rao, 20_000_000);
    }

    /// The exact output, by 128-bit division, to check the fast path against.
    fn exact_out(y: u64, x: u64, dx: u64) -> u64 {
        let k = x as u128 * y as u128;
        y - k.div_ceil(x as u128 + dx as u128) as u64
    }

    proptest::proptest! {
        #[test]
        fn curve_out_is_exact(y in 1u64..u64::MAX / 4, x in 1u64..u64::MAX / 4, dx in 0u64..u64::MAX / 4) {
            proptest::prop_assert_eq!(curve_out(y, x, dx), if dx == 0 { 0 } else { exact_out(y, x, dx) });
        }

        #[test]
        fn curve_out_is_exact_at_chain_scales(
            y in 10_000_000u64..100_000_000 * TAO,
            x in 10_000_000u64..100_000_000 * TAO,
            dx in 1u64..1_000_000 * TAO,
        ) {
            proptest::prop_assert_eq!(curve_out(y, x, dx), exact_out(y, x, dx));
        }
    }

    #[test]
    fn k_never_decreases() {
        let mut p = Reserves {
            tao_rao: 777 * TAO + 3,
            alpha_rao: 12_345 * TAO + 11,
        };
        let k0 = p.tao_rao as u128 * p.alpha_rao as u128;
        p.buy(13 * TAO + 7).unwrap();
        let k1 = p.tao_rao as u128 * p.alpha_rao as u128;
        assert!(k1 >= k0);
        p.sell(999 * TAO + 5).unwrap();
        let k2 = p.tao_rao as u128 * p.alpha_rao as u128;
        assert!(k2 >= k1);
        p.protocol_sell(3 * TAO);
        p.protocol_buy(3 * TAO);
        assert!(p.tao_rao as u128 * p.alpha_rao as u128 >= k2);
    }
}
