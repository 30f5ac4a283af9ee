//! Every table computed on a small hand-made raw table, with the arithmetic in comments.
//!
//! The table (profits in TAO; emission captured is 1 for A and 2 for B; roi = profit / 100):
//!
//! dtao-price / native
//! | match | format      | rep | rows (entrant→opponent: profit)  | note               |
//! | m1    | round-robin | 0   | A→A: 2, A→A: 4                   | self-play          |
//! | m2    | round-robin | 1   | A→A: 6, A→A: 8                   | self-play          |
//! | m3    | round-robin | 0   | A→B: 1, B→A: 5                   |                    |
//! | m4    | round-robin | 1   | A→B: 3, B→A: 9                   |                    |
//! | m7    | round-robin | 2   | A→B: 2, B→A: forfeit (0)         | B forfeits         |
//! | m5    | round-robin | 0   | B→B: 4, B→B: 4                   | self-play          |
//! | m6    | round-robin | 1   | B→B: 6, B→B: 6                   | self-play          |
//! | m8    | melee       | 0   | A→*: 10, B→*: 4                  |                    |
//! network: value share 0.5 in m1–m4, 0.7 in m5–m8; meme 0.2; off-topic 0.1; value per TAO
//! alternating 1 / 3; peak meme 0.3; largest crash 0.1 except 0.5 in m8.
//!
//! taoflow / native
//! | t1 | A→A: 4, 4 | t2 | A→A: 6, 6 | t3 | A→B: 8, B→A: 2 | t4 | A→B: 10, B→A: 4 |
//! | t5 | B→B: 3, 3 | t6 | B→B: 5, 5 |
//! network: value 0.8, meme 0.1, off-topic 0.05, value per TAO 4, peak meme 0.15, crash 0.2.

use std::fs;
use std::path::{Path, PathBuf};

use tourney_reports::compare::{compare_within, CompareBy};
use tourney_reports::stats::student_t_quantile;
use tourney_reports::{build_reports, write_reports, ReportError, ReportOptions, ReportSet};

const HEADER: &str = "tournament,match_id,format,mechanism,schedule,repetition,seed,entrant,opponent,slot,status,reason,profit_tao,mark_to_market_tao,emission_captured_tao,roi,max_drawdown_tao,initial_capital_tao,emission_total_tao,emission_value_share,emission_meme_share,emission_offtopic_share,value_created_tao,value_per_tao_emitted,peak_meme_share,largest_crash";

/// Network columns of one match: value, meme, off-topic, value per TAO, peak meme, crash.
type Net = [f64; 6];

#[allow(clippy::too_many_arguments)]
fn row(
    match_id: &str,
    format: &str,
    mechanism: &str,
    rep: u32,
    entrant: &str,
    opponent: &str,
    slot: u32,
    status: &str,
    profit: f64,
    net: Net,
) -> String {
    let captured = if entrant == "A" { 1.0 } else { 2.0 };
    let reason = if status == "ok" { "" } else { "gave up" };
    format!(
        "t,{match_id},{format},{mechanism},native,{rep},{},{entrant},{opponent},{slot},{status},{reason},{profit},{profit},{captured},{},0,100,1000,{},{},{},0,{},{},{}",
        rep + 40,
        profit / 100.0,
        net[0],
        net[1],
        net[2],
        net[3],
        net[4],
        net[5]
    )
}

