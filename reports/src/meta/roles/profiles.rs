//! Profiles: enumerating them in one fixed order, and counting them without enumerating.
//!
//! **Order.** Within a role, the count vectors are listed with the first strategy's count
//! descending, then the second's, and so on (for 2 players and strategies A, B: `[2,0]`,
//! `[1,1]`, `[0,2]`). Across roles, the first role varies slowest. Equivalently: profiles are
//! sorted by their flat count vector (roles concatenated) in descending lexicographic order.

use super::game::{Profile, Role};

/// All count vectors of `players` players over `strategies` strategies (first count
/// descending).
pub fn role_profiles(players: u32, strategies: usize) -> Vec<Vec<u32>> {
    if strategies == 0 {
        return if players == 0 { vec![vec![]] } else { vec![] };
    }
    if strategies == 1 {
        return vec![vec![players]];
    }
    let mut out = Vec::new();
    for first in (0..=players).rev() {
        for rest in role_profiles(players - first, strategies - 1) {
            let mut v = Vec::with_capacity(strategies);
            v.push(first);
            v.extend(rest);
            out.push(v);
        }
    }
    out
}

/// The Cartesian product of per-role lists, first role varying slowest.
pub(crate) fn cartesian(per_role: &[Vec<Vec<u32>>]) -> Vec<Profile> {
    let mut out: Vec<Profile> = vec![vec![]];
    for options in per_role {
        let mut next = Vec::with_capacity(out.len() * options.len());
        for prefix in &out {
            for o in options {
                let mut p = prefix.clone();
                p.push(o.clone());
                next.push(p);
            }
        }
        out = next;
    }
    out
}

/// Every profile of the game, in the order documented at the top of this module.
pub fn all_profiles(roles: &[Role]) -> Vec<Profile> {
    let per_role: Vec<Vec<Vec<u32>>> = roles
        .iter()
        .map(|r| role_profiles(r.players, r.strategies.len()))
        .collect();
    cartesian(&per_role)
}

/// `n choose k`, None on overflow.
fn binomial(n: u128, k: u128) -> Option<u128> {
    let k = k.min(n - k);
    let mut result: u128 = 1;
    for i in 0..k {
        // result · (n − i) / (i + 1) stays an integer at every step.
        result = result.checked_mul(n - i)? / (i + 1);
    }
    Some(result)
}

/// Number of profiles, `Π_r C(N_r + S_r − 1, S_r − 1)`, without enumerating them
/// (`u128::MAX` if it overflows).
pub fn profile_count(roles: &[Role]) -> u128 {
    let mut total: u128 = 1;
    for role in roles {
        let s = role.strategies.len() as u128;
        if s == 0 {
            return 0;
        }
        let n = u128::from(role.players);
        let Some(c) = binomial(n + s - 1, s - 1) else {
            return u128::MAX;
        };
        total = total.saturating_mul(c);
    }
    total
}

/// The flat count vector of a profile (the key of the game's index).
pub(crate) fn flat_key(profile: &Profile) -> Box<[u32]> {
    profile.iter().flatten().copied().collect()
}

/// Sorts profiles into `all_profiles` order.
pub(crate) fn sort_in_profile_order(profiles: &mut [Profile]) {
    profiles.sort_by_key(|p| std::cmp::Reverse(flat_key(p)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn role(players: u32, strategies: usize) -> Role {
        Role {
            name: format!("r{players}x{strategies}"),
            players,
            strategies: (0..strategies).map(|s| format!("s{s}")).collect(),
        }
    }

    #[test]
    fn order_is_documented_order() {
        // Role A: 2 players over {a, b}; role B: 1 player over {c, d}.
        let roles = [role(2, 2), role(1, 2)];
        let p = all_profiles(&roles);
        assert_eq!(
            p,
            vec![
                vec![vec![2, 0], vec![1, 0]],
                vec![vec![2, 0], vec![0, 1]],
                vec![vec![1, 1], vec![1, 0]],
                vec![vec![1, 1], vec![0, 1]],
                vec![vec![0, 2], vec![1, 0]],
                vec![vec![0, 2], vec![0, 1]],
            ]
        );
        let mut shuffled = p.clone();
        shuffled.reverse();
        sort_in_profile_order(&mut shuffled);
        assert_eq!(shuffled, p);
    }

    #[test]
    fn count_by_formula() {
        // 4 players over 4 strategies: C(7, 3) = 35; times 1 player over 2: 2 → 70.
        assert_eq!(profile_count(&[role(4, 4), role(1, 2)]), 70);
        // Too many to count in u128 saturates.
        assert_eq!(profile_count(&vec![role(u32::MAX, 40); 4]), u128::MAX);
    }

    proptest! {
        #[test]
        fn count_matches_enumeration(
            shape in prop::collection::vec((1u32..5, 1usize..5), 1..4)
        ) {
            let roles: Vec<Role> = shape.iter().map(|&(n, s)| role(n, s)).collect();
            let all = all_profiles(&roles);
            prop_assert_eq!(profile_count(&roles), all.len() as u128);
            // Every profile once, each role's counts summing to its players.
            let mut sorted = all.clone();
            sort_in_profile_order(&mut sorted);
            prop_assert_eq!(&sorted, &all);
            sorted.dedup();
            prop_assert_eq!(sorted.len(), all.len());
            for p in &all {
                for (c, r) in p.iter().zip(&roles) {
                    prop_assert_eq!(c.iter().sum::<u32>(), r.players);
                }
            }
        }
    }
}
