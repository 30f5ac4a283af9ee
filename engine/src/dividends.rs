//! Who receives a subnet's validator emission at its epoch: the chain's split of each
//! validator's Yuma dividend by that validator's own stake mix, the validator take, and the
//! dates from which the owner's own miner incentive is burned.
//!
//! The chain (`calculate_dividend_distribution`, `pallets/subtensor/src/coinbase/
//! run_coinbase.rs`, in this form since 2025-02-24) gives each validator hotkey v with Yuma
//! dividend d_v a root fraction `r_v = τw·root_v / (alpha_v + τw·root_v)`. The alpha pool of the
//! epoch (the validators' half of alpha_out less root's part) is paid ∝ `d_v·(1 − r_v)`; the TAO
//! that root's alpha sold for is paid ∝ `d_v·r_v`. So a root-heavy validator that loses
//! consensus loses its root income too, and a validator holding only alpha takes no root TAO.
//! Before 2025-02-24 the same split was not renormalised to the pool; the engine uses the
//! renormalised form from launch (see `docs/mechanisms.md`).

use crate::units::{rao_from_f64, Rao};

/// Transition day (days after dTAO's launch on 2025-02-13) from which Yuma incentive assigned to
/// the subnet owner's own hotkeys is burned instead of paid (2025-03-19,
/// `distribute_dividends_and_incentives`).
pub const OWNER_MINER_BURN_DAY: f64 = 34.0;

/// Default validator (delegate) take on dividends paid to nominators: 11,796/65,535 ≈ 18 %
/// (`DefaultDelegateTake`).
pub const VALIDATOR_TAKE_NUMERATOR: u64 = 11_796;
pub const VALIDATOR_TAKE_DENOMINATOR: u64 = 65_535;

/// The take the validator keeps out of `amount` paid through it: `⌊amount·11796/65535⌋`.
pub fn validator_take(amount: Rao) -> Rao {
    (amount as u128 * VALIDATOR_TAKE_NUMERATOR as u128 / VALIDATOR_TAKE_DENOMINATOR as u128) as Rao
}

/// One validator's stake on the subnet, split by origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StakeMix {
    /// Alpha staked on the subnet, rao.
    pub alpha: f64,
    /// Root stake times the (effective) TaoWeight, τw·root, rao.
    pub root_weighted: f64,
}

impl StakeMix {
    /// r_v = τw·root / (alpha + τw·root); 0 for a validator with no stake.
    pub fn root_fraction(self) -> f64 {
        let total = self.alpha + self.root_weighted;
        if total > 0.0 {
            self.root_weighted / total
        } else {
            0.0
        }
    }
}

/// Split the epoch's `pending_alpha` (validators' alpha) and `pending_tao` (root's TAO) over
/// validators with Yuma dividends `dividends` and stake mixes `stake`: validator v gets
/// `⌊pending_alpha·d_v(1−r_v)/Σ d(1−r)⌋` alpha and `⌊pending_tao·d_v·r_v/Σ d·r⌋` TAO. Writes
/// into `alpha_out` and `tao_out` (resized to the validator count); what the floors leave, or
/// a whole pool when its weights sum to zero, is not paid (the caller recycles it). The sums
/// never exceed the pools.
pub fn split_by_stake_mix(
    dividends: &[f64],
    stake: &[StakeMix],
    pending_alpha: Rao,
    pending_tao: Rao,
    alpha_out: &mut Vec<Rao>,
    tao_out: &mut Vec<Rao>,
) {
    let n = dividends.len();
    alpha_out.clear();
    alpha_out.resize(n, 0);
    tao_out.clear();
    tao_out.resize(n, 0);
    let (mut alpha_weight, mut root_weight) = (0.0, 0.0);
    for (d, s) in dividends.iter().zip(stake) {
        let r = s.root_fraction();
        alpha_weight += d * (1.0 - r);
        root_weight += d * r;
    }
    let (mut alpha_paid, mut tao_paid) = (0, 0);
    for v in 0..n {
        let r = stake[v].root_fraction();
        if alpha_weight > 0.0 {
            let a = rao_from_f64(pending_alpha as f64 * (dividends[v] * (1.0 - r)) / alpha_weight);
            alpha_out[v] = a.min(pending_alpha - alpha_paid);
            alpha_paid += alpha_out[v];
        }
        if root_weight > 0.0 {
            let t = rao_from_f64(pending_tao as f64 * (dividends[v] * r) / root_weight);
            tao_out[v] = t.min(pending_tao - tao_paid);
            tao_paid += tao_out[v];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_is_eighteen_percent_floored() {
        // 1e9·11796/65535 = 179,995,422.31… → 179,995,422.
        assert_eq!(validator_take(1_000_000_000), 179_995_422);
        assert_eq!(validator_take(5), 0);
    }

    #[test]
    fn pure_alpha_and_pure_root_validators_take_one_pool_each() {
        let stake = [
            StakeMix {
                alpha: 100.0,
                root_weighted: 0.0,
            },
            StakeMix {
                alpha: 0.0,
                root_weighted: 300.0,
            },
        ];
        let (mut a, mut t) = (Vec::new(), Vec::new());
        split_by_stake_mix(&[0.25, 0.75], &stake, 1_000, 600, &mut a, &mut t);
        assert_eq!(a, vec![1_000, 0]);
        assert_eq!(t, vec![0, 600]);
    }

    #[test]
    fn a_validator_without_dividends_gets_nothing_and_empty_pools_are_left() {
        let stake = [StakeMix {
            alpha: 0.0,
            root_weighted: 50.0,
        }];
        let (mut a, mut t) = (Vec::new(), Vec::new());
        // Only a root validator earns: no alpha weight, so the alpha pool is not paid.
        split_by_stake_mix(&[1.0], &stake, 1_000, 77, &mut a, &mut t);
        assert_eq!((a[0], t[0]), (0, 77));
        split_by_stake_mix(&[0.0], &stake, 1_000, 77, &mut a, &mut t);
        assert_eq!((a[0], t[0]), (0, 0));
    }
}
