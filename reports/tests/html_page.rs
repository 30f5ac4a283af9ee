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
use tourney_reports::html::{representative_matches, role_representatives, role_verdict_rows};
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
fn a_series_file_without_rows_is_named_on_the_page_not_drawn_empty() {
    // An older tourney wrote only the header when the interval was longer than the match.
    let (dir, matches) = result_dir("empty-series");
    let (empty, with) = &matches[1];
    assert!(with, "the second representative match has a series");
    let header = series_csv().lines().next().unwrap().to_string() + "\n";
    fs::write(dir.join("series").join(format!("{empty}.csv")), header).unwrap();
    report_command(&dir, None, &ReportOptions::default()).unwrap();
    let html = fs::read_to_string(dir.join("reports/index.html")).unwrap();
    let stats = check_page(&html).unwrap_or_else(|e| panic!("index.html: {e}"));
    let drawn = matches.iter().filter(|m| m.1).count() - 1;
    assert_eq!(stats.count("figure.series"), drawn);
    assert_eq!(
        count(&html, &format!("series/{empty}.csv has no rows")),
        1,
        "the page says why match {empty} has no chart"
    );
    let command = format!(
        "tourney plot {} --match {empty} --tournament tournaments/synthetic.yaml",
        dir.display()
    );
    assert_eq!(count(&html, &command), 1, "the command that writes it anew");
}

