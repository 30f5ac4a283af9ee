//! Adaptive repetitions: which profiles need more matches. A pure function of the results so
//! far (the raw rows of the matches chosen up to now), so that a run, a resumed run and a
//! merged-then-resumed run decide the same stages and write the same bytes.
//!
//! Per (mechanism, schedule): solve and bootstrap exactly as the report does (the same seed),
//! and read the verdict's confidence ([`super::RoleCell::verdict_confidence`]). Below the
//! target, the deciding profiles (the support's profiles and their one-player deviations,
//! `RoleGame::deciding_profiles`) need more repetitions; without an equilibrium, every profile.
//! A reduced game's deciding profiles are not full-game profiles, so there every played profile
//! is deciding.

use polars::prelude::LazyFrame;

use super::{build, solve, RoleOptions};
use crate::ReportError;

/// A profile by names: per role (by name, sorted), its players' strategies (sorted, repeated).
pub type ProfileNames = Vec<(String, Vec<String>)>;

/// The decision for one (mechanism, schedule).
#[derive(Debug, Clone, PartialEq)]
pub struct CellDecision {
    pub mechanism: String,
    pub schedule: String,
    /// The verdict's confidence now (0 without an equilibrium).
    pub confidence: f64,
    /// The profiles that decide the verdict.
    pub deciding: Vec<ProfileNames>,
}

/// A profile of `game` by names.
pub fn names_of(game: &crate::meta::roles::RoleGame, profile: &[Vec<u32>]) -> ProfileNames {
    let mut out: ProfileNames = game
        .roles()
        .iter()
        .zip(profile)
        .map(|(role, counts)| {
            let mut players: Vec<String> = role
                .strategies
                .iter()
                .zip(counts)
                .flat_map(|(s, &c)| std::iter::repeat_n(s.clone(), c as usize))
                .collect();
            players.sort();
            (role.name.clone(), players)
        })
        .collect();
    out.sort();
    out
}

/// The decisions for every role cell of `raw`.
pub fn decisions(raw: LazyFrame, options: &RoleOptions) -> Result<Vec<CellDecision>, ReportError> {
    let raw = crate::tables::select_raw(raw, "the raw rows")?;
    Ok(build::role_games(raw)?
        .into_iter()
        .map(|built| {
            let cell = solve(built, options, false);
            let confidence = cell.verdict_confidence().unwrap_or(0.0);
            let deciding: Vec<Vec<Vec<u32>>> = match cell.reference() {
                Some(eq) if cell.built.reduced_players.is_none() => {
                    cell.game().deciding_profiles(&eq.mix)
                }
                _ => cell
                    .built
                    .full
                    .profiles()
                    .iter()
                    .map(|p| p.profile.clone())
                    .collect(),
            };
            CellDecision {
                mechanism: cell.built.mechanism.clone(),
                schedule: cell.built.schedule.clone(),
                confidence,
                deciding: deciding
                    .iter()
                    .map(|p| names_of(&cell.built.full, p))
                    .collect(),
            }
        })
        .collect())
}
