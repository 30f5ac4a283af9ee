//! Reading a scripted event (`block`/`day`, `agent`, `action` and the action's fields, all in
//! one mapping) by hand. serde's derive for an internally tagged enum flattened into the event
//! buffers the whole mapping before it knows the variant, and a value deserialized from that
//! buffer fails without its position or field name: `tao: lots` was reported as `events[0]:
//! invalid type …` at the event's first line. Here every value is read straight from the
//! input, in the order written, as the type its key names (a key has the same type in every
//! action that takes it), so the reader's error carries the field path and the value's line
//! and column; which fields the action takes is checked when both are known.
//!
//! Numbers, the action and the work kind are read from the scalar as written
//! ([`Deserializer::deserialize_any`]), not asked of serde_yaml as a type: asked for an `f64`,
//! serde_yaml parses any plain scalar, so `tao: !!str 5` was the number 5 while `tao: "5"` was
//! refused; asked for an enum, it reads a mapping as a variant written with a YAML tag, and
//! `action: {stake: 1}` was refused as "expected a YAML tag starting with '!'".

use super::{ActionConfig, EventConfig, PolicyConfig, SubnetRef, WorkConfig};
use serde::de::{Error, MapAccess, Unexpected, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The `action` tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    Stake,
    Unstake,
    UnstakeAll,
    StakeRoot,
    UnstakeRoot,
    SetIncentive,
    SetWeights,
    Spend,
    Buyback,
}

/// Every action's name, and its tag at the same index.
const ACTION_NAMES: &[&str] = &[
    "stake",
    "unstake",
    "unstake-all",
    "stake-root",
    "unstake-root",
    "set-incentive",
    "set-weights",
    "spend",
    "buyback",
];
const ACTION_TAGS: [Tag; 9] = [
    Tag::Stake,
    Tag::Unstake,
    Tag::UnstakeAll,
    Tag::StakeRoot,
    Tag::UnstakeRoot,
    Tag::SetIncentive,
    Tag::SetWeights,
    Tag::Spend,
    Tag::Buyback,
];

/// An action's name: `unknown variant` for a name that is none (serde's words, which list
/// the names), and what `action` takes for anything that is not a name (a mapping, a number).
impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = Tag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "the name of an action: {}", ACTION_NAMES.join(", "))
            }
            fn visit_str<E: Error>(self, name: &str) -> Result<Tag, E> {
                ACTION_NAMES
                    .iter()
                    .position(|n| *n == name)
                    .map(|i| ACTION_TAGS[i])
                    .ok_or_else(|| E::unknown_variant(name, ACTION_NAMES))
            }
        }
        d.deserialize_any(Name)
    }
}

/// A number as written: a YAML integer or float, whatever it is tagged, and never a string
/// (`!!str 5` is the text "5", refused like `"5"`). The messages are serde's for its number
/// types (`invalid type: string "lots", expected f64`).
struct Number<T>(T);

impl<'de> Deserialize<'de> for Number<f64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Float;
        impl<'de> Visitor<'de> for Float {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("f64")
            }
            fn visit_f64<E: Error>(self, x: f64) -> Result<f64, E> {
                Ok(x)
            }
            fn visit_u64<E: Error>(self, x: u64) -> Result<f64, E> {
                Ok(x as f64)
            }
            fn visit_i64<E: Error>(self, x: i64) -> Result<f64, E> {
                Ok(x as f64)
            }
            fn visit_u128<E: Error>(self, x: u128) -> Result<f64, E> {
                Ok(x as f64)
            }
            fn visit_i128<E: Error>(self, x: i128) -> Result<f64, E> {
                Ok(x as f64)
            }
        }
        d.deserialize_any(Float).map(Number)
    }
}

impl<'de> Deserialize<'de> for Number<u64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Whole;
        impl<'de> Visitor<'de> for Whole {
            type Value = u64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("u64")
            }
            fn visit_u64<E: Error>(self, x: u64) -> Result<u64, E> {
                Ok(x)
            }
            fn visit_i64<E: Error>(self, x: i64) -> Result<u64, E> {
                u64::try_from(x).map_err(|_| E::invalid_value(Unexpected::Signed(x), &self))
            }
            fn visit_u128<E: Error>(self, x: u128) -> Result<u64, E> {
                u64::try_from(x).map_err(|_| {
                    E::invalid_value(Unexpected::Other(&format!("integer `{x}`")), &self)
                })
            }
            fn visit_i128<E: Error>(self, x: i128) -> Result<u64, E> {
                u64::try_from(x).map_err(|_| {
                    E::invalid_value(Unexpected::Other(&format!("integer `{x}`")), &self)
                })
            }
        }
        d.deserialize_any(Whole).map(Number)
    }
}

