//! `tourney bench`: the contract of its output (its speed is measured, never asserted).

use std::process::Command;

#[test]
fn bench_reports_the_median_of_its_runs_last() {
    let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .args(["bench", "--subnets", "4", "--days", "0.2", "--repeat", "3"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // 0.2 days × 7,200 blocks × 4 subnets per run.
    assert!(lines[0].contains("blocks: 1440"), "{text}");
    let mut runs: Vec<f64> = lines
        .iter()
        .filter(|l| l.starts_with("run "))
        .map(|l| {
            let rate = l.rsplit(", ").next().unwrap();
            rate.trim_end_matches(" subnet-blocks/s").parse().unwrap()
        })
        .collect();
    assert_eq!(runs.len(), 3, "{text}");
    runs.sort_by(f64::total_cmp);
    let last = lines.last().unwrap();
    let reported: f64 = last
        .strip_prefix("subnet_blocks_per_second: ")
        .unwrap_or_else(|| panic!("last line: {last}"))
        .parse()
        .unwrap();
    assert!(reported > 0.0);
    assert_eq!(reported, runs[1].round(), "{text}");
}

/// `tourney bench | head -1` (or any reader that stops early) ends the command quietly, with
/// the SIGPIPE status, never with a panic.
#[test]
fn a_closed_stdout_stops_the_command_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .args(["bench", "--subnets", "4", "--days", "0.2", "--repeat", "3"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the read end before the command has printed anything.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
