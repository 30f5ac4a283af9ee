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
fn schedules_are_checked() {
    let mut c = common::small(1, 2, 1.0);
    c.schedule = tourney_engine::schedule::RootSchedule::Constant(1.5);
    assert_eq!(field_of(&c), "schedule");
}