/// A spend's work kind, `ai` or `offtopic`; null is refused as null, saying that leaving
/// `kind` out means `ai` (it was read as a kind named "null").
struct Kind(WorkConfig);

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const NAMES: &[&str] = &["ai", "offtopic"];
        struct Name;
        impl<'de> Visitor<'de> for Name {
            type Value = WorkConfig;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a work kind: `ai` or `offtopic`")
            }
            fn visit_str<E: Error>(self, name: &str) -> Result<WorkConfig, E> {
                match name {
                    "ai" => Ok(WorkConfig::Ai),
                    "offtopic" => Ok(WorkConfig::Offtopic),
                    _ => Err(E::unknown_variant(name, NAMES)),
                }
            }
            fn visit_unit<E: Error>(self) -> Result<WorkConfig, E> {
                Err(E::custom(
                    "null is not a work kind: write `ai` or `offtopic`, or leave `kind` out \
                     for `ai`",
                ))
            }
        }
        d.deserialize_any(Name).map(Kind)
    }
}

impl Tag {
    /// The fields an action takes besides the event's own, as written.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Tag::Stake => &["subnet", "tao"],
            Tag::Unstake => &["subnet", "alpha"],
            Tag::UnstakeAll => &["subnet"],
            Tag::StakeRoot | Tag::UnstakeRoot => &["tao"],
            Tag::SetIncentive => &["subnet", "holdings_weight"],
            Tag::SetWeights => &["subnet", "policy"],
            Tag::Spend => &["tao", "kind"],
            Tag::Buyback => &["tao", "burn"],
        }
    }
}

/// The event's own keys.
const EVENT_FIELDS: &[&str] = &["block", "day", "agent", "action"];
/// Every action's fields, for an unknown key before the action is known.
const ACTION_FIELDS: &[&str] = &[
    "subnet",
    "tao",
    "alpha",
    "holdings_weight",
    "policy",
    "kind",
    "burn",
];

/// What a mapping gave, each key at most once.
#[derive(Default)]
struct Fields {
    /// A time written as null is refused at its value (it fired at block 0).
    block: Option<u64>,
    day: Option<f64>,
    agent: Option<String>,
    action: Option<Tag>,
    /// `Some(None)`: written as null (only `set-incentive`'s subnet may be).
    subnet: Option<Option<SubnetRef>>,
    tao: Option<f64>,
    alpha: Option<f64>,
    holdings_weight: Option<f64>,
    policy: Option<PolicyConfig>,
    kind: Option<WorkConfig>,
    burn: Option<bool>,
}

