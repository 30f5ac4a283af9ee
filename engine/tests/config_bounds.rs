//! Every float of the network, market, mechanism and schedule configuration that feeds a
//! product, an `exp` or a log-normal draw has a range (`engine/src/config.rs`, `docs/scaling.md`
//! "Bounds on input"). At either end of each range a match plays with every payoff, summary and
//! series value finite and TAO and alpha conserved; just past it the configuration is refused,
//! naming the field. (A hostile test campaign found `tao_weight: 1e308`, a productivity median
//! of 1e308, a pool σ of 1e5 and a start day of 1e15 accepted, giving NaN, inf or an emission
//! captured above the emission paid, with exit code 0.)

mod common;

use tourney_engine::config::*;
use tourney_engine::runner::{run_match, Entrant, MatchOutcome};
use tourney_sdk::{
    Action, Classifier, Mechanism, Observation, Role, SpendKind, Strategy, StrategyInfo,
    RAO_PER_TAO,
};

/// An owner that spends on AI work every decision, and a staker that stakes into subnet 1 and
/// root: between them the revenue, pool and root paths all run.
struct Player {
    role: Role,
}

impl Strategy for Player {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "player".into(),
            version: "1.0.0".into(),
            classifier: Classifier {
                role: self.role,
                stochastic: false,
                uses_root_stake: self.role == Role::Staker,
            },
        }
    }
    fn decide(&mut self, _: &Observation, actions: &mut Vec<Action>) {
        match self.role {
            Role::SubnetOwner => actions.push(Action::Spend {
                tao_rao: 10 * RAO_PER_TAO,
                kind: SpendKind::Work,
            }),
            _ => {
                actions.push(Action::Stake {
                    subnet: 1,
                    tao_rao: 100 * RAO_PER_TAO,
                });
                actions.push(Action::StakeRoot {
                    tao_rao: 100 * RAO_PER_TAO,
                });
            }
        }
    }
}

fn entrants() -> Vec<Entrant> {
    [("owner", Role::SubnetOwner), ("staker", Role::Staker)]
        .into_iter()
        .map(|(name, role)| Entrant {
            name: name.into(),
            strategy: Box::new(Player { role }),
            capital_tao: None,
            root_claim: None,
        })
        .collect()
}

/// A two-day match (two daily random-walk steps) with conservation checked every block and a
/// series sample every 600 blocks; the scripted meme subnet's owner spends on work.
fn base() -> MatchConfig {
    let mut c = common::with_meme(common::small(7, 3, 2.0), 1_000.0);
    c.series_interval_blocks = 600;
    c.decision_interval_blocks = 720;
    c.subnets[0].holdings_weight = 0.0;
    c.subnets[0].productivity = 1.0;
    c.events = vec![EventConfig {
        block: Some(10),
        day: None,
        agent: "farmer".into(),
        action: ActionConfig::Spend {
            tao: 1_000.0,
            kind: WorkConfig::Ai,
        },
    }];
    c
}

/// Every non-finite number in the outcome's debug print (payoffs, summary, series).
fn non_finite(o: &MatchOutcome) -> Vec<String> {
    let text = format!("{o:?}");
    text.split(|c: char| c.is_whitespace() || "[](){},:".contains(c))
        .filter(|t| matches!(*t, "NaN" | "inf" | "-inf"))
        .map(str::to_string)
        .collect()
}

type Set = fn(&mut MatchConfig, f64);

