//! `tourney schema`: the JSON Schema of tournament files, for editors (e.g. the YAML language
//! server: `# yaml-language-server: $schema=docs/tournament.schema.json`).
//!
//! The schema is written by hand in `docs/tournament.schema.json`; the tests below keep its
//! property lists, and which of `entrants` and `roles` each format needs, in step with what the
//! parser accepts; every tournament file in `tournaments/` satisfies it.

/// The schema text.
pub const SCHEMA: &str = include_str!("../../docs/tournament.schema.json");

pub fn run() {
    print!("{SCHEMA}");
}

#[cfg(test)]
mod tests {
    use super::SCHEMA;
    use serde_json::Value;
    use tourney_engine::tournament::config::TournamentConfig;

    /// The parser's verdict on a YAML that sets `key` (under `section`, if any) to a value of
    /// the wrong type: an unknown field, or known.
    fn known(section: Option<&str>, key: &str) -> bool {
        let head = "name: x\nentrants: []\nmechanisms: []\n";
        let yaml = match section {
            None => format!("{head}{key}: [[[]]]\n"),
            Some(s) => format!("{head}{s}:\n  {key}: [[[]]]\n"),
        };
        let err = serde_yaml::from_str::<TournamentConfig>(&yaml)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        !err.contains("unknown field")
    }

