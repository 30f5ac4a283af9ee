//! A `raw.csv` whose last row is cut short (no `raw.parquet` beside it) is refused by `report`,
//! `compare` and `plot` with the file and the row named, exit code 2: the cut row still counts
//! as a row, so the row count agreed with the manifest and the reports took it in as a phantom
//! row of its surviving fields.

mod common;
use common::{fails, play, run, scratch, strategy_crate};
use std::path::Path;

/// 2 entrants (3 pairings) × 1 mechanism × 2 repetitions = 6 short matches, 12 rows.
fn small_yaml() -> String {
    format!(
        "name: torn\nseed: 5\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [dtao-price]\n\
         horizon_days: 0.5\nrepetitions: 2\nnetwork:\n  background_subnets: 4\n",
        strategy_crate("root-staker"),
        strategy_crate("momentum-speculator"),
    )
}

/// Every command that reads the raw table refuses `dir` with `expected` on stderr.
fn refused(dir: &Path, expected: &[&str]) {
    let d = dir.to_str().unwrap();
    let out = dir.join("reports-out");
    let out = out.to_str().unwrap();
    fails(&["report", d, "--out", out, "--no-plots"], 2, expected);
    fails(
        &["compare", d, "--by", "mechanism", "--out", out],
        2,
        expected,
    );
    fails(&["plot", d, "--out", out], 2, expected);
}

#[test]
fn a_raw_csv_whose_last_row_is_cut_short_is_refused() {
    let dir = scratch("torn-csv");
    let yaml = dir.join("t.yaml");
    std::fs::write(&yaml, small_yaml()).unwrap();
    let out = dir.join("out");
    play(
        yaml.to_str().unwrap(),
        &out,
        &["--no-isolate", "--jobs", "2"],
    );
    std::fs::remove_file(out.join("raw.parquet")).unwrap();
    let csv = std::fs::read_to_string(out.join("raw.csv")).unwrap();
    // The whole table is reported.
    run(&["report", out.to_str().unwrap(), "--no-plots"]);
    let body = csv.strip_suffix('\n').unwrap();
    let last_start = body.rfind('\n').unwrap() + 1;
    let last = &body[last_start..];
    let fields = last.split(',').count();
    let header_fields = csv.lines().next().unwrap().split(',').count();
    assert_eq!(fields, header_fields);
    let cut = last.char_indices().nth(last.len() / 2).unwrap().0;
    let kept = last[..cut].split(',').count();

    // Cut in its middle: fewer fields than the header, and no newline.
    std::fs::write(out.join("raw.csv"), &csv[..last_start + cut]).unwrap();
    let why = format!("{kept} fields where the header has {header_fields}");
    refused(&out, &["raw.csv: row 12 (the last) is torn", &why]);

    // Cut inside its last field: every field there, but no newline.
    std::fs::write(out.join("raw.csv"), &csv[..csv.len() - 2]).unwrap();
    refused(
        &out,
        &["raw.csv: row 12 (the last) is torn: no newline at its end"],
    );

    // Cut, then a newline appended (a line of the wrong width).
    let mut appended = csv[..last_start + cut].to_string();
    appended.push('\n');
    std::fs::write(out.join("raw.csv"), &appended).unwrap();
    refused(&out, &["raw.csv: row 12 (the last) is torn", &why]);

    // A value that is not of its column's type: the file, the rows and the column, without
    // polars' advice to its Python users (and exit 2, not 1).
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let profit = header.iter().position(|c| *c == "profit_tao").unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    let mut second: Vec<&str> = lines[2].split(',').collect();
    second[profit] = "xyz";
    lines[2] = second.join(",");
    std::fs::write(out.join("raw.csv"), lines.join("\n") + "\n").unwrap();
    let d = out.to_str().unwrap();
    let stderr = fails(
        &["report", d, "--no-plots"],
        2,
        &[
            "raw.csv: not a raw table tourney wrote, in rows 1–12",
            "`xyz`",
            "profit_tao",
        ],
    );
    assert!(!stderr.contains("infer_schema_length"), "{stderr}");
    std::fs::write(out.join("raw.csv"), &csv).unwrap();

    // Without its manifest nothing counts the rows: the directory is refused as such.
    std::fs::remove_file(out.join("manifest.json")).unwrap();
    std::fs::write(out.join("raw.csv"), &appended).unwrap();
    refused(
        &out,
        &["manifest.json: not found", "is not a result directory"],
    );
}
