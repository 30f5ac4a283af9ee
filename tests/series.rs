//! Time series end to end: a series ends with a sample at the horizon whatever its interval;
//! a series file without rows (an older tourney's) is named, never drawn as an empty chart, and
//! `plot --match --tournament` writes it anew; the temporary file of a series a killed run was
//! writing is removed on `--resume` and not merged; a destination that is a device, a pipe or a
//! link (`simulate --out`, a tournament's `series/` folder or file) is written through or
//! followed, never replaced.

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

/// Arguments as `run` and `fails` take them.
fn argv(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Whether `path` is a symbolic link (not followed).
fn is_link(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_symlink()
}

#[test]
fn simulate_writes_through_a_device_or_a_pipe_and_follows_a_link_replacing_none() {
    use std::os::unix::fs::{symlink, FileTypeExt};
    let dir = scratch("special");
    let yaml = dir.join("m.yaml");
    std::fs::write(
        &yaml,
        "seed: 3\nmechanism: dtao-price\nstart_day: 0\nhorizon_day: 0.5\nnetwork:\n  background_subnets: 4\n",
    )
    .unwrap();
    let simulate = |out: &std::path::Path| {
        vec![
            "simulate".to_string(),
            yaml.to_str().unwrap().to_string(),
            "--out".to_string(),
            out.to_str().unwrap().to_string(),
        ]
    };
    let plain = dir.join("plain.csv");
    run(&argv(&simulate(&plain)));
    let expected = std::fs::read(&plain).unwrap();
    assert!(expected.len() > 1000);

    // A link (to a link to a file in another folder): the link stays, the file is replaced.
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/target.csv"), "keep\n").unwrap();
    symlink("real/target.csv", dir.join("hop.csv")).unwrap();
    symlink("hop.csv", dir.join("link.csv")).unwrap();
    let link = dir.join("link.csv");
    run(&argv(&simulate(&link)));
    assert!(is_link(&link) && is_link(&dir.join("hop.csv")));
    assert_eq!(
        std::fs::read(dir.join("real/target.csv")).unwrap(),
        expected
    );
    assert_eq!(names_in(&dir.join("real")), ["target.csv"]);

    // A FIFO: written through, to whoever reads it; it stays a FIFO.
    let fifo = dir.join("p");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    run(&argv(&simulate(&fifo)));
    assert_eq!(reader.join().unwrap(), expected);
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());

    // A copy of /dev/full's node (char 1,7): a write error and a non-zero exit, and the node
    // stays a device. Making one needs root; without it the check is skipped, with a notice.
    let full = dir.join("full");
    let made = std::process::Command::new("mknod")
        .args(["-m", "666", full.to_str().unwrap(), "c", "1", "7"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        fails(
            &argv(&simulate(&full)),
            1,
            &[&format!("cannot write {}", full.display()), "No space left"],
        );
        let kind = std::fs::symlink_metadata(&full).unwrap().file_type();
        assert!(kind.is_char_device(), "{kind:?}");
    } else {
        eprintln!("note: mknod failed (not root?): the device case was not checked");
    }
    assert_eq!(
        names_in(&dir),
        [
            "full",
            "hop.csv",
            "link.csv",
            "m.yaml",
            "p",
            "plain.csv",
            "real"
        ]
        .into_iter()
        .filter(|n| made || *n != "full")
        .collect::<Vec<_>>(),
        "no temporary file left, nothing replaced"
    );
}

#[test]
fn a_tournament_writes_its_series_through_a_linked_folder_and_file_keeping_both_links() {
    use std::os::unix::fs::symlink;
    let dir = scratch("linked");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: l\nseed: 7\nentrants:\n  - crate: {}\nmechanisms: [dtao-price]\n\
             horizon_days: 0.1\nnetwork:\n  background_subnets: 2\n\
             outputs:\n  series: true\n",
            strategy_crate("root-staker")
        ),
    )
    .unwrap();
    let plain = dir.join("plain");
    play(yaml.to_str().unwrap(), &plain, &[]);
    let names = names_in(&plain.join("series"));
    assert_eq!(names.len(), 1, "{names:?}");
    let expected = std::fs::read(plain.join("series").join(&names[0])).unwrap();
    for (k, options) in [&[][..], &["--isolate"][..]].into_iter().enumerate() {
        // out/series -> elsewhere/, and elsewhere/<id>.csv -> kept/target.csv.
        let out = dir.join(format!("out{k}"));
        let elsewhere = dir.join(format!("elsewhere{k}"));
        let kept = dir.join(format!("kept{k}"));
        for d in [&out, &elsewhere, &kept] {
            std::fs::create_dir(d).unwrap();
        }
        symlink(&elsewhere, out.join("series")).unwrap();
        symlink(kept.join("target.csv"), elsewhere.join(&names[0])).unwrap();
        play(yaml.to_str().unwrap(), &out, options);
        assert!(is_link(&out.join("series")), "{options:?}");
        assert!(is_link(&elsewhere.join(&names[0])), "{options:?}");
        assert_eq!(names_in(&elsewhere), names, "{options:?}");
        assert_eq!(names_in(&kept), ["target.csv"], "{options:?}");
        assert_eq!(
            std::fs::read(kept.join("target.csv")).unwrap(),
            expected,
            "{options:?}"
        );
    }
}

#[test]
fn a_series_that_cannot_be_written_stops_an_isolated_run_as_one_in_process_and_resume_ends_it() {
    let dir = scratch("unwritable");
    let yaml = dir.join("t.yaml");
    std::fs::write(
        &yaml,
        format!(
            "name: u\nseed: 8\nentrants:\n  - crate: {}\n  - crate: {}\n\
             mechanisms: [dtao-price]\nhorizon_days: 0.1\nnetwork:\n  background_subnets: 2\n\
             outputs:\n  series: true\n",
            strategy_crate("root-staker"),
            strategy_crate("meme-farmer")
        ),
    )
    .unwrap();
    let yaml = yaml.to_str().unwrap();
    let plain = dir.join("plain");
    play(yaml, &plain, &[]);
    let names = names_in(&plain.join("series"));
    assert_eq!(names.len(), 3, "3 pairings: {names:?}");
    for (k, options) in [&["--isolate"][..], &[][..]].into_iter().enumerate() {
        // Every series' destination a folder: no file can be made there, not even by root
        // (for whom permissions are no obstacle).
        let out = dir.join(format!("out{k}"));
        for name in &names {
            std::fs::create_dir_all(out.join("series").join(name)).unwrap();
        }
        let output = common::tourney()
            .args(["run", yaml, "--quiet", "--jobs", "2", "--out"])
            .arg(&out)
            .args(options)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{options:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the series")
                && names
                    .iter()
                    .any(|n| stderr.contains(&out.join("series").join(n).display().to_string())),
            "{options:?}: {stderr}"
        );
        // Nothing journalled for the matches that could not be recorded.
        let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap_or_default();
        assert!(
            !journal.contains("\"status\":\"error\""),
            "{options:?}: {journal}"
        );
        // The cause fixed, a resumed run plays them, and ends as a run never stopped.
        for name in &names {
            std::fs::remove_dir(out.join("series").join(name)).unwrap();
        }
        let mut resume = options.to_vec();
        resume.push("--resume");
        play(yaml, &out, &resume);
        common::assert_same_outputs(&plain, &out);
        assert_eq!(names_in(&out.join("series")), names, "{options:?}");
        for name in &names {
            assert_eq!(
                std::fs::read(out.join("series").join(name)).unwrap(),
                std::fs::read(plain.join("series").join(name)).unwrap(),
                "{options:?}: {name}"
            );
        }
    }
}
