//! Every positional argument and option of every command explains itself in `--help`: the
//! help is parsed, and an entry with no description (a bare name) fails the test.

use std::process::Command;

/// Commands and subcommands, as typed after `tourney`.
const COMMANDS: &[&[&str]] = &[
    &["run"],
    &["validate"],
    &["schema"],
    &["merge"],
    &["report"],
    &["compare"],
    &["plot"],
    &["simulate"],
    &["plugin", "check"],
    &["plugin", "new"],
    &["bench"],
];

/// The entries of the `Arguments:` and `Options:` sections of a help text with no description,
/// neither after the name on its line nor on the lines below it (clap's long help puts it
/// there, indented deeper than the name).
fn bare_entries(help: &str) -> Vec<String> {
    let lines: Vec<&str> = help.lines().collect();
    let mut bare = Vec::new();
    let mut in_section = false;
    for (k, line) in lines.iter().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_section = line.starts_with("Arguments:") || line.starts_with("Options:");
            continue;
        }
        // Entries are indented 2 (`-h, --help`, `<DIR>`) or 6 (`--out`) spaces, descriptions 10.
        let indent = line.len() - line.trim_start().len();
        let is_entry = (2..=6).contains(&indent) && line.trim_start().starts_with(['-', '<', '[']);
        if !in_section || !is_entry {
            continue;
        }
        let entry = line.trim();
        // Same line: the name, then two or more spaces, then the description.
        let same_line = entry
            .split_once("  ")
            .is_some_and(|(_, d)| !d.trim().is_empty());
        let below = lines
            .get(k + 1)
            .is_some_and(|next| next.starts_with("        ") && !next.trim().is_empty());
        if !same_line && !below {
            bare.push(entry.to_string());
        }
    }
    bare
}

#[test]
fn every_argument_and_option_has_a_help_line() {
    let mut problems = Vec::new();
    for cmd in COMMANDS {
        let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
            .args(*cmd)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "tourney {cmd:?} --help failed");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(help.contains("Options:"), "tourney {cmd:?} --help:\n{help}");
        for entry in bare_entries(&help) {
            problems.push(format!("tourney {}: `{entry}`", cmd.join(" ")));
        }
    }
    assert!(
        problems.is_empty(),
        "entries without help:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_parser_finds_bare_names() {
    // The shape of `tourney merge --help` before every entry had a help line.
    let help = "Combine shard directories\n\nUsage: tourney merge --out <OUT> <DIRS>...\n\n\
                Arguments:\n  <DIRS>...\n\nOptions:\n      --out <OUT>\n  \
                -h, --help       Print help\n";
    assert_eq!(bare_entries(help), vec!["<DIRS>...", "--out <OUT>"]);
    // Long help puts descriptions on the next lines; an empty one is still bare.
    let long = "Options:\n      --png\n          \n  -h, --help\n          Print help\n";
    assert_eq!(bare_entries(long), vec!["--png"]);
    let ok =
        "Arguments:\n  <DIR>  The result directory\n\nOptions:\n      --png\n          Also PNG\n";
    assert!(bare_entries(ok).is_empty());
}
