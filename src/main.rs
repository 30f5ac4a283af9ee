//! The `tourney` command line: parses arguments and calls library functions.
//! Exit codes: 0 ok, 1 the run failed, 2 bad input or usage.

mod commands;
mod executor;
mod input;
mod point_yaml;
mod search_eval;
mod tournament_io;

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
    /// Run tournaments: every pairing × mechanism × schedule × repetition.
    Run {
        /// Tournament YAML files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Result directory (default reports/out/<tournament name>/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Matches in parallel (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Run only shard I of N (by match index modulo N); combine with `tourney merge`.
        #[arg(long, value_parser = commands::run::parse_shard)]
        shard: Option<(u32, u32)>,
        /// Skip matches the journal already holds.
        #[arg(long)]
        resume: bool,
        /// No progress or tables.
        #[arg(long)]
        quiet: bool,
        /// Play each match in a worker process with a timeout, so a plugin that aborts,
        /// segfaults or hangs costs one match (default when a plugin lies outside the
        /// current directory).
        #[arg(long)]
        isolate: bool,
        /// Never isolate (overrides the default for outside plugins).
        #[arg(long, conflicts_with = "isolate")]
        no_isolate: bool,
        /// Per-match timeout under isolation, seconds.
        #[arg(long, default_value_t = 600.0)]
        timeout: f64,
    },
    /// Play one match of a tournament and print its rows (used by `run --isolate`).
    /// Search mechanism knobs for the role equilibrium a search file asks for.
    Search {
        file: PathBuf,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "local")]
        executor: ExecutorKind,
        /// Local executor: matches at a time.
        #[arg(long)]
        jobs: Option<usize>,
        /// Slurm executor: array tasks (shards) per point.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
        shards: u32,
        /// Slurm executor: CPUs per array task (its --jobs).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        cpus_per_task: u32,
        /// Continue from the journal in --out, re-running no finished evaluation.
        #[arg(long)]
        resume: bool,
        #[arg(long)]
        quiet: bool,
    },
    /// Run several tournaments as one batch through an executor (the search's plumbing).
    #[command(hide = true)]
    Batch {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "local")]
        executor: ExecutorKind,
        /// Local executor: matches at a time.
        #[arg(long)]
        jobs: Option<usize>,
        /// Slurm executor: array tasks (shards) per tournament.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..))]
        shards: u32,
        /// Slurm executor: CPUs per array task (its --jobs).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        cpus_per_task: u32,
        #[arg(long)]
        quiet: bool,
    },
    #[command(hide = true)]
    Worker {
        file: PathBuf,
        #[arg(long)]
        match_index: usize,
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
        #[arg(long)]
        series: Option<PathBuf>,
    },
    /// Check tournament files (and that their plugins load) without running.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Do not load or build the plugins.
        #[arg(long)]
        no_plugins: bool,
    },
    /// Print the JSON Schema of tournament files (for editors).
    Schema,
    /// Combine shard directories into one result directory.
    Merge {
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Rebuild the reports of a result directory.
    Report {
        /// The result directory (not needed with --bench).
        #[arg(required_unless_present = "bench")]
        dir: Option<PathBuf>,
        /// Time building every report on a synthetic raw table of ROWS rows (default 1,000,000).
        #[arg(long, value_name = "ROWS", num_args = 0..=1, default_missing_value = "1000000")]
        bench: Option<usize>,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Confidence level of intervals.
        #[arg(long, default_value_t = 0.95)]
        level: f64,
        #[arg(long)]
        no_plots: bool,
        #[arg(long)]
        png: bool,
    },
    /// Compare mechanism variants (or schedules) within one result directory, or two
    /// directories key by key.
    Compare {
        #[arg(required = true, num_args = 1..=2)]
        dirs: Vec<PathBuf>,
        /// mechanism | schedule
        #[arg(long)]
        by: Option<String>,
        /// The variant others are compared against.
        #[arg(long)]
        baseline: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Plots of a result directory; with --match, price and emission share of one match.
    Plot {
        dir: PathBuf,
        #[arg(long = "match")]
        match_id: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        png: bool,
    },
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
    /// Tools for strategy authors: check a plugin, scaffold a new strategy crate.
    #[command(subcommand)]
    Plugin(commands::plugin::PluginCommand),
    /// Time the background economy on one thread.
    Bench {
        #[arg(long, default_value_t = 128)]
        subnets: u32,
        #[arg(long, default_value_t = 30.0)]
        days: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Runs of the same economy; the figure reported is their median (a single short run
        /// is at the mercy of whatever else the machine does).
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
        repeat: u32,
    },
}

/// Where a batch of tournaments runs.
#[derive(Clone, Copy, clap::ValueEnum)]
enum ExecutorKind {
    Local,
    Slurm,
}

/// Why a command failed, deciding the exit code.
pub enum Failure {
    /// Bad input with a location (exit 2).
    Input(input::InputError),
    /// Bad usage (exit 2).
    Usage(String),
    /// Already printed (exit 2).
    Reported(String),
    /// The run itself failed (exit 1).
    Run(String),
}

/// `tourney … | head` closes standard output early, and Rust's print macros then panic
/// ("failed printing to stdout: Broken pipe"). Stop quietly instead, with the status a shell
/// reports for a process ended by SIGPIPE (128 + 13), as other Unix tools do.
fn stop_quietly_on_a_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info)
    }));
}

