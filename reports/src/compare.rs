//! Comparison between mechanism variants: one result directory compared across its mechanisms
//! (or schedules), or two result directories compared key by key.
//!
//! For every pairing (row strategy vs column strategy) and every strategy's overall mean,
//! Δ = mean(variant) − mean(baseline) with a Welch interval: standard error
//! `√(s_b²/n_b + s_v²/n_v)`, Welch–Satterthwaite degrees of freedom
//! `(s_b²/n_b + s_v²/n_v)² / ((s_b²/n_b)²/(n_b − 1) + (s_v²/n_v)²/(n_v − 1))`, and
//! `Δ ± t_{0.975, df} · se` (see [`crate::stats::welch`]). The moments come from the report
//! tables (per-match observations for pairings, per-row for strategies), so no raw data is
//! re-read. A Δ is flagged significant when its interval excludes 0. Rank changes use the
//! summary ranks; the equilibrium change compares the selected (best) equilibria.

use std::collections::BTreeSet;
use std::fmt::Write;

use serde::Serialize;

use crate::meta::describe_mix;
use crate::render::{markdown_table, num, text_table};
use crate::stats::{welch, Moments, Welch};
use crate::tables::{PayoffCell, SummaryRow};
use crate::{ReportError, ReportSet};

/// What a single-directory comparison varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareBy {
    Mechanism,
    Schedule,
}

impl std::str::FromStr for CompareBy {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mechanism" => Ok(CompareBy::Mechanism),
            "schedule" => Ok(CompareBy::Schedule),
            other => Err(ReportError::Invalid(format!(
                "cannot compare by `{other}` (hint: use `mechanism` or `schedule`)"
            ))),
        }
    }
}

/// One side of a comparison: a (mechanism, schedule) of some report set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// A label for output ("A", "B", or a directory name).
    pub label: String,
    pub mechanism: String,
    pub schedule: String,
}

impl Variant {
    pub fn name(&self) -> String {
        if self.label.is_empty() {
            format!("{} / {}", self.mechanism, self.schedule)
        } else {
            format!("{}: {} / {}", self.label, self.mechanism, self.schedule)
        }
    }
}

/// Δ of one pairing's mean payoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairingDelta {
    pub entrant: String,
    pub opponent: String,
    pub baseline_mean_tao: f64,
    pub variant_mean_tao: f64,
    pub delta_tao: f64,
    pub std_error_tao: f64,
    pub df: f64,
    pub ci_low_tao: f64,
    pub ci_high_tao: f64,
    pub significant: bool,
}

/// Δ of one strategy's overall mean payoff, and its rank change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyDelta {
    pub format: String,
    pub entrant: String,
    pub baseline_mean_tao: f64,
    pub variant_mean_tao: f64,
    pub delta_tao: f64,
    pub df: f64,
    pub ci_low_tao: f64,
    pub ci_high_tao: f64,
    pub significant: bool,
    pub baseline_rank: usize,
    pub variant_rank: usize,
    /// baseline_rank − variant_rank: positive means the strategy moved up.
    pub rank_change: i64,
}

/// A baseline and a variant side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub baseline: Variant,
    pub variant: Variant,
    pub pairings: Vec<PairingDelta>,
    pub strategies: Vec<StrategyDelta>,
    pub baseline_equilibrium: Option<String>,
    pub variant_equilibrium: Option<String>,
    /// The selected equilibria differ (different support or a probability moved by ≥ 0.001).
    pub equilibrium_changed: bool,
    pub baseline_no_value_share: Option<f64>,
    pub variant_no_value_share: Option<f64>,
}

fn best_mix(set: &ReportSet, mech: &str, sched: &str) -> Option<(Vec<String>, Vec<f64>)> {
    let g = set
        .games
        .iter()
        .find(|g| g.mechanism == mech && g.schedule == sched)?;
    let m = g.meta.as_ref()?;
    let b = m.equilibria.as_ref()?.best()?;
    Some((m.game.strategies.clone(), b.mix.clone()))
}

