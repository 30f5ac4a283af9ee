//! Bad input is reported with the field that is wrong, never a panic.

mod common;

use tourney_engine::config::*;
use tourney_engine::{run_match, MatchError};

fn field_of(c: &MatchConfig) -> String {
    c.validate().unwrap_err().field
}

#[test]
fn negative_amounts_name_the_field() {
    let mut c = common::small(1, 2, 1.0);
    c.network.root_stake_tao = -5.0;
    assert_eq!(field_of(&c), "network.root_stake_tao");

    let mut c = common::with_meme(common::small(1, 2, 1.0), 0.0);
    c.events = vec![EventConfig {
        block: Some(10),
        day: None,
        agent: "farmer".into(),
        action: ActionConfig::Stake {
            subnet: SubnetRef::Name("meme".into()),
            tao: -1.0,
        },
    }];
    assert_eq!(field_of(&c), "events[0].tao");
}

#[test]
fn start_day_past_the_horizon() {
    let mut c = common::small(1, 2, 30.0);
    c.start_day = 45.0;
    let e = c.validate().unwrap_err();
    assert_eq!(e.field, "start_day");
    assert!(e.message.contains("horizon"), "{e}");
    // And through the match API: a typed error, not a panic.
    assert!(matches!(
        run_match(&c, Vec::new()),
        Err(MatchError::Config(_))
    ));
}

/// The start and the horizon are refused at a key a file writes (both have defaults), with
/// both values named.
#[test]
fn a_horizon_at_or_before_the_start_names_the_key_written() {
    let mut c = common::small(1, 2, 0.0);
    let e = c.validate().unwrap_err();
    assert_eq!(e.field, "horizon_day");
    assert_eq!(
        e.message,
        "horizon_day 0 is not after start_day 0: a match ends after the day it starts"
    );
    // The default horizon cannot be the key written: the start day was.
    c.horizon_day = DEFAULT_HORIZON_DAY;
    c.start_day = 30.0;
    let e = c.validate().unwrap_err();
    assert_eq!(e.field, "start_day");
    assert!(
        e.message
            .starts_with("start_day 30 is not before horizon_day 30"),
        "{e}"
    );
}

/// An event with neither `block` nor `day` fired at block 0 without a word.
#[test]
fn an_event_says_when_it_fires() {
    let mut c = common::with_meme(common::small(1, 2, 1.0), 0.0);
    c.events = vec![EventConfig {
        block: None,
        day: None,
        agent: "farmer".into(),
        action: ActionConfig::StakeRoot { tao: 1.0 },
    }];
    let e = c.validate().unwrap_err();
    assert_eq!(e.field, "events[0]");
    assert!(e.message.starts_with("missing `block` or `day`"), "{e}");
    c.events[0].day = Some(0.5);
    c.validate().unwrap();
}

#[test]
fn references_must_exist() {
    let mut c = common::with_meme(common::small(1, 2, 1.0), 0.0);
    c.events = vec![EventConfig {
        block: Some(10),
        day: None,
        agent: "nobody".into(),
        action: ActionConfig::StakeRoot { tao: 1.0 },
    }];
    assert_eq!(field_of(&c), "events[0].agent");
    c.events[0].agent = "farmer".into();
    c.events[0].action = ActionConfig::UnstakeAll {
        subnet: SubnetRef::Name("nope".into()),
    };
    assert_eq!(field_of(&c), "events[0].subnet");
    c.events[0].action = ActionConfig::StakeRoot { tao: 1.0 };
    c.events[0].block = Some(1_000_000);
    assert_eq!(field_of(&c), "events[0]");
}

#[test]
fn subnet_references_and_weights_say_what_they_may_be() {
    let e = serde_yaml::from_str::<SubnetRef>("-1")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("a subnet: its id (0 to 65535) or its name"),
        "{e}"
    );
    let e = serde_yaml::from_str::<SubnetRef>("70000")
        .unwrap_err()
        .to_string();
    assert!(e.contains("its id (0 to 65535)"), "{e}");
    assert_eq!(
        serde_yaml::from_str::<SubnetRef>("3").unwrap(),
        SubnetRef::Id(3)
    );
    assert_eq!(
        serde_yaml::from_str::<SubnetRef>("meme").unwrap(),
        SubnetRef::Name("meme".into())
    );
    // Weights that are all zero would only ever be a rejected action.
    let mut c = common::with_meme(common::small(1, 2, 1.0), 0.0);
    c.events = vec![EventConfig {
        block: Some(10),
        day: None,
        agent: "farmer".into(),
        action: ActionConfig::SetWeights {
            subnet: SubnetRef::Name("meme".into()),
            policy: PolicyConfig::Classes {
                work: 0.0,
                holdings: 0.0,
                burn: 0.0,
            },
        },
    }];
    assert_eq!(field_of(&c), "events[0].policy");
    // A configured subnet named like a background one would label two subnets.
    let mut c = common::with_meme(common::small(1, 2, 1.0), 0.0);
    c.subnets[0].name = "bg-2".into();
    c.events.clear();
    assert_eq!(field_of(&c), "subnets[0].name");
    c.subnets[0].name = "bg-3".into();
    assert!(c.validate().is_ok(), "two background subnets: bg-3 is free");
}

#[test]
fn schedules_are_checked() {
    let mut c = common::small(1, 2, 1.0);
    c.schedule = tourney_engine::schedule::RootSchedule::Constant(1.5);
    assert_eq!(field_of(&c), "schedule");
}
