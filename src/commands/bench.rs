//! `tourney bench [--subnets N] [--days D]`: the background economy alone (market on, no
//! entrants, no conservation checks), timed on one thread. The last line is
//! `subnet_blocks_per_second: <number>`.

use crate::Failure;
use std::time::Instant;
use tourney_engine::{config::NetworkConfig, run_match, MatchConfig};

pub fn run(subnets: u32, days: f64, seed: u64) -> Result<(), Failure> {
    let config = MatchConfig {
        seed,
        horizon_day: days,
        network: NetworkConfig {
            background_subnets: subnets,
            ..NetworkConfig::default()
        },
        ..MatchConfig::default()
    };
    let started = Instant::now();
    let outcome = run_match(&config, Vec::new()).map_err(|e| Failure::Run(e.to_string()))?;
    let secs = started.elapsed().as_secs_f64();
    let subnet_blocks = outcome.blocks as f64 * subnets as f64;
    println!(
        "subnets: {subnets}, days: {days}, blocks: {}",
        outcome.blocks
    );
    println!("elapsed_seconds: {secs:.3}");
    println!(
        "emission_total_tao: {:.3}",
        outcome.network.emission_total_tao
    );
    println!("subnet_blocks_per_second: {:.0}", subnet_blocks / secs);
    Ok(())
}
