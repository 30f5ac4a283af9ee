//! A hostile plugin stays in its box (issue 11, items 8–13): the modes of
//! `strategies/testing/broken-plugin` that print, flood, spawn children, abort or loop while
//! being created, exhaust memory or call `exit(0)`, run under `--isolate` (and `exit(0)` in
//! process too). Each test checks what the parent and the raw table must show.

mod common;
use common::{scratch, strategy_crate, tourney};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// root-staker and one broken-plugin entrant named `name` in `mode`: 3 pairings, 6 rows.
fn yaml_with(dir: &Path, name: &str, mode: &str) -> PathBuf {
    let text = format!(
        "name: iso\nseed: 3\nentrants:\n  - crate: {}\n  - {{name: {name}, crate: {}, params: {{mode: {mode}}}}}\n\
         mechanisms: [dtao-price]\nhorizon_days: 0.5\nnetwork:\n  background_subnets: 4\n",
        strategy_crate("root-staker"),
        strategy_crate("testing/broken-plugin"),
    );
    let path = dir.join(format!("{mode}.yaml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn run_isolated(yaml: &Path, out: &Path, extra: &[&str], pids: Option<&Path>) -> Output {
    let mut cmd = tourney();
    cmd.args([
        "run",
        yaml.to_str().unwrap(),
        "--isolate",
        "--quiet",
        "--jobs",
        "2",
    ])
    .args(extra)
    .arg("--out")
    .arg(out);
    if let Some(dir) = pids {
        cmd.env("BROKEN_PLUGIN_PID_DIR", dir);
    }
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The raw table's rows (without the header).
fn rows(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join("raw.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect()
}

fn row_of(rows: &[String], entrant: &str, opponent: &str) -> String {
    rows.iter()
        .find(|l| l.contains(&format!(",{entrant},{opponent},")))
        .unwrap_or_else(|| panic!("no row {entrant} vs {opponent}"))
        .clone()
}

/// The pids recorded by the plugin as `<what>-<pid>` files.
fn recorded(dir: &Path, what: &str) -> Vec<u32> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_prefix(&format!("{what}-"))?.parse().ok()
        })
        .collect()
}

/// Alive: `/proc/<pid>` exists and is not a zombie (a zombie is dead, waiting to be reaped).
fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z') && !state.starts_with('X')
        }
        Err(_) => false,
    }
}

/// Wait (bounded) for every pid to be gone; the kills are immediate, the bound only absorbs a
/// loaded machine's scheduling.
fn all_gone(pids: &[u32]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if pids.iter().all(|&p| !alive(p)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn printing_does_not_corrupt_results_and_floods_are_capped_into_the_reason() {
    let dir = scratch("print");
    let out = dir.join("out");
    run_isolated(
        &yaml_with(&dir, "printer", "print-in-decide"),
        &out,
        &[],
        None,
    );
    let r = rows(&out);
    assert_eq!(r.len(), 6);
    // stdout is not the result channel: a println in decide changes nothing.
    assert!(r.iter().all(|l| l.contains(",ok,")), "{r:?}");

    let out = dir.join("flood");
    run_isolated(&yaml_with(&dir, "flood", "flood-stdout"), &out, &[], None);
    let r = rows(&out);
    let flooded = row_of(&r, "flood", "root-staker");
    assert!(flooded.contains(",error,"), "{flooded}");
    // 32 MiB printed; the reason quotes the tail of what was kept, not the flood.
    assert!(flooded.contains("end of the flood"), "{flooded}");
    assert!(flooded.len() < 4_000, "{} bytes", flooded.len());
}

#[test]
fn a_plugins_children_die_with_its_match() {
    let dir = scratch("spawn");
    let pids = dir.join("pids");
    std::fs::create_dir_all(&pids).unwrap();
    // A child left running (sleep 60): the match ends without waiting for it, and it is killed.
    let out = dir.join("out");
    run_isolated(
        &yaml_with(&dir, "spawner", "spawn-child"),
        &out,
        &[],
        Some(&pids),
    );
    let r = rows(&out);
    assert!(row_of(&r, "spawner", "root-staker").contains(",ok,"));
    let children = recorded(&pids, "child");
    assert!(!children.is_empty());
    assert!(all_gone(&children), "children still running: {children:?}");

    // A child and a hang: the timeout kills the worker's whole group.
    let pids = dir.join("pids-hang");
    std::fs::create_dir_all(&pids).unwrap();
    let out = dir.join("hang");
    let yaml = yaml_with(&dir, "hanger", "spawn-child-and-hang");
    run_isolated(&yaml, &out, &["--timeout", "3"], Some(&pids));
    let hung = row_of(&rows(&out), "hanger", "root-staker");
    assert!(
        hung.contains(",error,") && hung.contains("timed out"),
        "{hung}"
    );
    let mut all = recorded(&pids, "child");
    all.extend(recorded(&pids, "worker"));
    assert!(!all.is_empty());
    assert!(all_gone(&all), "still running: {all:?}");
}

#[test]
fn an_abort_or_loop_in_create_is_a_clear_error_not_the_end_of_the_parent() {
    let dir = scratch("create");
    let yaml = yaml_with(&dir, "creator", "abort-in-create");
    for args in [
        vec!["validate", yaml.to_str().unwrap()],
        vec!["run", yaml.to_str().unwrap(), "--isolate", "--quiet"],
    ] {
        let out = tourney().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("entrants[1].params"), "{stderr}");
        assert!(stderr.contains("signal 6"), "{stderr}");
        assert!(stderr.contains("aborting in create"), "{stderr}");
    }
    let yaml = yaml_with(&dir, "looper", "loop-in-create");
    let out = tourney()
        .args(["validate", yaml.to_str().unwrap(), "--timeout", "3"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("entrants[1].params") && stderr.contains("timed out"),
        "{stderr}"
    );
}

#[test]
fn workers_die_with_their_parent() {
    let dir = scratch("orphans");
    let pids = dir.join("pids");
    // The parent's temporary directory: where named channel files would go.
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&pids).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    let yaml = yaml_with(&dir, "hangs", "hang-in-decide");
    let mut parent = tourney()
        .args([
            "run",
            yaml.to_str().unwrap(),
            "--isolate",
            "--quiet",
            "--timeout",
            "600",
        ])
        .arg("--out")
        .arg(dir.join("out"))
        .env("BROKEN_PLUGIN_PID_DIR", &pids)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait (bounded) for a worker to reach its hang.
    let deadline = Instant::now() + Duration::from_secs(300);
    while recorded(&pids, "worker").is_empty() {
        assert!(Instant::now() < deadline, "no worker reached the hang");
        std::thread::sleep(Duration::from_millis(50));
    }
    // A worker's channel has no name: with workers running there is no file of theirs for a
    // killed parent to leave behind (named channel files were left when the parent died
    // between a worker's answer and their removal).
    let channel_files = || -> Vec<String> {
        std::fs::read_dir(&tmp)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("tourney"))
            .collect()
    };
    assert_eq!(channel_files(), Vec::<String>::new());
    parent.kill().unwrap(); // SIGKILL: no cleanup code of the parent runs
    parent.wait().unwrap();
    let workers = recorded(&pids, "worker");
    assert!(
        all_gone(&workers),
        "orphaned workers still running: {workers:?}"
    );
    assert_eq!(channel_files(), Vec::<String>::new());
}

