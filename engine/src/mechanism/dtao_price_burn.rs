//! `dtao-price-burn` (E5, 2026-06): EMA-price shares scaled by `1 − MinerBurned_i` (the share of
//! miner incentive consensus sends to the owner's burn uid) and renormalised; injection as E3
//! with the cap `root_proportion × α_e`; root alpha sold only while Σ p̄ > 1.
//!
//! Its pools are the Balancer weighted pools the chain moved to on 2026-06-25 (`pool/weighted.rs`),
//! weights re-solved at every injection. The pool belongs to the mechanism: an E5 match that
//! starts earlier (a counterfactual) still plays on it, as the fee rule follows E5's era.

use super::{normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct DtaoPriceBurn {
    injection: InjectionRule,
}

impl DtaoPriceBurn {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E5RootCap),
        }
    }
}

impl EmissionRule for DtaoPriceBurn {
    fn mechanism(&self) -> Mechanism {
        Mechanism::DtaoPriceBurn
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        for ((o, &ema), &burned) in out
            .iter_mut()
            .zip(&subnets.ema_price)
            .zip(&subnets.miner_burned)
        {
            *o = ema * (1.0 - burned.clamp(0.0, 1.0));
        }
        normalize_shares(out);
        // When every subnet burns all its miner emission the weights vanish; the chain then
        // falls back to the plain EMA-price shares so the block's emission is not stranded
        // (`get_shares`, read at 2026-06-30).
        if out.iter().all(|&x| x == 0.0) {
            super::dtao_price::ema_price_shares(subnets, out);
        }
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
    fn sells_root_alpha(&self, subnets: &Subnets) -> bool {
        super::sells_root_while_prices_sum_above_one(subnets)
    }
    fn weighted_pool(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::test_support::subnets;

    #[test]
    fn burned_miner_incentive_costs_emission_share() {
        // p̄ = [0.1, 0.1, 0.2], burned = [0, 0.5, 0.75] → [0.1, 0.05, 0.05] → [0.5, 0.25, 0.25].
        let mut s = subnets(&[0.1, 0.1, 0.2], &[0.; 3], &[0.; 3], &[0; 3]);
        s.miner_burned = vec![0.0, 0.5, 0.75];
        let mut out = [0.0; 3];
        DtaoPriceBurn::new(None).shares(&s, &mut out);
        let want = [0.5, 0.25, 0.25];
        assert!(
            out.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-15),
            "{out:?}"
        );
        assert_eq!(
            DtaoPriceBurn::new(None).injection(),
            InjectionRule::E5RootCap
        );
    }

    #[test]
    fn all_burned_falls_back_to_price_shares() {
        // burned = [1, 1]: weights [0, 0] → the EMA-price shares [0.2, 0.6]/0.8 = [0.25, 0.75].
        let mut s = subnets(&[0.2, 0.6], &[0.; 2], &[0.; 2], &[0; 2]);
        s.miner_burned = vec![1.0, 1.0];
        let mut out = [0.0; 2];
        DtaoPriceBurn::new(None).shares(&s, &mut out);
        assert!(
            (out[0] - 0.25).abs() < 1e-15 && (out[1] - 0.75).abs() < 1e-15,
            "{out:?}"
        );
    }
}
