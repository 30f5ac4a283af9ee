//! `tourney search` end to end on a tiny role game (one mechanism, 2 × 2 strategies, one
//! simulated day): the outputs, byte-identical across `--jobs`, a killed search resumed from
//! its journal without re-running finished evaluations, and located errors with exit 2.

mod common;
use common::scratch;
use std::path::Path;
use std::process::{Command, Output};

#[path = "support/tiny_search.rs"]
mod tiny_search;
use tiny_search::write_search;

fn search(file: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tourney"))
        .arg("search")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--quiet"])
        .args(extra)
        .output()
        .unwrap()
}

fn ok(o: Output) -> Output {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

const OUTPUTS: [&str; 5] = [
    "points.csv",
    "points.parquet",
    "front.csv",
    "best.yaml",
    "summary.md",
];

fn assert_same(a: &Path, b: &Path) {
    for f in OUTPUTS {
        let (x, y) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn a_search_writes_its_outputs_identically_across_jobs_and_resumes_from_its_journal() {
    let dir = scratch("e2e");
    let file = write_search(&dir);
    let (one, two) = (dir.join("one"), dir.join("two"));
    ok(search(&file, &one, &["--jobs", "1"]));
    ok(search(&file, &two, &["--jobs", "2"]));
    assert_same(&one, &two);

    let points = std::fs::read_to_string(one.join("points.csv")).unwrap();
    let lines: Vec<&str> = points.lines().collect();
    // 4 initial points at 1 repetition; the best ceil(4/2) = 2 at 2 repetitions; then one
    // compass round around the best: at most 2 knobs × 2 moves new points.
    let phase = |p: &str| {
        lines
            .iter()
            .filter(|l| l.split(',').nth(1) == Some(p))
            .count()
    };
    assert_eq!(phase("initial"), 4);
    assert!((1..=2).contains(&phase("halving-1")), "{points}");
    assert!((1..=4).contains(&phase("refine-1")), "{points}");
    // Matches: a point's role game has 2 × 2 = 4 profiles, so 4 matches per repetition.
    for l in &lines[1..] {
        let f: Vec<&str> = l.split(',').collect();
        let reps: u64 = f[2].parse().unwrap();
        let matches: u64 = f[f.len() - 3].parse().unwrap();
        assert_eq!(matches, 4 * reps, "{l}");
    }
    // Exactly one best row, and best.yaml is a tournament `validate` accepts.
    assert_eq!(lines.iter().filter(|l| l.ends_with(",true")).count(), 1);
    let v = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .args(["validate", "--no-plugins"])
        .arg(one.join("best.yaml"))
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));

    // Killed after the first batch: the journal holds its header and the 4 initial
    // evaluations, and no point results remain. The resumed search evaluates only what came
    // after (no result directory for an initial point) and writes the same bytes.
    let killed = dir.join("killed");
    std::fs::create_dir_all(&killed).unwrap();
    let journal = std::fs::read_to_string(one.join("journal.jsonl")).unwrap();
    let head: Vec<&str> = journal.lines().take(1 + 4).collect();
    std::fs::write(killed.join("journal.jsonl"), head.join("\n") + "\n").unwrap();
    ok(search(&file, &killed, &["--resume"]));
    assert_same(&one, &killed);
    let played: Vec<String> = std::fs::read_dir(killed.join("points"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".yaml"))
        .collect();
    assert!(!played.is_empty());
    assert!(
        played.iter().all(|n| !n.ends_with("-r1")),
        "an initial (1-repetition) point was played again: {played:?}"
    );
}

/// A search holds its folder for its whole life (`src/dir_lock.rs`): a second search into it,
/// fresh or resumed, is refused with exit 2 while the first (parked by the test hook just
/// after taking the folder's lock) runs, and changes nothing there. The first then finishes
/// — its points' tournaments, each locking its own directory inside the folder, never wait
/// on the search's lock — with the bytes of an undisturbed search.
#[test]
fn a_search_folder_in_use_is_refused_to_a_second_search() {
    use std::io::{BufRead, BufReader, Read};
    let dir = scratch("lock");
    let file = write_search(&dir);
    let (clean, busy) = (dir.join("clean"), dir.join("busy"));
    ok(search(&file, &clean, &[]));
    let go = dir.join("go");
    // Killed and reaped when dropped: a failing test leaves no parked search behind.
    struct Parked(std::process::Child);
    impl Drop for Parked {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut first = Parked(
        Command::new(env!("CARGO_BIN_EXE_tourney"))
            .arg("search")
            .arg(&file)
            .arg("--out")
            .arg(&busy)
            .arg("--quiet")
            .env("TOURNEY_TEST_PAUSE_AT", "dir-locked")
            .env("TOURNEY_TEST_PAUSE_UNTIL", &go)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut stderr = BufReader::new(first.0.stderr.take().unwrap());
    let paused = stderr
        .by_ref()
        .lines()
        .any(|l| l.is_ok_and(|l| l.contains("test hook: paused at dir-locked")));
    assert!(paused, "the search never locked its folder");
    let listing = |d: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(&busy);
    for extra in [&[][..], &["--resume"][..]] {
        let second = search(&file, &busy, extra);
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert_eq!(second.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("is in use by another tourney process"),
            "{stderr}"
        );
        assert_eq!(listing(&busy), before);
    }
    std::fs::write(&go, "").unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(first.0.wait().unwrap().success(), "{rest}");
    assert_same(&clean, &busy);
}

#[test]
fn a_search_into_a_folder_another_search_used_takes_none_of_its_points() {
    let dir = scratch("reuse");
    let (a, b) = (dir.join("a"), dir.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let first = write_search(&a);
    // The same search over a base of two days: its points have the same names.
    let second = write_search(&b);
    let base = std::fs::read_to_string(b.join("base.yaml")).unwrap();
    std::fs::write(
        b.join("base.yaml"),
        base.replace("horizon_days: 1", "horizon_days: 2"),
    )
    .unwrap();
    let (clean_first, clean_second) = (dir.join("clean-a"), dir.join("clean-b"));
    ok(search(&first, &clean_first, &[]));
    ok(search(&second, &clean_second, &[]));
    // A fresh search where another one ran: the earlier points were taken as its own.
    let used = dir.join("used");
    ok(search(&first, &used, &[]));
    ok(search(&second, &used, &[]));
    assert_same(&used, &clean_second);
    // Its journal gone, a resumed search finds the points of another tournament file and
    // plays them again rather than taking their payoffs.
    std::fs::remove_file(used.join("journal.jsonl")).unwrap();
    ok(search(&first, &used, &["--resume"]));
    assert_same(&used, &clean_first);
}

#[test]
fn an_hours_budget_plays_the_first_batch_and_says_why_it_stopped() {
    // 1e-7 hours (0.36 ms) is spent before the second batch can start; the first always runs.
    let dir = scratch("hours");
    let file = write_search(&dir);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("budget: {hours: 1.0e-7}\n");
    std::fs::write(&file, text).unwrap();
    let out = dir.join("out");
    ok(search(&file, &out, &[]));
    let points = std::fs::read_to_string(out.join("points.csv")).unwrap();
    assert_eq!(points.lines().count(), 1 + 4, "{points}");
    assert!(points
        .lines()
        .skip(1)
        .all(|l| l.split(',').nth(1) == Some("initial")));
    let summary = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        summary.contains("hours budget of 0.0000001 spent"),
        "{summary}"
    );
}

#[test]
fn bad_search_files_exit_2_with_their_location() {
    let dir = scratch("bad");
    let file = write_search(&dir);
    let text = std::fs::read_to_string(&file).unwrap();
    for (bad, expect) in [
        (text.replace("tao_weight:", "taoweight:"), "s.yaml:6:"),
        (text.replace("seed: 5", "seed: 5\nsede: 1"), "s.yaml:3:"),
        (text.replace("eta: 2", "eta: 1"), "method"),
    ] {
        std::fs::write(&file, bad).unwrap();
        let o = search(&file, &dir.join("out"), &[]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(expect), "{expect}: {err}");
    }
}

/// A search builds each strategy crate once, not once per evaluation: cargo is asked four
/// times (the base tournament's four crates) for all the tournaments the search plays. Each
/// request costs about 0.15 s even when nothing changed, a third of a small search's time.
#[cfg(unix)]
#[test]
fn a_search_asks_cargo_once_per_crate() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("cargo-once");
    let file = write_search(&dir);
    // A cargo that notes each request, then runs the real one.
    let log = dir.join("cargo.log");
    let wrapper = dir.join("cargo");
    let real = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\nexec '{real}' \"$@\"\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = dir.join("out");
    ok(Command::new(env!("CARGO_BIN_EXE_tourney"))
        .arg("search")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--jobs", "2"])
        .env("CARGO", &wrapper)
        .output()
        .unwrap());
    let evaluations = std::fs::read_to_string(out.join("points.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(evaluations >= 6, "{evaluations} evaluations");
    let calls = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 4, "{calls:#?}");
    for name in [
        "meme-farmer",
        "honest-ai-subnet",
        "momentum-speculator",
        "root-staker",
    ] {
        let manifest = format!("{name}/Cargo.toml");
        assert_eq!(
            calls.iter().filter(|c| c.ends_with(&manifest)).count(),
            1,
            "{name}: {calls:#?}"
        );
    }
}
