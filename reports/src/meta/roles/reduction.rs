//! Deviation-preserving reduction (DPR; Wiedenbeck & Wellman, "Scaling simulation-based game
//! analysis through deviation-preserving reduction", AAMAS 2012).
//!
//! A game with many players per role is approximated by one with fewer: `n_r` reduced players
//! stand for the `N_r` full ones. In a reduced profile `p`, the payoff of a player of role `r`
//! playing `s` is read from the full profile in which
//! - one player of role `r` plays `s`, and the other `N_r − 1` of role `r` are `p_r − e_s`
//!   scaled by `(N_r − 1)/(n_r − 1)`;
//! - every other role `q` is `p_q` scaled by `N_q / n_q`.
//!
//! So each reduced player's payoff comes from a full game in which it faces as many opponents
//! as in the real game, and a one-player deviation in the reduced game is a one-player
//! deviation in the full game: pure equilibria of the full game restricted to the reduced
//! profiles are kept, and where payoffs are linear in the counts of the other players the
//! reduction is exact. The scaling needs `(N_r − 1)` divisible by `(n_r − 1)` and `N_r`
//! divisible by `n_r` (a role of one full player stays at one); `check_dpr` says which role
//! fails.
//!
//! The reduced game's means are the full profiles' means. Its observation lists pair the
//! sources' matches by index (cycling the shorter lists) and are for inspection only;
//! resampling a reduced game resamples the full game's matches and reduces again.

use std::collections::HashMap;

use super::game::{
    offsets_of, Observation, Profile, ProfileData, ReducedFrom, Role, RoleGame, RoleGameError, Row,
};
use super::profiles::{all_profiles, flat_key, sort_in_profile_order};

/// Checks that `reduced_players` is a valid DPR of `roles`.
pub fn check_dpr(roles: &[Role], reduced_players: &[u32]) -> Result<(), RoleGameError> {
    if reduced_players.len() != roles.len() {
        return Err(RoleGameError::Reduction(format!(
            "{} reduced player counts for {} roles",
            reduced_players.len(),
            roles.len()
        )));
    }
    for (role, &n) in roles.iter().zip(reduced_players) {
        let full = role.players;
        let bad = |why: &str| {
            RoleGameError::Reduction(format!(
                "role `{}`: {full} players cannot be reduced to {n}: {why}",
                role.name
            ))
        };
        if n == 0 || n > full {
            return Err(bad(
                "the reduced count must be between 1 and the full count",
            ));
        }
        if n == 1 && full != 1 {
            return Err(bad(
                "one reduced player can only stand for one full player (take 2 or more)",
            ));
        }
        if n > 1 && ((full - 1) % (n - 1) != 0 || full % n != 0) {
            return Err(bad(
                "DPR needs (full − 1) divisible by (reduced − 1) and full divisible by reduced",
            ));
        }
    }
    Ok(())
}

/// The roles of the reduced game (same names and strategies, fewer players).
fn reduced_roles(roles: &[Role], reduced_players: &[u32]) -> Vec<Role> {
    roles
        .iter()
        .zip(reduced_players)
        .map(|(r, &n)| Role {
            players: n,
            ..r.clone()
        })
        .collect()
}

/// The full profile whose payoff for (`role`, `strategy`) stands for the reduced profile's.
fn source_profile(
    roles: &[Role],
    reduced_players: &[u32],
    reduced: &Profile,
    role: usize,
    strategy: usize,
) -> Profile {
    reduced
        .iter()
        .enumerate()
        .map(|(q, counts)| {
            let full = roles[q].players;
            let n = reduced_players[q];
            if q == role {
                if n == 1 {
                    return counts.clone();
                }
                let scale = (full - 1) / (n - 1);
                counts
                    .iter()
                    .enumerate()
                    .map(|(t, &c)| {
                        let own = u32::from(t == strategy);
                        (c - own) * scale + own
                    })
                    .collect()
            } else {
                counts.iter().map(|&c| c * (full / n)).collect()
            }
        })
        .collect()
}

/// Every (role, strategy, full source profile) of a reduced profile.
fn sources(
    roles: &[Role],
    reduced_players: &[u32],
    reduced: &Profile,
) -> Vec<(usize, usize, Profile)> {
    let mut out = Vec::new();
    for (r, counts) in reduced.iter().enumerate() {
        for (s, &c) in counts.iter().enumerate() {
            if c > 0 {
                out.push((r, s, source_profile(roles, reduced_players, reduced, r, s)));
            }
        }
    }
    out
}

/// The full-game profiles to play so that the DPR game with `reduced_players` is complete,
/// each once, in `all_profiles` order. Empty when the reduction is invalid (see `check_dpr`).
pub fn dpr_profiles(roles: &[Role], reduced_players: &[u32]) -> Vec<Profile> {
    if check_dpr(roles, reduced_players).is_err() {
        return Vec::new();
    }
    let mut seen: HashMap<Profile, ()> = HashMap::new();
    for reduced in all_profiles(&reduced_roles(roles, reduced_players)) {
        for (_, _, full) in sources(roles, reduced_players, &reduced) {
            seen.insert(full, ());
        }
    }
    let mut out: Vec<Profile> = seen.into_keys().collect();
    sort_in_profile_order(&mut out);
    out
}

