//! Isolation: `tourney run --isolate` plays each match in a worker process (this binary,
//! re-executed as the hidden `tourney worker` command) with a per-match timeout, so a plugin
//! that aborts, segfaults, hangs, prints, spawns children or eats memory costs one match —
//! recorded as `error` rows naming the entrant whose plugin failed — and never the tournament.
//! Under isolation the plugins are also first loaded and created in a worker (`--check`), so a
//! plugin that aborts or loops while being described or created is a clear error, not the end
//! of `run` or `validate`. What the parent relies on is in [`crate::isolation`].
//!
//! The parent passes the resolved plugin library paths (crates are built once, by the parent).

use crate::isolation::{run_worker, worker_setup, Channel};
use crate::tournament_io::load;
use crate::Failure;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tourney_engine::plugin::PluginLibrary;
use tourney_engine::tournament::config::TournamentConfig;
use tourney_engine::tournament::plan::{self, PlannedMatch};
use tourney_engine::tournament::rows::RawRow;
use tourney_engine::tournament::{error_rows, play, EntrantFactory, MatchResult, PlayFn};
use tourney_sdk::{Action, Observation, Params, Strategy, StrategyFault, StrategyInfo};

/// How a worker's answer begins when the match has no result for a reason of the run's own —
/// its series file could not be written, the tournament file could not be read again — rather
/// than the match's: the rest is the message. The parent stops the run and journals nothing
/// for the match ([`MatchResult::run_error`]), as a run in process does, so that `--resume`
/// plays it once the cause is fixed. (Rows are JSON objects: an answer of rows never begins
/// so.) Not an exit status: a plugin can exit with any status, but cannot write the channel.
const STOP: &str = "stop: ";

/// How isolated workers are run.
#[derive(Clone, Debug)]
pub struct WorkerLimits {
    pub timeout: Duration,
    /// `RLIMIT_AS` of each worker, MiB (0: none).
    pub memory_mb: u64,
}

fn common_args(yaml: &Path, libraries: &[PathBuf], limits: &WorkerLimits) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![yaml.into()];
    for lib in libraries {
        args.push("--lib".into());
        args.push(lib.into());
    }
    args.push("--memory-mb".into());
    args.push(limits.memory_mb.to_string().into());
    args
}

/// A play function that runs each match in a worker process. With `series_dir` the worker
/// writes the match's series there itself (`--series`, through a temporary file it renames
/// when the match has ended); when the worker gives no valid answer — it crashed, hung, or a
/// plugin called `exit()` — whatever it left of the series is removed here, so a failed match
/// leaves no series file, whole or partial.
pub fn isolated(
    yaml: PathBuf,
    yaml_fingerprint: String,
    libraries: Vec<PathBuf>,
    config: Arc<TournamentConfig>,
    limits: WorkerLimits,
    series_dir: Option<PathBuf>,
) -> PlayFn {
    Arc::new(move |m: &PlannedMatch| {
        let mut args = common_args(&yaml, &libraries, &limits);
        args.push("--match-index".into());
        args.push(m.index.to_string().into());
        args.push("--yaml-fingerprint".into());
        args.push(yaml_fingerprint.clone().into());
        let series = series_dir
            .as_ref()
            .map(|dir| dir.join(tourney_reports::file_names::series_file_name(&m.id)));
        if let Some(path) = &series {
            args.push("--series".into());
            args.push(path.into());
        }
        let outcome = run_worker(&args, limits.timeout);
        if outcome.not_started {
            // Nothing of the match was tried: the run's failure, and it stops (journalling
            // nothing for this match).
            let failure = outcome.failure.unwrap_or_default();
            return MatchResult {
                planned: m.clone(),
                rows: error_rows(&config, m, &failure),
                run_error: Some(format!("match {}: {failure}", m.id)),
            };
        }
        let discard_series = || {
            if let Some(path) = &series {
                // The worker's temporary file and an earlier file, beside the file a link at
                // the path names (a link, a device or a pipe stays).
                tourney_engine::series::discard(path, outcome.pid);
            }
        };
        let Some(failure) = outcome.failure else {
            let text = outcome.answer.unwrap_or_default();
            if let Some(message) = text.strip_prefix(STOP) {
                // The worker removed its series file already; an earlier one goes too.
                discard_series();
                return MatchResult {
                    planned: m.clone(),
                    rows: error_rows(&config, m, message),
                    run_error: Some(message.to_string()),
                };
            }
            let rows: Result<Vec<RawRow>, _> = text.lines().map(serde_json::from_str).collect();
            let reason = match rows {
                Ok(rows) if rows.len() == m.entrants.len() => {
                    return MatchResult {
                        planned: m.clone(),
                        rows,
                        run_error: None,
                    }
                }
                Ok(rows) => format!(
                    "the worker returned {} rows, expected {}",
                    rows.len(),
                    m.entrants.len()
                ),
                Err(e) => format!("the worker's answer was unreadable: {e}"),
            };
            discard_series();
            return MatchResult {
                planned: m.clone(),
                rows: error_rows(&config, m, &reason),
                run_error: None,
            };
        };
        discard_series();
        let with_output = |reason: String| {
            if outcome.output.is_empty() {
                reason
            } else {
                format!("{reason}; {}", outcome.output)
            }
        };
        let mut rows = error_rows(&config, m, &with_output(failure.clone()));
        if let Some(k) = outcome.in_entrant.filter(|k| *k < config.entrants.len()) {
            let culprit = config.entrants[k].display_name();
            for (slot, row) in rows.iter_mut().enumerate() {
                row.reason = if m.entrants.get(slot) == Some(&k) {
                    with_output(format!("its plugin failed: {failure}"))
                } else {
                    with_output(format!(
                        "stopped because entrant `{culprit}`'s plugin failed: {failure}"
                    ))
                };
            }
        }
        MatchResult {
            planned: m.clone(),
            rows,
            run_error: None,
        }
    })
}

