//! The documents' commands work as written: every `cargo run --release -- …` line in the shell
//! blocks of the README and of `docs/fidelity.md` is run (through the built binary, from the
//! repository root, in order).

use std::process::Command;

/// The `tourney` arguments of every `cargo run --release -- …` line in `sh` blocks of `doc`.
fn doc_commands(doc: &str) -> Vec<Vec<String>> {
    let mut in_sh = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            continue;
        }
        if in_sh {
            if let Some(rest) = t.strip_prefix("cargo run --release -- ") {
                let args = rest.split('#').next().unwrap().split_whitespace();
                out.push(args.map(str::to_string).collect());
            }
        }
    }
    out
}

fn run_all(commands: Vec<Vec<String>>) {
    for args in commands {
        let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tourney {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_readme_command_runs() {
    let commands = doc_commands(include_str!("../README.md"));
    // The main job, the plot and the comparison of the tour.
    assert!(commands.len() >= 3, "{commands:?}");
    assert_eq!(commands[0], ["run", "tournaments/quick.yaml"]);
    run_all(commands);
}

#[test]
fn every_fidelity_command_runs() {
    let commands = doc_commands(include_str!("../docs/fidelity.md"));
    // Three scenarios simulated, two played as tournaments.
    assert_eq!(commands.len(), 5, "{commands:?}");
    run_all(commands);
}
