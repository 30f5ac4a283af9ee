//! Role-symmetric tournaments (`format: roles`): the roles of a tournament file, the profiles a
//! role game plays, and adaptive repetitions.
//!
//! A *profile* says, for each role (in file order), how many of that role's players play each of
//! its strategies (in file order); each role's counts sum to its `players`. Every match of a
//! role tournament plays one profile. All profiles are played when there are at most
//! `max_profiles` of them; above that, the profiles of a deviation-preserving reduction
//! (Wiedenbeck & Wellman 2012), from which the reports build the reduced game.
//!
//! This module enumerates profiles itself (the engine cannot depend on the reports crate); the
//! reports' `meta::roles` enumerates the same sets, and `tests/roles.rs` checks that they agree.

use super::config::EntrantEntry;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;
use std::fmt;
use tourney_sdk::Role as ClassifierRole;

/// For each role, the count of players playing each of its strategies.
pub type Profile = Vec<Vec<u32>>;

/// What the players of a role are on chain; a strategy plays a role only when its classifier
/// says it is this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Plays {
    /// Owns a subnet (classifier role `SubnetOwner`).
    SubnetOwner,
    /// Stakes and trades, root included (classifier role `Staker`).
    Staker,
}

impl Plays {
    pub fn name(self) -> &'static str {
        match self {
            Plays::SubnetOwner => "subnet-owner",
            Plays::Staker => "staker",
        }
    }

    /// Whether a strategy whose classifier says `role` can play this.
    pub fn accepts(self, role: ClassifierRole) -> bool {
        matches!(
            (self, role),
            (Plays::SubnetOwner, ClassifierRole::SubnetOwner)
                | (Plays::Staker, ClassifierRole::Staker)
        )
    }

    pub fn of(role: ClassifierRole) -> Plays {
        match role {
            ClassifierRole::SubnetOwner => Plays::SubnetOwner,
            ClassifierRole::Staker => Plays::Staker,
        }
    }
}

/// One role of a `format: roles` tournament.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleEntry {
    pub name: String,
    /// Players of this role in every match.
    pub players: u32,
    /// What its players are on chain (`subnet-owner` or `staker`).
    pub plays: Plays,
    /// Starting TAO of every player of this role (defaults to `entrant_capital_tao`). A root
    /// holder's root stake is the part of it its strategy stakes on root.
    #[serde(default)]
    pub capital_tao: Option<f64>,
    /// Players of this role in the reduced game when the profiles exceed `max_profiles`
    /// (default: the smallest valid reduction).
    #[serde(default)]
    pub reduced_players: Option<u32>,
    /// The strategies this role may play (entrants as in round-robin: crate, plugin, params).
    pub strategies: Vec<EntrantEntry>,
}

/// `repetitions:` — a plain count, or adaptive `{min, max, confidence, batch}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Repetitions {
    Fixed(u32),
    /// After `min` repetitions of every profile, add `batch` repetitions to the profiles that
    /// decide each verdict until its bootstrap confidence reaches `confidence` or a profile has
    /// `max` (role tournaments only).
    Adaptive {
        min: u32,
        max: u32,
        confidence: f64,
        batch: u32,
    },
}

impl Repetitions {
    /// Repetitions every profile or pairing gets.
    pub fn min(self) -> u32 {
        match self {
            Repetitions::Fixed(n) => n,
            Repetitions::Adaptive { min, .. } => min,
        }
    }

    /// The most repetitions any profile or pairing can get (the plan's index space).
    pub fn max(self) -> u32 {
        match self {
            Repetitions::Fixed(n) => n,
            Repetitions::Adaptive { max, .. } => max,
        }
    }

    pub fn is_adaptive(self) -> bool {
        matches!(self, Repetitions::Adaptive { .. })
    }
}

impl Default for Repetitions {
    fn default() -> Self {
        Repetitions::Fixed(1)
    }
}

