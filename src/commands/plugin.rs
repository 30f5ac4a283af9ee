//! `tourney plugin …`: tools for strategy authors.
//!
//! - `check <path|name|crate-dir>`: load a plugin, print its manifest, play it twice with the
//!   same seed against a recorded sequence of observations, fail if the two plays differ (or
//!   the plugin faults, or emits records the host cannot decode), and report the mean time of
//!   one decision through the ABI. `--bench` also times many decisions on a 32-subnet
//!   observation (the ABI overhead figure when the strategy itself is trivial).
//! - `new NAME [--dir DIR]`: scaffold a strategy crate that builds and passes `check`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use tourney_engine::plugin::{PluginError, PluginLibrary, PluginSource, PluginStrategy};
use tourney_sdk::testing::observation;
use tourney_sdk::{
    Action, Observation, ParamValue, Params, Role, Strategy, StrategyFault, RAO_PER_TAO,
};

use crate::Failure;

/// The `plugin` subcommands.
#[derive(clap::Subcommand)]
pub enum PluginCommand {
    /// Load a plugin, print its manifest, check that it is deterministic, time its decisions.
    Check {
        /// A library file, a crate name (searched in TOURNEY_PLUGIN_PATH, target/release,
        /// target/debug), or a crate directory (built with cargo first).
        plugin: String,
        /// The seed both plays use.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// A strategy parameter, NAME=VALUE (numbers, true/false, or text); repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
        params: Vec<(String, ParamValue)>,
        /// Also time many decisions on one 32-subnet observation.
        #[arg(long)]
        bench: bool,
    },
    /// Scaffold a new strategy crate that builds and passes `check` out of the box.
    New {
        /// The crate name (lowercase letters, digits and dashes).
        name: String,
        /// The directory to create the crate in (default: ./strategies if it exists, else .).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The tourney-sdk crate to depend on (default: the one this tourney was built with).
        #[arg(long)]
        sdk: Option<PathBuf>,
    },
}

/// Run a `plugin` subcommand.
pub fn run(cmd: PluginCommand) -> Result<(), Failure> {
    match cmd {
        PluginCommand::Check {
            plugin,
            seed,
            params,
            bench,
        } => {
            // Collected into a map, a name given twice would keep its last value silently.
            let mut seen = std::collections::BTreeSet::new();
            if let Some((name, _)) = params.iter().find(|(name, _)| !seen.insert(name)) {
                return Err(Failure::Usage(format!(
                    "--param {name} is given twice: give each parameter once"
                )));
            }
            check(&plugin, seed, &Params(params.into_iter().collect()), bench)
        }
        PluginCommand::New { name, dir, sdk } => {
            let path = new_crate(&name, dir.as_deref(), sdk.as_deref())?;
            println!("created {}", path.display());
            println!("next: tourney plugin check {}", path.display());
            Ok(())
        }
    }
}

/// `NAME=VALUE`: a number if it parses as one, a boolean for true/false, text otherwise.
pub fn parse_param(s: &str) -> Result<(String, ParamValue), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=VALUE, got `{s}`"))?;
    let value = match value {
        "true" => ParamValue::Bool(true),
        "false" => ParamValue::Bool(false),
        v => v
            .parse::<f64>()
            .map(ParamValue::Number)
            .unwrap_or_else(|_| ParamValue::Text(v.to_string())),
    };
    Ok((name.to_string(), value))
}

/// Decisions in the recorded sequence.
pub const SEQUENCE_LEN: usize = 50;
/// Subnets in each recorded observation.
pub const SEQUENCE_SUBNETS: u16 = 32;