/// Which step of the plugin check failed for an entrant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckStep {
    /// Its library could not be loaded (no such file, not a plugin, another ABI, …).
    Load,
    /// Its plugin refused to be created with its parameters.
    Create,
    /// The worker died or hung in the entrant's load or creation (which one is not known;
    /// creating is where a plugin runs its own code).
    Crash,
}

impl CheckStep {
    fn name(self) -> &'static str {
        match self {
            CheckStep::Load => "load",
            CheckStep::Create => "create",
            CheckStep::Crash => "crash",
        }
    }
}

/// A failed plugin check: the entrant (if the worker knew which), the step and the message.
pub type CheckFailure = (Option<usize>, CheckStep, String);

/// Load every entrant's plugin and create it with its parameters in a worker, as `run` would
/// in process: `Err` for the first that fails, or for the one that was being loaded or
/// created when the worker died or hung.
pub fn check_in_worker(
    yaml: &Path,
    libraries: &[PathBuf],
    limits: &WorkerLimits,
) -> Result<(), CheckFailure> {
    let mut args = common_args(yaml, libraries, limits);
    args.push("--check".into());
    let outcome = run_worker(&args, limits.timeout);
    if let Some(failure) = outcome.failure {
        let mut message = format!("loading and creating the plugin in a worker failed: {failure}");
        if !outcome.output.is_empty() {
            message.push_str(&format!("; {}", outcome.output));
        }
        return Err((outcome.in_entrant, CheckStep::Crash, message));
    }
    let answer: serde_json::Value = serde_json::from_str(outcome.answer.as_deref().unwrap_or(""))
        .map_err(|e| {
        (
            None,
            CheckStep::Crash,
            format!("the plugin check's answer was unreadable: {e}"),
        )
    })?;
    match answer["error"].as_str() {
        None => Ok(()),
        Some(message) => Err((
            answer["entrant"].as_u64().map(|k| k as usize),
            if answer["step"] == "load" {
                CheckStep::Load
            } else {
                CheckStep::Create
            },
            message.to_string(),
        )),
    }
}

/// A strategy whose every call is marked in the channel with its entrant's index, so that a
/// crash inside a plugin is pinned on that entrant.
struct Tracked {
    inner: Box<dyn Strategy>,
    entrant: usize,
    channel: Arc<Channel>,
}

impl Tracked {
    fn call<T>(&mut self, f: impl FnOnce(&mut Box<dyn Strategy>) -> T) -> T {
        self.channel.mark(Some(self.entrant));
        let out = f(&mut self.inner);
        self.channel.mark(None);
        out
    }
}

impl Strategy for Tracked {
    fn info(&self) -> StrategyInfo {
        self.channel.mark(Some(self.entrant));
        let info = self.inner.info();
        self.channel.mark(None);
        info
    }
    fn decide(&mut self, observation: &Observation, actions: &mut Vec<Action>) {
        self.call(|s| s.decide(observation, actions))
    }
    fn take_faults(&mut self) -> Vec<StrategyFault> {
        self.call(|s| s.take_faults())
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // The plugin's destructor runs when `inner` drops, right after this.
        self.channel.mark(Some(self.entrant));
    }
}

/// The plugins' factory with every instance [`Tracked`]: the libraries of the entrants the
/// worker plays (by entrant index), with every entrant's parameters.
struct TrackingFactory {
    libraries: Vec<Option<PluginLibrary>>,
    params: Vec<Params>,
    channel: Arc<Channel>,
}

impl EntrantFactory for TrackingFactory {
    fn create(&self, index: usize, seed: u64) -> Result<Box<dyn Strategy>, String> {
        let library = self.libraries[index]
            .ok_or_else(|| format!("entrant {index}'s plugin was not loaded in this worker"))?;
        self.channel.mark(Some(index));
        let inner = library
            .instantiate(&self.params[index], seed)
            .map_err(|e| e.to_string());
        self.channel.mark(None);
        let inner = Box::new(inner?);
        Ok(Box::new(Tracked {
            inner,
            entrant: index,
            channel: Arc::clone(&self.channel),
        }))
    }
}