fn raw_csv() -> String {
    let d = |value: f64, vpt: f64, crash: f64| -> Net { [value, 0.2, 0.1, vpt, 0.3, crash] };
    let t: Net = [0.8, 0.1, 0.05, 4.0, 0.15, 0.2];
    let (rr, dp, tf) = ("round-robin", "dtao-price", "taoflow");
    let rows = vec![
        row("m1", rr, dp, 0, "A", "A", 0, "ok", 2.0, d(0.5, 1.0, 0.1)),
        row("m1", rr, dp, 0, "A", "A", 1, "ok", 4.0, d(0.5, 1.0, 0.1)),
        row("m2", rr, dp, 1, "A", "A", 0, "ok", 6.0, d(0.5, 3.0, 0.1)),
        row("m2", rr, dp, 1, "A", "A", 1, "ok", 8.0, d(0.5, 3.0, 0.1)),
        row("m3", rr, dp, 0, "A", "B", 0, "ok", 1.0, d(0.5, 1.0, 0.1)),
        row("m3", rr, dp, 0, "B", "A", 1, "ok", 5.0, d(0.5, 1.0, 0.1)),
        row("m4", rr, dp, 1, "A", "B", 0, "ok", 3.0, d(0.5, 3.0, 0.1)),
        row("m4", rr, dp, 1, "B", "A", 1, "ok", 9.0, d(0.5, 3.0, 0.1)),
        row("m5", rr, dp, 0, "B", "B", 0, "ok", 4.0, d(0.7, 1.0, 0.1)),
        row("m5", rr, dp, 0, "B", "B", 1, "ok", 4.0, d(0.7, 1.0, 0.1)),
        row("m6", rr, dp, 1, "B", "B", 0, "ok", 6.0, d(0.7, 3.0, 0.1)),
        row("m6", rr, dp, 1, "B", "B", 1, "ok", 6.0, d(0.7, 3.0, 0.1)),
        row("m7", rr, dp, 2, "A", "B", 0, "ok", 2.0, d(0.7, 1.0, 0.1)),
        row(
            "m7",
            rr,
            dp,
            2,
            "B",
            "A",
            1,
            "forfeit",
            0.0,
            d(0.7, 1.0, 0.1),
        ),
        row(
            "m8",
            "melee",
            dp,
            0,
            "A",
            "*",
            0,
            "ok",
            10.0,
            d(0.7, 3.0, 0.5),
        ),
        row(
            "m8",
            "melee",
            dp,
            0,
            "B",
            "*",
            1,
            "ok",
            4.0,
            d(0.7, 3.0, 0.5),
        ),
        row("t1", rr, tf, 0, "A", "A", 0, "ok", 4.0, t),
        row("t1", rr, tf, 0, "A", "A", 1, "ok", 4.0, t),
        row("t2", rr, tf, 1, "A", "A", 0, "ok", 6.0, t),
        row("t2", rr, tf, 1, "A", "A", 1, "ok", 6.0, t),
        row("t3", rr, tf, 0, "A", "B", 0, "ok", 8.0, t),
        row("t3", rr, tf, 0, "B", "A", 1, "ok", 2.0, t),
        row("t4", rr, tf, 1, "A", "B", 0, "ok", 10.0, t),
        row("t4", rr, tf, 1, "B", "A", 1, "ok", 4.0, t),
        row("t5", rr, tf, 0, "B", "B", 0, "ok", 3.0, t),
        row("t5", rr, tf, 0, "B", "B", 1, "ok", 3.0, t),
        row("t6", rr, tf, 1, "B", "B", 0, "ok", 5.0, t),
        row("t6", rr, tf, 1, "B", "B", 1, "ok", 5.0, t),
    ];
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tourney-reports-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn result_dir(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    fs::write(dir.join("raw.csv"), raw_csv()).unwrap();
    dir
}

fn reports(name: &str) -> ReportSet {
    build_reports(&result_dir(name), &ReportOptions::default()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn payoff_cells_by_hand() {
    let set = reports("payoff");
    let cell = |m: &str, e: &str, o: &str| {
        set.tables
            .payoff
            .iter()
            .find(|c| c.mechanism == m && c.entrant == e && c.opponent == o)
            .unwrap()
            .clone()
    };
    let t1 = student_t_quantile(0.975, 1.0); // 12.706205
    let t2 = student_t_quantile(0.975, 2.0); // 4.302653

    // A vs A: per-match means (2+4)/2 = 3 and (6+8)/2 = 7 → mean 5, s = √((4+4)/1) = 2√2,
    // half width = 12.706205 · 2√2/√2 = 25.412409.
    let c = cell("dtao-price", "A", "A");
    assert_eq!((c.matches, c.mean_profit_tao), (2, 5.0));
    assert!(close(c.std_profit_tao, 2.0 * 2f64.sqrt()));
    assert!(close(c.ci_low_tao, 5.0 - 2.0 * t1) && close(c.ci_high_tao, 5.0 + 2.0 * t1));
    assert!(close(c.ci_high_tao, 30.412409));

    // A vs B: 1, 3, 2 (m7 counts: A was ok) → mean 2, s = 1, half = 4.302653/√3 = 2.484138.
    let c = cell("dtao-price", "A", "B");
    assert_eq!((c.matches, c.mean_profit_tao), (3, 2.0));
    assert!(close(c.std_profit_tao, 1.0));
    assert!(close(c.ci_low_tao, 2.0 - t2 / 3f64.sqrt()) && close(c.ci_low_tao, -0.484138));

    // B vs A: 5, 9 (m7 forfeited, excluded) → mean 7, s = 2√2.
    let c = cell("dtao-price", "B", "A");
    assert_eq!((c.matches, c.mean_profit_tao), (2, 7.0));
    assert!(close(c.std_profit_tao, 2.0 * 2f64.sqrt()));

    // B vs B: 4, 6 → mean 5, s = √2, half = 12.706205.
    let c = cell("dtao-price", "B", "B");
    assert_eq!((c.matches, c.mean_profit_tao), (2, 5.0));
    assert!(close(c.ci_high_tao - c.ci_low_tao, 2.0 * t1));

    // Melee rows never enter the payoff matrix: 4 cells per mechanism, 8 in all.
    assert_eq!(set.tables.payoff.len(), 8);
}

#[test]
fn summary_by_hand() {
    let set = reports("summary");
    let row = |m: &str, f: &str, e: &str| {
        set.tables
            .summary
            .iter()
            .find(|r| r.mechanism == m && r.format == f && r.entrant == e)
            .unwrap()
            .clone()
    };
    // A, dtao-price round-robin: ok profits {1, 2, 2, 3, 4, 6, 8}: n 7, Σ 26 → mean 26/7 =
    // 3.714286; median 3; Σx² = 134, (134 − 26²/7)/6 = 37.428571/6 = 6.238095 → s = 2.497618.
    // Wins: m3 (1 < 5), m4 (3 < 9) lost; m7 alone (B forfeited: one ok row, no contest);
    // self-play never wins → 0. Errors 0. ROI mean = 3.714286/100.
    let a = row("dtao-price", "round-robin", "A");
    assert_eq!((a.matches, a.errors, a.wins, a.rank), (7, 0, 0, 2));
    assert!(close(a.mean_profit_tao, 26.0 / 7.0));
    assert_eq!(a.median_profit_tao, 3.0);
    assert!(close(a.std_profit_tao, 2.497_618));
    assert!(close(a.mean_roi, 26.0 / 700.0));
    assert_eq!(a.mean_emission_captured_tao, 1.0);

    // B: ok profits {4, 4, 5, 6, 6, 9}: n 6, Σ 34 → mean 5.666667, median (5+6)/2 = 5.5;
    // Σx² = 210, (210 − 34²/6)/5 = 17.333333/5 = 3.466667 → s = 1.861899. Wins m3, m4 → 2.
    // Errors: the m7 forfeit → 1. Rank 1.
    let b = row("dtao-price", "round-robin", "B");
    assert_eq!((b.matches, b.errors, b.wins, b.rank), (6, 1, 2, 1));
    assert!(close(b.mean_profit_tao, 34.0 / 6.0));
    assert_eq!(b.median_profit_tao, 5.5);
    assert!(close(b.std_profit_tao, 1.861_899));
    assert_eq!(b.mean_emission_captured_tao, 2.0);

    // Melee m8: A 10 > B 4 → A wins it, rank 1; one observation each, std undefined.
    let a = row("dtao-price", "melee", "A");
    assert_eq!((a.matches, a.wins, a.rank), (1, 1, 1));
    assert!(a.std_profit_tao.is_nan());
    let b = row("dtao-price", "melee", "B");
    assert_eq!((b.wins, b.rank), (0, 2));

    // taoflow: A {4,4,6,6,8,10} mean 38/6 = 6.333333 (rank 1, wins t3, t4 → 2);
    // B {2,4,3,3,5,5} mean 22/6 = 3.666667 (rank 2).
    let a = row("taoflow", "round-robin", "A");
    assert!(close(a.mean_profit_tao, 38.0 / 6.0));
    assert_eq!((a.rank, a.wins), (1, 2));
    assert_eq!(row("taoflow", "round-robin", "B").rank, 2);
}

#[test]
fn network_by_hand() {
    let set = reports("network");
    let dp = &set.tables.network[0];
    assert_eq!((dp.mechanism.as_str(), dp.matches), ("dtao-price", 8));
    // Value share: m1–m4 0.5, m5–m8 0.7 → mean 0.6; meme 0.2, off-topic 0.1 →
    // idle 1 − 0.6 − 0.2 − 0.1 = 0.1; no value 1 − 0.6 = 0.4.
    assert!(close(dp.emission_value_share, 0.6));
    assert!(close(dp.emission_idle_share, 0.1));
    assert!(close(dp.emission_no_value_share, 0.4));
    // Value per TAO: m1 1, m2 3, m3 1, m4 3, m5 1, m6 3, m7 1, m8 3 → mean 2.
    assert!(close(dp.value_per_tao_emitted, 2.0));
    assert!(close(dp.peak_meme_share, 0.3));
    // Largest crash: seven matches at 0.1, m8 at 0.5 → mean 1.2/8 = 0.15, max 0.5.
    assert!(close(dp.largest_crash, 0.15));
    assert_eq!(dp.largest_crash_max, 0.5);
    let tf = &set.tables.network[1];
    assert_eq!((tf.mechanism.as_str(), tf.matches), ("taoflow", 6));
    assert!(close(tf.emission_no_value_share, 0.2));
    assert!(close(tf.emission_idle_share, 0.05));
}

#[test]
fn meta_game_and_verdicts_by_hand() {
    let set = reports("meta");
    // dtao-price: A = [[5, 2], [7, 5]] (row A: 5 vs A, 2 vs B; row B: 7 vs A, 5 vs B).
    // B strictly dominates A (7 > 5, 5 > 2): the only equilibrium is pure B, payoff 5.
    // Regret of A against it: 5 − 2 = 3.
    let g = set.games[0].meta.as_ref().unwrap();
    assert_eq!(g.game.payoff, vec![vec![5.0, 2.0], vec![7.0, 5.0]]);
    let eqs = g.equilibria.as_ref().unwrap();
    assert_eq!(eqs.equilibria.len(), 1);
    assert_eq!(eqs.equilibria[0].mix, vec![0.0, 1.0]);
    assert_eq!(g.regret, vec![3.0, 0.0]);
    assert!(g.replicator.final_mix[1] > 0.999);
    assert!(g.alpha_rank.stationary[1] > 0.99);
    assert_eq!(
        set.verdicts[0].line(),
        "dtao-price / native: equilibrium B (5.000 TAO per match); 40.0 % of emission funded no value"
    );
    // taoflow: [[5, 9], [3, 4]]: A dominates → pure A (payoff 5); no value 1 − 0.8 = 20 %.
    assert_eq!(
        set.verdicts[1].line(),
        "taoflow / native: equilibrium A (5.000 TAO per match); 20.0 % of emission funded no value"
    );
}

#[test]
fn compare_mechanisms_by_hand() {
    let set = reports("compare");
    let cs = compare_within(&set, CompareBy::Mechanism, None).unwrap();
    assert_eq!(cs.len(), 1);
    let c = &cs[0];
    assert_eq!(c.baseline.mechanism, "dtao-price");
    assert_eq!(c.variant.mechanism, "taoflow");
    // A vs B: baseline n 3, mean 2, s 1 → s²/n = 1/3; variant {8, 10}: n 2, mean 9, s √2 →
    // s²/n = 1. Δ = 7, se = √(4/3) = 1.154701,
    // df = (4/3)² / ((1/3)²/2 + 1²/1) = (16/9)/(19/18) = 32/19 = 1.684211.
    let p = c
        .pairings
        .iter()
        .find(|p| p.entrant == "A" && p.opponent == "B")
        .unwrap();
    assert_eq!(p.delta_tao, 7.0);
    assert!(close(p.std_error_tao, (4.0f64 / 3.0).sqrt()));
    assert!(close(p.df, 32.0 / 19.0));
    let t = student_t_quantile(0.975, 32.0 / 19.0);
    assert!(close(p.ci_low_tao, 7.0 - t * (4.0f64 / 3.0).sqrt()));
    // Ranks: A 2 → 1 (+1), B 1 → 2 (−1); the equilibrium moves from pure B to pure A.
    let a = c
        .strategies
        .iter()
        .find(|s| s.entrant == "A" && s.format == "round-robin")
        .unwrap();
    assert_eq!((a.baseline_rank, a.variant_rank, a.rank_change), (2, 1, 1));
    assert!(c.equilibrium_changed);
    assert_eq!(c.baseline_equilibrium.as_deref(), Some("B"));
    assert_eq!(c.variant_equilibrium.as_deref(), Some("A"));
    assert!(close(c.baseline_no_value_share.unwrap(), 0.4));
}

fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn written_reports_are_complete_and_byte_identical() {
    let dir = result_dir("write");
    let options = ReportOptions::default();
    let set = build_reports(&dir, &options).unwrap();
    let first = write_reports(&set, &dir.join("out1"), &options).unwrap();
    let set2 = build_reports(&dir, &options).unwrap();
    write_reports(&set2, &dir.join("out2"), &options).unwrap();
    let a = read_all(&dir.join("out1"));
    let b = read_all(&dir.join("out2"));
    assert_eq!(a, b);
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "payoff.parquet",
        "payoff.csv",
        "summary.parquet",
        "summary.csv",
        "network.parquet",
        "network.csv",
        "equilibria.csv",
        "metagame.json",
        "summary.md",
        "games/dtao-price__native.nfg",
        "plots/payoff__dtao-price__native.svg",
        "plots/emission_by_class.svg",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(first.len(), a.len());
    let md =
        String::from_utf8(a.iter().find(|(n, _)| n == "summary.md").unwrap().1.clone()).unwrap();
    assert!(md.contains("- dtao-price / native: equilibrium B (5.000 TAO per match); 40.0 % of emission funded no value"));
    let eq = String::from_utf8(
        a.iter()
            .find(|(n, _)| n == "equilibria.csv")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(eq.contains(
        "\"dtao-price\",\"native\",0,5.000000000,\"B\",\"A=0.000000000 B=1.000000000\",\"A=0 B=1\""
    ));
    // PNG: every SVG plot also rendered as a PNG file (checked by its signature and size).
    let png = ReportOptions {
        png: true,
        ..options
    };
    let written = write_reports(&set, &dir.join("out3"), &png).unwrap();
    let pngs: Vec<_> = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    let svgs = written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .count();
    assert!(!pngs.is_empty() && pngs.len() == svgs, "{written:?}");
    for p in pngs {
        let bytes = std::fs::read(p).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", p.display());
        assert!(
            bytes.len() > 2_000,
            "{} is too small to hold a plot",
            p.display()
        );
    }
}

#[test]
fn parquet_and_csv_give_the_same_reports() {
    use polars::prelude::*;
    let csv_dir = result_dir("csv-vs-parquet");
    let pq_dir = temp_dir("parquet");
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(csv_dir.join("raw.csv")))
        .unwrap()
        .finish()
        .unwrap();
    let file = fs::File::create(pq_dir.join("raw.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    let a = build_reports(&csv_dir, &ReportOptions::default()).unwrap();
    let b = build_reports(&pq_dir, &ReportOptions::default()).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
}

#[test]
fn missing_table_and_missing_column_are_explained() {
    let dir = temp_dir("missing");
    let err = build_reports(&dir, &ReportOptions::default()).unwrap_err();
    assert!(matches!(err, ReportError::NoRawTable(_)));
    assert_eq!(tourney_reports::cli::exit_code(&err), 2);
    fs::write(dir.join("raw.csv"), "tournament,match_id\nt,m1\n").unwrap();
    let err = build_reports(&dir, &ReportOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no column `format`"), "{err}");
}

#[test]
fn terminal_rendering_mentions_everything() {
    let set = reports("terminal");
    let text = tourney_reports::render::terminal(&set);
    assert!(text.contains("== Verdicts =="));
    assert!(text.contains("5.000 ± 25.412"));
    assert!(text.contains("α-Rank"));
    assert!(text.contains("== Network =="));
}

#[test]
fn match_plot_from_series() {
    let dir = result_dir("series");
    fs::create_dir_all(dir.join("series")).unwrap();
    let series = "block,day,subnet,class,price,ema_price,emission_share,tao_reserve_tao,alpha_reserve_tao,alpha_issuance,root_proportion,flow_ema\n\
0,0,1,value,1.0,1.0,0.6,10,10,10,0.5,0\n\
0,0,2,meme,0.5,0.5,0.4,5,10,10,0.5,0\n\
7200,1,1,value,1.2,1.1,0.5,12,10,10,0.5,0\n\
7200,1,2,meme,0.9,0.6,0.5,9,10,10,0.5,0\n";
    fs::write(dir.join("series/m1.csv"), series).unwrap();
    let out = tourney_reports::cli::plot_command(&dir, Some("m1"), None, false).unwrap();
    let svg = fs::read_to_string(&out[0]).unwrap();
    assert!(svg.contains("Match m1: subnet prices and emission shares"));
    assert!(svg.contains("price (TAO per alpha)"));
    assert!(svg.contains(">meme</text>"));
    let err = tourney_reports::cli::plot_command(&dir, Some("nope"), None, false).unwrap_err();
    assert!(err.to_string().contains("no time series for match `nope`"));
}
