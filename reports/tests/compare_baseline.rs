//! `compare DIR --by mechanism|schedule --baseline NAME` on a round-robin result: any variant
//! present is accepted as the baseline (it was refused whenever the directory had no role
//! game, with an empty hint), and a name that is absent is refused with the valid names.
//!
//! The table: round-robin, entrants A and B, one repetition of every pairing under two
//! mechanisms (dtao-price, taoflow) and one schedule (native).

use std::fs;
use std::path::PathBuf;

use tourney_reports::cli::{compare_command, exit_code};
use tourney_reports::compare::CompareBy;
use tourney_reports::ReportOptions;

const HEADER: &str = "tournament,match_index,match_id,format,mechanism,schedule,repetition,entrant,opponent,status,profit_tao,emission_captured_tao,roi,emission_value_share,emission_meme_share,emission_offtopic_share,value_per_tao_emitted,peak_meme_share,largest_crash";

fn raw_csv() -> String {
    let mut rows = Vec::new();
    let mut index = 0;
    for (mechanism, value) in [("dtao-price", 0.6), ("taoflow", 0.8)] {
        for (a, b) in [("A", "A"), ("A", "B"), ("B", "B")] {
            for (entrant, opponent) in [(a, b), (b, a)] {
                let profit = if entrant == "A" { 2.0 } else { 3.0 };
                rows.push(format!(
                    "t,{index},m{index},round-robin,{mechanism},native,0,{entrant},{opponent},ok,{profit},1,0.01,{value},0.1,0.1,2,0.2,0.1"
                ));
            }
            index += 1;
        }
    }
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

fn result_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "tourney-reports-baseline-{name}-{}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("raw.csv"), raw_csv()).unwrap();
    dir
}

#[test]
fn every_variant_present_is_accepted_as_the_baseline() {
    let dir = result_dir("present");
    let options = ReportOptions {
        plots: false,
        ..ReportOptions::default()
    };
    let compare = |by: CompareBy, baseline: Option<&str>| {
        compare_command(
            std::slice::from_ref(&dir),
            Some(by),
            baseline,
            Some(&dir.join("out")),
            &options,
        )
    };
    // Without --baseline the first mechanism in name order is the baseline; naming it, or
    // the other one, gives that comparison.
    let default = compare(CompareBy::Mechanism, None).unwrap();
    let named = compare(CompareBy::Mechanism, Some("dtao-price")).unwrap();
    assert!(
        named.contains("== taoflow / native  vs  dtao-price / native =="),
        "{named}"
    );
    assert_eq!(default, named);
    let other = compare(CompareBy::Mechanism, Some("taoflow")).unwrap();
    assert!(
        other.contains("== dtao-price / native  vs  taoflow / native =="),
        "{other}"
    );
    // By schedule: the only schedule is the baseline, with nothing to compare it with.
    let by_schedule = compare(CompareBy::Schedule, Some("native")).unwrap();
    assert!(by_schedule.contains("nothing to compare"), "{by_schedule}");

    // A name that is not there: refused (exit code 2), with the names that are.
    let err = compare(CompareBy::Mechanism, Some("legacy-root")).unwrap_err();
    assert_eq!(exit_code(&err), 2);
    assert_eq!(
        err.to_string(),
        "baseline `legacy-root` is not in the results (hint: one of dtao-price, taoflow)"
    );
    let err = compare(CompareBy::Schedule, Some("dtao-price")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "baseline `dtao-price` is not in the results (hint: one of native)"
    );
}
