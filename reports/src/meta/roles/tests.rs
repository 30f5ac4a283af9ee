//! Tests across the role-game modules: hand-solved games, agreement with the symmetric solver,
//! DPR, ties, the bootstrap, the Gambit export, and invariants.

use proptest::prelude::*;

use super::*;
use crate::meta::{symmetric_equilibria, Game, NashOptions};

fn role(name: &str, players: u32, strategies: &[&str]) -> Role {
    Role {
        name: name.into(),
        players,
        strategies: strategies.iter().map(|s| s.to_string()).collect(),
    }
}

/// A game with every profile, `observations` matches each, payoffs from `payoff(profile,
/// match) -> payoff[role][strategy]` (only read where the count is positive) and one
/// observable, `obs(profile)`.
fn game_with(
    roles: Vec<Role>,
    observations: usize,
    payoff: impl Fn(&Profile, usize) -> Vec<Vec<f64>>,
    obs: impl Fn(&Profile) -> f64,
) -> RoleGame {
    let profiles = all_profiles(&roles)
        .into_iter()
        .map(|p| ProfileData {
            observations: (0..observations)
                .map(|k| {
                    let mut u = payoff(&p, k);
                    for (ur, cr) in u.iter_mut().zip(&p) {
                        for (v, &c) in ur.iter_mut().zip(cr) {
                            if c == 0 {
                                *v = f64::NAN;
                            }
                        }
                    }
                    Observation {
                        payoff: u,
                        observables: vec![obs(&p)],
                    }
                })
                .collect(),
            profile: p,
        })
        .collect();
    RoleGame::new(roles, vec!["no_value_share".into()], profiles).unwrap()
}

/// A bimatrix game: role "row" (one player) against role "col" (one player).
fn bimatrix(a: [[f64; 2]; 2], b: [[f64; 2]; 2]) -> RoleGame {
    game_with(
        vec![role("row", 1, &["U", "D"]), role("col", 1, &["L", "R"])],
        1,
        |p, _| {
            let i = if p[0][0] == 1 { 0 } else { 1 };
            let j = if p[1][0] == 1 { 0 } else { 1 };
            vec![vec![a[i][j]; 2], vec![b[i][j]; 2]]
        },
        |p| p[0][0] as f64,
    )
}

fn numeric() -> EquilibriumOptions {
    EquilibriumOptions {
        exact_max_strategies: 0,
        ..EquilibriumOptions::default()
    }
}

fn close(a: &Mixture, b: &[&[f64]], tol: f64) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| x.iter().zip(*y).all(|(p, q)| (p - q).abs() < tol))
}

/// Row: U earns 4 against L and 0 against R; D earns 1 and 2.
/// Col: L earns 0 against U and 2 against D; R earns 3 and 1.
/// No pure equilibrium: (U,L) → col to R (3 > 0) → row to D (2 > 0) → col to L (2 > 1) →
/// row to U (4 > 1). Mixed: with y = P(L), row indifferent: 4y = y + 2(1 − y) → 5y = 2 →
/// y = 2/5, row payoff 4·2/5 = 1.6. With x = P(U), col indifferent:
/// 2(1 − x) = 3x + (1 − x) → 2 − 2x = 1 + 2x → x = 1/4, col payoff 2·3/4 = 1.5.
fn cyclic_bimatrix() -> RoleGame {
    bimatrix([[4.0, 0.0], [1.0, 2.0]], [[0.0, 3.0], [2.0, 1.0]])
}

#[test]
fn hand_solved_two_role_game_exact_and_numeric() {
    let g = cyclic_bimatrix();
    for opts in [EquilibriumOptions::default(), numeric()] {
        let eqs = role_equilibria(&g, &opts);
        assert_eq!(eqs.len(), 1, "{eqs:?}");
        let e = &eqs[0];
        assert!(close(&e.mix, &[&[0.25, 0.75], &[0.4, 0.6]], 1e-9), "{e:?}");
        assert!((e.payoff[0] - 1.6).abs() < 1e-9 && (e.payoff[1] - 1.5).abs() < 1e-9);
        assert!(e.regret < 1e-9);
        assert_eq!(e.support(), vec![vec![0, 1], vec![0, 1]]);
    }
    // The dynamics cycle around it (a centre), so the end point is not the equilibrium but the
    // time average is close to it.
    let run = replicator_roles(
        &g,
        &vec![vec![0.5, 0.5], vec![0.5, 0.5]],
        &RoleReplicatorOptions::default(),
    );
    assert!(!run.converged);
}