/// Each bounded field: its name, its range and how to set it.
fn fields() -> Vec<(&'static str, f64, f64, Set)> {
    vec![
        ("network.tao_weight", 0.0, MAX_TAO_WEIGHT, |c, x| {
            c.network.tao_weight = x
        }),
        ("network.pool_tao.median", 1.0, MAX_AMOUNT_TAO, |c, x| {
            // The pool's alpha (TAO / price) stays under the amount cap at a price of 1.
            c.network.price.median = 1.0;
            c.network.pool_tao.median = x
        }),
        ("network.pool_tao.sigma", 0.0, MAX_SIGMA, |c, x| {
            c.network.pool_tao.sigma = x
        }),
        ("network.price.median", 1e-7, MAX_PRICE_MEDIAN, |c, x| {
            // A tiny price needs a small pool to keep its alpha under the amount cap (1 TAO at
            // 1e-7 TAO per alpha is 1e7 alpha).
            c.network.pool_tao.median = 1.0;
            c.network.price.median = x
        }),
        ("network.price.sigma", 0.0, MAX_SIGMA, |c, x| {
            c.network.price.sigma = x
        }),
        (
            "network.productivity.median",
            1e-9,
            MAX_PRODUCTIVITY,
            |c, x| c.network.productivity.median = x,
        ),
        ("network.productivity.sigma", 0.0, MAX_SIGMA, |c, x| {
            c.network.productivity.sigma = x
        }),
        ("network.hype_sigma", 0.0, MAX_SIGMA, |c, x| {
            c.network.hype_sigma = x
        }),
        (
            "network.hype_volatility_per_day",
            0.0,
            MAX_VOLATILITY_PER_DAY,
            |c, x| c.network.hype_volatility_per_day = x,
        ),
        (
            "network.ai_revenue_volatility_per_day",
            0.0,
            MAX_VOLATILITY_PER_DAY,
            |c, x| c.network.ai_revenue_volatility_per_day = x,
        ),
        ("network.btc_tao_price", 0.0, MAX_BTC_TAO_PRICE, |c, x| {
            c.network.btc_tao_price = x
        }),
        (
            "network.btc_volatility_per_day",
            0.0,
            MAX_VOLATILITY_PER_DAY,
            |c, x| c.network.btc_volatility_per_day = x,
        ),
        (
            "network.btc_revenue_per_tao",
            0.0,
            MAX_PRODUCTIVITY,
            |c, x| {
                c.network.btc_revenue_per_tao = x;
                c.subnets[0].work = WorkConfig::Offtopic;
            },
        ),
        (
            "market.max_position_pool_share",
            0.0,
            MAX_POSITION_POOL_SHARE,
            |c, x| c.market.max_position_pool_share = x,
        ),
        (
            "market.momentum.sensitivity",
            0.0,
            MAX_SENSITIVITY,
            |c, x| c.market.momentum.sensitivity = x,
        ),
        ("market.yield.sensitivity", 0.0, MAX_SENSITIVITY, |c, x| {
            c.market.yield_seeking.sensitivity = x
        }),
        ("market.value.sensitivity", 0.0, MAX_SENSITIVITY, |c, x| {
            c.market.value.sensitivity = x
        }),
        ("market.panic.sensitivity", 0.0, MAX_SENSITIVITY, |c, x| {
            c.market.panic.sensitivity = x
        }),
        (
            "entrants.owned_subnet.productivity",
            0.0,
            MAX_PRODUCTIVITY,
            |c, x| c.entrants.owned_subnet.productivity = x,
        ),
        ("entrants.owned_subnet.hype", 0.0, MAX_HYPE, |c, x| {
            c.entrants.owned_subnet.hype = x
        }),
        ("subnets[0].productivity", 0.0, MAX_PRODUCTIVITY, |c, x| {
            c.subnets[0].productivity = x
        }),
        ("subnets[0].hype", 0.0, MAX_HYPE, |c, x| {
            c.subnets[0].hype = x
        }),
        ("start_day", 0.0, MAX_START_DAY, |c, x| {
            c.start_day = x;
            c.horizon_day = x + 2.0;
        }),
        ("flow_exponent", 1e-3, MAX_FLOW_EXPONENT, |c, x| {
            c.mechanism = Mechanism::Taoflow;
            c.flow_exponent = x
        }),
    ]
}

