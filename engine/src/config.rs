//! Match configuration: plain data with serde derives. The engine never reads files; the CLI
//! parses YAML into these types (serde_yaml reports line, column and field path) and then
//! [`MatchConfig::validate`] checks what types cannot (ranges, references, horizons), naming the
//! field.

use crate::emission::AlphaEmissionRule;
use crate::injection::InjectionRule;
use crate::mechanism::{FlowParams, MechanismSpec, ObjectiveWeights};
use crate::rates::Rates;
use crate::schedule::RootSchedule;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use tourney_sdk::{Mechanism, SubnetId};

mod event;

/// A semantic error in a configuration, naming the field path (`network.root_stake_tao`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ConfigError {
    pub field: String,
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        field: field.into(),
        message: message.into(),
    }
}

fn non_negative(field: &str, x: f64) -> Result<(), ConfigError> {
    if x.is_finite() && x >= 0.0 {
        Ok(())
    } else {
        Err(err(
            field,
            format!("expected a finite amount ≥ 0, got {}", show(x)),
        ))
    }
}

/// The largest amount of TAO (or alpha) one configuration field may hold: the 21M TAO supply
/// cap. Rao are `u64` (at most ≈ 1.8e10 TAO), so a larger amount would saturate and turn into
/// nonsense silently; the cap keeps every sum of a few such amounts inside the integer range.
pub const MAX_AMOUNT_TAO: f64 = 21_000_000.0;

/// A TAO amount: finite, ≥ 0 and at most [`MAX_AMOUNT_TAO`].
pub fn amount(field: &str, x: f64) -> Result<(), ConfigError> {
    non_negative(field, x)?;
    if x > MAX_AMOUNT_TAO {
        return Err(err(
            field,
            format!(
                "expected at most {MAX_AMOUNT_TAO} (the 21M TAO supply cap), got {}",
                show(x)
            ),
        ));
    }
    Ok(())
}

/// A pool's alpha reserve (`pool_tao / price`) within the same cap as any amount.
fn pool_alpha(field: &str, pool_tao: f64, price: f64) -> Result<(), ConfigError> {
    if pool_tao / price > MAX_AMOUNT_TAO {
        return Err(err(
            field,
            format!(
                "a price of {price} with {pool_tao} TAO in the pool means {} alpha, above the \
                 cap of {MAX_AMOUNT_TAO}",
                pool_tao / price
            ),
        ));
    }
    Ok(())
}

fn fraction(field: &str, x: f64) -> Result<(), ConfigError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(err(
            field,
            format!("expected a fraction in [0, 1], got {}", show(x)),
        ))
    }
}

/// A finite number in `[lo, hi]`; the error names the range (`what` says what the number is).
pub fn within(field: &str, x: f64, lo: f64, hi: f64, what: &str) -> Result<(), ConfigError> {
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(())
    } else {
        Err(err(
            field,
            format!("expected {what} in [{lo}, {hi}], got {}", show(x)),
        ))
    }
}