/// The recorded observation sequence `check` plays: 50 decisions, 360 blocks apart, over 32
/// subnets whose prices follow varied deterministic paths — steady risers, fallers, a
/// boom-and-bust meme subnet paying holders (subnet 1), oscillators — with 1-day and 7-day
/// changes computed from the paths, and an agent that holds some alpha, receives revenue and
/// owner emission. Owners own subnet 2.
pub fn recorded_observations(role: Role) -> Vec<Observation> {
    let n = SEQUENCE_SUBNETS as usize;
    let decisions_per_day = 20; // 7,200 / 360
                                // Price of subnet `k` (0-based) at decision `t` (may be negative: history before start).
    let price = |k: usize, t: i64| -> f64 {
        let t = t as f64;
        let base = 0.01 * (1 + k % 7) as f64;
        match k % 4 {
            // Subnet 1 (k = 0) and every 4th: boom for 1.5 days, then bust.
            0 => {
                let peak = 30.0;
                if t <= peak {
                    base * (1.0 + 0.03 * t.max(-20.0))
                } else {
                    base * 1.9 * (0.9f64).powf(t - peak)
                }
            }
            1 => base * (1.0 + 0.01 * t),           // steady riser
            2 => base * (1.0 - 0.004 * t).max(0.2), // slow faller
            _ => base * (1.0 + 0.2 * (t / 6.0 + k as f64).sin()), // oscillator
        }
    };
    (0..SEQUENCE_LEN)
        .map(|t| {
            let mut o = observation(SEQUENCE_SUBNETS);
            let ti = t as i64;
            o.block = 360 * (t as u64 + 1);
            o.day = o.block as f64 / 7_200.0;
            for (k, s) in o.subnets.iter_mut().enumerate() {
                let p = price(k, ti);
                s.price = p;
                s.ema_price = (0.5 * p + 0.5 * price(k, 0)).min(1.0);
                s.tao_reserve_rao = (p * 10_000.0 * RAO_PER_TAO as f64) as u64;
                s.alpha_reserve_rao = 10_000 * RAO_PER_TAO;
                s.alpha_outstanding_rao = (2_000 + 100 * t as u64) * RAO_PER_TAO;
                s.alpha_issuance_rao = s.alpha_reserve_rao + s.alpha_outstanding_rao;
                s.price_change_1d = p / price(k, ti - decisions_per_day) - 1.0;
                s.price_change_7d = p / price(k, ti - 7 * decisions_per_day) - 1.0;
                s.incentive_holdings_weight = if k == 0 { 1.0 } else { 0.0 };
                s.value_score = if k == 0 { 0.0 } else { 0.5 + (k % 5) as f64 };
                s.emission_share = 1.0 / n as f64;
                s.age_blocks = 100_000 + o.block;
            }
            o.me.free_tao_rao = (10_000 - 50 * t as u64) * RAO_PER_TAO;
            // Some alpha on a riser and on the meme subnet; owner emission on subnet 2.
            o.me.alpha_rao[0] = if t < 35 { 500 * RAO_PER_TAO } else { 0 };
            o.me.alpha_rao[5] = 300 * RAO_PER_TAO;
            if role == Role::SubnetOwner {
                o.me.own_subnet = Some(2);
                o.me.alpha_rao[1] = 20 * t as u64 * RAO_PER_TAO;
                o.me.revenue_rao = if t >= 10 { 2 * RAO_PER_TAO } else { 0 };
            }
            o.me.root_stake_rao = if t > 0 { 1_000 * RAO_PER_TAO } else { 0 };
            o.btc_tao_price = 250.0 * (1.0 + 0.01 * t as f64);
            o.ai_revenue_signal = 1.0 + 0.005 * t as f64;
            o
        })
        .collect()
}

/// One play of the sequence: the actions of every decision, the faults, and the time spent.
struct Play {
    actions: Vec<Vec<Action>>,
    faults: Vec<StrategyFault>,
    seconds: f64,
}

fn play(
    lib: &PluginLibrary,
    params: &Params,
    seed: u64,
    seq: &[Observation],
) -> Result<Play, Failure> {
    let mut s: PluginStrategy = lib
        .instantiate(params, seed)
        .map_err(|e| Failure::Run(e.to_string()))?;
    let mut actions = Vec::with_capacity(seq.len());
    let mut faults = Vec::new();
    let mut seconds = 0.0;
    for o in seq {
        let mut a = Vec::new();
        let started = Instant::now();
        s.decide(o, &mut a);
        seconds += started.elapsed().as_secs_f64();
        faults.extend(s.take_faults());
        actions.push(a);
    }
    Ok(Play {
        actions,
        faults,
        seconds,
    })
}

