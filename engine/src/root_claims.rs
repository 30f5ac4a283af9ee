//! Root claims (from 2025-11-04, with TaoFlow): root's alpha is no longer sold every block.
//!
//! The chain (`pallets/subtensor/src/staking/claim_root.rs` and `run_coinbase.rs`, read at
//! 2025-11-04 and 2025-12-09) accrues root's share of each block's alpha_out as pending root
//! alpha (recycled instead while Σ p̄ ≤ 1); at the subnet's epoch it is split over validators
//! by `d_v·r_v` (`calculate_dividend_distribution`), each validator keeps its take in alpha,
//! and the rest becomes claimable by the hotkey's root stakers pro rata their root stake. A
//! claim (automatic: a few random coldkeys a block; or manual, at any time) settles by the
//! coldkey's `RootClaimType`: **Swap** (the default) sells the alpha through the pool without
//! fee and stakes the TAO on root; **Keep** stakes the alpha on the subnet.
//!
//! Simplified here: every claim settles at the subnet's epoch (on chain the automatic claim
//! reaches a coldkey about weekly, and a staker may claim sooner), so the same alpha meets the
//! pool at the epoch instead of a few days later; the claim's sale counts as root-sell TAO in
//! E4's protocol flow as on chain. Each account's choice comes from the YAML (`agents[].root_claim`,
//! a tournament entrant's `root_claim`, or `entrants.root_claim` for every entrant); background
//! accounts keep the chain's default, Swap.

use crate::fees::era_start_day;
use crate::pool::{Curve, Reserves};
use crate::state::AccountId;
use crate::units::Rao;
use serde::{Deserialize, Serialize};
use tourney_sdk::Mechanism;

/// Transition day from which root alpha is claimed rather than sold each block (2025-11-04,
/// 264 days after 2025-02-13).
pub const ROOT_CLAIMS_DAY: f64 = 264.0;

/// What a coldkey's root claims do with the alpha (`RootClaimTypeEnum`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RootClaim {
    /// Sell the alpha for TAO (no fee) and stake the TAO on root: the chain's default.
    #[default]
    Swap,
    /// Keep the alpha, staked on the subnet.
    Keep,
}

/// Whether a match of `mechanism` starting on `start_day` plays with root claims: the later
/// of the two dates is on or after 2025-11-04.
pub fn active_for_match(mechanism: Mechanism, start_day: f64) -> bool {
    start_day.max(era_start_day(mechanism)) >= ROOT_CLAIMS_DAY
}

/// How one claim settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settled {
    /// TAO the alpha sold for, to be staked on root (Swap).
    pub tao_to_root: Rao,
    /// Alpha the claimant holds (Keep, or a sale the pool refused).
    pub alpha_kept: Rao,
}

/// Settle a claim of `amount` root alpha against subnet pool `pool`: Swap sells it without
/// fee (the chain's `swap_alpha_for_tao(…, drop_fees = true)`), Keep holds it.
pub fn settle(choice: RootClaim, amount: Rao, pool: &mut Reserves, curve: Curve) -> Settled {
    let tao = match choice {
        RootClaim::Keep => 0,
        RootClaim::Swap => pool.protocol_sell_on(curve, amount),
    };
    if tao == 0 {
        Settled {
            tao_to_root: 0,
            alpha_kept: amount,
        }
    } else {
        Settled {
            tao_to_root: tao,
            alpha_kept: 0,
        }
    }
}

/// Root alpha waiting for its subnet's epoch, and each account's claim type.
#[derive(Clone, Debug, Default)]
pub struct RootClaims {
    /// Whether root alpha is claimed (else it is sold every block, the rule before E3).
    pub active: bool,
    /// Root's alpha accrued since the subnet's last epoch, per subnet (alpha outstanding).
    pending_alpha: Vec<Rao>,
    /// Each account's claim type, by account id.
    choice: Vec<RootClaim>,
}

impl RootClaims {
    pub fn new(active: bool, n_subnets: usize, choice: Vec<RootClaim>) -> Self {
        Self {
            active,
            pending_alpha: vec![0; n_subnets],
            choice,
        }
    }

    /// This block's root alpha (`root_alpha[i]`, not sold) becomes pending: minted and
    /// outstanding until the epoch pays it.
    pub fn accrue(
        &mut self,
        root_alpha: &[Rao],
        alpha_minted: &mut [Rao],
        outstanding: &mut [Rao],
    ) {
        // Slices of one length: no bounds checks, and the loop vectorises (it runs every block).
        let n = root_alpha.len();
        let (pending, minted, outstanding) = (
            &mut self.pending_alpha[..n],
            &mut alpha_minted[..n],
            &mut outstanding[..n],
        );
        for i in 0..n {
            pending[i] += root_alpha[i];
            minted[i] += root_alpha[i];
            outstanding[i] += root_alpha[i];
        }
    }

    /// Root alpha pending on subnet `i` (counted in its alpha outstanding).
    pub fn pending(&self, i: usize) -> Rao {
        self.pending_alpha[i]
    }

    /// Take subnet `i`'s pending root alpha for its epoch.
    pub fn take_pending(&mut self, i: usize) -> Rao {
        std::mem::take(&mut self.pending_alpha[i])
    }

    /// The claim type of `account` (Swap, the default, for accounts not listed).
    pub fn choice(&self, account: AccountId) -> RootClaim {
        self.choice.get(account).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_from_e3() {
        assert!(!active_for_match(Mechanism::DtaoPrice, 0.0));
        assert!(!active_for_match(Mechanism::DtaoSubsidy, 263.0));
        assert!(active_for_match(Mechanism::DtaoPrice, 264.0));
        assert!(active_for_match(Mechanism::Taoflow, 0.0));
        assert!(active_for_match(Mechanism::DtaoPriceBurn, 0.0));
    }

    #[test]
    fn accrual_is_minted_and_outstanding() {
        let mut c = RootClaims::new(true, 2, vec![RootClaim::Keep]);
        let (mut minted, mut out) = (vec![10, 20], vec![1, 2]);
        c.accrue(&[5, 0], &mut minted, &mut out);
        c.accrue(&[7, 1], &mut minted, &mut out);
        assert_eq!((minted, out), (vec![22, 21], vec![13, 3]));
        assert_eq!(c.take_pending(0), 12);
        assert_eq!(c.pending(0), 0);
        assert_eq!(c.choice(0), RootClaim::Keep);
        assert_eq!(c.choice(5), RootClaim::Swap);
    }
}