#[test]
fn deviation_payoffs_by_hand() {
    // One role of 2 players over {A, B}: u_A(2,0) = 1, u_A(1,1) = 3, u_B(1,1) = 0, u_B(0,2) = 2.
    // At x = (1/4, 3/4): dev_A = 1/4·1 + 3/4·3 = 2.5; dev_B = 1/4·0 + 3/4·2 = 1.5;
    // v = 1/4·2.5 + 3/4·1.5 = 1.75; gains A: +0.75, B: −0.25; regret 0.75.
    let g = game_with(
        vec![role("owners", 2, &["A", "B"])],
        1,
        |p, _| match p[0][..] {
            [2, 0] => vec![vec![1.0, 0.0]],
            [1, 1] => vec![vec![3.0, 0.0]],
            _ => vec![vec![0.0, 2.0]],
        },
        |p| p[0][0] as f64,
    );
    let x = vec![vec![0.25, 0.75]];
    let dev = g.deviation_payoffs(&x);
    assert!((dev[0][0] - 2.5).abs() < 1e-12 && (dev[0][1] - 1.5).abs() < 1e-12);
    let gains = g.regrets(&x);
    assert!((gains[0][0] - 0.75).abs() < 1e-12 && (gains[0][1] + 0.25).abs() < 1e-12);
    assert!((g.regret(&x) - 0.75).abs() < 1e-12);
    // Observable = #A players: P(2,0) = 1/16, P(1,1) = 2·3/16 = 6/16 → 2/16 + 6/16 = 0.5.
    assert!((g.observable_at(&x, 0) - 0.5).abs() < 1e-12);
}

/// Payoffs of a one-role two-player game from a symmetric matrix: `a[i][j]` is what `i` earns
/// against `j`.
fn symmetric_role_game(a: &[&[f64]]) -> (RoleGame, Game) {
    let n = a.len();
    let names: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let g = game_with(
        vec![role("all", 2, &name_refs)],
        1,
        |p, _| {
            let mut played = Vec::new();
            for (i, &count) in p[0].iter().enumerate() {
                for _ in 0..count {
                    played.push(i);
                }
            }
            let (i, j) = (played[0], played[1]);
            let mut u = vec![0.0; n];
            u[i] = a[i][j];
            u[j] = a[j][i];
            vec![u]
        },
        |_| 0.0,
    );
    let sym = Game::new(names, a.iter().map(|r| r.to_vec()).collect()).unwrap();
    (g, sym)
}

#[test]
fn one_role_two_players_agrees_with_the_symmetric_solver() {
    // Coordination (three equilibria: pure A, pure B, (1/3, 2/3)), exact role path.
    let (g, sym) = symmetric_role_game(&[&[2.0, 0.0], &[0.0, 1.0]]);
    let expected = symmetric_equilibria(&sym, &NashOptions::default()).unwrap();
    let ours = role_equilibria(&g, &EquilibriumOptions::default());
    assert_eq!(ours.len(), expected.equilibria.len());
    for (o, e) in ours.iter().zip(&expected.equilibria) {
        assert!(close(&o.mix, &[&e.mix], 1e-12));
        assert!((o.payoff[0] - e.payoff).abs() < 1e-9);
        assert_eq!(o.component, e.component);
    }
    // Games whose equilibrium is stable under the dynamics: the numeric path finds the same.
    // Hawk–dove (V = 2, C = 4): p_H = 1/2. Generous rock–paper–scissors (win 2, lose −1):
    // uniform.
    for a in [
        &[&[-1.0, 2.0][..], &[0.0, 1.0][..]][..],
        &[
            &[0.0, -1.0, 2.0][..],
            &[2.0, 0.0, -1.0][..],
            &[-1.0, 2.0, 0.0][..],
        ][..],
    ] {
        let (g, sym) = symmetric_role_game(a);
        let expected = symmetric_equilibria(&sym, &NashOptions::default()).unwrap();
        let ours = role_equilibria(&g, &numeric());
        assert_eq!(ours.len(), 1, "{ours:?}");
        assert_eq!(expected.equilibria.len(), 1);
        assert!(close(&ours[0].mix, &[&expected.equilibria[0].mix], 1e-9));
        assert!((ours[0].payoff[0] - expected.equilibria[0].payoff).abs() < 1e-9);
    }
}

