//! End-to-end tests of role tournaments (`format: roles`): located errors, byte-identical
//! outputs across `--jobs`, shards + merge + resume, adaptive repetitions that stop at `max`
//! on a coin-flip game and early on a dominant-strategy game, and the engine's and the
//! reports' profile sets agreeing.

mod common;
use common::{input_error, play, run, scratch, strategy_crate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A one-day, small-network tournament with `roles` (YAML text) and `repetitions`.
fn write_roles(dir: &Path, file: &str, roles: &str, repetitions: &str) -> PathBuf {
    let yaml = format!(
        "name: roles-e2e\nseed: 11\nformat: roles\nroles:\n{roles}mechanisms: [dtao-price]\n\
         horizon_days: 1\nrepetitions: {repetitions}\nnetwork:\n  background_subnets: 6\n"
    );
    let path = dir.join(file);
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Two roles of one player: owners {meme-farmer, honest-ai-subnet}, traders {root-staker,
/// momentum-speculator}: 2 × 2 = 4 profiles.
fn two_roles() -> String {
    format!(
        "  - name: owners\n    players: 1\n    plays: subnet-owner\n    strategies:\n\
         \x20     - crate: {}\n      - crate: {}\n\
         \x20 - name: traders\n    players: 1\n    plays: staker\n    capital_tao: 20000\n    strategies:\n\
         \x20     - crate: {}\n      - crate: {}\n",
        strategy_crate("meme-farmer"),
        strategy_crate("honest-ai-subnet"),
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
    )
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

/// The outputs that must be byte-identical: raw table, manifest, journal (put in plan order
/// once the adaptive stages are played) and the role reports.
fn assert_same(a: &Path, b: &Path) {
    for f in [
        "raw.csv",
        "raw.parquet",
        "manifest.json",
        "journal.jsonl",
        "reports/role_equilibria.csv",
        "reports/rolegame.json",
        "reports/role_network.csv",
        "reports/role_profiles.csv",
    ] {
        assert!(
            read(a, f) == read(b, f),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn csv_lines(dir: &Path) -> Vec<String> {
    String::from_utf8(read(dir, "raw.csv"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_role_tournament_is_byte_identical_across_jobs_resume_and_shards() {
    let dir = scratch("identical");
    let yaml = write_roles(
        &dir,
        "t.yaml",
        &two_roles(),
        "{min: 2, max: 3, confidence: 0.99, batch: 1}",
    );
    let y = yaml.to_str().unwrap();
    let out = |n: &str| dir.join(n);
    let s = |p: PathBuf| p.to_str().unwrap().to_string();
    let one = run(&["run", y, "--jobs", "1", "--out", &s(out("one"))]);
    play(y, out("two"), &["--jobs", "2"]);
    assert_same(&out("one"), &out("two"));

    // The raw table: every row has its role and its profile; 4 profiles × 2 repetitions at
    // least, 2 rows each.
    let lines = csv_lines(&out("one"));
    let header: Vec<&str> = lines[0].split(',').collect();
    let role = header.iter().position(|c| *c == "role").unwrap();
    let profile = header.iter().position(|c| *c == "profile").unwrap();
    assert!(lines.len() > 4 * 2 * 2, "{}", lines.len());
    let profiles: BTreeSet<String> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(profile).unwrap().to_string())
        .collect();
    assert_eq!(profiles.len(), 4, "{profiles:?}");
    assert!(
        profiles.contains("meme-farmer | root-staker"),
        "{profiles:?}"
    );
    for l in &lines[1..] {
        let cells: Vec<&str> = l.split(',').collect();
        let expected = if l.contains(",meme-farmer,") || l.contains(",honest-ai-subnet,") {
            "owners"
        } else {
            "traders"
        };
        assert_eq!(cells[role], expected, "{l}");
    }
    // The verdict line names each role's equilibrium with its bootstrap confidence and the
    // no-value share at equilibrium beside the all-matches mean.
    let stdout = String::from_utf8_lossy(&one.stdout);
    let verdict = stdout
        .lines()
        .find(|l| l.starts_with("dtao-price / native: owners: "))
        .unwrap_or_else(|| panic!("no role verdict in:\n{stdout}"));
    assert!(verdict.contains(" of resamples) · traders: "), "{verdict}");
    assert!(
        verdict.contains("at equilibrium (all matches: "),
        "{verdict}"
    );
    // Two roles of one player: the game is also a two-player Gambit game.
    let nfg = String::from_utf8(read(
        &out("one"),
        "reports/games/dtao-price__native.roles.nfg",
    ))
    .unwrap();
    assert!(nfg.starts_with("NFG 1 R"), "{nfg}");

    // Shards play the first stage; merge, then resume, adds the adaptive stages: the same bytes.
    play(y, out("s0"), &["--shard", "0/2"]);
    play(y, out("s1"), &["--shard", "1/2"]);
    let merged = run(&[
        "merge",
        &s(out("s0")),
        &s(out("s1")),
        "--out",
        &s(out("merged")),
    ]);
    // The first stage's verdicts are not the tournament's: no reports until the resume.
    assert!(String::from_utf8_lossy(&merged.stderr).contains("no reports yet"));
    assert!(!out("merged").join("reports").exists());
    play(y, out("merged"), &["--resume"]);
    assert_same(&out("one"), &out("merged"));

    // A run cut short (its journal without its last matches) resumes to the same bytes.
    let journal = String::from_utf8(read(&out("two"), "journal.jsonl")).unwrap();
    let kept: Vec<&str> = journal.lines().take(journal.lines().count() / 2).collect();
    std::fs::write(out("two").join("journal.jsonl"), kept.join("\n") + "\n").unwrap();
    let resumed = play(y, out("two"), &["--resume", "--jobs", "2"]);
    assert!(resumed.status.success());
    assert_same(&out("one"), &out("two"));
}

/// Repetitions of each profile in a result directory (by its `profile` column).
fn repetitions_per_profile(dir: &Path) -> Vec<usize> {
    let lines = csv_lines(dir);
    let header: Vec<&str> = lines[0].split(',').collect();
    let id = header.iter().position(|c| *c == "match_id").unwrap();
    let profile = header.iter().position(|c| *c == "profile").unwrap();
    let mut matches: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for l in &lines[1..] {
        let c: Vec<&str> = l.split(',').collect();
        matches
            .entry(c[profile].to_string())
            .or_default()
            .insert(c[id].to_string());
    }
    matches.values().map(BTreeSet::len).collect()
}

#[test]
fn adaptive_repetitions_stop_at_max_on_a_coin_flip_and_early_on_a_dominant_strategy() {
    let dir = scratch("adaptive");
    // A coin flip: one trader choosing between two copies of the same strategy (different
    // names, identical play): root staking, whose dividends vary from match to match with the
    // background economy. Neither is better, the bootstrap keeps disagreeing (here 0.99 of
    // resamples at most), and every profile is played `max` times.
    let coin = format!(
        "  - name: traders\n    players: 1\n    plays: staker\n    strategies:\n\
         \x20     - {{name: heads, crate: {m}}}\n      - {{name: tails, crate: {m}}}\n",
        m = strategy_crate("root-staker")
    );
    let yaml = write_roles(
        &dir,
        "coin.yaml",
        &coin,
        "{min: 2, max: 6, confidence: 0.999, batch: 2}",
    );
    run(&[
        "run",
        yaml.to_str().unwrap(),
        "--quiet",
        "--out",
        dir.join("coin").to_str().unwrap(),
    ]);
    assert_eq!(repetitions_per_profile(&dir.join("coin")), vec![6, 6]);

    // A dominant strategy: root staking earns root dividends, holding TAO earns exactly 0.
    // Every resample agrees after the first stage: no repetition is added.
    let dominant = format!(
        "  - name: holders\n    players: 1\n    plays: staker\n    strategies:\n\
         \x20     - {{name: staker, crate: {r}}}\n      - {{name: holder, crate: {r}, params: {{fraction: 0}}}}\n",
        r = strategy_crate("root-staker")
    );
    let yaml = write_roles(
        &dir,
        "dominant.yaml",
        &dominant,
        "{min: 2, max: 6, confidence: 0.95}",
    );
    run(&[
        "run",
        yaml.to_str().unwrap(),
        "--quiet",
        "--out",
        dir.join("dominant").to_str().unwrap(),
    ]);
    assert_eq!(repetitions_per_profile(&dir.join("dominant")), vec![2, 2]);
    let eq = String::from_utf8(read(&dir.join("dominant"), "reports/role_equilibria.csv")).unwrap();
    // equilibrium 0, role holders: staker with weight 1 in every resample.
    assert!(
        eq.lines()
            .any(|l| l.starts_with("dtao-price,native,0,holders,staker,1.000000,1.0000,")),
        "{eq}"
    );
}

fn expect_input_error(dir: &Path, name: &str, roles: &str, expected: &[&str]) {
    input_error(&write_roles(dir, name, roles, "1"), expected);
}

#[test]
fn role_errors_are_located_and_exit_2() {
    let dir = scratch("errors");
    let meme = strategy_crate("meme-farmer");
    let root = strategy_crate("root-staker");
    // Line 5 is the role's first field (lines 1-4: name, seed, format, roles:).
    expect_input_error(
        &dir,
        "unknown-field.yaml",
        &format!(
            "  - name: owners\n    players: 1\n    plays: subnet-owner\n    captial_tao: 5\n    strategies:\n      - crate: {meme}\n"
        ),
        &["unknown-field.yaml:8:5", "unknown field `captial_tao`"],
    );
    expect_input_error(
        &dir,
        "zero-players.yaml",
        &format!(
            "  - name: owners\n    players: 0\n    plays: subnet-owner\n    strategies:\n      - crate: {meme}\n"
        ),
        &["zero-players.yaml:6:5", "roles[0].players", "at least 1 player"],
    );
    expect_input_error(
        &dir,
        "wrong-role.yaml",
        &format!(
            "  - name: owners\n    players: 1\n    plays: subnet-owner\n    strategies:\n      - crate: {meme}\n      - crate: {root}\n"
        ),
        &[
            "wrong-role.yaml:10:9",
            "roles[0].strategies[1].crate",
            "`root-staker` is a staker",
            "cannot play role `owners`",
        ],
    );
}

#[test]
fn the_engine_plays_the_profiles_the_reports_reduce() {
    use tourney_engine::tournament::roles as engine;
    use tourney_reports::meta::roles::{self as reports, Role};
    for (players, strategies, reduced) in [
        (vec![4u32], vec![2usize], vec![2u32]),
        (vec![4, 1], vec![2, 2], vec![2, 1]),
        (vec![9, 3], vec![3, 2], vec![3, 3]),
        (vec![2, 1, 1], vec![4, 2, 2], vec![2, 1, 1]),
    ] {
        let roles: Vec<Role> = players
            .iter()
            .zip(&strategies)
            .enumerate()
            .map(|(r, (&p, &k))| Role {
                name: format!("r{r}"),
                players: p,
                strategies: (0..k).map(|s| format!("s{s}")).collect(),
            })
            .collect();
        let ours: BTreeSet<_> = engine::dpr_profiles(&players, &strategies, &reduced)
            .into_iter()
            .collect();
        let theirs: BTreeSet<_> = reports::dpr_profiles(&roles, &reduced)
            .into_iter()
            .collect();
        assert!(!ours.is_empty());
        assert_eq!(ours, theirs, "{players:?} {strategies:?} → {reduced:?}");
        let all: BTreeSet<_> = engine::all_profiles(&players, &strategies)
            .into_iter()
            .collect();
        let all_theirs: BTreeSet<_> = reports::all_profiles(&roles).into_iter().collect();
        assert_eq!(all, all_theirs);
        assert_eq!(
            engine::profile_count(&players, &strategies),
            reports::profile_count(&roles)
        );
    }
}

#[test]
fn a_round_robin_of_unlike_players_is_warned_about() {
    let dir = scratch("warn");
    let yaml = format!(
        "name: unlike\nentrants:\n  - crate: {}\n  - crate: {}\n    capital_tao: 3000000\n\
         mechanisms: [dtao-price]\n",
        strategy_crate("meme-farmer"),
        strategy_crate("root-staker"),
    );
    let path = dir.join("unlike.yaml");
    std::fs::write(&path, yaml).unwrap();
    let out = run(&["validate", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for e in [
        "warning: ",
        "different capital (meme-farmer with 10000 TAO; root-staker with 3000000 TAO)",
        "different roles (subnet-owner: meme-farmer; staker: root-staker)",
        "`format: roles`",
    ] {
        assert!(stderr.contains(e), "expected `{e}` in:\n{stderr}");
    }
}
