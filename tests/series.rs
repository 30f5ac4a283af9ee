//! Time series end to end: a series ends with a sample at the horizon whatever its interval;
//! a series file without rows (an older tourney's) is named, never drawn as an empty chart, and
//! `plot --match --tournament` writes it anew; the temporary file of a series a killed run was
//! writing is removed on `--resume` and not merged.

mod common;
use common::{fails, play, run, scratch, strategy_crate};

/// The file names in `dir`, sorted (hidden ones too: a temporary file left would show).
fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn an_interval_longer_than_the_match_writes_the_horizon_sample() {
    let dir = scratch("simulate");
    let yaml = dir.join("m.yaml");
    std::fs::write(
        &yaml,
        "seed: 2\nmechanism: dtao-price\nstart_day: 0\nhorizon_day: 0.5\nnetwork:\n  background_subnets: 4\n",
    )
    .unwrap();
    let csv = dir.join("out").join("s.csv");
    let out = run(&[
        "simulate",
        yaml.to_str().unwrap(),
        "--out",
        csv.to_str().unwrap(),
        "--every",
        "100000",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("series: 4 rows"), "{stdout}");
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    // One row per subnet, at the horizon: block 3,600, day 0.5.
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows.iter().all(|r| r.starts_with("3600,0.5,")), "{text}");
    assert_eq!(names_in(&dir.join("out")), ["s.csv"]);
}

#[test]
fn a_series_without_rows_is_refused_by_plot_and_replayed_with_the_tournament() {
    let dir = scratch("empty");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: s\nseed: 5\nentrants:\n  - crate: {}\nmechanisms: [dtao-price]\n\
             horizon_days: 0.5\nnetwork:\n  background_subnets: 4\n\
             outputs:\n  series: true\n  series_interval_blocks: 360\n",
            strategy_crate("root-staker")
        ),
    )
    .unwrap();
    let out = dir.join("out");
    play(yaml.to_str().unwrap(), &out, &[]);
    let id = "dtao-price__native__root-staker-vs-root-staker__r0";
    let path = out.join("series").join(format!("{id}.csv"));
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written.lines().count(),
        1 + 10 * 4,
        "every 360 blocks, 4 subnets"
    );

    // What an older tourney wrote for an interval longer than the match: the header alone.
    let header = written.lines().next().unwrap().to_string() + "\n";
    std::fs::write(&path, &header).unwrap();
    let dir_arg = out.to_str().unwrap();
    fails(
        &["plot", dir_arg, "--match", id],
        2,
        &["has no rows", "--tournament FILE"],
    );
    assert!(
        !out.join("reports/plots")
            .join(format!("match__{id}.svg"))
            .exists(),
        "no empty chart drawn"
    );
    // With the tournament file, the match is played again and its series written anew.
    run(&[
        "plot",
        dir_arg,
        "--match",
        id,
        "--tournament",
        yaml.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
    assert_eq!(names_in(&out.join("series")), [format!("{id}.csv")]);
}

#[test]
fn a_resumed_run_removes_what_a_killed_one_left_half_written_and_merge_copies_none() {
    let dir = scratch("partial");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: p\nseed: 6\nentrants:\n  - crate: {}\nmechanisms: [dtao-price]\n\
             horizon_days: 0.1\nnetwork:\n  background_subnets: 2\n\
             outputs:\n  series: true\n",
            strategy_crate("root-staker")
        ),
    )
    .unwrap();
    let out = dir.join("out");
    play(yaml.to_str().unwrap(), &out, &[]);
    let series = out.join("series");
    let whole = names_in(&series);
    assert_eq!(whole.len(), 1, "{whole:?}");
    // What a run killed while a match was playing leaves: a hidden, temporary series file
    // (`tourney_engine::series::temp_path`).
    let left = format!(".{}.4242.partial", whole[0]);
    std::fs::write(series.join(&left), "block,day\n1,0.0").unwrap();
    // Merge copies a shard's series but not that.
    let merged = dir.join("merged");
    run(&[
        "merge",
        "--quiet",
        out.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert_eq!(names_in(&merged.join("series")), whole);
    // Resuming removes it (its match, never journalled, would be played again).
    play(yaml.to_str().unwrap(), &out, &["--resume"]);
    assert_eq!(names_in(&series), whole);
}
