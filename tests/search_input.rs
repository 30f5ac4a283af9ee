//! `tourney search` refuses a bad search file before it plays a match: one error located at
//! the offending value in the search file (file:line:column, the field, why), exit 2, and no
//! output folder. Each case here used to be found only after the first batch of matches
//! ("evaluating a batch failed", exit 1, located in a generated point tournament if at all),
//! to run with a value it should have refused (an integer knob at 0.6, a zero budget read as
//! unlimited), or to be reported without a line and column.

mod common;
use common::scratch;
use std::path::Path;

#[path = "support/tiny_search.rs"]
mod tiny_search;
use tiny_search::write_search;

/// A search over the tiny role game's base tournament (`base.yaml`) that passes every check;
/// each case changes one thing in it.
const GOOD: &str = "name: bad
seed: 5
tournament: base.yaml
space:
  flow_exponent: {range: [0.5, 3.0], scale: log}
  tao_weight: {range: [0.05, 0.5]}
objectives:
  - minimise: {observable: no_value_share}
  - maximise: {weight: {role: owners, strategy: honest-ai-subnet}}
constraints:
  - {role: owners, strategy: meme-farmer, support: out, confidence: 0.9}
method: {initial_points: 4, eta: 2, min_repetitions: 1, max_repetitions: 2, refine_rounds: 1, refine_step: 0.2}
budget: {points: 40, matches: 2000}
";

/// One bad search file: GOOD with `from` replaced by `to`; the error must be at the first
/// occurrence of `at` on line `line` of the new text, name `field` and say `message`.
struct Case {
    from: &'static str,
    to: &'static str,
    line: usize,
    at: &'static str,
    field: &'static str,
    message: &'static str,
}

const CASES: &[Case] = &[
    // Names the role game does not have (found after the first batch before).
    Case {
        from: "observable: no_value_share",
        to: "observable: bogus",
        line: 8,
        at: "bogus",
        field: "objectives[0].minimise.observable",
        message: "unknown observable `bogus`; known: no_value_share, value_share",
    },
    Case {
        from: "{role: owners, strategy: honest",
        to: "{role: ownerz, strategy: honest",
        line: 9,
        at: "ownerz",
        field: "objectives[1].maximise.weight.role",
        message: "the search names role `ownerz`; the tournament's roles are owners, traders",
    },
    Case {
        from: "strategy: honest-ai-subnet}",
        to: "strategy: honest-ai}",
        line: 9,
        at: "honest-ai}",
        field: "objectives[1].maximise.weight.strategy",
        message: "the search names strategy `honest-ai` in role `owners`, which plays \
                  meme-farmer, honest-ai-subnet",
    },
    Case {
        from: "{weight: {role: owners, strategy: honest-ai-subnet}}",
        to: "{payoff: traderz}",
        line: 9,
        at: "traderz",
        field: "objectives[1].maximise.payoff",
        message: "the search names role `traderz`",
    },
    Case {
        from: "strategy: meme-farmer",
        to: "strategy: meme",
        line: 11,
        at: "meme,",
        field: "constraints[0].strategy",
        message: "the search names strategy `meme` in role `owners`",
    },
    // Knob values a point tournament refuses (found in a generated point file before).
    Case {
        from: "{range: [0.5, 3.0], scale: log}",
        to: "{range: [-1, 1]}",
        line: 5,
        at: "-1",
        field: "space.flow_exponent.range[0]",
        message: "`run` refuses the point tournament with flow_exponent = -1: mechanisms[0]: \
                  flow_exponent: expected a number > 0",
    },
    Case {
        from: "  tao_weight:",
        to: "  ema_ramp: {set: [true, 3]}\n  tao_weight:",
        line: 6,
        at: "3]",
        field: "space.ema_ramp.set[1]",
        message: "`run` refuses the point tournament with ema_ramp = 3: mechanisms[0].ema_ramp: \
                  invalid type",
    },
    Case {
        from: "  tao_weight:",
        to: "  injection: {set: [e1, e9]}\n  tao_weight:",
        line: 6,
        at: "e9",
        field: "space.injection.set[1]",
        message: "`run` refuses the point tournament with injection = e9: \
                  mechanisms[0].injection: unknown variant `e9`",
    },
    Case {
        from: "{range: [0.05, 0.5]}",
        to: "{range: [0.05, 1.5]}",
        line: 6,
        at: "1.5",
        field: "space.tao_weight.range[1]",
        message: "`run` refuses the point tournament with tao_weight = 1.5: ",
    },
    // An integer range needs integer ends (0.6 was evaluated before).
    Case {
        from: "{range: [0.05, 0.5]}",
        to: "{range: [0, 0.6], integer: true}",
        line: 6,
        at: "0.6",
        field: "space.tao_weight.range[1]",
        message: "a range with `integer: true` needs integer ends, got 0.6",
    },
    // A zero budget (read as unlimited before).
    Case {
        from: "matches: 2000",
        to: "matches: 0",
        line: 13,
        at: "0}",
        field: "budget.matches",
        message: "expected at least 1 match (leave `matches` out for no limit)",
    },
    Case {
        from: "points: 40",
        to: "points: 0",
        line: 13,
        at: "0,",
        field: "budget.points",
        message: "expected at least 1 point",
    },
    // Space and method errors inside flow maps (no line and column before).
    Case {
        from: "[0.5, 3.0]",
        to: "[3.0, 0.5]",
        line: 5,
        at: "[3.0",
        field: "space.flow_exponent.range",
        message: "expected [lo, hi] with lo < hi, got [3, 0.5]",
    },
    Case {
        from: "eta: 2",
        to: "eta: 1",
        line: 12,
        at: "1, min",
        field: "method.eta",
        message: "expected at least 2",
    },
    Case {
        from: "refine_step: 0.2",
        to: "refine_step: 0.9",
        line: 12,
        at: "0.9",
        field: "method.refine_step",
        message: "expected a step in (0, 0.5]",
    },
    Case {
        from: "max_repetitions: 2",
        to: "max_repetitions: 0",
        line: 12,
        at: "0, refine",
        field: "method.max_repetitions",
        message: "expected at least min_repetitions (1), got 0",
    },
];

