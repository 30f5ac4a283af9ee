//! Tournament configuration as written in `tournaments/*.yaml` (parsed by the CLI with
//! serde_yaml; unknown fields are rejected everywhere).

use super::limits::MAX_ENTRANTS;
use super::roles::{self, Profile, Repetitions, RoleEntry};
use crate::config::{ConfigError, MarketConfig, NetworkConfig, OwnedSubnetConfig};
use crate::emission::AlphaEmissionRule;
use crate::injection::InjectionRule;
use crate::mechanism::ObjectiveWeights;
use crate::rates::Rates;
use crate::schedule::RootSchedule;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use tourney_sdk::{Mechanism, ParamValue, Params};

/// How entrants meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Every pair (self-play included) plays one match per mechanism × schedule × repetition.
    RoundRobin,
    /// All entrants in one network.
    Melee,
    /// Players in roles (`roles:`): every match plays one profile (a multiset of strategies
    /// per role); payoffs are compared only within a role (see `docs/roles.md`).
    Roles,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::RoundRobin => "round-robin",
            Format::Melee => "melee",
            Format::Roles => "roles",
        }
    }
}

/// A parameter value as YAML gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamYaml {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// By hand rather than `untagged`: a list or a null is refused saying what a parameter may be
/// (serde's untagged message named only the enum), and an integer too large for 64 bits is a
/// number like any other.
impl<'de> Deserialize<'de> for ParamYaml {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Value;
        impl<'de> Visitor<'de> for Value {
            type Value = ParamYaml;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a parameter value: a number, true or false, or text")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Number(x as f64))
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Number(x as f64))
            }
            fn visit_i128<E: de::Error>(self, x: i128) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Number(x as f64))
            }
            fn visit_u128<E: de::Error>(self, x: u128) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Number(x as f64))
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Number(x))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ParamYaml, E> {
                Ok(ParamYaml::Text(s.to_string()))
            }
        }
        d.deserialize_any(Value)
    }
}

/// A strategy's parameters, each name once: a map would keep the last of two values silently,
/// where every other key given twice is an error.
fn de_params<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, ParamYaml>, D::Error> {
    struct Params;
    impl<'de> Visitor<'de> for Params {
        type Value = BTreeMap<String, ParamYaml>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of parameter names to values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut params = BTreeMap::new();
            while let Some(name) = map.next_key::<String>()? {
                let value = map.next_value()?;
                if params.insert(name.clone(), value).is_some() {
                    return Err(de::Error::custom(format!(
                        "duplicate parameter `{name}`: give each parameter once"
                    )));
                }
            }
            Ok(params)
        }
    }
    d.deserialize_map(Params)
}

/// One entrant: a plugin by name or path, or a crate directory to build.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrantEntry {
    /// Unique name in the tournament (defaults to the plugin or crate name); not empty or only
    /// whitespace (it labels columns and match ids).
    #[serde(default, deserialize_with = "de_entrant_name")]
    pub name: Option<String>,
    /// A plugin by name (searched in TOURNEY_PLUGIN_PATH, target/release, target/debug) or by
    /// path to a shared library.
    #[serde(default)]
    pub plugin: Option<String>,
    /// A strategy crate directory, built with cargo on demand (relative to the YAML file).
    #[serde(default, rename = "crate")]
    pub crate_dir: Option<PathBuf>,
    #[serde(default, deserialize_with = "de_params")]
    pub params: BTreeMap<String, ParamYaml>,
    /// Starting TAO (defaults to `entrant_capital_tao`).
    #[serde(default)]
    pub capital_tao: Option<f64>,
    /// What its root claims do from 2025-11-04: `swap` (the chain's default) or `keep`.
    #[serde(default)]
    pub root_claim: Option<crate::root_claims::RootClaim>,
}

/// An entrant's `name`, refused when empty or only whitespace inside the visitor, where
/// serde_yaml still knows the scalar's position.
fn de_entrant_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Name;
    impl<'de> Visitor<'de> for Name {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an entrant name")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<String>, E> {
            crate::config::non_blank_name("name", "an entrant's", name)
                .map_err(|e| E::custom(e.message))?;
            Ok(Some(name.to_string()))
        }
    }
    d.deserialize_option(Name)
}

impl EntrantEntry {
    /// The entrant's display name.
    pub fn display_name(&self) -> String {
        if let Some(n) = &self.name {
            return n.clone();
        }
        if let Some(p) = &self.plugin {
            let base = std::path::Path::new(p)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.clone());
            return base.trim_start_matches("lib").replace('_', "-");
        }
        if let Some(c) = &self.crate_dir {
            return c
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| c.display().to_string());
        }
        "entrant".into()
    }

    /// The SDK's parameter map.
    pub fn sdk_params(&self) -> Params {
        Params(
            self.params
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        ParamYaml::Bool(b) => ParamValue::Bool(*b),
                        ParamYaml::Number(x) => ParamValue::Number(*x),
                        ParamYaml::Text(s) => ParamValue::Text(s.clone()),
                    };
                    (k.clone(), v)
                })
                .collect(),
        )
    }
}

