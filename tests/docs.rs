//! The documents' commands work as written: every `cargo run --release -- …` line in the shell
//! blocks of the README and of `docs/fidelity.md` is run (through the built binary, from the
//! repository root, in order).

use std::process::Command;

/// The non-empty lines, trimmed, of every fenced block of `doc` tagged `lang` (```` ```sh ````).
fn fenced<'a>(doc: &'a str, lang: &str) -> Vec<&'a str> {
    let opening = format!("```{lang}");
    let mut inside = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            inside = t == opening;
        } else if inside && !t.is_empty() {
            out.push(t);
        }
    }
    out
}

/// The `tourney` arguments of every `cargo run --release -- …` line in `sh` blocks of `doc`.
fn doc_commands(doc: &str) -> Vec<Vec<String>> {
    fenced(doc, "sh")
        .into_iter()
        .filter_map(|t| t.strip_prefix("cargo run --release -- "))
        .map(|rest| {
            let args = rest.split('#').next().unwrap().split_whitespace();
            args.map(str::to_string).collect()
        })
        .collect()
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
    // The output the README shows (its `text` blocks) is what a fresh run prints, line for line.
    let shown = fenced(include_str!("../README.md"), "text");
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
