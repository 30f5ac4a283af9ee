//! End-to-end tests of `tourney run | merge | validate`: determinism across job counts,
//! shards and the scalar/vector engine kernels, resumption after `kill -9`, and located errors
//! for malformed YAML.

mod common;
use common::{
    assert_same_dirs, assert_same_outputs, fails, files_under, input_error, play, run, scratch,
    strategy_crate, tourney,
};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{ChildStderr, Stdio};

/// A small tournament: 2 entrants (3 pairings) × 2 mechanisms × `reps` repetitions.
fn write_tournament(dir: &Path, reps: u32, days: f64) -> PathBuf {
    let yaml = format!(
        "name: e2e\nseed: 9\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [dtao-price, taoflow]\n\
         horizon_days: {days}\nrepetitions: {reps}\nnetwork:\n  background_subnets: 6\n",
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
    );
    let path = dir.join("t.yaml");
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Like [`write_tournament`], with a third entrant whose matches take several times as long
/// (`busy`: 5,000 stakes a decision, most of them refused), so that two jobs finish matches out
/// of plan order: the match after one of `busy`'s in the plan finishes first. 3 entrants (6
/// pairings) × 2 mechanisms = 12 matches, series written.
fn write_uneven_tournament(dir: &Path) -> PathBuf {
    let yaml = format!(
        "name: e2e\nseed: 9\nentrants:\n  - crate: {}\n  - crate: {}\n  \
         - {{name: busy, crate: {}, params: {{mode: too-many-actions}}}}\n\
         mechanisms: [dtao-price, taoflow]\nhorizon_days: 0.5\nnetwork:\n  background_subnets: 6\n",
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
        strategy_crate("testing/broken-plugin"),
    );
    let path = dir.join("t.yaml");
    std::fs::write(&path, yaml).unwrap();
    with_series(&path);
    path
}

/// Every match's time series too (appended to a [`write_tournament`] file).
fn with_series(yaml: &Path) {
    let mut text = std::fs::read_to_string(yaml).unwrap();
    text.push_str("outputs:\n  series: true\n  series_interval_blocks: 60\n");
    std::fs::write(yaml, text).unwrap();
}

/// Move the result written at `dir/out` to `dir/name`. Results compared file by file are each
/// written at `dir/out`, one after the other: the report page names the directory it was
/// written from, the one difference a path makes.
fn moved(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::rename(dir.join("out"), &to).unwrap();
    to
}

/// Every file of a result directory — raw table, manifest, journal, tournament copy, series and
/// reports — is byte-identical with one job or two, and when shards are merged, whole or one
/// shard first and the rest played by a resume. Two jobs append the journal's matches in the
/// order they finish, not the plan's: it is put in plan order once the raw table is written.
#[test]
fn jobs_and_shards_give_identical_bytes() {
    let dir = scratch("jobs");
    let yaml = write_uneven_tournament(&dir);
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    play(y, &at, &["--jobs", "1"]);
    let one = moved(&dir, "one");
    play(y, &at, &["--jobs", "2"]);
    let two = moved(&dir, "two");
    assert_same_dirs(&one, &two);
    let raw = String::from_utf8(std::fs::read(one.join("raw.csv")).unwrap()).unwrap();
    // 6 pairings × 2 mechanisms = 12 matches, 2 rows each, plus the header.
    assert_eq!(raw.lines().count(), 1 + 24);
    assert!(raw.lines().skip(1).all(|l| l.contains(",ok,")), "{raw}");
    // The journal: its header and the 24 rows, in the raw table's order.
    let journal = std::fs::read_to_string(one.join("journal.jsonl")).unwrap();
    let order: Vec<(u64, u64)> = journal
        .lines()
        .skip(1)
        .map(|l| {
            let row: serde_json::Value =
                serde_json::from_str(l.rsplit_once('\t').unwrap().0).unwrap();
            (
                row["match_index"].as_u64().unwrap(),
                row["slot"].as_u64().unwrap(),
            )
        })
        .collect();
    let planned: Vec<(u64, u64)> = (0..12).flat_map(|m| [(m, 0), (m, 1)]).collect();
    assert_eq!(order, planned);
    assert_eq!(std::fs::read_dir(one.join("series")).unwrap().count(), 12);

    let (s0, s1) = (dir.join("s0"), dir.join("s1"));
    play(y, &s0, &["--shard", "0/2", "--jobs", "2"]);
    play(y, &s1, &["--shard", "1/2", "--jobs", "2"]);
    let (s0, s1, to) = (
        s0.to_str().unwrap(),
        s1.to_str().unwrap(),
        at.to_str().unwrap(),
    );
    run(&["merge", s0, s1, "--out", to]);
    let merged = moved(&dir, "merged");
    assert_same_dirs(&one, &merged);
    // Reports were built from the merged table.
    assert!(merged.join("reports").join("summary.md").is_file());
    // One shard merged alone (6 of 12 matches, no reports), the other 6 played by a resume.
    run(&["merge", s0, "--out", to]);
    assert!(!at.join("reports").exists());
    play(y, &at, &["--resume", "--jobs", "2"]);
    assert_same_dirs(&one, &moved(&dir, "resumed"));
}

/// Every mechanism (chain eras and counterfactuals, with the by-share alpha emission too) plays
/// through the CLI, every row ok, byte-identical whatever `--jobs`.
#[test]
fn every_mechanism_plays_and_is_deterministic_across_jobs() {
    let dir = scratch("mechanisms");
    let mut mechanisms: Vec<String> = tourney_sdk::Mechanism::ALL
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    mechanisms.push("{name: objective, alpha_emission: by-share}".into());
    let yaml = format!(
        "name: mechs\nseed: 4\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [{}]\n\
         format: melee\nhorizon_days: 0.5\nnetwork:\n  background_subnets: 5\n",
        strategy_crate("meme-farmer"),
        strategy_crate("momentum-speculator"),
        mechanisms.join(", "),
    );
    let (one, _) = same_outputs_with_one_and_two_jobs(&dir, &yaml);
    let raw = String::from_utf8(std::fs::read(one.join("raw.csv")).unwrap()).unwrap();
    // One melee per mechanism variant, two entrants each, plus the header.
    assert_eq!(raw.lines().count(), 1 + 2 * mechanisms.len(), "{raw}");
    assert!(raw.lines().skip(1).all(|l| l.contains(",ok,")), "{raw}");
    for m in ["taoflow-net", "dtao-price-burn", "objective+alpha-by-share"] {
        assert!(raw.contains(&format!(",{m},")), "{m} missing:\n{raw}");
    }
}

/// The engine's block kernel is compiled for the baseline CPU, AVX2 and AVX-512, and runs the
/// widest the CPU has: a tournament of every mechanism (constant-product pools under E1–E4, E5's
/// weighted pools, protocol flow under `taoflow-net`) gives the same bytes — raw table, manifest
/// and every match's price series — with every kernel this CPU can run (`TOURNEY_SIMD` forces
/// each; on a CPU with none of the vector kernels the test still checks determinism), and a
/// kernel the CPU lacks, or an unknown name, is refused with exit code 2.
#[test]
fn every_block_kernel_gives_identical_bytes() {
    use tourney_engine::network::Simd;
    let dir = scratch("simd");
    let mechanisms: Vec<&str> = tourney_sdk::Mechanism::ALL
        .iter()
        .map(|m| m.name())
        .collect();
    assert!(mechanisms.contains(&"dtao-price-burn"), "{mechanisms:?}");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: kernels\nseed: 9\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [{}]\n\
             format: melee\nhorizon_days: 1\nnetwork:\n  background_subnets: 6\n\
             outputs:\n  series: true\n  series_interval_blocks: 60\n",
            strategy_crate("root-staker"),
            strategy_crate("momentum-speculator"),
            mechanisms.join(", "),
        ),
    )
    .unwrap();
    let y = yaml.to_str().unwrap();
    let detected = dir.join("detected");
    play(y, &detected, &[]);
    let series = |out: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out.join("series"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let detected_series = series(&detected);
    assert_eq!(detected_series.len(), mechanisms.len());
    for simd in Simd::available() {
        let forced = dir.join(simd.name());
        let out = tourney()
            .args(["run", y, "--quiet", "--out", forced.to_str().unwrap()])
            .env("TOURNEY_SIMD", simd.name())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            simd.name(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same_outputs(&detected, &forced);
        assert!(
            series(&forced) == detected_series,
            "{}: series differ",
            simd.name()
        );
    }
    let unsupported = Simd::ALL.iter().find(|s| !s.supported());
    for name in ["sse9"].into_iter().chain(unsupported.map(|s| s.name())) {
        let out = tourney()
            .args([
                "run",
                y,
                "--quiet",
                "--out",
                dir.join("refused").to_str().unwrap(),
            ])
            .env("TOURNEY_SIMD", name)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("TOURNEY_SIMD={name}")) && stderr.contains("baseline"),
            "{name}: {stderr}"
        );
    }
}