/// A mechanism variant: a name, optionally with an injection override.
#[derive(Clone, Debug, PartialEq)]
pub struct MechanismEntry {
    pub mechanism: Mechanism,
    pub injection: Option<InjectionRule>,
    /// `false`: the launch-day EMA rate (constant 3e-6, before the 2025-03-11 ramp).
    pub ema_ramp: bool,
    /// Where the EMA price starts (`zero`, the chain; `spot`, counterfactual).
    pub ema_start: crate::ema_start::EmaStart,
    /// Override the era's pool fee rule.
    pub fees: Option<crate::fees::FeeRule>,
    /// The counterfactual `by-share` alpha emission, or the chain's rule.
    pub alpha_emission: AlphaEmissionRule,
    /// TaoFlow's exponent p (`z^p`; 1 on chain), for `taoflow` and `taoflow-net`.
    pub flow_exponent: f64,
    /// TaoFlow's cutoff L in TAO per day (0 on chain), for `taoflow` and `taoflow-net`.
    pub flow_cutoff_tao_per_day: f64,
    /// The subnet owner's cut of alpha emission, a fraction (the chain's 11796/65535 ≈ 0.18).
    pub owner_cut: f64,
    /// The per-block rates (`ema_price_rate`, `ema_ramp_blocks`, `flow_ema_rate`,
    /// `injection_cap` in YAML); the chain's by default.
    pub rates: Rates,
    /// The `objective` rule's weights (`objective_price_weight`, `objective_flow_weight`).
    pub objective: ObjectiveWeights,
}

impl MechanismEntry {
    /// Label used in tables: `market-cap`, `market-cap+e3`, `dtao-price+no-ramp`.
    pub fn label(&self) -> String {
        let mut label = self.mechanism.name().to_string();
        if let Some(i) = self.injection {
            label.push('+');
            label.push_str(match i {
                InjectionRule::E1 => "e1",
                InjectionRule::E2 => "e2",
                InjectionRule::E3 => "e3",
                InjectionRule::E3CapBlockEmission => "e3-cap-block-emission",
                InjectionRule::E5RootCap => "e5-root-cap",
            });
        }
        if !self.ema_ramp {
            label.push_str("+no-ramp");
        }
        if self.ema_start == crate::ema_start::EmaStart::Spot {
            label.push_str("+ema-spot");
        }
        match self.fees {
            Some(crate::fees::FeeRule::Flat) => label.push_str("+fees-flat"),
            Some(crate::fees::FeeRule::Proportional) => label.push_str("+fees-proportional"),
            Some(crate::fees::FeeRule::UnstakeYield) => label.push_str("+fees-unstake-yield"),
            None => {}
        }
        if self.alpha_emission == AlphaEmissionRule::ByShare {
            label.push_str("+alpha-by-share");
        }
        if self.flow_exponent != 1.0 {
            label.push_str(&format!("+flow-p{}", self.flow_exponent));
        }
        if self.flow_cutoff_tao_per_day != 0.0 {
            label.push_str(&format!("+flow-cutoff{}", self.flow_cutoff_tao_per_day));
        }
        // Labelled when it changes the chain's units (0.18 written by hand is the default).
        if crate::config::owner_cut_numerator(self.owner_cut)
            != crate::config::owner_cut_numerator(crate::config::DEFAULT_OWNER_CUT)
        {
            label.push_str(&format!("+owner-cut{}", self.owner_cut));
        }
        label.push_str(&self.rates.label());
        label.push_str(&self.objective.label());
        label
    }
}

