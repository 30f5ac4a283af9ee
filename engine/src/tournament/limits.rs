//! Bounds on a tournament's size and amounts, checked before anything is planned or played:
//! a plan of billions of matches would allocate gigabytes before a single one ran, and an
//! amount beyond the integer range would saturate silently. Every bound is in
//! `docs/tournament.schema.json` and `docs/scaling.md`.

use super::config::Format;
use super::config::TournamentConfig;
use crate::config::{amount, ConfigError};

/// The most matches one tournament file may plan (split larger studies into several files or
/// shards of several files): a million matches is days of CPU already.
pub const MAX_MATCHES: u64 = 1_000_000;
/// The most entrants (a round robin of 1,000 has 500,500 pairings).
pub const MAX_ENTRANTS: usize = 1_000;
/// The longest match, days (as `MatchConfig::validate` holds).
pub const MAX_HORIZON_DAYS: f64 = 3650.0;

fn err(field: &str, message: String) -> ConfigError {
    ConfigError {
        field: field.into(),
        message,
    }
}

/// The number of groups that meet (pairings, the melee, or a role tournament's profiles),
/// counted without listing them; a role game too large even when reduced is its own error.
fn group_count(config: &TournamentConfig) -> Result<u128, ConfigError> {
    let n = config.entrants.len() as u128;
    match config.format {
        Format::RoundRobin => Ok(n * (n + 1) / 2),
        Format::Melee => Ok(1),
        Format::Roles => config.role_profile_count(),
    }
}

/// The number of matches the plan can hold (with adaptive repetitions, every group at
/// `repetitions.max`), without planning them; `None` if it overflows.
pub fn match_count(config: &TournamentConfig) -> Option<u64> {
    let groups = u64::try_from(group_count(config).ok()?).ok()?;
    (config.mechanisms.len() as u64)
        .checked_mul(config.schedules.len() as u64)?
        .checked_mul(groups)?
        .checked_mul(config.repetitions.max() as u64)
}

/// Size and range checks, in the tournament file's own field names.
pub fn validate_limits(config: &TournamentConfig) -> Result<(), ConfigError> {
    if config.entrants.len() > MAX_ENTRANTS {
        return Err(err(
            "entrants",
            format!(
                "at most {MAX_ENTRANTS} entrants, got {}",
                config.entrants.len()
            ),
        ));
    }
    let groups = group_count(config)?;
    match match_count(config) {
        Some(n) if n <= MAX_MATCHES => {}
        n => {
            return Err(err(
                "repetitions",
                format!(
                    "the plan would hold {} matches ({} mechanisms × {} schedules × {} \
                     pairings or profiles × {} repetitions); at most {MAX_MATCHES} per file: \
                     split it into several files",
                    n.map_or("more than 2^64".to_string(), |n| n.to_string()),
                    config.mechanisms.len(),
                    config.schedules.len(),
                    groups,
                    config.repetitions.max()
                ),
            ))
        }
    }
    if !(config.horizon_days.is_finite()
        && config.horizon_days > 0.0
        && config.horizon_days <= MAX_HORIZON_DAYS)
    {
        return Err(err(
            "horizon_days",
            format!(
                "expected a number of days in (0, {MAX_HORIZON_DAYS}], got {}",
                crate::config::show(config.horizon_days)
            ),
        ));
    }
    if config.decision_interval_blocks == 0 {
        return Err(err("decision_interval_blocks", "expected ≥ 1".into()));
    }
    if config.outputs.series_interval_blocks == 0 {
        return Err(err(
            "outputs.series_interval_blocks",
            "expected ≥ 1 (a sample every N blocks)".into(),
        ));
    }
    amount("entrant_capital_tao", config.entrant_capital_tao)?;
    for (k, e) in config.entrants.iter().enumerate() {
        if let Some(c) = e.capital_tao {
            amount(&format!("entrants[{k}].capital_tao"), c)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> TournamentConfig {
        serde_json::from_str(&format!(
            r#"{{"name": "t", "entrants": [{{"plugin": "a"}}, {{"plugin": "b"}}],
                "mechanisms": ["dtao-price", "taoflow"] {extra}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn the_plan_is_counted_and_bounded_before_it_exists() {
        // 2 mechanisms × 1 schedule × 3 pairings (aa, ab, bb) × 5 repetitions = 30.
        assert_eq!(match_count(&config(r#", "repetitions": 5"#)), Some(30));
        // 6 × 166,667 = 1,000,002 > 1,000,000.
        let e = validate_limits(&config(r#", "repetitions": 166667"#)).unwrap_err();
        assert_eq!(e.field, "repetitions");
        assert!(e.message.contains("1000002 matches"), "{e}");
        // u32::MAX repetitions: refused without allocating anything.
        assert!(validate_limits(&config(r#", "repetitions": 4294967295"#)).is_err());
        assert!(validate_limits(&config(r#", "repetitions": 166666"#)).is_ok());
    }

    #[test]
    fn amounts_beyond_the_cap_name_their_field() {
        let e = validate_limits(&config(r#", "entrant_capital_tao": 1e12"#)).unwrap_err();
        assert_eq!(e.field, "entrant_capital_tao");
        let e = validate_limits(&config(r#", "horizon_days": 1e9"#)).unwrap_err();
        assert_eq!(e.field, "horizon_days");
        let e = validate_limits(&config(
            r#", "outputs": {"series": true, "series_interval_blocks": 0}"#,
        ))
        .unwrap_err();
        assert_eq!(e.field, "outputs.series_interval_blocks");
    }
}
