//! Everything in a search file that can be checked before a match is played, checked then.
//!
//! A search plays a batch of matches (minutes to hours) before it first reads a result; a
//! mistake found only then — an observable the role game does not have, a role the base
//! tournament does not have, a knob value `run` refuses in a generated point tournament — used
//! to end the run with "evaluating a batch failed" (exit 1) and a location in a generated file.
//! Each is bad input in the search file, so each is reported as one located error there (exit
//! 2) before the output folder is touched:
//!
//! - the base tournament must be one role game: `format: roles`, one mechanism, one schedule;
//! - every role, strategy and observable the objectives and constraints name must exist;
//! - every knob value the search can reach must give a tournament `run` accepts. A range is
//!   checked at both ends and a set at every level, each knob alone in the base tournament
//!   (so an error names that knob's value), then every range knob at its lower ends together
//!   and at its upper ends together (limits that bind several knobs, such as
//!   `objective_price_weight + objective_flow_weight ≤ 1`). A knob's constraints are bounds,
//!   so a value between valid ends is valid too; the point tournaments are checked at
//!   `max_repetitions`, the largest plan the search writes;
//! - the base tournament's plugins must pass `tourney validate`'s check
//!   (`commands::validate::plugins`, which `search` calls after these: it builds the crates).

use crate::input::InputError;
use crate::point_yaml::{apply, set_repetitions};
use serde_yaml::Value;
use std::path::Path;
use tourney_engine::search::config::{ObjectiveYaml, SearchConfig};
use tourney_engine::search::space::{Domain, Level, Space};
use tourney_engine::tournament::config::{Format, TournamentConfig};
use tourney_reports::role_games::build::OBSERVABLES;

/// An error at `field` of the search file (`space.flow_exponent.range[0]`), located at the
/// value it names (or its key, or the nearest written ancestor), the message prefixed by the
/// field as every other search-file error is.
pub fn located(file: &Path, text: &str, field: &str, message: &str) -> InputError {
    let at = crate::yaml_locate::locate(text, field);
    InputError {
        file: file.to_path_buf(),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        message: format!("{field}: {message}"),
    }
}

/// A search point is one role game: the base must be `format: roles` with one mechanism and
/// one schedule (the evaluation solves exactly one game per point).
pub fn check_base(base: &TournamentConfig, base_path: &Path) -> Result<(), String> {
    let mut wrong = Vec::new();
    if base.format != Format::Roles {
        wrong.push(format!("is `format: {}`", base.format.name()));
    }
    if base.mechanisms.len() != 1 {
        let names: Vec<String> = base.mechanisms.iter().map(|m| m.label()).collect();
        wrong.push(format!(
            "has {} mechanisms ({})",
            names.len(),
            names.join(", ")
        ));
    }
    if base.schedules.len() != 1 {
        let names: Vec<&str> = base.schedules.iter().map(|s| s.name.as_str()).collect();
        wrong.push(format!(
            "has {} schedules ({})",
            names.len(),
            names.join(", ")
        ));
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the base tournament {} {}; a search point must be one role game: `format: roles`, one \
         mechanism, one schedule",
        base_path.display(),
        wrong.join(" and ")
    ))
}

