//! `dtao-price` (E1, 2025-02-13): `share_i = p̄_i / Σ p̄_j`; E1 injection; root alpha sold.

use super::{normalized_into, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct DtaoPrice {
    injection: InjectionRule,
}

impl DtaoPrice {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E1),
        }
    }
}

/// Shares ∝ EMA price (shared by E1 and E2).
pub(super) fn ema_price_shares(subnets: &Subnets, out: &mut [f64]) {
    normalized_into(&subnets.ema_price, out);
}

impl EmissionRule for DtaoPrice {
    fn mechanism(&self) -> Mechanism {
        Mechanism::DtaoPrice
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        ema_price_shares(subnets, out);
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::test_support::subnets;

    #[test]
    fn shares_follow_ema_price() {
        // p̄ = [0.1, 0.3, 0.0] → shares [0.25, 0.75, 0].
        let s = subnets(&[0.1, 0.3, 0.0], &[0.; 3], &[0.; 3], &[0; 3]);
        let mut out = [0.0; 3];
        DtaoPrice::new(None).shares(&s, &mut out);
        assert!((out[0] - 0.25).abs() < 1e-12 && (out[1] - 0.75).abs() < 1e-12 && out[2] == 0.0);
    }
}
