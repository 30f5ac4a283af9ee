//! A role tournament's raw rows as one [`RoleGame`] per (mechanism, schedule).
//!
//! Unit of observation: one match (one repetition of one profile). Its payoff for (role,
//! strategy) is the mean `profit_tao` of the players of that role playing that strategy (TAO
//! profit at the role's capital, so payoffs compare only within a role); its observables are
//! the match's network columns. A match with any row whose status is `error` (the match could
//! not be played) is left out; a forfeit is the strategy's own outcome and counts.
//!
//! Roles come in the order of the first match's slots (the plan puts roles in file order);
//! strategies within a role in name order; profiles in their natural order. A game whose
//! profiles are those of a deviation-preserving reduction (fewer than all) is reduced with the
//! reduction whose profile set they are.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::meta::roles::{
    all_profiles, dpr_profiles, dpr_reduce, Observation, Profile, ProfileData, Role, RoleGame,
};
use crate::tables::text_column;
use crate::ReportError;

/// The network observables every role game carries, by name, in this order.
pub const OBSERVABLES: &[&str] = &[
    "no_value_share",
    "value_share",
    "meme_share",
    "offtopic_share",
    "idle_share",
    "value_per_tao_emitted",
    "peak_meme_share",
    "largest_crash",
];

/// Index of an observable in [`OBSERVABLES`].
pub fn observable(name: &str) -> usize {
    OBSERVABLES
        .iter()
        .position(|o| *o == name)
        .expect("a known observable")
}

/// One (mechanism, schedule) of a role tournament.
#[derive(Debug, Clone)]
pub struct BuiltGame {
    pub mechanism: String,
    pub schedule: String,
    /// The game the verdict is solved on (the reduced game when a reduction was played).
    pub game: RoleGame,
    /// The full-game data as played (the same as `game` unless reduced).
    pub full: RoleGame,
    /// Reduced players per role when the tournament played a deviation-preserving reduction.
    pub reduced_players: Option<Vec<u32>>,
    /// Matches used, and matches left out because they could not be played.
    pub matches: usize,
    pub errored_matches: usize,
}

/// One row of the raw table, as far as a role game needs it.
struct Row {
    mechanism: String,
    schedule: String,
    match_id: String,
    role: String,
    entrant: String,
    status: String,
    profit: f64,
    network: [f64; 6],
}