/// Sets `slot` once: a second occurrence of `key` is a duplicate field (which the CLI's reader
/// locates at the second occurrence).
fn once<T, E: Error>(slot: &mut Option<T>, key: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

impl Fields {
    /// Which fields were written, of the action ones.
    fn written(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("subnet", self.subnet.is_some()),
            ("tao", self.tao.is_some()),
            ("alpha", self.alpha.is_some()),
            ("holdings_weight", self.holdings_weight.is_some()),
            ("policy", self.policy.is_some()),
            ("kind", self.kind.is_some()),
            ("burn", self.burn.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
    }

    fn into_event<E: Error>(self) -> Result<EventConfig, E> {
        let agent = self
            .agent
            .clone()
            .ok_or_else(|| E::missing_field("agent"))?;
        let tag = self.action.ok_or_else(|| E::missing_field("action"))?;
        // A field given before the action named it, that the action does not take.
        if let Some(extra) = self.written().find(|f| !tag.fields().contains(f)) {
            return Err(unknown(extra, Some(tag)));
        }
        let subnet = || match &self.subnet {
            Some(Some(s)) => Ok(s.clone()),
            Some(None) => Err(E::custom(
                "subnet: expected a subnet: its id (0 to 65535) or its name, got null",
            )),
            None => Err(E::missing_field("subnet")),
        };
        let need = |value: Option<f64>, name: &'static str| value.ok_or(E::missing_field(name));
        let action = match tag {
            Tag::Stake => ActionConfig::Stake {
                subnet: subnet()?,
                tao: need(self.tao, "tao")?,
            },
            Tag::Unstake => ActionConfig::Unstake {
                subnet: subnet()?,
                alpha: need(self.alpha, "alpha")?,
            },
            Tag::UnstakeAll => ActionConfig::UnstakeAll { subnet: subnet()? },
            Tag::StakeRoot => ActionConfig::StakeRoot {
                tao: need(self.tao, "tao")?,
            },
            Tag::UnstakeRoot => ActionConfig::UnstakeRoot {
                tao: need(self.tao, "tao")?,
            },
            Tag::SetIncentive => ActionConfig::SetIncentive {
                subnet: self.subnet.clone().flatten(),
                holdings_weight: need(self.holdings_weight, "holdings_weight")?,
            },
            Tag::SetWeights => ActionConfig::SetWeights {
                subnet: subnet()?,
                policy: self.policy.ok_or(E::missing_field("policy"))?,
            },
            Tag::Spend => ActionConfig::Spend {
                tao: need(self.tao, "tao")?,
                kind: self.kind.unwrap_or(WorkConfig::Ai),
            },
            Tag::Buyback => ActionConfig::Buyback {
                tao: need(self.tao, "tao")?,
                burn: self.burn.unwrap_or(false),
            },
        };
        Ok(EventConfig {
            block: self.block,
            day: self.day,
            agent,
            action,
        })
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = EventConfig;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an event: `block` or `day`, `agent`, `action` and the action's fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<EventConfig, A::Error> {
        let mut got = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            // Once the action is known, a field it does not take is refused at once.
            if let Some(tag) = got.action {
                if ACTION_FIELDS.contains(&key.as_str()) && !tag.fields().contains(&key.as_str()) {
                    return Err(unknown(&key, Some(tag)));
                }
            }
            match key.as_str() {
                "block" => once(&mut got.block, "block", number(&mut map)?)?,
                "day" => once(&mut got.day, "day", number(&mut map)?)?,
                "agent" => once(&mut got.agent, "agent", map.next_value()?)?,
                "action" => once(&mut got.action, "action", map.next_value()?)?,
                "subnet" => {
                    // Read as a subnet where null is not allowed, so a null is refused at the
                    // value like any other wrong value.
                    let value = match got.action {
                        Some(Tag::SetIncentive) | None => map.next_value()?,
                        Some(_) => Some(map.next_value::<SubnetRef>()?),
                    };
                    once(&mut got.subnet, "subnet", value)?
                }
                "tao" => once(&mut got.tao, "tao", number(&mut map)?)?,
                "alpha" => once(&mut got.alpha, "alpha", number(&mut map)?)?,
                "holdings_weight" => once(
                    &mut got.holdings_weight,
                    "holdings_weight",
                    number(&mut map)?,
                )?,
                "policy" => once(&mut got.policy, "policy", map.next_value()?)?,
                "kind" => once(&mut got.kind, "kind", map.next_value::<Kind>()?.0)?,
                "burn" => once(&mut got.burn, "burn", map.next_value()?)?,
                _ => return Err(unknown(&key, got.action)),
            }
        }
        got.into_event()
    }
}

/// The next value of `map`, read as a [`Number`].
fn number<'de, T, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error>
where
    Number<T>: Deserialize<'de>,
{
    map.next_value::<Number<T>>().map(|n| n.0)
}

/// serde's "unknown field" message (which the CLI's reader locates at the key), listing the
/// keys this event may have: its own and its action's (every action's, before the action is
/// known). Written out because serde's `unknown_field` takes only a fixed list.
fn unknown<E: Error>(key: &str, action: Option<Tag>) -> E {
    let fields = action.map_or(ACTION_FIELDS, Tag::fields);
    let expected: Vec<String> = EVENT_FIELDS
        .iter()
        .chain(fields)
        .map(|f| format!("`{f}`"))
        .collect();
    E::custom(format_args!(
        "unknown field `{key}`, expected one of {}",
        expected.join(", ")
    ))
}

/// A policy read straight from the input. serde_yaml reads an externally tagged enum only
/// from a YAML tag (`!classes {…}`), and files write the map form (`{classes: {…}}`), which the
/// derive accepted only from a buffered copy (losing the positions inside it).
impl<'de> Deserialize<'de> for PolicyConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        const NAMES: &[&str] = &["follow-rule", "zero-holders", "classes"];
        /// The class weights, each read at its own position (as a [`Number`], like the
        /// event's).
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Classes {
            work: Number<f64>,
            holdings: Number<f64>,
            burn: Number<f64>,
        }
        struct Policy;
        impl<'de> Visitor<'de> for Policy {
            type Value = PolicyConfig;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a policy: follow-rule, zero-holders or {classes: {work, holdings, burn}}",
                )
            }
            fn visit_str<E: Error>(self, name: &str) -> Result<PolicyConfig, E> {
                match name {
                    "follow-rule" => Ok(PolicyConfig::FollowRule),
                    "zero-holders" => Ok(PolicyConfig::ZeroHolders),
                    _ => Err(E::unknown_variant(name, NAMES)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PolicyConfig, A::Error> {
                let Some(name) = map.next_key::<String>()? else {
                    return Err(A::Error::invalid_length(0, &self));
                };
                if name != "classes" {
                    return Err(A::Error::unknown_variant(&name, &["classes"]));
                }
                let c: Classes = map.next_value()?;
                if map.next_key::<String>()?.is_some() {
                    return Err(A::Error::invalid_length(2, &self));
                }
                Ok(PolicyConfig::Classes {
                    work: c.work.0,
                    holdings: c.holdings.0,
                    burn: c.burn.0,
                })
            }
        }
        d.deserialize_any(Policy)
    }
}