/// The no-value share over the matches played (None when none was: every match failed).
fn no_value(set: &ReportSet, mech: &str, sched: &str) -> Option<f64> {
    set.tables
        .network
        .iter()
        .find(|r| r.mechanism == mech && r.schedule == sched && r.matches > 0)
        .map(|r| r.emission_no_value_share)
}

/// A report row with a mean payoff over matches, in one mechanism × schedule variant.
trait PayoffMoments {
    fn variant_is(&self, v: &Variant) -> bool;
    fn moments(&self) -> Moments;
}

impl PayoffMoments for PayoffCell {
    fn variant_is(&self, v: &Variant) -> bool {
        self.mechanism == v.mechanism && self.schedule == v.schedule
    }
    fn moments(&self) -> Moments {
        Moments {
            n: self.matches,
            mean: self.mean_profit_tao,
            std: self.std_profit_tao,
        }
    }
}

impl PayoffMoments for SummaryRow {
    fn variant_is(&self, v: &Variant) -> bool {
        self.mechanism == v.mechanism && self.schedule == v.schedule
    }
    fn moments(&self) -> Moments {
        Moments {
            n: self.matches,
            mean: self.mean_profit_tao,
            std: self.std_profit_tao,
        }
    }
}

/// Every baseline row with its counterpart in the variant (`same` decides), and the Welch Δ of
/// their means.
fn matched_deltas<'a, T: PayoffMoments>(
    (baseline_rows, baseline): (&'a [T], &Variant),
    (variant_rows, variant): (&'a [T], &Variant),
    same: impl Fn(&T, &T) -> bool,
    level: f64,
) -> Vec<(&'a T, &'a T, Welch)> {
    let v_rows: Vec<&T> = variant_rows
        .iter()
        .filter(|r| r.variant_is(variant))
        .collect();
    baseline_rows
        .iter()
        .filter(|r| r.variant_is(baseline))
        .filter_map(|b| {
            let v = v_rows.iter().find(|v| same(b, v))?;
            Some((b, *v, welch(&b.moments(), &v.moments(), level)))
        })
        .collect()
}

/// Compares `variant` (in `variant_set`) against `baseline` (in `baseline_set`).
pub fn compare(
    baseline_set: &ReportSet,
    baseline: Variant,
    variant_set: &ReportSet,
    variant: Variant,
    level: f64,
) -> Comparison {
    let significant = |w: &Welch| w.interval.low > 0.0 || w.interval.high < 0.0;
    let pairings = matched_deltas(
        (&baseline_set.tables.payoff, &baseline),
        (&variant_set.tables.payoff, &variant),
        |b, v| v.entrant == b.entrant && v.opponent == b.opponent,
        level,
    )
    .into_iter()
    .map(|(b, v, w)| PairingDelta {
        entrant: b.entrant.clone(),
        opponent: b.opponent.clone(),
        baseline_mean_tao: b.mean_profit_tao,
        variant_mean_tao: v.mean_profit_tao,
        delta_tao: w.delta,
        std_error_tao: w.std_error,
        df: w.df,
        ci_low_tao: w.interval.low,
        ci_high_tao: w.interval.high,
        significant: significant(&w),
    })
    .collect();
    let strategies = matched_deltas(
        (&baseline_set.tables.summary, &baseline),
        (&variant_set.tables.summary, &variant),
        |b, v| v.entrant == b.entrant && v.format == b.format,
        level,
    )
    .into_iter()
    .map(|(b, v, w)| StrategyDelta {
        format: b.format.clone(),
        entrant: b.entrant.clone(),
        baseline_mean_tao: b.mean_profit_tao,
        variant_mean_tao: v.mean_profit_tao,
        delta_tao: w.delta,
        df: w.df,
        ci_low_tao: w.interval.low,
        ci_high_tao: w.interval.high,
        significant: significant(&w),
        baseline_rank: b.rank,
        variant_rank: v.rank,
        rank_change: b.rank as i64 - v.rank as i64,
    })
    .collect();
    let be = best_mix(baseline_set, &baseline.mechanism, &baseline.schedule);
    let ve = best_mix(variant_set, &variant.mechanism, &variant.schedule);
    let equilibrium_changed = match (&be, &ve) {
        (Some((bs, bm)), Some((vs, vm))) => {
            // Compare strategy by strategy, by name (the two games may list different sets).
            let names: BTreeSet<&String> = bs.iter().chain(vs.iter()).collect();
            names.into_iter().any(|n| {
                let pb = bs.iter().position(|s| s == n).map(|i| bm[i]).unwrap_or(0.0);
                let pv = vs.iter().position(|s| s == n).map(|i| vm[i]).unwrap_or(0.0);
                (pb > 0.0) != (pv > 0.0) || (pb - pv).abs() >= 0.001
            })
        }
        (None, None) => false,
        _ => true,
    };
    Comparison {
        baseline_equilibrium: be.map(|(s, m)| describe_mix(&s, &m)),
        variant_equilibrium: ve.map(|(s, m)| describe_mix(&s, &m)),
        equilibrium_changed,
        baseline_no_value_share: no_value(baseline_set, &baseline.mechanism, &baseline.schedule),
        variant_no_value_share: no_value(variant_set, &variant.mechanism, &variant.schedule),
        baseline,
        variant,
        pairings,
        strategies,
    }
}

/// Within one report set: every mechanism (or schedule) against the baseline one, at equal
/// schedule (or mechanism). The baseline is `baseline` if given, else the first in name order.
pub fn compare_within(
    set: &ReportSet,
    by: CompareBy,
    baseline: Option<&str>,
) -> Result<Vec<Comparison>, ReportError> {
    let keys: BTreeSet<(String, String)> = set
        .verdicts
        .iter()
        .map(|v| (v.mechanism.clone(), v.schedule.clone()))
        .collect();
    let (varied, fixed): (BTreeSet<String>, BTreeSet<String>) = match by {
        CompareBy::Mechanism => (
            keys.iter().map(|k| k.0.clone()).collect(),
            keys.iter().map(|k| k.1.clone()).collect(),
        ),
        CompareBy::Schedule => (
            keys.iter().map(|k| k.1.clone()).collect(),
            keys.iter().map(|k| k.0.clone()).collect(),
        ),
    };
    let base = match baseline {
        Some(b) => {
            if !varied.contains(b) {
                return Err(ReportError::Invalid(format!(
                    "baseline `{b}` is not in the results (hint: one of {})",
                    varied.iter().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
            b.to_string()
        }
        None => varied.iter().next().cloned().ok_or_else(|| {
            ReportError::Invalid("nothing to compare: the results are empty".into())
        })?,
    };
    let key = |v: &str, f: &str| match by {
        CompareBy::Mechanism => (v.to_string(), f.to_string()),
        CompareBy::Schedule => (f.to_string(), v.to_string()),
    };
    let mut out = Vec::new();
    for f in &fixed {
        let bk = key(&base, f);
        if !keys.contains(&bk) {
            continue;
        }
        for v in &varied {
            let vk = key(v, f);
            if *v == base || !keys.contains(&vk) {
                continue;
            }
            out.push(compare(
                set,
                Variant {
                    label: String::new(),
                    mechanism: bk.0.clone(),
                    schedule: bk.1.clone(),
                },
                set,
                Variant {
                    label: String::new(),
                    mechanism: vk.0.clone(),
                    schedule: vk.1.clone(),
                },
                set.level,
            ));
        }
    }
    Ok(out)
}

/// Two report sets, key by key: every (mechanism, schedule) present in both.
pub fn compare_sets(a: &ReportSet, a_label: &str, b: &ReportSet, b_label: &str) -> Vec<Comparison> {
    let keys_a: BTreeSet<(String, String)> = a
        .verdicts
        .iter()
        .map(|v| (v.mechanism.clone(), v.schedule.clone()))
        .collect();
    let keys_b: BTreeSet<(String, String)> = b
        .verdicts
        .iter()
        .map(|v| (v.mechanism.clone(), v.schedule.clone()))
        .collect();
    keys_a
        .intersection(&keys_b)
        .map(|(m, s)| {
            compare(
                a,
                Variant {
                    label: a_label.to_string(),
                    mechanism: m.clone(),
                    schedule: s.clone(),
                },
                b,
                Variant {
                    label: b_label.to_string(),
                    mechanism: m.clone(),
                    schedule: s.clone(),
                },
                a.level,
            )
        })
        .collect()
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{} %", num(100.0 * v, 1)))
        .unwrap_or_else(|| "–".into())
}

fn tables_of(c: &Comparison) -> [(Vec<String>, Vec<Vec<String>>); 2] {
    let ph: Vec<String> = [
        "pairing",
        "baseline TAO",
        "variant TAO",
        "Δ TAO",
        "95 % CI of Δ",
        "df",
        "sig.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let pr = c
        .pairings
        .iter()
        .map(|p| {
            vec![
                format!("{} vs {}", p.entrant, p.opponent),
                num(p.baseline_mean_tao, 3),
                num(p.variant_mean_tao, 3),
                num(p.delta_tao, 3),
                format!("[{}, {}]", num(p.ci_low_tao, 3), num(p.ci_high_tao, 3)),
                num(p.df, 1),
                if p.significant {
                    "*".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let sh: Vec<String> = [
        "strategy",
        "format",
        "baseline TAO",
        "variant TAO",
        "Δ TAO",
        "95 % CI of Δ",
        "sig.",
        "rank",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let sr = c
        .strategies
        .iter()
        .map(|s| {
            vec![
                s.entrant.clone(),
                s.format.clone(),
                num(s.baseline_mean_tao, 3),
                num(s.variant_mean_tao, 3),
                num(s.delta_tao, 3),
                format!("[{}, {}]", num(s.ci_low_tao, 3), num(s.ci_high_tao, 3)),
                if s.significant {
                    "*".into()
                } else {
                    String::new()
                },
                format!(
                    "{} → {} ({}{})",
                    s.baseline_rank,
                    s.variant_rank,
                    if s.rank_change > 0 { "+" } else { "" },
                    s.rank_change
                ),
            ]
        })
        .collect();
    [(ph, pr), (sh, sr)]
}

pub(crate) fn header_lines(c: &Comparison) -> Vec<String> {
    vec![
        format!(
            "equilibrium: {} → {}{}",
            c.baseline_equilibrium.clone().unwrap_or_else(|| "–".into()),
            c.variant_equilibrium.clone().unwrap_or_else(|| "–".into()),
            if c.equilibrium_changed {
                " (changed)"
            } else {
                " (unchanged)"
            }
        ),
        format!(
            "emission that funded no value: {} → {}",
            pct(c.baseline_no_value_share),
            pct(c.variant_no_value_share)
        ),
    ]
}

/// Comparisons for a terminal.
pub fn render_terminal(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    if comparisons.is_empty() {
        out.push_str("nothing to compare\n");
    }
    for c in comparisons {
        let _ = writeln!(out, "== {}  vs  {} ==", c.variant.name(), c.baseline.name());
        for l in header_lines(c) {
            let _ = writeln!(out, "{l}");
        }
        let [(ph, pr), (sh, sr)] = tables_of(c);
        let _ = writeln!(out, "\nPairings (Δ = variant − baseline, Welch interval):");
        out.push_str(&text_table(&ph, &pr));
        let _ = writeln!(out, "\nStrategies:");
        out.push_str(&text_table(&sh, &sr));
        out.push('\n');
    }
    out
}

/// Comparisons as Markdown (`compare.md`).
pub fn render_markdown(comparisons: &[Comparison]) -> String {
    let mut out = String::from(
        "# Comparison\n\nΔ = variant − baseline; 95 % Welch intervals (Welch–Satterthwaite df); * = interval excludes 0.\n",
    );
    for c in comparisons {
        let _ = writeln!(
            out,
            "\n## {}  vs  {}\n",
            c.variant.name(),
            c.baseline.name()
        );
        for l in header_lines(c) {
            let _ = writeln!(out, "- {l}");
        }
        let [(ph, pr), (sh, sr)] = tables_of(c);
        let _ = writeln!(out, "\nPairings:\n");
        out.push_str(&markdown_table(&ph, &pr));
        let _ = writeln!(out, "\nStrategies:\n");
        out.push_str(&markdown_table(&sh, &sr));
    }
    out
}
