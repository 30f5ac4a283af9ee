//! What a user's stake or unstake costs, by era (the pool's fee and minimum reserve).
//!
//! - `flat` (dTAO's launch, 2025-02-13): 50,000 rao a swap, kept by the pool; reserves stay
//!   ≥ 1e7 rao.
//! - `proportional` (from 2025-06-30, the Uniswap-v3 pool with protocol liquidity only; same
//!   curve): `⌊amount·33/65,535⌋` of what is paid in (`calculate_fee_amount` at the network's
//!   fee rate 33), kept by the pool; reserves stay ≥ 1e6 rao (`SwapMinimumReserve`).
//!
//! - `unstake-yield` (2025-03-19 to 2025-06-30): stakes pay the flat fee; an unstake pays
//!   `max(50,000 rao, ⌊τ·0.00005⌋, ⌊τ·D/A⌋)` off the TAO it receives, kept by the pool, where τ
//!   is the TAO the alpha would fetch without fee and D/A the dividend yield of the hotkey the
//!   alpha is staked on at its last epoch: the alpha dividends it paid its nominators (net of the
//!   take) over the alpha staked on it then (`calculate_staking_fee`,
//!   `pallets/subtensor/src/staking/stake_utils.rs`, read at 2025-04-11; the 0.005 % floor,
//!   "20 % APR", came 2025-03-28 and the engine applies it from 03-19). An unstake is charged
//!   about one epoch's dividends, so hopping out and back in right after an epoch does not pay.
//!
//! The rule follows the later of the start day and the mechanism's era, and YAML can override
//! it (`fees: flat | unstake-yield | proportional`).

use crate::units::{Rao, MIN_RESERVE_RAO, STAKE_FEE_RAO};
use serde::{Deserialize, Serialize};
use tourney_sdk::Mechanism;

/// Transition day of the dividend-yield unstake fee (2025-03-19, 34 days after 2025-02-13).
pub const UNSTAKE_YIELD_FEE_DAY: f64 = 34.0;
/// The unstake fee's floor rate, 0.005 % of the TAO out (`apr_20_percent` = 0.00005), as a
/// ratio of integers so that the floor is exact.
pub const UNSTAKE_FLOOR_NUMERATOR: u64 = 5;
pub const UNSTAKE_FLOOR_DENOMINATOR: u64 = 100_000;
/// Transition day of the v3 pool (2025-06-30, 137 days after 2025-02-13).
pub const PROPORTIONAL_FEE_DAY: f64 = 137.0;
/// The v3 pool's fee rate, of `u16::MAX`.
pub const PROPORTIONAL_FEE_NUMERATOR: u64 = 33;
pub const PROPORTIONAL_FEE_DENOMINATOR: u64 = 65_535;
/// The v3 pool's minimum reserve, rao.
pub const PROPORTIONAL_MIN_RESERVE_RAO: Rao = 1_000_000;

/// A pool's fee rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeeRule {
    /// 50,000 rao a swap; reserves ≥ 1e7 rao.
    #[default]
    Flat,
    /// Stakes: 50,000 rao. Unstakes: max(50,000 rao, 0.005 %, the hotkey's last-epoch
    /// dividend yield) of the TAO out. Reserves ≥ 1e7 rao.
    UnstakeYield,
    /// ⌊amount·33/65,535⌋ of the amount paid in; reserves ≥ 1e6 rao.
    Proportional,
}

impl FeeRule {
    /// The rule the chain had on `day` of the transition.
    pub fn on_day(day: f64) -> FeeRule {
        if day >= PROPORTIONAL_FEE_DAY {
            FeeRule::Proportional
        } else if day >= UNSTAKE_YIELD_FEE_DAY {
            FeeRule::UnstakeYield
        } else {
            FeeRule::Flat
        }
    }

    /// The era's rule for a match of `mechanism` starting on `start_day`: the later of the two
    /// dates (a mechanism of a later era plays with that era's pool).
    pub fn for_match(mechanism: Mechanism, start_day: f64) -> FeeRule {
        FeeRule::on_day(start_day.max(era_start_day(mechanism)))
    }

