//! Tournaments: the plan of matches, playing them in parallel, the journal and the raw table.
//!
//! The engine knows nothing of files' formats beyond this module's journal and CSV: the CLI
//! parses the YAML, builds an [`EntrantFactory`] (plugins or statically linked strategies), and
//! writes Parquet and reports from the rows this module returns.

pub mod config;
pub mod identity;
pub mod journal;
pub mod limits;
pub mod plan;
pub mod roles;
pub mod rows;

use crate::runner::{
    entrant_seed, run_match, run_match_with_series, Entrant, EntrantStatus, MatchError,
    MatchOutcome,
};
use crate::series::SeriesFile;
use config::TournamentConfig;
use plan::PlannedMatch;
use rows::RawRow;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tourney_sdk::Strategy;

/// Creates strategy instances for a tournament's entrants.
pub trait EntrantFactory: Send + Sync {
    /// A fresh instance of entrant `index`, seeded with `seed`.
    fn create(&self, index: usize, seed: u64) -> Result<Box<dyn Strategy>, String>;
}

/// One finished match: its rows (its time series, when asked for, is in its file).
pub struct MatchResult {
    pub planned: PlannedMatch,
    pub rows: Vec<RawRow>,
    /// The match has no result to record, for a reason of the run's own rather than the
    /// match's: its series file could not be written (the message names the file and why),
    /// or, under isolation, no worker could be started or read the tournament. The rows are
    /// then `error` rows saying so; a run stops rather than record them (as it stops on any
    /// write error), journalling nothing for the match, so that `--resume` plays it.
    pub run_error: Option<String>,
}

/// The entrant names of a planned match, by slot.
fn names_of(config: &TournamentConfig, planned: &PlannedMatch) -> Vec<String> {
    planned
        .entrants
        .iter()
        .map(|&k| config.entrants[k].display_name())
        .collect()
}

/// A row with the match's identity filled in and zero payoffs (status `ok`).
fn base_row(
    config: &TournamentConfig,
    planned: &PlannedMatch,
    names: &[String],
    slot: usize,
) -> RawRow {
    let mech = &config.mechanisms[planned.mechanism];
    let sched = &config.schedules[planned.schedule];
    let opponent = match config.format {
        config::Format::RoundRobin => names[1 - slot.min(1)].clone(),
        config::Format::Melee | config::Format::Roles => "*".to_string(),
    };
    let role = config
        .role_of_entrant(planned.entrants[slot])
        .map(|(r, _)| config.roles[r].name.clone())
        .unwrap_or_default();
    RawRow {
        tournament: config.name.clone(),
        match_index: planned.index as u32,
        match_id: planned.id.clone(),
        format: config.format.name().into(),
        mechanism: mech.label(),
        schedule: sched.name.clone(),
        repetition: planned.repetition,
        seed: planned.seed,
        entrant: names[slot].clone(),
        opponent,
        role,
        profile: planned.profile.clone(),
        slot: slot as u32,
        status: "ok".into(),
        reason: String::new(),
        // No results yet: every value column zero.
        ..RawRow::default()
    }
}

/// The rows of a match that could not be played (every slot `error`, with the reason).
pub fn error_rows(config: &TournamentConfig, planned: &PlannedMatch, reason: &str) -> Vec<RawRow> {
    let names = names_of(config, planned);
    (0..names.len())
        .map(|slot| RawRow {
            status: "error".into(),
            reason: reason.to_string(),
            ..base_row(config, planned, &names, slot)
        })
        .collect()
}

/// Why [`play`] has no outcome.
enum Failed {
    /// The match could not be played: its rows say why.
    Match(String),
    /// Its series file could not be written.
    Series(String),
}