impl<'de> Deserialize<'de> for MechanismEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            #[serde(deserialize_with = "crate::config::de_mechanism")]
            name: Mechanism,
            #[serde(default)]
            injection: Option<InjectionRule>,
            #[serde(default = "yes")]
            ema_ramp: bool,
            #[serde(default)]
            ema_start: crate::ema_start::EmaStart,
            #[serde(default)]
            fees: Option<crate::fees::FeeRule>,
            #[serde(default)]
            alpha_emission: AlphaEmissionRule,
            #[serde(default = "one")]
            flow_exponent: f64,
            #[serde(default)]
            flow_cutoff_tao_per_day: f64,
            #[serde(default = "owner_cut")]
            owner_cut: f64,
            #[serde(default = "ema_price_rate")]
            ema_price_rate: f64,
            #[serde(default = "ema_ramp_blocks")]
            ema_ramp_blocks: f64,
            #[serde(default = "flow_ema_rate")]
            flow_ema_rate: f64,
            #[serde(default = "one")]
            injection_cap: f64,
            #[serde(default)]
            objective_price_weight: f64,
            #[serde(default)]
            objective_flow_weight: f64,
        }
        fn ema_price_rate() -> f64 {
            Rates::default().ema_price_rate
        }
        fn ema_ramp_blocks() -> f64 {
            Rates::default().ema_ramp_blocks
        }
        fn flow_ema_rate() -> f64 {
            Rates::default().flow_ema_rate
        }
        fn owner_cut() -> f64 {
            crate::config::DEFAULT_OWNER_CUT
        }
        fn yes() -> bool {
            true
        }
        fn one() -> f64 {
            1.0
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MechanismEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a mechanism name or {name, injection, ema_ramp, ema_start, fees, \
                     alpha_emission, flow_exponent, flow_cutoff_tao_per_day, owner_cut, \
                     ema_price_rate, ema_ramp_blocks, flow_ema_rate, injection_cap, \
                     objective_price_weight, objective_flow_weight}",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<MechanismEntry, E> {
                let mechanism =
                    crate::config::de_mechanism(de::value::StrDeserializer::<E>::new(s))?;
                Ok(MechanismEntry {
                    mechanism,
                    injection: None,
                    ema_ramp: true,
                    ema_start: crate::ema_start::EmaStart::Zero,
                    fees: None,
                    alpha_emission: AlphaEmissionRule::Issuance,
                    flow_exponent: 1.0,
                    flow_cutoff_tao_per_day: 0.0,
                    owner_cut: crate::config::DEFAULT_OWNER_CUT,
                    rates: Rates::default(),
                    objective: ObjectiveWeights::default(),
                })
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<MechanismEntry, M::Error> {
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(m))?;
                let max_p = crate::config::MAX_FLOW_EXPONENT;
                if !(f.flow_exponent.is_finite()
                    && f.flow_exponent > 0.0
                    && f.flow_exponent <= max_p)
                {
                    return Err(de::Error::custom(format!(
                        "flow_exponent: expected a number > 0 and at most {max_p}, got {}",
                        crate::config::show(f.flow_exponent)
                    )));
                }
                if !(f.flow_cutoff_tao_per_day.is_finite() && f.flow_cutoff_tao_per_day >= 0.0) {
                    return Err(de::Error::custom(format!(
                        "flow_cutoff_tao_per_day: expected a number >= 0, got {}",
                        crate::config::show(f.flow_cutoff_tao_per_day)
                    )));
                }
                if !(0.0..=1.0).contains(&f.owner_cut) {
                    return Err(de::Error::custom(format!(
                        "owner_cut: expected a fraction in [0, 1], got {}",
                        crate::config::show(f.owner_cut)
                    )));
                }
                let rates = Rates {
                    ema_price_rate: f.ema_price_rate,
                    ema_ramp_blocks: f.ema_ramp_blocks,
                    flow_ema_rate: f.flow_ema_rate,
                    injection_cap: f.injection_cap,
                };
                let objective = ObjectiveWeights {
                    price: f.objective_price_weight,
                    flow: f.objective_flow_weight,
                };
                if let Err((field, message)) = rates
                    .check()
                    .and_then(|()| objective.check())
                    .and_then(|()| {
                        crate::config::settings_read_by(
                            f.name,
                            f.flow_exponent,
                            f.flow_cutoff_tao_per_day,
                            objective,
                        )
                    })
                {
                    return Err(de::Error::custom(format!("{field}: {message}")));
                }
                Ok(MechanismEntry {
                    mechanism: f.name,
                    injection: f.injection,
                    ema_ramp: f.ema_ramp,
                    ema_start: f.ema_start,
                    fees: f.fees,
                    alpha_emission: f.alpha_emission,
                    flow_exponent: f.flow_exponent,
                    flow_cutoff_tao_per_day: f.flow_cutoff_tao_per_day,
                    owner_cut: f.owner_cut,
                    rates,
                    objective,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A transition schedule variant: root proportion rule and start day.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleEntry {
    pub name: String,
    pub root: RootSchedule,
    pub start_day: f64,
}

impl<'de> Deserialize<'de> for ScheduleEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            root: RootSchedule,
            #[serde(default)]
            start_day: f64,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ScheduleEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`native` or {name, root, start_day}")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ScheduleEntry, E> {
                if s == "native" {
                    Ok(ScheduleEntry {
                        name: "native".into(),
                        root: RootSchedule::Native,
                        start_day: 0.0,
                    })
                } else {
                    Err(E::custom(format!(
                        "unknown schedule `{s}`: write `native` or a map {{name, root, start_day}}"
                    )))
                }
            }
            fn visit_map<M: MapAccess<'de>>(self, m: M) -> Result<ScheduleEntry, M::Error> {
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(m))?;
                // Checked here, where serde_yaml still knows the entry's position (schedules
                // are often a flow list, which a field path cannot locate after parsing).
                if let Some(name) = &f.name {
                    crate::config::non_blank_name("name", "a schedule's", name)
                        .map_err(|e| de::Error::custom(format!("name: {}", e.message)))?;
                    // `native` is the one schedule keyword (a bare `native` entry): a schedule
                    // of another root proportion labelled `native` would read as the chain's.
                    if name == "native" && f.root != RootSchedule::Native {
                        return Err(de::Error::custom(format!(
                            "name: `native` is reserved for the chain's native root \
                             proportion, but this schedule's root is `{}`: choose another name",
                            f.root.label()
                        )));
                    }
                }
                crate::config::within(
                    "start_day",
                    f.start_day,
                    0.0,
                    crate::config::MAX_START_DAY,
                    "a day of the transition",
                )
                .map_err(de::Error::custom)?;
                let name = f.name.unwrap_or_else(|| {
                    if f.start_day > 0.0 {
                        format!("{}@day{}", f.root.label(), f.start_day)
                    } else {
                        f.root.label()
                    }
                });
                Ok(ScheduleEntry {
                    name,
                    root: f.root,
                    start_day: f.start_day,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// What to write besides the raw table.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Write each match's time series to `series/<match_id>.csv`.
    pub series: bool,
    /// Sample every N blocks; every series also ends with a sample at the match's horizon.
    pub series_interval_blocks: u64,
}

impl Default for OutputConfig {
    fn default() -> Self {
        Self {
            series: false,
            series_interval_blocks: 360,
        }
    }
}

/// A tournament file.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TournamentConfig {
    pub name: String,
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "round_robin")]
    pub format: Format,
    /// Round-robin and melee entrants; in a role tournament, filled from `roles` by
    /// [`TournamentConfig::prepare`] (each role's strategies in order, roles in order).
    #[serde(default)]
    pub entrants: Vec<EntrantEntry>,
    /// The roles of a `format: roles` tournament.
    #[serde(default)]
    pub roles: Vec<RoleEntry>,
    /// Above this many profiles, a role tournament plays a deviation-preserving reduction.
    #[serde(default = "max_profiles")]
    pub max_profiles: u64,
    pub mechanisms: Vec<MechanismEntry>,
    #[serde(default = "native_only")]
    pub schedules: Vec<ScheduleEntry>,
    /// Match length, days.
    #[serde(default = "thirty")]
    pub horizon_days: f64,
    #[serde(default = "tempo")]
    pub decision_interval_blocks: u64,
    #[serde(default)]
    pub repetitions: Repetitions,
    #[serde(default = "capital")]
    pub entrant_capital_tao: f64,
    #[serde(default)]
    pub owned_subnet: OwnedSubnetConfig,
    #[serde(default)]
    pub network: NetworkConfig,
    #[serde(default)]
    pub market: MarketConfig,
    #[serde(default)]
    pub outputs: OutputConfig,
}

