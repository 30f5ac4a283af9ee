//! The search file (`searches/*.yaml`): the base role tournament, the parameter space over
//! mechanism knobs, the objectives and constraints over the equilibrium, the method's settings
//! and the budget. Parsed with serde (unknown fields rejected everywhere; the CLI turns serde's
//! errors into file:line:column), then checked by [`SearchConfig::check`], whose errors name
//! the field so the CLI can locate them too. What needs the base tournament (its roles,
//! strategies, one role game, the knob values a point tournament accepts) is checked by the
//! CLI before the first batch (`src/commands/search/preflight.rs`).
//!
//! ```yaml
//! name: honest-owners
//! seed: 7
//! tournament: ../tournaments/dtao-transition.yaml
//! space:
//!   tao_weight: {range: [0.05, 0.5]}
//!   flow_exponent: {range: [0.5, 4.0], scale: log}
//!   alpha_emission: {set: [issuance, by-share]}
//! objectives:
//!   - minimise: {observable: no_value_share}
//!   - maximise: {weight: {role: owners, strategy: honest-ai-subnet}}
//! constraints:
//!   - {role: owners, strategy: meme-farmer, support: out, confidence: 0.9}
//! method: {initial_points: 16, eta: 3, min_repetitions: 2, max_repetitions: 18}
//! budget: {points: 40, matches: 20000}
//! ```

use super::driver::Method;
use super::space::{Dimension, Domain, Level, Space};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Where a knob's value goes in the base tournament.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A field of the tournament's `network:` block.
    Network(&'static str),
    /// A field of every entry of `mechanisms:` (a bare name becomes `{name: …, field: …}`).
    Mechanism(&'static str),
}

/// A mechanism knob the search may vary: its name in the search file, where it goes, what it
/// sets and the value the engine uses when it is not set (today's chain rule).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Knob {
    pub name: &'static str,
    pub target: Target,
    pub sets: &'static str,
    pub default: &'static str,
}

/// The knobs a tournament file can set: every mechanism parameter the engine exposes (the
/// chain's per-block rates are fields of a mechanism entry too, `rates.rs`).
pub const KNOBS: &[Knob] = &[
    Knob {
        name: "tao_weight",
        target: Target::Network("tao_weight"),
        sets: "TaoWeight τw, root stake's weight against alpha stake",
        default: "0.18",
    },
    Knob {
        name: "ema_ramp",
        target: Target::Mechanism("ema_ramp"),
        sets: "whether the E1 EMA rate ramps (false: the launch-day constant 3e-6)",
        default: "true",
    },
    Knob {
        name: "injection",
        target: Target::Mechanism("injection"),
        sets: "the injection rule (e1, e2, e3, e3-cap-block-emission, e5-root-cap)",
        default: "the mechanism's own",
    },
    Knob {
        name: "alpha_emission",
        target: Target::Mechanism("alpha_emission"),
        sets: "alpha emission: issuance (the chain's) or by-share",
        default: "issuance",
    },
    Knob {
        name: "flow_exponent",
        target: Target::Mechanism("flow_exponent"),
        sets: "TaoFlow's exponent p in max(flow − L, 0)^p",
        default: "1",
    },
    Knob {
        name: "flow_cutoff_tao_per_day",
        target: Target::Mechanism("flow_cutoff_tao_per_day"),
        sets: "TaoFlow's cutoff L, TAO per day",
        default: "0",
    },
    Knob {
        name: "ema_start",
        target: Target::Mechanism("ema_start"),
        sets: "where the EMA price starts: zero (the chain) or spot (counterfactual)",
        default: "zero",
    },
    Knob {
        name: "fees",
        target: Target::Mechanism("fees"),
        sets: "the pool's fee rule: flat (50,000 rao), unstake-yield or proportional (33/65535)",
        default: "the era's (flat before day 34, unstake-yield to day 137, proportional from it)",
    },
    Knob {
        name: "owner_cut",
        target: Target::Mechanism("owner_cut"),
        sets: "the subnet owner's cut of alpha emission, a fraction (nearest 1/65535)",
        default: "11796/65535 ≈ 0.18",
    },
    Knob {
        name: "ema_price_rate",
        target: Target::Mechanism("ema_price_rate"),
        sets: "the moving price's base rate a per block (E1 and E2 shares follow it)",
        default: "3e-6",
    },
    Knob {
        name: "ema_ramp_blocks",
        target: Target::Mechanism("ema_ramp_blocks"),
        sets: "the moving price's ramp length h: rate a·b/(b + h) for a subnet b blocks old",
        default: "201600",
    },
    Knob {
        name: "flow_ema_rate",
        target: Target::Mechanism("flow_ema_rate"),
        sets: "TaoFlow's EMA rate per block (the flow signal's memory)",
        default: "3.209e-6",
    },
    Knob {
        name: "injection_cap",
        target: Target::Mechanism("injection_cap"),
        sets: "a factor on the injection rule's alpha_in cap (α_e, min(α_e, E) or rp·α_e)",
        default: "1",
    },
    Knob {
        name: "objective_price_weight",
        target: Target::Mechanism("objective_price_weight"),
        sets: "the objective rule's weight on the EMA price signal (value gets the rest)",
        default: "0",
    },
    Knob {
        name: "objective_flow_weight",
        target: Target::Mechanism("objective_flow_weight"),
        sets: "the objective rule's weight on the flow EMA signal (value gets the rest)",
        default: "0",
    },
];

