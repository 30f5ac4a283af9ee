//! Emission mechanisms: how TAO block emission is split between subnets, and how each share
//! enters its pool. One small module per mechanism behind [`EmissionRule`]; adding one is a new
//! file plus one line in [`build`].
//!
//! A rule is a pure function of the network state: the EMAs it reads (price, flow, value score,
//! root votes) are kept by the block loop whatever the mechanism, so that every observation
//! shows them and mechanisms can be compared on identical state.

mod dtao_price;
mod dtao_price_burn;
mod dtao_subsidy;
mod legacy_root;
mod market_cap;
mod objective;
mod taoflow;
mod taoflow_net;

use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

pub use objective::ObjectiveWeights;
pub use taoflow::FlowParams;

/// One mechanism's rules.
pub trait EmissionRule: Send + Sync + std::fmt::Debug {
    fn mechanism(&self) -> Mechanism;
    /// Write each subnet's share of TAO block emission into `out` (`out.len()` = subnets).
    /// Shares are ≥ 0 and sum to 1, or are all 0 (no TAO emitted to subnets this block).
    fn shares(&self, subnets: &Subnets, out: &mut [f64]);
    /// How a subnet's emission enters its pool.
    fn injection(&self) -> InjectionRule;
    /// Whether the rule reads the protocol flow EMA (the block loop keeps it only then).
    fn uses_protocol_flow(&self) -> bool {
        false
    }
    /// Whether root's alpha is sold for TAO this block; otherwise it is recycled.
    fn sells_root_alpha(&self, _subnets: &Subnets) -> bool {
        true
    }
    /// Whether the pools are E5's Balancer weighted pools (otherwise constant product).
    fn weighted_pool(&self) -> bool {
        false
    }
}

/// A mechanism as a tournament names it: the era or counterfactual, with optional overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismSpec {
    pub mechanism: Mechanism,
    /// Replace the era's injection rule (counterfactuals default to E1, so that they differ
    /// from `dtao-price` in the share rule only).
    pub injection: Option<InjectionRule>,
    /// TaoFlow's cutoff and exponent.
    pub flow: FlowParams,
    /// The `objective` rule's weights on the market signals.
    pub objective: ObjectiveWeights,
}

impl MechanismSpec {
    pub fn new(mechanism: Mechanism) -> Self {
        Self {
            mechanism,
            injection: None,
            flow: FlowParams::default(),
            objective: ObjectiveWeights::default(),
        }
    }
}

/// The sum of `x` in a fixed order that vectorises: eight interleaved partial sums, added
/// pairwise, then the tail. A plain left-to-right sum is one long chain of dependent additions
/// (≈ 4 cycles each, every block, over every subnet); any fixed order is as deterministic.
pub fn lane_sum(x: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = x.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (lane, v) in lanes.iter_mut().zip(chunk) {
            *lane += v;
        }
    }
    let [a, b, c, d, e, f, g, h] = lanes;
    let mut sum = ((a + b) + (c + d)) + ((e + f) + (g + h));
    for v in tail {
        sum += v;
    }
    sum
}

/// The root-sale rule since 2025-11 (E3 onwards): root's alpha is sold for TAO only while the
/// moving prices sum above 1, and recycled otherwise. Summed when asked, so the rules that
/// always sell do not pay for the sum every block.
fn sells_root_while_prices_sum_above_one(subnets: &Subnets) -> bool {
    lane_sum(&subnets.ema_price) > 1.0
}

/// Normalise `out` to sum 1, or leave all zeros.
fn normalize_shares(out: &mut [f64]) {
    let sum = lane_sum(out);
    if sum > 0.0 && sum.is_finite() {
        let inv = 1.0 / sum;
        out.iter_mut().for_each(|x| *x *= inv);
    } else {
        out.iter_mut().for_each(|x| *x = 0.0);
    }
}

/// `weights` normalised to sum 1 into `out` (all zeros when they sum to nothing): what copying
/// them and [`normalize_shares`] give, bit for bit, in one pass over `out` instead of two
/// (the price rules run it every block).
fn normalized_into(weights: &[f64], out: &mut [f64]) {
    let sum = lane_sum(weights);
    let out = &mut out[..weights.len()];
    if sum > 0.0 && sum.is_finite() {
        let inv = 1.0 / sum;
        for (o, &w) in out.iter_mut().zip(weights) {
            *o = w * inv;
        }
    } else {
        out.fill(0.0);
    }
}

/// Build the rule for a spec.
pub fn build(spec: &MechanismSpec) -> Box<dyn EmissionRule> {
    let inj = spec.injection;
    match spec.mechanism {
        Mechanism::LegacyRoot => Box::new(legacy_root::LegacyRoot::new(inj)),
        Mechanism::DtaoPrice => Box::new(dtao_price::DtaoPrice::new(inj)),
        Mechanism::DtaoSubsidy => Box::new(dtao_subsidy::DtaoSubsidy::new(inj)),
        Mechanism::Taoflow => Box::new(taoflow::Taoflow::new(inj, spec.flow)),
        Mechanism::MarketCap => Box::new(market_cap::MarketCap::new(inj)),
        Mechanism::Objective => Box::new(objective::Objective::new(inj, spec.objective)),
        Mechanism::TaoflowNet => Box::new(taoflow_net::TaoflowNet::new(inj, spec.flow)),
        Mechanism::DtaoPriceBurn => Box::new(dtao_price_burn::DtaoPriceBurn::new(inj)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalized_into_is_copy_then_normalize() {
        for weights in [
            vec![
                0.3,
                0.1,
                0.0,
                2.5,
                1e-9,
                7.0,
                0.25,
                0.5,
                3.0,
                1.0 / 3.0,
                0.7,
            ],
            vec![0.0; 5],
            vec![1.0, f64::INFINITY],
        ] {
            let mut copied = weights.clone();
            super::normalize_shares(&mut copied);
            let mut out = vec![f64::NAN; weights.len()];
            super::normalized_into(&weights, &mut out);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&out), bits(&copied));
        }
    }

    #[test]
    fn lane_sum_adds_everything() {
        let x: Vec<f64> = (1..=19).map(f64::from).collect();
        assert_eq!(super::lane_sum(&x), 190.0);
        assert_eq!(super::lane_sum(&[]), 0.0);
        assert_eq!(super::lane_sum(&[0.25; 8]), 2.0);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::state::Subnets;

    /// Subnets with the given EMA prices, flows, value scores and outstanding alpha.
    pub fn subnets(ema: &[f64], flow: &[f64], value: &[f64], outstanding: &[u64]) -> Subnets {
        let n = ema.len();
        Subnets {
            id: (1..=n as u16).collect(),
            ema_price: ema.to_vec(),
            flow_ema: flow.to_vec(),
            value_score: value.to_vec(),
            alpha_outstanding: outstanding.to_vec(),
            protocol_flow_ema: vec![0.0; n],
            miner_burned: vec![0.0; n],
            root_vote: value.to_vec(),
            ..Subnets::default()
        }
    }
}