/// One role of `players` over {H, D} with payoffs linear in the others' counts:
/// u_H = 3 − 2·(other H players), u_D = 1 − 0.5·(other H players... i.e. all H players).
fn linear_hawk_dove(players: u32, profiles: Option<Vec<Profile>>) -> RoleGame {
    let roles = vec![role("owners", players, &["H", "D"])];
    let payoff = |p: &Profile| {
        let h = p[0][0] as f64;
        vec![vec![3.0 - 2.0 * (h - 1.0), 1.0 - 0.5 * h]]
    };
    let list = profiles.unwrap_or_else(|| all_profiles(&roles));
    let data = list
        .into_iter()
        .map(|p| {
            let mut u = payoff(&p);
            for (v, &c) in u[0].iter_mut().zip(&p[0]) {
                if c == 0 {
                    *v = f64::NAN;
                }
            }
            ProfileData {
                observations: vec![Observation {
                    payoff: u,
                    observables: vec![p[0][0] as f64],
                }],
                profile: p,
            }
        })
        .collect();
    RoleGame::new(roles, vec!["hawks".into()], data).unwrap()
}

#[test]
fn dpr_is_exact_when_payoffs_are_linear_in_counts() {
    // Full game: 4 players, 3 others. dev_H(x) = 3 − 2·3·x_H, dev_D(x) = 1 − 0.5·3·x_H.
    // Indifference: 3 − 6x = 1 − 1.5x → x_H = 2/4.5 = 4/9, payoff 3 − 24/9 = 1/3.
    let full = linear_hawk_dove(4, None);
    let full_eq = role_equilibria(&full, &EquilibriumOptions::default());
    assert_eq!(full_eq.len(), 1, "{full_eq:?}");
    assert!(close(&full_eq[0].mix, &[&[4.0 / 9.0, 5.0 / 9.0]], 1e-9));
    assert!((full_eq[0].payoff[0] - 1.0 / 3.0).abs() < 1e-9);

    // Reduced to 2 players from only the profiles DPR asks for ((4,0), (3,1), (1,3), (0,4)).
    let to_play = dpr_profiles(full.roles(), &[2]);
    assert_eq!(to_play.len(), 4);
    let played = linear_hawk_dove(4, Some(to_play));
    assert!(!played.is_complete());
    let reduced = dpr_reduce(&played, &[2]).unwrap();
    assert!(reduced.is_complete());
    assert_eq!(reduced.roles()[0].players, 2);
    // The reduced (1 H, 1 D) profile: H's payoff from (1,3): 3 − 0 = 3; D's from (3,1):
    // 1 − 1.5 = −0.5.
    let u = reduced.mean_payoff(&vec![vec![1, 1]]).unwrap();
    assert_eq!(u, vec![vec![3.0, -0.5]]);
    // Solved exactly (one role, two players): the same equilibrium as the full game.
    let reduced_eq = role_equilibria(&reduced, &EquilibriumOptions::default());
    assert_eq!(reduced_eq.len(), 1);
    assert!(close(&reduced_eq[0].mix, &[&full_eq[0].mix[0]], 1e-9));
    assert!((reduced_eq[0].payoff[0] - full_eq[0].payoff[0]).abs() < 1e-9);
    // Deviation payoffs agree at every mixture (linear payoffs): check a few.
    for x in [0.0, 0.3, 0.8, 1.0] {
        let m = vec![vec![x, 1.0 - x]];
        let (a, b) = (full.deviation_payoffs(&m), reduced.deviation_payoffs(&m));
        assert!(a[0].iter().zip(&b[0]).all(|(p, q)| (p - q).abs() < 1e-12));
    }
}