fn check(spec: &str, seed: u64, params: &Params, bench: bool) -> Result<(), Failure> {
    // A plugin that cannot be found or loaded is bad input (exit 2); one that loads but
    // misbehaves fails the check (exit 1).
    let dir = std::path::Path::new(spec);
    if dir.is_dir() && !dir.join("Cargo.toml").is_file() {
        return Err(Failure::Usage(format!(
            "{spec}: a folder without Cargo.toml is not a strategy crate (give the crate's \
             folder, or a library file)"
        )));
    }
    let lib = PluginLibrary::load_source(&PluginSource::guess(spec)).map_err(|e| match e {
        PluginError::Build { .. } => Failure::Run(e.to_string()),
        _ => Failure::Usage(e.to_string()),
    })?;
    let info = lib.info();
    println!("plugin:      {}", info.name);
    println!("version:     {}", info.version);
    println!("crate:       {}", info.crate_name);
    println!("build id:    {}", info.build_id);
    println!("sdk:         {}", info.sdk_version);
    println!("abi:         {}", info.abi_version);
    println!(
        "classifier:  role={}, stochastic={}, uses_root_stake={}",
        match info.classifier.role {
            Role::SubnetOwner => "subnet-owner",
            Role::Staker => "staker",
        },
        info.classifier.stochastic,
        info.classifier.uses_root_stake
    );
    println!("library:     {}", lib.path().display());

    let seq = recorded_observations(info.classifier.role);
    let first = play(&lib, params, seed, &seq)?;
    let second = play(&lib, params, seed, &seq)?;
    let total: usize = first.actions.iter().map(Vec::len).sum();
    println!(
        "played:      {} decisions × 2 with seed {seed}, {total} actions per play",
        seq.len()
    );
    if let Some(t) = (0..seq.len()).find(|&t| first.actions[t] != second.actions[t]) {
        return Err(Failure::Run(format!(
            "not deterministic: with the same seed, decision {t} (block {}) gave\n  {:?}\nthen\n  {:?}",
            seq[t].block, first.actions[t], second.actions[t]
        )));
    }
    if !first.faults.is_empty() {
        let list: Vec<String> = first.faults.iter().map(|f| format!("  {f}")).collect();
        return Err(Failure::Run(format!(
            "the plugin faulted:\n{}",
            list.join("\n")
        )));
    }
    println!("deterministic: yes");
    let mean_us = (first.seconds + second.seconds) / (2 * seq.len()) as f64 * 1e6;
    println!(
        "mean decide: {mean_us:.2} µs through the ABI ({} subnets)",
        SEQUENCE_SUBNETS
    );
    if bench {
        bench_decide(&lib, params, seed, &seq)?;
    }
    Ok(())
}

/// Time many decisions, cycling through the sequence (so a strategy whose state grows is
/// measured as it would play): the figure for one decide call through the ABI.
fn bench_decide(
    lib: &PluginLibrary,
    params: &Params,
    seed: u64,
    seq: &[Observation],
) -> Result<(), Failure> {
    const CALLS: usize = 100_000;
    let mut s = lib
        .instantiate(params, seed)
        .map_err(|e| Failure::Run(e.to_string()))?;
    let mut actions = Vec::new();
    // Warm up: buffers reach their size, caches fill.
    for o in seq {
        actions.clear();
        s.decide(o, &mut actions);
    }
    let started = Instant::now();
    for i in 0..CALLS {
        actions.clear();
        s.decide(&seq[i % seq.len()], &mut actions);
    }
    let ns = started.elapsed().as_secs_f64() * 1e9 / CALLS as f64;
    println!(
        "bench:       {CALLS} decisions on {} subnets: {:.0} ns per decide",
        SEQUENCE_SUBNETS, ns
    );
    Ok(())
}

/// Names a strategy crate cannot take: Rust's keywords (the library is named after the crate),
/// its built-in crates and cargo's own directory names (cargo refuses these), and this
/// workspace's crates (`tourney-sdk` would depend on itself).
const RESERVED_NAMES: &[&str] = &[
    "abstract",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
    "alloc",
    "core",
    "proc-macro",
    "std",
    "test",
    "build",
    "deps",
    "examples",
    "incremental",
    "con",
    "prn",
    "aux",
    "nul",
    "tourney",
    "tourney-sdk",
    "tourney-engine",
    "tourney-reports",
];