fn round_robin() -> Format {
    Format::RoundRobin
}
fn native_only() -> Vec<ScheduleEntry> {
    vec![ScheduleEntry {
        name: "native".into(),
        root: RootSchedule::Native,
        start_day: 0.0,
    }]
}
fn thirty() -> f64 {
    30.0
}
fn tempo() -> u64 {
    360
}
fn max_profiles() -> u64 {
    1000
}
fn capital() -> f64 {
    10_000.0
}

impl TournamentConfig {
    /// Reads the roles of a `format: roles` file into `entrants` (every role's strategies, in
    /// order, each with its role's capital), after checking what only roles need: a role has a
    /// name, players and strategies, and a strategy keeps its role's capital. Call once, after
    /// parsing and before [`TournamentConfig::validate`]; other formats must not give `roles`.
    pub fn prepare(&mut self) -> Result<(), ConfigError> {
        let err = |field: String, message: String| ConfigError { field, message };
        if self.format != Format::Roles {
            if !self.roles.is_empty() {
                return Err(err(
                    "roles".into(),
                    format!(
                        "`roles` needs `format: roles` (this file says `{}`)",
                        self.format.name()
                    ),
                ));
            }
            return Ok(());
        }
        if !self.entrants.is_empty() {
            return Err(err(
                "entrants".into(),
                "a `format: roles` tournament lists its strategies under each role in `roles`, \
                 not in `entrants`"
                    .into(),
            ));
        }
        if self.roles.is_empty() {
            return Err(err("roles".into(), "at least one role".into()));
        }
        let mut names = BTreeMap::new();
        let mut players = 0u64;
        for (r, role) in self.roles.iter().enumerate() {
            let f = format!("roles[{r}]");
            if role.name.trim().is_empty() || role.name.contains([',', '/', '\\']) {
                return Err(err(
                    format!("{f}.name"),
                    "a non-empty name without commas or slashes".into(),
                ));
            }
            if names.insert(role.name.clone(), r).is_some() {
                return Err(err(
                    format!("{f}.name"),
                    format!("duplicate role name `{}`", role.name),
                ));
            }
            if role.players == 0 {
                return Err(err(
                    format!("{f}.players"),
                    format!("role `{}` needs at least 1 player, got 0", role.name),
                ));
            }
            // Every player is an account in every match (an owner also a subnet): the roles
            // together seat at most as many players as a tournament may have entrants.
            players += role.players as u64;
            if players > MAX_ENTRANTS as u64 {
                return Err(err(
                    format!("{f}.players"),
                    format!(
                        "at most {MAX_ENTRANTS} players in a match (all roles together, as \
                         for entrants), got {players} with role `{}`",
                        role.name
                    ),
                ));
            }
            if role.strategies.is_empty() {
                return Err(err(
                    format!("{f}.strategies"),
                    format!("role `{}` needs at least one strategy", role.name),
                ));
            }
            // Checked here as an amount, under the role's own name: the same bound checked on the
            // entrants the roles become would name an `entrants[k]` the file does not have.
            if let Some(c) = role.capital_tao {
                crate::config::amount(&format!("{f}.capital_tao"), c)?;
            }
            if let Some(n) = role.reduced_players {
                if !roles::valid_reduction(role.players, n) {
                    return Err(err(
                        format!("{f}.reduced_players"),
                        format!(
                            "{n} reduced players cannot stand for {}: give {} or a count n ≥ 2 \
                             with ({0} − 1) and {0} both multiples of (n − 1) and n",
                            role.players, role.players
                        ),
                    ));
                }
            }
            for (k, e) in role.strategies.iter().enumerate() {
                if e.capital_tao.is_some() {
                    return Err(err(
                        format!("{f}.strategies[{k}].capital_tao"),
                        format!(
                            "every player of role `{}` starts with the role's `capital_tao`; \
                             give it on the role",
                            role.name
                        ),
                    ));
                }
            }
        }
        self.entrants = self
            .roles
            .iter()
            .flat_map(|role| {
                let capital = role.capital_tao.unwrap_or(self.entrant_capital_tao);
                role.strategies.iter().map(move |e| EntrantEntry {
                    capital_tao: Some(capital),
                    ..e.clone()
                })
            })
            .collect();
        Ok(())
    }