/// `tourney search FILE --out OUT` must exit 2 with `expected` on stderr (no panic) and must
/// not have created OUT: nothing was played.
fn refused(file: &Path, expected: &str) {
    let out = file.with_file_name("out");
    let o = common::tourney()
        .arg("search")
        .arg(file)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{expected}\n{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !out.exists(),
        "{expected}: the search created {} before refusing its file",
        out.display()
    );
}

#[test]
fn a_bad_search_file_is_refused_at_its_value_before_any_match() {
    let dir = scratch("cases");
    write_search(&dir); // base.yaml (and a good s.yaml, unused)
    let file = dir.join("bad.yaml");
    for case in CASES {
        let text = GOOD.replacen(case.from, case.to, 1);
        assert_ne!(text, GOOD, "`{}` is not in GOOD", case.from);
        std::fs::write(&file, &text).unwrap();
        let line = text.lines().nth(case.line - 1).unwrap();
        let column = 1 + line
            .find(case.at)
            .unwrap_or_else(|| panic!("`{}` is not on line {}: {line}", case.at, case.line));
        refused(
            &file,
            &format!(
                "bad.yaml:{}:{column}: {}: {}",
                case.line, case.field, case.message
            ),
        );
    }
}

/// The range knobs are also tried together at their ends: two weights each valid alone may
/// sum past 1 (found after a batch before, if the sampler reached that corner at all).
#[test]
fn knobs_valid_alone_are_tried_together_at_their_ends() {
    let dir = scratch("corner");
    write_search(&dir);
    let base = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    std::fs::write(
        dir.join("base.yaml"),
        base.replace("mechanisms: [taoflow]", "mechanisms: [objective]"),
    )
    .unwrap();
    let file = dir.join("bad.yaml");
    std::fs::write(
        &file,
        GOOD.replace(
            "  flow_exponent: {range: [0.5, 3.0], scale: log}\n  tao_weight: {range: [0.05, 0.5]}",
            "  objective_price_weight: {range: [0, 0.6]}\n  objective_flow_weight: {range: [0, 0.6]}",
        ),
    )
    .unwrap();
    refused(
        &file,
        "bad.yaml:4:1: space: `run` refuses the point tournament with every range knob at its \
         upper end (objective_flow_weight = 0.6, objective_price_weight = 0.6): mechanisms[0]: \
         objective_flow_weight: objective_price_weight + objective_flow_weight must be at most 1",
    );
}

