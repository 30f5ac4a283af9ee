//! Match identities must be unique: a match's id (and so its seed, its series file and its
//! journal key) is built from the mechanism label, the schedule name and the entrants' names
//! mapped to file-safe characters. Two names equal after that mapping (`x y` and `x_y`), a
//! mechanism listed twice or two schedules of one name would give two matches one identity —
//! the same seed, rows counted twice or merged under one label. Refused here, naming both.
//!
//! Also the tournament's name, which names the default output folder.

use super::config::TournamentConfig;
use super::plan::file_safe;
use crate::config::ConfigError;
use std::collections::BTreeMap;

/// Longest tournament, entrant or schedule name (a file name component stays well under the
/// usual 255-byte limit with the id's other parts).
pub const MAX_NAME_CHARS: usize = 64;

/// Longest mechanism label. A label is generated from the entry's fields (`taoflow+flow-p1.5
/// +flow-cutoff12+flow-rate1e-6+injection-cap0.5`), one suffix per field that differs from the
/// chain, so a search point over five knobs needs more than a hand-written name.
pub const MAX_MECHANISM_LABEL_CHARS: usize = 112;

fn err(field: String, message: String) -> ConfigError {
    ConfigError { field, message }
}

/// Names `labels` (with the field of each) must stay distinct after file-safe mapping, must not
/// hold the id separator `__` once mapped, and must be at most [`MAX_NAME_CHARS`] long.
fn distinct(what: &str, labels: &[(String, String)], max_chars: usize) -> Result<(), ConfigError> {
    let mut seen: BTreeMap<String, &(String, String)> = BTreeMap::new();
    for entry in labels {
        let (field, label) = entry;
        if label.chars().count() > max_chars {
            return Err(err(
                field.clone(),
                format!("{what} `{label}` is longer than {max_chars} characters"),
            ));
        }
        let safe = file_safe(label);
        if safe.contains("__") {
            return Err(err(
                field.clone(),
                format!(
                    "{what} `{label}` becomes `{safe}` in match ids, whose parts are separated \
                     by `__`: use single separators"
                ),
            ));
        }
        if let Some((other_field, other)) = seen.insert(safe.clone(), entry) {
            let how = if other == label {
                "listed twice".to_string()
            } else {
                format!("both become `{safe}` in match ids and file names")
            };
            return Err(err(
                field.clone(),
                format!(
                    "{what} `{label}` collides with `{other}` ({other_field}): {how}; \
                     each match needs its own identity"
                ),
            ));
        }
    }
    Ok(())
}

/// The tournament's name names its default output folder `reports/out/<name>`.
fn folder_name(name: &str) -> Result<(), ConfigError> {
    let bad = |m: &str| Err(err("name".into(), m.to_string()));
    if name.chars().count() > MAX_NAME_CHARS {
        return bad(&format!(
            "a name of at most {MAX_NAME_CHARS} characters (it names the output folder)"
        ));
    }
    if name == "." || name == ".." {
        return bad("`.` and `..` cannot name the output folder: choose a name");
    }
    if name.chars().any(char::is_control) {
        return bad("a name without control characters (it names the output folder)");
    }
    Ok(())
}

/// Every identity check: the tournament name, entrants, mechanisms and schedules.
pub fn validate_identities(config: &TournamentConfig) -> Result<(), ConfigError> {
    folder_name(&config.name)?;
    let entrants: Vec<(String, String)> = config
        .entrants
        .iter()
        .enumerate()
        .map(|(k, e)| (format!("entrants[{k}].name"), e.display_name()))
        .collect();
    distinct("entrant", &entrants, MAX_NAME_CHARS)?;
    let mechanisms: Vec<(String, String)> = config
        .mechanisms
        .iter()
        .enumerate()
        .map(|(k, m)| (format!("mechanisms[{k}]"), m.label()))
        .collect();
    distinct("mechanism", &mechanisms, MAX_MECHANISM_LABEL_CHARS)?;
    let schedules: Vec<(String, String)> = config
        .schedules
        .iter()
        .enumerate()
        .map(|(k, s)| (format!("schedules[{k}]"), s.name.clone()))
        .collect();
    distinct("schedule", &schedules, MAX_NAME_CHARS)?;
    // Round-robin ids join two names with `-vs-`: `a-vs-b` against `c` and `a` against `b-vs-c`
    // would share one. Refused when it happens (checked on names only, no plan needed).
    if entrants.iter().any(|(_, n)| file_safe(n).contains("-vs-")) {
        let (field, name) = entrants
            .iter()
            .find(|(_, n)| file_safe(n).contains("-vs-"))
            .cloned()
            .unwrap_or_default();
        return Err(err(
            field,
            format!("entrant `{name}` holds `-vs-`, which separates the entrants of a match id"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(entrants: &str, mechanisms: &str, schedules: &str) -> TournamentConfig {
        serde_json::from_str(&format!(
            r#"{{"name": "t", "entrants": {entrants}, "mechanisms": {mechanisms},
                "schedules": {schedules}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn names_equal_after_mapping_are_refused_with_both() {
        let c = config(
            r#"[{"name": "x y", "plugin": "a"}, {"name": "x_y", "plugin": "a"}]"#,
            r#"["dtao-price"]"#,
            r#"["native"]"#,
        );
        let e = validate_identities(&c).unwrap_err();
        assert_eq!(e.field, "entrants[1].name");
        assert!(
            e.message.contains("`x_y`") && e.message.contains("`x y`"),
            "{e}"
        );
    }

    #[test]
    fn a_mechanism_or_schedule_listed_twice_is_refused() {
        let c = config(
            r#"[{"plugin": "a"}]"#,
            r#"["dtao-price", "taoflow", "dtao-price"]"#,
            r#"["native"]"#,
        );
        let e = validate_identities(&c).unwrap_err();
        assert_eq!(e.field, "mechanisms[2]");
        assert!(e.message.contains("listed twice"), "{e}");
        let c = config(
            r#"[{"plugin": "a"}]"#,
            r#"["dtao-price"]"#,
            r#"[{"name": "s", "root": {"constant": 0.5}}, {"name": "s", "root": {"constant": 0.1}}]"#,
        );
        assert_eq!(validate_identities(&c).unwrap_err().field, "schedules[1]");
    }

    #[test]
    fn distinct_names_pass() {
        let c = config(
            r#"[{"name": "x-y", "plugin": "a"}, {"name": "x_z", "plugin": "a"}]"#,
            r#"["dtao-price", {"name": "dtao-price", "injection": "e3"}]"#,
            r#"["native", {"name": "half", "root": {"constant": 0.5}}]"#,
        );
        assert_eq!(validate_identities(&c), Ok(()));
    }

    #[test]
    fn folder_names_that_break_paths_are_refused() {
        for name in [".", "..", &"n".repeat(65), "a\u{7}b"] {
            assert!(folder_name(name).is_err(), "{name:?}");
        }
        assert!(folder_name("quick").is_ok());
    }
}