#[test]
fn a_tie_is_a_component_not_a_coin_flip() {
    // One role of 3 players (numeric path): C earns 1 per other C player; D and D' are the
    // same strategy, earning 2 + 1 per other C player. D dominates C by 1 everywhere, and D,
    // D' tie: every mix of D and D' is an equilibrium, one component.
    let g = game_with(
        vec![role("owners", 3, &["C", "D", "D'"])],
        1,
        |p, _| {
            let c = p[0][0] as f64;
            vec![vec![c - 1.0, 2.0 + c, 2.0 + c]]
        },
        |_| 0.0,
    );
    let eqs = role_equilibria(&g, &EquilibriumOptions::default());
    assert!(eqs.len() >= 2, "{eqs:?}");
    assert!(eqs.iter().all(|e| e.component == 0), "{eqs:?}");
    assert!(eqs.iter().all(|e| e.mix[0][0] == 0.0 && e.regret < 1e-9));
    let supports: Vec<Vec<Vec<usize>>> = eqs.iter().map(|e| e.support()).collect();
    assert!(supports.contains(&vec![vec![1]]) && supports.contains(&vec![vec![2]]));
}

/// Role "a" (one player: X, Y) and role "b" (one player: P, Q). X's payoff is noisy; Y earns
/// 0; b's payoffs make P strictly better. `noise` scales X's match-to-match spread around
/// its mean 0.25.
fn noisy_game(noise: f64) -> RoleGame {
    let spread = [1.75, -1.25, 0.75, -1.25];
    game_with(
        vec![role("a", 1, &["X", "Y"]), role("b", 1, &["P", "Q"])],
        4,
        |p, k| {
            let x = 0.25 + noise * spread[k];
            let _ = p;
            vec![vec![x, 0.0], vec![1.0, 0.0]]
        },
        |p| if p[0][0] == 1 { 0.1 } else { 0.6 },
    )
}

#[test]
fn bootstrap_is_deterministic_and_measures_noise() {
    let opts = BootstrapOptions {
        resamples: 200,
        seed: 7,
        level: 0.9,
    };
    for exact in [true, false] {
        let eq = if exact {
            EquilibriumOptions::default()
        } else {
            numeric()
        };
        // Without noise every resample is the game itself.
        let quiet = noisy_game(0.0);
        let reference = role_equilibria(&quiet, &eq)[0].clone();
        assert_eq!(reference.mix, vec![vec![1.0, 0.0], vec![1.0, 0.0]]);
        let c = bootstrap(&quiet, &reference, &opts, &eq);
        assert_eq!(c.support_frequency, vec![vec![1.0, 0.0], vec![1.0, 0.0]]);
        assert_eq!(c.payoff_interval[0], (0.25, 0.25));
        assert_eq!(c.observable_interval, vec![(0.1, 0.1)]);
        assert_eq!((c.found, c.same_support), (200, 1.0));

        // With noise (X's four matches: 2, −1, 1, −1; mean 0.25 > 0 = Y) a resample's mean
        // is below 0 often enough: X is in the support in clearly fewer than all resamples.
        let noisy = noisy_game(1.0);
        let reference = role_equilibria(&noisy, &eq)[0].clone();
        assert_eq!(reference.mix[0], vec![1.0, 0.0]);
        let c = bootstrap(&noisy, &reference, &opts, &eq);
        assert!(
            c.support_frequency[0][0] < 0.9 && c.support_frequency[0][0] > 0.3,
            "{c:?}"
        );
        assert!(c.support_frequency[0][1] > 0.1, "{c:?}");
        assert_eq!(c.support_frequency[1], vec![1.0, 0.0]);
        assert!(c.same_support < 0.9);
        // Same seed, same bytes; another seed, another sample.
        assert_eq!(bootstrap(&noisy, &reference, &opts, &eq), c);
        let other = BootstrapOptions { seed: 8, ..opts };
        assert_ne!(bootstrap(&noisy, &reference, &other, &eq), c);
    }
}

