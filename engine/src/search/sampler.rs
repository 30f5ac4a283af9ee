//! The seeded space-filling first batch: a Latin hypercube in `[0, 1]^d`. With `n` points,
//! each coordinate axis is cut into `n` equal strata and every stratum of every axis holds
//! exactly one point, so even a small first batch covers each knob's whole range (which
//! independent uniform draws do not). Chosen over Sobol because it stays stratified for any
//! `n`, not only powers of two, and needs no direction-number tables.

use crate::rng;
use rand::Rng;

/// `n` points of a Latin hypercube in `d` dimensions, from `seed` only. Point `i`'s coordinate
/// in axis `k` is `(π_k(i) + jitter) / n` with `π_k` a seeded permutation of `0..n` and the
/// jitter uniform in `[0, 1)`.
pub fn latin_hypercube(n: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; d]; n];
    for k in 0..d {
        let mut rng = rng::stream(seed, &format!("search/lhs/axis-{k}"));
        let mut strata: Vec<usize> = (0..n).collect();
        // Fisher–Yates with the seeded stream (rand's `shuffle` would tie us to its
        // algorithm across versions; this one is written down).
        for i in (1..n).rev() {
            let j = rng.random_range(0..=i);
            strata.swap(i, j);
        }
        for (i, p) in points.iter_mut().enumerate() {
            let jitter: f64 = rng.random();
            p[k] = (strata[i] as f64 + jitter) / n as f64;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stratum_of_every_axis_holds_exactly_one_point() {
        for (n, d) in [(1, 3), (7, 2), (16, 5), (33, 4)] {
            let pts = latin_hypercube(n, d, 11);
            assert_eq!(pts.len(), n);
            for k in 0..d {
                let mut seen = vec![0u32; n];
                for p in &pts {
                    assert!((0.0..1.0).contains(&p[k]), "{}", p[k]);
                    seen[(p[k] * n as f64).floor() as usize] += 1;
                }
                assert!(seen.iter().all(|&c| c == 1), "n={n} axis {k}: {seen:?}");
            }
        }
    }

    #[test]
    fn same_seed_same_points_other_seed_other_points() {
        assert_eq!(latin_hypercube(9, 3, 5), latin_hypercube(9, 3, 5));
        assert_ne!(latin_hypercube(9, 3, 5), latin_hypercube(9, 3, 6));
        // Axes are independent streams: adding a knob leaves the others' coordinates as they were.
        let two = latin_hypercube(9, 2, 5);
        let three = latin_hypercube(9, 3, 5);
        for (a, b) in two.iter().zip(&three) {
            assert_eq!(a[..], b[..2]);
        }
    }
}
