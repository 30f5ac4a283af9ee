//! Whether a root-heavy validator overrules a subnet's own validators is decided by Yuma on
//! stake, not hard-coded: the same intervention wins with root at 95 % of validator weight and
//! loses at 20 %.

mod common;

use tourney_engine::config::*;
use tourney_engine::run_match;
use tourney_engine::schedule::RootSchedule;

/// Alpha a pure holder (not the owner) holds after 2 days of the foundation zeroing holders.
fn holder_alpha_after_intervention(root_proportion: f64) -> f64 {
    let mut c = common::with_meme(common::small(3, 4, 2.0), 5_000_000.0);
    c.network.root_stake_tao = 500_000.0;
    c.market.momentum.capital_tao = 0.0;
    c.market.panic.capital_tao = 0.0;
    c.schedule = RootSchedule::Constant(root_proportion);
    c.agents.push(AgentConfig {
        name: "holder".into(),
        capital_tao: 1_000.0,
        root_stake_tao: 0.0,
        root_claim: Default::default(),
    });
    let meme = || SubnetRef::Name("meme".into());
    c.events = vec![
        EventConfig {
            block: Some(0),
            day: None,
            agent: "holder".into(),
            action: ActionConfig::Stake {
                subnet: meme(),
                tao: 500.0,
            },
        },
        EventConfig {
            block: Some(0),
            day: None,
            agent: "foundation".into(),
            action: ActionConfig::SetWeights {
                subnet: meme(),
                policy: PolicyConfig::ZeroHolders,
            },
        },
    ];
    let out = run_match(&c, Vec::new()).unwrap();
    let holder = out.agents.iter().find(|a| a.name == "holder").unwrap();
    holder
        .alpha
        .iter()
        .find(|(s, _)| s == "meme")
        .map(|x| x.1)
        .unwrap_or(0.0)
}

#[test]
fn intervention_wins_at_95_percent_root_and_loses_at_20() {
    // 500 TAO at price 0.02 buys ≈ 16,667 alpha (less slippage: the pool holds 50,000).
    let bought = {
        let mut pool = tourney_engine::pool::Reserves {
            tao_rao: 1_000_000_000_000,
            alpha_rao: 50_000_000_000_000,
        };
        pool.buy(500_000_000_000).unwrap().received as f64 / 1e9
    };
    let at_95 = holder_alpha_after_intervention(0.95);
    let at_20 = holder_alpha_after_intervention(0.20);
    // At 95 % the foundation's validator holds ≈ 86 % of Yuma stake: holders' consensus weight
    // is clipped to 0, their incentive goes to the burn uid, and the holder's balance barely
    // moves (validator dividends follow bonds to the burn uid, which the foundation holds).
    assert!(
        at_95 < bought * 1.01,
        "at 95 % the holder should not be paid: bought {bought}, has {at_95}"
    );
    // At 20 % the subnet's own validators (alpha stake) are the majority: holders keep being
    // paid miner emission, two days' worth (≈ 41 % of ~14,400 alpha/day, shared by holders).
    assert!(
        at_20 > bought + 2_000.0,
        "at 20 % the holder should keep earning: bought {bought}, has {at_20}"
    );
}
