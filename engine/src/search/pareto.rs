//! The Pareto front of evaluated points over several objectives, all to be minimised
//! (a maximised objective enters negated). A point is on the front when no other point is at
//! least as good in every objective and strictly better in one.

/// True when `a` dominates `b` (minimisation).
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x <= y) && a.iter().zip(b).any(|(x, y)| x < y)
}

/// Indices of the non-dominated rows of `values`, ascending. A row with a NaN (an objective
/// that could not be measured) is never on the front; equal rows are all on it.
pub fn front(values: &[Vec<f64>]) -> Vec<usize> {
    (0..values.len())
        .filter(|&i| {
            let v = &values[i];
            !v.iter().any(|x| x.is_nan())
                && !values
                    .iter()
                    .any(|w| !w.iter().any(|x| x.is_nan()) && dominates(w, v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_of_a_hand_drawn_set() {
        // (no-value share, −honest weight):
        //   0: (0.2, −0.5)  front (best share among those with −0.5)
        //   1: (0.3, −0.5)  dominated by 0
        //   2: (0.1, −0.1)  front (lowest share)
        //   3: (0.4, −0.9)  front (highest honest weight)
        //   4: (0.2, −0.5)  equal to 0: also on the front
        //   5: (NaN, −1.0)  unmeasured: never on the front
        //   6: (0.3, −0.2)  dominated by 0
        let v = vec![
            vec![0.2, -0.5],
            vec![0.3, -0.5],
            vec![0.1, -0.1],
            vec![0.4, -0.9],
            vec![0.2, -0.5],
            vec![f64::NAN, -1.0],
            vec![0.3, -0.2],
        ];
        assert_eq!(front(&v), vec![0, 2, 3, 4]);
        assert!(dominates(&[1.0, 1.0], &[1.0, 2.0]));
        assert!(!dominates(&[1.0, 1.0], &[1.0, 1.0]));
        assert!(!dominates(&[0.0, 3.0], &[1.0, 1.0]));
    }

    #[test]
    fn one_objective_front_is_the_minimum() {
        let v: Vec<Vec<f64>> = [3.0, 1.0, 2.0, 1.0].iter().map(|&x| vec![x]).collect();
        assert_eq!(front(&v), vec![1, 3]);
    }
}