/// Whether `name` is a valid crate name for a strategy (lowercase, digits, dashes; a letter
/// first; not reserved), so that the library's file name is predictable.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !RESERVED_NAMES.contains(&name)
}

/// `my-strat` → `MyStrat`.
fn type_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut c = part.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `to` relative to the directory `from` (both absolute), e.g. `../sdk`.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    out
}

/// The SDK this binary was built with: `<workspace>/strategies/sdk`.
fn default_sdk() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("strategies/sdk")
}

/// Create the crate; returns its directory.
pub fn new_crate(name: &str, dir: Option<&Path>, sdk: Option<&Path>) -> Result<PathBuf, Failure> {
    if !valid_name(name) {
        return Err(Failure::Usage(format!(
            "`{name}` is not a valid strategy name: use lowercase letters, digits and dashes, starting with a letter, and not a Rust keyword or a name Rust, cargo or tourney reserve"
        )));
    }
    let parent = match dir {
        Some(d) => d.to_path_buf(),
        None if Path::new("strategies").is_dir() => PathBuf::from("strategies"),
        None => PathBuf::from("."),
    };
    let crate_dir = parent.join(name);
    if crate_dir.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists",
            crate_dir.display()
        )));
    }
    let sdk = sdk.map(Path::to_path_buf).unwrap_or_else(default_sdk);
    let sdk = sdk.canonicalize().map_err(|e| {
        Failure::Usage(format!(
            "the tourney-sdk crate is not at {} ({e}); pass --sdk PATH to a checkout's strategies/sdk",
            sdk.display()
        ))
    })?;
    // The crate's manifest must name the SDK package: any other path builds nothing useful.
    let manifest = std::fs::read_to_string(sdk.join("Cargo.toml")).unwrap_or_default();
    if !manifest
        .lines()
        .any(|l| l.trim() == r#"name = "tourney-sdk""#)
    {
        return Err(Failure::Usage(format!(
            "{} is not the tourney-sdk crate (no Cargo.toml naming package `tourney-sdk`); pass \
             --sdk PATH to a checkout's strategies/sdk",
            sdk.display()
        )));
    }
    let io = |e: std::io::Error| Failure::Run(format!("creating {}: {e}", crate_dir.display()));
    std::fs::create_dir_all(crate_dir.join("src")).map_err(io)?;
    let crate_abs = crate_dir.canonicalize().map_err(io)?;
    // Relative inside the checkout (so the checkout can move), absolute outside it.
    let workspace = sdk.parent().and_then(Path::parent).unwrap_or(&sdk);
    let sdk_path = if crate_abs.starts_with(workspace) {
        relative(&crate_abs, &sdk)
    } else {
        sdk.clone()
    };
    let cargo_toml = CARGO_TEMPLATE
        .replace("{name}", name)
        .replace("{sdk}", &sdk_path.to_string_lossy());
    let lib_rs = LIB_TEMPLATE
        .replace("{name}", name)
        .replace("{Type}", &type_name(name));
    std::fs::write(crate_dir.join("Cargo.toml"), cargo_toml).map_err(io)?;
    std::fs::write(crate_dir.join("src/lib.rs"), lib_rs).map_err(io)?;
    Ok(crate_dir)
}

const CARGO_TEMPLATE: &str = r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

