//! Local refinement around the best point: a compass (pattern) search in the unit cube. Each
//! round proposes, per knob, one step down and one step up from the centre (a set knob moves to
//! its neighbouring levels instead); when none of them beats the centre, the next round halves
//! the step. Cheap, derivative-free and deterministic, which suits a noisy objective evaluated
//! at the top rung's repetitions.

use super::space::{set_centre, set_index, Domain, Space};

/// The neighbours of `centre` at `step`, in knob order (down before up), canonical,
/// without duplicates and without the centre itself.
pub fn neighbours(space: &Space, centre: &[f64], step: f64) -> Vec<Vec<f64>> {
    let centre = space.canonical(centre);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for (k, d) in space.dims().iter().enumerate() {
        let moves: Vec<f64> = match &d.domain {
            Domain::Range { .. } => vec![
                (centre[k] - step).clamp(0.0, 1.0),
                (centre[k] + step).clamp(0.0, 1.0),
            ],
            Domain::Set(levels) => {
                let n = levels.len();
                let i = set_index(centre[k], n);
                let mut m = Vec::new();
                if i > 0 {
                    m.push(set_centre(i - 1, n));
                }
                if i + 1 < n {
                    m.push(set_centre(i + 1, n));
                }
                m
            }
        };
        for x in moves {
            let mut p = centre.clone();
            p[k] = x;
            if p != centre && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::space::{Dimension, Level};

    #[test]
    fn compass_moves_clamped_and_set_levels() {
        let space = Space::new(vec![
            Dimension {
                knob: "a".into(),
                domain: Domain::Range {
                    lo: 0.0,
                    hi: 1.0,
                    log: false,
                    integer: false,
                },
            },
            Dimension {
                knob: "rule".into(),
                domain: Domain::Set(vec![
                    Level::Text("x".into()),
                    Level::Text("y".into()),
                    Level::Text("z".into()),
                ]),
            },
        ])
        .unwrap();
        // a = 0.05, step 0.1: down clamps to 0.0, up is 0.15; rule at level 0 (centre 1/6)
        // has only the up neighbour, level 1 (centre 0.5).
        let n = neighbours(&space, &[0.05, 0.1], 0.1);
        assert_eq!(n.len(), 3);
        assert_eq!(n[0], vec![0.0, 1.0 / 6.0]);
        assert!((n[1][0] - 0.15).abs() < 1e-15 && n[1][1] == 1.0 / 6.0);
        assert_eq!(n[2], vec![0.05, 0.5]);
        // At a corner of the range, the clamped move equal to the centre is dropped.
        let n = neighbours(&space, &[1.0, 0.5], 0.25);
        assert_eq!(
            n,
            vec![vec![0.75, 0.5], vec![1.0, 1.0 / 6.0], vec![1.0, 5.0 / 6.0]]
        );
    }
}
