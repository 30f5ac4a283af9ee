//! The `tourney` command line: parses arguments and calls library functions.
//! Exit codes: 0 ok, 1 the run failed, 2 bad input or usage.

mod cli_values;
mod commands;
mod dir_lock;
mod executor;
mod exit_guard;
mod input;
mod input_limits;
mod isolation;
mod point_yaml;
mod pretty_json;
mod raw_table;
mod result_dir;
mod search_eval;
mod search_plots;
mod test_hook;
mod tournament_io;
mod yaml_locate;

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
        #[arg(long, value_parser = cli_values::positive_count)]
        jobs: Option<usize>,
        /// Run only shard I of N (by match index modulo N); combine with `tourney merge`.
        #[arg(long, value_parser = commands::run::parse_shard)]
        shard: Option<(u32, u32)>,
        /// Skip matches the journal already holds.
        #[arg(long)]
        resume: bool,
        /// No progress, plugin build lines or tables (errors and warnings still print).
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
        #[arg(long, default_value = "600", value_parser = cli_values::seconds)]
        timeout: std::time::Duration,
        /// Address-space limit of each isolated worker, MiB (0: none). A plugin that
        /// allocates past it aborts its worker: one match is lost, not the machine.
        #[arg(long, value_name = "MIB", default_value_t = isolation::DEFAULT_WORKER_MEMORY_MB)]
        worker_memory: u64,
    },
    /// Search mechanism knobs for the role equilibrium a search file asks for.
    Search {
        /// The search file (`searches/*.yaml`: base tournament, parameter space, objective,
        /// constraints, budget).
        file: PathBuf,
        /// Result directory (default `reports/out/search-<name>`): points, front, best.yaml.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        executor: ExecutorArgs,
        /// Continue from the journal in --out, re-running no finished evaluation.
        #[arg(long)]
        resume: bool,
        /// No progress or summary lines (warnings still print).
        #[arg(long)]
        quiet: bool,
    },
    /// Run several tournaments as one batch through an executor (the search's plumbing).
    #[command(hide = true)]
    Batch {
        /// Tournament YAML files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Directory holding one result directory per tournament.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        executor: ExecutorArgs,
        /// No progress or summary lines (warnings still print).
        #[arg(long)]
        quiet: bool,
    },
    /// Play one match of a tournament and print its rows (used by `run --isolate`).
    #[command(hide = true)]
    Worker {
        /// The tournament YAML.
        file: PathBuf,
        /// The match to play, by its index in the plan.
        #[arg(long)]
        match_index: Option<usize>,
        /// Load and create every plugin, then answer (instead of playing a match).
        #[arg(long, conflicts_with = "match_index")]
        check: bool,
        /// The resolved plugin library of each entrant, in entrant order.
        #[arg(long = "lib")]
        libs: Vec<PathBuf>,
        /// Write the match's time series to this CSV file.
        #[arg(long)]
        series: Option<PathBuf>,
        /// The fingerprint of the tournament text the run loaded: a worker that reads other
        /// text (the file was edited during the run) plays nothing and stops the run.
        #[arg(long)]
        yaml_fingerprint: Option<String>,
        /// The inherited file descriptor the answer goes to (never stdout, which the plugins
        /// share).
        #[arg(long)]
        channel_fd: i32,
        /// Address-space cap of this worker, MiB (0: none).
        #[arg(long, default_value_t = 0)]
        memory_mb: u64,
    },
    /// Check tournament files (and that their plugins load) without running.
    Validate {
        /// Tournament YAML files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Do not load or build the plugins.
        #[arg(long)]
        no_plugins: bool,
        /// Seconds the plugins may take to load and be created (they are checked in a
        /// worker process, so one that aborts or hangs is reported, not fatal).
        #[arg(long, default_value = "60", value_parser = cli_values::seconds)]
        timeout: std::time::Duration,
    },
    /// Print the JSON Schema of tournament files (for editors).
    Schema,
    /// Combine shard directories into one result directory.
    Merge {
        /// Shard result directories (from `run --shard I/N --out DIR`).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The merged result directory (raw table, manifest, reports).
        #[arg(long)]
        out: PathBuf,
        /// No summary line or report tables (warnings still print).
        #[arg(long)]
        quiet: bool,
    },
    /// Rebuild the reports of a result directory.
    Report {
        /// The result directory (not needed with --bench).
        #[arg(required_unless_present = "bench")]
        dir: Option<PathBuf>,
        /// Time building every report on a synthetic raw table of ROWS rows (default 1,000,000).
        #[arg(long, value_name = "ROWS", num_args = 0..=1, default_missing_value = "1000000")]
        bench: Option<usize>,
        /// Where to write the reports and index.html (default DIR/reports); with --bench, where
        /// the synthetic table and its reports go (default: a scratch directory, removed after).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Confidence level of intervals (above 0, below 1).
        #[arg(long, default_value = "0.95", value_parser = cli_values::level)]
        level: f64,
        /// Do not write the separate SVG plots (index.html still has them inline).
        #[arg(long)]
        no_plots: bool,
        /// Also render every plot as PNG beside its SVG.
        #[arg(long)]
        png: bool,
    },
    /// Compare mechanism variants (or schedules) within one result directory, or two
    /// directories key by key.
    Compare {
        /// One result directory (compare its variants with --by) or two (B against A, key by
        /// key).
        #[arg(required = true, num_args = 1..=2)]
        dirs: Vec<PathBuf>,
        /// With one directory, what varies: mechanism (default) or schedule.
        #[arg(long, value_name = "mechanism|schedule")]
        by: Option<String>,
        /// The variant others are compared against (default: the first in name order).
        #[arg(long)]
        baseline: Option<String>,
        /// Where to write compare.md, the tables and compare.html (default: reports/ of the
        /// last directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Plots of a result directory; with --match, price and emission share of one match.
    Plot {
        /// The result directory.
        dir: PathBuf,
        /// Draw this match's time series from DIR/series/<ID>.csv (match ids are in raw.csv).
        #[arg(long = "match", value_name = "ID")]
        match_id: Option<String>,
        /// Where to write the SVGs (default DIR/reports/plots).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also render every plot as PNG beside its SVG.
        #[arg(long)]
        png: bool,
        /// With --match, when DIR has no series for the match: the tournament file DIR was run
        /// from; the match is played again (same seed) with series on, then drawn.
        #[arg(long, value_name = "FILE", requires = "match_id")]
        tournament: Option<PathBuf>,
    },
    /// Play one match of scripted agents and the background economy (no plugins).
    Simulate {
        /// The match YAML.
        file: PathBuf,
        /// Write the time series (one row per subnet per sample) as CSV: a file replaced when
        /// the match ends (through a link, the file it points to), or a device or pipe such as
        /// /dev/stdout written straight through.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Sample the series every N blocks, and at the match's horizon (default: the file's
        /// `series_interval_blocks`, or 360 when it has none).
        #[arg(long, requires = "out", value_parser = clap::value_parser!(u64).range(1..))]
        every: Option<u64>,
    },
    /// Tools for strategy authors: check a plugin, scaffold a new strategy crate.
    #[command(subcommand)]
    Plugin(commands::plugin::PluginCommand),
    /// Time the background economy on one thread.
    Bench {
        /// A match file (`simulate`'s format) whose economy to time — its mechanism, rules,
        /// network and subnets, without entrants; without one, the default economy
        /// (dtao-price).
        file: Option<PathBuf>,
        /// Background subnets in the economy [default: 128, or the file's].
        #[arg(long)]
        subnets: Option<u32>,
        /// Simulated days per run [default: 30, or the file's, from its start day to its horizon].
        #[arg(long)]
        days: Option<f64>,
        /// The economy's seed [default: 1, or the file's].
        #[arg(long)]
        seed: Option<u64>,
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

/// The executor options `search` and `batch` share.
#[derive(clap::Args)]
struct ExecutorArgs {
    /// Where the matches run: this machine, or Slurm job arrays (`sbatch`).
    #[arg(long, value_enum, default_value = "local")]
    executor: ExecutorKind,
    /// Local executor: matches at a time.
    #[arg(long, value_parser = cli_values::positive_count)]
    jobs: Option<usize>,
    /// Slurm executor: array tasks (shards) per tournament (a search plays one per point)
    /// [default: 2].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    shards: Option<u32>,
    /// Slurm executor: CPUs per array task (its --jobs) [default: 1].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    cpus_per_task: Option<u32>,
}

impl ExecutorArgs {
    /// The executor these options name: local with `--jobs` (default `cores`), or Slurm array
    /// tasks that run `tourney` (this executable).
    /// An option of the other executor is refused rather than ignored.
    fn executor(self, cores: usize, tourney: PathBuf) -> Result<executor::Executor, Failure> {
        let other = |option: &str, executor: &str| {
            Failure::Usage(format!(
                "{option} is an option of the {executor} executor (add --executor {executor})"
            ))
        };
        match self.executor {
            ExecutorKind::Local if self.shards.is_some() => Err(other("--shards", "slurm")),
            ExecutorKind::Local if self.cpus_per_task.is_some() => {
                Err(other("--cpus-per-task", "slurm"))
            }
            ExecutorKind::Local => Ok(executor::Executor::Local {
                jobs: self.jobs.unwrap_or(cores),
            }),
            ExecutorKind::Slurm if self.jobs.is_some() => Err(Failure::Usage(
                "--jobs is an option of the local executor; on Slurm, --cpus-per-task sets each \
                 array task's jobs"
                    .into(),
            )),
            ExecutorKind::Slurm => Ok(executor::Executor::Slurm {
                shards: self.shards.unwrap_or(2),
                cpus_per_task: self.cpus_per_task.unwrap_or(1),
                tourney,
            }),
        }
    }
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
            exit_guard::finished();
            std::process::exit(141);
        }
        // A panic of the main thread ends the process through exit(): that is tourney's own
        // failure (status 101), not a plugin's exit.
        if std::thread::current().name() == Some("main") {
            exit_guard::finished();
        }
        default(info)
    }));
}

