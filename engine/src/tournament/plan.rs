//! The list of matches a tournament plays, and each match's identity and seed.

use super::config::{Format, TournamentConfig};
use crate::rng::derive_seed;

/// One planned match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedMatch {
    /// Position in the full plan (stable for a given YAML; shards keep it).
    pub index: usize,
    /// Identity: mechanism, schedule, entrants and repetition, as a file-safe string.
    pub id: String,
    /// Derived from the tournament seed and `id` only (never from completion order).
    pub seed: u64,
    pub mechanism: usize,
    pub schedule: usize,
    pub repetition: u32,
    /// Entrant indices, by slot.
    pub entrants: Vec<usize>,
}

pub(crate) fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The pairings of a tournament: round-robin (i, j) with i ≤ j (self-play included), or the
/// one melee of everybody.
pub(crate) fn pairings(config: &TournamentConfig) -> Vec<Vec<usize>> {
    let n = config.entrants.len();
    match config.format {
        Format::RoundRobin => (0..n)
            .flat_map(|i| (i..n).map(move |j| vec![i, j]))
            .collect(),
        Format::Melee => vec![(0..n).collect()],
    }
}

/// The match at (mechanism, schedule, pairing, repetition), which is plan entry `index`.
fn planned_match(
    config: &TournamentConfig,
    index: usize,
    (mechanism, schedule, pairing, repetition): (usize, usize, &[usize], u32),
) -> PlannedMatch {
    let who = match config.format {
        Format::RoundRobin => pairing
            .iter()
            .map(|&k| config.entrants[k].display_name())
            .collect::<Vec<_>>()
            .join("-vs-"),
        Format::Melee => "melee".to_string(),
    };
    let id = file_safe(&format!(
        "{}__{}__{}__r{}",
        config.mechanisms[mechanism].label(),
        config.schedules[schedule].name,
        who,
        repetition
    ));
    PlannedMatch {
        index,
        seed: derive_seed(config.seed, &id),
        id,
        mechanism,
        schedule,
        repetition,
        entrants: pairing.to_vec(),
    }
}

/// Every match: mechanism × schedule × pairing × repetition, in that nesting order.
/// Round-robin pairings are (i, j) with i ≤ j (self-play included); a melee has one.
pub fn plan(config: &TournamentConfig) -> Vec<PlannedMatch> {
    let pairings = pairings(config);
    let mut out = Vec::new();
    for m in 0..config.mechanisms.len() {
        for s in 0..config.schedules.len() {
            for pairing in &pairings {
                for rep in 0..config.repetitions {
                    out.push(planned_match(config, out.len(), (m, s, pairing, rep)));
                }
            }
        }
    }
    out
}

/// Plan entry `index` alone, without planning the others (a worker process plays one match of
/// a plan that may hold millions); `None` past the end.
pub fn planned(config: &TournamentConfig, index: usize) -> Option<PlannedMatch> {
    let pairings = pairings(config);
    let reps = config.repetitions as usize;
    let per_schedule = pairings.len() * reps;
    let per_mechanism = config.schedules.len() * per_schedule;
    if per_mechanism == 0 || index >= config.mechanisms.len() * per_mechanism {
        return None;
    }
    let (m, rest) = (index / per_mechanism, index % per_mechanism);
    let (s, rest) = (rest / per_schedule, rest % per_schedule);
    let (p, rep) = (rest / reps, rest % reps);
    Some(planned_match(
        config,
        index,
        (m, s, &pairings[p], rep as u32),
    ))
}

/// The matches of shard `i` of `n` (by plan index modulo n).
pub fn shard(plan: Vec<PlannedMatch>, i: u32, n: u32) -> Vec<PlannedMatch> {
    plan.into_iter()
        .filter(|m| m.index as u32 % n == i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(format: &str) -> TournamentConfig {
        serde_json::from_str(&format!(
            r#"{{"name": "t", "format": "{format}", "seed": 5, "repetitions": 3,
                "entrants": [{{"plugin": "a"}}, {{"plugin": "b"}}, {{"plugin": "c"}}],
                "mechanisms": ["dtao-price", "taoflow"],
                "schedules": ["native", {{"name": "half", "root": {{"constant": 0.5}}}}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn one_entry_is_the_same_as_in_the_whole_plan() {
        for format in ["round-robin", "melee"] {
            let c = config(format);
            let all = plan(&c);
            // 2 mechanisms × 2 schedules × (6 pairings or 1 melee) × 3 repetitions.
            let pairings = if format == "melee" { 1 } else { 6 };
            assert_eq!(all.len(), 2 * 2 * pairings * 3);
            for (k, m) in all.iter().enumerate() {
                assert_eq!(planned(&c, k).as_ref(), Some(m), "{format} #{k}");
            }
            assert_eq!(planned(&c, all.len()), None);
        }
    }
}