/// A number as an error quotes it: `1e308` rather than its 309 digits.
/// A number as an error message shows it: 1e300 rather than its 301 digits.
pub fn show(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

// Ranges of the float fields that feed products, `exp` and log-normal draws. Beyond them a
// product overflows to inf or an inf/inf turns to NaN, and a match's results change silently;
// within them every series value and payoff is finite (`engine/tests/config_bounds.rs` plays
// the extremes). `docs/scaling.md` ("Bounds on input") lists them.

/// The largest `network.tao_weight`: the chain stores TaoWeight as a fraction of `u64::MAX`,
/// so it cannot exceed 1 (the chain's is 0.18).
pub const MAX_TAO_WEIGHT: f64 = 1.0;
/// The largest σ of a log-normal draw (`pool_tao`, `price`, `productivity`) and of
/// `network.hype_sigma`: a factor e³ ≈ 20 per standard deviation already.
pub const MAX_SIGMA: f64 = 3.0;
/// The largest `network.price.median`: background prices are drawn and then clamped at 1 TAO
/// per alpha, so a median above 1 would clamp most draws and stop being the median.
pub const MAX_PRICE_MEDIAN: f64 = 1.0;
/// The largest value created per TAO paid to workers (`network.productivity.median`,
/// `owned_subnet.productivity`, `subnets[].productivity`) and BTC revenue per TAO of work.
pub const MAX_PRODUCTIVITY: f64 = 100.0;
/// The largest attention level of a configured subnet (`owned_subnet.hype`,
/// `subnets[].hype`); background subnets draw theirs as `exp(hype_sigma · N(0,1))`.
pub const MAX_HYPE: f64 = 100.0;
/// The largest daily volatility of a log random walk (hype, AI revenue, BTC price).
pub const MAX_VOLATILITY_PER_DAY: f64 = 1.0;
/// The largest BTC price in TAO (`network.btc_tao_price`).
pub const MAX_BTC_TAO_PRICE: f64 = 1_000_000.0;
/// The largest market segment `sensitivity` (an exponent for momentum, a hurdle or a drop
/// threshold for the others).
pub const MAX_SENSITIVITY: f64 = 10.0;
/// The largest `market.max_position_pool_share` (a position of 100 pools' TAO).
pub const MAX_POSITION_POOL_SHARE: f64 = 100.0;
/// The latest day of the transition a match may start (the schedule's `start_day`): ten
/// years, as long as a match may last. The network is aged to it at 7,200 TAO a day.
pub const MAX_START_DAY: f64 = 3650.0;
/// The largest TaoFlow exponent p: `z^p` of a flow of up to 21M TAO a day (≈ 3e12 rao a
/// block) stays finite (≈ 1e125 at p = 10); a larger p sends every share to 0 or inf.
pub const MAX_FLOW_EXPONENT: f64 = 10.0;

/// The range of a log-normal field: its median's bounds and σ in `[0, MAX_SIGMA]`.
pub struct LogNormalBounds {
    /// The field's path (`network.pool_tao`).
    pub field: &'static str,
    pub median_min: f64,
    pub median_max: f64,
    /// `median_min` is excluded (a median of 0 is not a log-normal).
    pub median_min_open: bool,
    /// What the median is, for the error.
    pub what: &'static str,
}

impl LogNormalBounds {
    /// `median` in its range, `sigma` in `[0, MAX_SIGMA]`; errors name `field.median` or
    /// `field.sigma`.
    pub fn check(&self, d: LogNormal) -> Result<(), ConfigError> {
        let (lo, hi) = (self.median_min, self.median_max);
        let above_lo = if self.median_min_open {
            d.median > lo
        } else {
            d.median >= lo
        };
        if !(d.median.is_finite() && above_lo && d.median <= hi) {
            let open = if self.median_min_open { '(' } else { '[' };
            return Err(err(
                format!("{}.median", self.field),
                format!(
                    "expected {} in {open}{lo}, {hi}], got {}",
                    self.what,
                    show(d.median)
                ),
            ));
        }
        within(
            &format!("{}.sigma", self.field),
            d.sigma,
            0.0,
            MAX_SIGMA,
            "a log-normal σ",
        )
    }
}

/// `network.pool_tao`: at least 1 TAO, at most the amount cap.
pub const POOL_TAO_BOUNDS: LogNormalBounds = LogNormalBounds {
    field: "network.pool_tao",
    median_min: 1.0,
    median_max: MAX_AMOUNT_TAO,
    median_min_open: false,
    what: "a pool size in TAO (pools need at least 1 TAO)",
};
/// `network.price`: above 0, at most [`MAX_PRICE_MEDIAN`] (draws are clamped at 1).
pub const PRICE_BOUNDS: LogNormalBounds = LogNormalBounds {
    field: "network.price",
    median_min: 0.0,
    median_max: MAX_PRICE_MEDIAN,
    median_min_open: true,
    what: "a price in TAO per alpha (draws are clamped at 1)",
};
/// `network.productivity`: above 0, at most [`MAX_PRODUCTIVITY`].
pub const PRODUCTIVITY_BOUNDS: LogNormalBounds = LogNormalBounds {
    field: "network.productivity",
    median_min: 0.0,
    median_max: MAX_PRODUCTIVITY,
    median_min_open: true,
    what: "a value created per TAO of work",
};

/// Reads a log-normal `{median, sigma}` and checks it against `bounds` while the deserializer
/// still knows where the map is (a check after parsing would lose the position of a flow map
/// such as `pool_tao: {median: 1000, sigma: 1e5}`).
fn de_bounded_lognormal<'de, D: Deserializer<'de>>(
    d: D,
    bounds: &'static LogNormalBounds,
) -> Result<LogNormal, D::Error> {
    struct V(&'static LogNormalBounds);
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = LogNormal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a log-normal {median, sigma}")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> Result<LogNormal, M::Error> {
            let d = LogNormal::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
            // serde_yaml names the field (`network.pool_tao`): the message names the key in it.
            self.0.check(d).map_err(|e| {
                let key = e.field.rsplit('.').next().unwrap_or_default();
                serde::de::Error::custom(format!("{key}: {}", e.message))
            })?;
            Ok(d)
        }
    }
    d.deserialize_map(V(bounds))
}

fn de_pool_tao<'de, D: Deserializer<'de>>(d: D) -> Result<LogNormal, D::Error> {
    de_bounded_lognormal(d, &POOL_TAO_BOUNDS)
}
fn de_price<'de, D: Deserializer<'de>>(d: D) -> Result<LogNormal, D::Error> {
    de_bounded_lognormal(d, &PRICE_BOUNDS)
}
fn de_productivity<'de, D: Deserializer<'de>>(d: D) -> Result<LogNormal, D::Error> {
    de_bounded_lognormal(d, &PRODUCTIVITY_BOUNDS)
}

/// A name that is not empty or only whitespace (it labels columns and match ids).
pub fn non_blank_name(field: &str, what: &str, name: &str) -> Result<(), ConfigError> {
    if name.trim().is_empty() {
        return Err(err(
            field,
            format!("{what} name must not be empty or only whitespace"),
        ));
    }
    Ok(())
}

/// Which mechanisms read the TaoFlow settings (`flow_exponent`, `flow_cutoff_tao_per_day`).
pub const FLOW_MECHANISMS: [Mechanism; 2] = [Mechanism::Taoflow, Mechanism::TaoflowNet];

/// A mechanism setting the named mechanism does not read (a TaoFlow setting off TaoFlow, an
/// objective weight off `objective`) would make a variant that differs only by its seed:
/// refused, naming the setting and the mechanisms that read it. Defaults (p = 1, L = 0,
/// weights 0) are not settings.
pub fn settings_read_by(
    mechanism: Mechanism,
    flow_exponent: f64,
    flow_cutoff_tao_per_day: f64,
    objective: ObjectiveWeights,
) -> Result<(), (&'static str, String)> {
    let refuse = |field: &'static str, readers: &str| {
        Err((
            field,
            format!(
                "`{}` does not read {field} (only {readers} do): leave it out or change the \
                 mechanism",
                mechanism.name()
            ),
        ))
    };
    if !FLOW_MECHANISMS.contains(&mechanism) {
        if flow_exponent != 1.0 {
            return refuse("flow_exponent", "taoflow and taoflow-net");
        }
        if flow_cutoff_tao_per_day != 0.0 {
            return refuse("flow_cutoff_tao_per_day", "taoflow and taoflow-net");
        }
    }
    if mechanism != Mechanism::Objective {
        if objective.price != 0.0 {
            return refuse("objective_price_weight", "objective");
        }
        if objective.flow != 0.0 {
            return refuse("objective_flow_weight", "objective");
        }
    }
    Ok(())
}

