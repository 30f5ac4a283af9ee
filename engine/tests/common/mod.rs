//! Shared builders for engine tests.
#![allow(dead_code)]

use tourney_engine::config::*;
use tourney_engine::market::MarketState;
use tourney_engine::network::Network;
use tourney_engine::MatchConfig;

/// The background market of `config`'s match over `net`, seeded from the match seed as the
/// runner seeds it; its segments trade through `net.market_accounts`.
pub fn market(config: &MatchConfig, net: &Network) -> MarketState {
    MarketState::new(
        config.market.clone(),
        tourney_engine::rng::stream(config.seed, "market"),
        net.subnets.len(),
    )
}

/// A small, fast network: `n` background subnets, a short horizon, conservation checked.
pub fn small(seed: u64, n: u32, days: f64) -> MatchConfig {
    MatchConfig {
        seed,
        horizon_day: days,
        check_conservation: true,
        network: NetworkConfig {
            background_subnets: n,
            ..NetworkConfig::default()
        },
        ..MatchConfig::default()
    }
}

/// A meme subnet (holders are paid) owned by agent `farmer`, plus a `foundation` agent with
/// `foundation_root_tao` of root stake.
pub fn with_meme(mut c: MatchConfig, foundation_root_tao: f64) -> MatchConfig {
    c.agents = vec![
        AgentConfig {
            name: "farmer".into(),
            capital_tao: 5_000.0,
            root_stake_tao: 0.0,
            root_claim: Default::default(),
        },
        AgentConfig {
            name: "foundation".into(),
            capital_tao: 0.0,
            root_stake_tao: foundation_root_tao,
            root_claim: Default::default(),
        },
    ];
    c.subnets = vec![SubnetConfig {
        name: "meme".into(),
        owner: Some("farmer".into()),
        pool_tao: 1_000.0,
        price: 0.02,
        holdings_weight: 1.0,
        productivity: 0.0,
        work: WorkConfig::Ai,
        hype: 2.0,
    }];
    c
}

/// Agent `agent` (scripted in the config) stakes `tao` TAO into the subnet named `meme`:
/// returns the agent's account and the subnet's index.
pub fn stake_into_meme(
    net: &mut tourney_engine::network::Network,
    agent: &str,
    tao: u64,
) -> (usize, usize) {
    let account = net.agent_accounts.iter().find(|a| a.0 == agent).unwrap().1;
    let i = net.subnets.name.iter().position(|n| n == "meme").unwrap();
    let subnet = net.subnets.id[i];
    net.apply(
        account,
        tourney_sdk::Action::Stake {
            subnet,
            tao_rao: tao * tourney_sdk::RAO_PER_TAO,
        },
    )
    .unwrap();
    (account, i)
}
