//! Where a field path (`space.flow_exponent.range[0]`, `network.tao_weight`,
//! `objectives[1].maximise.weight.role`) lies in a YAML file, exactly: for errors found after
//! parsing (a bound, a name that does not exist), which serde_yaml cannot place itself.
//!
//! The text is read again by serde_yaml itself with a visitor that walks the path and stops
//! with an error at the node it names: serde_yaml stamps an error raised inside a visitor with
//! the position of the node being read (the way `de_mechanism` locates a bad mechanism name),
//! so the position is the parser's, not a guess from indentation — keys inside flow maps
//! (`method: {eta: 1}`), quoted keys and comments are found like any other.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `a.b[2].c` → `[Key(a), Key(b), Index(2), Key(c)]`; `None` for a malformed index.
fn segments(field: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(b) => (&part[..b], &part[b..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            out.push(Segment::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
    }
    Some(out)
}

/// The error text that means "found it" (anything else is a real YAML error, ignored here: the
/// file parsed before any field was checked).
const FOUND: &str = "\u{0}tourney-search-located";

/// What the probe stops at: the node a path names, or the key naming its last step.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Value,
    Key,
}

struct Probe<'p> {
    path: &'p [Segment],
    target: Target,
    /// With `Target::Key`: occurrences of the last key to pass before stopping (1 finds a key
    /// given twice at its second occurrence).
    skip: usize,
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Probe<'_> {
    /// At the end of the path: stop here (serde_yaml adds this node's position).
    fn arrived<E: de::Error>(&self) -> Result<(), E> {
        if self.path.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Ok(()) // the path goes on below a scalar: not found
        }
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.arrived()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.arrived()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.arrived()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.arrived()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.arrived()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.arrived()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.arrived()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let Some((Segment::Key(wanted), rest)) = self.path.split_first() else {
            return self.arrived();
        };
        let at_key = rest.is_empty() && self.target == Target::Key;
        let mut skip = if at_key { self.skip } else { 0 };
        while let Some(matched) = map.next_key_seed(KeyProbe {
            wanted,
            stop: at_key && skip == 0,
        })? {
            if matched && at_key {
                skip -= 1; // an occurrence to pass (the one to stop at raised FOUND)
            } else if matched {
                return map.next_value_seed(Probe {
                    path: rest,
                    target: self.target,
                    skip: self.skip,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let Some((Segment::Index(wanted), rest)) = self.path.split_first() else {
            return self.arrived();
        };
        for _ in 0..*wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Probe {
            path: rest,
            target: self.target,
            skip: self.skip,
        })
        .map(|_| ())
    }
}

/// A mapping key: whether it is the one wanted (or, with `stop`, the position of that key).
struct KeyProbe<'p> {
    wanted: &'p str,
    stop: bool,
}

impl<'de> DeserializeSeed<'de> for KeyProbe<'_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for KeyProbe<'_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match (key == self.wanted, self.stop) {
            (true, true) => Err(E::custom(FOUND)),
            (matched, _) => Ok(matched),
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<bool, M::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<bool, S::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

fn probe(text: &str, path: &[Segment], target: Target) -> Option<(usize, usize)> {
    probe_skipping(text, path, target, 0)
}

fn probe_skipping(
    text: &str,
    path: &[Segment],
    target: Target,
    skip: usize,
) -> Option<(usize, usize)> {
    let error = Probe { path, target, skip }
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .err()?;
    if !error.to_string().contains(FOUND) {
        return None;
    }
    error.location().map(|l| (l.line(), l.column()))
}

/// The line and column (1-based) of the node `field` names in `text`: a scalar or a flow
/// collection (`{…}`, `[…]`) at its first character; a block collection, which starts on the
/// line below its key, at its key. When the field is not written (a default was checked), the
/// nearest written ancestor.
pub fn locate(text: &str, field: &str) -> Option<(usize, usize)> {
    let path = segments(field)?;
    for depth in (1..=path.len()).rev() {
        let path = &path[..depth];
        let Some((line, column)) = probe(text, path, Target::Value) else {
            continue;
        };
        let first = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.chars().nth(column - 1));
        let block = !matches!(first, Some('{' | '['))
            && matches!(path.last(), Some(Segment::Key(_)))
            && is_collection(text, path);
        if block {
            if let Some(at) = probe(text, path, Target::Key) {
                return Some(at);
            }
        }
        return Some((line, column));
    }
    None
}

/// Where `field` is named: the key of its last step where that is a key (`network.tao_weight`
/// at `tao_weight`), the item where it is an index; when it is not written (a default was
/// checked), the nearest written ancestor's. Tournament and match files' errors point here.
pub fn locate_key(text: &str, field: &str) -> Option<(usize, usize)> {
    let path = segments(field)?;
    (1..=path.len()).rev().find_map(|depth| {
        let path = &path[..depth];
        let target = match path.last() {
            Some(Segment::Key(_)) => Target::Key,
            _ => Target::Value,
        };
        probe(text, path, target)
    })
}

/// The second occurrence of the key `field` names (a key given twice: serde finds the duplicate
/// when its mapping ends, and serde_yaml places the error at the mapping's start).
pub fn locate_second_key(text: &str, field: &str) -> Option<(usize, usize)> {
    let path = segments(field)?;
    matches!(path.last(), Some(Segment::Key(_)))
        .then(|| probe_skipping(text, &path, Target::Key, 1))
        .flatten()
}

/// Whether the node at `path` is a mapping or a sequence (a scalar's position is its own).
fn is_collection(text: &str, path: &[Segment]) -> bool {
    let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
        return false;
    };
    let mut node = &doc;
    for s in path {
        let next = match s {
            Segment::Key(k) => node.get(k.as_str()),
            Segment::Index(i) => node.get(*i),
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    matches!(
        node,
        serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name: s
space:
  flow_exponent: {range: [3.0, 0.5]}
  ema_ramp: {set: [true, 3]}
objectives:
  - minimise: {observable: bogus}
  - maximise:
      weight: {role: owners, strategy: x}
method: {initial_points: 2, eta: 1}
budget:
  matches: 0
";

    #[test]
    fn finds_values_in_flow_and_block_collections() {
        assert_eq!(locate(TEXT, "name"), Some((1, 7)));
        assert_eq!(locate(TEXT, "space.flow_exponent.range"), Some((3, 26)));
        assert_eq!(locate(TEXT, "space.flow_exponent.range[1]"), Some((3, 32)));
        assert_eq!(locate(TEXT, "space.ema_ramp.set[1]"), Some((4, 26)));
        assert_eq!(locate(TEXT, "space.ema_ramp"), Some((4, 13)));
        assert_eq!(
            locate(TEXT, "objectives[0].minimise.observable"),
            Some((6, 28))
        );
        assert_eq!(
            locate(TEXT, "objectives[1].maximise.weight.strategy"),
            Some((8, 40))
        );
        assert_eq!(locate(TEXT, "method.eta"), Some((9, 34)));
        assert_eq!(locate(TEXT, "budget.matches"), Some((11, 12)));
        // A block collection is located at its key, not at its first entry on the next line.
        assert_eq!(locate(TEXT, "space"), Some((2, 1)));
        assert_eq!(locate(TEXT, "objectives[1].maximise"), Some((7, 5)));
        // Not written: the nearest written ancestor.
        assert_eq!(locate(TEXT, "method.max_repetitions"), Some((9, 9)));
        assert_eq!(locate(TEXT, "constraints[0].role"), None);
    }

    #[test]
    fn a_key_given_twice_is_found_at_its_second_occurrence() {
        let text = "name: x\nseed: 1\nroles:\n  - name: a\n    seed: 3\nnetwork:\n  n: 4\n  \
                    # n: 9\n  n: 5\nflow: {a: 1, b: 2, a: 3}\nseed: 2\n";
        assert_eq!(locate_second_key(text, "seed"), Some((11, 1)));
        assert_eq!(locate_second_key(text, "network.n"), Some((9, 3)));
        assert_eq!(locate_second_key(text, "flow.a"), Some((10, 20)));
        // Given once (a key of another mapping does not count).
        assert_eq!(locate_second_key(text, "roles[0].seed"), None);
        assert_eq!(locate_second_key(text, "name"), None);
    }
}