/// Deserialize a mechanism by its YAML name, listing the known ones on error.
pub fn de_mechanism<'de, D: Deserializer<'de>>(d: D) -> Result<Mechanism, D::Error> {
    /// The name is checked inside the visitor, while the deserializer still knows where the
    /// scalar is: an error raised after `String::deserialize` returned carried no position,
    /// and a bad name was reported at 1:1 instead of at its line.
    struct Name;
    impl serde::de::Visitor<'_> for Name {
        type Value = Mechanism;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a mechanism name")
        }
        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Mechanism, E> {
            Mechanism::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Mechanism::ALL.iter().map(|m| m.name()).collect();
                E::custom(format!(
                    "unknown mechanism `{name}`, expected one of: {}",
                    known.join(", ")
                ))
            })
        }
    }
    d.deserialize_str(Name)
}

/// The chain's owner cut as a fraction: `SubnetOwnerCut` = 11796 of 65535.
pub const DEFAULT_OWNER_CUT: f64 =
    crate::units::OWNER_CUT_NUMERATOR as f64 / crate::units::OWNER_CUT_DENOMINATOR as f64;

/// `owner_cut` (a fraction) in the chain's units: the nearest multiple of 1/65535, so that
/// [`DEFAULT_OWNER_CUT`] (and 0.18 written by hand) give the chain's 11796 exactly.
pub fn owner_cut_numerator(owner_cut: f64) -> u64 {
    (owner_cut.clamp(0.0, 1.0) * crate::units::OWNER_CUT_DENOMINATOR as f64).round() as u64
}

fn default_mechanism() -> Mechanism {
    Mechanism::DtaoPrice
}

/// One match: the network, the market, the rules, and what is scripted.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MatchConfig {
    pub seed: u64,
    #[serde(deserialize_with = "de_mechanism")]
    pub mechanism: Mechanism,
    /// Override the mechanism's injection rule.
    pub injection: Option<InjectionRule>,
    /// TaoFlow's cutoff (TAO per day, at most 21M) and exponent (in (0, 10],
    /// [`MAX_FLOW_EXPONENT`]); only `taoflow` and `taoflow-net` read them, so other
    /// mechanisms refuse values other than the defaults (0 and 1).
    pub flow_cutoff_tao_per_day: f64,
    pub flow_exponent: f64,
    /// Whether the EMA price rate ramps in with b/(b + 201,600) (from 2025-03-11); without it,
    /// the launch-day constant 3e-6.
    pub ema_ramp: bool,
    /// Where the EMA price starts: `zero` at launch, aged to the start day (the chain), or
    /// `spot` (counterfactual).
    pub ema_start: crate::ema_start::EmaStart,
    /// The pool's fee rule; `None`: the era's (by mechanism and start day, `fees.rs`).
    pub fees: Option<crate::fees::FeeRule>,
    /// How much alpha a subnet mints a block: the chain's rule (`issuance`) or the
    /// counterfactual `by-share`.
    pub alpha_emission: AlphaEmissionRule,
    /// The subnet owner's cut of alpha emission, a fraction (the chain: 11796/65535 ≈ 0.18);
    /// applied as the nearest multiple of 1/65535, the chain's `SubnetOwnerCut` units.
    pub owner_cut: f64,
    /// The moving price's base rate per block (the chain: 3e-6); see [`Rates`].
    pub ema_price_rate: f64,
    /// The moving price's ramp length h in blocks (the chain: 201,600).
    pub ema_ramp_blocks: f64,
    /// TaoFlow's EMA rate per block (the chain: 3.209e-6).
    pub flow_ema_rate: f64,
    /// A factor on the injection rule's alpha_in cap (the chain: 1).
    pub injection_cap: f64,
    /// The `objective` rule's weights on the price and flow signals; the value score gets
    /// the rest (the chain has no such rule: both 0, value only). Only `objective` reads
    /// them: other mechanisms refuse weights other than 0.
    pub objective_price_weight: f64,
    pub objective_flow_weight: f64,
    pub schedule: RootSchedule,
    /// Day of the transition at which the match starts (the network is aged to it), in
    /// [0, 3650] ([`MAX_START_DAY`]).
    pub start_day: f64,
    /// Day of the transition at which the match ends (the horizon); after `start_day`.
    pub horizon_day: f64,
    pub decision_interval_blocks: u64,
    /// Sample the time series every N blocks (0: no series); a series also ends with a sample
    /// at the horizon.
    pub series_interval_blocks: u64,
    /// Check conservation of TAO and alpha after every block (slow; tests turn it on).
    pub check_conservation: bool,
    pub network: NetworkConfig,
    pub market: MarketConfig,
    pub entrants: EntrantConfig,
    /// Explicitly configured subnets, created after the background ones.
    pub subnets: Vec<SubnetConfig>,
    /// Scripted agents (driven by `events`).
    pub agents: Vec<AgentConfig>,
    pub events: Vec<EventConfig>,
}

impl MatchConfig {
    /// The owner cut in the chain's units (over 65535); see [`owner_cut_numerator`].
    pub fn owner_cut_numerator(&self) -> u64 {
        owner_cut_numerator(self.owner_cut)
    }
}

/// The horizon of a match file that writes none.
pub const DEFAULT_HORIZON_DAY: f64 = 30.0;

impl Default for MatchConfig {
    fn default() -> Self {
        let chain_rates = Rates::default();
        Self {
            seed: 0,
            mechanism: default_mechanism(),
            injection: None,
            flow_cutoff_tao_per_day: 0.0,
            flow_exponent: 1.0,
            ema_ramp: true,
            ema_start: crate::ema_start::EmaStart::Zero,
            fees: None,
            alpha_emission: AlphaEmissionRule::Issuance,
            owner_cut: DEFAULT_OWNER_CUT,
            ema_price_rate: chain_rates.ema_price_rate,
            ema_ramp_blocks: chain_rates.ema_ramp_blocks,
            flow_ema_rate: chain_rates.flow_ema_rate,
            injection_cap: chain_rates.injection_cap,
            objective_price_weight: 0.0,
            objective_flow_weight: 0.0,
            schedule: RootSchedule::Native,
            start_day: 0.0,
            horizon_day: DEFAULT_HORIZON_DAY,
            decision_interval_blocks: 360,
            series_interval_blocks: 0,
            check_conservation: false,
            network: NetworkConfig::default(),
            market: MarketConfig::default(),
            entrants: EntrantConfig::default(),
            subnets: Vec::new(),
            agents: Vec::new(),
            events: Vec::new(),
        }
    }
}

