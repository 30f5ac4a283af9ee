//! What a user's stake or unstake costs, by era (the pool's fee and minimum reserve).
//!
//! - `flat` (dTAO's launch, 2025-02-13): 50,000 rao a swap, kept by the pool; reserves stay
//!   ≥ 1e7 rao.
//! - `proportional` (from 2025-06-30, the Uniswap-v3 pool with protocol liquidity only; same
//!   curve): `⌊amount·33/65,535⌋` of what is paid in (`calculate_fee_amount` at the network's
//!   fee rate 33), kept by the pool; reserves stay ≥ 1e6 rao (`SwapMinimumReserve`).
//!
//! Between 2025-03-19 and 2025-06-30 the chain charged unstakes `max(flat, a small percentage,
//! amount × the hotkey's last-epoch dividend yield)`; the engine keeps the flat fee there (see
//! `docs/mechanisms.md`). The rule follows the later of the start day and the mechanism's era,
//! and YAML can override it (`fees: flat | proportional`).

use crate::units::{Rao, MIN_RESERVE_RAO, STAKE_FEE_RAO};
use serde::{Deserialize, Serialize};
use tourney_sdk::Mechanism;

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
    /// ⌊amount·33/65,535⌋ of the amount paid in; reserves ≥ 1e6 rao.
    Proportional,
}

impl FeeRule {
    /// The rule the chain had on `day` of the transition.
    pub fn on_day(day: f64) -> FeeRule {
        if day >= PROPORTIONAL_FEE_DAY {
            FeeRule::Proportional
        } else {
            FeeRule::Flat
        }
    }

    /// The era's rule for a match of `mechanism` starting on `start_day`: the later of the two
    /// dates (a mechanism of a later era plays with that era's pool).
    pub fn for_match(mechanism: Mechanism, start_day: f64) -> FeeRule {
        FeeRule::on_day(start_day.max(era_start_day(mechanism)))
    }

    /// The fee on a proportional swap's input, or the flat fee.
    #[inline]
    pub fn fee_on(self, amount_in: Rao) -> Rao {
        match self {
            FeeRule::Flat => STAKE_FEE_RAO,
            FeeRule::Proportional => {
                (amount_in as u128 * PROPORTIONAL_FEE_NUMERATOR as u128
                    / PROPORTIONAL_FEE_DENOMINATOR as u128) as Rao
            }
        }
    }

    /// The smallest reserve a user's swap may leave.
    #[inline]
    pub fn min_reserve(self) -> Rao {
        match self {
            FeeRule::Flat => MIN_RESERVE_RAO,
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
        // 1,000 TAO in: ⌊1e12·33/65,535⌋ = 503,547,722 rao (≈ 0.05 %).
        assert_eq!(FeeRule::Proportional.fee_on(1_000_000_000_000), 503_547_722);
        assert_eq!(FeeRule::Flat.fee_on(1_000_000_000_000), 50_000);
    }
}