    /// The YAML field of entrant `k`: `entrants[k]`, or `roles[r].strategies[s]`.
    pub fn entrant_field(&self, k: usize) -> String {
        match self.role_of_entrant(k) {
            Some((r, s)) => format!("roles[{r}].strategies[{s}]"),
            None => format!("entrants[{k}]"),
        }
    }

    /// (role, strategy within the role) of entrant `k` in a role tournament.
    pub fn role_of_entrant(&self, k: usize) -> Option<(usize, usize)> {
        let mut first = 0;
        for (r, role) in self.roles.iter().enumerate() {
            if k < first + role.strategies.len() {
                return Some((r, k - first));
            }
            first += role.strategies.len();
        }
        None
    }

    /// The entrant index of strategy `s` of role `r`.
    pub fn entrant_of_role(&self, r: usize, s: usize) -> usize {
        self.roles[..r]
            .iter()
            .map(|x| x.strategies.len())
            .sum::<usize>()
            + s
    }

    /// Players per role and strategies per role.
    fn role_shape(&self) -> (Vec<u32>, Vec<usize>) {
        (
            self.roles.iter().map(|r| r.players).collect(),
            self.roles.iter().map(|r| r.strategies.len()).collect(),
        )
    }

    /// `None` when every profile is played; otherwise the reduced players per role of the
    /// deviation-preserving reduction. An error when even the reduction exceeds `max_profiles`.
    pub fn role_reduction(&self) -> Result<Option<Vec<u32>>, ConfigError> {
        let (players, strategies) = self.role_shape();
        let count = roles::profile_count(&players, &strategies);
        if count <= self.max_profiles as u128 {
            return Ok(None);
        }
        let reduced: Vec<u32> = self
            .roles
            .iter()
            .map(|r| {
                r.reduced_players
                    .unwrap_or_else(|| roles::smallest_reduction(r.players))
            })
            .collect();
        let reduced_count = roles::profile_count(&reduced, &strategies);
        // Each reduced profile needs at most one full profile per (role, strategy) it plays.
        let needed = reduced_count.saturating_mul(strategies.iter().sum::<usize>() as u128);
        if needed > self.max_profiles as u128 {
            let n = roles::dpr_profiles(&players, &strategies, &reduced).len() as u128;
            if n > self.max_profiles as u128 {
                return Err(ConfigError {
                    field: "max_profiles".into(),
                    message: format!(
                        "{count} profiles, and {n} even in the reduced game with {reduced:?} \
                         players per role: raise max_profiles, lower reduced_players or \
                         give fewer strategies"
                    ),
                });
            }
        }
        Ok(Some(reduced))
    }

    /// How many profiles a role tournament plays, counted without enumerating a game too
    /// large to play (the error `validate` reports for it).
    pub fn role_profile_count(&self) -> Result<u128, ConfigError> {
        let (players, strategies) = self.role_shape();
        match self.role_reduction()? {
            None => Ok(roles::profile_count(&players, &strategies)),
            Some(_) => Ok(self.role_profiles().len() as u128),
        }
    }

    /// The profiles a role tournament plays (see [`roles`]): all of them, or those of the
    /// deviation-preserving reduction. Empty for other formats.
    pub fn role_profiles(&self) -> Vec<Profile> {
        if self.format != Format::Roles {
            return Vec::new();
        }
        let (players, strategies) = self.role_shape();
        match self.role_reduction() {
            Ok(Some(reduced)) => roles::dpr_profiles(&players, &strategies, &reduced),
            Ok(None) => roles::all_profiles(&players, &strategies),
            // Too many even when reduced: `validate` refuses the file; never enumerate it.
            Err(_) => Vec::new(),
        }
    }

    /// Checks beyond types, naming the field. Every match config is also validated.
    pub fn validate(&self) -> Result<(), ConfigError> {
        // Sizes and amounts first (before anything is planned), identities last.
        super::limits::validate_limits(self)?;
        self.validate_fields()?;
        super::identity::validate_identities(self)
    }