# A cdylib for the engine to load; an rlib for this crate's own unit tests.
[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
tourney-sdk = { path = "{sdk}" }

# A crate of its own, even inside the tourney checkout. To make it a member of the tourney
# workspace instead (sharing its build), delete this table and add the crate's path to the
# root Cargo.toml's `members`.
[workspace]

[profile.release]
# A panic must unwind so the engine can catch it at the boundary; never set "abort".
panic = "unwind"
"#;

const LIB_TEMPLATE: &str = r#"//! `{name}`: a tourney strategy.
//!
//! A staker that puts a share of its free TAO into the subnet with the largest emission share
//! at its first decision, then holds. Replace `decide` with your own idea; keep it
//! deterministic (no clocks, no OS randomness: use `SplitMix64` seeded by `create`).
//!
//! Parameters (YAML `params:`):
//! - `fraction` (0..=1, default 0.5): share of free TAO staked.

use tourney_sdk::{
    Action, Classifier, Observation, ParamError, Params, Role, Strategy, StrategyFactory,
    StrategyInfo,
};

pub struct {Type} {
    fraction: f64,
    staked: bool,
}

impl Strategy for {Type} {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "{name}".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        if self.staked {
            return;
        }
        self.staked = true;
        let best = o
            .subnets
            .iter()
            .max_by(|a, b| a.emission_share.total_cmp(&b.emission_share).then(b.id.cmp(&a.id)));
        let stake = (o.me.free_tao_rao as f64 * self.fraction) as u64;
        if let Some(s) = best {
            if stake > 0 {
                actions.push(Action::Stake {
                    subnet: s.id,
                    tao_rao: stake,
                });
            }
        }
    }
}

impl StrategyFactory for {Type} {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&["fraction"])?;
        Ok({Type} {
            fraction: params.get_f64_in("fraction", 0.5, 0.0, 1.0)?,
            staked: false,
        })
    }
}

tourney_sdk::export_strategy!({Type});

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::RAO_PER_TAO;

    #[test]
    fn stakes_half_into_the_largest_emitter_once() {
        let mut s = {Type}::create(&Params::new(), 0).unwrap();
        let mut o = observation(3);
        o.subnets[1].emission_share = 0.5;
        let actions = scripted(&mut s, &[o.clone(), o]);
        assert_eq!(
            actions,
            vec![
                vec![Action::Stake {
                    subnet: 2,
                    tao_rao: 500 * RAO_PER_TAO
                }],
                vec![]
            ]
        );
    }

    #[test]
    fn rejects_unknown_parameters() {
        assert!({Type}::create(&Params::new().number("fractoin", 0.5), 0).is_err());
    }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert!(valid_name("my-strat2"));
        assert!(!valid_name("My-strat"));
        assert!(!valid_name("2strat"));
        assert!(!valid_name("strat-"));
        assert!(!valid_name("my_strat"));
        for reserved in ["self", "std", "test", "fn", "tourney-sdk", "deps"] {
            assert!(!valid_name(reserved), "{reserved}");
        }
        assert!(valid_name("selfish") && valid_name("test-strategy"));
        assert_eq!(type_name("my-strat2"), "MyStrat2");
        assert_eq!(
            relative(Path::new("/w/strategies/x"), Path::new("/w/strategies/sdk")),
            PathBuf::from("../sdk")
        );
        assert_eq!(
            relative(Path::new("/tmp/a/b"), Path::new("/w/s")),
            PathBuf::from("../../../w/s")
        );
    }

    #[test]
    fn params_parse_by_shape() {
        assert_eq!(
            parse_param("x=1.5"),
            Ok(("x".into(), ParamValue::Number(1.5)))
        );
        assert_eq!(
            parse_param("burn=false"),
            Ok(("burn".into(), ParamValue::Bool(false)))
        );
        assert_eq!(
            parse_param("mode=fast"),
            Ok(("mode".into(), ParamValue::Text("fast".into())))
        );
        assert!(parse_param("novalue").is_err());
    }

    #[test]
    fn the_recorded_sequence_has_momentum_both_ways_and_a_meme_subnet() {
        let seq = recorded_observations(Role::SubnetOwner);
        assert_eq!(seq.len(), SEQUENCE_LEN);
        assert!(seq.iter().all(|o| o.subnets.len() == 32));
        let meme = |t: usize| &seq[t].subnets[0];
        assert_eq!(meme(0).incentive_holdings_weight, 1.0);
        // Booming before decision 30, busting after.
        assert!(meme(25).price_change_1d > 0.0);
        assert!(meme(45).price_change_1d < -0.5);
        // Owners own subnet 2 and receive revenue from decision 10.
        assert_eq!(seq[0].me.own_subnet, Some(2));
        assert_eq!(seq[10].me.revenue_rao, 2 * RAO_PER_TAO);
        assert_eq!(recorded_observations(Role::Staker)[0].me.own_subnet, None);
    }
}
