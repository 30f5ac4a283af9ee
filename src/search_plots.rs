//! The plots of `tourney search` (issue 15, outputs): `objective.svg`, the first objective
//! against each knob (one panel per knob), and `front.svg`, the first two objectives of every
//! point with the Pareto front drawn through. Each point appears once, at its evaluation with
//! the most repetitions (the one the search trusts most), with its bootstrap interval as a bar.
//! Feasible points are filled black squares, infeasible ones hollow squares, so the plots read
//! the same printed in greyscale. Drawn with the reports crate's SVG builder and tick rule.

use std::collections::BTreeMap;
use tourney_engine::search::config::{Measure, Objective};
use tourney_engine::search::driver::{Outcome, Record, FEASIBLE};
use tourney_engine::search::space::{Dimension, Domain, Level};
use tourney_reports::plot::{ticks, Svg};

/// The side of a point's square marker; tests count markers by it.
pub const MARKER: f64 = 7.0;
const PANEL_W: f64 = 300.0;
const PANEL_H: f64 = 340.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 52.0;
const GAP: f64 = 84.0;

/// An objective's axis label, with its unit and as the search file states it (maximised
/// measures un-negated).
pub fn objective_label(o: &Objective) -> String {
    let m = match o {
        Objective::Minimise(m) | Objective::Maximise(m) => m,
    };
    match m {
        Measure::Observable(name) if name.ends_with("_share") => {
            format!("{name} at equilibrium (fraction of emission)")
        }
        Measure::Observable(name) => format!("{name} at equilibrium"),
        Measure::Weight(rs) => format!("{}'s weight in {} (probability)", rs.strategy, rs.role),
        Measure::Payoff(role) => format!("{role}' equilibrium payoff (TAO)"),
    }
}

/// A knob's axis label with its unit (`docs/search.md`'s knob table).
pub fn knob_label(knob: &str) -> String {
    match knob {
        "tao_weight" => "tao_weight (fraction of root stake)".into(),
        "flow_exponent" => "flow_exponent p (dimensionless)".into(),
        "flow_cutoff_tao_per_day" => "flow_cutoff_tao_per_day (TAO/day)".into(),
        "owner_cut" => "owner_cut (fraction of alpha emission)".into(),
        "ema_price_rate" | "flow_ema_rate" => format!("{knob} (per block)"),
        "ema_ramp_blocks" => "ema_ramp_blocks h (blocks)".into(),
        "injection_cap" => "injection_cap (× α_e)".into(),
        "objective_price_weight" | "objective_flow_weight" => {
            format!("{knob} (fraction of emission)")
        }
        other => format!("{other} (level)"),
    }
}

/// Per point, the index of its record with the most repetitions (later records win ties), in
/// point order.
pub fn top_records(o: &Outcome) -> Vec<usize> {
    let mut top: BTreeMap<usize, usize> = BTreeMap::new();
    for (k, r) in o.records.iter().enumerate() {
        let e = top.entry(r.request.point).or_insert(k);
        if o.records[*e].request.repetitions <= r.request.repetitions {
            *e = k;
        }
    }
    top.into_values().collect()
}

/// The objective `j` of a record as the file states it: value, lo, hi.
fn stated(r: &Record, j: usize, maximise: bool) -> Stated {
    let e = r.evaluation.objectives[j];
    if maximise {
        (-e.value, -e.hi, -e.lo)
    } else {
        (e.value, e.lo, e.hi)
    }
}

fn feasible(r: &Record, required: &[f64]) -> bool {
    r.evaluation.score(required).feasible >= FEASIBLE
}

/// A linear axis: ticks, and the map from data to canvas.
struct Axis {
    lo: f64,
    hi: f64,
    from: f64,
    to: f64,
}