    fn validate_fields(&self) -> Result<(), ConfigError> {
        let err = |field: String, message: String| ConfigError { field, message };
        if self.name.trim().is_empty() || self.name.contains(['/', '\\']) {
            return Err(err(
                "name".into(),
                "a non-empty name without slashes".into(),
            ));
        }
        if self.entrants.is_empty() {
            return Err(err("entrants".into(), "at least one entrant".into()));
        }
        let mut names = BTreeMap::new();
        for (k, e) in self.entrants.iter().enumerate() {
            let f = self.entrant_field(k);
            match (&e.plugin, &e.crate_dir) {
                (Some(_), Some(_)) => {
                    return Err(err(f, "give `plugin` or `crate`, not both".into()))
                }
                (None, None) => return Err(err(f, "needs `plugin` or `crate`".into())),
                _ => {}
            }
            if let Some(c) = e.capital_tao {
                if !(c.is_finite() && c >= 0.0) {
                    return Err(err(
                        format!("{f}.capital_tao"),
                        format!("expected ≥ 0, got {c}"),
                    ));
                }
            }
            if let Some(n) = &e.name {
                crate::config::non_blank_name(&format!("{f}.name"), "an entrant's", n)?;
            }
            if names.insert(e.display_name(), k).is_some() {
                return Err(err(
                    format!("{f}.name"),
                    format!(
                        "duplicate entrant name `{}`: give each a `name`",
                        e.display_name()
                    ),
                ));
            }
        }
        if self.mechanisms.is_empty() {
            return Err(err("mechanisms".into(), "at least one mechanism".into()));
        }
        if self.schedules.is_empty() {
            return Err(err("schedules".into(), "at least one schedule".into()));
        }
        match self.repetitions {
            Repetitions::Fixed(0) => {
                return Err(err("repetitions".into(), "at least 1".into()));
            }
            Repetitions::Fixed(_) => {}
            Repetitions::Adaptive {
                min,
                max,
                confidence,
                batch,
            } => {
                if self.format != Format::Roles {
                    return Err(err(
                        "repetitions".into(),
                        "adaptive repetitions {min, max, confidence} need `format: roles` \
                         (they follow a role game's verdict); give a count"
                            .into(),
                    ));
                }
                if min == 0 {
                    return Err(err("repetitions.min".into(), "at least 1".into()));
                }
                if max < min {
                    return Err(err(
                        "repetitions.max".into(),
                        format!("at least min ({min}), got {max}"),
                    ));
                }
                if !(confidence > 0.0 && confidence <= 1.0) {
                    return Err(err(
                        "repetitions.confidence".into(),
                        format!("a share in (0, 1], got {confidence}"),
                    ));
                }
                if batch == 0 {
                    return Err(err("repetitions.batch".into(), "at least 1".into()));
                }
            }
        }
        if self.format == Format::Roles {
            let too_many = self.role_reduction().err();
            if let Some(e) = too_many {
                return Err(e);
            }
        }
        if !(self.horizon_days.is_finite() && self.horizon_days > 0.0) {
            return Err(err("horizon_days".into(), "expected > 0".into()));
        }
        for (k, s) in self.schedules.iter().enumerate() {
            s.root
                .validate()
                .map_err(|m| err(format!("schedules[{k}].root"), m))?;
            crate::config::non_blank_name(
                &format!("schedules[{k}].name"),
                "a schedule's",
                &s.name,
            )?;
            crate::config::within(
                &format!("schedules[{k}].start_day"),
                s.start_day,
                0.0,
                crate::config::MAX_START_DAY,
                "a day of the transition",
            )?;
        }
        // Validate one match config per schedule (network, market and horizons).
        for (k, s) in self.schedules.iter().enumerate() {
            let c = self.match_config(&self.mechanisms[0], s, 0);
            c.validate().map_err(|e| {
                let field = match e.field.as_str() {
                    "start_day" | "horizon_day" => format!("schedules[{k}].start_day"),
                    // The match config's entrant fields, by their names in this file.
                    "entrants.capital_tao" => "entrant_capital_tao".to_string(),
                    other => match other.strip_prefix("entrants.") {
                        Some(rest) => rest.to_string(),
                        None => other.to_string(),
                    },
                };
                err(field, e.message)
            })?;
        }
        Ok(())
    }

