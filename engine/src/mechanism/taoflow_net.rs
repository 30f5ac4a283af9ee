//! `taoflow-net` (E4, 2026-05): TaoFlow on user flow net of protocol flow. Protocol flow
//! `P_i` = TAO injected + chain-buy TAO − root-sell TAO, kept with the same EMA as user flow
//! `U_i`; `norm = min(1, Σ max(U, 0) / Σ max(P, 0))`; `net_i = U_i − norm·P_i` where `P_i > 0`,
//! else `U_i − P_i`; then TaoFlow's cutoff and exponent on `net`. Injection as E3 with the cap
//! of 2025-12-12; root alpha is sold only while Σ p̄ > 1.
//!
//! Why it exists: under E3 a subnet's own emission, injected into its pool, is not user flow,
//! but a subnet can recycle it into flow; netting protocol flow out leaves what users chose.

use super::taoflow::flow_shares;
use super::{EmissionRule, FlowParams};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct TaoflowNet {
    injection: InjectionRule,
    flow: FlowParams,
}

impl TaoflowNet {
    pub fn new(injection: Option<InjectionRule>, flow: FlowParams) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E3CapBlockEmission),
            flow,
        }
    }
}

/// `net_i` for every subnet, into `out`.
pub(super) fn net_flow(user: &[f64], protocol: &[f64], out: &mut [f64]) {
    let positive_user: f64 = user.iter().map(|u| u.max(0.0)).sum();
    let positive_protocol: f64 = protocol.iter().map(|p| p.max(0.0)).sum();
    let norm = if positive_protocol > 0.0 {
        (positive_user / positive_protocol).min(1.0)
    } else {
        1.0
    };
    for ((o, &u), &p) in out.iter_mut().zip(user).zip(protocol) {
        *o = if p > 0.0 { u - norm * p } else { u - p };
    }
}

impl EmissionRule for TaoflowNet {
    fn mechanism(&self) -> Mechanism {
        Mechanism::TaoflowNet
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        net_flow(&subnets.flow_ema, &subnets.protocol_flow_ema, out);
        flow_shares(self.flow, out);
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
    fn uses_protocol_flow(&self) -> bool {
        true
    }
    fn sells_root_alpha(&self, subnets: &Subnets) -> bool {
        super::sells_root_while_prices_sum_above_one(subnets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::test_support::subnets;

    #[test]
    fn protocol_flow_is_netted_out_by_the_normalisation() {
        // U = [300, −50, 100], P = [400, 100, −20]: Σ max(U,0) = 400, Σ max(P,0) = 500,
        // norm = 0.8. net = [300 − 320, −50 − 80, 100 + 20] = [−20, −130, 120].
        let mut net = [0.0; 3];
        net_flow(&[300.0, -50.0, 100.0], &[400.0, 100.0, -20.0], &mut net);
        assert_eq!(net, [-20.0, -130.0, 120.0]);
        // Shares: only the third subnet has positive net flow.
        let mut s = subnets(&[0.; 3], &[300.0, -50.0, 100.0], &[0.; 3], &[0; 3]);
        s.protocol_flow_ema = vec![400.0, 100.0, -20.0];
        let mut out = [0.0; 3];
        TaoflowNet::new(None, FlowParams::default()).shares(&s, &mut out);
        assert_eq!(out, [0.0, 0.0, 1.0]);
        // When users bring more than the protocol injects, norm = 1: P is taken out in full.
        net_flow(&[1_000.0, 500.0], &[100.0, 300.0], &mut net[..2]);
        assert_eq!(&net[..2], &[900.0, 200.0]);
    }
}