#[test]
fn nfg_export_of_two_roles() {
    let g = cyclic_bimatrix();
    let expected =
        "NFG 1 R \"cycle\" { \"row\" \"col\" }\n\n{\n{ \"U\" \"D\" }\n{ \"L\" \"R\" }\n}\n\n{\n\
{ \"U vs L\" 4.000000000, 0.000000000 }\n\
{ \"D vs L\" 1.000000000, 2.000000000 }\n\
{ \"U vs R\" 0.000000000, 3.000000000 }\n\
{ \"D vs R\" 2.000000000, 1.000000000 }\n\
}\n1 2 3 4\n";
    assert_eq!(to_nfg_two_roles(&g, "cycle").as_deref(), Some(expected));
    // Not two roles of one player: no export.
    assert_eq!(to_nfg_two_roles(&linear_hawk_dove(2, None), "x"), None);
}

#[test]
fn deciding_profiles_are_the_support_and_its_deviations() {
    // Roles: owners (2 players: A, B, C), root (1 player: F, P). Support: owners {A}, root {F}.
    // Support profile: ((2,0,0),(1,0)). One-player deviations: an owner to B or C
    // ((1,1,0),(1,0)), ((1,0,1),(1,0)); the root to P ((2,0,0),(0,1)). Four in all.
    let g = game_with(
        vec![
            role("owners", 2, &["A", "B", "C"]),
            role("root", 1, &["F", "P"]),
        ],
        1,
        |_, _| vec![vec![0.0; 3], vec![0.0; 2]],
        |_| 0.0,
    );
    let d = g.deciding_profiles(&vec![vec![1.0, 0.0, 0.0], vec![1.0, 0.0]]);
    assert_eq!(
        d,
        vec![
            vec![vec![2, 0, 0], vec![1, 0]],
            vec![vec![2, 0, 0], vec![0, 1]],
            vec![vec![1, 1, 0], vec![1, 0]],
            vec![vec![1, 0, 1], vec![1, 0]],
        ]
    );
    // Support {A, B} for owners: support profiles (2,0,0), (1,1,0), (0,2,0) × F, plus
    // deviations to C: (1,0,1), (0,1,1); and the root to P for each of the three.
    let d = g.deciding_profiles(&vec![vec![0.5, 0.5, 0.0], vec![1.0, 0.0]]);
    assert_eq!(d.len(), 3 + 2 + 3);
}

