//! Small, dependency-free statistics: Student's t quantile (implemented here, not taken from a
//! crate), sample moments, confidence intervals and Welch's unequal-variance t interval.
//!
//! The t quantile inverts the Student t CDF, which is written through the regularized incomplete
//! beta function `I_x(a, b)` (evaluated by its continued fraction, modified Lentz method) and
//! `ln Γ` (Lanczos approximation, g = 7, 9 coefficients). The inversion is plain bisection
//! (200 halvings), so it is deterministic and accurate to the last few ulps of the CDF, and it
//! accepts non-integer degrees of freedom (Welch–Satterthwaite).

/// Mean, sample standard deviation (n − 1 in the denominator) and count of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation; NaN when n < 2.
    pub std: f64,
}

impl Moments {
    pub fn of(sample: &[f64]) -> Moments {
        let n = sample.len();
        if n == 0 {
            return Moments {
                n,
                mean: f64::NAN,
                std: f64::NAN,
            };
        }
        let mean = sample.iter().sum::<f64>() / n as f64;
        let std = if n < 2 {
            f64::NAN
        } else {
            let ss: f64 = sample.iter().map(|x| (x - mean) * (x - mean)).sum();
            (ss / (n as f64 - 1.0)).sqrt()
        };
        Moments { n, mean, std }
    }
}

/// Natural log of the gamma function for x > 0 (Lanczos, g = 7).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = COEF[0];
    let t = x + G + 0.5;
    for (i, c) in COEF.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// Regularized incomplete beta function I_x(a, b), 0 ≤ x ≤ 1.
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

