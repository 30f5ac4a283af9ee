//! Real Slurm (the one-node cluster of `scripts/slurm-one-node.sh`, which CI starts before the
//! tests): the job array of `docs/scaling.md`, run verbatim, must merge to the bytes of one
//! `tourney run`, and a batch through the Slurm executor must give the bytes of the local one. Without a reachable cluster
//! (`sinfo` fails) the test prints a notice and returns, so a laptop without Slurm stays green.

mod common;
use common::{assert_same_outputs, scratch, strategy_crate, succeeds, tourney};
use std::path::Path;
use std::process::Command;

/// True when `sinfo` answers with at least one node (a controller is reachable); otherwise
/// prints the notice that the test is skipped.
fn slurm_reachable() -> bool {
    let reachable = match Command::new("sinfo").args(["-h", "-o", "%t"]).output() {
        Ok(out) => out.status.success() && !out.stdout.is_empty(),
        Err(_) => false,
    };
    if !reachable {
        eprintln!(
            "NOTICE: tests/slurm.rs skipped: no Slurm cluster reachable (`sinfo` failed); \
             start one with `scripts/slurm-one-node.sh start`"
        );
    }
    reachable
}

/// The ```` ```bash ```` blocks of the section of `doc` headed `heading`, in order, verbatim.
fn bash_blocks(doc: &str, heading: &str) -> Vec<String> {
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("no section `## {heading}`"));
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in section.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```bash") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

/// A tiny tournament: 2 entrants (3 pairings) × 2 mechanisms × 2 repetitions = 12 matches.
fn small_tournament(path: &Path, seed: u64) {
    std::fs::write(
        path,
        format!(
            "name: slurm\nseed: {seed}\nentrants:\n  - crate: {}\n  - crate: {}\n\
             mechanisms: [dtao-price, taoflow]\nhorizon_days: 1\nrepetitions: 2\n\
             network:\n  background_subnets: 6\n",
            strategy_crate("root-staker"),
            strategy_crate("momentum-speculator"),
        ),
    )
    .unwrap();
}

/// `PATH` with the directory of the `tourney` binary under test first, so the job script's
/// `tourney` is this build.
fn path_with_tourney() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_tourney"));
    let dir = bin.parent().unwrap().display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

#[test]
fn scaling_doc_job_array_through_real_sbatch_merges_to_one_runs_bytes() {
    if !slurm_reachable() {
        return;
    }
    let doc = include_str!("../docs/scaling.md");
    let blocks = bash_blocks(doc, "Slurm job array");
    assert_eq!(
        blocks.len(),
        2,
        "job script and submit commands: {blocks:?}"
    );
    let (job_script, submit) = (&blocks[0], &blocks[1]);
    // The submit block's first line names the doc's tournament and shared directory; the test
    // sets its own in the environment instead and runs the rest verbatim.
    let (first, rest) = submit.split_once('\n').unwrap();
    assert!(first.starts_with("export YAML="), "{first}");
    assert!(rest.contains("sbatch --wait tourney-array.sh"), "{rest}");

    let dir = scratch("array");
    // 12 matches over 4 shards.
    let yaml = dir.join("t.yaml");
    small_tournament(&yaml, 5);
    std::fs::write(dir.join("tourney-array.sh"), job_script).unwrap();
    let out = dir.join("results");

    let status = Command::new("bash")
        .args(["-euo", "pipefail", "-c", rest])
        .current_dir(&dir)
        .env("PATH", path_with_tourney())
        .env("YAML", &yaml)
        .env("OUT", &out)
        .env("SBATCH_ARRAY_INX", "0-3")
        .status()
        .unwrap();
    assert!(status.success(), "the doc's submit block failed: {status}");
    for i in 0..4 {
        assert!(
            out.join(format!("shard-{i}")).join("raw.csv").is_file(),
            "shard {i} did not run"
        );
    }

    let single = dir.join("single");
    succeeds(
        tourney()
            .arg("run")
            .arg(&yaml)
            .args(["--quiet", "--out"])
            .arg(&single),
    );
    assert_same_outputs(&out.join("all"), &single);
    let raw = std::fs::read_to_string(single.join("raw.csv")).unwrap();
    // 12 matches, 2 rows each, plus the header; every row played.
    assert_eq!(raw.lines().count(), 1 + 24);
    assert!(raw.lines().skip(1).all(|l| l.contains(",ok,")), "{raw}");
}

/// The search's executors: one batch of two tournaments run locally and as one Slurm job array
/// (2 tournaments × 3 shards = 6 array tasks, merged per tournament) gives the same bytes.
#[test]
fn a_batch_through_the_slurm_executor_gives_the_local_executors_bytes() {
    if !slurm_reachable() {
        return;
    }
    let dir = scratch("batch");
    let (a, b) = (dir.join("a.yaml"), dir.join("b.yaml"));
    small_tournament(&a, 11);
    small_tournament(&b, 12);
    let batch = |executor: &[&str], out: &Path| {
        let args = ["--quiet", "--out"];
        let mut command = tourney();
        command.current_dir(&dir).arg("batch").arg(&a).arg(&b);
        succeeds(command.args(args).arg(out).args(executor));
    };
    let (local, slurm) = (dir.join("local"), dir.join("slurm"));
    batch(&["--executor", "local", "--jobs", "2"], &local);
    batch(&["--executor", "slurm", "--shards", "3"], &slurm);
    for name in ["0-a", "1-b"] {
        assert_same_outputs(&local.join(name), &slurm.join(name));
        for i in 0..3 {
            assert!(slurm
                .join(format!("{name}.shard-{i}"))
                .join("journal.jsonl")
                .is_file());
        }
    }
    // The two tournaments differ (different seeds): the comparison compared something.
    assert!(
        std::fs::read(local.join("0-a/raw.csv")).unwrap()
            != std::fs::read(local.join("1-b/raw.csv")).unwrap()
    );
    // A finished batch is not run again: a second submission leaves the results as they are
    // and starts no array (no new task log appears).
    let logs = |d: &Path| {
        std::fs::read_dir(d)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("slurm-")
            })
            .count()
    };
    let before = logs(&slurm);
    assert_eq!(before, 6, "one log per array task");
    batch(&["--executor", "slurm", "--shards", "3"], &slurm);
    assert_eq!(logs(&slurm), before);
    assert_same_outputs(&local.join("0-a"), &slurm.join("0-a"));
}

/// `tourney search --executor slurm` (each batch one job array of shards) gives the bytes of
/// `--executor local`.
#[test]
fn a_search_through_slurm_gives_the_local_searchs_bytes() {
    if !slurm_reachable() {
        return;
    }
    let dir = scratch("search");
    let file = tiny_search::write_search(&dir);
    let run = |extra: &[&str], out: &Path| {
        let mut command = tourney();
        command.current_dir(&dir).arg("search").arg(&file);
        succeeds(command.arg("--out").arg(out).arg("--quiet").args(extra));
    };
    let (local, slurm) = (dir.join("local"), dir.join("slurm"));
    run(&["--executor", "local"], &local);
    run(&["--executor", "slurm", "--shards", "2"], &slurm);
    for f in [
        "points.csv",
        "points.parquet",
        "front.csv",
        "best.yaml",
        "summary.md",
    ] {
        let (x, y) = (
            std::fs::read(local.join(f)).unwrap(),
            std::fs::read(slurm.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between --executor local and slurm");
    }
    // The Slurm run played shards: every point result has its two shard directories.
    let shards = std::fs::read_dir(slurm.join("points"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".shard-")
        })
        .count();
    assert!(shards >= 2 * 4, "{shards}");
}

#[path = "support/tiny_search.rs"]
mod tiny_search;

/// An adaptive tournament through the Slurm executor: the shards play its first stage, and the
/// executor then plays the later stages from the merged journal (it stopped at the first
/// stage), giving the local executor's bytes.
#[test]
fn an_adaptive_tournament_through_the_slurm_executor_plays_its_later_stages() {
    if !slurm_reachable() {
        return;
    }
    let dir = scratch("adaptive");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            // A coin flip (two names for one strategy): the bootstrap keeps disagreeing, so
            // every profile is played `max` times, the later stages after the first.
            "name: adaptive\nseed: 11\nformat: roles\nroles:\n  - name: traders\n    players: 1\n    \
             plays: staker\n    strategies:\n      - {{name: heads, crate: {m}}}\n      - {{name: \
             tails, crate: {m}}}\nmechanisms: [dtao-price]\nhorizon_days: 1\n\
             repetitions: {{min: 2, max: 4, confidence: 0.999, batch: 2}}\nnetwork:\n  \
             background_subnets: 6\n",
            m = strategy_crate("root-staker"),
        ),
    )
    .unwrap();
    let batch = |executor: &[&str], out: &Path| {
        let mut command = tourney();
        command.current_dir(&dir).arg("batch").arg(&yaml);
        succeeds(command.args(["--quiet", "--out"]).arg(out).args(executor));
    };
    let (local, slurm) = (dir.join("local"), dir.join("slurm"));
    batch(&["--executor", "local", "--jobs", "2"], &local);
    batch(&["--executor", "slurm", "--shards", "2"], &slurm);
    assert_same_outputs(&local.join("0-t"), &slurm.join("0-t"));
    // The later stages were played: 2 profiles × 4 repetitions, one row each (the shards
    // alone play 2 × 2).
    let raw = std::fs::read_to_string(slurm.join("0-t/raw.csv")).unwrap();
    assert_eq!(raw.lines().count() - 1, 2 * 4, "{raw}");
    assert!(slurm.join("0-t/reports").is_dir());
}