/// A run killed with `kill -9` and resumed with another job count writes every file a run
/// that was never stopped writes, the journal and the series included.
#[test]
fn resume_after_kill_gives_the_same_bytes() {
    let dir = scratch("resume");
    let yaml = write_tournament(&dir, 4, 3.0);
    with_series(&yaml);
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    play(y, &at, &["--jobs", "1"]);
    let full = moved(&dir, "full");

    // Start the same run, kill -9 it once the journal holds at least one match.
    let mut child = tourney()
        .args([
            "run",
            y,
            "--quiet",
            "--jobs",
            "1",
            "--out",
            at.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    let journal = at.join("journal.jsonl");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let lines = std::fs::read_to_string(&journal)
            .map(|s| s.lines().count())
            .unwrap_or(0);
        if lines >= 2 || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    let kept = std::fs::read_to_string(&journal).unwrap().lines().count();
    assert!(kept >= 2, "the journal should hold the finished matches");
    // Simulate a torn last write too.
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str("{\"tournament\":\"e2e\",\"match_ind");
    std::fs::write(&journal, text).unwrap();

    let out = run(&[
        "run",
        y,
        "--resume",
        "--jobs",
        "2",
        "--out",
        at.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("resuming"), "{stderr}");
    // The torn line is gone from the journal too.
    assert_same_dirs(&full, &moved(&dir, "killed"));
}

/// Read a child's stderr up to the test hook's line for `point` (`src/test_hook.rs`); false if
/// it ended first.
fn paused_at(stderr: &mut BufReader<ChildStderr>, point: &str) -> bool {
    let expected = format!("test hook: paused at {point}");
    stderr
        .lines()
        .any(|line| line.is_ok_and(|l| l.contains(&expected)))
}

/// A child killed and reaped when dropped: a test failing while the child is parked by the
/// test hook leaves no process behind (holding the test's output open, which cargo waits on).
struct Parked(std::process::Child);

impl Drop for Parked {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `tourney ARGS`, parked by the test hook just after it took its result directory's lock
/// (until the file `go` exists, or for good without one), and its stderr after the hook's line.
fn parked_at_lock(args: &[&str], go: Option<&Path>) -> (Parked, BufReader<ChildStderr>) {
    let mut command = tourney();
    command
        .args(args)
        .env("TOURNEY_TEST_PAUSE_AT", "dir-locked")
        .stderr(Stdio::piped());
    if let Some(go) = go {
        command.env("TOURNEY_TEST_PAUSE_UNTIL", go);
    }
    let mut parked = Parked(command.spawn().unwrap());
    let mut stderr = BufReader::new(parked.0.stderr.take().unwrap());
    assert!(paused_at(&mut stderr, "dir-locked"), "the run never locked");
    (parked, stderr)
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Two processes never write one result directory (`src/dir_lock.rs`). While a resume holds
/// it — parked by the test hook just after taking the directory's lock, with half the plan
/// done and a series file of its own being written — a fresh run, a resume, a merge and a
/// report into it are each refused with one line and exit 2, and change no file there (a second
/// run's start-up used to delete the first's live series files, and the first then died). The
/// first run then finishes with the bytes of an undisturbed one. And a run killed with kill -9
/// while it holds the lock blocks nothing: the resume after it gives the same bytes.
#[test]
fn a_directory_in_use_is_refused_to_a_second_process_and_freed_by_a_kill() {
    let dir = scratch("lock");
    let yaml = write_tournament(&dir, 1, 0.5);
    with_series(&yaml);
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    let to = at.to_str().unwrap();
    play(y, &at, &["--jobs", "1"]);
    let full = moved(&dir, "full");
    let other = dir.join("s1");
    play(y, &other, &["--shard", "1/2"]);
    let other = other.to_str().unwrap();
    // Half the plan played: what the first run resumes.
    play(y, &at, &["--shard", "0/2"]);
    let go = dir.join("go");
    let (mut first, mut stderr) = parked_at_lock(
        &["run", y, "--resume", "--quiet", "--jobs", "1", "--out", to],
        Some(&go),
    );
    // A series the first run is writing (named with its pid, as `series::temp_path` names it).
    let live = at
        .join("series")
        .join(format!(".m.csv.{}.partial", first.0.id()));
    std::fs::write(&live, "time,subnet\n").unwrap();
    let before = contents(&at);
    assert!(before.len() > 5, "{before:?}");
    for args in [
        vec!["run", y, "--quiet", "--out", to],
        vec!["run", y, "--quiet", "--out", to, "--resume"],
        vec!["merge", other, "--quiet", "--out", to],
        vec!["report", to],
    ] {
        let refusal = format!("{to} is in use by another tourney process");
        let message = fails(&args, 2, &[refusal.as_str(), ".tourney.lock"]);
        let errors = message.lines().filter(|l| l.starts_with("error")).count();
        assert_eq!(errors, 1, "one clear line: {message}");
        assert!(
            contents(&at) == before,
            "tourney {args:?} changed the files of the run in progress"
        );
    }
    std::fs::write(&go, "").unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(first.0.wait().unwrap().success(), "{rest}");
    // The run cleared its own half-written series at its start, as a resume does.
    assert_same_dirs(&full, &moved(&dir, "resumed"));

    // Killed while holding the lock: the kernel releases it.
    play(y, &at, &["--shard", "0/2"]);
    let (killed, _) = parked_at_lock(
        &["run", y, "--resume", "--quiet", "--jobs", "1", "--out", to],
        None,
    );
    drop(killed); // SIGKILL
    play(y, &at, &["--resume", "--jobs", "2"]);
    assert_same_dirs(&full, &moved(&dir, "killed"));
}

/// An isolated worker reads the tournament file again for its match. Edited while the run
/// plays, it would be another tournament's match under this run's journal and manifest (here
/// other seeds): the worker refuses text other than what the run loaded, and the run stops
/// (exit 1) journalling nothing of it. With the file put back, `--resume` finishes the run with
/// the bytes of an undisturbed one.
#[test]
fn an_isolated_run_stops_when_its_tournament_file_is_edited() {
    let dir = scratch("edited");
    let yaml = write_tournament(&dir, 1, 0.2);
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    let to = at.to_str().unwrap();
    play(y, &at, &["--isolate", "--jobs", "1"]);
    let full = moved(&dir, "full");
    let go = dir.join("go");
    let (mut edited, mut stderr) = parked_at_lock(
        &["run", y, "--isolate", "--quiet", "--jobs", "1", "--out", to],
        Some(&go),
    );
    // The run has loaded the file; its workers have not read it yet.
    let original = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, original.replace("seed: 9", "seed: 10")).unwrap();
    std::fs::write(&go, "").unwrap();
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert_eq!(edited.0.wait().unwrap().code(), Some(1), "{rest}");
    assert!(rest.contains("changed since the run began"), "{rest}");
    let journal = std::fs::read_to_string(at.join("journal.jsonl")).unwrap();
    assert_eq!(journal.lines().count(), 1, "only the header: {journal}");
    std::fs::write(&yaml, original).unwrap();
    play(y, &at, &["--resume", "--isolate", "--jobs", "1"]);
    assert_same_dirs(&full, &moved(&dir, "resumed"));
}

/// A kill while the journal is put in plan order loses nothing: until the new journal (written
/// beside it, synced) is renamed over the old one, the old one stands, whole, and a resume
/// reads it. The test hook parks the run at that instant: the raw table written, the new
/// journal beside the old one.
#[test]
fn a_kill_while_the_journal_is_put_in_order_loses_nothing() {
    let dir = scratch("rewrite-kill");
    let yaml = write_tournament(&dir, 1, 0.5);
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    play(y, &at, &["--jobs", "1"]);
    let full = moved(&dir, "full");
    // What a kill and a resume with two jobs may leave: 6 matches in reverse plan order, a
    // damaged line among them.
    let lines: Vec<String> = std::fs::read_to_string(full.join("journal.jsonl"))
        .unwrap()
        .lines()
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(lines.len(), 1 + 12);
    let mut scrambled = lines[0].clone();
    for (k, pair) in lines[1..].chunks(2).rev().enumerate() {
        scrambled.push_str(&pair.concat());
        if k == 2 {
            scrambled.push_str("{\"tournament\":\"e2e\",\"match_ind\n");
        }
    }
    std::fs::create_dir_all(&at).unwrap();
    let journal = at.join("journal.jsonl");
    std::fs::write(&journal, &scrambled).unwrap();
    let resume = || {
        let mut c = tourney();
        c.args(["run", y, "--resume", "--jobs", "2", "--out"])
            .arg(&at);
        c
    };
    let mut child = resume()
        .env("TOURNEY_TEST_PAUSE_AT", "journal-rewritten-aside")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let paused = std::io::BufReader::new(child.stderr.take().unwrap())
        .lines()
        .any(|l| {
            l.unwrap()
                .contains("test hook: paused at journal-rewritten-aside")
        });
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(paused, "the run never reached the rewrite");
    // The old journal untouched; the new one beside it, whole and in plan order.
    assert!(std::fs::read_to_string(&journal).unwrap() == scrambled);
    let aside = at.join("journal.jsonl.tmp");
    assert!(std::fs::read(&aside).unwrap() == std::fs::read(full.join("journal.jsonl")).unwrap());
    let out = common::succeeds(&mut resume());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("dropped 1 damaged line(s)")
            && stderr.contains("resuming: 6 matches already done, 0 to play"),
        "{stderr}"
    );
    assert!(!aside.exists());
    assert_same_dirs(&full, &moved(&dir, "resumed"));
}

/// Matches that fail (error rows: a plugin that aborts, under isolation) and forfeits are
/// complete matches: the journal in plan order keeps them, a resume afterwards plays nothing,
/// and every file is the same with one job or two, resumed or not.
#[test]
fn failed_matches_stay_in_the_journal_and_a_resume_afterwards_plays_nothing() {
    let dir = scratch("failed");
    let broken = strategy_crate("testing/broken-plugin");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: failed\nseed: 3\nentrants:\n  - crate: {}\n  \
             - {{name: aborts, crate: {broken}, params: {{mode: abort-in-decide}}}}\n  \
             - {{name: panics, crate: {broken}, params: {{mode: panic-in-decide}}}}\n\
             mechanisms: [dtao-price]\nhorizon_days: 0.3\nrepetitions: 2\n\
             network:\n  background_subnets: 3\n",
            strategy_crate("root-staker"),
        ),
    )
    .unwrap();
    let y = yaml.to_str().unwrap();
    let at = dir.join("out");
    play(y, &at, &["--isolate", "--jobs", "1"]);
    let one = moved(&dir, "one");
    let raw = std::fs::read_to_string(one.join("raw.csv")).unwrap();
    // 3 entrants: 6 pairings × 2 repetitions = 12 matches, 24 rows; every match with `aborts`
    // (3 pairings) failed, both rows error.
    assert_eq!(raw.lines().count(), 1 + 24);
    assert_eq!(
        raw.lines().filter(|l| l.contains(",error,")).count(),
        2 * 3 * 2
    );
    play(y, &at, &["--isolate", "--jobs", "2"]);
    let resumed = common::succeeds(
        tourney()
            .args(["run", y, "--resume", "--isolate", "--jobs", "2", "--out"])
            .arg(&at),
    );
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(
        stderr.contains("resuming: 12 matches already done, 0 to play"),
        "{stderr}"
    );
    assert_same_dirs(&one, &moved(&dir, "two"));
}

fn expect_input_error(dir: &Path, name: &str, yaml: &str, expected: &[&str]) {
    let path = dir.join(name);
    std::fs::write(&path, yaml).unwrap();
    input_error(&path, expected);
}

#[test]
fn malformed_yaml_is_located_and_exits_2() {
    let dir = scratch("bad");
    let root = strategy_crate("root-staker");
    let ok_head = format!("name: bad\nentrants:\n  - crate: {root}\n");
    expect_input_error(
        &dir,
        "wrong-type.yaml",
        &format!("{ok_head}mechanisms: [dtao-price]\nrepetitions: many\n"),
        &["wrong-type.yaml:5:14", "repetitions", "invalid type"],
    );
    expect_input_error(
        &dir,
        "unknown-field.yaml",
        &format!("{ok_head}mechanisms: [dtao-price]\nnetwork:\n  backgrund_subnets: 3\n"),
        &[
            "unknown-field.yaml:6:3",
            "network",
            "unknown field `backgrund_subnets`",
        ],
    );
    expect_input_error(
        &dir,
        "indent.yaml",
        &format!("{ok_head}mechanisms: [dtao-price]\nnetwork:\n  background_subnets: 3\n   tempo_blocks: 5\n"),
        &["indent.yaml:6:", "network.background_subnets", "invalid type"],
    );
    expect_input_error(
        &dir,
        "mechanism.yaml",
        &format!("{ok_head}mechanisms: [dtao-price, proof-of-meme]\n"),
        &[
            "mechanism.yaml:4:",
            "unknown mechanism `proof-of-meme`",
            "taoflow",
        ],
    );
    expect_input_error(
        &dir,
        "missing-plugin.yaml",
        "name: bad\nmechanisms: [dtao-price]\nentrants:\n  - plugin: no-such-strategy\n",
        &[
            "missing-plugin.yaml:4:5",
            "entrants[0].plugin",
            "no-such-strategy",
        ],
    );
    expect_input_error(
        &dir,
        "start-day.yaml",
        &format!("{ok_head}mechanisms: [dtao-price]\nschedules:\n  - {{name: x, start_day: -3}}\n"),
        &[
            "start-day.yaml:6:",
            "schedules[0]: start_day",
            "in [0, 3650], got -3",
        ],
    );
}

#[test]
fn isolation_turns_aborts_hangs_and_panics_into_marked_rows() {
    let dir = scratch("isolate");
    let broken = strategy_crate("testing/broken-plugin");
    let yaml = format!(
        "name: isolate\nseed: 1\nentrants:\n  - crate: {root}\n  \
         - {{name: aborts, crate: {broken}, params: {{mode: abort-in-decide}}}}\n  \
         - {{name: hangs, crate: {broken}, params: {{mode: hang-in-decide}}}}\n  \
         - {{name: panics, crate: {broken}, params: {{mode: panic-in-decide}}}}\n\
         mechanisms: [dtao-price]\nhorizon_days: 0.5\nnetwork:\n  background_subnets: 4\n",
        root = strategy_crate("root-staker"),
    );
    let path = dir.join("isolate.yaml");
    std::fs::write(&path, &yaml).unwrap();
    let out = dir.join("out");
    play(
        path.to_str().unwrap(),
        &out,
        &["--isolate", "--timeout", "3", "--jobs", "4"],
    );
    let raw = std::fs::read_to_string(out.join("raw.csv")).unwrap();
    let rows: Vec<&str> = raw.lines().skip(1).collect();
    // 4 entrants: 10 pairings, 20 rows: the table is complete.
    assert_eq!(rows.len(), 20, "{raw}");
    let row_of = |a: &str, b: &str| {
        rows.iter()
            .find(|l| l.contains(&format!(",{a},{b},")))
            .unwrap_or_else(|| panic!("no row {a} vs {b}"))
            .to_string()
    };
    assert!(row_of("root-staker", "root-staker").contains(",ok,"));
    let aborted = row_of("root-staker", "aborts");
    assert!(
        aborted.contains(",error,") && aborted.contains("signal 6"),
        "{aborted}"
    );
    let hung = row_of("hangs", "root-staker");
    assert!(
        hung.contains(",error,") && hung.contains("timed out"),
        "{hung}"
    );
    // A panic is caught inside the worker: the panicking entrant forfeits, its opponent is ok.
    let panicked = row_of("panics", "root-staker");
    assert!(
        panicked.contains(",forfeit,") && panicked.contains("panic"),
        "{panicked}"
    );
    assert!(row_of("root-staker", "panics").contains(",ok,"));
}

/// A run bigger than one Parquet row group (4,096 rows): rows are streamed from the journal into
/// the raw table in plan order, whatever order the matches finished in, so `--jobs 1` and
/// `--jobs 2` write the same bytes, reports included; and the report tables of the same rows
/// in another order (read from a CSV without plan order, sorted by match before the passes)
/// are the same files.
#[test]
fn a_run_of_several_row_groups_is_identical_across_jobs_and_row_orders() {
    let dir = scratch("row-groups");
    // 3 pairings × 700 repetitions = 2,100 matches, 4,200 rows: two row groups.
    let yaml = format!(
        "name: groups\nseed: 11\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [dtao-price]\n\
         horizon_days: 0.05\nrepetitions: 700\nnetwork:\n  background_subnets: 2\n",
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
    );
    let (one, two) = same_outputs_with_one_and_two_jobs(&dir, &yaml);
    let raw = std::fs::read_to_string(one.join("raw.csv")).unwrap();
    assert_eq!(raw.lines().count(), 1 + 4200);
    let report_files = [
        "payoff.csv",
        "summary.csv",
        "network.csv",
        "equilibria.csv",
        "metagame.json",
        "summary.md",
    ];
    for f in report_files {
        assert!(
            std::fs::read(one.join("reports").join(f)).unwrap()
                == std::fs::read(two.join("reports").join(f)).unwrap(),
            "reports/{f} differs between --jobs 1 and 2"
        );
    }
    // The same rows, last first: out of plan order, so the report sorts them by match.
    let reversed = dir.join("reversed");
    std::fs::create_dir_all(&reversed).unwrap();
    let mut lines: Vec<&str> = raw.lines().collect();
    lines[1..].reverse();
    std::fs::write(reversed.join("raw.csv"), lines.join("\n") + "\n").unwrap();
    // With the run's manifest: a raw table without one is not a result directory.
    std::fs::copy(one.join("manifest.json"), reversed.join("manifest.json")).unwrap();
    run(&["report", reversed.to_str().unwrap(), "--no-plots"]);
    for f in report_files {
        assert!(
            std::fs::read(one.join("reports").join(f)).unwrap()
                == std::fs::read(reversed.join("reports").join(f)).unwrap(),
            "reports/{f} differs when the rows come in another order"
        );
    }
}

/// Write `yaml` as `dir/t.yaml`, run it in process with `--jobs 1` and `--jobs 2` (into
/// `dir/one` and `dir/two`), check the two give the same bytes, and return both folders.
fn same_outputs_with_one_and_two_jobs(dir: &Path, yaml: &str) -> (PathBuf, PathBuf) {
    let path = dir.join("t.yaml");
    std::fs::write(&path, yaml).unwrap();
    let y = path.to_str().unwrap();
    let (one, two) = (dir.join("one"), dir.join("two"));
    for (jobs, out) in [("1", &one), ("2", &two)] {
        play(y, out, &["--no-isolate", "--jobs", jobs]);
    }
    assert_same_outputs(&one, &two);
    (one, two)
}

/// glibc's tunable that hides FMA and AVX2 from its own dispatch, so that this process computes
/// `exp`, `pow` … with the x86-64 variants a CPU without those instructions would use.
const WITHOUT_FMA: (&str, &str) = ("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2,-FMA");

/// Whether this machine has two math libraries to compare: glibc on an x86-64 CPU with FMA and
/// AVX2, whose variants with and without them differ in about 1 result in 1,500.
fn has_two_glibc_variants() -> bool {
    #[cfg(all(target_arch = "x86_64", target_env = "gnu"))]
    {
        std::is_x86_feature_detected!("fma") && std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(all(target_arch = "x86_64", target_env = "gnu")))]
    {
        false
    }
}