/// What the hidden `tourney worker` command is asked to do.
pub struct WorkerArgs<'a> {
    pub file: &'a Path,
    pub libs: &'a [PathBuf],
    /// The inherited descriptor of the channel the parent reads.
    pub channel_fd: i32,
    pub memory_mb: u64,
    /// `Some(i)`: play match `i`; `None` with `check`: load and create every plugin.
    pub match_index: Option<usize>,
    pub check: bool,
    pub series: Option<&'a Path>,
    /// The fingerprint of the text the parent loaded ([`crate::tournament_io::fingerprint`]).
    pub yaml_fingerprint: Option<&'a str>,
}

/// `tourney worker FILE --lib PATH… --channel-fd N [--memory-mb N]
/// (--match-index I [--series PATH] [--yaml-fingerprint FP] | --check)` (hidden).
pub fn main(a: WorkerArgs) -> Result<(), Failure> {
    worker_setup(a.memory_mb).map_err(Failure::Run)?;
    let channel =
        Arc::new(Channel::adopt(a.channel_fd).map_err(|e| Failure::Run(format!("channel: {e}")))?);
    // Playing a match, a failure that is the run's rather than the match's is answered as
    // such ([`STOP`]); the check has no match to spare, and reports any failure as one.
    let stop = |message: String| {
        if a.check {
            return Err(Failure::Run(message));
        }
        channel
            .answer(&format!("{STOP}{message}"))
            .map_err(|e| Failure::Run(format!("channel: {e}")))
    };
    // The parent read this file when the run began: failing to read it now (it was changed,
    // moved, or made unreadable since) is not the match's doing.
    let loaded = match load(a.file) {
        Ok(loaded) => loaded,
        Err(e) if a.check => return Err(Failure::Input(e)),
        Err(e) => return stop(format!("the worker cannot read the tournament again: {e}")),
    };
    // Match `i` is match `i` of the text the run began with, or none: an edited file would
    // otherwise play another match (or other parameters) under the run's journal and manifest.
    if let Some(expected) = a.yaml_fingerprint {
        if crate::tournament_io::fingerprint(loaded.text.as_bytes()) != expected {
            return stop(format!(
                "{} changed since the run began: its matches are no longer the run's (put the \
                 file back to finish with --resume, or start a fresh run)",
                a.file.display()
            ));
        }
    }
    let config = &loaded.config;
    if a.libs.len() != config.entrants.len() {
        return stop(format!(
            "worker: {} libraries for {} entrants (was {} changed since the run began?)",
            a.libs.len(),
            config.entrants.len(),
            a.file.display()
        ));
    }
    // `step` says whether the library failed to load or the plugin refused to be created:
    // the parent names the entrant's `plugin` field for the one and `params` for the other.
    let answer_error = |entrant: usize, step: CheckStep, message: String| {
        let text = serde_json::json!({"entrant": entrant, "step": step.name(), "error": message})
            .to_string();
        channel
            .answer(&text)
            .map_err(|e| Failure::Run(format!("channel: {e}")))
    };
    let planned = match (a.check, a.match_index) {
        (true, _) => None,
        (false, Some(i)) => match plan::planned(config, i) {
            Some(m) => Some(m),
            None => {
                return stop(format!(
                    "worker: no match {i} in {} (was it changed since the run began?)",
                    a.file.display()
                ))
            }
        },
        (false, None) => {
            return Err(Failure::Usage("worker: --match-index or --check".into()));
        }
    };
    // A match loads only its own entrants' libraries (a tournament names more strategies than
    // a match plays, and each `dlopen` maps and relocates a library); the check loads all.
    let mut libraries = vec![None; a.libs.len()];
    for (k, lib) in a.libs.iter().enumerate() {
        if planned.as_ref().is_some_and(|m| !m.entrants.contains(&k)) {
            continue;
        }
        channel.mark(Some(k));
        match PluginLibrary::load(lib) {
            Ok(l) => libraries[k] = Some(l),
            Err(e) if a.check => return answer_error(k, CheckStep::Load, e.to_string()),
            Err(e) => return Err(Failure::Run(e.to_string())),
        }
        channel.mark(None);
    }
    let factory = TrackingFactory {
        libraries,
        params: config.entrants.iter().map(|e| e.sdk_params()).collect(),
        channel: Arc::clone(&channel),
    };
    let Some(planned) = planned else {
        for k in 0..config.entrants.len() {
            if let Err(e) = factory.create(k, 0) {
                return answer_error(k, CheckStep::Create, e);
            }
        }
        channel.mark(None);
        return channel
            .answer("{}")
            .map_err(|e| Failure::Run(format!("channel: {e}")));
    };
    let result = play(config, &factory, &planned, a.series);
    channel.mark(None);
    if let Some(e) = result.run_error {
        // The series could not be written: the output's fault, not the match's.
        return stop(e);
    }
    let mut out = String::new();
    for r in &result.rows {
        out.push_str(&serde_json::to_string(r).map_err(|e| Failure::Run(e.to_string()))?);
        out.push('\n');
    }
    channel
        .answer(&out)
        .map_err(|e| Failure::Run(format!("channel: {e}")))
}
