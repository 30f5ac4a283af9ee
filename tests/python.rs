//! `docs/python/read_results.py` runs on a fresh result directory and agrees with the report
//! tables. Skipped, with a notice, when python3 or polars/pandas/pyarrow are missing (CI
//! installs them).

use std::path::Path;
use std::process::Command;

fn python_with_packages() -> bool {
    Command::new("python3")
        .args(["-c", "import polars, pandas, pyarrow"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_python_example_reads_a_result_directory() {
    if !python_with_packages() {
        eprintln!(
            "NOTICE: python3 with polars, pandas and pyarrow not found: the Python example is not run (pip install polars pandas pyarrow)"
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-example");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let crate_dir = |name: &str| root.join("strategies").join(name).display().to_string();
    let yaml = format!(
        "name: py\nseed: 4\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [dtao-price]\n\
         horizon_days: 1\nrepetitions: 2\nnetwork:\n  background_subnets: 6\n",
        crate_dir("root-staker"),
        crate_dir("meme-farmer"),
    );
    std::fs::write(dir.join("py.yaml"), yaml).unwrap();
    let result = dir.join("result");
    let out = Command::new(env!("CARGO_BIN_EXE_tourney"))
        .current_dir(root)
        .args([
            "run",
            dir.join("py.yaml").to_str().unwrap(),
            "--quiet",
            "--out",
        ])
        .arg(&result)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("python3")
        .current_dir(root)
        .arg("docs/python/read_results.py")
        .arg(&result)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "read_results.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 2 entrants, 3 pairings (self-play included) × 2 repetitions, 2 rows each.
    assert!(stdout.contains("raw.parquet: 12 rows"), "{stdout}");
    // Cells: A→A, A→B, B→A, B→B.
    assert!(stdout.contains("polars: 4 payoff cells"), "{stdout}");
    assert!(stdout.contains("pandas: 4 payoff cells"), "{stdout}");
    assert!(stdout.contains("ok: the report tables agree with the raw table"));
}
