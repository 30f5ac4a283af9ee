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

/// The lines of every `text` block of `doc` (output shown in the document), trimmed.
fn shown_output(doc: &str) -> Vec<String> {
    let mut in_text = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_text = t == "```text";
            continue;
        }
        if in_text && !t.is_empty() {
            out.push(t.to_string());
        }
    }
    out
}

/// Runs every command; returns their standard outputs, concatenated.
fn run_all(commands: Vec<Vec<String>>) -> String {
    let mut stdout = String::new();
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
        stdout.push_str(&String::from_utf8_lossy(&out.stdout));
    }
    stdout
}

#[test]
fn every_readme_command_runs() {
    let commands = doc_commands(include_str!("../README.md"));
    // The main job, the plot and the comparison of the tour.
    assert!(commands.len() >= 3, "{commands:?}");
    assert_eq!(commands[0], ["run", "tournaments/quick.yaml"]);
    let stdout = run_all(commands);
    // The output the README shows is the output a fresh run prints, line for line.
    let shown = shown_output(include_str!("../README.md"));
    assert!(shown.len() >= 10, "{shown:?}");
    for line in shown {
        assert!(
            stdout.lines().any(|l| l.trim() == line),
            "the README shows a line the run does not print:\n{line}"
        );
    }
}

#[test]
fn every_fidelity_command_runs() {
    let commands = doc_commands(include_str!("../docs/fidelity.md"));
    // Three scenarios simulated, two played as tournaments.
    assert_eq!(commands.len(), 5, "{commands:?}");
    run_all(commands);
}