fn floats(df: &DataFrame, name: &str) -> Result<Vec<f64>, ReportError> {
    let s = df.column(name)?.cast(&DataType::Float64)?;
    Ok(s.f64()?.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

use crate::tables::NETWORK_COLUMNS as NETWORK;

/// The role games of a raw lazy frame (after [`crate::tables::select_raw`]); empty when it
/// holds no `format: roles` rows.
pub fn role_games(raw: LazyFrame) -> Result<Vec<BuiltGame>, ReportError> {
    let df = raw.filter(col("format").eq(lit("roles"))).collect()?;
    if df.height() == 0 {
        return Ok(Vec::new());
    }
    let (mech, sched, ids, roles, entrants, status) = (
        text_column(&df, "mechanism")?,
        text_column(&df, "schedule")?,
        text_column(&df, "match_id")?,
        text_column(&df, "role")?,
        text_column(&df, "entrant")?,
        text_column(&df, "status")?,
    );
    let profit = floats(&df, "profit_tao")?;
    let network: Vec<Vec<f64>> = NETWORK
        .iter()
        .map(|c| floats(&df, c))
        .collect::<Result<_, _>>()?;
    // Rows grouped by cell, then by match, keeping the table's order (plan order, slots in
    // order) within each: the game's inputs never depend on how polars scheduled the work.
    let mut cells: BTreeMap<(String, String), BTreeMap<String, Vec<Row>>> = BTreeMap::new();
    for k in 0..df.height() {
        let row = Row {
            mechanism: mech[k].clone(),
            schedule: sched[k].clone(),
            match_id: ids[k].clone(),
            role: roles[k].clone(),
            entrant: entrants[k].clone(),
            status: status[k].clone(),
            profit: profit[k],
            network: std::array::from_fn(|c| network[c][k]),
        };
        cells
            .entry((row.mechanism.clone(), row.schedule.clone()))
            .or_default()
            .entry(row.match_id.clone())
            .or_default()
            .push(row);
    }
    cells
        .into_iter()
        .map(|((mechanism, schedule), matches)| game_of(mechanism, schedule, matches))
        .collect()
}

fn invalid(mechanism: &str, schedule: &str, what: String) -> ReportError {
    ReportError::Invalid(format!("role game {mechanism} / {schedule}: {what}"))
}

/// The game of one cell from its matches' rows.
fn game_of(
    mechanism: String,
    schedule: String,
    matches: BTreeMap<String, Vec<Row>>,
) -> Result<BuiltGame, ReportError> {
    // Roles in slot order of the first match, with their players; strategies by name.
    let first = matches.values().next().expect("a cell has a match");
    let mut role_names: Vec<String> = Vec::new();
    let mut players: Vec<u32> = Vec::new();
    for r in first {
        match role_names.iter().position(|n| *n == r.role) {
            Some(i) => players[i] += 1,
            None => {
                role_names.push(r.role.clone());
                players.push(1);
            }
        }
    }
    let mut strategies: Vec<BTreeSet<String>> = vec![BTreeSet::new(); role_names.len()];
    for rows in matches.values() {
        for r in rows {
            let i = role_names
                .iter()
                .position(|n| *n == r.role)
                .ok_or_else(|| {
                    invalid(
                        &mechanism,
                        &schedule,
                        format!("match {} has role `{}` the first lacks", r.match_id, r.role),
                    )
                })?;
            strategies[i].insert(r.entrant.clone());
        }
    }
    let roles: Vec<Role> = role_names
        .iter()
        .zip(&players)
        .zip(&strategies)
        .map(|((name, &players), s)| Role {
            name: name.clone(),
            players,
            strategies: s.iter().cloned().collect(),
        })
        .collect();

    let mut by_profile: BTreeMap<Profile, Vec<Observation>> = BTreeMap::new();
    let (mut used, mut errored) = (0, 0);
    for (id, rows) in &matches {
        if rows.iter().any(|r| r.status == "error") {
            errored += 1;
            continue;
        }
        let mut counts: Profile = roles.iter().map(|r| vec![0; r.strategies.len()]).collect();
        let mut sums: Vec<Vec<f64>> = roles
            .iter()
            .map(|r| vec![0.0; r.strategies.len()])
            .collect();
        for r in rows {
            let i = role_names.iter().position(|n| *n == r.role).unwrap_or(0);
            let s = roles[i]
                .strategies
                .iter()
                .position(|n| *n == r.entrant)
                .unwrap_or(0);
            counts[i][s] += 1;
            sums[i][s] += r.profit;
        }
        for (i, role) in roles.iter().enumerate() {
            if counts[i].iter().sum::<u32>() != role.players {
                return Err(invalid(
                    &mechanism,
                    &schedule,
                    format!(
                        "match {id} has {} players of role `{}`, others {}",
                        counts[i].iter().sum::<u32>(),
                        role.name,
                        role.players
                    ),
                ));
            }
        }
        let payoff = sums
            .iter()
            .zip(&counts)
            .map(|(s, c)| {
                s.iter()
                    .zip(c)
                    .map(|(x, &n)| if n > 0 { x / n as f64 } else { f64::NAN })
                    .collect()
            })
            .collect();
        let n = &rows[0].network;
        let (value, meme, offtopic) = (n[0], n[1], n[2]);
        let observables = vec![
            1.0 - value,
            value,
            meme,
            offtopic,
            1.0 - value - meme - offtopic,
            n[3],
            n[4],
            n[5],
        ];
        by_profile.entry(counts).or_default().push(Observation {
            payoff,
            observables,
        });
        used += 1;
    }
    let profiles: Vec<ProfileData> = by_profile
        .into_iter()
        .map(|(profile, observations)| ProfileData {
            profile,
            observations,
        })
        .collect();
    let played: BTreeSet<Profile> = profiles.iter().map(|p| p.profile.clone()).collect();
    let observables = OBSERVABLES.iter().map(|s| s.to_string()).collect();
    let full = RoleGame::new(roles.clone(), observables, profiles)
        .map_err(|e| invalid(&mechanism, &schedule, e.to_string()))?;
    let reduced_players = if played.len() < all_profiles(&roles).len() {
        reduction_of(&roles, &played)
    } else {
        None
    };
    let game = match &reduced_players {
        Some(reduced) => {
            dpr_reduce(&full, reduced).map_err(|e| invalid(&mechanism, &schedule, e.to_string()))?
        }
        None => full.clone(),
    };
    Ok(BuiltGame {
        mechanism,
        schedule,
        game,
        full,
        reduced_players,
        matches: used,
        errored_matches: errored,
    })
}

/// The deviation-preserving reduction (reduced players per role) whose profiles are exactly
/// `played`, if any: every combination of reduced counts 1..=players per role is tried,
/// smallest first.
fn reduction_of(roles: &[Role], played: &BTreeSet<Profile>) -> Option<Vec<u32>> {
    let mut candidates: Vec<Vec<u32>> = vec![Vec::new()];
    for r in roles {
        candidates = candidates
            .into_iter()
            .flat_map(|prefix| {
                (1..=r.players).map(move |n| {
                    let mut v = prefix.clone();
                    v.push(n);
                    v
                })
            })
            .collect();
    }
    candidates.into_iter().find(|reduced| {
        reduced.iter().zip(roles).any(|(n, r)| *n < r.players)
            && dpr_profiles(roles, reduced)
                .into_iter()
                .collect::<BTreeSet<_>>()
                == *played
    })
}