#[test]
fn a_damaged_series_file_is_named_in_its_charts_place_and_the_page_still_written() {
    // One series file of many is torn (or holds a NaN price): the page is written, every other
    // chart drawn, and that chart's place names the file, line and reason, with the command
    // that writes the series anew. The caller gets the same as a warning.
    let (dir, matches) = result_dir("damaged-series");
    let drawn = matches.iter().filter(|m| m.1).count();
    let (damaged, with) = &matches[1];
    assert!(with, "the second representative match has a series");
    let path = dir.join("series").join(format!("{damaged}.csv"));
    let good = series_csv();
    let torn: String = good
        .lines()
        .enumerate()
        .map(|(k, l)| format!("{}\n", if k == 2 { "3600,0.5,2,sn" } else { l }))
        .collect();
    let not_finite = good.replacen(",0.001,", ",NaN,", 1);
    assert_ne!(not_finite, good);
    for (csv, reason) in [
        (torn, "3: 4 cells where the header has 7 (a torn or malformed row)"),
        (
            not_finite,
            "2: price `NaN` is not finite (the engine writes finite values: a damaged or edited series file)",
        ),
    ] {
        fs::write(&path, csv).unwrap();
        let report = report_command(&dir, None, &ReportOptions::default()).unwrap();
        let html = fs::read_to_string(dir.join("reports/index.html")).unwrap();
        let stats = check_page(&html).unwrap_or_else(|e| panic!("index.html: {e}"));
        assert_eq!(stats.count("figure.series"), drawn - 1);
        let error = format!("{}:{reason}", path.display());
        assert_eq!(
            report.warnings,
            vec![format!(
                "the report page shows no chart for match {damaged}: {error}"
            )]
        );
        assert!(report.text.contains("wrote "), "{}", report.text);
        assert_eq!(
            count(&html, &format!("no chart — {error}. Moved away")),
            1,
            "the page names the error of {damaged}"
        );
        let command = format!(
            "tourney plot {} --match {damaged} --tournament tournaments/synthetic.yaml",
            dir.display()
        );
        assert_eq!(count(&html, &command), 1, "the command that writes it anew");
    }
    // Well-formed again: drawn, no warning.
    fs::write(&path, good).unwrap();
    let report = report_command(&dir, None, &ReportOptions::default()).unwrap();
    assert!(report.warnings.is_empty());
    let html = fs::read_to_string(dir.join("reports/index.html")).unwrap();
    assert_eq!(check_page(&html).unwrap().count("figure.series"), drawn);
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

/// One row of [`role_raw`].
struct RoleRow {
    mechanism: &'static str,
    match_id: String,
    repetition: u32,
    role: &'static str,
    entrant: &'static str,
    status: &'static str,
    profit: f64,
    value_share: f64,
}

/// A role tournament's raw table, written by hand. Two games:
/// - dtao-price / native: `owners` (1 player: a-owner, b-owner) and `traders` (1 player:
///   c-trader, d-trader), all 4 profiles × 3 repetitions;
/// - taoflow / native: 2 owners and 1 trader, all 6 profiles × 3 repetitions.
///
/// Payoffs do not depend on the others: an owner earns 10 with a-owner and 5 with b-owner, a
/// trader 3 with c-trader and 1 with d-trader (± 0.1 by repetition), so each game's only
/// equilibrium is pure (a-owner, c-trader), and its most likely profile is the all-a, c one.
/// Repetition 0 of dtao-price's (a-owner | c-trader) could not be played (an `error` row):
/// the representative match there is repetition 1.
fn role_raw() -> DataFrame {
    let mut rows: Vec<RoleRow> = Vec::new();
    for (mechanism, owners) in [("dtao-price", 1), ("taoflow", 2)] {
        let owner_sets: Vec<Vec<&str>> = if owners == 1 {
            vec![vec!["a-owner"], vec!["b-owner"]]
        } else {
            vec![
                vec!["a-owner", "a-owner"],
                vec!["a-owner", "b-owner"],
                vec!["b-owner", "b-owner"],
            ]
        };
        for owners in &owner_sets {
            for trader in ["c-trader", "d-trader"] {
                for rep in 0..3u32 {
                    let id = format!("{mechanism}-{}-{trader}-r{rep}", owners.join("-"));
                    let noise = 0.1 * (rep as f64 - 1.0);
                    // The value share falls with every b-owner in the match.
                    let b = owners.iter().filter(|o| **o == "b-owner").count() as f64;
                    let value = 0.8 - 0.1 * b;
                    let errored = mechanism == "dtao-price"
                        && owners[0] == "a-owner"
                        && trader == "c-trader"
                        && rep == 0;
                    for o in owners {
                        let p = if *o == "a-owner" { 10.0 } else { 5.0 };
                        let status = if errored { "error" } else { "ok" };
                        rows.push(RoleRow {
                            mechanism,
                            match_id: id.clone(),
                            repetition: rep,
                            role: "owners",
                            entrant: o,
                            status,
                            profit: p + noise,
                            value_share: value,
                        });
                    }
                    let p = if trader == "c-trader" { 3.0 } else { 1.0 };
                    rows.push(RoleRow {
                        mechanism,
                        match_id: id.clone(),
                        repetition: rep,
                        role: "traders",
                        entrant: trader,
                        status: "ok",
                        profit: p + noise,
                        value_share: value,
                    });
                }
            }
        }
    }
    let n = rows.len();
    let text = |f: fn(&RoleRow) -> String| rows.iter().map(f).collect::<Vec<_>>();
    let float = |f: fn(&RoleRow) -> f64| rows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("tournament".into(), vec!["roles"; n]),
        Column::new("match_id".into(), text(|r| r.match_id.clone())),
        Column::new("format".into(), vec!["roles"; n]),
        Column::new("mechanism".into(), text(|r| r.mechanism.to_string())),
        Column::new("schedule".into(), vec!["native"; n]),
        Column::new(
            "repetition".into(),
            rows.iter().map(|r| r.repetition).collect::<Vec<_>>(),
        ),
        Column::new("entrant".into(), text(|r| r.entrant.to_string())),
        Column::new("opponent".into(), vec!["*"; n]),
        Column::new("role".into(), text(|r| r.role.to_string())),
        Column::new("profile".into(), vec![""; n]),
        Column::new("status".into(), text(|r| r.status.to_string())),
        Column::new("profit_tao".into(), float(|r| r.profit)),
        Column::new("emission_captured_tao".into(), vec![1.0; n]),
        Column::new("roi".into(), float(|r| r.profit / 1000.0)),
        Column::new("emission_value_share".into(), float(|r| r.value_share)),
        Column::new("emission_meme_share".into(), float(|r| 0.9 - r.value_share)),
        Column::new("emission_offtopic_share".into(), vec![0.0; n]),
        Column::new("value_per_tao_emitted".into(), vec![1.0; n]),
        Column::new("peak_meme_share".into(), vec![0.3; n]),
        Column::new("largest_crash".into(), vec![0.5; n]),
    ])
    .unwrap()
}

