//! Parsers of command-line values that clap's own cannot bound: each rejects, at parse time
//! (a usage error, exit 2), a value the command could only misuse — zero jobs, a timeout of no
//! time, a confidence level outside (0, 1) that would index past the bootstrap's resamples.

use std::time::Duration;

/// A count of at least one (`--jobs`).
pub fn positive_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("expected at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("expected a whole number ≥ 1, got `{s}`")),
    }
}

/// A positive, finite number of seconds, at most a year (`--timeout`).
pub fn seconds(s: &str) -> Result<Duration, String> {
    const YEAR: f64 = 365.0 * 86_400.0;
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x <= YEAR => Ok(Duration::from_secs_f64(x)),
        Ok(_) => Err(format!(
            "expected seconds above 0 and at most {YEAR} (a year), got `{s}`"
        )),
        Err(_) => Err(format!("expected a number of seconds, got `{s}`")),
    }
}

/// A confidence level strictly between 0 and 1 (`--level`).
pub fn level(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!(
            "expected a confidence level above 0 and below 1 (e.g. 0.95), got `{s}`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_start_at_one() {
        assert_eq!(positive_count("1"), Ok(1));
        assert_eq!(positive_count("16"), Ok(16));
        for bad in ["0", "-1", "two", "", "1.5"] {
            assert!(positive_count(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn seconds_are_positive_finite_and_bounded() {
        assert_eq!(seconds("600"), Ok(Duration::from_secs(600)));
        assert_eq!(seconds("0.5"), Ok(Duration::from_millis(500)));
        for bad in ["0", "-3", "NaN", "inf", "1e300", "x"] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn levels_lie_strictly_between_zero_and_one() {
        assert_eq!(level("0.95"), Ok(0.95));
        assert_eq!(level("0.5"), Ok(0.5));
        for bad in ["0", "1", "1.5", "-0.5", "NaN", "inf", "2", "x"] {
            assert!(level(bad).is_err(), "{bad}");
        }
    }
}
