//! The parameter space: named mechanism knobs, each a range (linear or logarithmic, real or
//! integer) or a finite set of levels. The search works in the unit cube `[0, 1]^d` and
//! decodes a point to knob values here, so sampling, halving and refinement never need to
//! know what a knob means.

use serde::{Deserialize, Serialize};

/// One knob value as the tournament receives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Level {
    Bool(bool),
    Number(f64),
    Text(String),
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Level::Bool(b) => write!(f, "{b}"),
            Level::Number(x) => write!(f, "{x}"),
            Level::Text(s) => f.write_str(s),
        }
    }
}

/// The values a knob may take.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    /// `[lo, hi]`; `log` spaces points evenly in `ln x` (both bounds then > 0); `integer`
    /// rounds the decoded value to the nearest integer.
    Range {
        lo: f64,
        hi: f64,
        log: bool,
        integer: bool,
    },
    /// One of these levels, unordered (refinement moves to a neighbour in listed order).
    Set(Vec<Level>),
}

/// A knob and its domain.
#[derive(Clone, Debug, PartialEq)]
pub struct Dimension {
    pub knob: String,
    pub domain: Domain,
}

/// Why a space is not usable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpaceError {
    #[error("knob `{0}`: the range needs lo < hi, both finite")]
    EmptyRange(String),
    #[error("knob `{0}`: a logarithmic range needs lo > 0")]
    LogNeedsPositive(String),
    #[error("knob `{0}`: a set needs at least one level")]
    EmptySet(String),
    #[error("knob `{0}` appears twice")]
    Duplicate(String),
    #[error("the space has no knobs")]
    NoKnobs,
}

/// The ordered dimensions of a search (order = the order of the unit-cube coordinates).
#[derive(Clone, Debug, PartialEq)]
pub struct Space {
    dims: Vec<Dimension>,
}

impl Space {
    pub fn new(dims: Vec<Dimension>) -> Result<Space, SpaceError> {
        if dims.is_empty() {
            return Err(SpaceError::NoKnobs);
        }
        for (k, d) in dims.iter().enumerate() {
            if dims[..k].iter().any(|e| e.knob == d.knob) {
                return Err(SpaceError::Duplicate(d.knob.clone()));
            }
            match &d.domain {
                Domain::Range { lo, hi, log, .. } => {
                    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                        return Err(SpaceError::EmptyRange(d.knob.clone()));
                    }
                    if *log && *lo <= 0.0 {
                        return Err(SpaceError::LogNeedsPositive(d.knob.clone()));
                    }
                }
                Domain::Set(levels) if levels.is_empty() => {
                    return Err(SpaceError::EmptySet(d.knob.clone()));
                }
                Domain::Set(_) => {}
            }
        }
        Ok(Space { dims })
    }

    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }

    pub fn len(&self) -> usize {
        self.dims.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dims.is_empty()
    }

    /// Knob values of the unit-cube point `u` (one coordinate per dimension, each clamped to
    /// `[0, 1]`). A set of `k` levels splits `[0, 1]` into `k` equal cells, level `i` owning
    /// `[i/k, (i+1)/k)` (and 1.0 belongs to the last).
    pub fn decode(&self, u: &[f64]) -> Vec<Level> {
        assert_eq!(u.len(), self.dims.len(), "one coordinate per knob");
        self.dims
            .iter()
            .zip(u)
            .map(|(d, &x)| {
                let x = x.clamp(0.0, 1.0);
                match &d.domain {
                    Domain::Range {
                        lo,
                        hi,
                        log,
                        integer,
                    } => {
                        let v = if *log {
                            (lo.ln() + x * (hi.ln() - lo.ln())).exp()
                        } else {
                            lo + x * (hi - lo)
                        };
                        let v = if *integer {
                            v.round()
                        } else {
                            significant(v, SIGNIFICANT_DIGITS)
                        };
                        Level::Number(v.clamp(*lo, *hi))
                    }
                    Domain::Set(levels) => levels[set_index(x, levels.len())].clone(),
                }
            })
            .collect()
    }

    /// The canonical coordinate of a point's value in dimension `k`: sets snap to the centre
    /// of their level's cell, so two points with the same levels compare equal.
    pub fn canonical(&self, u: &[f64]) -> Vec<f64> {
        self.dims
            .iter()
            .zip(u)
            .map(|(d, &x)| {
                let x = x.clamp(0.0, 1.0);
                match &d.domain {
                    Domain::Range { .. } => x,
                    Domain::Set(levels) => set_centre(set_index(x, levels.len()), levels.len()),
                }
            })
            .collect()
    }
}