/// The knob named `name`.
pub fn knob(name: &str) -> Option<&'static Knob> {
    KNOBS.iter().find(|k| k.name == name)
}

/// How a range is spaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    #[default]
    Linear,
    Log,
}

/// One knob's domain as written: `{range: [lo, hi], scale, integer}` or `{set: [...]}`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainYaml {
    #[serde(default)]
    pub range: Option<[f64; 2]>,
    #[serde(default)]
    pub scale: Scale,
    #[serde(default)]
    pub integer: bool,
    #[serde(default)]
    pub set: Option<Vec<Level>>,
}

/// What an objective measures at a role equilibrium: exactly one of the three fields.
/// (Maps with optional fields rather than a Rust enum: serde_yaml reads enums as YAML tags.)
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureYaml {
    /// A network observable at the equilibrium (e.g. `no_value_share`).
    #[serde(default)]
    pub observable: Option<String>,
    /// A strategy's weight in its role's equilibrium mixture.
    #[serde(default)]
    pub weight: Option<RoleStrategy>,
    /// A role's payoff at the equilibrium (TAO at the role's capital).
    #[serde(default)]
    pub payoff: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleStrategy {
    pub role: String,
    pub strategy: String,
}

/// A checked measure.
#[derive(Clone, Debug, PartialEq)]
pub enum Measure {
    Observable(String),
    Weight(RoleStrategy),
    Payoff(String),
}

/// One objective as written: `{minimise: MEASURE}` or `{maximise: MEASURE}`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveYaml {
    #[serde(default)]
    pub minimise: Option<MeasureYaml>,
    #[serde(default)]
    pub maximise: Option<MeasureYaml>,
}

/// A checked objective; the first ranks points, all of them make the Pareto front.
#[derive(Clone, Debug, PartialEq)]
pub enum Objective {
    Minimise(Measure),
    Maximise(Measure),
}

impl MeasureYaml {
    fn check(&self, field: &str) -> Result<Measure, ConfigIssue> {
        match (&self.observable, &self.weight, &self.payoff) {
            (Some(o), None, None) => Ok(Measure::Observable(o.clone())),
            (None, Some(w), None) => Ok(Measure::Weight(w.clone())),
            (None, None, Some(p)) => Ok(Measure::Payoff(p.clone())),
            _ => Err(ConfigIssue {
                field: field.to_string(),
                message: "expected exactly one of `observable: NAME`, \
                          `weight: {role, strategy}` or `payoff: ROLE`"
                    .into(),
            }),
        }
    }
}

impl ObjectiveYaml {
    fn check(&self, field: &str) -> Result<Objective, ConfigIssue> {
        match (&self.minimise, &self.maximise) {
            (Some(m), None) => Ok(Objective::Minimise(m.check(&format!("{field}.minimise"))?)),
            (None, Some(m)) => Ok(Objective::Maximise(m.check(&format!("{field}.maximise"))?)),
            _ => Err(ConfigIssue {
                field: field.to_string(),
                message: "expected exactly one of `minimise:` or `maximise:`".into(),
            }),
        }
    }
}

