//! The match runner: sequences scripted events, strategy decisions, the background market and
//! blocks, and turns the final state into payoffs.
//!
//! Order within a block: scripted events, then entrants' decisions (every decision interval),
//! then the market (every market interval), then the block itself (emission, epochs).

use crate::config::{ActionConfig, ConfigError, MatchConfig, PolicyConfig, SubnetRef, WorkConfig};
use crate::market::MarketState;
use crate::network::{ActionError, EntrantSpec, Network};
use crate::observe::observe;
use crate::rng::{derive_seed, stream};
use crate::series::{Series, SeriesSink};
use crate::state::{AccountId, SubnetClass};
use crate::units::{tao, Rao};
use std::panic::{catch_unwind, AssertUnwindSafe};
use tourney_sdk::{Action, SpendKind, Strategy, StrategyFault, SubnetId, WeightPolicy};

/// A strategy in a match.
pub struct Entrant {
    pub name: String,
    pub strategy: Box<dyn Strategy>,
    /// Starting TAO; the config's `entrants.capital_tao` when `None`.
    pub capital_tao: Option<f64>,
    /// What its root claims do; the config's `entrants.root_claim` when `None`.
    pub root_claim: Option<crate::root_claims::RootClaim>,
}

/// The seed a match hands to entrant `index` (derived from the match seed and its slot).
pub fn entrant_seed(match_seed: u64, index: usize) -> u64 {
    derive_seed(match_seed, &format!("entrant/{index}"))
}

/// How an entrant's match ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntrantStatus {
    Ok,
    /// The strategy failed (panicked, or its plugin faulted); it made no further decisions
    /// but its holdings stayed in play and are valued at the end.
    Forfeit(String),
}

/// One entrant's result (the game model's payoffs).
#[derive(Clone, Debug, PartialEq)]
pub struct Payoff {
    pub name: String,
    pub initial_capital_tao: f64,
    /// Liquidation net worth at the end (every position sold alone against its pool).
    pub final_worth_tao: f64,
    pub mark_to_market_tao: f64,
    /// final_worth − initial capital: the payoff.
    pub profit_tao: f64,
    pub emission_captured_tao: f64,
    pub roi: f64,
    /// Largest fall of liquidation worth from a previous peak, sampled at decisions, TAO.
    pub max_drawdown_tao: f64,
    pub revenue_tao: f64,
    pub costs_tao: f64,
    pub rejected_actions: u32,
    pub status: EntrantStatus,
}

/// The network's scores over a match.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkSummary {
    pub emission_total_tao: f64,
    pub emission_value_share: f64,
    pub emission_meme_share: f64,
    pub emission_offtopic_share: f64,
    pub emission_idle_share: f64,
    pub value_created_tao: f64,
    pub value_per_tao_emitted: f64,
    /// The largest meme share of one block's TAO emission, over every block of the match
    /// (`NetworkStats::peak_meme_share`): at least `emission_meme_share`, the match's mean.
    pub peak_meme_share: f64,
    /// The largest fall of any subnet's price from its peak, `1 − p / peak` (0 to 1), among
    /// the prices sampled: at genesis (or a replacing subnet's registration), every 360th
    /// block and at the horizon (`Network::record_price_extremes`).
    pub largest_crash: f64,
}

/// An action the engine refused.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejection {
    pub block: u64,
    pub agent: String,
    /// The action as written (`Debug`), or what the plugin layer could decode of it.
    pub action: String,
    pub reason: String,
}

/// A scripted agent's final state.
#[derive(Clone, Debug, PartialEq)]
pub struct AgentReport {
    pub name: String,
    pub free_tao: f64,
    pub root_stake_tao: f64,
    /// Liquidation net worth, TAO.
    pub worth_tao: f64,
    /// Alpha held per subnet (by subnet name), alpha.
    pub alpha: Vec<(String, f64)>,
}

/// Everything a match returns.
#[derive(Clone, Debug)]
pub struct MatchOutcome {
    pub payoffs: Vec<Payoff>,
    pub agents: Vec<AgentReport>,
    pub network: NetworkSummary,
    /// The series kept in memory by [`run_match`] (`None` from [`run_match_with_series`], whose
    /// sink has it).
    pub series: Option<Series>,
    pub rejections: Vec<Rejection>,
    pub blocks: u64,
}

/// A match that could not be played.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("conservation violated: {0}")]
    Conservation(String),
    /// The series sink failed (a full disk): the match stopped there.
    #[error("cannot write the series: {0}")]
    Series(std::io::Error),
}