/// A log-normal draw: `median · exp(sigma · N(0,1))`.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogNormal {
    pub median: f64,
    #[serde(default)]
    pub sigma: f64,
}

/// How passive root stake's validators weight subnet miners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PassiveRootWeights {
    /// They follow each subnet's published rule (as weight-copying root validators did).
    FollowRule,
    /// They set no weights on subnets (their stake still counts in root_prop).
    Abstain,
}

/// The network around the entrants.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    pub tempo_blocks: u64,
    /// TAO issued when the transition started (day 0); the match adds 7,200/day to its start.
    pub tao_issuance_tao: f64,
    /// Passive root stake R (entrants and agents add their own).
    pub root_stake_tao: f64,
    /// TaoWeight τw, in [0, 1] ([`MAX_TAO_WEIGHT`]; the chain's 0.18).
    pub tao_weight: f64,
    pub passive_root_weights: PassiveRootWeights,
    pub background_subnets: u32,
    /// Subnets registered between this many days before dTAO's launch and the launch
    /// (uniformly; subnets opened in October 2023, 480 days before launch). Their age drives
    /// the EMA ramp `b/(b + 201,600)`.
    pub registration_age_days: f64,
    /// TAO burned to register a UID (a holder paid holder incentive must hold one); the
    /// chain's initial burn, 0.1 TAO (`registration.rs`).
    pub registration_burn_tao: f64,
    /// UIDs of each subnet's 256 taken by its workers, validators and owner (the rest are
    /// open to holders).
    pub background_uids: u32,
    /// New subnet registrations reaching the modelled network per day, a Poisson process;
    /// from 2025-09-24 each dissolves the lowest-EMA non-immune subnet (`pruning.rs`). The
    /// chain allows one registration a day (`NetworkRateLimit`); 0.1 is about 0.4 a day
    /// chain-wide scaled to a sample of ~30 of 128 subnets (an assumption, not a measurement).
    pub subnet_registrations_per_day: f64,
    /// Each background pool's TAO: median in [1, 21M], σ in [0, 3] ([`POOL_TAO_BOUNDS`]); a
    /// draw is held to [1 TAO, 21M TAO].
    #[serde(deserialize_with = "de_pool_tao")]
    pub pool_tao: LogNormal,
    /// Each background subnet's starting price in TAO per alpha, drawn and then clamped at 1:
    /// the model's prices start at most at a new subnet's 1 TAO per alpha (the initial value
    /// score reads prices capped at 1 too). Median in (0, 1] ([`PRICE_BOUNDS`]; above 1 the
    /// clamp would take most draws and the median would mean nothing), σ in [0, 3].
    #[serde(deserialize_with = "de_price")]
    pub price: LogNormal,
    /// Value created per TAO paid to workers, per background subnet: median in (0, 100]
    /// ([`PRODUCTIVITY_BOUNDS`]), σ in [0, 3].
    #[serde(deserialize_with = "de_productivity")]
    pub productivity: LogNormal,
    /// Fraction of background subnets that create no value at all.
    pub zero_value_fraction: f64,
    /// Attention level dispersion (σ in [0, 3]) and its daily volatility (in [0, 1]).
    pub hype_sigma: f64,
    pub hype_volatility_per_day: f64,
    /// Alpha issuance growth per block used to age subnets to the start day (≤ 2).
    pub alpha_growth_per_block: f64,
    /// Net staking inflow per subnet at the start (TaoFlow's initial EMA), TAO/day, scaled by
    /// the subnet's pool size relative to the mean.
    pub initial_flow_tao_per_day: f64,
    pub owner_sell_fraction: f64,
    pub miner_sell_fraction: f64,
    /// Share of value created that reaches a subnet's owner as revenue (TAO).
    pub ai_revenue_share: f64,
    /// The AI revenue signal's daily volatility, in [0, 1].
    pub ai_revenue_volatility_per_day: f64,
    /// BTC price in TAO at the start, in [0, 1e6], and its daily volatility, in [0, 1] (a
    /// seeded log random walk).
    pub btc_tao_price: f64,
    pub btc_volatility_per_day: f64,
    /// BTC revenue per TAO of off-topic work at the starting BTC price, in [0, 100].
    pub btc_revenue_per_tao: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            tempo_blocks: crate::units::DEFAULT_TEMPO_BLOCKS,
            tao_issuance_tao: 8_400_000.0,
            root_stake_tao: 5_500_000.0,
            tao_weight: crate::units::TAO_WEIGHT,
            passive_root_weights: PassiveRootWeights::FollowRule,
            background_subnets: 30,
            registration_age_days: 480.0,
            registration_burn_tao: crate::registration::INITIAL_BURN_TAO,
            background_uids: 0,
            subnet_registrations_per_day: 0.1,
            pool_tao: LogNormal {
                median: 3_000.0,
                sigma: 0.8,
            },
            price: LogNormal {
                median: 0.03,
                sigma: 0.6,
            },
            productivity: LogNormal {
                median: 1.0,
                sigma: 0.6,
            },
            zero_value_fraction: 0.2,
            hype_sigma: 0.5,
            hype_volatility_per_day: 0.1,
            alpha_growth_per_block: 2.0,
            initial_flow_tao_per_day: 50.0,
            owner_sell_fraction: 0.5,
            miner_sell_fraction: 1.0,
            ai_revenue_share: 0.3,
            ai_revenue_volatility_per_day: 0.02,
            btc_tao_price: 250.0,
            btc_volatility_per_day: 0.03,
            btc_revenue_per_tao: 0.9,
        }
    }
}

