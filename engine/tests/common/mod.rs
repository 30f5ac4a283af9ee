//! Shared builders for engine tests.
#![allow(dead_code)]

use tourney_engine::config::*;
use tourney_engine::MatchConfig;

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
