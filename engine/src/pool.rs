//! The subnet pool: a constant-product TAO–alpha AMM (the E1 pool of the spec, §4).
//!
//! Swaps are computed exactly in integer arithmetic (u128 products, rounding in the pool's
//! favour), so a swap never lowers `k = T·A` and conservation holds to the rao. The chain uses
//! U96F32 fixed point and floors the output: the same results up to that rounding.
//!
//! The Uniswap-v3 era pool with protocol liquidity only is the same curve (x·y = L²) with a
//! proportional 33/65535 fee and a lower minimum reserve: user swaps take a [`FeeRule`]
//! (`fees.rs`); the `buy`/`sell`/`quote_*`/`liquidation_value` names without `_with` use the
//! launch's flat fee; `_at` variants of the sale take the dividend yield that the 2025-03-19
//! unstake fee reads.
//!
//! E5's Balancer weighted pool (`weighted.rs`) is the other [`Curve`]: the same reserves and
//! the same operations (`*_on` methods take the curve, and the sale's the dividend yield too),
//! its swap outputs and price from its weights. Which curve a match plays on follows the
//! mechanism (`EmissionRule::weighted_pool`).

mod weighted;
mod weighted_pow;

pub use weighted::{Weights, MIN_WEIGHT, WEIGHT_ONE};

use crate::fees::FeeRule;
use crate::units::{rao_from_f64, Rao, MIN_RESERVE_RAO, STAKE_FEE_RAO};

/// The curve a pool trades on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Curve {
    /// `T·A = k` (E1–E4: the launch pool and the Uniswap-v3 pool with protocol liquidity only).
    #[default]
    ConstantProduct,
    /// E5's Balancer pool with these weights.
    Weighted(Weights),
}

impl Curve {
    /// The factor by which the pool's price differs from `T/A`: `w_α/w_τ`, 1 for constant
    /// product (so multiplying by it leaves a constant-product price's bits unchanged).
    #[inline]
    pub fn price_factor(self) -> f64 {
        match self {
            Curve::ConstantProduct => 1.0,
            Curve::Weighted(w) => w.price_factor(),
        }
    }
}

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
/// Computed without a 128-bit division where it can be (the root alpha sale runs every block
/// on every subnet): an `f64` estimate of the quotient, proven or corrected by one unit with
/// 64-bit remainders ([`correct_quotient`], the same proof the block kernel's vectorised sale
/// uses); anything it cannot prove (operands past 2^53 rao) takes the exact division.
#[inline]
fn curve_out(y: Rao, x: Rao, dx: Rao) -> Rao {
    if dx == 0 || y == 0 {
        return 0;
    }
    if (x | dx) >> 62 == 0 {
        let new_x = x + dx;
        let (out, proven) = correct_quotient(y, dx, new_x, quotient_estimate(y, dx, new_x));
        if proven {
            return out;
        }
    }
    (y as u128 * dx as u128 / (x as u128 + dx as u128)) as Rao
}

/// `⌊amount·part / total⌋`, a pro-rata share (`part ≤ total`): the same estimate and proof as
/// [`curve_out`] where the operands are below 2^53 rao (every payout at chain scales), the
/// exact 128-bit division otherwise. Epoch payouts compute one per holder per subnet.
#[inline]
pub(crate) fn pro_rata_floor(amount: Rao, part: Rao, total: u128) -> Rao {
    if total == 0 {
        return 0;
    }
    if total < 1 << 53 && part as u128 <= total {
        let total = total as Rao;
        let (out, proven) =
            correct_quotient(amount, part, total, quotient_estimate(amount, part, total));
        if proven {
            return out;
        }
    }
    (amount as u128 * part as u128 / total) as Rao
}

/// An `f64` estimate of `⌊y·dx / new_x⌋`: within 3 of it when `y` and `new_x` are below 2^53
/// (`f64` represents them exactly; the division and product add a relative error of 2^-52, and
/// the truncation less than 1).
#[inline(always)]
pub(crate) fn quotient_estimate(y: Rao, dx: Rao, new_x: Rao) -> Rao {
    // Signed conversions: single instructions, and they vectorise.
    rao_from_f64(y as i64 as f64 * (dx as i64 as f64 / new_x as i64 as f64))
}

