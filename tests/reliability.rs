//! Nothing lost, nothing silently wrong (issue 11, items 1–7 and 14–17), end to end through the
//! `tourney` binary: the journal's fingerprint, checksums and crash-safe resume; identities that
//! collide; merging shards of different plugin builds; torn raw tables; amounts, plan sizes and
//! inputs beyond their bounds; loader messages that keep their reason.

mod common;
use common::{assert_same_outputs, fails, play, run, scratch, strategy_crate, succeeds, tourney};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

/// 2 entrants (3 pairings) × 1 mechanism × 2 repetitions = 6 short matches.
fn small_yaml(seed: u64) -> String {
    format!(
        "name: rel\nseed: {seed}\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [dtao-price]\n\
         horizon_days: 0.5\nrepetitions: 2\nnetwork:\n  background_subnets: 4\n",
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run_to(yaml: &Path, out: &Path) {
    play(
        yaml.to_str().unwrap(),
        out,
        &["--no-isolate", "--jobs", "2"],
    );
}

fn resume(yaml: &Path, out: &Path) -> Output {
    tourney()
        .args([
            "run",
            yaml.to_str().unwrap(),
            "--resume",
            "--no-isolate",
            "--jobs",
            "2",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap()
}

/// The journal's lines (header first) as bytes, each with its newline.
fn journal_lines(dir: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(dir.join("journal.jsonl")).unwrap();
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// A journal cut to its header and the first `rows` row lines, as a kill would leave it.
fn cut_journal(from: &Path, to: &Path, rows: usize) {
    std::fs::create_dir_all(to).unwrap();
    let kept: Vec<u8> = journal_lines(from)
        .into_iter()
        .take(1 + rows)
        .flatten()
        .collect();
    std::fs::write(to.join("journal.jsonl"), kept).unwrap();
}

#[test]
fn resume_refuses_the_journal_of_another_tournament() {
    let dir = scratch("fingerprint");
    let yaml = write(&dir, "t.yaml", &small_yaml(9));
    let out = dir.join("out");
    run_to(&yaml, &out);
    let raw_before = std::fs::read(out.join("raw.csv")).unwrap();
    // The same file with another seed: a different tournament, whose rows must not be reused.
    let reseeded = write(&dir, "t.yaml", &small_yaml(10));
    let output = resume(&reseeded, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("belongs to another tournament"), "{stderr}");
    let errors = stderr.lines().filter(|l| l.starts_with("error")).count();
    assert_eq!(errors, 1, "one clear line: {stderr}");
    assert_eq!(std::fs::read(out.join("raw.csv")).unwrap(), raw_before);
    // Another file resumed in this directory: refused the same way.
    let other = write(
        &dir,
        "other.yaml",
        &small_yaml(9).replace("name: rel", "name: other"),
    );
    let output = resume(&other, &out);
    assert_eq!(output.status.code(), Some(2));
}

/// Resume a journal cut short (a kill mid-run), but kill -9 that resume at the instant it has
/// read the journal and is about to write — where older versions truncated and rewrote it —
/// five times over. The test hook (`TOURNEY_TEST_PAUSE_AT`, see `src/test_hook.rs`) parks the
/// process exactly there, so the kill lands in the window every time, however loaded the
/// machine. The journal must come through each kill byte for byte, and the final resume must
/// give a single run's bytes.
#[test]
fn kills_during_resume_never_lose_the_journal() {
    let dir = scratch("kill-resume");
    let yaml = write(&dir, "t.yaml", &small_yaml(9));
    let (full, killed) = (dir.join("full"), dir.join("killed"));
    run_to(&yaml, &full);
    // 2 matches of 6 (2 rows each) survived the first kill.
    cut_journal(&full, &killed, 4);
    let before = std::fs::read(killed.join("journal.jsonl")).unwrap();
    for attempt in 0..5 {
        let mut child = tourney()
            .args([
                "run",
                yaml.to_str().unwrap(),
                "--resume",
                "--quiet",
                "--no-isolate",
                "--out",
                killed.to_str().unwrap(),
            ])
            .env("TOURNEY_TEST_PAUSE_AT", "resume-journal-read")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut paused = false;
        for line in BufReader::new(child.stderr.take().unwrap()).lines() {
            if line
                .unwrap()
                .contains("test hook: paused at resume-journal-read")
            {
                paused = true;
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(
            paused,
            "attempt {attempt}: the resume never reached the window"
        );
        let now = std::fs::read(killed.join("journal.jsonl")).unwrap();
        assert!(
            now == before,
            "attempt {attempt}: the journal changed ({} bytes, was {})",
            now.len(),
            before.len()
        );
    }
    let output = resume(&yaml, &killed);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // 2 of 6 matches were kept, 4 played.
    assert!(
        stderr.contains("resuming: 2 matches already done, 4 to play"),
        "{stderr}"
    );
    assert_same_outputs(&full, &killed);
}

#[test]
fn damaged_journal_lines_are_dropped_counted_and_replayed() {
    let dir = scratch("checksum");
    let yaml = write(&dir, "t.yaml", &small_yaml(9));
    let (full, damaged) = (dir.join("full"), dir.join("damaged"));
    run_to(&yaml, &full);
    std::fs::create_dir_all(&damaged).unwrap();
    let mut lines = journal_lines(&full);
    // Line 1 (the first row): still valid JSON, a different profit — not to be trusted.
    let altered = String::from_utf8(lines[1].clone()).unwrap().replacen(
        "\"profit_tao\":",
        "\"profit_tao\":1",
        1,
    );
    lines[1] = altered.into_bytes();
    // Keep 4 rows, then a torn line cut inside a two-byte UTF-8 character.
    let mut bytes: Vec<u8> = lines.into_iter().take(5).flatten().collect();
    bytes.extend_from_slice(b"{\"tournament\":\"r\xc3");
    std::fs::write(damaged.join("journal.jsonl"), bytes).unwrap();
    let output = resume(&yaml, &damaged);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // The altered row and the torn line.
    assert!(stderr.contains("dropped 2 damaged line(s)"), "{stderr}");
    // Match 0 lost a row (replayed), match 1 is whole: 1 done, 5 to play.
    assert!(
        stderr.contains("resuming: 1 matches already done, 5 to play"),
        "{stderr}"
    );
    assert_same_outputs(&full, &damaged);
}

#[test]
fn colliding_identities_are_refused_naming_both() {
    let dir = scratch("identity");
    let head = "name: ids\nmechanisms: [dtao-price]\n";
    let cases = [
        (
            "entrants.yaml",
            format!("{head}entrants:\n  - {{name: x y, plugin: a}}\n  - {{name: x_y, plugin: b}}\n"),
            vec!["entrants[1].name", "`x_y`", "`x y`"],
        ),
        (
            "mechanisms.yaml",
            "name: ids\nentrants:\n  - plugin: a\nmechanisms: [dtao-price, taoflow, dtao-price]\n"
                .to_string(),
            vec!["mechanisms[2]", "`dtao-price`", "listed twice"],
        ),
        (
            "schedules.yaml",
            format!(
                "{head}entrants:\n  - plugin: a\nschedules:\n  - {{name: s, root: {{constant: 0.5}}}}\n  \
                 - {{name: s, root: {{constant: 0.1}}}}\n"
            ),
            vec!["schedules[1]", "`s`", "listed twice"],
        ),
    ];
    for (file, yaml, expected) in cases {
        let path = write(&dir, file, &yaml);
        // `--no-plugins`: the identities alone are wrong (the plugins named do not exist).
        fails(
            &["validate", "--no-plugins", path.to_str().unwrap()],
            2,
            &expected,
        );
        fails(&["run", path.to_str().unwrap()], 2, &expected);
    }
}

#[test]
fn merge_refuses_shards_played_with_another_plugin_build() {
    let dir = scratch("merge-build");
    // Build both strategies (a crate run does), then play each shard with a different library
    // copied to the same path: same YAML, a library swapped.
    let built = dir.join("built");
    run_to(&write(&dir, "build.yaml", &small_yaml(1)), &built);
    let release = Path::new(env!("CARGO_BIN_EXE_tourney")).parent().unwrap();
    let lib = dir.join("libswapped.so");
    let yaml = write(
        &dir,
        "t.yaml",
        &format!(
            "name: swap\nentrants:\n  - {{name: s, plugin: {}}}\nmechanisms: [dtao-price]\n\
             horizon_days: 0.5\nrepetitions: 2\nnetwork:\n  background_subnets: 4\n",
            lib.display()
        ),
    );
    let (s0, s1, merged) = (dir.join("s0"), dir.join("s1"), dir.join("merged"));
    for (shard, out, library) in [
        ("0/2", &s0, "libroot_staker.so"),
        ("1/2", &s1, "libmomentum_speculator.so"),
    ] {
        std::fs::copy(release.join(library), &lib).unwrap();
        play(
            yaml.to_str().unwrap(),
            out,
            &["--no-isolate", "--shard", shard],
        );
    }
    fails(
        &[
            "merge",
            s0.to_str().unwrap(),
            s1.to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ],
        2,
        &["different build of entrant `s`", "root-staker"],
    );
}

#[test]
fn report_refuses_a_raw_table_shorter_than_its_manifest() {
    let dir = scratch("torn-raw");
    let yaml = write(&dir, "t.yaml", &small_yaml(9));
    let out = dir.join("out");
    run_to(&yaml, &out);
    // Header and one of the 12 rows survived a copy cut short.
    let csv = std::fs::read_to_string(out.join("raw.csv")).unwrap();
    let torn: String = csv.lines().take(2).map(|l| format!("{l}\n")).collect();
    std::fs::write(out.join("raw.csv"), torn).unwrap();
    // 6 matches × 2 rows = 12 expected.
    let expected = ["raw.csv: 1 rows", "6 matches × 2 rows = 12"];
    fails(&["report", out.to_str().unwrap()], 2, &expected);
    std::fs::remove_file(out.join("raw.parquet")).unwrap();
    fails(&["report", out.to_str().unwrap()], 2, &expected);
}

#[test]
fn report_compare_and_plot_refuse_a_directory_without_its_manifest() {
    let dir = scratch("no-manifest");
    let yaml = write(&dir, "t.yaml", &small_yaml(9));
    let out = dir.join("out");
    run_to(&yaml, &out);
    // The raw table is whole; without the manifest nothing says how many rows it should hold or
    // that a run wrote it (a table cut short, or made elsewhere, was reported as a run's).
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    let d = out.to_str().unwrap();
    let missing = format!("{}: not found", out.join("manifest.json").display());
    let expected = [
        missing.as_str(),
        "is not a result directory",
        "`tourney run`",
    ];
    let to = dir.join("elsewhere");
    let to = to.to_str().unwrap();
    fails(&["report", d, "--out", to], 2, &expected);
    fails(
        &["compare", d, "--by", "mechanism", "--out", to],
        2,
        &expected,
    );
    fails(&["compare", d, d, "--out", to], 2, &expected);
    fails(&["plot", d, "--out", to], 2, &expected);
    assert!(!dir.join("elsewhere").exists(), "a report was written");
}

/// `validate --no-plugins` (the plugins these files name do not exist: the error must be the
/// one under test) and `run` both refuse the file with exit code 2 and `expected` in stderr.
fn expect_input_error(dir: &Path, name: &str, yaml: &str, expected: &[&str]) {
    let path = write(dir, name, yaml);
    let path = path.to_str().unwrap();
    fails(&["validate", "--no-plugins", path], 2, expected);
    fails(&["run", path], 2, expected);
}

#[test]
fn amounts_beyond_their_range_name_the_field_and_line() {
    let dir = scratch("amounts");
    let head = "name: amounts\nentrants:\n  - plugin: a\nmechanisms: [dtao-price]\n";
    expect_input_error(
        &dir,
        "capital.yaml",
        &format!("{head}entrant_capital_tao: 1e12\n"),
        &[
            "capital.yaml:5:1",
            "entrant_capital_tao",
            "at most 21000000",
        ],
    );
    expect_input_error(
        &dir,
        "pool.yaml",
        &format!("{head}owned_subnet:\n  pool_tao: 1e300\n"),
        &["pool.yaml:6:3", "owned_subnet.pool_tao", "at most 21000000"],
    );
    // A role's capital, under its own name (it was checked only on the entrants the roles
    // become, as `entrants[0]`, with no line), its number shown short.
    expect_input_error(
        &dir,
        "role-capital.yaml",
        "name: r\nformat: roles\nmechanisms: [dtao-price]\nroles:\n  - name: owners\n    \
         players: 1\n    capital_tao: 1e300\n    plays: subnet-owner\n    strategies:\n      \
         - plugin: a\n",
        &["role-capital.yaml:7:5", "roles[0].capital_tao", "got 1e300"],
    );
    // Two entrants named after the same plugin: at the second entrant (it had no line).
    expect_input_error(
        &dir,
        "same-name.yaml",
        &head.replace("  - plugin: a\n", "  - plugin: a\n  - plugin: a\n"),
        &[
            "same-name.yaml:4:5",
            "entrants[1].name",
            "duplicate entrant name `a`",
        ],
    );
    expect_input_error(
        &dir,
        "stake.yaml",
        &format!("{head}network:\n  root_stake_tao: 1e15\n"),
        &["stake.yaml:6:3", "network.root_stake_tao"],
    );
}

#[test]
fn plans_and_inputs_beyond_their_bounds_are_refused_before_the_work() {
    let dir = scratch("bounds");
    let head = "name: bounds\nentrants:\n  - plugin: a\nmechanisms: [dtao-price]\n";
    // 1 mechanism × 1 schedule × 1 pairing × 4294967295 repetitions.
    expect_input_error(
        &dir,
        "reps.yaml",
        &format!("{head}repetitions: 4294967295\n"),
        &[
            "reps.yaml:5:1",
            "repetitions",
            "4294967295 matches",
            "at most 1000000",
        ],
    );
    expect_input_error(
        &dir,
        "reps7.yaml",
        &format!("{head}repetitions: 10000000\n"),
        &["repetitions", "10000000 matches"],
    );
    // 100,000 nested `[`: refused at the 33rd, before the parser sees it.
    expect_input_error(
        &dir,
        "deep.yaml",
        &format!("{head}x: {}\n", "[".repeat(100_000)),
        &["deep.yaml:5:36", "nested deeper than 32"],
    );
}

#[test]
fn files_without_a_size_are_read_only_to_the_bound_and_bad_bytes_are_located() {
    // /dev/zero has no size to check first and no end: the reading itself stops at 1 MiB.
    fails(
        &["validate", "--no-plugins", "/dev/zero"],
        2,
        &["/dev/zero", "longer than 1048576 bytes"],
    );
    let dir = scratch("utf8");
    let path = dir.join("latin1.yaml");
    // `é` in Latin-1 (0xe9) where a UTF-8 editor would have written two bytes.
    std::fs::write(&path, b"name: caf\xe9\nentrants: []\n").unwrap();
    fails(
        &["validate", "--no-plugins", path.to_str().unwrap()],
        2,
        &["latin1.yaml:1:10", "not UTF-8"],
    );
}

#[test]
fn option_values_a_command_could_only_misuse_are_usage_errors() {
    let dir = scratch("options");
    let yaml = write(&dir, "t.yaml", &small_yaml(1));
    let yaml = yaml.to_str().unwrap();
    let out = dir.join("out");
    let out = out.to_str().unwrap();
    // Zero jobs would play nothing; a timeout of no time would fail every match.
    fails(
        &["run", yaml, "--out", out, "--jobs", "0"],
        2,
        &["--jobs", "at least 1"],
    );
    for t in ["0", "-1", "NaN"] {
        // `--timeout=-1`: as a separate word, `-1` would be taken for an option.
        let timeout = format!("--timeout={t}");
        fails(
            &["run", yaml, "--out", out, &timeout],
            2,
            &["--timeout", "seconds above 0"],
        );
        fails(&["validate", yaml, &timeout], 2, &["--timeout"]);
    }
    // A level of 1 or more indexed past the bootstrap's resamples (a panic); 0 and NaN gave
    // intervals of nothing. Refused before the directory is even read.
    for level in ["1.5", "1", "0", "NaN", "-0.5"] {
        let level = format!("--level={level}");
        fails(
            &["report", out, &level],
            2,
            &["--level", "above 0 and below 1"],
        );
    }
    // Sampling every 0 blocks wrote no series; --every without --out was silently ignored.
    let sim = "tournaments/scenarios/sn28-loop.yaml";
    fails(
        &["simulate", sim, "--out", out, "--every", "0"],
        2,
        &["--every"],
    );
    fails(&["simulate", sim, "--every", "10"], 2, &["--out"]);
    // A path for a match id read a series outside the result's series/.
    fails(
        &["plot", out, "--match", "../../victim"],
        2,
        &["not a match id"],
    );
    // With two directories --by and --baseline were ignored.
    for option in ["--by", "--baseline"] {
        fails(
            &["compare", out, out, option, "mechanism"],
            2,
            &[option, "one directory"],
        );
    }
    // An option of the other executor was ignored.
    let search = "searches/honest-owners-e1.yaml";
    fails(
        &["search", search, "--out", out, "--shards", "4"],
        2,
        &["--shards", "slurm"],
    );
    fails(
        &[
            "search",
            search,
            "--out",
            out,
            "--executor",
            "slurm",
            "--jobs",
            "2",
        ],
        2,
        &["--jobs", "local executor"],
    );
    assert!(!Path::new(out).exists(), "nothing may run");
}

/// Every file below `dir`, as sorted paths relative to it.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_fresh_run_or_merge_into_a_used_directory_keeps_nothing_of_the_earlier_one() {
    let dir = scratch("reuse");
    // The earlier run: two mechanisms and series; the later one: one mechanism, no series.
    let first = small_yaml(42).replace(
        "mechanisms: [dtao-price]",
        "mechanisms: [dtao-price, taoflow]",
    ) + "outputs:\n  series: true\n";
    let first = write(&dir, "first.yaml", &first);
    let second = write(&dir, "second.yaml", &small_yaml(43));
    let clean = dir.join("clean");
    run_to(&second, &clean);

    let used = dir.join("used");
    run_to(&first, &used);
    assert!(used.join("series").is_dir());
    run_to(&second, &used);
    // No old series to be drawn as this run's matches, no reports of taoflow.
    assert_eq!(files_below(&used), files_below(&clean));
    assert_same_outputs(&used, &clean);

    // Merge likewise clears what an earlier run left.
    let shards: Vec<PathBuf> = (0..2).map(|i| dir.join(format!("s{i}"))).collect();
    for (i, shard) in shards.iter().enumerate() {
        play(
            second.to_str().unwrap(),
            shard,
            &["--no-isolate", "--shard", &format!("{i}/2")],
        );
    }
    run_to(&first, &used);
    let merge = |out: &Path| {
        tourney()
            .args(["merge", "--quiet"])
            .args(&shards)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    assert!(merge(&used).status.success());
    assert_eq!(files_below(&used), files_below(&clean));
    assert_same_outputs(&used, &clean);
    // Into one of its own shards it would copy that shard's files onto themselves.
    let before = files_below(&shards[0]);
    let refused = merge(&shards[0]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("one of the directories merged"), "{stderr}");
    assert_eq!(files_below(&shards[0]), before);
    // A shard's copy of the tournament file edited since it played is not the one merged.
    let copy = shards[0].join("tournament.yaml");
    let text = std::fs::read_to_string(&copy).unwrap();
    std::fs::write(&copy, text.replace("seed: 43", "seed: 44")).unwrap();
    let merged = dir.join("merged");
    let out = merge(&merged);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not the tournament file"));
    assert_eq!(
        std::fs::read(merged.join("tournament.yaml")).unwrap(),
        std::fs::read(clean.join("tournament.yaml")).unwrap()
    );
}

#[test]
fn errors_point_at_the_field_that_is_wrong() {
    let dir = scratch("misleading");
    let head = "name: m\nentrants:\n  - plugin: a\nmechanisms: [dtao-price]\n";
    expect_input_error(
        &dir,
        "horizon.yaml",
        &format!("{head}horizon_days: 1e9\n"),
        &["horizon.yaml:5:1", "horizon_days", "(0, 3650]"],
    );
    expect_input_error(
        &dir,
        "series.yaml",
        &format!("{head}outputs:\n  series: true\n  series_interval_blocks: 0\n"),
        &[
            "series.yaml:7:3",
            "outputs.series_interval_blocks",
            "expected ≥ 1",
        ],
    );
    for (file, name) in [("dot.yaml", "'.'"), ("dotdot.yaml", "'..'")] {
        expect_input_error(
            &dir,
            file,
            &head.replace("name: m", &format!("name: {name}")),
            &[":1:1", "name", "output folder"],
        );
    }
    expect_input_error(
        &dir,
        "long.yaml",
        &head.replace("name: m", &format!("name: {}", "n".repeat(300))),
        &["long.yaml:1:1", "at most 64 characters"],
    );
    // A value inside a flow mapping: at the value's key (it had no location).
    expect_input_error(
        &dir,
        "inline.yaml",
        &format!("{head}network: {{background_subnets: 2, tao_weight: 1e308}}\n"),
        &["inline.yaml:5:34", "network.tao_weight"],
    );
    // A strategy parameter given twice kept its last value; a list said "untagged enum".
    expect_input_error(
        &dir,
        "param-twice.yaml",
        &head.replace(
            "plugin: a",
            "plugin: a\n    params:\n      x: 1\n      x: 2",
        ),
        &["param-twice.yaml:6:7", "duplicate parameter `x`"],
    );
    expect_input_error(
        &dir,
        "param-list.yaml",
        &head.replace("plugin: a", "plugin: a\n    params: {x: [1]}"),
        &["param-list.yaml:4:17", "a number, true or false, or text"],
    );
    // An unknown key of a simulate event: at the key, not at the event's start (serde buffers
    // a tagged enum and loses the positions inside it).
    let event = write(
        &dir,
        "event.yaml",
        "seed: 1\nhorizon_day: 0.1\nnetwork:\n  background_subnets: 2\nsubnets:\n  - {name: meme, \
         pool_tao: 1000, price: 0.02}\nagents:\n  - {name: farmer, capital_tao: 50}\nevents:\n  \
         - block: 10\n    agent: farmer\n    action: stake\n    subnet: meme\n    tao: 1\n    \
         extra: 3\n",
    );
    fails(
        &["simulate", event.to_str().unwrap()],
        2,
        &["event.yaml:15:5", "unknown field `extra`"],
    );
    // A bad value of a simulate event: at the value, under its field's name (the tagged enum
    // was read from a buffered copy, and the error was placed at the event's start naming only
    // `events[0]`). Before the action is named, and inside the set-weights policy, too.
    let events = "seed: 1\nhorizon_day: 0.1\nnetwork:\n  background_subnets: 2\nsubnets:\n  - \
                  {name: meme, pool_tao: 1000, price: 0.02}\nagents:\n  - {name: farmer, \
                  capital_tao: 50}\nevents:\n  - block: 10\n    agent: farmer\n";
    for (name, event, expected) in [
        (
            "event-tao.yaml",
            "    action: stake\n    subnet: meme\n    tao: lots\n",
            [
                "event-tao.yaml:14:10: events[0].tao: invalid type: string \"lots\", expected \
                 f64",
            ],
        ),
        (
            "event-subnet.yaml",
            "    subnet: -4\n    action: stake\n    tao: 1\n",
            ["event-subnet.yaml:12:13: events[0].subnet: invalid value: integer `-4`"],
        ),
        (
            "event-policy.yaml",
            "    action: set-weights\n    subnet: meme\n    policy: {classes: {work: x, \
             holdings: 1, burn: 0}}\n",
            ["event-policy.yaml:14:30: events[0].policy.classes.work: invalid type: string"],
        ),
    ] {
        let file = write(&dir, name, &format!("{events}{event}"));
        fails(&["simulate", file.to_str().unwrap()], 2, &expected);
    }
    // A key given twice: at its second occurrence (serde_yaml says where the mapping starts).
    expect_input_error(
        &dir,
        "twice.yaml",
        &format!("{head}horizon_days: 1\nnetwork:\n  background_subnets: 4\nhorizon_days: 2\n"),
        &["twice.yaml:8:1", "duplicate field `horizon_days`"],
    );
    expect_input_error(
        &dir,
        "twice-nested.yaml",
        &format!("{head}network:\n  background_subnets: 4\n  background_subnets: 5\n"),
        &[
            "twice-nested.yaml:7:3",
            "duplicate field `background_subnets`",
        ],
    );
    // A byte-order mark is not part of the first key.
    let bom = write(&dir, "bom.yaml", &format!("\u{feff}{head}"));
    let out = run(&["validate", "--no-plugins", bom.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok (1 matches)"));
}

/// A strategy's library that does not exist, or is no library, is an error of its `plugin`
/// field whichever command finds it: `validate` and `run --isolate` load it in a worker and
/// said `params` (the field of a refusal to create the strategy), `run --no-isolate` said
/// `plugin`.
#[test]
fn a_library_that_cannot_be_loaded_is_an_error_of_the_plugin_field() {
    let dir = scratch("plugin-field");
    let text = write(&dir, "libtext.so", &"not a library\n".repeat(20));
    let missing = dir.join("NOPE.so");
    for (name, lib, reason) in [
        ("missing.yaml", &missing, "No such file"),
        ("text.yaml", &text, "invalid ELF header"),
    ] {
        let yaml = write(
            &dir,
            name,
            &format!(
                "name: t\nformat: roles\nmechanisms: [taoflow]\nhorizon_days: 1\nroles:\n  \
                 - name: owners\n    players: 1\n    plays: subnet-owner\n    strategies:\n      \
                 - plugin: {}\n  - name: traders\n    players: 1\n    plays: staker\n    \
                 strategies:\n      - {{name: other, plugin: {}}}\n",
                lib.display(),
                lib.display()
            ),
        );
        let yaml = yaml.to_str().unwrap();
        let out = dir.join("out");
        let out = out.to_str().unwrap();
        let expected = format!(
            "{yaml}:10:9: roles[0].strategies[0].plugin: {}: not a loadable library",
            lib.display()
        );
        for args in [
            vec!["validate", yaml],
            vec!["run", yaml, "--out", out, "--quiet", "--isolate"],
            vec!["run", yaml, "--out", out, "--quiet", "--no-isolate"],
        ] {
            fails(&args, 2, &[&expected, reason]);
        }
    }
}

/// A match file's event read as the docs say: its time is written (a missing one, or a null,
/// fired at block 0 without a word), its numbers are numbers (`!!str 5` was the number 5,
/// `"5"` refused), a number beyond a float's range, a mapping for the action and a null work
/// kind are refused saying what is allowed (serde's internals were quoted), and a horizon at
/// or before the start day is refused at the key written, naming both (it named `start_day`,
/// unwritten, with no line).
#[test]
fn simulate_events_say_what_they_take_at_the_value() {
    let dir = scratch("event-values");
    let head = "seed: 1\nhorizon_day: 0.1\nnetwork:\n  background_subnets: 2\nsubnets:\n  - \
                {name: meme, pool_tao: 1000, price: 0.02}\nagents:\n  - {name: farmer, \
                capital_tao: 50}\nevents:\n";
    for (name, event, expected) in [
        (
            "no-time.yaml",
            "  - {agent: farmer, action: stake, subnet: meme, tao: 5}\n",
            "no-time.yaml:10:5: events[0]: missing `block` or `day`: when the event fires",
        ),
        (
            "null-block.yaml",
            "  - {block: null, agent: farmer, action: stake, subnet: meme, tao: 5}\n",
            "null-block.yaml:10:13: events[0].block: invalid type: unit value, expected u64",
        ),
        (
            "null-day.yaml",
            "  - {day: ~, agent: farmer, action: stake, subnet: meme, tao: 5}\n",
            "null-day.yaml:10:11: events[0].day: invalid type: unit value, expected f64",
        ),
        (
            "tagged.yaml",
            "  - {block: 1, agent: farmer, action: stake, subnet: meme, tao: !!str 5}\n",
            "tagged.yaml:10:65: events[0].tao: invalid type: string \"5\", expected f64",
        ),
        (
            "quoted.yaml",
            "  - {block: 1, agent: farmer, action: stake, subnet: meme, tao: \"5\"}\n",
            "quoted.yaml:10:65: events[0].tao: invalid type: string \"5\", expected f64",
        ),
        (
            "huge.yaml",
            "  - {block: 1, agent: farmer, action: stake, subnet: meme, tao: 1e400}\n",
            "huge.yaml:10:65: events[0].tao: 1e400 is out of range for a float",
        ),
        (
            "action-map.yaml",
            "  - {block: 1, agent: farmer, action: {stake: 1}, subnet: meme, tao: 5}\n",
            "action-map.yaml:10:39: events[0].action: invalid type: map, expected the name of an \
             action: stake, unstake, unstake-all, stake-root, unstake-root, set-incentive, \
             set-weights, spend, buyback",
        ),
        (
            "kind-null.yaml",
            "  - {block: 1, agent: farmer, action: spend, tao: 1, kind: null}\n",
            "kind-null.yaml:10:60: events[0].kind: null is not a work kind: write `ai` or \
             `offtopic`, or leave `kind` out for `ai`",
        ),
    ] {
        let file = write(&dir, name, &format!("{head}{event}"));
        fails(&["simulate", file.to_str().unwrap()], 2, &[expected]);
    }
    // What still reads: a tagged float and an integer are numbers, and an event at `day`.
    let file = write(
        &dir,
        "good.yaml",
        &format!(
            "{head}  - {{block: 1, agent: farmer, action: stake, subnet: meme, tao: !!float 5}}\n  \
             - {{day: 0.05, agent: farmer, action: unstake, subnet: meme, alpha: 1}}\n"
        ),
    );
    run(&["simulate", file.to_str().unwrap()]);
    for (name, days, expected) in [
        (
            "horizon.yaml",
            "horizon_day: 0\n",
            "horizon.yaml:2:1: horizon_day: horizon_day 0 is not after start_day 0",
        ),
        (
            "start.yaml",
            "start_day: 40\n",
            "start.yaml:2:1: start_day: start_day 40 is not before horizon_day 30 (the default \
             horizon)",
        ),
        (
            "both.yaml",
            "start_day: 5\nhorizon_day: 4\n",
            "both.yaml:3:1: horizon_day: horizon_day 4 is not after start_day 5",
        ),
    ] {
        let file = write(&dir, name, &format!("seed: 1\n{days}"));
        fails(&["simulate", file.to_str().unwrap()], 2, &[expected]);
    }
}

#[test]
fn loader_errors_keep_the_systems_reason() {
    let dir = scratch("loader");
    // Longer than an ELF header, so the loader reads it and finds no ELF magic.
    let text = write(&dir, "libtext.so", &"not a library\n".repeat(20));
    let empty = write(&dir, "libempty.so", "");
    let exe = dir.join("libexe.so");
    std::fs::copy("/bin/true", &exe).unwrap();
    let cases = [
        (&text, "invalid ELF header"),
        (&empty, "file too short"),
        (&exe, "cannot dynamically load"),
    ];
    for (lib, reason) in cases {
        fails(
            &["plugin", "check", lib.to_str().unwrap()],
            2,
            &["dlopen failed", reason],
        );
    }
    let folder = dir.join("no-crate");
    std::fs::create_dir_all(&folder).unwrap();
    fails(
        &["plugin", "check", folder.to_str().unwrap()],
        2,
        &["without Cargo.toml"],
    );
}

#[test]
fn report_bench_writes_where_it_is_told_and_leaves_no_scratch_behind() {
    let dir = scratch("report-bench");
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    // Without --out: a scratch directory under TMPDIR, removed when the timing is done (each
    // run's table and reports were left there).
    let out = succeeds(
        tourney()
            .args(["report", "--bench", "500"])
            .env("TMPDIR", &tmp),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("total reports"));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
    // With --out: there, and kept (it was ignored).
    let kept = dir.join("kept");
    run(&["report", "--bench", "500", "--out", kept.to_str().unwrap()]);
    assert!(kept.join("raw.parquet").is_file());
    assert!(kept.join("reports/summary.md").is_file());
    // With the manifest that counts its rows (250 matches of 2), a result directory `report`
    // takes (it refuses a raw table without its manifest).
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(kept.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        (
            manifest["matches"].as_u64(),
            manifest["rows_per_match"].as_u64()
        ),
        (Some(250), Some(2))
    );
    run(&["report", kept.to_str().unwrap(), "--no-plots"]);
}
