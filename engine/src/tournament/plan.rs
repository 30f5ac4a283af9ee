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

fn file_safe(s: &str) -> String {
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

/// Every match: mechanism × schedule × pairing × repetition, in that nesting order.
/// Round-robin pairings are (i, j) with i ≤ j (self-play included); a melee has one.
pub fn plan(config: &TournamentConfig) -> Vec<PlannedMatch> {
    let n = config.entrants.len();
    let pairings: Vec<Vec<usize>> = match config.format {
        Format::RoundRobin => (0..n)
            .flat_map(|i| (i..n).map(move |j| vec![i, j]))
            .collect(),
        Format::Melee => vec![(0..n).collect()],
    };
    let names: Vec<String> = config.entrants.iter().map(|e| e.display_name()).collect();
    let mut out = Vec::new();
    for (m, mech) in config.mechanisms.iter().enumerate() {
        for (s, sched) in config.schedules.iter().enumerate() {
            for pairing in &pairings {
                for rep in 0..config.repetitions {
                    let who = match config.format {
                        Format::RoundRobin => pairing
                            .iter()
                            .map(|&k| names[k].as_str())
                            .collect::<Vec<_>>()
                            .join("-vs-"),
                        Format::Melee => "melee".to_string(),
                    };
                    let id = file_safe(&format!(
                        "{}__{}__{}__r{}",
                        mech.label(),
                        sched.name,
                        who,
                        rep
                    ));
                    out.push(PlannedMatch {
                        index: out.len(),
                        seed: derive_seed(config.seed, &id),
                        id,
                        mechanism: m,
                        schedule: s,
                        repetition: rep,
                        entrants: pairing.clone(),
                    });
                }
            }
        }
    }
    out
}

/// The matches of shard `i` of `n` (by plan index modulo n).
pub fn shard(plan: Vec<PlannedMatch>, i: u32, n: u32) -> Vec<PlannedMatch> {
    plan.into_iter()
        .filter(|m| m.index as u32 % n == i)
        .collect()
}
