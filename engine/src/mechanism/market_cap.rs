//! `market-cap` (counterfactual): shares ∝ p̄_i × alpha outstanding_i. Injection E1 unless
//! overridden, so that it differs from `dtao-price` in the share rule only.

use super::{normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct MarketCap {
    injection: InjectionRule,
}

impl MarketCap {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E1),
        }
    }
}

impl EmissionRule for MarketCap {
    fn mechanism(&self) -> Mechanism {
        Mechanism::MarketCap
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        let n = out.len();
        let (ema_price, outstanding) = (&subnets.ema_price[..n], &subnets.alpha_outstanding[..n]);
        for i in 0..n {
            // Outstanding alpha is below 2^63 rao (the supply cap is 2.1e16): the signed
            // conversion gives the same value in one instruction, and the loop vectorises.
            out[i] = ema_price[i] * outstanding[i] as i64 as f64;
        }
        normalize_shares(out);
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
    fn shares_follow_market_cap() {
        // caps: 0.1 × 300 = 30, 0.2 × 50 = 10 → [0.75, 0.25].
        let s = subnets(&[0.1, 0.2], &[0.; 2], &[0.; 2], &[300, 50]);
        let mut out = [0.0; 2];
        MarketCap::new(None).shares(&s, &mut out);
        assert!((out[0] - 0.75).abs() < 1e-12 && (out[1] - 0.25).abs() < 1e-12);
    }
}