    /// The engine configuration of one match.
    pub fn match_config(
        &self,
        mechanism: &MechanismEntry,
        schedule: &ScheduleEntry,
        seed: u64,
    ) -> crate::MatchConfig {
        crate::MatchConfig {
            seed,
            mechanism: mechanism.mechanism,
            injection: mechanism.injection,
            ema_ramp: mechanism.ema_ramp,
            ema_start: mechanism.ema_start,
            fees: mechanism.fees,
            alpha_emission: mechanism.alpha_emission,
            flow_exponent: mechanism.flow_exponent,
            flow_cutoff_tao_per_day: mechanism.flow_cutoff_tao_per_day,
            owner_cut: mechanism.owner_cut,
            ema_price_rate: mechanism.rates.ema_price_rate,
            ema_ramp_blocks: mechanism.rates.ema_ramp_blocks,
            flow_ema_rate: mechanism.rates.flow_ema_rate,
            injection_cap: mechanism.rates.injection_cap,
            objective_price_weight: mechanism.objective.price,
            objective_flow_weight: mechanism.objective.flow,
            schedule: schedule.root.clone(),
            start_day: schedule.start_day,
            horizon_day: schedule.start_day + self.horizon_days,
            decision_interval_blocks: self.decision_interval_blocks,
            series_interval_blocks: if self.outputs.series {
                self.outputs.series_interval_blocks
            } else {
                0
            },
            network: self.network.clone(),
            market: self.market.clone(),
            entrants: crate::config::EntrantConfig {
                capital_tao: self.entrant_capital_tao,
                owned_subnet: self.owned_subnet.clone(),
                // Each entrant's own `root_claim`, else the chain's default.
                root_claim: Default::default(),
            },
            ..crate::MatchConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(yaml: &str) -> Result<MechanismEntry, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn parameters_are_numbers_booleans_or_text_each_given_once() {
        let entrant = |params: &str| {
            serde_yaml::from_str::<EntrantEntry>(&format!("{{plugin: a, params: {params}}}"))
        };
        let e =
            entrant("{x: 1, big: 100000000000000000000000000000, on: true, mode: fast}").unwrap();
        assert_eq!(e.params["x"], ParamYaml::Number(1.0));
        assert_eq!(e.params["big"], ParamYaml::Number(1e29));
        assert_eq!(e.params["on"], ParamYaml::Bool(true));
        assert_eq!(e.params["mode"], ParamYaml::Text("fast".into()));
        let twice = entrant("{fraction: 0.1, fraction: 0.9}")
            .unwrap_err()
            .to_string();
        assert!(twice.contains("duplicate parameter `fraction`"), "{twice}");
        for bad in ["{x: [0.1]}", "{x: null}", "{x: {y: 1}}"] {
            let e = entrant(bad).unwrap_err().to_string();
            assert!(e.contains("a number, true or false, or text"), "{bad}: {e}");
        }
    }

    #[test]
    fn flow_exponent_and_cutoff_are_optional_mechanism_fields() {
        let e = entry("{name: taoflow, flow_exponent: 2, flow_cutoff_tao_per_day: 5}").unwrap();
        assert_eq!((e.flow_exponent, e.flow_cutoff_tao_per_day), (2.0, 5.0));
        assert_eq!(e.label(), "taoflow+flow-p2+flow-cutoff5");
        // Defaults are the chain's: p = 1, L = 0, and the label is unchanged.
        for e in [entry("taoflow").unwrap(), entry("{name: taoflow}").unwrap()] {
            assert_eq!((e.flow_exponent, e.flow_cutoff_tao_per_day), (1.0, 0.0));
            assert_eq!(e.label(), "taoflow");
        }
        // They reach the match: L = 5 TAO/day = 5e9 rao / 7200 blocks ≈ 694444.4 rao per block.
        let mut t: TournamentConfig = serde_yaml::from_str(
            "name: x\nentrants: []\nmechanisms: [{name: taoflow, flow_exponent: 2, flow_cutoff_tao_per_day: 5}]\n",
        )
        .unwrap();
        let m = t.mechanisms.remove(0);
        let spec = t
            .match_config(&m, &t.schedules[0].clone(), 1)
            .mechanism_spec();
        assert_eq!(spec.flow.exponent, 2.0);
        assert!(
            (spec.flow.cutoff - 5e9 / 7200.0).abs() < 1e-6,
            "{}",
            spec.flow.cutoff
        );
        // Out of range is refused.
        let e = entry("{name: taoflow, flow_exponent: 0}").unwrap_err();
        assert!(
            e.to_string()
                .contains("flow_exponent: expected a number > 0"),
            "{e}"
        );
        let e = entry("{name: taoflow, flow_cutoff_tao_per_day: -1}").unwrap_err();
        assert!(e.to_string().contains("flow_cutoff_tao_per_day"), "{e}");
    }

    #[test]
    fn rates_and_objective_weights_are_mechanism_fields_with_the_chains_defaults() {
        let e = entry("objective").unwrap();
        assert_eq!(
            (e.rates, e.objective),
            (Rates::default(), ObjectiveWeights::default())
        );
        let e = entry(
            "{name: objective, ema_price_rate: 1e-5, ema_ramp_blocks: 7200, flow_ema_rate: 1e-4, \
             injection_cap: 2, objective_price_weight: 0.5}",
        )
        .unwrap();
        assert_eq!(
            e.label(),
            "objective+ema-rate1e-5+ramp-blocks7200+flow-rate1e-4+injection-cap2+obj-price0.5"
        );
        // Out of range: one located error naming the field (line 1, the entry's column).
        let e = entry("{name: objective, objective_price_weight: 0.8, objective_flow_weight: 0.4}")
            .unwrap_err();
        assert!(e.to_string().contains("must be at most 1"), "{e}");
        assert!(e.location().is_some(), "{e}");
        let e = entry("{name: dtao-price, ema_ramp_blocks: 0}").unwrap_err();
        assert!(e.to_string().contains("ema_ramp_blocks"), "{e}");
    }

    /// `(line, column)` of a parse error, and its message.
    fn parse_error(yaml: &str) -> ((usize, usize), String) {
        let e = serde_yaml::from_str::<TournamentConfig>(yaml).unwrap_err();
        let at = e.location().unwrap_or_else(|| panic!("unlocated: {e}"));
        ((at.line(), at.column()), e.to_string())
    }

    #[test]
    fn a_setting_the_mechanism_does_not_read_is_refused_not_made_a_variant() {
        // It was the variant `dtao-price+flow-p2+flow-cutoff50+obj-price0.5`, whose only
        // difference from `dtao-price` was its seed.
        let (at, m) = parse_error(
            "name: x\nentrants: []\nmechanisms:\n  - dtao-price\n  - {name: dtao-price, \
             flow_exponent: 2, flow_cutoff_tao_per_day: 50, objective_price_weight: 0.5}\n",
        );
        assert_eq!(at, (5, 5), "{m}");
        assert!(
            m.contains("`dtao-price` does not read flow_exponent (only taoflow and taoflow-net"),
            "{m}"
        );
        for (yaml, field) in [
            (
                "{name: market-cap, flow_cutoff_tao_per_day: 5}",
                "flow_cutoff_tao_per_day",
            ),
            (
                "{name: taoflow, objective_flow_weight: 0.2}",
                "objective_flow_weight",
            ),
            ("{name: dtao-price, flow_exponent: 11}", "flow_exponent"),
        ] {
            let e = entry(yaml).unwrap_err();
            assert!(e.to_string().contains(field), "{yaml}: {e}");
            assert!(e.location().is_some(), "{yaml}: {e}");
        }
        // The defaults written out are not settings, and the readers accept them.
        for yaml in [
            "{name: dtao-price, flow_exponent: 1, flow_cutoff_tao_per_day: 0}",
            "{name: taoflow-net, flow_exponent: 10, flow_cutoff_tao_per_day: 5}",
            "{name: objective, objective_price_weight: 0.3, objective_flow_weight: 0.1}",
        ] {
            entry(yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
        }
    }

    #[test]
    fn blank_entrant_and_schedule_names_are_refused_where_they_are() {
        let head = "name: x\nmechanisms: [dtao-price]\n";
        // An entrant named "" gave blank columns and ids like `…__native__-vs-__r0`.
        for name in ["\"\"", "\"  \""] {
            let (at, m) = parse_error(&format!(
                "{head}entrants:\n  - plugin: a\n    name: {name}\n"
            ));
            assert_eq!(at, (5, 11), "{m}");
            assert!(m.contains("name must not be empty"), "{m}");
        }
        // A schedule named "" gave ids with `__`; a flow list is located too.
        let (at, m) = parse_error(&format!(
            "{head}entrants: []\nschedules: [{{name: \"\", root: {{constant: 0.5}}}}]\n"
        ));
        assert_eq!(at.0, 4, "{m}");
        assert!(
            m.contains("schedules[0]: name: a schedule's name must not be empty"),
            "{m}"
        );
        // A name left out still defaults to the plugin's or the schedule's label.
        let t: TournamentConfig = serde_yaml::from_str(&format!(
            "{head}entrants:\n  - plugin: a\n    name: ~\nschedules: [{{root: {{constant: 0.5}}}}]\n"
        ))
        .unwrap();
        assert_eq!(t.entrants[0].display_name(), "a");
        assert_eq!(t.schedules[0].name, "constant-0.5");
    }

    #[test]
    fn a_schedule_named_native_must_be_the_native_schedule() {
        let head = "name: x\nentrants: []\nmechanisms: [dtao-price]\n";
        let (at, m) = parse_error(&format!(
            "{head}schedules:\n  - name: native\n    root: {{constant: 0.5}}\n"
        ));
        assert_eq!(at, (5, 5), "{m}");
        assert!(m.contains("`native` is reserved"), "{m}");
        let t: TournamentConfig = serde_yaml::from_str(&format!(
            "{head}schedules: [{{name: native, start_day: 30}}]\n"
        ))
        .unwrap();
        assert_eq!(t.schedules[0].root, RootSchedule::Native);
    }

    #[test]
    fn a_start_day_past_ten_years_is_refused_where_it_is() {
        // 1e15 days overflowed the aged issuance: emission 0 but 86 TAO captured.
        let (at, m) = parse_error(
            "name: x\nentrants: []\nmechanisms: [dtao-price]\nschedules:\n  - name: a\n    \
             start_day: 1e15\n",
        );
        assert_eq!(at, (5, 5), "{m}");
        assert!(
            m.contains("start_day: expected a day of the transition in [0, 3650], got 1e15"),
            "{m}"
        );
        let t: TournamentConfig = serde_yaml::from_str(
            "name: x\nentrants: []\nmechanisms: [dtao-price]\nschedules: [{name: a, start_day: 3650}]\n",
        )
        .unwrap();
        assert_eq!(t.schedules[0].start_day, 3650.0);
    }

    #[test]
    fn the_players_of_all_roles_together_are_bounded() {
        let roles = |a: u32, b: u32| {
            let mut t: TournamentConfig = serde_yaml::from_str(&format!(
                "name: r\nformat: roles\nmechanisms: [dtao-price]\nroles:\n  - name: owners\n    \
                 players: {a}\n    plays: subnet-owner\n    strategies: [{{plugin: m}}, {{plugin: h}}]\n  \
                 - name: traders\n    players: {b}\n    plays: staker\n    strategies: [{{plugin: s}}]\n"
            ))
            .unwrap();
            t.prepare()
        };
        roles(999, 1).unwrap();
        // 65,535 owners panicked in the lock payment (16-bit subnet ids) and then took 24 GB.
        let e = roles(65_535, 1).unwrap_err();
        assert_eq!(e.field, "roles[0].players");
        assert!(e.message.contains("at most 1000 players"), "{e}");
        let e = roles(1_000, 1).unwrap_err();
        assert_eq!(e.field, "roles[1].players", "{e}");
    }
}
