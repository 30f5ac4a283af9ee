//! Helpers every end-to-end test of the `tourney` binary shares: the binary, a scratch
//! directory, the strategy crates, a run that must succeed, one that must fail with a given
//! code and message, and the byte-identity check of a result directory. Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `tourney` binary under test, run from the workspace root.
pub fn tourney() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tourney"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// A fresh scratch directory for one test, named after the test file, the process and `name`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tourney-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The absolute path of strategy crate `name` (for `crate:` entries in test tournaments).
pub fn strategy_crate(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("strategies")
        .join(name)
        .display()
        .to_string()
}

/// `tourney ARGS…`, which must succeed.
pub fn run(args: &[&str]) -> Output {
    succeeds(tourney().args(args))
}

/// `tourney run YAML --quiet --out OUT OPTIONS…`, which must succeed.
pub fn play(yaml: &str, out: impl AsRef<Path>, options: &[&str]) -> Output {
    let out = out.as_ref().to_str().unwrap();
    succeeds(
        tourney()
            .args(["run", yaml, "--quiet", "--out", out])
            .args(options),
    )
}

/// Run `command`, which must succeed (the failure names it and shows its stderr).
pub fn succeeds(command: &mut Command) -> Output {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `tourney ARGS…`, which must exit with `code` and say every `expected` text on stderr, never
/// with a panic; returns the stderr.
pub fn fails(args: &[&str], code: i32, expected: &[&str]) -> String {
    let out = tourney().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(code), "tourney {args:?}:\n{stderr}");
    for e in expected {
        assert!(
            stderr.contains(e),
            "tourney {args:?}: expected `{e}` in:\n{stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Bad input in `path`: `validate` and `run` both exit 2 and say every `expected` text.
pub fn input_error(path: &Path, expected: &[&str]) {
    for cmd in ["validate", "run"] {
        fails(&[cmd, path.to_str().unwrap()], 2, expected);
    }
}

/// The outputs that must be byte-identical between two result directories are: the raw
/// table (CSV and Parquet) and the manifest.
pub fn assert_same_outputs(a: &Path, b: &Path) {
    for f in ["raw.csv", "raw.parquet", "manifest.json"] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// Every file under `dir` (recursively), by its path relative to `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Two result directories hold the same files, every one byte-identical: raw table, manifest,
/// journal, tournament copy, series and every report. The report page names the directory it
/// was written from, so the two must have been written at the same path (moved apart after).
pub fn assert_same_dirs(a: &Path, b: &Path) {
    let files = files_under(a);
    assert_eq!(
        files,
        files_under(b),
        "{} and {} hold different files",
        a.display(),
        b.display()
    );
    for f in files {
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{} differs between {} and {}",
            f.display(),
            a.display(),
            b.display()
        );
    }
}
