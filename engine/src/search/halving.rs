//! Successive halving with racing: evaluate many points cheaply (few repetitions per profile),
//! keep the best `1/η`, evaluate those with `η` times the repetitions, and so on, so that
//! repetitions go where they decide something. Racing drops, at every rung, each point whose
//! interval lies wholly above the best feasible point's interval (it is worse beyond the noise
//! the bootstrap measured), even if the `1/η` quota would have kept it.

use std::cmp::Ordering;

/// What a point's evaluation says, for ranking (the primary objective is minimised).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// The primary objective at the equilibrium (NaN when it could not be measured).
    pub value: f64,
    /// Its bootstrap interval.
    pub lo: f64,
    pub hi: f64,
    /// How feasible the point is: higher is closer to satisfying the constraints, and from
    /// the `required` threshold the ranking functions take, the point is feasible (the driver
    /// uses the margin of `Evaluation::score` with threshold 0).
    pub feasible: f64,
}

/// Order two scored points: feasible ones (confidence ≥ `required`) first, by value; then
/// the infeasible ones, the closest to feasible first, then by value; NaN values last within
/// their group; ties by point id (the earlier point first), so ranking never depends on the
/// order results arrived in.
pub fn compare(a: (usize, &Score), b: (usize, &Score), required: f64) -> Ordering {
    let (fa, fb) = (a.1.feasible >= required, b.1.feasible >= required);
    let by_value = |x: f64, y: f64| match (x.is_nan(), y.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => x.total_cmp(&y),
    };
    fb.cmp(&fa)
        .then_with(|| {
            if fa {
                Ordering::Equal
            } else {
                b.1.feasible.total_cmp(&a.1.feasible)
            }
        })
        .then_with(|| by_value(a.1.value, b.1.value))
        .then_with(|| a.0.cmp(&b.0))
}

/// Point ids ranked best first.
pub fn rank(scored: &[(usize, Score)], required: f64) -> Vec<usize> {
    let mut order: Vec<&(usize, Score)> = scored.iter().collect();
    order.sort_by(|a, b| compare((a.0, &a.1), (b.0, &b.1), required));
    order.iter().map(|(id, _)| *id).collect()
}

/// The points promoted to the next rung: the best `ceil(n / eta)` by [`rank`] (at least one),
/// less those that racing eliminates (a feasible point whose `lo` exceeds the best feasible
/// point's `hi`). Returned in rank order.
pub fn promote(scored: &[(usize, Score)], eta: usize, required: f64) -> Vec<usize> {
    assert!(eta >= 2, "halving needs eta >= 2");
    if scored.is_empty() {
        return Vec::new();
    }
    let keep = scored.len().div_ceil(eta).max(1);
    let ranked = rank(scored, required);
    let score = |id: usize| scored.iter().find(|(i, _)| *i == id).unwrap().1;
    let best = score(ranked[0]);
    let best_is_feasible = best.feasible >= required && !best.value.is_nan();
    ranked
        .into_iter()
        .take(keep)
        .enumerate()
        .filter(|&(k, id)| {
            let s = score(id);
            k == 0 || !(best_is_feasible && s.feasible >= required && s.lo > best.hi)
        })
        .map(|(_, id)| id)
        .collect()
}

/// Repetitions per profile at rung `r`: `min_reps · eta^r`, capped at `max_reps`.
pub fn repetitions_at(rung: u32, min_reps: u32, max_reps: u32, eta: usize) -> u32 {
    let mut reps = min_reps.max(1) as u64;
    for _ in 0..rung {
        reps = reps.saturating_mul(eta as u64);
        if reps >= max_reps as u64 {
            break;
        }
    }
    reps.min(max_reps as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: f64, lo: f64, hi: f64, feasible: f64) -> Score {
        Score {
            value,
            lo,
            hi,
            feasible,
        }
    }

    #[test]
    fn feasible_first_then_closest_to_feasible_ties_by_id() {
        let scored = vec![
            (0, s(0.10, 0.05, 0.15, 0.50)),  // infeasible, best value
            (1, s(0.30, 0.25, 0.35, 0.95)),  // feasible
            (2, s(0.20, 0.15, 0.25, 0.90)),  // feasible (exactly at 0.9), better value
            (3, s(0.05, 0.00, 0.10, 0.80)),  // infeasible, closer to feasible than 0
            (4, s(0.20, 0.15, 0.25, 0.99)),  // feasible, ties 2 on value: id 2 first
            (5, s(f64::NAN, 0.0, 0.0, 1.0)), // feasible but unmeasured: last of the feasible
        ];
        assert_eq!(rank(&scored, 0.9), vec![2, 4, 1, 5, 3, 0]);
    }

    #[test]
    fn promote_keeps_a_third_and_races_out_the_certainly_worse() {
        // 9 feasible points, value = id / 10, interval ± 0.02 except point 1 (± 0.2): keep
        // ceil(9/3) = 3 → ids 0, 1, 2; racing: best is 0 with hi = 0.02; point 1's lo =
        // 0.1 − 0.2 < 0.02 stays; point 2's lo = 0.18 > 0.02 goes.
        let scored: Vec<(usize, Score)> = (0..9)
            .map(|i| {
                let v = i as f64 / 10.0;
                let w = if i == 1 { 0.2 } else { 0.02 };
                (i, s(v, v - w, v + w, 1.0))
            })
            .collect();
        assert_eq!(promote(&scored, 3, 0.9), vec![0, 1]);
        // Without a feasible best, racing does not apply: the quota alone decides.
        let infeasible: Vec<(usize, Score)> = scored
            .iter()
            .map(|&(i, x)| (i, Score { feasible: 0.0, ..x }))
            .collect();
        assert_eq!(promote(&infeasible, 3, 0.9), vec![0, 1, 2]);
        // One point stays one point.
        assert_eq!(promote(&scored[4..5], 3, 0.9), vec![4]);
    }

    #[test]
    fn repetitions_grow_by_eta_up_to_the_cap() {
        // 2, 2·3 = 6, 2·9 = 18, 2·27 = 54 → capped at 40
        let r: Vec<u32> = (0..5).map(|k| repetitions_at(k, 2, 40, 3)).collect();
        assert_eq!(r, vec![2, 6, 18, 40, 40]);
    }
}
