//! A search point's tournament: the base tournament's YAML with the point's knob values
//! written in (`network.tao_weight`, or a field of every `mechanisms:` entry). It is the file
//! a point's matches are played from, and for the best point the ready tournament the search
//! hands back. Written as YAML text so that it can be read, diffed and re-run by hand.

use serde_yaml::{Mapping, Value};
use tourney_engine::search::config::{knob, Target};
use tourney_engine::search::space::Level;

fn level_value(level: &Level) -> Value {
    match level {
        Level::Bool(b) => Value::Bool(*b),
        Level::Number(x) => Value::Number((*x).into()),
        Level::Text(s) => Value::String(s.clone()),
    }
}

/// The base tournament `base` (parsed YAML) with `knobs[k] = values[k]` applied. Unknown knob
/// names are an error (the search file's check refuses them earlier).
pub fn apply(base: &Value, knobs: &[String], values: &[Level]) -> Result<Value, String> {
    let mut doc = base.clone();
    let root = doc
        .as_mapping_mut()
        .ok_or("the base tournament is not a YAML mapping")?;
    for (name, level) in knobs.iter().zip(values) {
        let k = knob(name).ok_or_else(|| format!("unknown knob `{name}`"))?;
        match k.target {
            Target::Network(field) => {
                let network = root
                    .entry(Value::String("network".into()))
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                network
                    .as_mapping_mut()
                    .ok_or("`network` is not a mapping")?
                    .insert(Value::String(field.into()), level_value(level));
            }
            Target::Mechanism(field) => {
                let mechanisms = root
                    .get_mut("mechanisms")
                    .and_then(Value::as_sequence_mut)
                    .ok_or("the base tournament has no `mechanisms:` list")?;
                for m in mechanisms.iter_mut() {
                    if let Value::String(name) = m {
                        let mut map = Mapping::new();
                        map.insert(Value::String("name".into()), Value::String(name.clone()));
                        *m = Value::Mapping(map);
                    }
                    m.as_mapping_mut()
                        .ok_or("a `mechanisms:` entry is neither a name nor a mapping")?
                        .insert(Value::String(field.into()), level_value(level));
                }
            }
        }
    }
    Ok(doc)
}

