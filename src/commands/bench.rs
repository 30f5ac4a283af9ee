//! `tourney bench [FILE] [--subnets N] [--days D] [--seed S] [--repeat R]`: an economy alone
//! (market on, no entrants, no conservation checks), timed on one thread, `R` times (3 by
//! default). The economy is the default one (dtao-price, 128 background subnets, 30 days), or
//! the one a match file in `simulate`'s format describes (`tournaments/bench/`: the economies
//! of particular workloads, such as a TaoFlow search's matches), with the flags overriding its
//! values. The last line is `subnet_blocks_per_second: <number>`, the median of the runs.

use crate::input::{read_yaml, semantic};
use crate::Failure;
use std::path::Path;
use std::time::Instant;
use tourney_engine::{config::NetworkConfig, run_match, MatchConfig, MatchError};

/// The flags that replace the economy's values when given.
pub struct Overrides {
    pub subnets: Option<u32>,
    pub days: Option<f64>,
    pub seed: Option<u64>,
}

pub fn run(file: Option<&Path>, overrides: Overrides, repeat: u32) -> Result<(), Failure> {
    // The file and its text, for locating what the engine refuses in it.
    let (mut config, source) = match file {
        Some(path) => {
            let (config, text): (MatchConfig, String) = read_yaml(path).map_err(Failure::Input)?;
            (config, Some((path, text)))
        }
        None => (
            MatchConfig {
                seed: 1,
                horizon_day: 30.0,
                network: NetworkConfig {
                    background_subnets: 128,
                    ..NetworkConfig::default()
                },
                ..MatchConfig::default()
            },
            None,
        ),
    };
    if let Some(n) = overrides.subnets {
        config.network.background_subnets = n;
    }
    // The horizon is a day of the transition; the match starts at `start_day`.
    let days = overrides
        .days
        .unwrap_or(config.horizon_day - config.start_day);
    config.horizon_day = config.start_day + days;
    if let Some(seed) = overrides.seed {
        config.seed = seed;
    }
    // Every subnet the economy steps: the background ones and the file's own.
    let subnets = config.network.background_subnets as usize + config.subnets.len();
    let mut rates = Vec::new();
    for run in 1..=repeat {
        let started = Instant::now();
        let outcome = match run_match(&config, Vec::new()) {
            Ok(outcome) => outcome,
            Err(MatchError::Config(e)) => {
                // A value a flag set is the flag's fault, not the file's.
                let flag = if e.field.starts_with("horizon_day") || e.field.starts_with("start_day")
                {
                    overrides.days.map(|d| format!("--days {d}"))
                } else if e.field == "network.background_subnets" {
                    overrides.subnets.map(|n| format!("--subnets {n}"))
                } else {
                    None
                };
                return Err(match (&source, flag) {
                    (_, Some(flag)) => {
                        Failure::Usage(format!("{flag}: {}: {}", e.field, e.message))
                    }
                    (Some((path, text)), None) => {
                        Failure::Input(semantic(path, text, &e.field, &e.message))
                    }
                    (None, None) => Failure::Usage(format!("{}: {}", e.field, e.message)),
                });
            }
            Err(e) => return Err(Failure::Run(e.to_string())),
        };
        let secs = started.elapsed().as_secs_f64();
        let subnet_blocks = outcome.blocks as f64 * subnets as f64;
        if run == 1 {
            println!(
                "subnets: {subnets}, days: {days}, blocks: {}",
                outcome.blocks
            );
            println!("mechanism: {}", config.mechanism);
            // Which compiled block kernel runs (the widest the CPU has, or the one TOURNEY_SIMD forces).
            println!("kernel: {}", tourney_engine::network::Simd::detect().name());
            println!(
                "emission_total_tao: {:.3}",
                outcome.network.emission_total_tao
            );
        }
        let rate = subnet_blocks / secs;
        println!("run {run}: {secs:.3} s, {rate:.0} subnet-blocks/s");
        rates.push(rate);
    }
    rates.sort_by(f64::total_cmp);
    println!("subnet_blocks_per_second: {:.0}", rates[rates.len() / 2]);
    Ok(())
}
