//! `tourney run FILE… [--out DIR] [--jobs N] [--shard I/N] [--resume] [--quiet]`
//!
//! Every match's rows go to the journal as it finishes; the raw table (CSV + Parquet) and the
//! manifest are written, in plan order, when all are done. `--resume` skips every match the
//! journal already holds complete.

use crate::commands::worker::WorkerLimits;
use crate::tournament_io::{
    check_in_process, check_isolated, check_roles, load, open_plugins, plugin_build,
    resolve_plugins, source_of, tournament_fingerprint, unequal_stakes_warning, Loaded,
};
use crate::Failure;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tourney_engine::tournament::journal::{self, Journal, Rows};
use tourney_engine::tournament::plan::{PlannedMatch, Planner};
use tourney_engine::tournament::rows::RawRow;
use tourney_engine::tournament::{in_process, run_parallel, EntrantFactory, PlayFn};

/// The copy of the tournament file each result directory keeps (verbatim).
pub const TOURNAMENT_COPY: &str = "tournament.yaml";

/// Options of one run.
pub struct RunOptions {
    pub out: Option<PathBuf>,
    pub jobs: usize,
    pub shard: Option<(u32, u32)>,
    pub resume: bool,
    pub quiet: bool,
    /// `Some(true)`: worker processes; `Some(false)`: in process; `None`: isolate when a plugin
    /// lies outside the current directory.
    pub isolate: Option<bool>,
    /// Per-match timeout and memory cap under isolation.
    pub limits: WorkerLimits,
}

/// Parse `I/N` with 0 ≤ I < N.
pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("--shard expects I/N, got `{s}`"))?;
    let i: u32 = i
        .trim()
        .parse()
        .map_err(|_| format!("--shard: `{i}` is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("--shard: `{n}` is not a number"))?;
    if n == 0 || i >= n {
        return Err(format!("--shard expects 0 ≤ I < N, got {i}/{n}"));
    }
    Ok((i, n))
}

/// Before a fresh run (or merge) into a directory an earlier one wrote (it holds a journal),
/// remove that run's outputs: its series, reports, raw table and manifest would otherwise stay
/// beside the new results — old series drawn as this run's matches, reports of mechanisms it
/// no longer plays, and, if the new run is stopped early, the old table and manifest reported
/// as if they were its own. A directory without a journal is not touched: `--out` may name
/// one that holds other things. The directory's lock file (`dir_lock::LOCK_FILE`) stays: the
/// caller holds it.
pub fn clear_previous_outputs(out: &Path) -> std::io::Result<()> {
    if !out.join("journal.jsonl").is_file() {
        return Ok(());
    }
    for name in [
        "series",
        "reports",
        "manifest.json",
        "raw.csv",
        "raw.parquet",
        "tournament.yaml",
    ] {
        remove_if_present(&out.join(name))?;
    }
    Ok(())
}

/// Remove the series files a killed run was writing (`tourney_engine::series::temp_path`):
/// their matches were never journalled, and a resumed run plays them again.
fn remove_partial_series(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if name
            .to_str()
            .is_some_and(tourney_engine::series::is_temp_name)
        {
            remove_if_present(&entry.path())?;
        }
    }
    Ok(())
}

