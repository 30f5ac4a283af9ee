//! The one shared test shape for strategies (after Axelrod): play a strategy against a scripted
//! sequence of observations and look at exactly what it did.

use crate::{Action, AgentView, Mechanism, Observation, Strategy, SubnetView, RAO_PER_TAO};

/// Feed `observations` to `strategy` in order; return the actions of each decision.
pub fn scripted<S: Strategy + ?Sized>(
    strategy: &mut S,
    observations: &[Observation],
) -> Vec<Vec<Action>> {
    observations
        .iter()
        .map(|o| {
            let mut actions = Vec::new();
            strategy.decide(o, &mut actions);
            actions
        })
        .collect()
}

/// A plain observation to edit in tests: `n` subnets (ids 1..=n) with 1,000 TAO and 10,000
/// alpha in each pool (price 0.1), equal emission shares, and an agent with 1,000 free TAO.
pub fn observation(n: u16) -> Observation {
    let subnets: Vec<SubnetView> = (1..=n)
        .map(|id| SubnetView {
            id,
            price: 0.1,
            ema_price: 0.1,
            tao_reserve_rao: 1_000 * RAO_PER_TAO,
            alpha_reserve_rao: 10_000 * RAO_PER_TAO,
            emission_share: 1.0 / n.max(1) as f64,
            alpha_issuance_rao: 10_000 * RAO_PER_TAO,
            root_proportion: 0.5,
            age_blocks: 0,
            ..SubnetView::default()
        })
        .collect();
    Observation {
        block: 0,
        day: 0.0,
        mechanism: Mechanism::DtaoPrice,
        block_emission_rao: RAO_PER_TAO,
        root_stake_total_rao: 5_500_000 * RAO_PER_TAO,
        me: AgentView {
            free_tao_rao: 1_000 * RAO_PER_TAO,
            alpha_rao: vec![0; subnets.len()],
            ..AgentView::default()
        },
        subnets,
        btc_tao_price: 250.0,
        ai_revenue_signal: 1.0,
    }
}