/// Inside or outside the equilibrium's support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    In,
    Out,
}

/// "strategy in (or out of) role's support, in at least `confidence` of the bootstrap
/// resamples".
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Constraint {
    pub role: String,
    pub strategy: String,
    pub support: Support,
    pub confidence: f64,
}

/// The method's settings; every field has a default.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MethodYaml {
    pub initial_points: usize,
    pub eta: usize,
    pub min_repetitions: u32,
    pub max_repetitions: u32,
    pub refine_rounds: u32,
    pub refine_step: f64,
}

impl Default for MethodYaml {
    fn default() -> Self {
        MethodYaml {
            initial_points: 16,
            eta: 3,
            min_repetitions: 2,
            max_repetitions: 18,
            refine_rounds: 4,
            refine_step: 0.1,
        }
    }
}

/// Budget: distinct points, matches and wall-clock hours (absent = unlimited; a written 0 is
/// refused by [`SearchConfig::check`], since it could only mean "play nothing"). Points and
/// matches keep the outcome a function of the file; `hours` stops at the first batch boundary
/// past the time, so which batches ran depends on the machine (the journal then reproduces
/// the search: `--resume` replays nothing and writes the same bytes).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Budget {
    pub points: Option<usize>,
    pub matches: Option<u64>,
    pub hours: Option<f64>,
}

/// A search file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    pub name: String,
    #[serde(default)]
    pub seed: u64,
    /// The base role tournament, relative to the search file.
    pub tournament: PathBuf,
    /// Knob → domain; knobs are ordered by name (the unit cube's axis order).
    pub space: BTreeMap<String, DomainYaml>,
    pub objectives: Vec<ObjectiveYaml>,
    #[serde(default)]
    pub constraints: Vec<Constraint>,
    #[serde(default)]
    pub method: MethodYaml,
    #[serde(default)]
    pub budget: Budget,
}

/// A check that failed: the field (a path like `space.tao_weight.range`) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigIssue {
    pub field: String,
    pub message: String,
}

