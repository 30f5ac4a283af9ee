//! `tourney bench [--subnets N] [--days D] [--repeat R]`: the background economy alone (market
//! on, no entrants, no conservation checks), timed on one thread, `R` times (3 by default). The
//! last line is `subnet_blocks_per_second: <number>`, the median of the runs.

use crate::Failure;
use std::time::Instant;
use tourney_engine::{config::NetworkConfig, run_match, MatchConfig};

pub fn run(subnets: u32, days: f64, seed: u64, repeat: u32) -> Result<(), Failure> {
    let config = MatchConfig {
        seed,
        horizon_day: days,
        network: NetworkConfig {
            background_subnets: subnets,
            ..NetworkConfig::default()
        },
        ..MatchConfig::default()
    };
    let mut rates = Vec::new();
    for run in 1..=repeat {
        let started = Instant::now();
        let outcome = run_match(&config, Vec::new()).map_err(|e| Failure::Run(e.to_string()))?;
        let secs = started.elapsed().as_secs_f64();
        let subnet_blocks = outcome.blocks as f64 * subnets as f64;
        if run == 1 {
            println!(
                "subnets: {subnets}, days: {days}, blocks: {}",
                outcome.blocks
            );
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