/// The DPR game of `full` with `reduced_players` per role. A reduced profile is present when
/// every one of its source profiles has data.
pub fn dpr_reduce(full: &RoleGame, reduced_players: &[u32]) -> Result<RoleGame, RoleGameError> {
    let roles = full.roles();
    check_dpr(roles, reduced_players)?;
    let new_roles = reduced_roles(roles, reduced_players);
    let offsets = offsets_of(&new_roles);
    let observables = full.observables().len();
    let data_of: HashMap<Box<[u32]>, &ProfileData> = full
        .profiles()
        .iter()
        .filter(|d| !d.observations.is_empty())
        .map(|d| (flat_key(&d.profile), d))
        .collect();
    let mut profiles = Vec::new();
    let mut rows = Vec::new();
    for reduced in all_profiles(&new_roles) {
        let srcs = sources(roles, reduced_players, &reduced);
        let Some(found) = srcs
            .iter()
            .map(|(r, s, p)| {
                let key = flat_key(p);
                Some((*r, *s, *data_of.get(&key)?, full.row_flat(&key)?))
            })
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        // Means: each cell from its source; observables averaged over the sources.
        let mut row_payoff: Vec<f64> = vec![f64::NAN; *offsets.last().unwrap()];
        let mut row_obs = vec![0.0; observables];
        for (r, s, _, row) in &found {
            let flat = full.offsets()[*r] + s;
            row_payoff[offsets[*r] + s] = row.payoff[flat];
            for (acc, v) in row_obs.iter_mut().zip(&row.observables) {
                *acc += v / found.len() as f64;
            }
        }
        // Observations for inspection: the sources' matches paired by index.
        let longest = found
            .iter()
            .map(|(_, _, d, _)| d.observations.len())
            .max()
            .unwrap_or(0);
        let observations = (0..longest)
            .map(|k| {
                let mut payoff: Vec<Vec<f64>> =
                    reduced.iter().map(|c| vec![f64::NAN; c.len()]).collect();
                let mut obs = vec![0.0; observables];
                for (r, s, d, _) in &found {
                    let o = &d.observations[k % d.observations.len()];
                    payoff[*r][*s] = o.payoff[*r][*s];
                    for (acc, v) in obs.iter_mut().zip(&o.observables) {
                        *acc += v / found.len() as f64;
                    }
                }
                Observation {
                    payoff,
                    observables: obs,
                }
            })
            .collect();
        rows.push(Row::new(
            reduced.iter().flatten().copied().collect(),
            &offsets,
            row_payoff,
            row_obs,
        ));
        profiles.push(ProfileData {
            profile: reduced,
            observations,
        });
    }
    let mut game = RoleGame::from_rows(
        new_roles,
        full.observables().to_vec(),
        profiles,
        offsets,
        rows,
    );
    game.set_reduced_from(ReducedFrom {
        full: full.clone(),
        reduced_players: reduced_players.to_vec(),
    });
    Ok(game)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, players: u32, strategies: &[&str]) -> Role {
        Role {
            name: name.into(),
            players,
            strategies: strategies.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn sources_by_hand() {
        // One role, 4 players over {A, B}, reduced to 2. Reduced profile (1 A, 1 B):
        // the A player's payoff comes from 1 A + (0 A, 1 B)·3 = (1, 3);
        // the B player's from 1 B + (1 A, 0 B)·3 = (3, 1).
        let roles = [role("owners", 4, &["A", "B"])];
        let s = sources(&roles, &[2], &vec![vec![1, 1]]);
        assert_eq!(s, vec![(0, 0, vec![vec![1, 3]]), (0, 1, vec![vec![3, 1]])]);
        // Reduced (2, 0): A's payoff from 1 A + (1, 0)·3 = (4, 0). All profiles to play:
        // (4,0), (3,1), (1,3), (0,4) — not (2,2).
        assert_eq!(
            dpr_profiles(&roles, &[2]),
            vec![
                vec![vec![4, 0]],
                vec![vec![3, 1]],
                vec![vec![1, 3]],
                vec![vec![0, 4]]
            ]
        );
    }

    #[test]
    fn two_roles_scale_the_other_role() {
        // Role X: 3 players → 2 ((3−1)/(2−1) = 2, but 3 % 2 ≠ 0: refused).
        let roles = [role("x", 3, &["a", "b"]), role("y", 1, &["c"])];
        assert!(check_dpr(&roles, &[2, 1]).is_err());
        assert!(dpr_profiles(&roles, &[2, 1]).is_empty());
        // X: 4 → 2, Y: 2 → 2 (identity). Reduced ((1,1),(2)): a's source is
        // x = 1a + (0,1)·3 = (1,3), y = (2)·1 = (2).
        let roles = [role("x", 4, &["a", "b"]), role("y", 2, &["c"])];
        let s = source_profile(&roles, &[2, 2], &vec![vec![1, 1], vec![2]], 0, 0);
        assert_eq!(s, vec![vec![1, 3], vec![2]]);
        // y's source: x = (1,1)·(4/2) = (2,2), y = 1c + (1)·1 = (2).
        let s = source_profile(&roles, &[2, 2], &vec![vec![1, 1], vec![2]], 1, 0);
        assert_eq!(s, vec![vec![2, 2], vec![2]]);
    }

    #[test]
    fn invalid_reductions_name_the_role() {
        let roles = [role("owners", 4, &["A", "B"])];
        for bad in [vec![0], vec![5], vec![1], vec![3], vec![2, 2]] {
            let e = check_dpr(&roles, &bad).unwrap_err().to_string();
            assert!(e.contains("reduc"), "{e}");
        }
        assert!(check_dpr(&roles, &[4]).is_ok());
        assert!(check_dpr(&roles, &[2]).is_ok());
    }
}
