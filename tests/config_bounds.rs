//! Hostile configurations end to end (the repros of the hostile input campaign): a number past
//! its range, a blank name, a setting its mechanism does not read, an unbounded role. Each is
//! one located error with exit code 2, where they used to play with NaN, inf, a silently
//! clamped value, blank columns or a variant differing only by its seed, with exit code 0 (or
//! a panic and 24 GB for 65,535 players).

mod common;
use common::{fails, scratch};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A tournament file: `validate` and `run` both refuse it with exit code 2 and `expected`.
fn refused(dir: &Path, name: &str, yaml: &str, expected: &[&str]) {
    let path = write(dir, name, yaml);
    fails(&["validate", "--no-plugins", &path], 2, expected);
    let out = dir.join("out");
    fails(&["run", &path, "--out", out.to_str().unwrap()], 2, expected);
    assert!(!out.join("raw.csv").exists(), "{name}: a match was played");
}

const HEAD: &str = "name: hostile\nentrants:\n  - plugin: a\n  - plugin: b\n\
                    mechanisms: [dtao-price]\nhorizon_days: 0.1\n";

#[test]
fn tournament_numbers_past_their_range_are_located_and_exit_2() {
    let dir = scratch("numbers");
    // repro 01: τw·R overflowed, the root proportion was NaN.
    refused(
        &dir,
        "tao-weight.yaml",
        &format!("{HEAD}network:\n  tao_weight: 1e308\n"),
        &[
            "tao-weight.yaml:8:3",
            "network.tao_weight",
            "in [0, 1], got 1e308",
        ],
    );
    // repro 08: the aged issuance overflowed; emission 0 but 86 TAO captured.
    refused(
        &dir,
        "start-day.yaml",
        &format!("{HEAD}schedules:\n  - name: a\n    start_day: 1e15\n"),
        &[
            "start-day.yaml:8:5",
            "schedules[0]: start_day",
            "in [0, 3650], got 1e15",
        ],
    );
    // repro 04, in a tournament's flow map: a σ of 1e5 gave NaN flow EMAs.
    refused(
        &dir,
        "sigma.yaml",
        &format!("{HEAD}network:\n  pool_tao: {{median: 1000, sigma: 1e5}}\n"),
        &["sigma.yaml:8:13", "network.pool_tao: sigma", "in [0, 3]"],
    );
}

#[test]
fn simulate_refuses_numbers_past_their_range_with_their_line() {
    let dir = scratch("simulate");
    let head = "seed: 28\nmechanism: dtao-price\nstart_day: 0\nhorizon_day: 0.2\nnetwork:\n  \
                background_subnets: 3\n";
    for (name, line, expected) in [
        // repro 03: value created was inf.
        (
            "productivity.yaml",
            "  productivity: {median: 1e308, sigma: 1}\n",
            &[
                "productivity.yaml:7:17",
                "network.productivity: median",
                "(0, 100]",
            ][..],
        ),
        // repro 05: silently clamped to 1.
        (
            "price.yaml",
            "  price: {median: 1e300}\n",
            &["price.yaml:7:10", "network.price: median", "clamped at 1"][..],
        ),
    ] {
        let path = write(&dir, name, &format!("{head}{line}"));
        fails(&["simulate", &path], 2, expected);
    }
    // repro 09b: TaoFlow's settings on dtao-price changed nothing.
    let path = write(
        &dir,
        "knobs.yaml",
        "seed: 28\nmechanism: dtao-price\nflow_exponent: 2\nhorizon_day: 0.2\n",
    );
    fails(
        &["simulate", &path],
        2,
        &["knobs.yaml:3:1", "`dtao-price` does not read flow_exponent"],
    );
}

#[test]
fn names_settings_and_roles_that_would_play_silently_wrong_are_refused() {
    let dir = scratch("names");
    // repro 26: blank columns, ids like `dtao-price__native__-vs-__r0`.
    refused(
        &dir,
        "entrant-name.yaml",
        "name: rr\nmechanisms: [dtao-price]\nentrants:\n  - plugin: a\n    name: \"\"\n  \
         - plugin: b\n",
        &["entrant-name.yaml:5:11", "name must not be empty"],
    );
    // repro 25: ids with `__`.
    refused(
        &dir,
        "schedule-name.yaml",
        &format!("{HEAD}schedules:\n  - name: \" \"\n    root: {{constant: 0.5}}\n"),
        &["schedule-name.yaml:8:5", "schedules[0]: name"],
    );
    // repro 27: a constant schedule labelled `native`.
    refused(
        &dir,
        "native.yaml",
        &format!("{HEAD}schedules:\n  - name: native\n    root: {{constant: 0.5}}\n"),
        &["native.yaml:8:5", "`native` is reserved"],
    );
    // repro 09: the variant `dtao-price+flow-p2+flow-cutoff50+obj-price0.5`, only its seed new.
    refused(
        &dir,
        "knobs.yaml",
        "name: k\nentrants:\n  - plugin: a\nmechanisms:\n  - dtao-price\n  - {name: dtao-price, \
         flow_exponent: 2, flow_cutoff_tao_per_day: 50}\n",
        &[
            "knobs.yaml:6:5",
            "`dtao-price` does not read flow_exponent (only taoflow and taoflow-net",
        ],
    );
    // repro 28: 65,535 owners panicked (16-bit subnet ids) and then took 24 GB.
    refused(
        &dir,
        "players.yaml",
        "name: r\nformat: roles\nmechanisms: [dtao-price]\nroles:\n  - name: owners\n    \
         players: 65535\n    plays: subnet-owner\n    strategies:\n      - plugin: a\n      \
         - plugin: b\n",
        &[
            "players.yaml:6:5",
            "roles[0].players",
            "at most 1000 players",
        ],
    );
}