impl<'de> Deserialize<'de> for EventConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EventVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `list` read as a file's `events` (on the lines after `events:`).
    fn events(list: &str) -> Result<Vec<EventConfig>, serde_yaml::Error> {
        #[derive(Deserialize)]
        struct File {
            events: Vec<EventConfig>,
        }
        serde_yaml::from_str::<File>(&format!("events:\n{list}")).map(|f| f.events)
    }

    /// The message without serde_yaml's " at line L column C", and the line and column (of
    /// the whole file: `list` starts on line 2).
    fn failure(list: &str) -> (String, Option<(usize, usize)>) {
        let e = events(list).unwrap_err();
        let at = e.location().map(|l| (l.line(), l.column()));
        let mut message = e.to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        (message, at)
    }

    #[test]
    fn every_action_reads_whatever_the_order_of_its_keys() {
        let yaml = "\
- {block: 5, agent: a, action: stake, subnet: 3, tao: 1.5}
- {tao: 2, subnet: meme, agent: a, action: stake}
- {day: 0.5, agent: a, action: unstake, subnet: 1, alpha: 4}
- {agent: a, action: unstake-all, subnet: 2}
- {agent: a, action: stake-root, tao: 3}
- {agent: a, action: unstake-root, tao: 3}
- {agent: a, action: set-incentive, holdings_weight: 0.5}
- {subnet: 1, agent: a, holdings_weight: 1, action: set-incentive}
- {agent: a, action: set-weights, subnet: 1, policy: zero-holders}
- {agent: a, action: set-weights, subnet: 1, policy: follow-rule}
- {agent: a, action: set-weights, subnet: 1, policy: {classes: {work: 1, holdings: 2, burn: 0}}}
- {agent: a, action: spend, tao: 7}
- {agent: a, action: spend, tao: 7, kind: offtopic}
- {agent: a, action: buyback, tao: 8}
- {burn: true, agent: a, action: buyback, tao: 8}
";
        let got: Vec<ActionConfig> = events(yaml)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        let id = SubnetRef::Id;
        assert_eq!(
            got,
            [
                ActionConfig::Stake {
                    subnet: id(3),
                    tao: 1.5
                },
                ActionConfig::Stake {
                    subnet: SubnetRef::Name("meme".into()),
                    tao: 2.0
                },
                ActionConfig::Unstake {
                    subnet: id(1),
                    alpha: 4.0
                },
                ActionConfig::UnstakeAll { subnet: id(2) },
                ActionConfig::StakeRoot { tao: 3.0 },
                ActionConfig::UnstakeRoot { tao: 3.0 },
                ActionConfig::SetIncentive {
                    subnet: None,
                    holdings_weight: 0.5
                },
                ActionConfig::SetIncentive {
                    subnet: Some(id(1)),
                    holdings_weight: 1.0
                },
                ActionConfig::SetWeights {
                    subnet: id(1),
                    policy: PolicyConfig::ZeroHolders
                },
                ActionConfig::SetWeights {
                    subnet: id(1),
                    policy: PolicyConfig::FollowRule
                },
                ActionConfig::SetWeights {
                    subnet: id(1),
                    policy: PolicyConfig::Classes {
                        work: 1.0,
                        holdings: 2.0,
                        burn: 0.0
                    },
                },
                ActionConfig::Spend {
                    tao: 7.0,
                    kind: WorkConfig::Ai
                },
                ActionConfig::Spend {
                    tao: 7.0,
                    kind: WorkConfig::Offtopic
                },
                ActionConfig::Buyback {
                    tao: 8.0,
                    burn: false
                },
                ActionConfig::Buyback {
                    tao: 8.0,
                    burn: true
                },
            ]
        );
        let first = &events(yaml).unwrap()[0];
        assert_eq!(
            (first.block, first.day, first.agent.as_str()),
            (Some(5), None, "a")
        );
        let third = &events(yaml).unwrap()[2];
        assert_eq!((third.block, third.day), (None, Some(0.5)));
    }

    #[test]
    fn a_bad_value_is_reported_at_its_field() {
        // The value's line and column (1-based), under its field's path.
        let (message, at) =
            failure("- block: 10\n  agent: a\n  action: stake\n  subnet: 1\n  tao: lots\n");
        assert_eq!(
            message,
            "events[0].tao: invalid type: string \"lots\", expected f64"
        );
        assert_eq!(at, Some((6, 8)));
        // Before the action is named, too.
        let (message, at) = failure("- agent: a\n  alpha: [1]\n  action: unstake\n  subnet: 1\n");
        assert_eq!(
            message,
            "events[0].alpha: invalid type: sequence, expected f64"
        );
        assert_eq!(at, Some((3, 10)));
        let (message, at) = failure("- {agent: a, action: stake, tao: 1, subnet: -4}\n");
        assert!(
            message.starts_with("events[0].subnet: invalid value: integer `-4`"),
            "{message}"
        );
        assert_eq!(at, Some((2, 45)));
        let (message, at) = failure(
            "- agent: a\n  action: set-weights\n  subnet: 1\n  policy:\n    classes: {work: x, \
             holdings: 1, burn: 0}\n",
        );
        assert_eq!(
            message,
            "events[0].policy.classes.work: invalid type: string \"x\", expected f64"
        );
        assert_eq!(at, Some((6, 21)));
        // A subnet the action needs, given as null once the action is known.
        let (message, at) = failure("- {agent: a, action: stake, tao: 1, subnet: null}\n");
        assert!(
            message.starts_with("events[0].subnet: invalid type: unit value"),
            "{message}"
        );
        assert_eq!(at, Some((2, 45)));
        let (message, at) =
            failure("- {agent: a, action: set-weights, subnet: 1, policy: {classes: {work: 1}}}\n");
        assert!(
            message.starts_with("events[0].policy.classes: missing field"),
            "{message}"
        );
        assert_eq!(at, Some((2, 64)));
        let (message, _) = failure("- {agent: a, action: set-weights, subnet: 1, policy: none}\n");
        assert!(
            message.starts_with("events[0].policy: unknown variant `none`"),
            "{message}"
        );
        let (message, _) = failure("- {agent: a, action: dance}\n");
        assert!(
            message.starts_with("events[0].action: unknown variant `dance`"),
            "{message}"
        );
    }

    #[test]
    fn values_are_read_as_written_and_refusals_say_what_is_taken() {
        // A string is a string however it is written; a tagged number is a number.
        for tao in ["!!str 5", "\"5\"", "'5'"] {
            let (message, at) = failure(&format!(
                "- {{block: 1, agent: a, action: stake, subnet: 1, tao: {tao}}}\n"
            ));
            assert_eq!(
                message,
                "events[0].tao: invalid type: string \"5\", expected f64"
            );
            assert_eq!(at, Some((2, 55)));
        }
        let (message, _) = failure("- {block: !!str 5, agent: a, action: stake-root, tao: 1}\n");
        assert_eq!(
            message,
            "events[0].block: invalid type: string \"5\", expected u64"
        );
        let read = events(
            "- {block: !!int 5, agent: a, action: stake-root, tao: !!float 2}\n- {day: 1, agent: \
             a, action: unstake-root, tao: 3}\n",
        )
        .unwrap();
        assert_eq!((read[0].block, read[1].day), (Some(5), Some(1.0)));
        assert_eq!(read[0].action, ActionConfig::StakeRoot { tao: 2.0 });
        // A null time is refused at the value (it fired at block 0).
        let (message, at) = failure("- {block: null, agent: a, action: stake-root, tao: 1}\n");
        assert_eq!(
            message,
            "events[0].block: invalid type: unit value, expected u64"
        );
        assert_eq!(at, Some((2, 11)));
        let (message, at) = failure("- agent: a\n  action: stake-root\n  tao: 1\n  block: -1\n");
        assert_eq!(
            message,
            "events[0].block: invalid value: integer `-1`, expected u64"
        );
        assert_eq!(at, Some((5, 10)));
        // The action: what it takes, whatever was written instead of a name.
        let (message, at) = failure("- {block: 1, agent: a, action: {stake: 1}, tao: 1}\n");
        assert_eq!(
            message,
            "events[0].action: invalid type: map, expected the name of an action: stake, \
             unstake, unstake-all, stake-root, unstake-root, set-incentive, set-weights, spend, \
             buyback"
        );
        assert_eq!(at, Some((2, 32)));
        // A null kind is not the unwritten one.
        let (message, at) = failure("- {block: 1, agent: a, action: spend, tao: 1, kind: null}\n");
        assert_eq!(
            message,
            "events[0].kind: null is not a work kind: write `ai` or `offtopic`, or leave `kind` \
             out for `ai`"
        );
        assert_eq!(at, Some((2, 53)));
        let (message, _) = failure("- {block: 1, agent: a, action: spend, tao: 1, kind: art}\n");
        assert_eq!(
            message,
            "events[0].kind: unknown variant `art`, expected `ai` or `offtopic`"
        );
        // Numbers inside a policy, too.
        let (message, _) = failure(
            "- {agent: a, action: set-weights, subnet: 1, policy: {classes: {work: !!str 1, \
             holdings: 1, burn: 0}}}\n",
        );
        assert_eq!(
            message,
            "events[0].policy.classes.work: invalid type: string \"1\", expected f64"
        );
    }

    #[test]
    fn keys_the_action_does_not_take_or_lacks_are_named() {
        let (message, _) = failure("- {agent: a, action: stake, subnet: 1, tao: 1, alpha: 2}\n");
        assert_eq!(
            message,
            "events[0]: unknown field `alpha`, expected one of `block`, `day`, `agent`, `action`, \
             `subnet`, `tao`"
        );
        // Given before the action that does not take it: found when the event ends.
        let (message, _) = failure("- {agent: a, burn: true, action: stake, subnet: 1, tao: 1}\n");
        assert!(
            message.starts_with("events[0]: unknown field `burn`"),
            "{message}"
        );
        let (message, _) = failure("- {agent: a, action: stake, subnet: 1, tao: 1, extra: 3}\n");
        assert!(
            message.starts_with("events[0]: unknown field `extra`"),
            "{message}"
        );
        let (message, _) = failure("- {agent: a, action: stake, subnet: 1}\n");
        assert_eq!(message, "events[0]: missing field `tao`");
        let (message, _) = failure("- {agent: a, subnet: 1, tao: 1}\n");
        assert_eq!(message, "events[0]: missing field `action`");
        let (message, _) = failure("- {action: stake-root, tao: 1}\n");
        assert_eq!(message, "events[0]: missing field `agent`");
        let (message, _) = failure("- {agent: a, action: stake-root, tao: 1, tao: 2}\n");
        assert!(message.contains("duplicate field `tao`"), "{message}");
    }
}