/// `⌊y·dx / new_x⌋` from an estimate, and whether it is proven: the remainder
/// `y·dx − estimate·new_x` is computed mod 2^64, which is its true value when `y` and `new_x`
/// are below 2^53 and the estimate is within a few units (the estimate's error times `new_x`); a
/// remainder in `[−new_x, 2·new_x)` proves the estimate or its neighbour.
#[inline(always)]
pub(crate) fn correct_quotient(y: Rao, dx: Rao, new_x: Rao, estimate: Rao) -> (Rao, bool) {
    const EXACT_BELOW: Rao = 1 << 53;
    let remainder = y
        .wrapping_mul(dx)
        .wrapping_sub(estimate.wrapping_mul(new_x)) as i64;
    let nx = new_x as i64;
    let proven = (y | new_x) < EXACT_BELOW && remainder >= -nx && remainder < 2 * nx;
    let out = estimate
        .wrapping_add((remainder >= nx) as Rao)
        .wrapping_sub((remainder < 0) as Rao);
    (out, proven)
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

    /// Spot price on `curve`, TAO per alpha: `(w_α/w_τ)·T/A` for a weighted pool.
    #[inline]
    pub fn price_on(&self, curve: Curve) -> f64 {
        self.price() * curve.price_factor()
    }

    /// Alpha out for `tao_net` TAO in, no fee. Constant product:
    /// `Δα = ⌊A·Δτ/(T+Δτ)⌋ = A − ⌈k/(T+Δτ)⌉`; weighted: [`Weights::alpha_out`].
    #[inline]
    fn alpha_out_for(&self, curve: Curve, tao_net: Rao) -> Rao {
        match curve {
            Curve::ConstantProduct => curve_out(self.alpha_rao, self.tao_rao, tao_net),
            Curve::Weighted(w) => w.alpha_out(self.tao_rao, self.alpha_rao, tao_net),
        }
    }

    /// TAO out for `alpha_in` alpha in, no fee. Constant product:
    /// `Δτ = ⌊T·Δα/(A+Δα)⌋ = T − ⌈k/(A+Δα)⌉`; weighted: [`Weights::tao_out`].
    #[inline]
    fn tao_out_for(&self, curve: Curve, alpha_in: Rao) -> Rao {
        match curve {
            Curve::ConstantProduct => curve_out(self.tao_rao, self.alpha_rao, alpha_in),
            Curve::Weighted(w) => w.tao_out(self.tao_rao, self.alpha_rao, alpha_in),
        }
    }

    /// Quote a stake (buy alpha with `tao_rao`, the flat fee included) without applying it.
    pub fn quote_buy(&self, tao_rao: Rao) -> Result<Swap, SwapError> {
        self.quote_buy_with(FeeRule::Flat, tao_rao)
    }

    /// Quote a stake under `fees`: the fee is taken from the TAO paid in and stays in the pool.
    pub fn quote_buy_with(&self, fees: FeeRule, tao_rao: Rao) -> Result<Swap, SwapError> {
        self.quote_buy_on(Curve::ConstantProduct, fees, tao_rao)
    }

    /// Quote a stake on `curve` under `fees`.
    pub fn quote_buy_on(
        &self,
        curve: Curve,
        fees: FeeRule,
        tao_rao: Rao,
    ) -> Result<Swap, SwapError> {
        let fee = fees.fee_on(tao_rao);
        if tao_rao <= fee || (fees == FeeRule::Flat && tao_rao <= STAKE_FEE_RAO) {
            return Err(SwapError::BelowFee);
        }
        let received = self.alpha_out_for(curve, tao_rao - fee);
        if received == 0 || self.alpha_rao.saturating_sub(received) < fees.min_reserve() {
            return Err(SwapError::ReserveTooLow);
        }
        Ok(Swap {
            paid: tao_rao,
            received,
            fee_rao: fee,
        })
    }

    /// Quote an unstake (sell `alpha_rao` for TAO, the flat fee deducted) without applying it.
    pub fn quote_sell(&self, alpha_rao: Rao) -> Result<Swap, SwapError> {
        self.quote_sell_with(FeeRule::Flat, alpha_rao)
    }

    /// Quote an unstake under `fees`. Flat: 50,000 rao off the TAO out. Proportional: the fee
    /// is taken from the alpha paid in, which the pool keeps whole; `fee_rao` is then in alpha.
    pub fn quote_sell_with(&self, fees: FeeRule, alpha_rao: Rao) -> Result<Swap, SwapError> {
        self.quote_sell_on(Curve::ConstantProduct, fees, alpha_rao, 0.0)
    }

    /// Quote an unstake under `fees` from a hotkey whose last-epoch dividend yield is
    /// `dividend_yield` (only `unstake-yield` reads it): that era's fee comes off the TAO out.
    pub fn quote_sell_at(
        &self,
        fees: FeeRule,
        alpha_rao: Rao,
        dividend_yield: f64,
    ) -> Result<Swap, SwapError> {
        self.quote_sell_on(Curve::ConstantProduct, fees, alpha_rao, dividend_yield)
    }

    /// Quote an unstake on `curve` under `fees`, from a hotkey of last-epoch dividend yield
    /// `dividend_yield`.
    pub fn quote_sell_on(
        &self,
        curve: Curve,
        fees: FeeRule,
        alpha_rao: Rao,
        dividend_yield: f64,
    ) -> Result<Swap, SwapError> {
        if alpha_rao == 0 {
            return Err(SwapError::BelowFee);
        }
        let (gross, fee_out, fee) = match fees {
            FeeRule::Flat | FeeRule::UnstakeYield => {
                let gross = self.tao_out_for(curve, alpha_rao);
                let fee = fees.unstake_fee(gross, dividend_yield);
                (gross, fee, fee)
            }
            FeeRule::Proportional => {
                let fee = fees.fee_on(alpha_rao);
                (self.tao_out_for(curve, alpha_rao - fee), 0, fee)
            }
        };
        if gross <= fee_out {
            return Err(SwapError::BelowFee);
        }
        if self.tao_rao.saturating_sub(gross) < fees.min_reserve() {
            return Err(SwapError::ReserveTooLow);
        }
        Ok(Swap {
            paid: alpha_rao,
            received: gross - fee_out,
            fee_rao: fee,
        })
    }

    /// Stake: pay `tao_rao` (fee included), receive alpha. The fee stays in the pool's TAO.
    pub fn buy(&mut self, tao_rao: Rao) -> Result<Swap, SwapError> {
        self.buy_with(FeeRule::Flat, tao_rao)
    }

    /// Stake under `fees`.
    pub fn buy_with(&mut self, fees: FeeRule, tao_rao: Rao) -> Result<Swap, SwapError> {
        self.buy_on(Curve::ConstantProduct, fees, tao_rao)
    }

    /// Stake on `curve` under `fees`.
    pub fn buy_on(&mut self, curve: Curve, fees: FeeRule, tao_rao: Rao) -> Result<Swap, SwapError> {
        let swap = self.quote_buy_on(curve, fees, tao_rao)?;
        self.tao_rao += swap.paid;
        self.alpha_rao -= swap.received;
        Ok(swap)
    }

    /// Unstake: pay `alpha_rao`, receive TAO net of the fee (which stays in the pool).
    pub fn sell(&mut self, alpha_rao: Rao) -> Result<Swap, SwapError> {
        self.sell_with(FeeRule::Flat, alpha_rao)
    }

    /// Unstake under `fees`.
    pub fn sell_with(&mut self, fees: FeeRule, alpha_rao: Rao) -> Result<Swap, SwapError> {
        self.sell_on(Curve::ConstantProduct, fees, alpha_rao, 0.0)
    }

    /// Unstake under `fees` from a hotkey of last-epoch dividend yield `dividend_yield`.
    pub fn sell_at(
        &mut self,
        fees: FeeRule,
        alpha_rao: Rao,
        dividend_yield: f64,
    ) -> Result<Swap, SwapError> {
        self.sell_on(Curve::ConstantProduct, fees, alpha_rao, dividend_yield)
    }

    /// Unstake on `curve` under `fees` from a hotkey of dividend yield `dividend_yield`.
    pub fn sell_on(
        &mut self,
        curve: Curve,
        fees: FeeRule,
        alpha_rao: Rao,
        dividend_yield: f64,
    ) -> Result<Swap, SwapError> {
        let swap = self.quote_sell_on(curve, fees, alpha_rao, dividend_yield)?;
        self.alpha_rao += swap.paid;
        self.tao_rao -= swap.received;
        Ok(swap)
    }

    /// A protocol swap without fee (root alpha sold for TAO, chain buys): returns the amount
    /// received, or 0 (and no change) when the pool cannot take it or it would return nothing
    /// (a swap that takes alpha in for no TAO out would mint alpha no one is paid for).
    #[inline]
    pub fn protocol_sell(&mut self, alpha_rao: Rao) -> Rao {
        self.protocol_sell_on(Curve::ConstantProduct, alpha_rao)
    }

    /// A protocol sale on `curve`.
    #[inline]
    pub fn protocol_sell_on(&mut self, curve: Curve, alpha_rao: Rao) -> Rao {
        if alpha_rao == 0 {
            return 0;
        }
        let out = self.tao_out_for(curve, alpha_rao);
        if out == 0 || self.tao_rao.saturating_sub(out) < MIN_RESERVE_RAO {
            return 0;
        }
        self.alpha_rao += alpha_rao;
        self.tao_rao -= out;
        out
    }

    /// A protocol buy without fee: returns alpha received, 0 (and no change) if refused.
    #[inline]
    pub fn protocol_buy(&mut self, tao_rao: Rao) -> Rao {
        self.protocol_buy_on(Curve::ConstantProduct, tao_rao)
    }

    /// A protocol buy on `curve`.
    #[inline]
    pub fn protocol_buy_on(&mut self, curve: Curve, tao_rao: Rao) -> Rao {
        if tao_rao == 0 {
            return 0;
        }
        let out = self.alpha_out_for(curve, tao_rao);
        if out == 0 || self.alpha_rao.saturating_sub(out) < MIN_RESERVE_RAO {
            return 0;
        }
        self.tao_rao += tao_rao;
        self.alpha_rao -= out;
        out
    }

    /// What selling `alpha_rao` would return now (liquidation value); 0 if the pool refuses.
    /// Large positions are valued by the marginal curve, capped at what the pool can pay.
    pub fn liquidation_value(&self, alpha_rao: Rao) -> Rao {
        self.liquidation_value_with(FeeRule::Flat, alpha_rao)
    }

    /// What selling `alpha_rao` would return now under `fees`.
    pub fn liquidation_value_with(&self, fees: FeeRule, alpha_rao: Rao) -> Rao {
        self.liquidation_value_on(Curve::ConstantProduct, fees, alpha_rao, 0.0)
    }

    /// What selling `alpha_rao` from a hotkey of dividend yield `dividend_yield` would return.
    pub fn liquidation_value_at(&self, fees: FeeRule, alpha_rao: Rao, dividend_yield: f64) -> Rao {
        self.liquidation_value_on(Curve::ConstantProduct, fees, alpha_rao, dividend_yield)
    }

    /// What selling `alpha_rao` on `curve` from a hotkey of dividend yield `dividend_yield`
    /// would return now under `fees`.
    pub fn liquidation_value_on(
        &self,
        curve: Curve,
        fees: FeeRule,
        alpha_rao: Rao,
        dividend_yield: f64,
    ) -> Rao {
        if alpha_rao == 0 {
            return 0;
        }
        let (gross, fee_out) = match fees {
            FeeRule::Flat | FeeRule::UnstakeYield => {
                let gross = self.tao_out_for(curve, alpha_rao);
                (gross, fees.unstake_fee(gross, dividend_yield))
            }
            FeeRule::Proportional => (
                self.tao_out_for(curve, alpha_rao - fees.fee_on(alpha_rao)),
                0,
            ),
        };
        let gross = gross.min(self.tao_rao.saturating_sub(fees.min_reserve()));
        gross.saturating_sub(fee_out)
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
    fn proportional_fee_by_hand() {
        // T = 1,000 TAO, A = 10,000 alpha. Stake 100 TAO: fee ⌊1e11·33/65,535⌋ = 50,354,772
        // rao; Δτ_net = 99,949,645,228; Δα = ⌊1e13·Δτ/(1e12 + Δτ)⌋ = 908,674,734,899.
        let mut p = Reserves {
            tao_rao: 1_000 * TAO,
            alpha_rao: 10_000 * TAO,
        };
        let s = p.buy_with(FeeRule::Proportional, 100 * TAO).unwrap();
        assert_eq!((s.fee_rao, s.received), (50_354_772, 908_674_734_899));
        assert_eq!(p.tao_rao, 1_100 * TAO);
        // Sell 1,000 alpha from the start pool: fee ⌊1e12·33/65,535⌋ = 503,547,722 alpha rao;
        // Δτ = ⌊1e12·999,496,452,278/(1e13 + 999,496,452,278)⌋ = 90,867,473,489.
        let mut p = Reserves {
            tao_rao: 1_000 * TAO,
            alpha_rao: 10_000 * TAO,
        };
        let s = p.sell_with(FeeRule::Proportional, 1_000 * TAO).unwrap();
        assert_eq!(s.received, 90_867_473_489);
        assert_eq!(p.alpha_rao, 11_000 * TAO);
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
    /// `pro_rata_floor` of `amount` for `part` of a total of `part + extra`.
    fn pro_rata_with_extra(amount: Rao, part: Rao, extra: Rao) -> Rao {
        pro_rata_floor(amount, part, part as u128 + extra as u128)
    }

    /// The reference: the 128-bit floor division (0 when the total is 0).
    fn exact_pro_rata(amount: Rao, part: Rao, extra: Rao) -> Rao {
        let total = part as u128 + extra as u128;
        (amount as u128 * part as u128)
            .checked_div(total)
            .unwrap_or(0) as Rao
    }

    fn exact_out(y: u64, x: u64, dx: u64) -> u64 {
        let k = x as u128 * y as u128;
        y - k.div_ceil(x as u128 + dx as u128) as u64
    }

    #[test]
    fn quotient_correction_when_the_division_is_exact() {
        // 100·50 / 100 = 50 exactly: the remainder of estimate 49 is exactly new_x.
        assert_eq!(correct_quotient(100, 50, 100, 49), (50, true));
        assert_eq!(correct_quotient(100, 50, 100, 50), (50, true));
        assert_eq!(correct_quotient(100, 50, 100, 51), (50, true));
        assert!(!correct_quotient(100, 50, 100, 48).1);
        assert!(!correct_quotient(100, 50, 100, 52).1);
        // Past 2^53 nothing is proven.
        assert!(!correct_quotient(1 << 53, 1, 2, 1 << 52).1);
    }

    proptest::proptest! {
        /// Any estimate within one of the quotient is corrected to it and proven; one further
        /// off is never proven.
        #[test]
        fn quotient_correction_is_exact(
            y in 0u64..1 << 53,
            dx in 0u64..1 << 45,
            x in 1u64..1 << 52,
            offset in -3i64..=3,
        ) {
            let new_x = x + dx;
            let exact = (y as u128 * dx as u128 / new_x as u128) as Rao;
            let estimate = exact as i64 + offset;
            proptest::prop_assume!(estimate >= 0);
            let (out, proven) = correct_quotient(y, dx, new_x, estimate as Rao);
            proptest::prop_assert_eq!(proven, offset.abs() <= 1);
            if proven {
                proptest::prop_assert_eq!(out, exact);
            }
        }

        #[test]
        fn curve_out_is_exact(y in 1u64..u64::MAX / 4, x in 1u64..u64::MAX / 4, dx in 0u64..u64::MAX / 4) {
            proptest::prop_assert_eq!(curve_out(y, x, dx), if dx == 0 { 0 } else { exact_out(y, x, dx) });
        }

        #[test]
        fn pro_rata_floor_is_exact(amount in 0u64..u64::MAX / 2, part in 0u64..u64::MAX / 2, extra in 0u64..u64::MAX / 2) {
            proptest::prop_assert_eq!(pro_rata_with_extra(amount, part, extra), exact_pro_rata(amount, part, extra));
        }

        #[test]
        fn pro_rata_floor_is_exact_at_chain_scales(
            amount in 0u64..1_000_000 * TAO,
            part in 0u64..10_000_000 * TAO,
            extra in 0u64..10_000_000 * TAO,
        ) {
            proptest::prop_assert_eq!(pro_rata_with_extra(amount, part, extra), exact_pro_rata(amount, part, extra));
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

    proptest::proptest! {
        /// On a weighted pool a swap and its reverse never create value: selling alpha and
        /// buying back with all the TAO received returns at most the alpha sold, and the other
        /// way round (protocol swaps, no fee: the tightest case). The chain's floors of `E` can
        /// round one output up by a rao, never enough to profit from the round trip.
        #[test]
        fn weighted_round_trips_never_create_value(
            tao in 10_000_000u64..1_000_000 * TAO,
            alpha in 10_000_000u64..10_000_000 * TAO,
            amount in 1u64..10_000 * TAO,
            quote in MIN_WEIGHT..=WEIGHT_ONE - MIN_WEIGHT,
            user_fees in proptest::bool::ANY,
        ) {
            let curve = Curve::Weighted(Weights::from_quote_parts(quote).unwrap());
            let start = Reserves { tao_rao: tao, alpha_rao: alpha };
            // Alpha → TAO → alpha.
            let mut pool = start;
            let tao_out = pool.protocol_sell_on(curve, amount);
            if tao_out > 0 {
                let back = pool.protocol_buy_on(curve, tao_out);
                proptest::prop_assert!(back <= amount, "{} alpha sold, {} back", amount, back);
            }
            // TAO → alpha → TAO, with the user's proportional fee or none.
            let mut pool = start;
            let fees = if user_fees { FeeRule::Proportional } else { FeeRule::Flat };
            if let Ok(bought) = pool.buy_on(curve, fees, amount) {
                if let Ok(sold) = pool.sell_on(curve, fees, bought.received, 0.0) {
                    proptest::prop_assert!(sold.received <= amount, "{} TAO in, {} back", amount, sold.received);
                }
            }
            let mut pool = start;
            let alpha_out = pool.protocol_buy_on(curve, amount);
            if alpha_out > 0 {
                let back = pool.protocol_sell_on(curve, alpha_out);
                proptest::prop_assert!(back <= amount, "{} TAO in, {} back", amount, back);
            }
        }

        /// A weighted pool's swap pays out less than the spot price would (the curve is
        /// convex) and never more than the reserve.
        #[test]
        fn weighted_swaps_pay_less_than_spot(
            tao in 10_000_000u64..1_000_000 * TAO,
            alpha in 10_000_000u64..10_000_000 * TAO,
            amount in 1u64..10_000 * TAO,
            quote in MIN_WEIGHT..=WEIGHT_ONE - MIN_WEIGHT,
        ) {
            let curve = Curve::Weighted(Weights::from_quote_parts(quote).unwrap());
            let pool = Reserves { tao_rao: tao, alpha_rao: alpha };
            let price = pool.price_on(curve);
            let out = curve_tao_out(pool, curve, amount);
            proptest::prop_assert!(out <= tao);
            // One rao of slack for the chain's rounding (up to a rao in the seller's favour).
            proptest::prop_assert!(out as f64 <= amount as f64 * price * (1.0 + 1e-9) + 1.0);
        }
    }

    fn curve_tao_out(pool: Reserves, curve: Curve, alpha_in: Rao) -> Rao {
        pool.tao_out_for(curve, alpha_in)
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
