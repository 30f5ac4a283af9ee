//! The report and comparison pages, checked structurally on a synthetic result directory:
//! well-formed, ids unique, every internal link resolves, nothing loaded from elsewhere, and
//! every verdict, heatmap, table and representative match present. (The CLI's
//! `tests/report_page.rs` opens a real run's page in a headless browser.)

#[path = "support/page_check.rs"]
mod page_check;

use std::fs;
use std::path::PathBuf;

use page_check::check_page;
use polars::prelude::*;
use tourney_reports::cli::{compare_command, report_command, synthetic_raw};
use tourney_reports::compare::CompareBy;
use tourney_reports::html::representative_matches;
use tourney_reports::{build_reports, ReportOptions};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tourney-html-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A series file of three subnets (value, meme, idle) sampled on days 0, 0.5 and 1.
fn series_csv() -> String {
    let mut out = String::from("block,day,subnet,name,class,price,emission_share\n");
    for (k, day) in [0.0, 0.5, 1.0].iter().enumerate() {
        for (subnet, class) in [(1, "value"), (2, "meme"), (3, "idle")] {
            let price = 0.001 * (subnet as f64) * (1.0 + 0.1 * k as f64);
            let share = [0.5, 0.3, 0.2][subnet - 1];
            out.push_str(&format!(
                "{},{day},{subnet},sn{subnet},{class},{price},{share}\n",
                3600 * k
            ));
        }
    }
    out
}