/// Shards computed on machines whose math libraries give other bits are not merged, and a
/// journal is not resumed on such a machine; with the same library both work.
#[test]
fn results_of_machines_that_compute_differently_are_not_mixed() {
    let dir = scratch("math");
    let yaml = write_tournament(&dir, 1, 0.2);
    let y = yaml.to_str().unwrap();
    let (s0, s1, merged) = (dir.join("s0"), dir.join("s1"), dir.join("merged"));
    play(y, &s0, &["--shard", "0/2"]);
    let other_machine = |args: &[&str]| {
        tourney()
            .env(WITHOUT_FMA.0, WITHOUT_FMA.1)
            .args(args)
            .output()
            .unwrap()
    };
    let s1_run = other_machine(&[
        "run",
        y,
        "--quiet",
        "--shard",
        "1/2",
        "--out",
        s1.to_str().unwrap(),
    ]);
    assert!(
        s1_run.status.success(),
        "{}",
        String::from_utf8_lossy(&s1_run.stderr)
    );
    let fingerprint = |d: &Path| {
        let text = std::fs::read_to_string(d.join("manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        manifest["math_fingerprint"].as_str().unwrap().to_string()
    };
    let differ = fingerprint(&s0) != fingerprint(&s1);
    if has_two_glibc_variants() {
        assert!(
            differ,
            "glibc's variants with and without FMA compute alike?"
        );
    }
    let merge = tourney()
        .args(["merge", s0.to_str().unwrap(), s1.to_str().unwrap(), "--out"])
        .arg(&merged)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&merge.stderr);
    let resume = other_machine(&[
        "run",
        y,
        "--quiet",
        "--shard",
        "0/2",
        "--resume",
        "--out",
        s0.to_str().unwrap(),
    ]);
    let resume_stderr = String::from_utf8_lossy(&resume.stderr);
    if differ {
        assert_eq!(merge.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("math library gives other bits"), "{stderr}");
        assert!(!merged.join("raw.csv").exists());
        assert_eq!(resume.status.code(), Some(2), "{resume_stderr}");
        assert!(
            resume_stderr.contains("math library gives other bits"),
            "{resume_stderr}"
        );
    } else {
        assert!(merge.status.success(), "{stderr}");
        assert!(resume.status.success(), "{resume_stderr}");
    }
}
