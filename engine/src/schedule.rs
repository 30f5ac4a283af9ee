//! Root proportion: root's share of validator weight on a subnet, from the chain's native rule
//! or a transition schedule that overrides it.
//!
//! Native: `root_prop = τw·R / (τw·R + A_i)`, which decays as alpha issuance A_i grows.
//! A schedule fixes root_prop by day instead. To keep emission split and Yuma consistent, the
//! override is applied as an *effective* TaoWeight `τw' = x·A_i / ((1 − x)·R)`, so that
//! `τw'·R / (τw'·R + A_i) = x` and a validator's Yuma stake is `alpha + τw'·root` everywhere.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// A transition schedule as written in YAML: `native`, `{constant: 0.95}`,
/// `{linear: {from: 0.95, to: 0.2, days: 365}}` or `{steps: [[0, 0.9], [30, 0.5]]}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RootSchedule {
    /// The chain's formula (default).
    #[default]
    Native,
    /// root_prop = the value, all match long.
    Constant(f64),
    /// From `from` to `to`, linearly over `days`, then `to`.
    Linear { from: f64, to: f64, days: f64 },
    /// Piecewise constant: `[[day, value], ...]`, sorted by day; before the first, the first.
    Steps(Vec<(f64, f64)>),
}

impl<'de> Deserialize<'de> for RootSchedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Linear {
            from: f64,
            to: f64,
            days: f64,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Map {
            constant: Option<f64>,
            linear: Option<Linear>,
            steps: Option<Vec<(f64, f64)>>,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RootSchedule;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`native`, {constant: x}, {linear: {from, to, days}} or {steps: [[day, x], ...]}")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RootSchedule, E> {
                match s {
                    "native" => Ok(RootSchedule::Native),
                    other => Err(E::custom(format!(
                        "unknown schedule `{other}`: expected `native` or a map with `constant`, `linear` or `steps`"
                    ))),
                }
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<RootSchedule, M::Error> {
                let map = Map::deserialize(de::value::MapAccessDeserializer::new(m))?;
                match (map.constant, map.linear, map.steps) {
                    (Some(x), None, None) => Ok(RootSchedule::Constant(x)),
                    (None, Some(l), None) => Ok(RootSchedule::Linear {
                        from: l.from,
                        to: l.to,
                        days: l.days,
                    }),
                    (None, None, Some(s)) => Ok(RootSchedule::Steps(s)),
                    _ => Err(de::Error::custom(
                        "give exactly one of `constant`, `linear` or `steps`",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl RootSchedule {
    /// The overridden root proportion at `day` of the transition, or `None` for native.
    pub fn override_at(&self, day: f64) -> Option<f64> {
        match self {
            RootSchedule::Native => None,
            RootSchedule::Constant(x) => Some(*x),
            RootSchedule::Linear { from, to, days } => {
                let t = if *days > 0.0 {
                    (day / days).clamp(0.0, 1.0)
                } else {
                    1.0
                };
                // Exactly `to` once the ramp is over (no rounding residue).
                Some(if t >= 1.0 {
                    *to
                } else {
                    from + (to - from) * t
                })
            }
            RootSchedule::Steps(steps) => {
                let mut value = steps.first().map(|s| s.1)?;
                for &(d, v) in steps {
                    if day >= d {
                        value = v;
                    }
                }
                Some(value)
            }
        }
    }

    /// A short label for tables: `native`, `constant-0.95`, `linear-0.95-0.2-365d`, `steps-3`.
    pub fn label(&self) -> String {
        match self {
            RootSchedule::Native => "native".into(),
            RootSchedule::Constant(x) => format!("constant-{x}"),
            RootSchedule::Linear { from, to, days } => format!("linear-{from}-{to}-{days}d"),
            RootSchedule::Steps(s) => format!("steps-{}", s.len()),
        }
    }

    /// Check values are proportions in [0, 1) and steps are sorted; `field` names the YAML path.
    pub fn validate(&self) -> Result<(), String> {
        let check = |x: f64| {
            if (0.0..1.0).contains(&x) {
                Ok(())
            } else {
                Err(format!("root proportion must be in [0, 1), got {x}"))
            }
        };
        match self {
            RootSchedule::Native => Ok(()),
            RootSchedule::Constant(x) => check(*x),
            RootSchedule::Linear { from, to, days } => {
                check(*from)?;
                check(*to)?;
                if !(days.is_finite() && *days >= 0.0) {
                    return Err(format!("days must be ≥ 0, got {days}"));
                }
                Ok(())
            }
            RootSchedule::Steps(steps) => {
                if steps.is_empty() {
                    return Err("steps must not be empty".into());
                }
                for w in steps.windows(2) {
                    if w[1].0 < w[0].0 {
                        return Err("steps must be sorted by day".into());
                    }
                }
                steps.iter().try_for_each(|s| check(s.1))
            }
        }
    }
}

/// The chain's root proportion: `τw·R / (τw·R + A_i)`.
#[inline]
pub fn native_root_proportion(
    tao_weight: f64,
    root_stake_rao: f64,
    alpha_issuance_rao: f64,
) -> f64 {
    let root = tao_weight * root_stake_rao;
    if root + alpha_issuance_rao <= 0.0 {
        0.0
    } else {
        root / (root + alpha_issuance_rao)
    }
}

/// The TaoWeight that makes the native formula give `root_proportion` (see module docs).
#[inline]
pub fn effective_tao_weight(
    root_proportion: f64,
    root_stake_rao: f64,
    alpha_issuance_rao: f64,
) -> f64 {
    if root_stake_rao <= 0.0 || root_proportion >= 1.0 {
        return 0.0;
    }
    root_proportion * alpha_issuance_rao / ((1.0 - root_proportion) * root_stake_rao)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_proportion_by_hand() {
        // R = 5.5M TAO, τw = 0.18 → τw·R = 990k; A_i = 52,105.26 → 990/(990 + 52.105) = 0.95.
        let rp = native_root_proportion(0.18, 5.5e6, 990_000.0 / 19.0);
        assert!((rp - 0.95).abs() < 1e-12);
        // A year on, A_i ≈ 2 alpha × 7200 × 365 = 5.256M: 990k/(990k + 5.256M) = 0.15850...
        let rp = native_root_proportion(0.18, 5.5e6, 5_256_000.0);
        assert!((rp - 990.0 / 6246.0).abs() < 1e-12);
        assert_eq!(native_root_proportion(0.18, 0.0, 0.0), 0.0);
    }

    #[test]
    fn effective_weight_reproduces_the_override() {
        let (x, r, a) = (0.2, 5.5e6, 1.0e6);
        let tw = effective_tao_weight(x, r, a);
        assert!((native_root_proportion(tw, r, a) - x).abs() < 1e-12);
    }

    #[test]
    fn schedules() {
        assert_eq!(RootSchedule::Native.override_at(3.0), None);
        assert_eq!(RootSchedule::Constant(0.95).override_at(3.0), Some(0.95));
        let lin = RootSchedule::Linear {
            from: 0.95,
            to: 0.2,
            days: 300.0,
        };
        assert!((lin.override_at(150.0).unwrap() - 0.575).abs() < 1e-12);
        assert_eq!(lin.override_at(1000.0), Some(0.2));
        let steps = RootSchedule::Steps(vec![(0.0, 0.9), (10.0, 0.5), (20.0, 0.2)]);
        assert_eq!(steps.override_at(5.0), Some(0.9));
        assert_eq!(steps.override_at(10.0), Some(0.5));
        assert_eq!(steps.override_at(25.0), Some(0.2));
        assert!(RootSchedule::Constant(1.2).validate().is_err());
        assert!(RootSchedule::Steps(vec![(5.0, 0.1), (1.0, 0.2)])
            .validate()
            .is_err());
    }
}
