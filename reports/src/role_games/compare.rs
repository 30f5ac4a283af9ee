//! `tourney compare --by mechanism` (or `schedule`) on a role tournament: how the role
//! equilibria and the network they produce change between variants, with bootstrap intervals
//! on the differences.
//!
//! For each resample `b` (of `resamples`), both games are resampled (each profile's matches
//! drawn with replacement, each side from its own rng seeded by (its bootstrap seed, its side,
//! b)),
//! re-solved, and the equilibrium nearest (L1 over all roles' weights) to each side's verdict
//! equilibrium is taken; the difference variant − baseline of every weight and of every
//! network observable at those equilibria is one draw. The interval is the percentile interval
//! of the draws at `level`. The two sides' matches are independent, so resampling them
//! independently is the bootstrap of the difference.

use std::fmt::Write;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::build::OBSERVABLES;
use super::{bootstrap_seed, RoleCell, RoleOptions};
use crate::compare::CompareBy;
use crate::meta::roles::{role_equilibria, EquilibriumOptions, Mixture, RoleEquilibrium};
use crate::render::{markdown_table, num, text_table};
use crate::ReportError;

/// A difference with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    pub baseline: f64,
    pub variant: f64,
    pub delta: f64,
    pub low: f64,
    pub high: f64,
}

impl Delta {
    /// The interval excludes 0.
    pub fn significant(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// One strategy's weight in its role's equilibrium mix, baseline vs variant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightDelta {
    pub role: String,
    pub strategy: String,
    pub weight: Delta,
}

/// One variant against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleComparison {
    pub baseline: (String, String),
    pub variant: (String, String),
    /// Per role: the verdict's mix on each side, in words.
    pub baseline_equilibrium: Vec<(String, String)>,
    pub variant_equilibrium: Vec<(String, String)>,
    pub weights: Vec<WeightDelta>,
    /// Per observable (in [`OBSERVABLES`] order), at each side's equilibrium.
    pub network: Vec<(String, Delta)>,
    pub resamples: u32,
}

fn l1(a: &Mixture, b: &Mixture) -> f64 {
    a.iter()
        .zip(b)
        .flat_map(|(x, y)| x.iter().zip(y).map(|(p, q)| (p - q).abs()))
        .sum()
}

/// One bootstrap draw of a side: the equilibrium mix nearest the verdict's, and the network
/// observables at it (on the resampled game).
struct Draw {
    mix: Mixture,
    observables: Vec<f64>,
}

/// Resample `b` of `cell`, re-solved (None if it has no equilibrium). `side` (0 baseline, 1
/// variant) keeps the two sides' streams apart when they share labels (two directories).
fn resampled(cell: &RoleCell, reference: &RoleEquilibrium, b: u32, side: u64) -> Option<Draw> {
    let seed = bootstrap_seed(cell.mechanism(), cell.schedule()) ^ 0x05ee_d0fc_0a1e ^ (side << 40);
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed.wrapping_add((b as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)),
    );
    let game = cell.game().resample(&mut rng);
    let eq = role_equilibria(&game, &EquilibriumOptions::default())
        .into_iter()
        .min_by(|x, y| l1(&x.mix, &reference.mix).total_cmp(&l1(&y.mix, &reference.mix)))?;
    let observables = (0..OBSERVABLES.len())
        .map(|k| game.observable_at(&eq.mix, k))
        .collect();
    Some(Draw {
        mix: eq.mix,
        observables,
    })
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn interval(mut draws: Vec<f64>, level: f64) -> (f64, f64) {
    draws.retain(|x| x.is_finite());
    draws.sort_by(f64::total_cmp);
    let a = (1.0 - level) / 2.0;
    (percentile(&draws, a), percentile(&draws, 1.0 - a))
}

/// Compare two role cells (same roles and strategies by name).
pub fn compare_cells(
    base: &RoleCell,
    var: &RoleCell,
    options: &RoleOptions,
) -> Option<RoleComparison> {
    let (be, ve) = (base.reference()?, var.reference()?);
    let roles = base.game().roles();
    if roles != var.game().roles() {
        return None;
    }
    let draws: Vec<(Option<Draw>, Option<Draw>)> = (0..options.resamples)
        .map(|b| (resampled(base, be, b, 0), resampled(var, ve, b, 1)))
        .collect();
    let mut weights = Vec::new();
    for (r, role) in roles.iter().enumerate() {
        for (s, name) in role.strategies.iter().enumerate() {
            let d: Vec<f64> = draws
                .iter()
                .filter_map(|(x, y)| Some(y.as_ref()?.mix[r][s] - x.as_ref()?.mix[r][s]))
                .collect();
            let (low, high) = interval(d, options.level);
            weights.push(WeightDelta {
                role: role.name.clone(),
                strategy: name.clone(),
                weight: Delta {
                    baseline: be.mix[r][s],
                    variant: ve.mix[r][s],
                    delta: ve.mix[r][s] - be.mix[r][s],
                    low,
                    high,
                },
            });
        }
    }
    let network = OBSERVABLES
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let (b0, v0) = (
                base.game().observable_at(&be.mix, k),
                var.game().observable_at(&ve.mix, k),
            );
            let d: Vec<f64> = draws
                .iter()
                .filter_map(|(x, y)| Some(y.as_ref()?.observables[k] - x.as_ref()?.observables[k]))
                .collect();
            let (low, high) = interval(d, options.level);
            (
                name.to_string(),
                Delta {
                    baseline: b0,
                    variant: v0,
                    delta: v0 - b0,
                    low,
                    high,
                },
            )
        })
        .collect();
    let words = |cell: &RoleCell, eq: &RoleEquilibrium| {
        cell.game()
            .roles()
            .iter()
            .zip(&eq.mix)
            .map(|(role, m)| {
                (
                    role.name.clone(),
                    crate::meta::describe_mix(&role.strategies, m),
                )
            })
            .collect()
    };
    Some(RoleComparison {
        baseline: (base.mechanism().into(), base.schedule().into()),
        variant: (var.mechanism().into(), var.schedule().into()),
        baseline_equilibrium: words(base, be),
        variant_equilibrium: words(var, ve),
        weights,
        network,
        resamples: options.resamples,
    })
}