/// Make every relative `crate:` and path-like `plugin:` value absolute against `base_dir`
/// (the base tournament's folder), so a point's YAML can live in the search's output folder.
pub fn absolutise_paths(doc: &mut Value, base_dir: &std::path::Path) {
    match doc {
        Value::Mapping(map) => {
            for (key, value) in map.iter_mut() {
                let is_path = match (key.as_str(), value.as_str()) {
                    (Some("crate"), Some(_)) => true,
                    (Some("plugin"), Some(v)) => v.contains('/'),
                    _ => false,
                };
                if is_path {
                    let p = std::path::Path::new(value.as_str().unwrap_or_default());
                    if p.is_relative() {
                        *value = Value::String(base_dir.join(p).display().to_string());
                    }
                } else {
                    absolutise_paths(value, base_dir);
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| absolutise_paths(v, base_dir)),
        _ => {}
    }
}

/// Set the tournament's `repetitions` to a fixed count (a search point's rung).
pub fn set_repetitions(doc: &mut Value, repetitions: u32) {
    if let Some(map) = doc.as_mapping_mut() {
        map.insert(
            Value::String("repetitions".into()),
            Value::Number(repetitions.into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_engine::emission::AlphaEmissionRule;
    use tourney_engine::tournament::config::TournamentConfig;

    #[test]
    fn knobs_land_in_network_and_every_mechanism_and_the_result_parses() {
        let base: Value = serde_yaml::from_str(
            // Two mechanisms that read TaoFlow's exponent (a mechanism refuses a setting it
            // does not read); the objective weights land on `objective` below.
            "name: b\nentrants: []\nmechanisms: [taoflow-net, {name: taoflow, injection: e3}]\n",
        )
        .unwrap();
        let knobs: Vec<String> = [
            "alpha_emission",
            "flow_exponent",
            "tao_weight",
            "ema_ramp",
            "owner_cut",
            "fees",
            "ema_start",
            "ema_price_rate",
            "ema_ramp_blocks",
            "flow_ema_rate",
            "injection_cap",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let values = vec![
            Level::Text("by-share".into()),
            Level::Number(2.5),
            Level::Number(0.3),
            Level::Bool(false),
            Level::Number(0.25),
            Level::Text("proportional".into()),
            Level::Text("spot".into()),
            Level::Number(1e-5),
            Level::Number(50_400.0),
            Level::Number(2e-5),
            Level::Number(0.5),
        ];
        let doc = apply(&base, &knobs, &values).unwrap();
        let text = serde_yaml::to_string(&doc).unwrap();
        let t: TournamentConfig = serde_yaml::from_str(&text).unwrap();
        assert_eq!(t.network.tao_weight, 0.3);
        assert_eq!(t.mechanisms.len(), 2);
        for m in &t.mechanisms {
            assert_eq!(m.alpha_emission, AlphaEmissionRule::ByShare);
            assert_eq!(m.flow_exponent, 2.5);
            assert!(!m.ema_ramp);
            assert_eq!(m.owner_cut, 0.25);
            assert_eq!(m.fees, Some(tourney_engine::fees::FeeRule::Proportional));
            assert_eq!(m.ema_start, tourney_engine::ema_start::EmaStart::Spot);
            let r = m.rates;
            assert_eq!(
                (
                    r.ema_price_rate,
                    r.ema_ramp_blocks,
                    r.flow_ema_rate,
                    r.injection_cap
                ),
                (1e-5, 50_400.0, 2e-5, 0.5)
            );
        }
        // The second entry keeps what it had.
        assert_eq!(
            t.mechanisms[1].label(),
            "taoflow+e3+no-ramp+ema-spot+fees-proportional+alpha-by-share+flow-p2.5+owner-cut0.25\
             +ema-rate1e-5+ramp-blocks50400+flow-rate2e-5+injection-cap0.5"
        );
        let objective: Value =
            serde_yaml::from_str("name: b\nentrants: []\nmechanisms: [objective]\n").unwrap();
        let doc = apply(
            &objective,
            &[
                "objective_price_weight".into(),
                "objective_flow_weight".into(),
            ],
            &[Level::Number(0.25), Level::Number(0.125)],
        )
        .unwrap();
        let t: TournamentConfig =
            serde_yaml::from_str(&serde_yaml::to_string(&doc).unwrap()).unwrap();
        let w = t.mechanisms[0].objective;
        assert_eq!((w.price, w.flow), (0.25, 0.125));
        assert_eq!(
            t.mechanisms[0].label(),
            "objective+obj-price0.25+obj-flow0.125"
        );
        // The base is untouched, and an unknown knob is refused.
        assert_eq!(base["mechanisms"][0], Value::String("taoflow-net".into()));
        assert!(apply(&base, &["owner_cutt".into()], &[Level::Number(0.1)]).is_err());
    }

    #[test]
    fn relative_strategy_paths_become_absolute_and_repetitions_are_set() {
        let mut doc: Value = serde_yaml::from_str(
            "roles:\n  - strategies:\n      - crate: ../strategies/a\n      - plugin: b\n      \
             - plugin: lib/c.so\n      - crate: /abs/d\nrepetitions: {min: 2, max: 8}\n",
        )
        .unwrap();
        absolutise_paths(&mut doc, std::path::Path::new("/repo/tournaments"));
        set_repetitions(&mut doc, 6);
        let s = &doc["roles"][0]["strategies"];
        assert_eq!(
            s[0]["crate"],
            Value::String("/repo/tournaments/../strategies/a".into())
        );
        assert_eq!(
            s[1]["plugin"],
            Value::String("b".into()),
            "a plugin name stays a name"
        );
        assert_eq!(
            s[2]["plugin"],
            Value::String("/repo/tournaments/lib/c.so".into())
        );
        assert_eq!(s[3]["crate"], Value::String("/abs/d".into()));
        assert_eq!(doc["repetitions"], Value::Number(6.into()));
    }
}
