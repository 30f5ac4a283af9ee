//! `objective` (counterfactual): shares ∝ an exogenous, measured value score (the "objective
//! function" critics of dTAO ask for). The score is the EMA of value created per day; a subnet
//! that creates nothing gets no TAO, whatever its price. Injection E1 unless overridden.
//!
//! A measured score is never the whole story a designer can use, so the rule takes weights on
//! the two market signals as well ([`ObjectiveWeights`]): shares are
//! `w_v·v_i/Σv + w_p·p̄_i/Σp̄ + w_f·f_i/Σf` (each signal normalised on its own, so the weights
//! say how much of the emission each signal steers; `w_v = 1 − w_p − w_f`; `f = max(S, 0)`, the
//! positive part of the flow EMA), normalised again when a signal is zero everywhere. The
//! mechanism search varies `w_p` and `w_f` to ask how much market signal an objective rule can
//! carry before the meme loop pays again.

use super::{lane_sum, normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

/// The `objective` rule's weights on the EMA price and on the flow EMA; the value score gets
/// `1 − price − flow`. Both 0 (the default) is the pure value rule.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ObjectiveWeights {
    pub price: f64,
    pub flow: f64,
}

impl ObjectiveWeights {
    /// Each weight a fraction and their sum at most 1, or the field at fault.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (field, w) in [
            ("objective_price_weight", self.price),
            ("objective_flow_weight", self.flow),
        ] {
            if !(0.0..=1.0).contains(&w) {
                return Err((field, format!("expected a fraction in [0, 1], got {w}")));
            }
        }
        if self.price + self.flow > 1.0 {
            return Err((
                "objective_flow_weight",
                format!(
                    "objective_price_weight + objective_flow_weight must be at most 1 (the \
                     value score gets the rest), got {} + {}",
                    self.price, self.flow
                ),
            ));
        }
        Ok(())
    }

    /// The value score's weight.
    pub fn value(&self) -> f64 {
        1.0 - self.price - self.flow
    }

    /// Whether the rule is the pure value rule (the weights' default).
    pub fn value_only(&self) -> bool {
        self.price == 0.0 && self.flow == 0.0
    }

    /// The label suffix of non-default weights (`+obj-price0.3`), for mechanism labels.
    pub fn label(&self) -> String {
        let mut label = String::new();
        if self.price != 0.0 {
            label.push_str(&format!("+obj-price{}", self.price));
        }
        if self.flow != 0.0 {
            label.push_str(&format!("+obj-flow{}", self.flow));
        }
        label
    }
}

#[derive(Debug)]
pub struct Objective {
    injection: InjectionRule,
    weights: ObjectiveWeights,
}

impl Objective {
    pub fn new(injection: Option<InjectionRule>, weights: ObjectiveWeights) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E1),
            weights,
        }
    }
}

/// `w / Σx`, or 0 when the signal is zero everywhere (it then steers nothing).
fn per_unit(weight: f64, sum: f64) -> f64 {
    if sum > 0.0 && sum.is_finite() {
        weight / sum
    } else {
        0.0
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
        if !self.weights.value_only() {
            let n = out.len();
            let (price, flow) = (&subnets.ema_price[..n], &subnets.flow_ema[..n]);
            let value_unit = per_unit(self.weights.value(), lane_sum(out));
            let price_unit = per_unit(self.weights.price, lane_sum(price));
            // Σ max(S, 0), left to right (deterministic; no scratch array needed).
            let flow_sum: f64 = flow.iter().map(|&f| f.max(0.0)).sum();
            let flow_unit = per_unit(self.weights.flow, flow_sum);
            for i in 0..n {
                out[i] = out[i] * value_unit + price[i] * price_unit + flow[i].max(0.0) * flow_unit;
            }
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
        Objective::new(None, ObjectiveWeights::default()).shares(&s, &mut out);
        assert_eq!(out, [0.0, 1.0]);
    }

    #[test]
    fn weights_mix_value_price_and_flow() {
        // Values [0, 3, 1] → value shares [0, .75, .25]; EMA prices [.2, .2, .6] → [.2, .2, .6];
        // flows [−5, 10, 30] → positive parts [0, 10, 30] → [0, .25, .75]. Weights price 0.3,
        // flow 0.2, value 0.5: [0 + .06 + 0, .375 + .06 + .05, .125 + .18 + .15]
        // = [.06, .485, .455].
        let s = subnets(
            &[0.2, 0.2, 0.6],
            &[-5.0, 10.0, 30.0],
            &[0.0, 3.0, 1.0],
            &[0; 3],
        );
        let mut out = [0.0; 3];
        let w = ObjectiveWeights {
            price: 0.3,
            flow: 0.2,
        };
        Objective::new(None, w).shares(&s, &mut out);
        for (got, want) in out.iter().zip([0.06, 0.485, 0.455]) {
            assert!((got - want).abs() < 1e-12, "{out:?}");
        }
        // A zero-value subnet now gets TAO through its price: the point of the weights.
        assert!(out[0] > 0.0);
        assert_eq!(w.label(), "+obj-price0.3+obj-flow0.2");
    }

    #[test]
    fn a_signal_zero_everywhere_steers_nothing() {
        // No value anywhere, price weight 0.4: the price signal alone, renormalised.
        let s = subnets(&[0.1, 0.3], &[0.0; 2], &[0.0; 2], &[0; 2]);
        let mut out = [0.0; 2];
        let w = ObjectiveWeights {
            price: 0.4,
            flow: 0.0,
        };
        Objective::new(None, w).shares(&s, &mut out);
        assert!(
            (out[0] - 0.25).abs() < 1e-12 && (out[1] - 0.75).abs() < 1e-12,
            "{out:?}"
        );
    }

    #[test]
    fn weights_out_of_range_are_refused() {
        let bad = |price, flow| ObjectiveWeights { price, flow }.check().unwrap_err().0;
        assert_eq!(bad(1.5, 0.0), "objective_price_weight");
        assert_eq!(bad(0.0, -0.1), "objective_flow_weight");
        assert_eq!(bad(0.6, 0.6), "objective_flow_weight");
        assert!(ObjectiveWeights {
            price: 0.5,
            flow: 0.5
        }
        .check()
        .is_ok());
    }
}