/// Every mechanism (or schedule) against the baseline one (`baseline`, else the first in
/// name order), at equal schedule (or mechanism).
pub fn compare_within(
    cells: &[RoleCell],
    by: CompareBy,
    baseline: Option<&str>,
    options: &RoleOptions,
) -> Result<Vec<RoleComparison>, ReportError> {
    let varied_of = |c: &RoleCell| match by {
        CompareBy::Mechanism => c.mechanism().to_string(),
        CompareBy::Schedule => c.schedule().to_string(),
    };
    let fixed_of = |c: &RoleCell| match by {
        CompareBy::Mechanism => c.schedule().to_string(),
        CompareBy::Schedule => c.mechanism().to_string(),
    };
    let varied: std::collections::BTreeSet<String> = cells.iter().map(varied_of).collect();
    let base = match baseline {
        Some(b) if varied.contains(b) => b.to_string(),
        Some(b) => {
            return Err(ReportError::Invalid(format!(
                "baseline `{b}` is not in the results (hint: one of {})",
                varied.iter().cloned().collect::<Vec<_>>().join(", ")
            )))
        }
        None => match varied.iter().next() {
            Some(b) => b.clone(),
            None => return Ok(Vec::new()),
        },
    };
    let mut out = Vec::new();
    for b in cells.iter().filter(|c| varied_of(c) == base) {
        for v in cells
            .iter()
            .filter(|c| varied_of(c) != base && fixed_of(c) == fixed_of(b))
        {
            if let Some(c) = compare_cells(b, v, options) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

fn pct_delta(d: &Delta) -> [String; 4] {
    let p = |x: f64| num(100.0 * x, 1);
    [
        p(d.baseline),
        p(d.variant),
        format!("{}{}", p(d.delta), if d.significant() { " *" } else { "" }),
        format!("[{}, {}]", p(d.low), p(d.high)),
    ]
}

/// A table's headers and rows.
type Table = (Vec<String>, Vec<Vec<String>>);

/// The weights table and the network table of a comparison.
fn tables(c: &RoleComparison) -> (Table, Table) {
    let wh: Vec<String> = [
        "role / strategy",
        "baseline weight",
        "variant weight",
        "Δ",
        "interval",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let wr = c
        .weights
        .iter()
        .map(|w| {
            vec![
                format!("{} / {}", w.role, w.strategy),
                num(w.weight.baseline, 3),
                num(w.weight.variant, 3),
                format!(
                    "{}{}",
                    num(w.weight.delta, 3),
                    if w.weight.significant() { " *" } else { "" }
                ),
                format!("[{}, {}]", num(w.weight.low, 3), num(w.weight.high, 3)),
            ]
        })
        .collect();
    let nh: Vec<String> = ["at equilibrium (%)", "baseline", "variant", "Δ", "interval"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let nr = c
        .network
        .iter()
        .filter(|(n, _)| n.ends_with("share") || n == "largest_crash")
        .map(|(n, d)| {
            let mut row = vec![n.replace('_', " ")];
            row.extend(pct_delta(d));
            row
        })
        .collect();
    ((wh, wr), (nh, nr))
}

fn header(c: &RoleComparison) -> String {
    let mix = |v: &[(String, String)]| {
        v.iter()
            .map(|(r, m)| format!("{r}: {m}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let no_value = c
        .network
        .iter()
        .find(|(n, _)| n == "no_value_share")
        .map(|(_, d)| d);
    let nv = match no_value {
        Some(d) => format!(
            "; no value at equilibrium {} % → {} % (Δ {} points [{}, {}])",
            num(100.0 * d.baseline, 1),
            num(100.0 * d.variant, 1),
            num(100.0 * d.delta, 1),
            num(100.0 * d.low, 1),
            num(100.0 * d.high, 1)
        ),
        None => String::new(),
    };
    format!(
        "{} / {} → {} / {}: {} ⇒ {}{nv}",
        c.baseline.0,
        c.baseline.1,
        c.variant.0,
        c.variant.1,
        mix(&c.baseline_equilibrium),
        mix(&c.variant_equilibrium)
    )
}

/// Terminal text of the role comparisons.
pub fn render_terminal(cs: &[RoleComparison]) -> String {
    let mut out = String::new();
    if cs.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "== Role equilibria compared ({} bootstrap resamples; * = interval excludes 0) ==",
        cs[0].resamples
    );
    for c in cs {
        let _ = writeln!(out, "\n{}", header(c));
        let ((wh, wr), (nh, nr)) = tables(c);
        out.push_str(&text_table(&wh, &wr));
        out.push_str(&text_table(&nh, &nr));
    }
    out
}

/// Markdown of the role comparisons.
pub fn render_markdown(cs: &[RoleComparison]) -> String {
    let mut out = String::new();
    if cs.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "# Role equilibria compared\n\n{} bootstrap resamples per side; `*`: the interval excludes 0.\n",
        cs[0].resamples
    );
    for c in cs {
        let _ = writeln!(out, "## {}\n", header(c));
        let ((wh, wr), (nh, nr)) = tables(c);
        out.push_str(&markdown_table(&wh, &wr));
        out.push('\n');
        out.push_str(&markdown_table(&nh, &nr));
        out.push('\n');
    }
    out
}