    #[test]
    fn every_property_in_the_schema_is_one_the_parser_knows() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        let props = schema["properties"].as_object().unwrap();
        for key in props.keys() {
            assert!(known(None, key), "top-level `{key}`");
        }
        for section in ["network", "market", "owned_subnet", "outputs"] {
            for key in props[section]["properties"].as_object().unwrap().keys() {
                assert!(known(Some(section), key), "`{section}.{key}`");
            }
        }
        // And the parser rejects what the schema would.
        assert!(!known(None, "not_a_field"));
        assert!(!known(Some("network"), "not_a_field"));
    }

    /// Whether `value` satisfies `schema`, for the keywords `docs/tournament.schema.json` uses
    /// (draft 2020-12), except `pattern`, taken as satisfied (no regex engine here): enough to
    /// compare the schema's verdict on whole files with the loader's.
    fn satisfies(schema: &Value, value: &Value) -> bool {
        let Some(schema) = schema.as_object() else {
            return schema.as_bool().unwrap_or(true);
        };
        let number = |k: &str| schema.get(k).and_then(Value::as_f64);
        let count = |k: &str| schema.get(k).and_then(Value::as_u64).map(|n| n as usize);
        let all = |k: &str| {
            schema
                .get(k)
                .and_then(Value::as_array)
                .is_none_or(|list| list.iter().all(|s| satisfies(s, value)))
        };
        let of_type = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "number" => value.is_number(),
            "integer" => value.as_f64().is_some_and(|x| x.fract() == 0.0),
            "null" => value.is_null(),
            other => panic!("type `{other}`"),
        };
        let typed = match schema.get("type") {
            Some(Value::String(t)) => of_type(t),
            Some(Value::Array(ts)) => ts.iter().any(|t| of_type(t.as_str().unwrap())),
            _ => true,
        };
        let exact = schema.get("const").is_none_or(|c| c == value)
            && schema
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|e| e.contains(value));
        let conditional = match schema.get("if") {
            Some(cond) if satisfies(cond, value) => {
                schema.get("then").is_none_or(|s| satisfies(s, value))
            }
            Some(_) => schema.get("else").is_none_or(|s| satisfies(s, value)),
            None => true,
        };
        let one_of = schema
            .get("oneOf")
            .and_then(Value::as_array)
            .is_none_or(|list| list.iter().filter(|s| satisfies(s, value)).count() == 1);
        let bounded = value.as_f64().is_none_or(|x| {
            number("minimum").is_none_or(|m| x >= m)
                && number("maximum").is_none_or(|m| x <= m)
                && number("exclusiveMinimum").is_none_or(|m| x > m)
                && number("exclusiveMaximum").is_none_or(|m| x < m)
        });
        let sized = value.as_str().is_none_or(|t| {
            let n = t.chars().count();
            count("minLength").is_none_or(|m| n >= m) && count("maxLength").is_none_or(|m| n <= m)
        });
        let listed = value.as_array().is_none_or(|items| {
            count("minItems").is_none_or(|m| items.len() >= m)
                && count("maxItems").is_none_or(|m| items.len() <= m)
                && schema
                    .get("items")
                    .is_none_or(|s| items.iter().all(|i| satisfies(s, i)))
        });
        let mapped = value.as_object().is_none_or(|fields| {
            let props = schema.get("properties").and_then(Value::as_object);
            let required = schema.get("required").and_then(Value::as_array);
            required.is_none_or(|r| r.iter().all(|k| fields.contains_key(k.as_str().unwrap())))
                && fields
                    .iter()
                    .all(|(k, v)| match props.and_then(|p| p.get(k)) {
                        Some(s) => satisfies(s, v),
                        None => schema
                            .get("additionalProperties")
                            .is_none_or(|s| satisfies(s, v)),
                    })
        });
        typed
            && exact
            && all("allOf")
            && conditional
            && one_of
            && bounded
            && sized
            && listed
            && mapped
    }

    /// The loader's verdict on a tournament file: parsed, its roles read, validated (no
    /// plugin is loaded).
    fn loads(yaml: &str) -> bool {
        serde_yaml::from_str::<TournamentConfig>(yaml)
            .ok()
            .is_some_and(|mut c| c.prepare().is_ok() && c.validate().is_ok())
    }

    fn schema_accepts(yaml: &str) -> bool {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        satisfies(&schema, &serde_yaml::from_str::<Value>(yaml).unwrap())
    }

    #[test]
    fn the_schema_requires_entrants_or_roles_as_the_loader_does() {
        let head = "name: x\nmechanisms: [dtao-price]\n";
        let role = "roles:\n  - {name: o, players: 1, plays: staker, strategies: [{plugin: a}]}\n";
        // (file, loaded): a round-robin or melee tournament needs an entrant, and no roles; a
        // roles tournament needs a role, and no entrants; either may write the other's list
        // empty. The schema allowed `entrants: []`, and refused `roles: []` in a round-robin.
        let cases = [
            (format!("{head}entrants: [{{plugin: a}}]\n"), true),
            (format!("{head}entrants: []\n"), false),
            (head.to_string(), false),
            (format!("{head}format: round-robin\nentrants: []\n"), false),
            (format!("{head}format: melee\nentrants: []\n"), false),
            (
                format!("{head}format: melee\nentrants: [{{plugin: a}}]\n"),
                true,
            ),
            (format!("{head}entrants: [{{plugin: a}}]\n{role}"), false),
            (
                format!("{head}entrants: [{{plugin: a}}]\nroles: []\n"),
                true,
            ),
            (
                format!("{head}format: melee\nentrants: [{{plugin: a}}]\nroles: []\n"),
                true,
            ),
            (format!("{head}format: roles\nroles: []\n"), false),
            (format!("{head}format: roles\n{role}"), true),
            (format!("{head}format: roles\nentrants: []\n{role}"), true),
            (
                format!("{head}format: roles\nentrants: [{{plugin: a}}]\n{role}"),
                false,
            ),
            (format!("{head}format: roles\n"), false),
        ];
        for (yaml, loaded) in cases {
            assert_eq!(loads(&yaml), loaded, "the loader on\n{yaml}");
            assert_eq!(schema_accepts(&yaml), loaded, "the schema on\n{yaml}");
        }
    }

    #[test]
    fn every_tournament_file_in_the_repository_satisfies_the_schema() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tournaments");
        let mut checked = 0;
        for dir in [root.clone(), root.join("scenarios")] {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                let yaml = std::fs::read_to_string(&path).unwrap();
                // Match files (scenarios for `simulate`) are not tournaments.
                if serde_yaml::from_str::<TournamentConfig>(&yaml).is_err() {
                    continue;
                }
                assert!(schema_accepts(&yaml), "{}", path.display());
                checked += 1;
            }
        }
        assert!(checked >= 5, "{checked} tournament files");
    }

    #[test]
    fn the_schema_lists_every_mechanism() {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        let names: Vec<&str> = schema["properties"]["mechanisms"]["items"]["oneOf"][0]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let all: Vec<&str> = tourney_sdk::Mechanism::ALL
            .iter()
            .map(|m| m.name())
            .collect();
        assert_eq!(names, all);
    }
}
