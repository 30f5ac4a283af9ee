//! The README's commands work as written: every `cargo run --release -- …` line in its shell
//! blocks is run (through the built binary, from the repository root, in order).

use std::process::Command;

fn readme_commands() -> Vec<Vec<String>> {
    let readme = include_str!("../README.md");
    let mut in_sh = false;
    let mut out = Vec::new();
    for line in readme.lines() {
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

#[test]
fn every_readme_command_runs() {
    let commands = readme_commands();
    // The main job, the plot and the comparison of the tour.
    assert!(commands.len() >= 3, "{commands:?}");
    assert_eq!(commands[0], ["run", "tournaments/quick.yaml"]);
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