#[test]
fn the_report_page_shows_a_role_tournament() {
    let dir = temp_dir("roles");
    let mut df = role_raw();
    let file = fs::File::create(dir.join("raw.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    fs::write(
        dir.join("manifest.json"),
        r#"{"tournament": "roles", "tournament_file": "tournaments/roles.yaml", "seed": 1}"#,
    )
    .unwrap();
    let set = build_reports(&dir, &ReportOptions::default()).unwrap();
    assert_eq!(set.roles.len(), 2);
    assert!(
        set.verdicts.is_empty(),
        "role cells have no round-robin verdict"
    );

    // The representative match of each game: the profile the pure equilibrium makes certain
    // (probability 1), its first ok match — repetition 1 where repetition 0 errored.
    let reps = role_representatives(&dir, &set).unwrap();
    let picked: Vec<(&str, &str, f64)> = reps
        .iter()
        .map(|m| (m.match_id.as_str(), m.profile.as_str(), m.probability))
        .collect();
    assert_eq!(
        picked,
        vec![
            ("dtao-price-a-owner-c-trader-r1", "a-owner | c-trader", 1.0),
            (
                "taoflow-a-owner-a-owner-c-trader-r0",
                "a-owner+a-owner | c-trader",
                1.0
            ),
        ]
    );
    // dtao-price's match has a series; taoflow's gets the replay command.
    fs::create_dir_all(dir.join("series")).unwrap();
    fs::write(
        dir.join("series/dtao-price-a-owner-c-trader-r1.csv"),
        series_csv(),
    )
    .unwrap();

    report_command(&dir, None, &ReportOptions::default()).unwrap();
    let html = fs::read_to_string(dir.join("reports/index.html")).unwrap();
    let stats = check_page(&html).unwrap_or_else(|e| panic!("index.html: {e}"));

    // One role verdict row per game, its text the terminal's verdict line after the game's
    // name, linked to the game's section.
    assert_eq!(stats.count("tr.verdict"), 2);
    let rows = role_verdict_rows(&set);
    for (row, line) in rows
        .iter()
        .zip(tourney_reports::render::role_verdicts(&set))
    {
        assert_eq!(format!("{}: {}", row.game, row.text), line);
        assert!(row.text.starts_with(
            "owners: a-owner (1.00 of resamples) · traders: c-trader (1.00 of resamples); no value"
        ));
        assert_eq!(
            row.confidence.as_deref(),
            Some("bootstrap support 1.00 (least over the support; 200 resamples)")
        );
        assert!(html.contains(&tourney_reports::html::esc(&row.text)));
    }
    // The no-value share at the pure equilibrium is that of its profile: 1 − 0.8 = 20.0 %;
    // the network table's mean over the 11 of dtao-price's 12 matches that were played (the
    // errored one is left out, as from the role game): value 0.8 in 5 (a-owner), 0.7 in 6
    // (b-owner) → 8.2/11 = 0.745455, no value 25.5 %.
    assert!(rows[0].text.contains("no value 20.0 %"), "{}", rows[0].text);
    assert!(
        rows[0].text.contains("(all matches: 25.5 %)"),
        "{}",
        rows[0].text
    );
    // Navigation: verdicts, network at equilibrium, network, two games, manifest; plus one
    // link per verdict.
    assert_eq!(stats.links, 6 + 2);
    // Per game: the role-game table, the strategies ranked within role and the profile table
    // are sortable; plus network at equilibrium, network.
    assert_eq!(stats.count("table.sortable"), 2 * 3 + 2);
    assert_eq!(count(&html, "<caption>Role game: the verdict"), 2);
    assert_eq!(count(&html, "<caption>Equilibrium payoff per role"), 2);
    // Network at equilibrium: 8 observables per game.
    assert_eq!(count(&html, "<td>no value %</td>"), 2);
    assert_eq!(count(&html, "<td>largest crash %</td>"), 2);
    // Two roles of one player (dtao-price): one 2 × 2 heatmap per role (+ background and 48
    // colour-bar steps). Two owners (taoflow): no heatmap but the profile table of its 6
    // profiles.
    let heatmaps: Vec<_> = stats.figures.iter().filter(|f| f.0 == "heatmap").collect();
    assert_eq!(heatmaps.len(), 2);
    for h in &heatmaps {
        assert_eq!(h.1, 1 + 4 + 48, "rects of a role heatmap");
    }
    assert!(html.contains("Mean profit (TAO) of owners — dtao-price / native"));
    assert!(html.contains("Mean profit (TAO) of traders — dtao-price / native"));
    for profile in [
        "a-owner+a-owner | c-trader",
        "a-owner+b-owner | d-trader",
        "b-owner+b-owner | c-trader",
    ] {
        assert_eq!(count(&html, &format!("<td>{profile}</td>")), 1, "{profile}");
    }
    // The representative matches: one series (3 subnets × 2 panels + 3 legend lines), one
    // exact command.
    let series: Vec<_> = stats.figures.iter().filter(|f| f.0 == "series").collect();
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].2, 3 * 2 + 3);
    assert_eq!(stats.count("code.cmd"), 1);
    let command = format!(
        "tourney plot {} --match taoflow-a-owner-a-owner-c-trader-r0 --tournament tournaments/roles.yaml",
        dir.display()
    );
    assert_eq!(count(&html, &command), 1);
    assert_eq!(count(&html, "the first ok one in plan order"), 2);
}