fn main() -> ExitCode {
    stop_quietly_on_a_closed_pipe();
    let cli = Cli::parse();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let result = match cli.command {
        Command::Run {
            files,
            out,
            jobs,
            shard,
            resume,
            quiet,
            isolate,
            no_isolate,
            timeout,
        } => commands::run::run(
            &files,
            &commands::run::RunOptions {
                out,
                jobs: jobs.unwrap_or(cores),
                shard,
                resume,
                quiet,
                isolate: if isolate {
                    Some(true)
                } else if no_isolate {
                    Some(false)
                } else {
                    None
                },
                timeout: std::time::Duration::from_secs_f64(timeout.max(0.001)),
            },
        ),
        Command::Search {
            file,
            out,
            executor,
            jobs,
            shards,
            cpus_per_task,
            resume,
            quiet,
        } => match std::env::current_exe() {
            Err(e) => Err(Failure::Run(format!("cannot find this executable: {e}"))),
            Ok(tourney) => commands::search::run(
                &file,
                &commands::search::SearchOptions {
                    out,
                    executor: match executor {
                        ExecutorKind::Local => executor::Executor::Local {
                            jobs: jobs.unwrap_or(cores),
                        },
                        ExecutorKind::Slurm => executor::Executor::Slurm {
                            shards,
                            cpus_per_task,
                            tourney,
                        },
                    },
                    resume,
                    quiet,
                },
            ),
        },
        Command::Batch {
            files,
            out,
            executor,
            jobs,
            shards,
            cpus_per_task,
            quiet,
        } => match std::env::current_exe() {
            Err(e) => Err(Failure::Run(format!("cannot find this executable: {e}"))),
            Ok(tourney) => commands::batch::run(
                &files,
                &out,
                &match executor {
                    ExecutorKind::Local => executor::Executor::Local {
                        jobs: jobs.unwrap_or(cores),
                    },
                    ExecutorKind::Slurm => executor::Executor::Slurm {
                        shards,
                        cpus_per_task,
                        tourney,
                    },
                },
                quiet,
            ),
        },
        Command::Worker {
            file,
            match_index,
            libs,
            series,
        } => commands::worker::main(&file, match_index, &libs, series.as_deref()),
        Command::Validate { files, no_plugins } => commands::validate::run(&files, !no_plugins),
        Command::Merge { dirs, out } => commands::merge::run(&dirs, &out),
        Command::Schema => {
            commands::schema::run();
            Ok(())
        }
        Command::Report {
            dir,
            bench,
            out,
            level,
            no_plots,
            png,
        } => match (bench, dir) {
            (Some(rows), _) => commands::report::bench(rows),
            (None, Some(dir)) => {
                commands::report::report(&dir, out.as_deref(), level, !no_plots, png)
            }
            (None, None) => Err(Failure::Usage(
                "report: give a result directory or --bench".into(),
            )),
        },
        Command::Compare {
            dirs,
            by,
            baseline,
            out,
        } => commands::report::compare(&dirs, by.as_deref(), baseline.as_deref(), out.as_deref()),
        Command::Plot {
            dir,
            match_id,
            out,
            png,
        } => commands::report::plot(&dir, match_id.as_deref(), out.as_deref(), png),
        Command::Simulate { file, out, every } => {
            commands::simulate::run(&file, out.as_deref(), every)
        }
        Command::Plugin(cmd) => commands::plugin::run(cmd),
        Command::Bench {
            subnets,
            days,
            seed,
            repeat,
        } => commands::bench::run(subnets, days, seed, repeat),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(Failure::Reported(_)) => ExitCode::from(2),
        Err(Failure::Run(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