/// A scripted event resolved to an account and an action.
struct Scripted {
    block: u64,
    agent: String,
    account: AccountId,
    action: ScriptedAction,
}

enum ScriptedAction {
    Fixed(Action),
    UnstakeAll(SubnetId),
}

fn resolve_subnet(net: &Network, r: &SubnetRef) -> Result<SubnetId, ConfigError> {
    match r {
        SubnetRef::Id(id) => Ok(*id),
        SubnetRef::Name(n) => net
            .subnets
            .name
            .iter()
            .position(|x| x == n)
            .map(|i| net.subnets.id[i])
            .ok_or_else(|| ConfigError {
                field: "events".into(),
                message: format!("no subnet named `{n}`"),
            }),
    }
}

fn scripted_events(config: &MatchConfig, net: &Network) -> Result<Vec<Scripted>, ConfigError> {
    let mut out = Vec::new();
    for e in &config.events {
        let account = net
            .agent_accounts
            .iter()
            .find(|(n, _)| *n == e.agent)
            .map(|x| x.1)
            .ok_or_else(|| ConfigError {
                field: "events.agent".into(),
                message: format!("no agent named `{}`", e.agent),
            })?;
        let rao = tourney_sdk::tao_to_rao;
        let action = match &e.action {
            ActionConfig::Stake { subnet, tao } => ScriptedAction::Fixed(Action::Stake {
                subnet: resolve_subnet(net, subnet)?,
                tao_rao: rao(*tao),
            }),
            ActionConfig::Unstake { subnet, alpha } => ScriptedAction::Fixed(Action::Unstake {
                subnet: resolve_subnet(net, subnet)?,
                alpha_rao: rao(*alpha),
            }),
            ActionConfig::UnstakeAll { subnet } => {
                ScriptedAction::UnstakeAll(resolve_subnet(net, subnet)?)
            }
            ActionConfig::StakeRoot { tao } => {
                ScriptedAction::Fixed(Action::StakeRoot { tao_rao: rao(*tao) })
            }
            ActionConfig::UnstakeRoot { tao } => {
                ScriptedAction::Fixed(Action::UnstakeRoot { tao_rao: rao(*tao) })
            }
            ActionConfig::SetIncentive {
                holdings_weight, ..
            } => ScriptedAction::Fixed(Action::SetIncentive {
                holdings_weight: *holdings_weight,
            }),
            ActionConfig::SetWeights { subnet, policy } => {
                ScriptedAction::Fixed(Action::SetWeights {
                    subnet: resolve_subnet(net, subnet)?,
                    policy: match *policy {
                        PolicyConfig::FollowRule => WeightPolicy::FollowRule,
                        PolicyConfig::ZeroHolders => WeightPolicy::ZeroHolders,
                        PolicyConfig::Classes {
                            work,
                            holdings,
                            burn,
                        } => WeightPolicy::Classes {
                            work,
                            holdings,
                            burn,
                        },
                    },
                })
            }
            ActionConfig::Spend { tao, kind } => ScriptedAction::Fixed(Action::Spend {
                tao_rao: rao(*tao),
                kind: match kind {
                    WorkConfig::Ai => SpendKind::Work,
                    WorkConfig::Offtopic => SpendKind::OffTopic,
                },
            }),
            ActionConfig::Buyback { tao, burn } => ScriptedAction::Fixed(Action::Buyback {
                tao_rao: rao(*tao),
                burn: *burn,
            }),
        };
        out.push(Scripted {
            block: e.at_block(),
            agent: e.agent.clone(),
            account,
            action,
        });
    }
    // Stable: events at the same block keep their order in the file.
    out.sort_by_key(|s| s.block);
    Ok(out)
}

/// Play one match. Entrants' roles come from their strategies' classifiers. With
/// `series_interval_blocks > 0` its series is kept in memory (`MatchOutcome::series`); a long
/// match sampled often should stream it instead ([`run_match_with_series`]).
pub fn run_match(config: &MatchConfig, entrants: Vec<Entrant>) -> Result<MatchOutcome, MatchError> {
    play_match(config, entrants, None)
}

/// Play one match, handing its series to `series` as it is sampled: after every
/// `series_interval_blocks`-th block (none when it is 0) and at the horizon, so that every
/// series ends with the match's final state (an interval longer than the match gives that
/// sample alone). A sink's error stops the match ([`MatchError::Series`]).
pub fn run_match_with_series(
    config: &MatchConfig,
    entrants: Vec<Entrant>,
    series: &mut dyn SeriesSink,
) -> Result<MatchOutcome, MatchError> {
    play_match(config, entrants, Some(series))
}