impl<'de> Deserialize<'de> for Repetitions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            min: u32,
            max: u32,
            confidence: f64,
            #[serde(default)]
            batch: Option<u32>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Repetitions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a count of repetitions or {min, max, confidence, batch}")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Repetitions, E> {
                u32::try_from(n)
                    .map(Repetitions::Fixed)
                    .map_err(|_| E::custom(format!("{n} repetitions is too many")))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Repetitions, E> {
                if n < 0 {
                    return Err(E::custom(format!("expected ≥ 1 repetitions, got {n}")));
                }
                self.visit_u64(n as u64)
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<Repetitions, M::Error> {
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(m))?;
                Ok(Repetitions::Adaptive {
                    min: f.min,
                    max: f.max,
                    confidence: f.confidence,
                    batch: f.batch.unwrap_or(f.min.max(1)),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Every profile of roles with `players[r]` players choosing among `strategies[r]` strategies.
/// Order: the first role varies slowest; within a role, count vectors in descending
/// lexicographic order (all players on the first strategy first).
pub fn all_profiles(players: &[u32], strategies: &[usize]) -> Vec<Profile> {
    let per_role: Vec<Vec<Vec<u32>>> = players
        .iter()
        .zip(strategies)
        .map(|(&n, &k)| compositions(n, k))
        .collect();
    let mut out: Vec<Profile> = vec![Vec::new()];
    for role in &per_role {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                role.iter().map(move |counts| {
                    let mut p = prefix.clone();
                    p.push(counts.clone());
                    p
                })
            })
            .collect();
    }
    out
}

/// The count vectors of `n` players over `k` strategies, descending lexicographic.
fn compositions(n: u32, k: usize) -> Vec<Vec<u32>> {
    if k == 0 {
        return Vec::new();
    }
    if k == 1 {
        return vec![vec![n]];
    }
    (0..=n)
        .rev()
        .flat_map(|first| {
            compositions(n - first, k - 1).into_iter().map(move |rest| {
                let mut v = vec![first];
                v.extend(rest);
                v
            })
        })
        .collect()
}

/// C(n + k − 1, k − 1) multiplied over roles, without enumerating (saturating).
pub fn profile_count(players: &[u32], strategies: &[usize]) -> u128 {
    players.iter().zip(strategies).fold(1u128, |acc, (&n, &k)| {
        if k == 0 {
            return 0;
        }
        // C(n + k − 1, k − 1) computed incrementally: exact at every step.
        let mut c: u128 = 1;
        for i in 1..k as u128 {
            c = c.saturating_mul(n as u128 + i) / i;
        }
        acc.saturating_mul(c)
    })
}

/// Whether `reduced` players can stand for `full` in a deviation-preserving reduction: the same
/// count, or (reduced ≥ 2) each of the other reduced players standing for a whole number of
/// full ones both when a player of the role deviates ((full − 1) / (reduced − 1)) and when one
/// of another role does (full / reduced).
pub fn valid_reduction(full: u32, reduced: u32) -> bool {
    reduced == full
        || (reduced >= 2
            && reduced < full
            && (full - 1).is_multiple_of(reduced - 1)
            && full.is_multiple_of(reduced))
}

/// The smallest valid reduction of a role of `full` players.
pub fn smallest_reduction(full: u32) -> u32 {
    (1..=full)
        .find(|&n| valid_reduction(full, n))
        .unwrap_or(full)
}

/// The full-game profiles a deviation-preserving reduction to `reduced[r]` players needs: for
/// every reduced profile and every (role, strategy) it plays, the full profile where one player
/// of that role plays that strategy and every other reduced player stands for
/// (N_r − 1)/(n_r − 1) players of its own role, or N_r'/n_r' players of another. In order of
/// first need (reduced profiles in [`all_profiles`] order), without duplicates.
pub fn dpr_profiles(players: &[u32], strategies: &[usize], reduced: &[u32]) -> Vec<Profile> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for small in all_profiles(reduced, strategies) {
        for r in 0..players.len() {
            for s in 0..strategies[r] {
                if small[r][s] == 0 {
                    continue;
                }
                let full: Profile = (0..players.len())
                    .map(|q| {
                        (0..strategies[q])
                            .map(|t| {
                                let c = small[q][t];
                                if q == r {
                                    let me = u32::from(t == s);
                                    let others = c - me;
                                    let scale = if reduced[q] > 1 {
                                        (players[q] - 1) / (reduced[q] - 1)
                                    } else {
                                        0
                                    };
                                    others * scale + me
                                } else {
                                    c * players[q] / reduced[q]
                                }
                            })
                            .collect()
                    })
                    .collect();
                if seen.insert(full.clone()) {
                    out.push(full);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_counted_and_enumerated_as_by_hand() {
        // Owners: 2 players over 4 strategies: C(5, 3) = 10 multisets; root: 1 of 2; traders:
        // 1 of 2. 10 × 2 × 2 = 40.
        assert_eq!(profile_count(&[2, 1, 1], &[4, 2, 2]), 40);
        let all = all_profiles(&[2, 1, 1], &[4, 2, 2]);
        assert_eq!(all.len(), 40);
        assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 40);
        assert!(all
            .iter()
            .all(|p| p[0].iter().sum::<u32>() == 2 && p[1].iter().sum::<u32>() == 1));
        // First: everyone on the first strategy; the first role varies slowest.
        assert_eq!(all[0], vec![vec![2, 0, 0, 0], vec![1, 0], vec![1, 0]]);
        assert_eq!(all[1], vec![vec![2, 0, 0, 0], vec![1, 0], vec![0, 1]]);
        assert_eq!(all[4], vec![vec![1, 1, 0, 0], vec![1, 0], vec![1, 0]]);
        // 2 players over 2 strategies: [2,0], [1,1], [0,2].
        assert_eq!(
            all_profiles(&[2], &[2]),
            vec![vec![vec![2, 0]], vec![vec![1, 1]], vec![vec![0, 2]]]
        );
        // 5 players over 3 strategies: C(7, 2) = 21.
        assert_eq!(profile_count(&[5], &[3]), 21);
        assert_eq!(all_profiles(&[5], &[3]).len(), 21);
    }

    #[test]
    fn reductions_need_whole_numbers_of_players() {
        // 4 players → 2: (4−1)/(2−1) = 3 and 4/2 = 2 are whole.
        assert!(valid_reduction(4, 2));
        // 5 → 2: 5/2 is not whole; 5 → 3: (5−1)/(3−1) = 2 but 5/3 is not.
        assert!(!valid_reduction(5, 2) && !valid_reduction(5, 3));
        assert!(valid_reduction(7, 7) && !valid_reduction(4, 1));
        assert_eq!(smallest_reduction(4), 2);
        assert_eq!(smallest_reduction(1), 1);
        assert_eq!(smallest_reduction(5), 5);
        assert_eq!(smallest_reduction(10), 2);
    }

    #[test]
    fn dpr_profiles_of_a_small_game_by_hand() {
        // One role, 4 players → 2, strategies {A, B}. Reduced profiles: AA, AB, BB.
        // AA: A deviates, the other reduced A stands for 3 → (4, 0).
        // AB: A fixed, B stands for 3 → (1, 3); B fixed, A stands for 3 → (3, 1).
        // BB: → (0, 4).
        let p = dpr_profiles(&[4], &[2], &[2]);
        assert_eq!(
            p,
            vec![
                vec![vec![4, 0]],
                vec![vec![1, 3]],
                vec![vec![3, 1]],
                vec![vec![0, 4]]
            ]
        );
        // Two roles: 4 → 2 players over {A, B}, and 1 player over {X, Y} (not reduced).
        // Reduced profile (AB | X): role 0 A fixed → (1,3 | X); B fixed → (3,1 | X); role 1 X
        // fixed, role 0's two reduced players stand for 2 each → (2,2 | X).
        let p = dpr_profiles(&[4, 1], &[2, 2], &[2, 1]);
        assert!(p.contains(&vec![vec![2, 2], vec![1, 0]]));
        assert!(p.contains(&vec![vec![1, 3], vec![0, 1]]));
        // Role-0 deviations give (4,0), (1,3), (3,1), (0,4); role-1 deviations scale role 0 by
        // 4/2: (4,0), (2,2), (0,4). Per role-1 choice 5 distinct, × {X, Y} = 10 (with only 5
        // profiles of 4 players over 2 strategies, here that is every profile).
        assert_eq!(p.len(), 10);
        // Unreduced: DPR needs exactly the full game.
        let full = all_profiles(&[2, 1], &[3, 2]);
        let same: BTreeSet<_> = dpr_profiles(&[2, 1], &[3, 2], &[2, 1])
            .into_iter()
            .collect();
        assert_eq!(same, full.into_iter().collect());
    }

    #[test]
    fn repetitions_read_a_count_or_a_map() {
        let r: Repetitions = serde_json::from_str("3").unwrap();
        assert_eq!(r, Repetitions::Fixed(3));
        let r: Repetitions =
            serde_json::from_str(r#"{"min": 2, "max": 8, "confidence": 0.9}"#).unwrap();
        assert_eq!(
            r,
            Repetitions::Adaptive {
                min: 2,
                max: 8,
                confidence: 0.9,
                batch: 2
            }
        );
        assert!(serde_json::from_str::<Repetitions>(r#"{"min": 2, "most": 8}"#).is_err());
    }
}
