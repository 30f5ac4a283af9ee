//! `taoflow` (E3, 2025-11-04): shares ∝ the EMA of net TAO staking flow above a cutoff,
//! `z_i = max(S_i − L, 0)`, `share_i = z_i^p / Σ z_j^p`; E3 injection with chain buys; root
//! alpha is sold only while Σ p̄ > 1, and recycled otherwise.

use super::{normalize_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

/// TaoFlow's cutoff L (rao per block) and exponent p.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FlowParams {
    pub cutoff: f64,
    pub exponent: f64,
}

impl Default for FlowParams {
    fn default() -> Self {
        Self {
            cutoff: 0.0,
            exponent: 1.0,
        }
    }
}

#[derive(Debug)]
pub struct Taoflow {
    injection: InjectionRule,
    flow: FlowParams,
}

impl Taoflow {
    pub fn new(injection: Option<InjectionRule>, flow: FlowParams) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E3),
            flow,
        }
    }
}

impl EmissionRule for Taoflow {
    fn mechanism(&self) -> Mechanism {
        Mechanism::Taoflow
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        out.copy_from_slice(&subnets.flow_ema);
        flow_shares(self.flow, out);
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
    fn sells_root_alpha(&self, subnets: &Subnets) -> bool {
        super::sells_root_while_prices_sum_above_one(subnets)
    }
}

/// TaoFlow's share rule on flows `s` (in place): `z = max(s − L, 0)^p`, normalised. E3 applies
/// it to user flow, E4 to user flow net of protocol flow.
pub(super) fn flow_shares(FlowParams { cutoff, exponent }: FlowParams, s: &mut [f64]) {
    if exponent == 1.0 {
        // z¹ = z: a loop without `powf`, which vectorises.
        for o in s.iter_mut() {
            *o = (*o - cutoff).max(0.0);
        }
    } else {
        for o in s.iter_mut() {
            *o = raised((*o - cutoff).max(0.0), exponent);
        }
    }
    normalize_shares(s);
}

/// `z^p` for `z ≥ 0` and `p > 0` (the configuration refuses other exponents), as `powf` gives
/// it, without calling it where the answer is known: `(+0)^p = +0` for every `p > 0`, and every
/// subnet whose flow is below the cutoff has `z = +0`. (A search over the exponent spent a
/// quarter of its samples in libm's `pow`.)
#[inline]
fn raised(z: f64, p: f64) -> f64 {
    if z.to_bits() == 0 {
        z
    } else {
        z.powf(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::test_support::subnets;

    #[test]
    fn raised_is_powf_bit_for_bit() {
        for z in [0.0, 1e-300, 0.3, 1.0, 2.5, 7.0e3, 1e300, f64::MIN_POSITIVE] {
            for p in [0.5, 1.0, 1.7, 2.0, 3.0, 0.01] {
                assert_eq!(raised(z, p).to_bits(), z.powf(p).to_bits(), "{z}^{p}");
            }
        }
    }

    #[test]
    fn negative_flow_gets_nothing() {
        // S = [300, −50, 100] → z = [300, 0, 100] → shares [0.75, 0, 0.25].
        let s = subnets(&[0.; 3], &[300.0, -50.0, 100.0], &[0.; 3], &[0; 3]);
        let mut out = [0.0; 3];
        Taoflow::new(None, FlowParams::default()).shares(&s, &mut out);
        assert_eq!(out, [0.75, 0.0, 0.25]);
        // Cutoff L = 100, p = 2: z = [200, 0, 0] → [1, 0, 0].
        let rule = Taoflow::new(
            None,
            FlowParams {
                cutoff: 100.0,
                exponent: 2.0,
            },
        );
        rule.shares(&s, &mut out);
        assert_eq!(out, [1.0, 0.0, 0.0]);
        let below = subnets(&[0.5, 0.4], &[0.; 2], &[0.; 2], &[0; 2]);
        let above = subnets(&[0.6, 0.5], &[0.; 2], &[0.; 2], &[0; 2]);
        assert!(!rule.sells_root_alpha(&below) && rule.sells_root_alpha(&above));
    }
}