/// A result directory: the synthetic raw table (8 strategies, 3 mechanisms × 2 schedules, 2
/// repetitions), a manifest and YAML, and series for every representative match but the first.
fn result_dir(name: &str) -> (PathBuf, Vec<(String, bool)>) {
    let dir = temp_dir(name);
    // 36 pairings (8 strategies, self-play included) × 6 games × 2 repetitions, 2 rows each.
    let mut df = synthetic_raw(36 * 6 * 2 * 2, 5).unwrap();
    let file = fs::File::create(dir.join("raw.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    fs::write(
        dir.join("manifest.json"),
        r#"{"tournament": "synthetic <&>", "tournament_file": "tournaments/synthetic.yaml", "seed": 5, "matches": 432, "entrants": [{"name": "strategy-0", "plugin": "s0", "version": "1.0", "build_id": "abc", "file_fingerprint": "00ff", "source": "Name(\"s0\")"}], "match_seeds": [{"index": 0, "id": "first-match", "seed": 123456789}]}"#,
    )
    .unwrap();
    fs::write(
        dir.join("tournament.yaml"),
        "name: synthetic\nseed: 5 # <&>\n",
    )
    .unwrap();
    let set = build_reports(&dir, &ReportOptions::default()).unwrap();
    let matches = representative_matches(&dir, &set).unwrap();
    fs::create_dir_all(dir.join("series")).unwrap();
    let mut listed = Vec::new();
    for (k, m) in matches.iter().enumerate() {
        let with_series = k > 0;
        if with_series {
            fs::write(
                dir.join("series").join(format!("{}.csv", m.match_id)),
                series_csv(),
            )
            .unwrap();
        }
        listed.push((m.match_id.clone(), with_series));
    }
    (dir, listed)
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_report_page_is_well_formed_and_complete() {
    let (dir, matches) = result_dir("report");
    let out = dir.join("reports");
    report_command(&dir, None, &ReportOptions::default()).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let stats = check_page(&html).unwrap_or_else(|e| panic!("index.html: {e}"));
    let set = build_reports(&dir, &ReportOptions::default()).unwrap();

    // One verdict row per (mechanism, schedule): 3 × 2.
    assert_eq!(set.verdicts.len(), 6);
    assert_eq!(stats.count("tr.verdict"), 6);
    // Navigation: verdicts, network, six games, manifest = 9 links; plus one link per verdict.
    assert_eq!(stats.links, 9 + 6);
    // Every game has a complete 8 × 8 payoff matrix: one heatmap of 64 cells (+ the white
    // background and 48 colour-bar steps) each.
    let heatmaps: Vec<_> = stats.figures.iter().filter(|f| f.0 == "heatmap").collect();
    assert_eq!(heatmaps.len(), 6);
    for h in &heatmaps {
        assert_eq!(h.1, 1 + 64 + 48, "rects of a heatmap");
    }
    assert_eq!(stats.count("figure.emission"), 1);
    // Per game: the strategies, meta-game and payoff-cell tables, sortable; plus the network
    // table and the match-seed table.
    assert_eq!(stats.count("table.sortable"), 6 * 3 + 2);
    // Representative matches: a figure for each one with a series (3 subnets × 2 panels + 3
    // legend lines), the exact command for the one without.
    let with: Vec<_> = matches.iter().filter(|m| m.1).collect();
    assert!(!with.is_empty() && with.len() < matches.len());
    let series: Vec<_> = stats.figures.iter().filter(|f| f.0 == "series").collect();
    assert_eq!(series.len(), with.len());
    for s in &series {
        assert_eq!(s.2, 3 * 2 + 3, "polylines of a series plot");
    }
    let (first, _) = &matches[0];
    let command = format!(
        "tourney plot {} --match {first} --tournament tournaments/synthetic.yaml",
        dir.display()
    );
    assert_eq!(count(&html, &command), 1, "the command for {first}");
    assert_eq!(stats.count("code.cmd"), matches.len() - with.len());
    // The manifest section: escaped YAML, seeds, plugin builds.
    assert!(html.contains("seed: 5 # &lt;&amp;&gt;"));
    assert!(html.contains("Tournament report: synthetic &lt;&amp;&gt;"));
    assert!(html.contains(">123456789</td>"));
    assert!(html.contains("<td>00ff</td>"));

    // Byte-identical when written again.
    let again = dir.join("again");
    report_command(&dir, Some(&again), &ReportOptions::default()).unwrap();
    assert_eq!(fs::read(again.join("index.html")).unwrap(), html.as_bytes());
}

#[test]
fn a_page_without_manifest_or_series_still_resolves_every_link() {
    let dir = temp_dir("bare");
    let mut df = synthetic_raw(36 * 6 * 2 * 2, 3).unwrap();
    let file = fs::File::create(dir.join("raw.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    report_command(&dir, None, &ReportOptions::default()).unwrap();
    let html = fs::read_to_string(dir.join("reports/index.html")).unwrap();
    let stats = check_page(&html).unwrap();
    assert_eq!(stats.count("figure.series"), 0);
    // Without series, every representative match gets its replay command instead.
    let set = build_reports(&dir, &ReportOptions::default()).unwrap();
    let matches = representative_matches(&dir, &set).unwrap();
    assert!(matches.len() >= 6, "one match per game at least");
    assert_eq!(stats.count("code.cmd"), matches.len());
    assert!(html.contains("No manifest.json in the result directory."));
}

#[test]
fn the_compare_page_is_well_formed_and_complete() {
    let (dir, _) = result_dir("compare");
    let out = dir.join("cmp");
    compare_command(
        std::slice::from_ref(&dir),
        Some(CompareBy::Mechanism),
        None,
        Some(&out),
        &ReportOptions::default(),
    )
    .unwrap();
    let html = fs::read_to_string(out.join("compare.html")).unwrap();
    let stats = check_page(&html).unwrap_or_else(|e| panic!("compare.html: {e}"));
    // 3 mechanisms against the first (dtao-price) at each of 2 schedules: 2 × 2 comparisons.
    assert_eq!(stats.count("tr.verdict"), 4);
    let heatmaps: Vec<_> = stats.figures.iter().filter(|f| f.0 == "heatmap").collect();
    assert_eq!(heatmaps.len(), 4);
    // Two sortable tables (pairings, strategies) per comparison.
    assert_eq!(stats.count("table.sortable"), 8);
    assert!(html.contains("Δ mean profit (TAO)"));
}

#[test]
fn the_checker_rejects_what_it_must() {
    assert!(check_page("<html><body><p>open</body></html>").is_err());
    let dangling = "<html><body><a href=\"#nowhere\">x</a></body></html>";
    assert!(check_page(dangling)
        .unwrap_err()
        .contains("points at no element"));
    let external = "<html><body><img src=\"http://x/y.png\"/></body></html>";
    assert!(check_page(external).unwrap_err().contains("self-contained"));
    let duplicate = "<html><body><p id=\"a\"/><p id=\"a\"/></body></html>";
    assert!(check_page(duplicate).unwrap_err().contains("duplicate id"));
}