fn main() -> ExitCode {
    stop_quietly_on_a_closed_pipe();
    // After parsing: clap itself exits (for --help, or a usage error) on purpose.
    let cli = Cli::parse();
    // A kernel forced by TOURNEY_SIMD that this build or CPU lacks: refused before any work.
    if let Err(e) = tourney_engine::network::Simd::requested() {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    exit_guard::install();
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
            worker_memory,
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
                limits: commands::worker::WorkerLimits {
                    timeout,
                    memory_mb: worker_memory,
                },
            },
        ),
        Command::Search {
            file,
            out,
            executor,
            resume,
            quiet,
        } => match std::env::current_exe() {
            Err(e) => Err(Failure::Run(format!("cannot find this executable: {e}"))),
            Ok(tourney) => executor.executor(cores, tourney).and_then(|executor| {
                commands::search::run(
                    &file,
                    &commands::search::SearchOptions {
                        out,
                        executor,
                        resume,
                        quiet,
                    },
                )
            }),
        },
        Command::Batch {
            files,
            out,
            executor,
            quiet,
        } => match std::env::current_exe() {
            Err(e) => Err(Failure::Run(format!("cannot find this executable: {e}"))),
            Ok(tourney) => executor
                .executor(cores, tourney)
                .and_then(|executor| commands::batch::run(&files, &out, &executor, quiet)),
        },
        Command::Worker {
            file,
            match_index,
            check,
            libs,
            series,
            yaml_fingerprint,
            channel_fd,
            memory_mb,
        } => commands::worker::main(commands::worker::WorkerArgs {
            file: &file,
            libs: &libs,
            channel_fd,
            memory_mb,
            match_index,
            check,
            series: series.as_deref(),
            yaml_fingerprint: yaml_fingerprint.as_deref(),
        }),
        Command::Validate {
            files,
            no_plugins,
            timeout,
        } => commands::validate::run(&files, !no_plugins, timeout),
        Command::Merge { dirs, out, quiet } => commands::merge::run(&dirs, &out, quiet),
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
            (Some(rows), _) => commands::report::bench(rows, out.as_deref()),
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
            tournament,
        } => commands::report::plot(
            &dir,
            match_id.as_deref(),
            out.as_deref(),
            png,
            tournament.as_deref(),
        ),
        Command::Simulate { file, out, every } => {
            commands::simulate::run(&file, out.as_deref(), every)
        }
        Command::Plugin(cmd) => commands::plugin::run(cmd),
        Command::Bench {
            file,
            subnets,
            days,
            seed,
            repeat,
        } => commands::bench::run(
            file.as_deref(),
            commands::bench::Overrides {
                subnets,
                days,
                seed,
            },
            repeat,
        ),
    };
    exit_guard::finished();
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
