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
    use std::os::fd::FromRawFd;
    // A pipe whose read end is closed before the command starts, so its first line meets a
    // closed pipe whatever the machine's load (closing our end after spawning raced a fast
    // run, which could print everything into the pipe first).
    let mut ends = [0; 2];
    // SAFETY: pipe(2) fills the two descriptors; close(2) and from_raw_fd take ones we own.
    let stdout = unsafe {
        assert_eq!(libc::pipe(ends.as_mut_ptr()), 0);
        libc::close(ends[0]);
        std::process::Stdio::from_raw_fd(ends[1])
    };
    let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .args(["bench", "--subnets", "4", "--days", "0.2", "--repeat", "3"])
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}

/// `tourney bench FILE`: the economy a match file describes, its own subnets counted, the
/// flags overriding its values; a bad file is a located input error.
#[test]
fn bench_times_the_economy_a_match_file_describes() {
    let dir = std::env::temp_dir().join(format!("tourney-bench-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("economy.yaml");
    std::fs::write(
        &file,
        "seed: 3\nmechanism: taoflow\nflow_exponent: 1.5\nstart_day: 10\nhorizon_day: 40\n\
         network:\n  background_subnets: 2\nsubnets:\n  - {name: meme, pool_tao: 1000, price: 0.02}\n",
    )
    .unwrap();
    let bench = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tourney"))
            .arg("bench")
            .arg(&file)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = bench(&["--days", "0.1", "--repeat", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // Two background subnets and the file's own; 0.1 days from its start day: 720 blocks.
    assert!(
        text.starts_with("subnets: 3, days: 0.1, blocks: 720\n"),
        "{text}"
    );
    assert!(text.contains("\nmechanism: taoflow"), "{text}");
    let out = bench(&["--days", "0.1", "--repeat", "1", "--subnets", "5"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("subnets: 6, days: 0.1, blocks: 720\n"),
        "{text}"
    );

    // A value a flag set is blamed on the flag, not on the file's line.
    for (flags, expected) in [
        (
            ["--days", "5000"],
            "--days 5000: horizon_day: a match lasts at most 3650 days",
        ),
        (
            ["--days", "0"],
            "--days 0: horizon_day: horizon_day 10 is not after start_day 10",
        ),
        (
            ["--subnets", "100000"],
            "--subnets 100000: network.background_subnets",
        ),
    ] {
        let out = bench(&[flags[0], flags[1], "--repeat", "1"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("economy.yaml:"), "{stderr}");
    }

    // Bad input is located: a value of the wrong type, and a name the engine's own
    // deserializer checks (that one was reported at 1:1).
    for (text, expected) in [
        (
            "seed: 3\nhorizon_day: soon\n",
            "economy.yaml:2:14: horizon_day",
        ),
        (
            "seed: 3\nmechanism: nonsense\n",
            "economy.yaml:2:12: mechanism: unknown mechanism `nonsense`",
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        let out = bench(&["--repeat", "1"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
