//! `objective` (counterfactual): shares ∝ an exogenous, measured value score (the "objective
//! function" critics of dTAO ask for). The score is the EMA of value created per day; a subnet
//! that creates nothing gets no TAO, whatever its price. Injection E1 unless overridden.

use super::{normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct Objective {
    injection: InjectionRule,
}

impl Objective {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E1),
        }
    }
}

impl EmissionRule for Objective {
    fn mechanism(&self) -> Mechanism {
        Mechanism::Objective
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        for (o, &v) in out.iter_mut().zip(&subnets.value_score) {
            *o = v.max(0.0);
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
    fn zero_value_gets_nothing() {
        let s = subnets(&[0.9, 0.1], &[0.; 2], &[0.0, 5.0], &[0; 2]);
        let mut out = [0.0; 2];
        Objective::new(None).shares(&s, &mut out);
        assert_eq!(out, [0.0, 1.0]);
    }
}