impl SearchConfig {
    /// The space, the method and the objectives, or the first issue found, naming its field.
    pub fn check(&self) -> Result<(Space, Method, Vec<Objective>), ConfigIssue> {
        let issue = |field: String, message: String| ConfigIssue { field, message };
        let mut dims = Vec::new();
        for (name, d) in &self.space {
            let field = format!("space.{name}");
            if knob(name).is_none() {
                let known: Vec<&str> = KNOBS.iter().map(|k| k.name).collect();
                return Err(issue(
                    field,
                    format!("unknown knob `{name}`; known knobs: {}", known.join(", ")),
                ));
            }
            let domain = match (&d.range, &d.set) {
                (Some([lo, hi]), None) => {
                    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                        return Err(issue(
                            format!("{field}.range"),
                            format!("expected [lo, hi] with lo < hi, got [{lo}, {hi}]"),
                        ));
                    }
                    if d.scale == Scale::Log && *lo <= 0.0 {
                        return Err(issue(
                            format!("{field}.scale"),
                            format!("a log scale needs lo > 0, got {lo}"),
                        ));
                    }
                    // Decoding rounds to the nearest integer and then clamps to [lo, hi]: with
                    // a fractional end the clamp gives that end back, so `[0.5, 0.6]` would
                    // evaluate 0.6, not an integer. Integer ends keep every value an integer.
                    if d.integer {
                        for (k, end) in [lo, hi].into_iter().enumerate() {
                            if end.fract() != 0.0 {
                                return Err(issue(
                                    format!("{field}.range[{k}]"),
                                    format!(
                                        "a range with `integer: true` needs integer ends, \
                                         got {end}"
                                    ),
                                ));
                            }
                        }
                    }
                    Domain::Range {
                        lo: *lo,
                        hi: *hi,
                        log: d.scale == Scale::Log,
                        integer: d.integer,
                    }
                }
                (None, Some(levels)) => {
                    // `scale` and `integer` shape a range; on a set they would be ignored.
                    if d.scale != Scale::Linear || d.integer {
                        let key = if d.integer { "integer" } else { "scale" };
                        return Err(issue(
                            format!("{field}.{key}"),
                            format!("`{key}` applies to a range, not to a set"),
                        ));
                    }
                    if levels.is_empty() {
                        return Err(issue(
                            format!("{field}.set"),
                            "expected at least one level".into(),
                        ));
                    }
                    Domain::Set(levels.clone())
                }
                _ => {
                    return Err(issue(
                        field,
                        "expected exactly one of `range: [lo, hi]` or `set: [...]`".into(),
                    ))
                }
            };
            dims.push(Dimension {
                knob: name.clone(),
                domain,
            });
        }
        let space = Space::new(dims).map_err(|e| issue("space".into(), e.to_string()))?;
        if self.objectives.is_empty() {
            return Err(issue(
                "objectives".into(),
                "expected at least one objective".into(),
            ));
        }
        let objectives = self
            .objectives
            .iter()
            .enumerate()
            .map(|(k, o)| o.check(&format!("objectives[{k}]")))
            .collect::<Result<Vec<_>, _>>()?;
        for (k, c) in self.constraints.iter().enumerate() {
            if !(c.confidence > 0.0 && c.confidence <= 1.0) {
                return Err(issue(
                    format!("constraints[{k}].confidence"),
                    format!("expected a share in (0, 1], got {}", c.confidence),
                ));
            }
        }
        let m = &self.method;
        if m.initial_points == 0 {
            return Err(issue(
                "method.initial_points".into(),
                "expected at least 1".into(),
            ));
        }
        if m.eta < 2 {
            return Err(issue("method.eta".into(), "expected at least 2".into()));
        }
        if m.min_repetitions == 0 {
            return Err(issue(
                "method.min_repetitions".into(),
                "expected at least 1".into(),
            ));
        }
        if m.max_repetitions < m.min_repetitions {
            return Err(issue(
                "method.max_repetitions".into(),
                format!(
                    "expected at least min_repetitions ({}), got {}",
                    m.min_repetitions, m.max_repetitions
                ),
            ));
        }
        if !(m.refine_step > 0.0 && m.refine_step <= 0.5) {
            return Err(issue(
                "method.refine_step".into(),
                format!(
                    "expected a step in (0, 0.5] of the unit cube, got {}",
                    m.refine_step
                ),
            ));
        }
        // A zero budget would stop the search before its first point; the driver reads 0 as
        // "no limit" (an absent budget), so a written 0 is refused rather than silently
        // meaning unlimited.
        if self.budget.points == Some(0) {
            return Err(issue(
                "budget.points".into(),
                "expected at least 1 point (leave `points` out for no limit)".into(),
            ));
        }
        if self.budget.matches == Some(0) {
            return Err(issue(
                "budget.matches".into(),
                "expected at least 1 match (leave `matches` out for no limit)".into(),
            ));
        }
        if let Some(h) = self.budget.hours {
            if !(h.is_finite() && h > 0.0) {
                return Err(issue(
                    "budget.hours".into(),
                    format!("expected a number of hours > 0, got {h}"),
                ));
            }
        }
        Ok((
            space,
            Method {
                seed: self.seed,
                initial_points: m.initial_points,
                eta: m.eta,
                min_repetitions: m.min_repetitions,
                max_repetitions: m.max_repetitions,
                refine_rounds: m.refine_rounds,
                refine_step: m.refine_step,
                required: self.constraints.iter().map(|c| c.confidence).collect(),
                max_points: self.budget.points.unwrap_or(0),
                max_matches: self.budget.matches.unwrap_or(0),
            },
            objectives,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name: honest-owners
seed: 7
tournament: ../tournaments/dtao-transition.yaml
space:
  tao_weight: {range: [0.05, 0.5]}
  flow_exponent: {range: [0.5, 4.0], scale: log}
  alpha_emission: {set: [issuance, by-share]}
objectives:
  - minimise: {observable: no_value_share}
  - maximise: {weight: {role: owners, strategy: honest-ai-subnet}}
constraints:
  - {role: owners, strategy: meme-farmer, support: out, confidence: 0.9}
method: {initial_points: 12, eta: 3, min_repetitions: 2, max_repetitions: 18}
budget: {points: 40, matches: 20000}
";

    fn parse(text: &str) -> Result<SearchConfig, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    #[test]
    fn the_documented_example_parses_and_checks() {
        let c = parse(GOOD).unwrap();
        assert_eq!(c.constraints[0].support, Support::Out);
        let (space, method, objectives) = c.check().unwrap();
        assert_eq!(
            objectives,
            vec![
                Objective::Minimise(Measure::Observable("no_value_share".into())),
                Objective::Maximise(Measure::Weight(RoleStrategy {
                    role: "owners".into(),
                    strategy: "honest-ai-subnet".into()
                }))
            ]
        );
        // Axes in knob-name order.
        let names: Vec<&str> = space.dims().iter().map(|d| d.knob.as_str()).collect();
        assert_eq!(names, vec!["alpha_emission", "flow_exponent", "tao_weight"]);
        assert_eq!(
            space.dims()[1].domain,
            Domain::Range {
                lo: 0.5,
                hi: 4.0,
                log: true,
                integer: false
            }
        );
        assert_eq!(
            (method.initial_points, method.max_points, method.max_matches),
            (12, 40, 20000)
        );
        assert_eq!((method.refine_rounds, method.refine_step), (4, 0.1));
        assert_eq!(method.required, vec![0.9]);
    }

    #[test]
    fn unknown_fields_are_refused_with_their_location() {
        let bad = GOOD.replace("seed: 7", "seed: 7\nsede: 8");
        let e = parse(&bad).unwrap_err();
        assert!(e.to_string().contains("unknown field `sede`"), "{e}");
        assert_eq!(e.location().map(|l| l.line()), Some(3));
        let bad = GOOD.replace("support: out", "support: maybe");
        let e = parse(&bad).unwrap_err();
        assert!(e.to_string().contains("unknown variant `maybe`"), "{e}");
        assert_eq!(e.location().map(|l| l.line()), Some(12));
    }

    #[test]
    fn checks_name_the_field() {
        // (text replaced in GOOD, its replacement, the field the check names)
        let cases = [
            ("tao_weight:", "taoweight:", "space.taoweight"),
            ("[0.05, 0.5]", "[0.5, 0.05]", "space.tao_weight.range"),
            ("[0.5, 4.0]", "[0.0, 4.0]", "space.flow_exponent.scale"),
            (
                "{set: [issuance, by-share]}",
                "{set: []}",
                "space.alpha_emission.set",
            ),
            ("{range: [0.05, 0.5]}", "{}", "space.tao_weight"),
            (
                "confidence: 0.9",
                "confidence: 1.5",
                "constraints[0].confidence",
            ),
            ("eta: 3", "eta: 1", "method.eta"),
            (
                "maximise: {weight",
                "minimise: {observable: x}\n    maximise: {weight",
                "objectives[1]",
            ),
            (
                "{observable: no_value_share}",
                "{observable: a, payoff: owners}",
                "objectives[0].minimise",
            ),
            (
                "max_repetitions: 18",
                "max_repetitions: 1",
                "method.max_repetitions",
            ),
            (
                "min_repetitions: 2",
                "min_repetitions: 0",
                "method.min_repetitions",
            ),
            // An integer range needs integer ends (decoding would clamp 0.6 back in).
            (
                "[0.05, 0.5]}",
                "[0.5, 0.6], integer: true}",
                "space.tao_weight.range[0]",
            ),
            (
                "[0.05, 0.5]}",
                "[0, 0.5], integer: true}",
                "space.tao_weight.range[1]",
            ),
            (
                "[issuance, by-share]}",
                "[issuance, by-share], integer: true}",
                "space.alpha_emission.integer",
            ),
            (
                "[issuance, by-share]}",
                "[issuance, by-share], scale: log}",
                "space.alpha_emission.scale",
            ),
            // A zero budget is refused, not read as unlimited.
            ("points: 40", "points: 0", "budget.points"),
            ("matches: 20000", "matches: 0", "budget.matches"),
        ];
        for (from, to, field) in cases {
            let text = GOOD.replace(from, to);
            assert_ne!(text, GOOD, "`{from}` is not in GOOD");
            let error = parse(&text).unwrap().check().unwrap_err();
            assert_eq!(error.field, field, "{from} -> {to}");
        }
    }
}