/// Remove a file or a directory with everything in it; one that is not there is no error.
pub fn remove_if_present(path: &Path) -> std::io::Result<()> {
    let removed = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

pub fn run(files: &[PathBuf], opts: &RunOptions) -> Result<(), Failure> {
    if opts.out.is_some() && files.len() > 1 {
        return Err(Failure::Usage(
            "--out names one directory: give one FILE with it".into(),
        ));
    }
    // Check every file before running any.
    let loaded: Vec<Loaded> = files
        .iter()
        .map(|f| load(f))
        .collect::<Result<_, _>>()
        .map_err(Failure::Input)?;
    for l in &loaded {
        let paths = resolve_plugins(l, opts.quiet).map_err(Failure::Input)?;
        let isolate = should_isolate(&paths, opts);
        // Under isolation a plugin is first loaded and created in a worker: one that aborts or
        // loops there is reported at its entrant instead of taking this process down.
        if isolate {
            check_isolated(l, &paths, &opts.limits).map_err(Failure::Input)?;
        }
        let factory = open_plugins(l, &paths).map_err(Failure::Input)?;
        check_roles(l, &factory).map_err(Failure::Input)?;
        if !isolate {
            check_in_process(l, &factory).map_err(Failure::Input)?;
        }
        if let Some(warning) = unequal_stakes_warning(l, &factory) {
            if !opts.quiet {
                eprintln!("{warning}");
            }
        }
        run_one(l, factory, isolate, opts)?;
    }
    Ok(())
}

/// `--isolate`, `--no-isolate`, or by default: isolate when a plugin lies outside the current
/// directory (someone else's code).
fn should_isolate(paths: &[PathBuf], opts: &RunOptions) -> bool {
    let here = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .unwrap_or_default();
    let outside = paths
        .iter()
        .any(|p| !p.canonicalize().unwrap_or(p.clone()).starts_with(&here));
    let isolate = opts.isolate.unwrap_or(outside);
    if isolate && opts.isolate.is_none() && !opts.quiet {
        eprintln!(
            "a plugin lies outside {}: isolating matches in worker processes",
            here.display()
        );
    }
    isolate
}

/// Write `manifest.json`: pretty JSON, keys in order, with one `match_seeds` entry per match
/// of `matches` (ascending plan indices). The entries are formatted one at a time into the
/// file, so a plan of any size is never held as one JSON value; the bytes are those of the
/// whole manifest pretty-printed at once (`serde_json::to_string_pretty`).
fn write_manifest(
    path: &Path,
    l: &Loaded,
    factory: &crate::tournament_io::PluginFactory,
    planner: &Planner,
    matches: &[u32],
    rows_per_match: usize,
) -> std::io::Result<()> {
    let entrants: Vec<serde_json::Value> = l
        .config
        .entrants
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let [plugin, version, build_id, file] = plugin_build(&factory.libraries[k]);
            serde_json::json!({
                "name": e.display_name(),
                "source": format!("{:?}", source_of(l, k)),
                "plugin": plugin,
                "version": version,
                "build_id": build_id,
                "file_fingerprint": file,
            })
        })
        .collect();
    let manifest = serde_json::json!({
        "tourney_version": env!("CARGO_PKG_VERSION"),
        // The machine's math library, by its results (`merge` refuses to mix fingerprints).
        "math_fingerprint": crate::tournament_io::math_fingerprint(),
        "tournament": l.config.name,
        "yaml_fingerprint": crate::tournament_io::fingerprint(l.text.as_bytes()),
        // As given on the command line: what `tourney plot --match ID --tournament FILE` needs
        // to replay a match (the report page prints that command).
        "tournament_file": l.path.display().to_string(),
        "seed": l.config.seed,
        "adaptive": l.config.repetitions.is_adaptive(),
        "matches": matches.len(),
        "rows_per_match": rows_per_match,
        "entrants": entrants,
        "match_seeds": crate::pretty_json::ARRAY_HERE,
    });
    let seeds = matches.iter().map(|&index| {
        let m = planner
            .get(index as usize)
            .ok_or_else(|| std::io::Error::other(format!("no plan entry {index}")))?;
        Ok(serde_json::json!({"index": m.index, "id": m.id, "seed": m.seed}))
    });
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    crate::pretty_json::write_with_array(&mut file, &manifest, seeds)?;
    file.write_all(b"\n")?;
    file.flush()
}