/// Every role, strategy and observable that the objectives and constraints name exists in the
/// base tournament's role game: `(field, message)` of the first that does not.
pub fn check_names(config: &SearchConfig, base: &TournamentConfig) -> Result<(), (String, String)> {
    let role = |field: String, name: &str| -> Result<usize, (String, String)> {
        base.roles
            .iter()
            .position(|r| r.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = base.roles.iter().map(|r| r.name.as_str()).collect();
                (
                    field,
                    format!(
                        "the search names role `{name}`; the tournament's roles are {}",
                        names.join(", ")
                    ),
                )
            })
    };
    let strategy = |field: String, r: usize, name: &str| -> Result<(), (String, String)> {
        let names: Vec<String> = base.roles[r]
            .strategies
            .iter()
            .map(|e| e.display_name())
            .collect();
        if names.iter().any(|n| n == name) {
            return Ok(());
        }
        Err((
            field,
            format!(
                "the search names strategy `{name}` in role `{}`, which plays {}",
                base.roles[r].name,
                names.join(", ")
            ),
        ))
    };
    for (k, o) in config.objectives.iter().enumerate() {
        let (word, m) = match o {
            ObjectiveYaml {
                minimise: Some(m), ..
            } => ("minimise", m),
            ObjectiveYaml {
                maximise: Some(m), ..
            } => ("maximise", m),
            _ => continue, // refused by `SearchConfig::check` already
        };
        let field = format!("objectives[{k}].{word}");
        if let Some(name) = &m.observable {
            if !OBSERVABLES.contains(&name.as_str()) {
                return Err((
                    format!("{field}.observable"),
                    format!(
                        "unknown observable `{name}`; known: {}",
                        OBSERVABLES.join(", ")
                    ),
                ));
            }
        }
        if let Some(w) = &m.weight {
            let r = role(format!("{field}.weight.role"), &w.role)?;
            strategy(format!("{field}.weight.strategy"), r, &w.strategy)?;
        }
        if let Some(p) = &m.payoff {
            role(format!("{field}.payoff"), p)?;
        }
    }
    for (k, c) in config.constraints.iter().enumerate() {
        let r = role(format!("constraints[{k}].role"), &c.role)?;
        strategy(format!("constraints[{k}].strategy"), r, &c.strategy)?;
    }
    Ok(())
}

/// Whether `run` accepts the tournament `doc`: the same reading and checks as `tourney run`
/// (`tournament_io::load`: types, then `prepare` and `validate`), in memory; the reason if not.
fn tournament_refusal(doc: &Value) -> Option<String> {
    let text = match serde_yaml::to_string(doc) {
        Ok(t) => t,
        Err(e) => return Some(e.to_string()),
    };
    let mut config: TournamentConfig =
        match crate::input::parse_yaml(Path::new("point.yaml"), &text) {
            Ok(c) => c,
            Err(e) => return Some(e.message),
        };
    config
        .prepare()
        .and_then(|()| config.validate())
        .err()
        .map(|e| format!("{}: {}", e.field, e.message))
}

/// Every knob value the search can reach gives a tournament `run` accepts (see the module
/// documentation for which values are tried): `(field, message)` of the first that does not.
pub fn check_knob_values(
    space: &Space,
    base: &Value,
    max_repetitions: u32,
) -> Result<(), (String, String)> {
    let refusal = |knobs: &[String], values: &[Level]| -> Option<String> {
        let mut doc = match apply(base, knobs, values) {
            Ok(d) => d,
            Err(e) => return Some(e),
        };
        set_repetitions(&mut doc, max_repetitions);
        tournament_refusal(&doc)
    };
    let explain = |what: String, why: String| {
        format!("`run` refuses the point tournament with {what}: {why}")
    };
    for d in space.dims() {
        let field = format!("space.{}", d.knob);
        let tried: Vec<(String, Level)> = match &d.domain {
            Domain::Range { lo, hi, .. } => vec![
                (format!("{field}.range[0]"), Level::Number(*lo)),
                (format!("{field}.range[1]"), Level::Number(*hi)),
            ],
            Domain::Set(levels) => levels
                .iter()
                .enumerate()
                .map(|(k, l)| (format!("{field}.set[{k}]"), l.clone()))
                .collect(),
        };
        for (at, level) in tried {
            if let Some(why) = refusal(std::slice::from_ref(&d.knob), std::slice::from_ref(&level))
            {
                return Err((at, explain(format!("{} = {level}", d.knob), why)));
            }
        }
    }
    // The range knobs together, at their lower ends and at their upper ends (sets at their
    // first level, each already tried alone).
    let knobs: Vec<String> = space.dims().iter().map(|d| d.knob.clone()).collect();
    for (end, name) in [(0, "lower"), (1, "upper")] {
        let values: Vec<Level> = space
            .dims()
            .iter()
            .map(|d| match &d.domain {
                Domain::Range { lo, hi, .. } => Level::Number([*lo, *hi][end]),
                Domain::Set(levels) => levels[0].clone(),
            })
            .collect();
        if let Some(why) = refusal(&knobs, &values) {
            let at: Vec<String> = knobs
                .iter()
                .zip(&values)
                .map(|(k, v)| format!("{k} = {v}"))
                .collect();
            return Err((
                "space".into(),
                explain(
                    format!("every range knob at its {name} end ({})", at.join(", ")),
                    why,
                ),
            ));
        }
    }
    Ok(())
}
