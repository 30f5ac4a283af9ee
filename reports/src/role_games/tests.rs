//! The role game built from raw rows by hand, and the verdict line.

use polars::prelude::*;

use super::build::{observable, role_games};
use super::{analyse, verdict_line, RoleOptions};

/// Raw rows of a role tournament: (match, role, entrant, status, profit, value share).
fn raw(rows: &[(&str, &str, &str, &str, f64, f64)]) -> LazyFrame {
    let n = rows.len();
    let text = |k: usize| -> Vec<String> {
        rows.iter()
            .map(|r| [r.0, r.1, r.2, r.3][k].to_string())
            .collect()
    };
    let number = |k: usize| -> Vec<f64> { rows.iter().map(|r| [r.4, r.5][k]).collect() };
    let df = DataFrame::new_infer_height(vec![
        Column::new("tournament".into(), vec!["t"; n]),
        Column::new("match_id".into(), text(0)),
        Column::new("format".into(), vec!["roles"; n]),
        Column::new("mechanism".into(), vec!["m"; n]),
        Column::new("schedule".into(), vec!["s"; n]),
        Column::new("repetition".into(), vec![0u32; n]),
        Column::new("entrant".into(), text(2)),
        Column::new("opponent".into(), vec!["*"; n]),
        Column::new("role".into(), text(1)),
        Column::new("profile".into(), vec![""; n]),
        Column::new("status".into(), text(3)),
        Column::new("profit_tao".into(), number(0)),
        Column::new("emission_captured_tao".into(), vec![0.0; n]),
        Column::new("roi".into(), vec![0.0; n]),
        Column::new("emission_value_share".into(), number(1)),
        Column::new("emission_meme_share".into(), vec![0.1; n]),
        Column::new("emission_offtopic_share".into(), vec![0.0; n]),
        Column::new("value_per_tao_emitted".into(), vec![1.0; n]),
        Column::new("peak_meme_share".into(), vec![0.2; n]),
        Column::new("largest_crash".into(), vec![0.5; n]),
    ])
    .unwrap();
    crate::tables::select_raw(df.lazy(), "test").unwrap()
}

#[test]
fn a_role_game_from_raw_rows_by_hand() {
    // Owners (2 players over {a, b}) and a root holder (1 player, {x}).
    let rows = [
        // Match 1: a + b | x. Value share 0.6 → no value 0.4.
        ("m1", "owners", "a", "ok", 10.0, 0.6),
        ("m1", "owners", "b", "ok", 4.0, 0.6),
        ("m1", "root", "x", "ok", 100.0, 0.6),
        // Match 2: a + a | x; the a players average (6 + 8) / 2 = 7.
        ("m2", "owners", "a", "ok", 6.0, 0.8),
        ("m2", "owners", "a", "forfeit", 8.0, 0.8),
        ("m2", "root", "x", "ok", 90.0, 0.8),
        // Match 3 could not be played: left out.
        ("m3", "owners", "b", "error", 0.0, 0.0),
        ("m3", "owners", "b", "error", 0.0, 0.0),
        ("m3", "root", "x", "error", 0.0, 0.0),
        // Match 4: b + b | x.
        ("m4", "owners", "b", "ok", 5.0, 0.5),
        ("m4", "owners", "b", "ok", 7.0, 0.5),
        ("m4", "root", "x", "ok", 80.0, 0.5),
    ];
    let games = role_games(raw(&rows)).unwrap();
    assert_eq!(games.len(), 1);
    let g = &games[0];
    assert_eq!((g.matches, g.errored_matches), (3, 1));
    let roles = g.game.roles();
    assert_eq!(roles[0].name, "owners");
    assert_eq!(
        (roles[0].players, roles[0].strategies.clone()),
        (2, vec!["a".into(), "b".into()])
    );
    assert_eq!((roles[1].players, roles[1].strategies.len()), (1, 1));
    assert!(g.game.is_complete());
    assert!(g.reduced_players.is_none());
    let aa = g.game.mean_payoff(&vec![vec![2, 0], vec![1]]).unwrap();
    assert_eq!(aa[0][0], 7.0);
    assert_eq!(aa[1][0], 90.0);
    let ab = g.game.mean_payoff(&vec![vec![1, 1], vec![1]]).unwrap();
    assert_eq!((ab[0][0], ab[0][1]), (10.0, 4.0));
    // Observables: no value = 1 − value; idle = 1 − value − meme − off-topic.
    let p = &g.game.profiles();
    let ab_obs = &p
        .iter()
        .find(|d| d.profile == vec![vec![1, 1], vec![1]])
        .unwrap()
        .observations[0]
        .observables;
    assert!((ab_obs[observable("no_value_share")] - 0.4).abs() < 1e-12);
    assert!((ab_obs[observable("idle_share")] - 0.3).abs() < 1e-12);

    // Owners' game: a earns 7 against a, 10 against b; b earns 4 against a, 6 against b
    // ((5 + 7) / 2). a dominates: the equilibrium is all a, whose network has no value
    // 1 − 0.8 = 20 %; the all-matches mean is what the caller passes.
    let cell = analyse(games.into_iter().next().unwrap(), &RoleOptions::default());
    let eq = cell.reference().unwrap();
    assert_eq!(eq.mix[0], vec![1.0, 0.0]);
    let line = verdict_line(&cell, Some(0.5));
    assert!(
        line.starts_with(
            "m / s: owners: a (1.00 of resamples) · root: x (1.00 of resamples); no value 20.0 % ["
        ),
        "{line}"
    );
    assert!(
        line.ends_with("] at equilibrium (all matches: 50.0 %)"),
        "{line}"
    );
}

#[test]
fn a_tie_is_named_in_the_verdict_not_hidden() {
    // The root holder earns exactly 0 with x and with y (as both root strategies do under a
    // rule that pays root nothing); the owner's payoff depends on the root's choice (5 vs 3).
    let rows = [
        ("m1", "owners", "a", "ok", 5.0, 0.6),
        ("m1", "root", "x", "ok", 0.0, 0.6),
        ("m2", "owners", "a", "ok", 3.0, 0.6),
        ("m2", "root", "y", "ok", 0.0, 0.6),
    ];
    let games = role_games(raw(&rows)).unwrap();
    let cell = analyse(games.into_iter().next().unwrap(), &RoleOptions::default());
    let line = verdict_line(&cell, None);
    let root = line.split(" · root: ").nth(1).unwrap();
    // Whichever equilibrium of the tie the verdict shows, it names both strategies.
    assert!(
        root.contains('x') && root.contains('y'),
        "the tie is hidden: {line}"
    );
    // A strict best reply is no tie: the owner's part names no other strategy.
    assert!(line.contains("owners: a (1.00 of resamples) ·"), "{line}");
}

/// The bootstrap seed is FNV-1a 64 of `mechanism ‖ 0 ‖ schedule` (computed independently:
/// Python's reference loop over b"taoflow\x00native"), so reports rebuilt later resample alike.
#[test]
fn the_bootstrap_seed_is_fnv1a_of_the_labels() {
    assert_eq!(
        super::bootstrap_seed("taoflow", "native"),
        0xf852_72d3_0b30_f12a
    );
}