/// One market segment of background speculators.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SegmentConfig {
    pub capital_tao: f64,
    /// Fraction of the gap to the target allocation closed per market interval.
    pub speed: f64,
    /// Fraction of capital invested at most (the rest stays in TAO).
    pub invest_fraction: f64,
    /// Segment-specific sensitivity (momentum lookback weight, yield hurdle, value threshold,
    /// noise scale, panic drop): see `market.rs`. In [0, 10] ([`MAX_SENSITIVITY`]).
    pub sensitivity: f64,
}

impl SegmentConfig {
    const fn with(capital_tao: f64, speed: f64, sensitivity: f64) -> Self {
        Self {
            capital_tao,
            speed,
            invest_fraction: 0.8,
            sensitivity,
        }
    }
}

impl Default for SegmentConfig {
    fn default() -> Self {
        Self::with(0.0, 0.1, 1.0)
    }
}

/// The background market.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarketConfig {
    pub interval_blocks: u64,
    /// A trade never exceeds this fraction of the pool's TAO (slippage discipline).
    pub max_pool_fraction: f64,
    /// Trades below this are skipped (fees would dominate), TAO.
    pub min_trade_tao: f64,
    /// A segment never targets a position worth more than this fraction of the pool's TAO
    /// (a liquidity-based position limit: nobody sane puts 50k TAO into a 1k TAO pool); in
    /// [0, 100] ([`MAX_POSITION_POOL_SHARE`]).
    pub max_position_pool_share: f64,
    pub momentum: SegmentConfig,
    #[serde(rename = "yield")]
    pub yield_seeking: SegmentConfig,
    pub value: SegmentConfig,
    pub noise: SegmentConfig,
    pub panic: SegmentConfig,
}

impl Default for MarketConfig {
    fn default() -> Self {
        Self {
            interval_blocks: 100,
            max_pool_fraction: 0.02,
            min_trade_tao: 1.0,
            max_position_pool_share: 1.0,
            momentum: SegmentConfig::with(60_000.0, 0.05, 1.0),
            yield_seeking: SegmentConfig::with(60_000.0, 0.05, 0.5),
            value: SegmentConfig::with(40_000.0, 0.03, 1.0),
            noise: SegmentConfig::with(20_000.0, 0.05, 1.0),
            panic: SegmentConfig::with(20_000.0, 0.05, 0.3),
        }
    }
}

/// Defaults for entrants (the strategies of a match).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EntrantConfig {
    pub capital_tao: f64,
    /// The subnet an owner entrant takes over at the start.
    pub owned_subnet: OwnedSubnetConfig,
    /// What entrants' root claims do from 2025-11-04 (`swap`, the chain's default, or `keep`),
    /// unless an entrant sets its own.
    pub root_claim: crate::root_claims::RootClaim,
}

impl Default for EntrantConfig {
    fn default() -> Self {
        Self {
            capital_tao: 10_000.0,
            owned_subnet: OwnedSubnetConfig::default(),
            root_claim: crate::root_claims::RootClaim::Swap,
        }
    }
}

/// Shape of the subnet an owner entrant gets.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OwnedSubnetConfig {
    pub pool_tao: f64,
    pub price: f64,
    /// Value created per TAO paid to workers, in [0, 100] ([`MAX_PRODUCTIVITY`]).
    pub productivity: f64,
    /// Attention level, in [0, 100] ([`MAX_HYPE`]).
    pub hype: f64,
}

impl Default for OwnedSubnetConfig {
    fn default() -> Self {
        Self {
            pool_tao: 3_000.0,
            price: 0.03,
            productivity: 1.5,
            hype: 1.0,
        }
    }
}

/// Work done by a subnet's miners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WorkConfig {
    Ai,
    Offtopic,
}

/// An explicitly configured subnet.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubnetConfig {
    pub name: String,
    /// A scripted agent that owns it (gets the owner cut); background owners otherwise.
    #[serde(default)]
    pub owner: Option<String>,
    pub pool_tao: f64,
    pub price: f64,
    #[serde(default)]
    pub holdings_weight: f64,
    #[serde(default = "one")]
    pub productivity: f64,
    #[serde(default = "ai")]
    pub work: WorkConfig,
    #[serde(default = "one")]
    pub hype: f64,
}

fn one() -> f64 {
    1.0
}
fn ai() -> WorkConfig {
    WorkConfig::Ai
}

/// A scripted agent.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentConfig {
    pub name: String,
    #[serde(default)]
    pub capital_tao: f64,
    #[serde(default)]
    pub root_stake_tao: f64,
    /// What its root claims do from 2025-11-04: `swap` (the chain's default) or `keep`.
    #[serde(default)]
    pub root_claim: crate::root_claims::RootClaim,
}

/// A subnet named by id or by configured name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetRef {
    Id(SubnetId),
    Name(String),
}

/// By hand rather than `untagged`: a negative or too large id, or a value of another kind, is
/// refused saying what a subnet reference is (serde's untagged message named only the enum).
impl<'de> Deserialize<'de> for SubnetRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, Visitor};
        struct Reference;
        impl Visitor<'_> for Reference {
            type Value = SubnetRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a subnet: its id (0 to {}) or its name", SubnetId::MAX)
            }
            fn visit_u64<E: Error>(self, id: u64) -> Result<SubnetRef, E> {
                SubnetId::try_from(id)
                    .map(SubnetRef::Id)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(id), &self))
            }
            fn visit_i64<E: Error>(self, id: i64) -> Result<SubnetRef, E> {
                match u64::try_from(id) {
                    Ok(id) => self.visit_u64(id),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(id), &self)),
                }
            }
            fn visit_str<E: Error>(self, name: &str) -> Result<SubnetRef, E> {
                Ok(SubnetRef::Name(name.to_string()))
            }
        }
        d.deserialize_any(Reference)
    }
}

