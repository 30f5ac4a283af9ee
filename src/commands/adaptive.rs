//! Adaptive repetitions of a role tournament (`repetitions: {min, max, confidence, batch}`).
//!
//! Stage 0 plays every profile `min` times. After each stage, [`next_stage`] reads the results
//! of every match chosen so far (nothing else: not the journal's extra rows, not completion
//! order) and, for each (mechanism, schedule) whose verdict's bootstrap confidence is below
//! `confidence`, adds `batch` repetitions (up to `max`) to each profile that decides the verdict
//! (`tourney_reports::role_games::adaptive`). The added matches are plan entries of higher
//! repetition, whose index, identity and seed do not depend on when they are chosen. So a run,
//! a resumed run (the stages are decided again and already played matches reused) and shards
//! merged and then resumed (`--shard` plays stage 0 only) choose the same matches and write
//! the same bytes.

use std::collections::BTreeMap;

use polars::prelude::IntoLazy;
use tourney_engine::tournament::config::TournamentConfig;
use tourney_engine::tournament::plan::{self, PlannedMatch};
use tourney_engine::tournament::roles::Repetitions;
use tourney_engine::tournament::rows::RawRow;
use tourney_reports::role_games::adaptive::{decisions, ProfileNames};
use tourney_reports::role_games::RoleOptions;

/// The profile of a planned match by names (roles by name, strategies sorted).
fn names_of(config: &TournamentConfig, m: &PlannedMatch) -> ProfileNames {
    let mut by_role: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &k in &m.entrants {
        let (r, _) = config.role_of_entrant(k).unwrap_or((0, 0));
        by_role
            .entry(config.roles[r].name.clone())
            .or_default()
            .push(config.entrants[k].display_name());
    }
    by_role
        .into_iter()
        .map(|(role, mut s)| {
            s.sort();
            (role, s)
        })
        .collect()
}

/// The matches of the next stage (empty when every verdict is confident enough or every
/// deciding profile has `max` repetitions). `chosen` are the matches chosen so far and `rows`
/// their rows.
pub fn next_stage(
    config: &TournamentConfig,
    chosen: &[PlannedMatch],
    rows: &[RawRow],
) -> Result<Vec<PlannedMatch>, String> {
    let Repetitions::Adaptive {
        max,
        confidence,
        batch,
        ..
    } = config.repetitions
    else {
        return Ok(Vec::new());
    };
    let frame = crate::tournament_io::raw_frame(rows).map_err(|e| format!("raw table: {e}"))?;
    let options = RoleOptions::default();
    let decided = decisions(frame.lazy(), &options).map_err(|e| e.to_string())?;
    // Repetitions chosen so far per (mechanism, schedule, profile), and each profile's names.
    let mut reps: BTreeMap<(usize, usize, usize), u32> = BTreeMap::new();
    let mut group_names: BTreeMap<usize, ProfileNames> = BTreeMap::new();
    for m in chosen {
        *reps.entry((m.mechanism, m.schedule, m.group)).or_default() += 1;
        group_names
            .entry(m.group)
            .or_insert_with(|| names_of(config, m));
    }
    let mut out = Vec::new();
    for d in decided {
        if d.confidence >= confidence {
            continue;
        }
        let m = config
            .mechanisms
            .iter()
            .position(|x| x.label() == d.mechanism);
        let s = config.schedules.iter().position(|x| x.name == d.schedule);
        let (Some(m), Some(s)) = (m, s) else {
            continue;
        };
        for profile in &d.deciding {
            let Some((&g, _)) = group_names.iter().find(|(_, n)| *n == profile) else {
                continue;
            };
            let have = reps.get(&(m, s, g)).copied().unwrap_or(0);
            if have < max {
                out.extend(plan::matches_of(
                    config,
                    (m, s, g),
                    have..(have + batch).min(max),
                ));
            }
        }
    }
    out.sort_by_key(|m| m.index);
    out.dedup_by_key(|m| m.index);
    Ok(out)
}
