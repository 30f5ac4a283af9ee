//! Benchmark: the role-game analysis of a synthetic game of 4 roles (owners: 2 players over 4
//! strategies; root, traders, validators: 1 player over 4, 2 and 2 strategies — 10·4·2·2 = 160
//! profiles; or `--big`: 4 strategies each, 1 player for the last three — 10·4·4·4 = 640),
//! 3 noisy matches per profile: equilibria, α-Rank, and a 200-resample bootstrap.
//!
//! `cargo run --release -p tourney-reports --example bench_roles [-- --big]`

use std::time::Instant;

use tourney_reports::meta::roles::{
    all_profiles, alpha_rank_roles, bootstrap, role_equilibria, BootstrapOptions,
    EquilibriumOptions, Observation, ProfileData, Role, RoleGame,
};
use tourney_reports::meta::AlphaRankOptions;

fn role(name: &str, players: u32, strategies: usize) -> Role {
    Role {
        name: name.into(),
        players,
        strategies: (0..strategies).map(|s| format!("{name}-{s}")).collect(),
    }
}

/// Deterministic pseudo-random payoffs in [−1, 1] from a 64-bit mix of the inputs.
fn noise(mut v: u64) -> f64 {
    v ^= v >> 33;
    v = v.wrapping_mul(0xff51_afd7_ed55_8ccd);
    v ^= v >> 33;
    v = v.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    v ^= v >> 33;
    (v >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

fn main() {
    let big = std::env::args().any(|a| a == "--big");
    let roles = if big {
        vec![
            role("owners", 2, 4),
            role("root", 1, 4),
            role("traders", 1, 4),
            role("validators", 1, 4),
        ]
    } else {
        vec![
            role("owners", 2, 4),
            role("root", 1, 4),
            role("traders", 1, 2),
            role("validators", 1, 2),
        ]
    };
    let profiles: Vec<ProfileData> = all_profiles(&roles)
        .into_iter()
        .enumerate()
        .map(|(i, p)| ProfileData {
            observations: (0..3u64)
                .map(|k| Observation {
                    payoff: p
                        .iter()
                        .enumerate()
                        .map(|(r, counts)| {
                            counts
                                .iter()
                                .enumerate()
                                .map(|(s, &c)| {
                                    if c == 0 {
                                        f64::NAN
                                    } else {
                                        let base = noise((r * 16 + s) as u64);
                                        let interaction =
                                            noise((i * 64 + r * 16 + s) as u64 + 1_000);
                                        (r as f64 + 1.0) * 1000.0 * (base + 0.3 * interaction)
                                            + 50.0 * noise(i as u64 * 7 + k)
                                    }
                                })
                                .collect()
                        })
                        .collect(),
                    observables: vec![noise(i as u64 + 99).abs()],
                })
                .collect(),
            profile: p,
        })
        .collect();
    let n = profiles.len();
    let game = RoleGame::new(roles, vec!["no_value_share".into()], profiles).expect("valid game");

    let start = Instant::now();
    let eq_opts = EquilibriumOptions::default();
    let equilibria = role_equilibria(&game, &eq_opts);
    let solved = start.elapsed();
    let ranks = alpha_rank_roles(&game, &AlphaRankOptions::default());
    let ranked = start.elapsed();
    let confidence = equilibria
        .first()
        .map(|reference| bootstrap(&game, reference, &BootstrapOptions::default(), &eq_opts));
    let total = start.elapsed();
    println!("profiles: {n}, equilibria: {}", equilibria.len());
    println!("equilibria: {:.1} ms", solved.as_secs_f64() * 1e3);
    println!(
        "alpha-rank ({} states): {:.1} ms",
        ranks.states.len(),
        (ranked - solved).as_secs_f64() * 1e3
    );
    if let Some(c) = confidence {
        println!(
            "bootstrap ({} resamples, {} found, same support {:.2}): {:.1} ms",
            c.resamples,
            c.found,
            c.same_support,
            (total - ranked).as_secs_f64() * 1e3
        );
    }
    println!("total: {:.1} ms", total.as_secs_f64() * 1e3);
}