/// A point is one role game: a base with two mechanisms, two schedules or another format is
/// refused at the search file's `tournament:` (it was found after a batch, "this tournament
/// gives 2", or for a round-robin base "gives 0").
#[test]
fn a_base_that_is_not_one_role_game_is_refused_at_the_tournament_key() {
    let dir = scratch("base");
    write_search(&dir);
    let base = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    std::fs::write(
        dir.join("two.yaml"),
        base.replace("mechanisms: [taoflow]", "mechanisms: [taoflow, dtao-price]"),
    )
    .unwrap();
    std::fs::write(
        dir.join("rr.yaml"),
        format!(
            "name: rr\nentrants:\n  - crate: {}\n  - crate: {}\nmechanisms: [taoflow]\n\
             schedules: [native, {{name: later, root: native, start_day: 30}}]\n",
            common::strategy_crate("meme-farmer"),
            common::strategy_crate("root-staker")
        ),
    )
    .unwrap();
    let file = dir.join("bad.yaml");
    for (base, says) in [
        ("two.yaml", "has 2 mechanisms (taoflow, dtao-price)"),
        (
            "rr.yaml",
            "is `format: round-robin` and has 2 schedules (native, later)",
        ),
    ] {
        std::fs::write(&file, GOOD.replace("base.yaml", base)).unwrap();
        refused(
            &file,
            &format!(
                "bad.yaml:3:13: tournament: the base tournament {} {says}; a search point must \
                 be one role game: `format: roles`, one mechanism, one schedule",
                dir.join(base).display()
            ),
        );
    }
}

/// A base tournament whose plugin does not exist is refused as `tourney validate` refuses it
/// (the same located error, in the base file), before any match: it was found only when the
/// first batch ran ("evaluating a batch failed", exit 1, located in a generated point file).
/// A base file that cannot be read is the search file's error, at its `tournament:`.
#[test]
fn a_base_with_a_missing_plugin_or_no_base_is_refused_before_any_match() {
    let dir = scratch("base-plugin");
    write_search(&dir);
    let base = std::fs::read_to_string(dir.join("base.yaml")).unwrap();
    let crate_line = format!(
        "      - crate: {}\n",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("strategies/honest-ai-subnet")
            .display()
    );
    assert!(base.contains(&crate_line), "{base}");
    std::fs::write(
        dir.join("base.yaml"),
        base.replace(
            &crate_line,
            "      - {name: honest-ai-subnet, plugin: ./nope/libmissing.so}\n",
        ),
    )
    .unwrap();
    let validate = common::tourney()
        .arg("validate")
        .arg(dir.join("base.yaml"))
        .output()
        .unwrap();
    assert_eq!(validate.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&validate.stderr);
    let expected = stderr.trim().strip_prefix("error: ").unwrap();
    let at = format!(
        "{}:10:34: roles[0].strategies[1].plugin: ",
        dir.join("base.yaml").display()
    );
    assert!(expected.starts_with(&at), "{expected}");
    assert!(expected.contains("./nope/libmissing.so"), "{expected}");
    let file = dir.join("bad.yaml");
    std::fs::write(&file, GOOD).unwrap();
    refused(&file, expected);

    std::fs::write(&file, GOOD.replace("base.yaml", "gone.yaml")).unwrap();
    refused(
        &file,
        &format!(
            "bad.yaml:3:13: tournament: cannot read the base tournament {}: No such file",
            dir.join("gone.yaml").display()
        ),
    );
}
