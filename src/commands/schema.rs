//! `tourney schema`: the JSON Schema of tournament files, for editors (e.g. the YAML language
//! server: `# yaml-language-server: $schema=docs/tournament.schema.json`).
//!
//! The schema is written by hand in `docs/tournament.schema.json`; the tests below keep its
//! property lists in step with what the parser accepts.

/// The schema text.
pub const SCHEMA: &str = include_str!("../../docs/tournament.schema.json");

pub fn run() {
    print!("{SCHEMA}");
}

#[cfg(test)]
mod tests {
    use super::SCHEMA;
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
