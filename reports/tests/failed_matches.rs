//! Matches that could not be played (`error` rows, written with zeros as `tourney run` writes a
//! timed-out or crashed match) are left out of the network table, the verdicts and the
//! comparison, and counted as errors — on a small hand-made raw table, arithmetic in comments.
//!
//! dtao-price / native (round-robin, entrants A and B; profits in TAO)
//! | index | match | rows (entrant→opponent: profit) | value | meme | off-topic | value/TAO | peak meme | crash |
//! | 0     | m0    | A→B: 1, B→A: 3                  | 0.6   | 0.2  | 0.1       | 2         | 0.3       | 0.1   |
//! | 1     | m1    | A→B: 3, B→A: forfeit (0)        | 0.4   | 0.2  | 0.2       | 4         | 0.5       | 0.3   |
//! | 2     | m2    | A→A: 2, A→A: 2                  | 0.5   | 0.3  | 0.1       | 3         | 0.4       | 0.2   |
//! | 3     | m3    | B→B: 5, B→B: 5                  | 0.5   | 0.3  | 0.1       | 3         | 0.4       | 0.2   |
//! | 4     | e4    | A→B: error, B→A: error          | zeros                                                  |
//!
//! taoflow / native: | 5 | e5 | A→B, B→A: error | 6 | e6 | A→B, B→A: error | (zeros).
//!
//! The forfeit match m1 counts (the network was played; only B's payoff is left out).

use std::fs;
use std::path::PathBuf;

use tourney_reports::compare::{compare_within, CompareBy};
use tourney_reports::{build_reports, write_reports, NetworkRow, ReportOptions, ReportSet};

const HEADER: &str = "tournament,match_index,match_id,format,mechanism,schedule,repetition,seed,entrant,opponent,slot,status,reason,profit_tao,emission_captured_tao,roi,emission_value_share,emission_meme_share,emission_offtopic_share,value_per_tao_emitted,peak_meme_share,largest_crash";

/// Network columns of one match: value, meme, off-topic, value per TAO, peak meme, crash.
type Net = [f64; 6];

/// What `tourney run` writes for a match that could not be played: every value zero.
const ZEROS: Net = [0.0; 6];

#[allow(clippy::too_many_arguments)]
fn row(
    index: u32,
    mechanism: &str,
    entrant: &str,
    opponent: &str,
    slot: u32,
    status: &str,
    profit: f64,
    net: Net,
) -> String {
    let id = if status == "error" { 'e' } else { 'm' };
    let reason = match status {
        "ok" => "",
        "forfeit" => "gave up",
        _ => "the match timed out",
    };
    format!(
        "t,{index},{id}{index},round-robin,{mechanism},native,{index},{},{entrant},{opponent},{slot},{status},{reason},{profit},{},{},{},{},{},{},{},{}",
        index + 40,
        if status == "error" { 0.0 } else { 1.0 },
        profit / 100.0,
        net[0],
        net[1],
        net[2],
        net[3],
        net[4],
        net[5]
    )
}

/// The table above; without the failed matches (e4, e5, e6) when `failed` is false.
fn raw_csv(failed: bool) -> String {
    let dp = "dtao-price";
    let mut rows = vec![
        row(
            0,
            dp,
            "A",
            "B",
            0,
            "ok",
            1.0,
            [0.6, 0.2, 0.1, 2.0, 0.3, 0.1],
        ),
        row(
            0,
            dp,
            "B",
            "A",
            1,
            "ok",
            3.0,
            [0.6, 0.2, 0.1, 2.0, 0.3, 0.1],
        ),
        row(
            1,
            dp,
            "A",
            "B",
            0,
            "ok",
            3.0,
            [0.4, 0.2, 0.2, 4.0, 0.5, 0.3],
        ),
        row(
            1,
            dp,
            "B",
            "A",
            1,
            "forfeit",
            0.0,
            [0.4, 0.2, 0.2, 4.0, 0.5, 0.3],
        ),
        row(
            2,
            dp,
            "A",
            "A",
            0,
            "ok",
            2.0,
            [0.5, 0.3, 0.1, 3.0, 0.4, 0.2],
        ),
        row(
            2,
            dp,
            "A",
            "A",
            1,
            "ok",
            2.0,
            [0.5, 0.3, 0.1, 3.0, 0.4, 0.2],
        ),
        row(
            3,
            dp,
            "B",
            "B",
            0,
            "ok",
            5.0,
            [0.5, 0.3, 0.1, 3.0, 0.4, 0.2],
        ),
        row(
            3,
            dp,
            "B",
            "B",
            1,
            "ok",
            5.0,
            [0.5, 0.3, 0.1, 3.0, 0.4, 0.2],
        ),
    ];
    if failed {
        rows.extend([
            row(4, dp, "A", "B", 0, "error", 0.0, ZEROS),
            row(4, dp, "B", "A", 1, "error", 0.0, ZEROS),
            row(5, "taoflow", "A", "B", 0, "error", 0.0, ZEROS),
            row(5, "taoflow", "B", "A", 1, "error", 0.0, ZEROS),
            row(6, "taoflow", "A", "B", 0, "error", 0.0, ZEROS),
            row(6, "taoflow", "B", "A", 1, "error", 0.0, ZEROS),
        ]);
    }
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn result_dir(name: &str, failed: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tourney-reports-failed-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("raw.csv"), raw_csv(failed)).unwrap();
    dir
}

