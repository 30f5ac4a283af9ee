//! The `tourney` command line: parses arguments and calls library functions.
//! Exit codes: 0 ok, 1 the run failed, 2 bad input or usage.

mod commands;
mod input;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Tournaments of token-incentive strategies on a simulated Bittensor dTAO economy.
#[derive(Parser)]
#[command(name = "tourney", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Play one match of scripted agents and the background economy (no plugins).
    Simulate {
        /// The match YAML.
        file: PathBuf,
        /// Write the time series (one row per subnet per sample) as CSV.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Sample the series every N blocks (default 360 when --out is given).
        #[arg(long)]
        every: Option<u64>,
    },
    /// Time the background economy on one thread.
    Bench {
        #[arg(long, default_value_t = 128)]
        subnets: u32,
        #[arg(long, default_value_t = 30.0)]
        days: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Why a command failed, deciding the exit code.
pub enum Failure {
    /// Bad input (exit 2).
    Input(input::InputError),
    /// The run itself failed (exit 1).
    Run(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Simulate { file, out, every } => {
            commands::simulate::run(&file, out.as_deref(), every)
        }
        Command::Bench {
            subnets,
            days,
            seed,
        } => commands::bench::run(subnets, days, seed),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Run(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