fn play(c: &MatchConfig, what: &str) {
    let o = run_match(c, entrants()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let bad = non_finite(&o);
    assert!(bad.is_empty(), "{what}: non-finite values {bad:?}");
    // What the entrants captured was paid out of the network's emission.
    let captured: f64 = o.payoffs.iter().map(|p| p.emission_captured_tao).sum();
    assert!(
        captured <= o.network.emission_total_tao + 1e-6,
        "{what}: entrants captured {captured} TAO of {} emitted",
        o.network.emission_total_tao
    );
}

#[test]
fn both_ends_of_every_range_play_a_finite_conserving_match() {
    for (field, lo, hi, set) in fields() {
        for x in [lo, hi] {
            let mut c = base();
            set(&mut c, x);
            play(&c, &format!("{field} = {x}"));
        }
    }
    // Every field at its upper end at once (the products compound).
    let mut c = base();
    for (field, _, hi, set) in fields() {
        // These two setters also change another field (the pool, the meme subnet's work).
        if !matches!(
            field,
            "network.btc_revenue_per_tao" | "network.price.median"
        ) {
            set(&mut c, hi);
        }
    }
    c.network.price.median = MAX_PRICE_MEDIAN;
    c.network.btc_revenue_per_tao = MAX_PRODUCTIVITY;
    play(&c, "every field at its upper end");
}

#[test]
fn just_past_every_range_is_refused_naming_the_field() {
    for (field, lo, hi, set) in fields() {
        let past = [
            hi * (1.0 + 1e-9) + 1e-9,
            f64::INFINITY,
            f64::NAN,
            if lo > 0.0 { -lo } else { -1e-9 },
        ];
        for x in past {
            let mut c = base();
            set(&mut c, x);
            let e = c
                .validate()
                .expect_err(&format!("{field} = {x} was accepted"));
            assert_eq!(e.field, field, "{field} = {x}: {e}");
        }
    }
    // A price median above the clamp at 1 is refused (it would clamp most draws).
    let mut c = base();
    c.network.price.median = 1.5;
    let e = c.validate().unwrap_err();
    assert_eq!(e.field, "network.price.median");
    assert!(e.message.contains("clamped at 1"), "{e}");
}

#[test]
fn a_log_normal_out_of_range_is_located_even_in_a_flow_map() {
    for (yaml, field, line, column) in [
        (
            "network:\n  pool_tao: {median: 1000, sigma: 1e5}\n",
            "sigma",
            2,
            13,
        ),
        (
            "network:\n  productivity: {median: 1e308, sigma: 1}\n",
            "median",
            2,
            17,
        ),
        ("network:\n  price: {median: 1e300}\n", "median", 2, 10),
        ("network:\n  price:\n    median: 2\n", "median", 3, 5),
    ] {
        let e = serde_yaml::from_str::<MatchConfig>(yaml).unwrap_err();
        let at = e.location().unwrap_or_else(|| panic!("{yaml}: {e}"));
        assert_eq!((at.line(), at.column()), (line, column), "{yaml}: {e}");
        assert!(e.to_string().contains(&format!("{field}: expected")), "{e}");
    }
    // In range, the same maps parse.
    let c: MatchConfig =
        serde_yaml::from_str("network:\n  pool_tao: {median: 1000, sigma: 3}\n").unwrap();
    assert_eq!(c.network.pool_tao.sigma, 3.0);
}

#[test]
fn a_mechanism_setting_its_mechanism_does_not_read_is_refused() {
    for (set, field) in [
        (
            (|c| c.flow_exponent = 2.0) as fn(&mut MatchConfig),
            "flow_exponent",
        ),
        (
            |c| c.flow_cutoff_tao_per_day = 50.0,
            "flow_cutoff_tao_per_day",
        ),
        (|c| c.objective_price_weight = 0.5, "objective_price_weight"),
        (|c| c.objective_flow_weight = 0.5, "objective_flow_weight"),
    ] {
        let mut c = base();
        set(&mut c);
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, field, "{e}");
        assert!(e.message.contains("`dtao-price` does not read"), "{e}");
    }
    // The mechanisms that read them accept them.
    let mut c = base();
    (c.mechanism, c.flow_exponent, c.flow_cutoff_tao_per_day) = (Mechanism::TaoflowNet, 2.0, 5.0);
    c.validate().unwrap();
    let mut c = base();
    (c.mechanism, c.objective_price_weight) = (Mechanism::Objective, 0.5);
    c.validate().unwrap();
}

#[test]
fn blank_agent_and_subnet_names_are_refused() {
    let mut c = base();
    c.agents[0].name = " ".into();
    assert_eq!(c.validate().unwrap_err().field, "agents[0].name");
    let mut c = base();
    c.subnets[0].name = String::new();
    assert_eq!(c.validate().unwrap_err().field, "subnets[0].name");
}

#[test]
fn the_match_files_in_tournaments_are_within_every_range() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tournaments");
    let mut checked = 0;
    for sub in ["scenarios", "bench"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            // Match files have a top-level `mechanism:`; tournament files `mechanisms:`.
            if !text.lines().any(|l| l.starts_with("mechanism:")) {
                continue;
            }
            let c: MatchConfig =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            c.validate()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            checked += 1;
        }
    }
    assert!(checked >= 3, "{checked} match files");
}