/// [`run_match`] and [`run_match_with_series`]: `to` is the caller's sink, or `None` for the
/// in-memory series.
fn play_match(
    config: &MatchConfig,
    entrants: Vec<Entrant>,
    to: Option<&mut dyn SeriesSink>,
) -> Result<MatchOutcome, MatchError> {
    config.validate()?;
    let mut strategies: Vec<Option<Box<dyn Strategy>>> = Vec::with_capacity(entrants.len());
    let mut specs = Vec::with_capacity(entrants.len());
    for e in entrants {
        let info = e.strategy.info();
        specs.push(EntrantSpec {
            name: e.name,
            role: info.classifier.role,
            capital_tao: e.capital_tao.unwrap_or(config.entrants.capital_tao),
            root_claim: e.root_claim.unwrap_or(config.entrants.root_claim),
        });
        strategies.push(Some(e.strategy));
    }
    let mut net = Network::genesis(config, &specs);
    let scripted = scripted_events(config, &net)?;
    let mut next_event = 0;
    let mut market = MarketState::new(
        config.market.clone(),
        stream(config.seed, "market"),
        net.subnets.len(),
    );
    let market_accounts = net.market_accounts.clone();
    let mut series = (to.is_none() && config.series_interval_blocks > 0).then(Series::default);
    let mut sampler: Option<&mut dyn SeriesSink> = match to {
        Some(sink) => Some(sink),
        None => series.as_mut().map(|s| s as &mut dyn SeriesSink),
    };
    let mut last_sampled = None;
    let mut rejections = Vec::new();
    let mut status = vec![EntrantStatus::Ok; specs.len()];
    // Initial capital includes what an owner entrant locked to register its subnet (a cost).
    let initial: Vec<Rao> = net
        .entrant_accounts
        .iter()
        .map(|&a| net.liquidation_worth(a) + net.locked_by(a))
        .collect();
    // Drawdown is measured from the worth after the lock.
    let mut peak: Vec<Rao> = net
        .entrant_accounts
        .iter()
        .map(|&a| net.liquidation_worth(a))
        .collect();
    let mut drawdown = vec![0u64; specs.len()];
    let mut actions = Vec::new();
    let horizon = config.horizon_blocks();
    if config.check_conservation {
        net.check_conservation().map_err(MatchError::Conservation)?;
    }

    while net.block < horizon {
        let block = net.block;
        while next_event < scripted.len() && scripted[next_event].block <= block {
            let e = &scripted[next_event];
            let action = match e.action {
                ScriptedAction::Fixed(a) => a,
                ScriptedAction::UnstakeAll(id) => Action::Unstake {
                    subnet: id,
                    alpha_rao: net
                        .subnets
                        .index_of(id)
                        .map(|i| net.accounts[e.account].alpha[i])
                        .unwrap_or(0),
                },
            };
            if let Err(err) = net.apply(e.account, action) {
                rejections.push(reject(block, &e.agent, action, &err));
            }
            next_event += 1;
        }
        if block.is_multiple_of(config.decision_interval_blocks) {
            for k in 0..strategies.len() {
                let account = net.entrant_accounts[k];
                let worth = net.liquidation_worth(account);
                peak[k] = peak[k].max(worth);
                drawdown[k] = drawdown[k].max(peak[k] - worth);
                let Some(strategy) = strategies[k].as_mut() else {
                    continue;
                };
                let obs = observe(&net, account, net.entrant_subnets[k]);
                actions.clear();
                let decided =
                    catch_unwind(AssertUnwindSafe(|| strategy.decide(&obs, &mut actions)));
                if let Err(panic) = decided {
                    status[k] = EntrantStatus::Forfeit(format!(
                        "strategy panicked at block {block}: {}",
                        panic_message(&panic)
                    ));
                    strategies[k] = None;
                    continue;
                }
                // Faults the strategy layer reports (a plugin that failed, or action records
                // it could not decode): a forfeit ends its decisions, the rest count as rejected.
                for fault in strategy.take_faults() {
                    match fault {
                        StrategyFault::Forfeit { reason } => {
                            status[k] = EntrantStatus::Forfeit(format!("block {block}: {reason}"));
                        }
                        StrategyFault::RejectedAction { reason } => {
                            net.accounts[account].rejected_since += 1;
                            rejections.push(Rejection {
                                block,
                                agent: specs[k].name.clone(),
                                action: "undecodable".into(),
                                reason,
                            });
                        }
                    }
                }
                if status[k] != EntrantStatus::Ok {
                    strategies[k] = None;
                    continue;
                }
                let acc = &mut net.accounts[account];
                acc.revenue_since = 0;
                acc.costs_since = 0;
                acc.emission_since = 0;
                acc.rejected_since = 0;
                for &action in &actions {
                    if let Err(err) = net.apply(account, action) {
                        net.accounts[account].rejected_since += 1;
                        rejections.push(reject(block, &specs[k].name, action, &err));
                    }
                }
            }
        }
        if block.is_multiple_of(config.market.interval_blocks) {
            market.trade(&mut net, &market_accounts);
        }
        net.step_block();
        if let Some(sink) = sampler.as_mut() {
            let every = config.series_interval_blocks;
            if every > 0 && net.block.is_multiple_of(every) {
                sink.sample(&net).map_err(MatchError::Series)?;
                last_sampled = Some(net.block);
            }
        }
        if config.check_conservation {
            net.check_conservation().map_err(MatchError::Conservation)?;
        }
    }
    // Every series ends at the horizon, whatever its interval.
    if let Some(sink) = sampler {
        if last_sampled != Some(net.block) {
            sink.sample(&net).map_err(MatchError::Series)?;
        }
    }

    let payoffs = specs
        .iter()
        .enumerate()
        .map(|(k, spec)| {
            let a = net.entrant_accounts[k];
            let worth = net.liquidation_worth(a);
            peak[k] = peak[k].max(worth);
            drawdown[k] = drawdown[k].max(peak[k] - worth);
            let capital = tao(initial[k]);
            let profit = tao(worth) - capital;
            let acc = &net.accounts[a];
            Payoff {
                name: spec.name.clone(),
                initial_capital_tao: capital,
                final_worth_tao: tao(worth),
                mark_to_market_tao: net.mark_to_market_tao(a),
                profit_tao: profit,
                emission_captured_tao: acc.emission_total as f64 / 1e9,
                roi: if capital > 0.0 { profit / capital } else { 0.0 },
                max_drawdown_tao: tao(drawdown[k]),
                revenue_tao: acc.revenue_total as f64 / 1e9,
                costs_tao: acc.costs_total as f64 / 1e9,
                rejected_actions: rejections.iter().filter(|r| r.agent == spec.name).count() as u32,
                status: status[k].clone(),
            }
        })
        .collect();
    let agents = net
        .agent_accounts
        .iter()
        .map(|(name, a)| {
            let acc = &net.accounts[*a];
            AgentReport {
                name: name.clone(),
                free_tao: tao(acc.free_tao),
                root_stake_tao: tao(acc.root_stake),
                worth_tao: tao(net.liquidation_worth(*a)),
                alpha: (0..net.subnets.len())
                    .filter(|&i| acc.alpha[i] > 0)
                    .map(|i| (net.subnets.name[i].clone(), tao(acc.alpha[i])))
                    .collect(),
            }
        })
        .collect();
    // The prices at the horizon are the crash statistics' last sample (the block loop samples
    // every 360th block): a crash since the last snapshot, or in a match shorter than the
    // interval, counts. A no-op when the horizon is a snapshot.
    net.record_price_extremes();
    Ok(MatchOutcome {
        payoffs,
        agents,
        network: summarize(&net),
        series,
        rejections,
        blocks: net.block,
    })
}

