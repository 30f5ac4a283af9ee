//! Building what a strategy sees (public network state plus its own private state).

use crate::network::Network;
use crate::state::AccountId;
use tourney_sdk::{AgentView, Observation, SubnetView, BLOCKS_PER_DAY};

/// The observation of `account` now. `own_subnet` is the subnet it owns, if any.
pub fn observe(net: &Network, account: AccountId, own_subnet: Option<u16>) -> Observation {
    let s = &net.subnets;
    let subnets = (0..s.len())
        .map(|i| (i, net.price_changes_1d_7d(i)))
        .map(|(i, (price_change_1d, price_change_7d))| SubnetView {
            id: s.id[i],
            price: s.price(i),
            ema_price: s.ema_price[i],
            tao_reserve_rao: s.reserves[i].tao_rao,
            alpha_reserve_rao: s.reserves[i].alpha_rao,
            emission_share: s.share[i],
            flow_ema: s.flow_ema[i],
            alpha_issuance_rao: s.alpha_issuance(i),
            alpha_outstanding_rao: s.alpha_outstanding[i],
            root_proportion: net.root_proportion(i),
            incentive_holdings_weight: s.holdings_weight[i],
            value_score: s.value_score[i],
            price_change_1d,
            price_change_7d,
            age_blocks: (net.block as i64 - s.start_block[i]).max(0) as u64,
            // Kept by the block loop only under a rule that reads it; 0 otherwise.
            protocol_flow_ema: if net.keeps_protocol_flow() {
                s.protocol_flow_ema[i]
            } else {
                0.0
            },
            miner_burned: s.miner_burned[i],
        })
        .collect();
    let acc = &net.accounts[account];
    Observation {
        block: net.block,
        day: net.block as f64 / BLOCKS_PER_DAY as f64,
        mechanism: net.mechanism(),
        block_emission_rao: crate::emission::block_emission_for_issuance(net.tao_issuance),
        root_stake_total_rao: net.root_stake_total,
        subnets,
        me: AgentView {
            free_tao_rao: acc.free_tao,
            alpha_rao: acc.alpha.clone(),
            root_stake_rao: acc.root_stake,
            revenue_rao: acc.revenue_since,
            costs_rao: acc.costs_since,
            emission_rao: acc.emission_since,
            rejected_actions: acc.rejected_since,
            own_subnet,
        },
        btc_tao_price: net.exo.btc_tao_price,
        ai_revenue_signal: net.exo.ai_revenue_signal,
    }
}