/// Significant digits a decoded range value keeps. A mechanism parameter is written into the
/// point's tournament YAML and its mechanism label (`taoflow+flow-p1.234`), which must stay
/// readable and short (labels name matches and files); four digits are far finer than any
/// difference a noisy evaluation can resolve.
pub const SIGNIFICANT_DIGITS: usize = 4;

/// `x` rounded to `digits` significant decimal digits: the double nearest the rounded decimal,
/// so that it prints as that decimal (`0.0001234`, never `0.00012340000000000001`).
pub fn significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{:.*e}", digits.saturating_sub(1), x)
        .parse()
        .unwrap_or(x)
}

/// The level of a set of `k` owning coordinate `x` in `[0, 1]`.
pub fn set_index(x: f64, k: usize) -> usize {
    ((x * k as f64).floor() as usize).min(k - 1)
}

/// The centre of level `i`'s cell in a set of `k`.
pub fn set_centre(i: usize, k: usize) -> f64 {
    (i as f64 + 0.5) / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(knob: &str, lo: f64, hi: f64, log: bool, integer: bool) -> Dimension {
        Dimension {
            knob: knob.into(),
            domain: Domain::Range {
                lo,
                hi,
                log,
                integer,
            },
        }
    }

    #[test]
    fn decode_linear_log_integer_and_sets() {
        let space = Space::new(vec![
            range("tao_weight", 0.1, 0.5, false, false),
            range("flow_ema_rate", 1e-6, 1e-4, true, false),
            range("tempo", 100.0, 400.0, false, true),
            Dimension {
                knob: "alpha_emission".into(),
                domain: Domain::Set(vec![
                    Level::Text("chain".into()),
                    Level::Text("by-share".into()),
                ]),
            },
        ])
        .unwrap();
        let v = space.decode(&[0.25, 0.5, 0.505, 0.5]);
        // 0.1 + 0.25 × 0.4 = 0.2 (0.20000000000000001 in doubles, 0.2 to four digits)
        assert_eq!(v[0], Level::Number(0.2));
        // log midpoint of 1e-6 and 1e-4 = sqrt(1e-10) = 1e-5
        match v[1] {
            Level::Number(x) => assert!((x - 1e-5).abs() < 1e-18, "{x}"),
            _ => unreachable!(),
        }
        // 100 + 0.505 × 300 = 251.5 → 252
        assert_eq!(v[2], Level::Number(252.0));
        // two levels: [0, 0.5) → chain, [0.5, 1] → by-share
        assert_eq!(v[3], Level::Text("by-share".into()));
        assert_eq!(
            space.decode(&[0.0, 1.0, 0.0, 0.4999])[3],
            Level::Text("chain".into())
        );
        assert_eq!(space.decode(&[1.0, 1.0, 1.0, 1.0])[1], Level::Number(1e-4));
        // Four significant digits: 0.1 + 0.123456 × 0.4 = 0.1493824 → 0.1494; on the log axis
        // 1e-6 · 100^0.3 = 3.98107…e-6 → 3.981e-6.
        let v = space.decode(&[0.123456, 0.3, 0.0, 0.0]);
        assert_eq!(v[0], Level::Number(0.1494));
        assert_eq!(v[1], Level::Number(3.981e-6));
        assert_eq!(significant(-123_456.0, 4), -123_500.0);
        assert_eq!(significant(0.0, 4), 0.0);
        // canonical snaps sets to cell centres, leaves ranges alone
        assert_eq!(
            space.canonical(&[0.3, 0.2, 0.1, 0.9]),
            vec![0.3, 0.2, 0.1, 0.75]
        );
    }

    #[test]
    fn bad_spaces_are_refused_by_name() {
        assert_eq!(Space::new(vec![]), Err(SpaceError::NoKnobs));
        assert_eq!(
            Space::new(vec![range("a", 1.0, 1.0, false, false)]),
            Err(SpaceError::EmptyRange("a".into()))
        );
        assert_eq!(
            Space::new(vec![range("a", 0.0, 1.0, true, false)]),
            Err(SpaceError::LogNeedsPositive("a".into()))
        );
        assert_eq!(
            Space::new(vec![
                range("a", 0.0, 1.0, false, false),
                range("a", 0.0, 2.0, false, false)
            ]),
            Err(SpaceError::Duplicate("a".into()))
        );
        assert_eq!(
            Space::new(vec![Dimension {
                knob: "s".into(),
                domain: Domain::Set(vec![])
            }]),
            Err(SpaceError::EmptySet("s".into()))
        );
    }
}