    /// The fee on a proportional swap's input, or the flat fee (a stake's fee under every
    /// other rule).
    #[inline]
    pub fn fee_on(self, amount_in: Rao) -> Rao {
        match self {
            FeeRule::Flat | FeeRule::UnstakeYield => STAKE_FEE_RAO,
            FeeRule::Proportional => {
                (amount_in as u128 * PROPORTIONAL_FEE_NUMERATOR as u128
                    / PROPORTIONAL_FEE_DENOMINATOR as u128) as Rao
            }
        }
    }

    /// The fee an unstake pays out of the TAO it would receive without fee, `tao_out`, under
    /// this rule, given the dividend yield of the hotkey the alpha is staked on (alpha paid
    /// per alpha staked at its last epoch; 0 for a hotkey that paid none). Proportional fees
    /// are taken from the alpha in instead, so this is 0 for them.
    pub fn unstake_fee(self, tao_out: Rao, dividend_yield: f64) -> Rao {
        match self {
            FeeRule::Flat => STAKE_FEE_RAO,
            FeeRule::UnstakeYield => {
                let floor = (tao_out as u128 * UNSTAKE_FLOOR_NUMERATOR as u128
                    / UNSTAKE_FLOOR_DENOMINATOR as u128) as Rao;
                let by_yield = crate::units::rao_from_f64(tao_out as f64 * dividend_yield.max(0.0));
                STAKE_FEE_RAO.max(floor).max(by_yield)
            }
            FeeRule::Proportional => 0,
        }
    }

    /// Whether an unstake's fee depends on the hotkey's dividend yield.
    #[inline]
    pub fn uses_dividend_yield(self) -> bool {
        self == FeeRule::UnstakeYield
    }

    /// The smallest reserve a user's swap may leave.
    #[inline]
    pub fn min_reserve(self) -> Rao {
        match self {
            FeeRule::Flat | FeeRule::UnstakeYield => MIN_RESERVE_RAO,
            FeeRule::Proportional => PROPORTIONAL_MIN_RESERVE_RAO,
        }
    }
}

/// The day of the transition each mechanism's era began (0 for launch-era rules and
/// counterfactuals, which play on the launch pool unless the start day is later).
pub fn era_start_day(mechanism: Mechanism) -> f64 {
    match mechanism {
        // 2025-07-01, 2025-11-04, 2026-05-01, 2026-06-30 (days after 2025-02-13).
        Mechanism::DtaoSubsidy => 138.0,
        Mechanism::Taoflow => 264.0,
        Mechanism::TaoflowNet => 442.0,
        Mechanism::DtaoPriceBurn => 502.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fees_by_era() {
        assert_eq!(FeeRule::for_match(Mechanism::DtaoPrice, 0.0), FeeRule::Flat);
        assert_eq!(
            FeeRule::for_match(Mechanism::DtaoPrice, 200.0),
            FeeRule::Proportional
        );
        assert_eq!(
            FeeRule::for_match(Mechanism::Taoflow, 0.0),
            FeeRule::Proportional
        );
        assert_eq!(
            FeeRule::for_match(Mechanism::DtaoPrice, 33.9),
            FeeRule::Flat
        );
        assert_eq!(
            FeeRule::for_match(Mechanism::DtaoPrice, 34.0),
            FeeRule::UnstakeYield
        );
        assert_eq!(
            FeeRule::for_match(Mechanism::DtaoPrice, 136.9),
            FeeRule::UnstakeYield
        );
        // 1,000 TAO in: ⌊1e12·33/65,535⌋ = 503,547,722 rao (≈ 0.05 %).
        assert_eq!(FeeRule::Proportional.fee_on(1_000_000_000_000), 503_547_722);
        assert_eq!(FeeRule::Flat.fee_on(1_000_000_000_000), 50_000);
    }
}