#[test]
fn alpha_rank_over_roles_finds_the_sink() {
    // Cyclic bimatrix: the best-response cycle visits all four pure profiles, so every state
    // keeps mass. A dominant-strategy game puts (almost) all mass on its equilibrium.
    let g = cyclic_bimatrix();
    let r = alpha_rank_roles(&g, &crate::meta::AlphaRankOptions::default());
    assert_eq!(r.states.len(), 4);
    assert!((r.stationary.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(r.stationary.iter().all(|&p| p > 0.01), "{r:?}");
    let dominant = bimatrix([[1.0, 1.0], [0.0, 0.0]], [[1.0, 0.0], [1.0, 0.0]]);
    let r = alpha_rank_roles(&dominant, &crate::meta::AlphaRankOptions::default());
    // (U, L) is state 0.
    assert!(r.stationary[0] > 1.0 - 1e-9, "{r:?}");
    assert_eq!(r.ranking[0], 0);
    assert!((r.strategy_mass[0][0] - r.stationary[0] - r.stationary[1]).abs() < 1e-12);
}

#[test]
fn malformed_games_are_refused() {
    let bad = RoleGame::new(vec![role("x", 0, &["a"])], vec![], vec![]);
    assert!(bad.unwrap_err().to_string().contains("0 players"));
    let roles = vec![role("x", 2, &["a", "b"])];
    let wrong_sum = ProfileData {
        profile: vec![vec![1, 0]],
        observations: vec![],
    };
    assert!(RoleGame::new(roles.clone(), vec![], vec![wrong_sum])
        .unwrap_err()
        .to_string()
        .contains("sum to 1"));
    let nan = ProfileData {
        profile: vec![vec![2, 0]],
        observations: vec![Observation {
            payoff: vec![vec![f64::NAN, f64::NAN]],
            observables: vec![],
        }],
    };
    assert!(RoleGame::new(roles, vec![], vec![nan]).is_err());
}

/// Role "a" (`players` over `strategies` ≤ 3) and role "b" (one player over two), payoffs in
/// [0, 10) from a hash of (seed, profile, role, strategy): arbitrary but reproducible.
fn hashed_game(seed: u64, players: u32, strategies: usize) -> RoleGame {
    let roles = vec![
        role("a", players, &["a0", "a1", "a2"][..strategies]),
        role("b", 1, &["b0", "b1"]),
    ];
    let h = |p: &Profile, r: usize, s: usize| {
        let mut v = seed ^ (r as u64 * 0x9e37_79b9) ^ (s as u64 * 0x85eb_ca6b);
        for &c in p.iter().flatten() {
            v = v
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(u64::from(c) + 1);
        }
        ((v >> 40) % 1000) as f64 / 100.0
    };
    let sizes = [strategies, 2];
    game_with(
        roles,
        1,
        |p, _| {
            (0..2)
                .map(|r| (0..sizes[r]).map(|s| h(p, r, s)).collect())
                .collect()
        },
        |_| 0.0,
    )
}

#[test]
fn games_whose_dynamics_cycle_still_give_their_equilibrium() {
    // Found by the property test below; each needed a step of the method. (1) Role a of 3 players: the dynamics run a
    // heteroclinic cycle a0 → a1 → a2 near the boundary around the interior equilibrium;
    // Newton on the strategies the cycle visits finds it. (2) A 3×2 bimatrix game whose
    // dynamics keep b1 near zero although it gains: the support joined by the gainers finds
    // the exact solver's equilibrium (0.925, 0, 0.075), (0.954, 0.046).
    let g = hashed_game(436_291, 3, 3);
    let eqs = role_equilibria(
        &g,
        &EquilibriumOptions {
            random_starts: 4,
            ..numeric()
        },
    );
    assert_eq!(eqs.len(), 1, "{eqs:?}");
    assert_eq!(eqs[0].support(), vec![vec![0, 1, 2], vec![1]]);
    assert!(eqs[0].regret < 1e-9);
    let g = hashed_game(722_468, 1, 3);
    let exact = role_equilibria(&g, &EquilibriumOptions::default());
    assert!(close(
        &exact[0].mix,
        &[&[0.925, 0.0, 0.075], &[0.954, 0.046]],
        1e-12
    ));
    let eqs = role_equilibria(
        &g,
        &EquilibriumOptions {
            random_starts: 4,
            ..numeric()
        },
    );
    assert_eq!(eqs.len(), 1, "{eqs:?}");
    assert!(close(
        &eqs[0].mix,
        &[&[0.925, 0.0, 0.075], &[0.954, 0.046]],
        1e-9
    ));
    // (3) Role a of 2 players where a2 always earns 0.08 more than a0: the system on a
    // support holding both has no solution, and a0 must leave it. With b at b0 (dominant):
    // dev_a1 = 4.4 q + 6.32 (1 − q), dev_a2 = 6.52 q + 6.27 (1 − q) with q = x_a1 →
    // 0.05 = 2.17 q → q = 0.05/2.17 = 0.0230415.
    let g = hashed_game(934_840, 2, 3);
    let eqs = role_equilibria(&g, &numeric());
    assert_eq!(eqs.len(), 1, "{eqs:?}");
    assert!(close(
        &eqs[0].mix,
        &[&[0.0, 0.05 / 2.17, 1.0 - 0.05 / 2.17], &[1.0, 0.0]],
        1e-9
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On random complete games: every mixture's regret is ≥ 0, every equilibrium found is a
    /// mixture per role (sums to 1) that passes the regret check, and each role's mixture
    /// payoff equals the weighted deviation payoffs.
    #[test]
    fn regrets_and_equilibria_are_consistent(
        seed in 0u64..1_000_000,
        players in 1u32..4,
        strategies in 2usize..4,
        weights in prop::collection::vec(0.01f64..1.0, 8),
    ) {
        let g = hashed_game(seed, players, strategies);
        let mix: Mixture = vec![
            {
                let w = &weights[..strategies];
                let t: f64 = w.iter().sum();
                w.iter().map(|v| v / t).collect()
            },
            vec![weights[4] / (weights[4] + weights[5]), weights[5] / (weights[4] + weights[5])],
        ];
        prop_assert!(g.regret(&mix) >= 0.0);
        let dev = g.deviation_payoffs(&mix);
        let v = g.mixture_payoff(&mix);
        for r in 0..2 {
            let weighted: f64 = mix[r].iter().zip(&dev[r]).map(|(x, d)| x * d).sum();
            prop_assert!((weighted - v[r]).abs() < 1e-9);
        }
        let eqs = role_equilibria(&g, &EquilibriumOptions { random_starts: 4, ..numeric() });
        prop_assert!(!eqs.is_empty());
        for e in &eqs {
            let gains = g.regrets(&e.mix);
            for (r, m) in e.mix.iter().enumerate() {
                prop_assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-9);
                prop_assert!(m.iter().all(|&p| p >= 0.0));
                prop_assert!(gains[r].iter().all(|&d| d <= 1e-6 * g.payoff_span(r) + 1e-12));
            }
            prop_assert!(e.regret >= 0.0);
        }
        // With one player in role "a" the game is a bimatrix game: every equilibrium the
        // numeric path finds lies in a component of the exact solver's (its support within
        // the union of the component's extreme points' supports; a tie between two
        // strategies makes a segment, and any point of it may be found).
        if players == 1 {
            let exact = role_equilibria(&g, &EquilibriumOptions::default());
            for e in &eqs {
                let in_a_component = exact.iter().any(|c| {
                    e.mix.iter().flatten().enumerate().all(|(i, &p)| {
                        p == 0.0
                            || exact.iter().any(|x| {
                                x.component == c.component && x.mix.iter().flatten().nth(i) > Some(&0.0)
                            })
                    })
                });
                prop_assert!(in_a_component, "numeric {:?} not in exact {:?}", e, exact);
            }
        }
    }
}

#[test]
fn the_bootstrap_fast_path_draws_what_resample_draws() {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    // Means printed with {:?} so that NaN cells compare equal.
    let same = |a: &RoleGame, b: &RoleGame| {
        for p in all_profiles(a.roles()) {
            assert_eq!(
                format!("{:?}", a.mean_payoff(&p)),
                format!("{:?}", b.mean_payoff(&p))
            );
            assert_eq!(a.mean_observables(&p), b.mean_observables(&p));
        }
    };
    let noisy = noisy_game(1.0);
    // Linear hawk–dove of 4 players with match noise, reduced to 2 players.
    let full = game_with(
        vec![role("owners", 4, &["H", "D"])],
        3,
        |p, k| {
            let h = p[0][0] as f64;
            let e = [0.5, -0.25, 1.0][k];
            vec![vec![3.0 - 2.0 * (h - 1.0) + e, 1.0 - 0.5 * h - e]]
        },
        |p| p[0][0] as f64,
    );
    let reduced = dpr_reduce(&full, &[2]).unwrap();
    for game in [&noisy, &reduced] {
        for seed in 0..4 {
            let a = game.resample(&mut ChaCha8Rng::seed_from_u64(seed));
            let b = game.resampled_means(&mut ChaCha8Rng::seed_from_u64(seed));
            same(&a, &b);
        }
    }
    // A resample of a reduced game is the reduction of the same resample of the full game.
    let a = reduced.resample(&mut ChaCha8Rng::seed_from_u64(9));
    let b = dpr_reduce(&full.resample(&mut ChaCha8Rng::seed_from_u64(9)), &[2]).unwrap();
    same(&a, &b);
    // And a resample differs from the game (3 matches with different payoffs per profile).
    let c = full.resample(&mut ChaCha8Rng::seed_from_u64(9));
    assert!(all_profiles(full.roles())
        .iter()
        .any(|p| format!("{:?}", c.mean_payoff(p)) != format!("{:?}", full.mean_payoff(p))));
}

#[test]
fn degenerate_games_constant_payoffs_and_single_strategy_roles() {
    // Constant payoffs (every mixture is an equilibrium) in a 3-player role beside a role with
    // a single strategy: one component, every point with regret 0, the lone strategy always
    // played; the pure points are all found.
    let g = game_with(
        vec![role("owners", 3, &["A", "B", "C"]), role("root", 1, &["F"])],
        1,
        |_, _| vec![vec![5.0; 3], vec![1.0]],
        |_| 0.0,
    );
    let eqs = role_equilibria(&g, &EquilibriumOptions::default());
    assert!(
        eqs.iter().all(|e| e.component == 0 && e.regret == 0.0),
        "{eqs:?}"
    );
    for s in 0..3 {
        assert!(
            eqs.iter().any(|e| e.support() == vec![vec![s], vec![0]]),
            "{eqs:?}"
        );
    }
    assert!(eqs
        .iter()
        .all(|e| e.mix[1] == vec![1.0] && e.payoff == vec![5.0, 1.0]));
    // The same in the exact two-player shape: the whole simplex, extreme points the three
    // pure strategies, one component.
    let (g, _) = symmetric_role_game(&[&[1.0; 3], &[1.0; 3], &[1.0; 3]]);
    let eqs = role_equilibria(&g, &EquilibriumOptions::default());
    assert_eq!(eqs.len(), 3);
    assert!(eqs.iter().all(|e| e.component == 0));
}

#[test]
fn alpha_rank_over_roles_by_hand() {
    // Role "row" (U earns 1, D earns 0) against role "col" with the single strategy L. Row's
    // span is 1, so normalized gaps are ±1. α = 0.5, m = 2: with a constant gap Δ the
    // fixation probability is (1 − e^{−αΔ})/(1 − e^{−2αΔ}) = 1/(1 + e^{−αΔ});
    // ρ(U→D) = 1/(1 + e^{0.5}) = 0.3775407, ρ(D→U) = 1/(1 + e^{−0.5}) = 0.6224593. Both moves
    // have η = 1/(2 roles · 1 other strategy) = 1/2, so π_U ρ(U→D) = π_D ρ(D→U) →
    // π_U/π_D = e^{0.5} → π_U = e^{0.5}/(1 + e^{0.5}) = 0.6224593.
    let g = game_with(
        vec![role("row", 1, &["U", "D"]), role("col", 1, &["L"])],
        1,
        |p, _| vec![vec![if p[0][0] == 1 { 1.0 } else { 0.0 }; 2], vec![0.0]],
        |_| 0.0,
    );
    let opts = crate::meta::AlphaRankOptions {
        alpha: 0.5,
        population_size: 2,
        normalize: true,
    };
    let r = alpha_rank_roles(&g, &opts);
    let e = 0.5f64.exp();
    assert_eq!(r.states, vec![vec![0, 0], vec![1, 0]]);
    assert!((r.stationary[0] - e / (1.0 + e)).abs() < 1e-12, "{r:?}");
    assert!((r.strategy_mass[0][1] - 1.0 / (1.0 + e)).abs() < 1e-12);
    assert!((r.strategy_mass[1][0] - 1.0).abs() < 1e-12);
    assert_eq!(r.ranking, vec![0, 1]);
}
