//! The list of matches a tournament plays, and each match's identity and seed.

use super::config::{Format, TournamentConfig};
use super::roles::Profile;
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
    /// The pairing (round-robin), 0 (melee) or the profile (roles) it plays.
    pub group: usize,
    pub repetition: u32,
    /// Entrant indices, by slot.
    pub entrants: Vec<usize>,
    /// In a role tournament, the profile's label (see [`profile_label`]); empty otherwise.
    pub profile: String,
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

/// What meets in a match: entrant indices by slot, and the profile's label (roles only).
pub(crate) struct Group {
    slots: Vec<usize>,
    profile: String,
}

/// A profile written with its strategies' names: roles in order separated by ` | `, each
/// role's players' strategies joined by `+` (`meme-farmer+buyback-subnet | root-staker`).
pub fn profile_label(config: &TournamentConfig, profile: &Profile) -> String {
    profile
        .iter()
        .enumerate()
        .map(|(r, counts)| {
            counts
                .iter()
                .enumerate()
                .flat_map(|(s, &c)| {
                    let name = config.entrants[config.entrant_of_role(r, s)].display_name();
                    std::iter::repeat_n(name, c as usize)
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The groups of a tournament: round-robin (i, j) with i ≤ j (self-play included), the one
/// melee of everybody, or a role tournament's profiles (each role's players in role order,
/// within a role by strategy).
pub(crate) fn groups(config: &TournamentConfig) -> Vec<Group> {
    let n = config.entrants.len();
    let plain = |slots: Vec<usize>| Group {
        slots,
        profile: String::new(),
    };
    match config.format {
        Format::RoundRobin => (0..n)
            .flat_map(|i| (i..n).map(move |j| vec![i, j]))
            .map(plain)
            .collect(),
        Format::Melee => vec![plain((0..n).collect())],
        Format::Roles => config
            .role_profiles()
            .iter()
            .map(|p| Group {
                slots: p
                    .iter()
                    .enumerate()
                    .flat_map(|(r, counts)| {
                        counts.iter().enumerate().flat_map(move |(s, &c)| {
                            std::iter::repeat_n(config.entrant_of_role(r, s), c as usize)
                        })
                    })
                    .collect(),
                profile: profile_label(config, p),
            })
            .collect(),
    }
}

/// The match at (mechanism, schedule, group, repetition), which is plan entry `index`.
fn planned_match(
    config: &TournamentConfig,
    index: usize,
    (mechanism, schedule, g, group, repetition): (usize, usize, usize, &Group, u32),
) -> PlannedMatch {
    let who = match config.format {
        Format::RoundRobin => group
            .slots
            .iter()
            .map(|&k| config.entrants[k].display_name())
            .collect::<Vec<_>>()
            .join("-vs-"),
        Format::Melee => "melee".to_string(),
        Format::Roles => group.profile.replace(" | ", "__").replace('+', "."),
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
        group: g,
        repetition,
        entrants: group.slots.clone(),
        profile: group.profile.clone(),
    }
}

/// The shape of the plan's index space: (mechanisms, schedules, groups, repetitions), nested in
/// that order. Repetitions count up to the most a group can get (`repetitions.max`), so that
/// a match added by adaptive repetitions keeps one index whenever it is decided.
pub fn shape(config: &TournamentConfig) -> (usize, usize, usize, usize) {
    (
        config.mechanisms.len(),
        config.schedules.len(),
        groups(config).len(),
        config.repetitions.max() as usize,
    )
}

/// The plan index of (mechanism, schedule, group, repetition).
pub fn index_of(
    (_, schedules, groups, reps): (usize, usize, usize, usize),
    (m, s, g, rep): (usize, usize, usize, u32),
) -> usize {
    ((m * schedules + s) * groups + g) * reps + rep as usize
}

/// Every match every tournament plays: mechanism × schedule × group × repetition, in that
/// nesting order, repetitions below `repetitions.min` (with adaptive repetitions, later
/// stages add matches of higher repetition: [`matches_of`]). Round-robin groups are pairings
/// (i, j) with i ≤ j (self-play included); a melee has one; a role tournament its profiles.
pub fn plan(config: &TournamentConfig) -> Vec<PlannedMatch> {
    let planner = Planner::new(config);
    planner
        .indices()
        .filter_map(|index| planner.get(index))
        .collect()
}

/// The matches of (mechanism, schedule, group) with repetitions in `reps`.
pub fn matches_of(
    config: &TournamentConfig,
    (m, s, g): (usize, usize, usize),
    reps: std::ops::Range<u32>,
) -> Vec<PlannedMatch> {
    let shape = shape(config);
    let planner = Planner::new(config);
    reps.filter_map(|rep| planner.get(index_of(shape, (m, s, g, rep))))
        .collect()
}

/// Plan entry `index` alone, without planning the others (a worker process plays one match of
/// a plan that may hold millions); `None` past the end of the index space.
pub fn planned(config: &TournamentConfig, index: usize) -> Option<PlannedMatch> {
    Planner::new(config).get(index)
}

/// The plan one entry at a time: its groups are enumerated once, and an entry is built when
/// asked for, so a run of a million matches never holds the whole plan (its indices are 4
/// bytes a match; an entry, with its identity, ~150).
pub struct Planner<'a> {
    config: &'a TournamentConfig,
    groups: Vec<Group>,
}

impl<'a> Planner<'a> {
    pub fn new(config: &'a TournamentConfig) -> Planner<'a> {
        Planner {
            config,
            groups: groups(config),
        }
    }

    /// The size of the index space (mechanisms × schedules × groups × `repetitions.max`).
    pub fn index_space(&self) -> usize {
        self.config.mechanisms.len()
            * self.config.schedules.len()
            * self.groups.len()
            * self.config.repetitions.max() as usize
    }

    /// The indices of [`plan`]'s entries, in plan order.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        let reps = self.config.repetitions.max() as usize;
        let per_group = self.config.repetitions.min() as usize;
        (0..self.index_space() / reps.max(1))
            .flat_map(move |group_run| (0..per_group).map(move |rep| group_run * reps + rep))
    }

    /// Plan entry `index`; `None` past the end of the index space.
    pub fn get(&self, index: usize) -> Option<PlannedMatch> {
        let config = self.config;
        let reps = config.repetitions.max() as usize;
        let per_schedule = self.groups.len() * reps;
        let per_mechanism = config.schedules.len() * per_schedule;
        if per_mechanism == 0 || index >= config.mechanisms.len() * per_mechanism {
            return None;
        }
        let (m, rest) = (index / per_mechanism, index % per_mechanism);
        let (s, rest) = (rest / per_schedule, rest % per_schedule);
        let (g, rep) = (rest / reps, rest % reps);
        Some(planned_match(
            config,
            index,
            (m, s, g, &self.groups[g], rep as u32),
        ))
    }
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
    use std::collections::BTreeSet;

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

    fn roles_config(repetitions: &str) -> TournamentConfig {
        let mut c: TournamentConfig = serde_json::from_str(&format!(
            r#"{{"name": "t", "format": "roles", "seed": 5, "repetitions": {repetitions},
                "roles": [
                  {{"name": "owners", "players": 2, "plays": "subnet-owner", "capital_tao": 10000,
                    "strategies": [{{"plugin": "a"}}, {{"plugin": "b"}}, {{"plugin": "c"}}]}},
                  {{"name": "root", "players": 1, "plays": "staker", "capital_tao": 3000000,
                    "strategies": [{{"plugin": "x"}}, {{"plugin": "y"}}]}}],
                "mechanisms": ["dtao-price", "taoflow"]}}"#
        ))
        .unwrap();
        c.prepare().unwrap();
        c.validate().unwrap();
        c
    }

    #[test]
    fn a_role_tournament_plays_every_profile() {
        let c = roles_config("2");
        let all = plan(&c);
        // Owners: C(2 + 3 − 1, 2) = 6 multisets of 2 over {a, b, c}; root: 2. 6 × 2 = 12
        // profiles × 2 mechanisms × 1 schedule × 2 repetitions = 48 matches.
        assert_eq!(all.len(), 48);
        for (k, m) in all.iter().enumerate() {
            assert_eq!(planned(&c, k).as_ref(), Some(m), "#{k}");
            assert_eq!(m.entrants.len(), 3);
        }
        // The first profile: both owners play `a`, root plays `x` (entrants 0, 0, 3).
        assert_eq!(all[0].entrants, vec![0, 0, 3]);
        assert_eq!(all[0].profile, "a+a | x");
        assert_eq!(all[0].id, "dtao-price__native__a.a__x__r0");
        assert_eq!(all[2].profile, "a+a | y");
        assert_eq!(all[4].profile, "a+b | x");
        // Capitals come from the roles.
        assert_eq!(c.entrants[1].capital_tao, Some(10_000.0));
        assert_eq!(c.entrants[4].capital_tao, Some(3_000_000.0));
        assert_eq!(c.entrant_field(4), "roles[1].strategies[1]");
    }

    #[test]
    fn above_max_profiles_the_plan_plays_a_reduction() {
        // Owners: 4 players over {a, b, c}: C(6, 2) = 15 profiles > max_profiles 12, so the
        // owners are reduced to 2 players (4 − 1 and 4 are multiples of 1 and 2). The reduced
        // profiles ss and st need: an owner deviating from ss → 4 s (3 profiles); from st →
        // 1 s + 3 t and 3 s + 1 t (6); the root holder deviating → each reduced owner stands
        // for 2: 4 s, 2 s + 2 t (3 new). 3 + 6 + 3 = 12, none with all three strategies.
        let mut c: TournamentConfig = serde_json::from_str(
            r#"{"name": "t", "format": "roles", "max_profiles": 12,
                "roles": [
                  {"name": "owners", "players": 4, "plays": "subnet-owner",
                   "strategies": [{"plugin": "a"}, {"plugin": "b"}, {"plugin": "c"}]},
                  {"name": "root", "players": 1, "plays": "staker",
                   "strategies": [{"plugin": "x"}]}],
                "mechanisms": ["dtao-price"]}"#,
        )
        .unwrap();
        c.prepare().unwrap();
        c.validate().unwrap();
        assert_eq!(c.role_reduction().unwrap(), Some(vec![2, 1]));
        let played = plan(&c);
        assert_eq!(played.len(), 12);
        assert_eq!(played[0].entrants, vec![0, 0, 0, 0, 3]);
        assert!(played.iter().all(|m| {
            let owners: BTreeSet<usize> = m.entrants[..4].iter().copied().collect();
            owners.len() <= 2
        }));
        // With max_profiles 11 even the reduction is too big: a config error on the field.
        c.max_profiles = 11;
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "max_profiles");
        assert!(
            e.message.starts_with("15 profiles, and 12 even"),
            "{}",
            e.message
        );
    }

    #[test]
    fn adaptive_repetitions_plan_the_minimum_and_index_the_maximum() {
        let c = roles_config(r#"{"min": 2, "max": 5, "confidence": 0.9}"#);
        let first = plan(&c);
        // 12 profiles × 2 mechanisms × 2 (min) repetitions.
        assert_eq!(first.len(), 48);
        assert!(first.iter().all(|m| m.repetition < 2));
        // Indices leave room for 5 repetitions: profile 1 of mechanism 0 starts at 5.
        assert_eq!(first[2].index, 5);
        let shape = shape(&c);
        assert_eq!(shape, (2, 1, 12, 5));
        let later = matches_of(&c, (1, 0, 3), 2..5);
        assert_eq!(later.len(), 3);
        assert_eq!(later[0].index, index_of(shape, (1, 0, 3, 2)));
        assert_eq!(later[0].index, ((12 + 3) * 5) + 2);
        assert_eq!(later[2].repetition, 4);
        for m in first.iter().chain(&later) {
            assert_eq!(planned(&c, m.index).as_ref(), Some(m));
        }
        assert_eq!(planned(&c, 2 * 12 * 5), None);
    }
}