/// Play one planned match. Never panics: a failure becomes rows with status `error`. With
/// `series` (and `outputs.series` on), the match's series is written to that file as it is
/// sampled ([`SeriesFile`]: in place only when the match has ended; a failed match leaves no
/// file there, not even an earlier one).
pub fn play(
    config: &TournamentConfig,
    factory: &dyn EntrantFactory,
    planned: &PlannedMatch,
    series: Option<&Path>,
) -> MatchResult {
    let mech = &config.mechanisms[planned.mechanism];
    let sched = &config.schedules[planned.schedule];
    let mut mc = config.match_config(mech, sched, planned.seed);
    let series = series.filter(|_| mc.series_interval_blocks > 0);
    if series.is_none() {
        // No file to write to: nothing to sample (sampling only reads the network).
        mc.series_interval_blocks = 0;
    }
    let names = names_of(config, planned);
    let cannot_write = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let mut file = None;
    let outcome: Result<MatchOutcome, Failed> = (|| {
        if let Some(path) = series {
            file =
                Some(SeriesFile::create(path).map_err(|e| Failed::Series(cannot_write(path, e)))?);
        }
        let mut entrants = Vec::new();
        for (slot, &k) in planned.entrants.iter().enumerate() {
            let strategy = factory
                .create(k, entrant_seed(planned.seed, slot))
                .map_err(|e| {
                    Failed::Match(format!("entrant {} could not start: {e}", names[slot]))
                })?;
            entrants.push(Entrant {
                name: names[slot].clone(),
                strategy,
                capital_tao: config.entrants[k].capital_tao,
                root_claim: config.entrants[k].root_claim,
            });
        }
        let played = catch_unwind(AssertUnwindSafe(|| match file.as_mut() {
            Some(f) => run_match_with_series(&mc, entrants, f),
            None => run_match(&mc, entrants),
        }));
        match played {
            Ok(Ok(o)) => Ok(o),
            Ok(Err(MatchError::Series(e))) => Err(Failed::Series(cannot_write(
                series.unwrap_or(Path::new("the series")),
                e,
            ))),
            Ok(Err(e)) => Err(Failed::Match(e.to_string())),
            Err(_) => Err(Failed::Match(
                "the match panicked (an engine bug: please report it)".into(),
            )),
        }
    })();
    // The series is renamed into place only once the match has ended well.
    let outcome = match (outcome, file, series) {
        (Ok(o), Some(f), Some(path)) => match f.finish() {
            Ok(_) => Ok(o),
            Err(e) => Err(Failed::Series(cannot_write(path, e))),
        },
        (outcome, f, path) => {
            // A failed match's temporary file goes with `f`; an earlier file at the path (a
            // resumed run's, of an attempt killed before it was journalled) goes too.
            drop(f);
            if let (Err(_), Some(path)) = (&outcome, path) {
                // A regular file only: a link, a device or a pipe at the path stays.
                crate::series::discard(path, None);
            }
            outcome
        }
    };
    let base = |slot: usize| base_row(config, planned, &names, slot);
    match outcome {
        Ok(o) => {
            let n = &o.network;
            let rows = o
                .payoffs
                .iter()
                .enumerate()
                .map(|(slot, p)| {
                    let (status, reason) = match &p.status {
                        EntrantStatus::Ok => ("ok", String::new()),
                        EntrantStatus::Forfeit(r) => ("forfeit", r.clone()),
                    };
                    RawRow {
                        status: status.into(),
                        reason,
                        profit_tao: p.profit_tao,
                        mark_to_market_tao: p.mark_to_market_tao,
                        emission_captured_tao: p.emission_captured_tao,
                        roi: p.roi,
                        max_drawdown_tao: p.max_drawdown_tao,
                        initial_capital_tao: p.initial_capital_tao,
                        revenue_tao: p.revenue_tao,
                        costs_tao: p.costs_tao,
                        rejected_actions: p.rejected_actions,
                        emission_total_tao: n.emission_total_tao,
                        emission_value_share: n.emission_value_share,
                        emission_meme_share: n.emission_meme_share,
                        emission_offtopic_share: n.emission_offtopic_share,
                        value_created_tao: n.value_created_tao,
                        value_per_tao_emitted: n.value_per_tao_emitted,
                        peak_meme_share: n.peak_meme_share,
                        largest_crash: n.largest_crash,
                        ..base(slot)
                    }
                })
                .collect();
            MatchResult {
                planned: planned.clone(),
                rows,
                run_error: None,
            }
        }
        Err(Failed::Match(reason)) => MatchResult {
            planned: planned.clone(),
            rows: error_rows(config, planned, &reason),
            run_error: None,
        },
        Err(Failed::Series(reason)) => {
            let reason = format!("cannot write the series: {reason}");
            MatchResult {
                planned: planned.clone(),
                rows: error_rows(config, planned, &reason),
                run_error: Some(reason),
            }
        }
    }
}

/// How one match is played: in this process ([`play`]) or in a worker process.
pub type PlayFn = Arc<dyn Fn(&PlannedMatch) -> MatchResult + Send + Sync>;

/// In-process play of `config`'s matches with `factory`, each match's series written to the
/// file `series_path` gives it (none: no series).
pub fn in_process(
    config: Arc<TournamentConfig>,
    factory: Arc<dyn EntrantFactory>,
    series_path: impl Fn(&PlannedMatch) -> Option<PathBuf> + Send + Sync + 'static,
) -> PlayFn {
    Arc::new(move |m: &PlannedMatch| play(&config, factory.as_ref(), m, series_path(m).as_deref()))
}

/// Play `matches` with up to `jobs` in parallel (blocking workers on a tokio runtime), calling
/// `on_done` on this thread as each finishes — in completion order, so it must only record
/// (the journal); the caller reads the rows back in plan order at the end. `matches` is drawn
/// from as workers free up, so a lazy iterator keeps a plan of any size out of memory.
pub fn run_parallel(
    matches: impl IntoIterator<Item = PlannedMatch>,
    jobs: usize,
    play_one: PlayFn,
    mut on_done: impl FnMut(MatchResult) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let jobs = jobs.max(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .max_blocking_threads(jobs)
        .build()?;
    runtime.block_on(async move {
        let mut pending = matches.into_iter();
        let mut running = tokio::task::JoinSet::new();
        let spawn = |running: &mut tokio::task::JoinSet<MatchResult>, m: PlannedMatch| {
            let play_one = Arc::clone(&play_one);
            running.spawn_blocking(move || play_one(&m));
        };
        for m in pending.by_ref().take(jobs) {
            spawn(&mut running, m);
        }
        while let Some(done) = running.join_next().await {
            let result = done.map_err(std::io::Error::other)?;
            on_done(result)?;
            if let Some(m) = pending.next() {
                spawn(&mut running, m);
            }
        }
        Ok(())
    })
}