#[test]
fn memory_is_capped_and_the_failing_entrant_is_named() {
    let dir = scratch("memory");
    let out = dir.join("out");
    let yaml = yaml_with(&dir, "hog", "alloc-in-decide");
    run_isolated(&yaml, &out, &["--worker-memory", "1024"], None);
    let r = rows(&out);
    let hog = row_of(&r, "hog", "root-staker");
    assert!(
        hog.contains(",error,") && hog.contains("its plugin failed") && hog.contains("signal 6"),
        "{hog}"
    );
    assert!(hog.contains("memory allocation"), "{hog}");
    let victim = row_of(&r, "root-staker", "hog");
    assert!(
        victim.contains(",error,") && victim.contains("entrant `hog`'s plugin failed"),
        "{victim}"
    );
    assert!(row_of(&r, "root-staker", "root-staker").contains(",ok,"));
}

#[test]
fn a_plugin_calling_exit_is_detected_in_process_and_isolated() {
    let dir = scratch("exit");
    let yaml = yaml_with(&dir, "quitter", "exit-in-decide");
    let out = tourney()
        .args([
            "run",
            yaml.to_str().unwrap(),
            "--no-isolate",
            "--quiet",
            "--jobs",
            "1",
        ])
        .arg("--out")
        .arg(dir.join("in-process"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(70), "{stderr}");
    assert!(stderr.contains("exit()"), "{stderr}");

    let isolated = dir.join("isolated");
    run_isolated(&yaml, &isolated, &[], None);
    let quitter = row_of(&rows(&isolated), "quitter", "root-staker");
    assert!(
        quitter.contains(",error,") && quitter.contains("its plugin failed"),
        "{quitter}"
    );
    assert!(quitter.contains("exit()"), "{quitter}");
}

#[test]
fn a_worker_that_dies_mid_match_leaves_no_series_file() {
    // The worker streams the series to a temporary file as it plays (every block here, so
    // rows reach the disk before the abort at the second decision); the parent removes it.
    let dir = scratch("series");
    let out = dir.join("out");
    let yaml = yaml_with(&dir, "crasher", "abort-in-decide");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("outputs:\n  series: true\n  series_interval_blocks: 1\n");
    std::fs::write(&yaml, text).unwrap();
    run_isolated(&yaml, &out, &[], None);
    let r = rows(&out);
    let id = |row: &String| row.split(',').nth(2).unwrap().to_string();
    let ended: std::collections::BTreeSet<String> =
        r.iter().filter(|l| l.contains(",ok,")).map(id).collect();
    let failed: std::collections::BTreeSet<String> =
        r.iter().filter(|l| l.contains(",error,")).map(id).collect();
    assert_eq!((ended.len(), failed.len()), (1, 2), "{r:?}");
    let mut files: Vec<String> = std::fs::read_dir(out.join("series"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let expected: Vec<String> = ended
        .iter()
        .map(|id| tourney_reports::file_names::series_file_name(id))
        .collect();
    assert_eq!(
        files, expected,
        "the ended match's series alone, nothing partial"
    );
}