fn reports(name: &str, failed: bool) -> ReportSet {
    build_reports(&result_dir(name, failed), &ReportOptions::default()).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// dtao-price's network row, from m0–m3 alone whether or not e4 is in the table.
fn assert_dtao_price_network(r: &NetworkRow) {
    assert_eq!((r.mechanism.as_str(), r.matches), ("dtao-price", 4));
    // Value (0.6 + 0.4 + 0.5 + 0.5)/4 = 0.5; meme (0.2 + 0.2 + 0.3 + 0.3)/4 = 0.25;
    // off-topic (0.1 + 0.2 + 0.1 + 0.1)/4 = 0.125; idle 1 − 0.5 − 0.25 − 0.125 = 0.125;
    // no value 1 − 0.5 = 0.5. (With e4's zeros as a fifth match: value 0.4, idle 0.3,
    // no value 0.6.)
    assert!(close(r.emission_value_share, 0.5), "{r:?}");
    assert!(close(r.emission_meme_share, 0.25), "{r:?}");
    assert!(close(r.emission_offtopic_share, 0.125), "{r:?}");
    assert!(close(r.emission_idle_share, 0.125), "{r:?}");
    assert!(close(r.emission_no_value_share, 0.5), "{r:?}");
    // Value per TAO (2 + 4 + 3 + 3)/4 = 3; peak meme (0.3 + 0.5 + 0.4 + 0.4)/4 = 0.4;
    // crash (0.1 + 0.3 + 0.2 + 0.2)/4 = 0.2, max 0.3.
    assert!(close(r.value_per_tao_emitted, 3.0), "{r:?}");
    assert!(close(r.peak_meme_share, 0.4), "{r:?}");
    assert!(close(r.largest_crash, 0.2), "{r:?}");
    assert_eq!(r.largest_crash_max, 0.3);
}

#[test]
fn failed_matches_are_left_out_of_the_network_table_and_counted() {
    let clean = reports("clean", false);
    assert_eq!(clean.tables.network.len(), 1);
    assert_dtao_price_network(&clean.tables.network[0]);
    assert_eq!(clean.tables.network[0].errors, 0);

    let set = reports("with-errors", true);
    assert_eq!(set.tables.network.len(), 2);
    let dp = &set.tables.network[0];
    assert_dtao_price_network(dp);
    assert_eq!(dp.errors, 1);
    // taoflow: both matches failed — no observation, so no share at all (not 100 % no value).
    let tf = &set.tables.network[1];
    assert_eq!(
        (tf.mechanism.as_str(), tf.matches, tf.errors),
        ("taoflow", 0, 2)
    );
    for share in [
        tf.emission_value_share,
        tf.emission_idle_share,
        tf.emission_no_value_share,
        tf.value_per_tao_emitted,
        tf.largest_crash,
        tf.largest_crash_max,
    ] {
        assert!(share.is_nan(), "{tf:?}");
    }
    // The summary already counted them: A's e4 row, B's forfeit and e4 rows.
    let errors = |e: &str| {
        set.tables
            .summary
            .iter()
            .find(|r| r.mechanism == "dtao-price" && r.entrant == e)
            .unwrap()
            .errors
    };
    assert_eq!((errors("A"), errors("B")), (1, 2));
}

#[test]
fn verdicts_leave_failed_matches_out_and_say_when_every_match_failed() {
    // Payoffs [[2, 2], [3, 5]] (A vs B: 1 and 3; B vs A: 3, the forfeit left out): B
    // dominates A, pure B at 5.
    let clean = reports("verdicts-clean", false);
    assert_eq!(
        clean.verdicts[0].line(),
        "dtao-price / native: equilibrium B (5.000 TAO per match); 50.0 % of emission funded no value"
    );
    let set = reports("verdicts", true);
    assert_eq!(
        set.verdicts[0].line(),
        "dtao-price / native: equilibrium B (5.000 TAO per match); 50.0 % of emission funded no \
         value (1 failed match left out)"
    );
    assert_eq!(set.verdicts[1].no_value_share, None);
    assert_eq!(
        set.verdicts[1].line(),
        "taoflow / native: no equilibrium (no round-robin payoff matrix); no network data: all 2 \
         matches failed"
    );
    let text = tourney_reports::render::terminal(&set);
    assert!(
        !text.contains("100.0 % of emission funded no value"),
        "{text}"
    );
}

#[test]
fn compare_leaves_failed_matches_out() {
    let set = reports("compare", true);
    let cs = compare_within(&set, CompareBy::Mechanism, None).unwrap();
    assert_eq!(cs.len(), 1);
    let c = &cs[0];
    assert_eq!(
        (c.baseline.mechanism.as_str(), c.variant.mechanism.as_str()),
        ("dtao-price", "taoflow")
    );
    assert!(close(c.baseline_no_value_share.unwrap(), 0.5));
    // Every taoflow match failed: no share (shown as "–"), not 100 %.
    assert_eq!(c.variant_no_value_share, None);
    let text = tourney_reports::compare::render_terminal(&cs);
    assert!(
        text.contains("emission that funded no value: 50.0 % → –"),
        "{text}"
    );
}

#[test]
fn the_written_network_table_counts_failed_matches_as_errors() {
    let dir = result_dir("written", true);
    let options = ReportOptions {
        plots: false,
        ..ReportOptions::default()
    };
    let set = build_reports(&dir, &options).unwrap();
    write_reports(&set, &dir.join("out"), &options).unwrap();
    let csv = fs::read_to_string(dir.join("out/network.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("mechanism,schedule,matches,errors,"),
        "{header}"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("dtao-price,native,4,1,0.5,"),
        "{csv}"
    );
    assert!(
        lines.next().unwrap().starts_with("taoflow,native,0,2,"),
        "{csv}"
    );
    let md = fs::read_to_string(dir.join("out/summary.md")).unwrap();
    assert!(md.contains("all 2 matches failed"), "{md}");
}