/// A validator policy as written in YAML: `follow-rule`, `zero-holders` or
/// `{classes: {work: …, holdings: …, burn: …}}` (read by hand with its event:
/// `config/event.rs`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PolicyConfig {
    FollowRule,
    ZeroHolders,
    Classes { work: f64, holdings: f64, burn: f64 },
}

/// A scripted action, written in its event's mapping: `action: stake` (the variant in kebab
/// case) and its fields (read by hand with the event: `config/event.rs`).
#[derive(Clone, Debug, PartialEq)]
pub enum ActionConfig {
    Stake {
        subnet: SubnetRef,
        tao: f64,
    },
    Unstake {
        subnet: SubnetRef,
        alpha: f64,
    },
    /// Unstake everything held on the subnet.
    UnstakeAll {
        subnet: SubnetRef,
    },
    StakeRoot {
        tao: f64,
    },
    UnstakeRoot {
        tao: f64,
    },
    SetIncentive {
        subnet: Option<SubnetRef>,
        holdings_weight: f64,
    },
    SetWeights {
        subnet: SubnetRef,
        policy: PolicyConfig,
    },
    Spend {
        tao: f64,
        /// `ai` when not written.
        kind: WorkConfig,
    },
    Buyback {
        tao: f64,
        /// `false` when not written.
        burn: bool,
    },
}

/// At `block` (or `day`) since the match start, `agent` does `action` (one of the two times
/// must be given): one mapping holding the event's keys and its action's, read by hand so that a bad value is reported at its own
/// line and column under its field's name (`config/event.rs`); an unknown key is refused.
#[derive(Clone, Debug, PartialEq)]
pub struct EventConfig {
    pub block: Option<u64>,
    pub day: Option<f64>,
    pub agent: String,
    pub action: ActionConfig,
}

impl EventConfig {
    /// The match block at which the event fires ([`MatchConfig::validate`] refuses an event
    /// with neither `block` nor `day`; it would fire at block 0).
    pub fn at_block(&self) -> u64 {
        match (self.block, self.day) {
            (Some(b), _) => b,
            (None, Some(d)) => (d * crate::units::BLOCKS_PER_DAY as f64).round() as u64,
            (None, None) => 0,
        }
    }
}

impl MatchConfig {
    /// The mechanism with its overrides.
    pub fn mechanism_spec(&self) -> MechanismSpec {
        MechanismSpec {
            mechanism: self.mechanism,
            injection: self.injection,
            flow: FlowParams {
                cutoff: self.flow_cutoff_tao_per_day * crate::units::RAO_PER_TAO as f64
                    / crate::units::BLOCKS_PER_DAY as f64,
                exponent: self.flow_exponent,
            },
            objective: self.objective_weights(),
        }
    }

    /// The per-block rates this match runs with.
    pub fn rates(&self) -> Rates {
        Rates {
            ema_price_rate: self.ema_price_rate,
            ema_ramp_blocks: self.ema_ramp_blocks,
            flow_ema_rate: self.flow_ema_rate,
            injection_cap: self.injection_cap,
        }
    }

    /// The `objective` rule's weights.
    pub fn objective_weights(&self) -> ObjectiveWeights {
        ObjectiveWeights {
            price: self.objective_price_weight,
            flow: self.objective_flow_weight,
        }
    }

    /// Length of the match in blocks (`horizon_day − start_day` days).
    pub fn horizon_blocks(&self) -> u64 {
        ((self.horizon_day - self.start_day) * crate::units::BLOCKS_PER_DAY as f64).round() as u64
    }