fn reject(block: u64, agent: &str, action: Action, err: &ActionError) -> Rejection {
    Rejection {
        block,
        agent: agent.to_string(),
        action: format!("{action:?}"),
        reason: err.to_string(),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// The network table's numbers for a finished match (its crash as last sampled by
/// `Network::record_price_extremes`: `run_match` samples the horizon before calling this).
pub fn summarize(net: &Network) -> NetworkSummary {
    let by_class = net.subnets.emission_by_class();
    let total: u128 = by_class.iter().sum();
    let share = |c: SubnetClass| {
        if total > 0 {
            by_class[c as usize] as f64 / total as f64
        } else {
            0.0
        }
    };
    let value: f64 = net.subnets.value_created.iter().sum();
    let emitted = total as f64 / 1e9;
    NetworkSummary {
        emission_total_tao: emitted,
        emission_value_share: share(SubnetClass::Value),
        emission_meme_share: share(SubnetClass::Meme),
        emission_offtopic_share: share(SubnetClass::OffTopic),
        emission_idle_share: share(SubnetClass::Idle),
        value_created_tao: value,
        value_per_tao_emitted: if emitted > 0.0 { value / emitted } else { 0.0 },
        peak_meme_share: net.stats.peak_meme_share,
        largest_crash: net
            .subnets
            .largest_crash
            .iter()
            .cloned()
            .fold(0.0, f64::max),
    }
}