/// Play `todo` (one stage) in parallel: each finished match's rows go to the journal as it
/// finishes (its series file was written as it played), and it is marked in `done`; progress
/// on standard error.
fn play_stage(
    todo: impl Iterator<Item = PlannedMatch>,
    total: usize,
    opts: &RunOptions,
    play_one: &PlayFn,
    journal: &mut Journal,
    done: &mut [bool],
) -> std::io::Result<()> {
    if total == 0 {
        return Ok(());
    }
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal();
    // On a terminal: an indicatif bar with ETA; otherwise plain lines every 10 %.
    let bar = (tty && !opts.quiet).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} matches, {elapsed} elapsed, ETA {eta} ({per_sec})",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let mut finished = 0usize;
    let mut last_reported = 0usize;
    run_parallel(todo, opts.jobs, Arc::clone(play_one), |result| {
        // The series was written as the match played (in place before its rows are journalled,
        // so a kill between the two plays the match again on --resume and writes it again).
        // One that could not be written stops the run before the match counts as done (as
        // does any failure that is the run's and not the match's: `MatchResult::run_error`).
        if let Some(e) = result.run_error {
            return Err(std::io::Error::other(e));
        }
        journal.append(&result.rows)?;
        done[result.planned.index] = true;
        finished += 1;
        if let Some(bar) = &bar {
            bar.inc(1);
        } else if !opts.quiet {
            let elapsed = started.elapsed().as_secs_f64();
            let eta = elapsed / finished as f64 * (total - finished) as f64;
            if finished * 10 / total.max(1) > last_reported * 10 / total.max(1) || finished == total
            {
                eprintln!("[{finished}/{total}] {elapsed:.1}s elapsed, ETA {eta:.1}s");
            }
            last_reported = finished;
        }
        Ok(())
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(())
}

/// Open the journal of an interrupted run for appending, with the rows it holds. Refused when
/// it belongs to another tournament (its fingerprint differs) or has no readable header.
fn resume_journal(
    path: &Path,
    fingerprint: &str,
    rows_per_match: usize,
    quiet: bool,
) -> Result<(journal::Index, Journal), Failure> {
    let io =
        |what: &str, e: std::io::Error| Failure::Run(format!("{what} {}: {e}", path.display()));
    let contents =
        journal::index(path, rows_per_match).map_err(|e| io("cannot read the journal", e))?;
    let journal = match &contents.fingerprint {
        Some(found) if found == fingerprint => {
            if contents.dropped_lines > 0 && !quiet {
                eprintln!(
                    "{}: dropped {} damaged line(s) (torn or altered); their matches will be played again",
                    path.display(),
                    contents.dropped_lines
                );
            }
            crate::test_hook::pause_at("resume-journal-read");
            Journal::append_to(path).map_err(|e| io("cannot open the journal", e))?
        }
        Some(_) => {
            return Err(Failure::Usage(format!(
                "{}: this journal belongs to another tournament (its YAML or a plugin build \
                 differs, or it was computed on a machine whose math library gives other bits: \
                 docs/scaling.md); run without --resume to start over, or choose another --out",
                path.display()
            )))
        }
        None if contents.exists && contents.dropped_lines > 0 => {
            return Err(Failure::Usage(format!(
                "{}: not a journal of this tourney version (no valid header line); \
                 run without --resume to start over, or choose another --out",
                path.display()
            )))
        }
        None => Journal::create(path, fingerprint, &[])
            .map_err(|e| io("cannot create the journal", e))?,
    };
    Ok((contents, journal))
}

fn run_one(
    l: &Loaded,
    factory: Arc<crate::tournament_io::PluginFactory>,
    isolate: bool,
    opts: &RunOptions,
) -> Result<(), Failure> {
    let config = Arc::new(l.config.clone());
    let factory_libs = Arc::clone(&factory);
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| Path::new("reports/out").join(&config.name));
    let io =
        |what: &str, e: std::io::Error| Failure::Run(format!("{what} in {}: {e}", out.display()));
    std::fs::create_dir_all(&out).map_err(|e| io("cannot create the output directory", e))?;
    // Held to the end (the reports included): a second process writing here would clear this
    // run's live series files or outputs and append to its journal (`dir_lock`).
    let _lock = crate::dir_lock::exclusive(&out)?;
    // The plan is held as indices (4 bytes a match); an entry is built when it is played or
    // written to the manifest.
    let planner = Planner::new(&config);
    let full_plan: Vec<u32> = planner.indices().map(|i| i as u32).collect();
    let rows_per_match = full_plan
        .first()
        .and_then(|&i| planner.get(i as usize))
        .map(|m| m.entrants.len())
        .unwrap_or(0);
    let mine: Vec<u32> = match opts.shard {
        Some((i, n)) => full_plan.iter().copied().filter(|m| m % n == i).collect(),
        None => full_plan.clone(),
    };

    // The journal: a fresh run starts a new one (written aside, then renamed); a resumed run
    // only appends to the one it found, after checking it belongs to this tournament. Rows of
    // matches a later adaptive stage chose are kept too: the stages are decided again from the
    // results, and reuse them when they are chosen again (they always are: the choice is a
    // pure function of earlier stages' results).
    let journal_path = out.join("journal.jsonl");
    let fingerprint = tournament_fingerprint(l, &factory);
    let (journaled, mut journal) = if opts.resume {
        resume_journal(&journal_path, &fingerprint, rows_per_match, opts.quiet)?
    } else {
        clear_previous_outputs(&out)
            .map_err(|e| io("cannot clear the previous run's outputs", e))?;
        let journal = Journal::create(&journal_path, &fingerprint, &[])
            .map_err(|e| io("cannot create the journal", e))?;
        (journal::Index::default(), journal)
    };
    let adaptive = config.repetitions.is_adaptive() && opts.shard.is_none();
    // Which plan entries are done (in the journal, or played by this run): a flag per index.
    let mut done = vec![false; planner.index_space()];
    for m in journaled.matches() {
        if let Some(flag) = done.get_mut(m as usize) {
            *flag = true;
        }
    }
    drop(journaled);
    let already = if adaptive {
        done.iter().filter(|&&d| d).count()
    } else {
        mine.iter().filter(|&&m| done[m as usize]).count()
    };
    if !opts.quiet && already > 0 {
        let to_play = mine.iter().filter(|&&m| !done[m as usize]).count();
        eprintln!("resuming: {already} matches already done, {to_play} to play");
    }
    let series_dir = out.join("series");
    if config.outputs.series {
        std::fs::create_dir_all(&series_dir).map_err(|e| io("cannot create series/", e))?;
        // What a killed run left half-written (its matches are played again).
        remove_partial_series(&series_dir).map_err(|e| io("cannot clear series/", e))?;
    }
    let libraries: Vec<PathBuf> = factory
        .libraries
        .iter()
        .map(|l| l.path().to_path_buf())
        .collect();
    let play_one: PlayFn = if isolate {
        crate::commands::worker::isolated(
            l.path.clone(),
            crate::tournament_io::fingerprint(l.text.as_bytes()),
            libraries,
            Arc::clone(&config),
            opts.limits.clone(),
            config.outputs.series.then(|| series_dir.clone()),
        )
    } else {
        let factory_dyn: Arc<dyn EntrantFactory> = factory;
        let series_dir = config.outputs.series.then(|| series_dir.clone());
        in_process(Arc::clone(&config), factory_dyn, move |m| {
            let name = tourney_reports::file_names::series_file_name(&m.id);
            series_dir.as_ref().map(|dir| dir.join(name))
        })
    };

    // Stage 0 plays this run's (or shard's) part of the plan; with adaptive repetitions, each
    // further stage adds the matches `adaptive::next_stage` decides from the chosen matches'
    // results, until it adds none.
    let started = Instant::now();
    let mut chosen: Vec<u32> = mine;
    let mut stage: Vec<u32> = chosen.clone();
    let mut played = 0usize;
    loop {
        let todo: Vec<u32> = stage
            .iter()
            .copied()
            .filter(|&m| !done[m as usize])
            .collect();
        played += todo.len();
        let entries = todo.iter().filter_map(|&m| planner.get(m as usize));
        play_stage(
            entries,
            todo.len(),
            opts,
            &play_one,
            &mut journal,
            &mut done,
        )
        .map_err(|e| io("the run stopped", e))?;
        if !adaptive {
            break;
        }
        // In the raw table's order, so that the decision reads what the report will.
        chosen.sort_unstable();
        let chosen_rows = rows_of(&journal_path, rows_per_match, &chosen)?;
        let chosen_entries: Vec<PlannedMatch> = chosen
            .iter()
            .filter_map(|&m| planner.get(m as usize))
            .collect();
        stage = crate::commands::adaptive::next_stage(&config, &chosen_entries, &chosen_rows)
            .map_err(Failure::Run)?
            .into_iter()
            .map(|m| m.index as u32)
            .collect();
        if stage.is_empty() {
            break;
        }
        if !opts.quiet {
            eprintln!(
                "adaptive repetitions: {} more matches for the profiles that decide the verdicts",
                stage.len()
            );
        }
        chosen.extend(stage.iter().copied());
    }
    drop(journal);
    drop(stage);
    tourney_reports::free_memory::release();
    let elapsed = started.elapsed().as_secs_f64();
    let total = played;
    chosen.sort_unstable();
    // The raw table, in plan order, read back from the journal (the rows were not kept).
    let index = journal::index(&journal_path, rows_per_match)
        .map_err(|e| io("cannot read the journal", e))?;
    let (rows, errors) =
        crate::raw_table::write_from_journal(&out, &journal_path, &index, chosen.iter().copied())
            .map_err(Failure::Run)?;
    drop(index);
    tourney_reports::free_memory::release();
    write_manifest(
        &out.join("manifest.json"),
        l,
        &factory_libs,
        &planner,
        if adaptive { &chosen } else { &full_plan },
        rows_per_match,
    )
    .map_err(|e| io("cannot write manifest.json", e))?;
    // The tournament file as it was, for the report page (its manifest section) and for readers.
    std::fs::write(out.join(TOURNAMENT_COPY), &l.text)
        .map_err(|e| io("cannot write tournament.yaml", e))?;
    // The plan's indices and flags (a few bytes a match) are not needed by the reports.
    drop((full_plan, chosen, done));
    if !opts.quiet {
        println!(
            "{}: {} matches ({} rows, {errors} not ok) → {}",
            config.name,
            rows / rows_per_match.max(1),
            rows,
            out.display()
        );
        println!(
            "played {total} matches in {elapsed:.2}s: {:.1} matches/s with {} jobs",
            total as f64 / elapsed.max(1e-9),
            opts.jobs
        );
    }
    if opts.shard.is_none() {
        crate::commands::report::after_run(&out, opts.quiet)?;
    }
    Ok(())
}

/// The rows of `matches` (ascending), read from the journal: what an adaptive stage decides
/// from (a role tournament's chosen matches, which its analysis holds anyway).
fn rows_of(path: &Path, rows_per_match: usize, matches: &[u32]) -> Result<Vec<RawRow>, Failure> {
    let fail = |e: std::io::Error| Failure::Run(format!("{}: {e}", path.display()));
    let index = journal::index(path, rows_per_match).map_err(fail)?;
    let mut reader = Rows::open(path).map_err(fail)?;
    let mut rows = Vec::new();
    for &m in matches {
        reader.read_match(&index, m, &mut rows).map_err(fail)?;
    }
    Ok(rows)
}