    /// Everything types cannot check. Events are in match blocks (or days) from the start day
    /// and must fall before the horizon.
    pub fn validate(&self) -> Result<(), ConfigError> {
        within(
            "start_day",
            self.start_day,
            0.0,
            MAX_START_DAY,
            "a day of the transition",
        )?;
        if !self.horizon_day.is_finite() {
            return Err(err("horizon_day", "expected a finite day"));
        }
        if self.start_day >= self.horizon_day {
            // Named at a key the file writes (a file is read with both defaulted): the horizon
            // unless it is the default, and then the start day, which must be written to reach
            // it (its default is 0). Both values are in the message.
            return Err(if self.horizon_day == DEFAULT_HORIZON_DAY {
                err(
                    "start_day",
                    format!(
                        "start_day {} is not before horizon_day {} (the default horizon): a \
                         match ends after the day it starts",
                        self.start_day, self.horizon_day
                    ),
                )
            } else {
                err(
                    "horizon_day",
                    format!(
                        "horizon_day {} is not after start_day {}: a match ends after the day \
                         it starts",
                        self.horizon_day, self.start_day
                    ),
                )
            });
        }
        if self.horizon_day - self.start_day > 3650.0 {
            return Err(err("horizon_day", "a match lasts at most 3650 days"));
        }
        self.schedule.validate().map_err(|m| err("schedule", m))?;
        if self.decision_interval_blocks == 0 {
            return Err(err("decision_interval_blocks", "expected ≥ 1"));
        }
        if !(self.flow_exponent.is_finite()
            && self.flow_exponent > 0.0
            && self.flow_exponent <= MAX_FLOW_EXPONENT)
        {
            return Err(err(
                "flow_exponent",
                format!(
                    "expected a number in (0, {MAX_FLOW_EXPONENT}], got {}",
                    show(self.flow_exponent)
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.owner_cut) {
            return Err(err("owner_cut", "expected a fraction in [0, 1]"));
        }
        amount("flow_cutoff_tao_per_day", self.flow_cutoff_tao_per_day)?;
        self.rates().check().map_err(|(field, m)| err(field, m))?;
        self.objective_weights()
            .check()
            .map_err(|(field, m)| err(field, m))?;
        settings_read_by(
            self.mechanism,
            self.flow_exponent,
            self.flow_cutoff_tao_per_day,
            self.objective_weights(),
        )
        .map_err(|(field, m)| err(field, m))?;
        let n = &self.network;
        if n.tempo_blocks == 0 {
            return Err(err("network.tempo_blocks", "expected ≥ 1"));
        }
        non_negative("network.tao_issuance_tao", n.tao_issuance_tao)?;
        if n.tao_issuance_tao >= 21_000_000.0 {
            return Err(err(
                "network.tao_issuance_tao",
                "must be below the 21M TAO cap",
            ));
        }
        amount("network.root_stake_tao", n.root_stake_tao)?;
        within(
            "network.tao_weight",
            n.tao_weight,
            0.0,
            MAX_TAO_WEIGHT,
            "a TaoWeight (the chain's is a fraction of u64::MAX, 0.18)",
        )?;
        non_negative("network.registration_age_days", n.registration_age_days)?;
        if n.registration_age_days > 3650.0 {
            return Err(err("network.registration_age_days", "at most 3650"));
        }
        amount("network.registration_burn_tao", n.registration_burn_tao)?;
        if n.background_uids > crate::registration::MAX_UIDS_PER_SUBNET {
            return Err(err(
                "network.background_uids",
                "at most 256 (a subnet's UIDs)",
            ));
        }
        non_negative(
            "network.subnet_registrations_per_day",
            n.subnet_registrations_per_day,
        )?;
        if n.subnet_registrations_per_day > 1.0 {
            return Err(err(
                "network.subnet_registrations_per_day",
                "at most 1 (the chain's rate limit, one subnet registration a day)",
            ));
        }
        if n.background_subnets > 1000 {
            return Err(err("network.background_subnets", "at most 1000"));
        }
        // Subnet ids are 16-bit: the background, the configured and the owner entrants'
        // subnets (at most 1,000 each) stay far below.
        if self.subnets.len() > 1000 {
            return Err(err(
                "subnets",
                format!(
                    "at most 1000 configured subnets, got {}",
                    self.subnets.len()
                ),
            ));
        }
        for (bounds, d) in [
            (&POOL_TAO_BOUNDS, n.pool_tao),
            (&PRICE_BOUNDS, n.price),
            (&PRODUCTIVITY_BOUNDS, n.productivity),
        ] {
            bounds.check(d)?;
        }
        pool_alpha("network.price.median", n.pool_tao.median, n.price.median)?;
        fraction("network.zero_value_fraction", n.zero_value_fraction)?;
        fraction("network.owner_sell_fraction", n.owner_sell_fraction)?;
        fraction("network.miner_sell_fraction", n.miner_sell_fraction)?;
        fraction("network.ai_revenue_share", n.ai_revenue_share)?;
        within(
            "network.hype_sigma",
            n.hype_sigma,
            0.0,
            MAX_SIGMA,
            "a log-normal σ",
        )?;
        let volatility = |field: &str, x: f64| {
            within(field, x, 0.0, MAX_VOLATILITY_PER_DAY, "a daily volatility")
        };
        volatility("network.hype_volatility_per_day", n.hype_volatility_per_day)?;
        amount(
            "network.initial_flow_tao_per_day",
            n.initial_flow_tao_per_day,
        )?;
        within(
            "network.btc_tao_price",
            n.btc_tao_price,
            0.0,
            MAX_BTC_TAO_PRICE,
            "a BTC price in TAO",
        )?;
        volatility("network.btc_volatility_per_day", n.btc_volatility_per_day)?;
        within(
            "network.btc_revenue_per_tao",
            n.btc_revenue_per_tao,
            0.0,
            MAX_PRODUCTIVITY,
            "a revenue per TAO of work",
        )?;
        volatility(
            "network.ai_revenue_volatility_per_day",
            n.ai_revenue_volatility_per_day,
        )?;
        if !(0.0..=2.0).contains(&n.alpha_growth_per_block) {
            return Err(err(
                "network.alpha_growth_per_block",
                "expected a number in [0, 2]",
            ));
        }
        let m = &self.market;
        if m.interval_blocks == 0 {
            return Err(err("market.interval_blocks", "expected ≥ 1"));
        }
        fraction("market.max_pool_fraction", m.max_pool_fraction)?;
        amount("market.min_trade_tao", m.min_trade_tao)?;
        within(
            "market.max_position_pool_share",
            m.max_position_pool_share,
            0.0,
            MAX_POSITION_POOL_SHARE,
            "a share of the pool's TAO",
        )?;
        for (name, s) in [
            ("momentum", m.momentum),
            ("yield", m.yield_seeking),
            ("value", m.value),
            ("noise", m.noise),
            ("panic", m.panic),
        ] {
            amount(&format!("market.{name}.capital_tao"), s.capital_tao)?;
            fraction(&format!("market.{name}.speed"), s.speed)?;
            fraction(&format!("market.{name}.invest_fraction"), s.invest_fraction)?;
            within(
                &format!("market.{name}.sensitivity"),
                s.sensitivity,
                0.0,
                MAX_SENSITIVITY,
                "a sensitivity",
            )?;
        }
        amount("entrants.capital_tao", self.entrants.capital_tao)?;
        let productivity = |field: &str, x: f64| {
            within(
                field,
                x,
                0.0,
                MAX_PRODUCTIVITY,
                "a value created per TAO of work",
            )
        };
        let hype = |field: &str, x: f64| within(field, x, 0.0, MAX_HYPE, "an attention level");
        let o = &self.entrants.owned_subnet;
        if !(o.pool_tao >= 1.0 && o.pool_tao.is_finite()) {
            return Err(err("entrants.owned_subnet.pool_tao", "expected ≥ 1 TAO"));
        }
        if !(o.price > 0.0 && o.price.is_finite()) {
            return Err(err("entrants.owned_subnet.price", "expected > 0"));
        }
        amount("entrants.owned_subnet.pool_tao", o.pool_tao)?;
        pool_alpha("entrants.owned_subnet.price", o.pool_tao, o.price)?;
        productivity("entrants.owned_subnet.productivity", o.productivity)?;
        hype("entrants.owned_subnet.hype", o.hype)?;

        let mut agent_names: BTreeMap<&str, ()> = BTreeMap::new();
        for (k, a) in self.agents.iter().enumerate() {
            let f = format!("agents[{k}]");
            non_blank_name(&format!("{f}.name"), "an agent's", &a.name)?;
            if agent_names.insert(a.name.as_str(), ()).is_some() {
                return Err(err(
                    format!("{f}.name"),
                    format!("duplicate agent `{}`", a.name),
                ));
            }
            amount(&format!("{f}.capital_tao"), a.capital_tao)?;
            amount(&format!("{f}.root_stake_tao"), a.root_stake_tao)?;
        }
        let mut subnet_names: BTreeMap<&str, ()> = BTreeMap::new();
        for (k, s) in self.subnets.iter().enumerate() {
            let f = format!("subnets[{k}]");
            non_blank_name(&format!("{f}.name"), "a subnet's", &s.name)?;
            if subnet_names.insert(s.name.as_str(), ()).is_some() {
                return Err(err(
                    format!("{f}.name"),
                    format!("duplicate subnet `{}`", s.name),
                ));
            }
            // Background subnets are named `bg-1` … `bg-N`: one of those names would label two
            // subnets in the series and be found first by a reference to it.
            let background = s
                .name
                .strip_prefix("bg-")
                .and_then(|k| k.parse::<u64>().ok())
                .is_some_and(|k| k >= 1 && k <= self.network.background_subnets as u64);
            if background {
                return Err(err(
                    format!("{f}.name"),
                    format!(
                        "`{}` is a background subnet's name (bg-1 to bg-{}): choose another",
                        s.name, self.network.background_subnets
                    ),
                ));
            }
            if !(s.pool_tao >= 1.0 && s.pool_tao.is_finite()) {
                return Err(err(format!("{f}.pool_tao"), "expected ≥ 1 TAO"));
            }
            if !(s.price > 0.0 && s.price.is_finite()) {
                return Err(err(format!("{f}.price"), "expected > 0"));
            }
            amount(&format!("{f}.pool_tao"), s.pool_tao)?;
            pool_alpha(&format!("{f}.price"), s.pool_tao, s.price)?;
            fraction(&format!("{f}.holdings_weight"), s.holdings_weight)?;
            productivity(&format!("{f}.productivity"), s.productivity)?;
            hype(&format!("{f}.hype"), s.hype)?;
            if let Some(owner) = &s.owner {
                if !agent_names.contains_key(owner.as_str()) {
                    return Err(err(
                        format!("{f}.owner"),
                        format!("no agent named `{owner}`"),
                    ));
                }
            }
        }
        let horizon = self.horizon_blocks();
        for (k, e) in self.events.iter().enumerate() {
            let f = format!("events[{k}]");
            match (e.block, e.day) {
                (Some(_), Some(_)) => return Err(err(&f, "give `block` or `day`, not both")),
                // It fired at block 0 without a word.
                (None, None) => {
                    return Err(err(
                        &f,
                        "missing `block` or `day`: when the event fires, in blocks or days \
                         from the match start",
                    ))
                }
                _ => {}
            }
            if let Some(d) = e.day {
                non_negative(&format!("{f}.day"), d)?;
            }
            if e.at_block() >= horizon {
                return Err(err(
                    &f,
                    format!(
                        "fires at block {} but the match ends at block {horizon}",
                        e.at_block()
                    ),
                ));
            }
            if !agent_names.contains_key(e.agent.as_str()) {
                return Err(err(
                    format!("{f}.agent"),
                    format!("no agent named `{}`", e.agent),
                ));
            }
            let amount = |name: &str, x: f64| amount(&format!("{f}.{name}"), x);
            let subnet_ok = |r: &SubnetRef| -> Result<(), ConfigError> {
                match r {
                    SubnetRef::Name(n) if !subnet_names.contains_key(n.as_str()) => {
                        Err(err(format!("{f}.subnet"), format!("no subnet named `{n}`")))
                    }
                    SubnetRef::Id(0) => Err(err(
                        format!("{f}.subnet"),
                        "subnet 0 is root: use stake-root / unstake-root",
                    )),
                    _ => Ok(()),
                }
            };
            match &e.action {
                ActionConfig::Stake { subnet, tao } => {
                    subnet_ok(subnet)?;
                    amount("tao", *tao)?
                }
                ActionConfig::Unstake { subnet, alpha } => {
                    subnet_ok(subnet)?;
                    amount("alpha", *alpha)?
                }
                ActionConfig::UnstakeAll { subnet } => subnet_ok(subnet)?,
                ActionConfig::StakeRoot { tao } | ActionConfig::UnstakeRoot { tao } => {
                    amount("tao", *tao)?
                }
                ActionConfig::SetIncentive {
                    subnet,
                    holdings_weight,
                } => {
                    if let Some(s) = subnet {
                        subnet_ok(s)?;
                    }
                    fraction(&format!("{f}.holdings_weight"), *holdings_weight)?
                }
                ActionConfig::SetWeights { subnet, policy } => {
                    subnet_ok(subnet)?;
                    if let PolicyConfig::Classes {
                        work,
                        holdings,
                        burn,
                    } = policy
                    {
                        amount("policy.work", *work)?;
                        amount("policy.holdings", *holdings)?;
                        amount("policy.burn", *burn)?;
                        // The chain refuses weights that are all zero: the event would only
                        // ever be a rejected action.
                        if work + holdings + burn <= 0.0 {
                            return Err(err(
                                format!("{f}.policy"),
                                "weights that are all zero set nothing: give work, holdings or \
                                 burn a positive weight",
                            ));
                        }
                    }
                }
                ActionConfig::Spend { tao, .. } | ActionConfig::Buyback { tao, .. } => {
                    amount("tao", *tao)?
                }
            }
        }
        Ok(())
    }
}