/// CDF of Student's t distribution with `df` (> 0, possibly fractional) degrees of freedom.
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(0.5 * df, 0.5, x);
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Quantile of Student's t: the `t` with `P(T ≤ t) = p`. NaN if `df` is not positive or `p` is
/// outside (0, 1).
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    let valid = df > 0.0 && p > 0.0 && p < 1.0;
    if !valid {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -student_t_quantile(1.0 - p, df);
    }
    let mut hi = 1.0;
    while student_t_cdf(hi, df) < p {
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if student_t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= f64::EPSILON * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// A two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Two-sided `level` (e.g. 0.95) confidence interval of a mean from its moments:
/// `mean ± t_{(1+level)/2, n−1} · std / √n`. NaN bounds when n < 2.
pub fn mean_interval(m: &Moments, level: f64) -> Interval {
    if m.n < 2 {
        return Interval {
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let half =
        student_t_quantile(0.5 + level / 2.0, m.n as f64 - 1.0) * m.std / (m.n as f64).sqrt();
    Interval {
        low: m.mean - half,
        high: m.mean + half,
    }
}

/// Welch's comparison of two means: Δ = mean(b) − mean(a).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Welch {
    pub delta: f64,
    /// Standard error of Δ: √(s_a²/n_a + s_b²/n_b).
    pub std_error: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    pub interval: Interval,
}

/// Welch's t interval for `b.mean − a.mean`:
/// `se = √(s_a²/n_a + s_b²/n_b)`,
/// `df = se⁴ / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1))` (Welch–Satterthwaite),
/// `Δ ± t_{(1+level)/2, df} · se`. Needs n ≥ 2 on both sides (NaN interval otherwise); when both
/// samples have zero variance the interval collapses to Δ.
pub fn welch(a: &Moments, b: &Moments, level: f64) -> Welch {
    let delta = b.mean - a.mean;
    if a.n < 2 || b.n < 2 {
        return Welch {
            delta,
            std_error: f64::NAN,
            df: f64::NAN,
            interval: Interval {
                low: f64::NAN,
                high: f64::NAN,
            },
        };
    }
    let va = a.std * a.std / a.n as f64;
    let vb = b.std * b.std / b.n as f64;
    let se = (va + vb).sqrt();
    if se == 0.0 {
        return Welch {
            delta,
            std_error: 0.0,
            df: f64::INFINITY,
            interval: Interval {
                low: delta,
                high: delta,
            },
        };
    }
    let df = (va + vb).powi(2) / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    let half = student_t_quantile(0.5 + level / 2.0, df) * se;
    Welch {
        delta,
        std_error: se,
        df,
        interval: Interval {
            low: delta - half,
            high: delta + half,
        },
    }
}

/// Median of a sample (mean of the two middle values for even n); NaN when empty.
pub fn median(sample: &[f64]) -> f64 {
    let mut v = sample.to_vec();
    v.sort_by(f64::total_cmp);
    median_of_sorted(&v)
}

/// [`median`] of a sample already sorted by `f64::total_cmp` (no copy: a report's lists hold
/// millions of values at a million matches).
pub fn median_of_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn t_quantiles_match_published_tables() {
        // Two-sided 95 % critical values from standard t tables.
        assert!(close(student_t_quantile(0.975, 1.0), 12.706_204_736, 1e-6));
        assert!(close(student_t_quantile(0.975, 2.0), 4.302_652_730, 1e-8));
        assert!(close(student_t_quantile(0.975, 3.0), 3.182_446_305, 1e-8));
        assert!(close(student_t_quantile(0.975, 10.0), 2.228_138_852, 1e-8));
        assert!(close(student_t_quantile(0.975, 30.0), 2.042_272_456, 1e-8));
        assert!(close(student_t_quantile(0.975, 1e7), 1.959_964, 1e-5));
        assert!(close(student_t_quantile(0.025, 10.0), -2.228_138_852, 1e-8));
        // df = 1 is Cauchy: quantile = tan(π(p − ½)); p = 0.9 → tan(0.4π) = 3.0776835.
        assert!(close(student_t_quantile(0.9, 1.0), 3.077_683_537, 1e-7));
        assert!(student_t_quantile(0.975, 0.0).is_nan());
    }

    #[test]
    fn t_cdf_is_symmetric_and_fractional_df_works() {
        assert!(close(student_t_cdf(0.0, 4.5), 0.5, 1e-15));
        let q = student_t_quantile(0.975, 7.3);
        assert!(close(student_t_cdf(q, 7.3), 0.975, 1e-12));
        // Fractional df lies between the neighbouring integer df.
        assert!(q < student_t_quantile(0.975, 7.0) && q > student_t_quantile(0.975, 8.0));
    }

    #[test]
    fn mean_interval_by_hand() {
        // Sample {1, 2, 3}: mean 2, s = 1, n = 3, t_{0.975,2} = 4.302653;
        // half width = 4.302653 · 1/√3 = 2.484138.
        let m = Moments::of(&[1.0, 2.0, 3.0]);
        assert_eq!(m.mean, 2.0);
        assert!(close(m.std, 1.0, 1e-15));
        let ci = mean_interval(&m, 0.95);
        assert!(close(ci.low, 2.0 - 2.484_138, 1e-6));
        assert!(close(ci.high, 2.0 + 2.484_138, 1e-6));
    }

    #[test]
    fn welch_by_hand() {
        // a = {1,2,3}: mean 2, s² = 1, n 3 → s²/n = 1/3.
        // b = {2,4,6,8}: mean 5, s² = 20/3, n 4 → s²/n = 5/3.
        // se = √(1/3 + 5/3) = √2 = 1.414214.
        // df = 2² / ((1/3)²/2 + (5/3)²/3) = 4 / (1/18 + 25/27) = 4 / (53/54) = 216/53 = 4.075472.
        let a = Moments::of(&[1.0, 2.0, 3.0]);
        let b = Moments::of(&[2.0, 4.0, 6.0, 8.0]);
        let w = welch(&a, &b, 0.95);
        assert_eq!(w.delta, 3.0);
        assert!(close(w.std_error, 2f64.sqrt(), 1e-12));
        assert!(close(w.df, 216.0 / 53.0, 1e-12));
        let t = student_t_quantile(0.975, 216.0 / 53.0);
        // t_{0.975, 4.0755} ≈ 2.7636 (between 2.776 at df 4 and 2.571 at df 5).
        assert!(t < 2.7765 && t > 2.75);
        assert!(close(w.interval.low, 3.0 - t * 2f64.sqrt(), 1e-12));
    }

    #[test]
    fn median_even_and_odd() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
        assert_eq!(median_of_sorted(&[1.0, 2.0, 3.0, 4.0]), 2.5);
        assert!(median_of_sorted(&[]).is_nan());
    }
}