impl Axis {
    fn new(values: impl Iterator<Item = f64>, from: f64, to: f64) -> Axis {
        let (mut lo, mut hi) = values
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(v), b.max(v))
            });
        if !lo.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if hi - lo < 1e-12 {
            (lo, hi) = (lo - 0.5, hi + 0.5);
        }
        let pad = 0.05 * (hi - lo);
        Axis {
            lo: lo - pad,
            hi: hi + pad,
            from,
            to,
        }
    }
    fn at(&self, v: f64) -> f64 {
        self.from + (v - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
    fn ticks(&self) -> Vec<f64> {
        ticks(self.lo, self.hi, 5)
    }
}

fn tick_text(v: f64, ticks: &[f64]) -> String {
    let step = if ticks.len() > 1 {
        (ticks[1] - ticks[0]).abs()
    } else {
        1.0
    };
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

/// A panel's frame, ticks and axis labels, `width` wide from `x0`; x ticks are given as
/// (position, label).
fn frame(
    svg: &mut Svg,
    (x0, width): (f64, f64),
    y: &Axis,
    xticks: &[(f64, String)],
    xlabel: &str,
    ylabel: &str,
) {
    let (top, bottom) = (y.to, y.from);
    svg.rect(x0, top, width, bottom - top, "none", Some("#000000"));
    let yt = y.ticks();
    for &t in &yt {
        let py = y.at(t);
        svg.line(x0 - 4.0, py, x0, py, "#000000", 1.0);
        svg.text(
            x0 - 6.0,
            py + 3.5,
            &tick_text(t, &yt),
            10.0,
            "end",
            0.0,
            "#000000",
        );
    }
    for (px, label) in xticks {
        svg.line(*px, bottom, *px, bottom + 4.0, "#000000", 1.0);
        svg.text(*px, bottom + 15.0, label, 10.0, "middle", 0.0, "#000000");
    }
    svg.text(
        x0 + width / 2.0,
        bottom + 36.0,
        xlabel,
        11.0,
        "middle",
        0.0,
        "#000000",
    );
    svg.text(
        x0 - 46.0,
        (top + bottom) / 2.0,
        ylabel,
        10.0,
        "middle",
        -90.0,
        "#000000",
    );
}

/// A point's square: filled black when feasible, hollow when not.
fn marker(svg: &mut Svg, x: f64, y: f64, feasible: bool) {
    let h = MARKER / 2.0;
    let fill = if feasible { "#000000" } else { "#ffffff" };
    svg.rect(x - h, y - h, MARKER, MARKER, fill, Some("#000000"));
}

fn legend(svg: &mut Svg, x: f64, y: f64) {
    marker(svg, x, y - 3.5, true);
    svg.text(x + 8.0, y, "feasible", 10.0, "start", 0.0, "#000000");
    marker(svg, x + 70.0, y - 3.5, false);
    svg.text(x + 78.0, y, "infeasible", 10.0, "start", 0.0, "#000000");
    svg.text(
        x + 150.0,
        y,
        "bars: 95 % bootstrap interval",
        10.0,
        "start",
        0.0,
        "#000000",
    );
}

/// Where a knob value goes on a panel's x axis.
type Place = Box<dyn Fn(&Level) -> f64>;

/// A value as the file states it, with its interval: (value, lo, hi).
type Stated = (f64, f64, f64);

/// The x position of a knob value in a panel, and the panel's x ticks.
fn knob_axis(d: &Dimension, x0: f64) -> (Place, Vec<(f64, String)>) {
    let (from, to) = (x0 + 12.0, x0 + PANEL_W - 12.0);
    match &d.domain {
        Domain::Range { lo, hi, .. } => {
            let axis = Axis {
                lo: *lo,
                hi: *hi,
                from,
                to,
            };
            let t = ticks(*lo, *hi, 5);
            let xt = t.iter().map(|&v| (axis.at(v), tick_text(v, &t))).collect();
            let f = move |l: &Level| match l {
                Level::Number(v) => axis.at(*v),
                _ => f64::NAN,
            };
            (Box::new(f), xt)
        }
        Domain::Set(levels) => {
            let n = levels.len() as f64;
            let pos = move |i: usize| from + (i as f64 + 0.5) / n * (to - from);
            let xt = levels
                .iter()
                .enumerate()
                .map(|(i, l)| (pos(i), l.to_string()))
                .collect();
            let levels = levels.clone();
            let f = move |l: &Level| levels.iter().position(|x| x == l).map_or(f64::NAN, pos);
            (Box::new(f), xt)
        }
    }
}

/// The first objective against each knob, one panel per knob.
pub fn objective_svg(
    name: &str,
    dims: &[Dimension],
    objectives: &[Objective],
    required: &[f64],
    o: &Outcome,
) -> Svg {
    let n = dims.len() as f64;
    let width = LEFT + n * PANEL_W + (n - 1.0) * GAP + 20.0;
    let height = TOP + PANEL_H + BOTTOM + 24.0;
    let mut svg = Svg::new(width, height);
    let maximise = matches!(objectives[0], Objective::Maximise(_));
    let word = if maximise { "maximise" } else { "minimise" };
    svg.text(
        LEFT,
        20.0,
        &format!("search {name}: objective 0 ({word}) over the space, one square per point"),
        13.0,
        "start",
        0.0,
        "#000000",
    );
    let top = top_records(o);
    let rows: Vec<(&Record, Stated)> = top
        .iter()
        .map(|&k| (&o.records[k], stated(&o.records[k], 0, maximise)))
        .collect();
    let y = Axis::new(
        rows.iter().flat_map(|(_, (v, lo, hi))| [*v, *lo, *hi]),
        TOP + PANEL_H,
        TOP,
    );
    let ylabel = objective_label(&objectives[0]);
    for (k, d) in dims.iter().enumerate() {
        let x0 = LEFT + k as f64 * (PANEL_W + GAP);
        let (xat, xt) = knob_axis(d, x0);
        frame(
            &mut svg,
            (x0, PANEL_W),
            &y,
            &xt,
            &knob_label(&d.knob),
            &ylabel,
        );
        for (r, (v, lo, hi)) in &rows {
            let px = xat(&r.request.values[k]);
            if !(px.is_finite() && v.is_finite()) {
                continue;
            }
            if lo.is_finite() && hi.is_finite() {
                svg.line(px, y.at(*lo), px, y.at(*hi), "#000000", 1.0);
            }
            marker(&mut svg, px, y.at(*v), feasible(r, required));
        }
    }
    legend(&mut svg, LEFT, height - 10.0);
    svg
}

/// Objective 1 against objective 0 for every point, the Pareto front joined by a line
/// (`None` with fewer than two objectives: the front is then the best point alone).
pub fn front_svg(
    name: &str,
    objectives: &[Objective],
    required: &[f64],
    o: &Outcome,
) -> Option<Svg> {
    if objectives.len() < 2 {
        return None;
    }
    let max = |j: usize| matches!(objectives[j], Objective::Maximise(_));
    let width = LEFT + PANEL_W * 1.6 + 20.0;
    let height = TOP + PANEL_H + BOTTOM + 24.0;
    let mut svg = Svg::new(width, height);
    svg.text(
        LEFT,
        20.0,
        &format!("search {name}: the Pareto front (line) among every point"),
        13.0,
        "start",
        0.0,
        "#000000",
    );
    let top = top_records(o);
    let pts: Vec<(usize, Stated, Stated)> = top
        .iter()
        .map(|&k| {
            let r = &o.records[k];
            (k, stated(r, 0, max(0)), stated(r, 1, max(1)))
        })
        .filter(|(_, a, b)| a.0.is_finite() && b.0.is_finite())
        .collect();
    let x = Axis::new(
        pts.iter().flat_map(|(_, a, _)| [a.0, a.1, a.2]),
        LEFT,
        LEFT + PANEL_W * 1.6,
    );
    let y = Axis::new(
        pts.iter().flat_map(|(_, _, b)| [b.0, b.1, b.2]),
        TOP + PANEL_H,
        TOP,
    );
    let xt: Vec<(f64, String)> = {
        let t = x.ticks();
        t.iter().map(|&v| (x.at(v), tick_text(v, &t))).collect()
    };
    frame(
        &mut svg,
        (LEFT, PANEL_W * 1.6),
        &y,
        &xt,
        &objective_label(&objectives[0]),
        &objective_label(&objectives[1]),
    );
    let mut front: Vec<(f64, f64)> = pts
        .iter()
        .filter(|(k, _, _)| o.front.contains(k))
        .map(|(_, a, b)| (x.at(a.0), y.at(b.0)))
        .collect();
    front.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
    if front.len() > 1 {
        svg.dashed_polyline(&front, "#000000", 1.0, "4 3");
    }
    for (k, a, b) in &pts {
        let (px, py) = (x.at(a.0), y.at(b.0));
        if a.1.is_finite() && a.2.is_finite() {
            svg.line(x.at(a.1), py, x.at(a.2), py, "#000000", 1.0);
        }
        if b.1.is_finite() && b.2.is_finite() {
            svg.line(px, y.at(b.1), px, y.at(b.2), "#000000", 1.0);
        }
        marker(&mut svg, px, py, feasible(&o.records[*k], required));
    }
    legend(&mut svg, LEFT, height - 10.0);
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_engine::search::config::RoleStrategy;
    use tourney_engine::search::driver::{Estimate, Evaluation, Phase, Request};

    fn est(value: f64, lo: f64, hi: f64) -> Estimate {
        Estimate { value, lo, hi }
    }

    /// A record of `point` at `reps` repetitions: no-value share `v` and honest weight `w`
    /// (stored negated, as the evaluator stores a maximised objective), constraint share `c`.
    fn record(point: usize, reps: u32, tw: f64, ramp: bool, v: f64, w: f64, c: f64) -> Record {
        Record {
            phase: Phase::Initial,
            request: Request {
                point,
                coords: vec![0.0, 0.0],
                values: vec![Level::Number(tw), Level::Bool(ramp)],
                repetitions: reps,
            },
            evaluation: Evaluation {
                objectives: vec![est(v, v - 0.05, v + 0.05), est(-w, -w - 0.1, -w + 0.1)],
                constraints: vec![c],
                matches: 6 * reps as u64,
            },
            resumed: false,
        }
    }

    fn dims() -> Vec<Dimension> {
        vec![
            Dimension {
                knob: "tao_weight".into(),
                domain: Domain::Range {
                    lo: 0.05,
                    hi: 0.5,
                    log: false,
                    integer: false,
                },
            },
            Dimension {
                knob: "ema_ramp".into(),
                domain: Domain::Set(vec![Level::Bool(true), Level::Bool(false)]),
            },
        ]
    }

    fn objectives() -> Vec<Objective> {
        vec![
            Objective::Minimise(Measure::Observable("no_value_share".into())),
            Objective::Maximise(Measure::Weight(RoleStrategy {
                role: "owners".into(),
                strategy: "honest-ai-subnet".into(),
            })),
        ]
    }

    /// Four points; point 1 evaluated twice (2 then 8 repetitions), point 2 feasible.
    fn outcome() -> Outcome {
        Outcome {
            records: vec![
                record(0, 2, 0.1, true, 0.30, 0.0, 0.0),
                record(1, 2, 0.2, false, 0.40, 0.1, 0.5),
                record(2, 2, 0.3, true, 0.20, 0.6, 0.95),
                record(3, 2, 0.45, false, 0.50, 0.2, 0.0),
                record(1, 8, 0.2, false, 0.35, 0.3, 0.5),
            ],
            best: Some(2),
            front: vec![2],
            stopped_by_budget: None,
        }
    }

    /// Markers are the only squares of side MARKER; the legend adds one filled and one hollow.
    fn markers(svg: &str) -> (usize, usize) {
        let side = format!(r#"width="{MARKER:.2}" height="{MARKER:.2}""#);
        let filled = svg
            .lines()
            .filter(|l| l.contains(&side) && l.contains(r##"fill="#000000""##))
            .count();
        let hollow = svg
            .lines()
            .filter(|l| l.contains(&side) && l.contains(r##"fill="#ffffff""##))
            .count();
        (filled, hollow)
    }

    fn texts(svg: &Svg) -> Vec<String> {
        svg.text_boxes().iter().map(|b| b.text.clone()).collect()
    }

    #[test]
    fn each_point_once_at_its_most_repetitions() {
        // Point 1's 8-repetition record (index 4) replaces its 2-repetition one (index 1).
        assert_eq!(top_records(&outcome()), vec![0, 4, 2, 3]);
    }

    #[test]
    fn objective_plot_has_a_panel_per_knob_and_a_square_per_point() {
        let svg = objective_svg("s", &dims(), &objectives(), &[0.9], &outcome());
        let text = svg.finish();
        // 4 points × 2 panels; feasible (constraint share 0.95 ≥ 0.9): point 2 only.
        // Plus the legend's one filled and one hollow square.
        assert_eq!(markers(&text), (2 + 1, 2 * 3 + 1));
        let t = texts(&svg);
        assert!(t.contains(&"tao_weight (fraction of root stake)".to_string()));
        assert!(t.contains(&"ema_ramp (level)".to_string()));
        // The y axis, once per panel, with its unit.
        let ylabel = "no_value_share at equilibrium (fraction of emission)".to_string();
        assert_eq!(t.iter().filter(|s| **s == ylabel).count(), 2);
        // The set knob's levels are its ticks.
        assert!(t.contains(&"true".to_string()) && t.contains(&"false".to_string()));
        // No label overlaps another (the second panel's y label sits in the gap), and every
        // one is inside the canvas.
        let boxes = svg.text_boxes();
        let (w, h) = svg.size();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{} overlaps {}", a.text, b.text);
            }
            assert!(
                a.x0 >= 0.0 && a.y0 >= 0.0 && a.x1 <= w && a.y1 <= h,
                "{}",
                a.text
            );
        }
    }

    #[test]
    fn front_plot_states_maximised_objectives_unnegated() {
        let svg = front_svg("s", &objectives(), &[0.9], &outcome()).expect("two objectives");
        let text = svg.finish();
        assert_eq!(markers(&text), (1 + 1, 3 + 1));
        let t = texts(&svg);
        assert!(t.contains(&"honest-ai-subnet's weight in owners (probability)".into()));
        assert!(t.contains(&"no_value_share at equilibrium (fraction of emission)".into()));
        // The honest weights are 0 … 0.6 with ±0.1 bars (stored negated, plotted as stated):
        // the y ticks run over positive values and reach 0.6 (0.7 with padding).
        assert!(t.contains(&"0.6".to_string()));
        assert!(!t.iter().any(|s| s.starts_with("-0.5")));
        let boxes = svg.text_boxes();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{} overlaps {}", a.text, b.text);
            }
            // Inside the canvas.
            let (w, h) = svg.size();
            assert!(
                a.x0 >= 0.0 && a.y0 >= 0.0 && a.x1 <= w && a.y1 <= h,
                "{}",
                a.text
            );
        }
        // One objective: no front plot.
        assert!(front_svg("s", &objectives()[..1], &[0.9], &outcome()).is_none());
    }
}
