//! `tourney run FILE… [--out DIR] [--jobs N] [--shard I/N] [--resume] [--quiet]`
//!
//! Every match's rows go to the journal as it finishes; the raw table (CSV + Parquet) and the
//! manifest are written, in plan order, when all are done. `--resume` skips every match the
//! journal already holds complete.

use crate::tournament_io::{
    fingerprint, load, load_plugins, source_of, unequal_stakes_warning, write_raw, Loaded,
};
use crate::Failure;
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tourney_engine::tournament::journal::{self, Journal};
use tourney_engine::tournament::plan::{self, PlannedMatch};
use tourney_engine::tournament::rows::{sort_rows, RawRow};
use tourney_engine::tournament::{in_process, run_parallel, EntrantFactory, PlayFn};

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
    /// Per-match timeout under isolation.
    pub timeout: std::time::Duration,
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
        let factory = load_plugins(l, opts.quiet).map_err(Failure::Input)?;
        if let Some(warning) = unequal_stakes_warning(l, &factory) {
            if !opts.quiet {
                eprintln!("{warning}");
            }
        }
        run_one(l, factory, opts)?;
    }
    Ok(())
}

fn manifest_json(
    l: &Loaded,
    factory: &crate::tournament_io::PluginFactory,
    plan: &[PlannedMatch],
) -> String {
    let entrants: Vec<serde_json::Value> = l
        .config
        .entrants
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let lib = factory.libraries[k];
            let info = lib.info();
            let file = std::fs::read(lib.path())
                .map(|b| fingerprint(&b))
                .unwrap_or_default();
            serde_json::json!({
                "name": e.display_name(),
                "source": format!("{:?}", source_of(l, k)),
                "plugin": info.name,
                "version": info.version,
                "build_id": info.build_id,
                "file_fingerprint": file,
            })
        })
        .collect();
    let seeds: Vec<serde_json::Value> = plan
        .iter()
        .map(|m| serde_json::json!({"index": m.index, "id": m.id, "seed": m.seed}))
        .collect();
    let manifest = serde_json::json!({
        "tourney_version": env!("CARGO_PKG_VERSION"),
        "tournament": l.config.name,
        "yaml_fingerprint": fingerprint(l.text.as_bytes()),
        "seed": l.config.seed,
        "adaptive": l.config.repetitions.is_adaptive(),
        "matches": plan.len(),
        "rows_per_match": plan.first().map(|m| m.entrants.len()).unwrap_or(0),
        "entrants": entrants,
        "match_seeds": seeds,
    });
    serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"
}

/// Play `todo` (one stage) in parallel: each finished match's rows go to the journal (and its
/// series file) as it finishes, and into `done`; progress on standard error.
fn play_stage(
    todo: Vec<PlannedMatch>,
    opts: &RunOptions,
    play_one: &PlayFn,
    journal: &mut Journal,
    series_dir: &Path,
    done: &mut BTreeMap<u32, Vec<RawRow>>,
) -> std::io::Result<()> {
    let total = todo.len();
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
        journal.append(&result.rows)?;
        if let Some(csv) = &result.series_csv {
            std::fs::write(series_dir.join(format!("{}.csv", result.planned.id)), csv)?;
        }
        done.insert(result.planned.index as u32, result.rows);
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

fn run_one(
    l: &Loaded,
    factory: Arc<crate::tournament_io::PluginFactory>,
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
    let full_plan = plan::plan(&config);
    let rows_per_match = full_plan.first().map(|m| m.entrants.len()).unwrap_or(0);
    let mine = match opts.shard {
        Some((i, n)) => plan::shard(full_plan.clone(), i, n),
        None => full_plan.clone(),
    };

    // The journal: resumed rows are rewritten first (dropping any torn last line). Rows of
    // matches a later adaptive stage chose are kept too: the stages are decided again from the
    // results, and reuse them when they are chosen again (they always are: the choice is a
    // pure function of earlier stages' results).
    let journal_path = out.join("journal.jsonl");
    let mut journaled: Vec<RawRow> = if opts.resume {
        journal::read(&journal_path, |_| rows_per_match)
            .map_err(|e| io("cannot read the journal", e))?
    } else {
        Vec::new()
    };
    let wanted: BTreeSet<u32> = mine.iter().map(|m| m.index as u32).collect();
    let adaptive = config.repetitions.is_adaptive() && opts.shard.is_none();
    journaled.retain(|r| adaptive || wanted.contains(&r.match_index));
    let mut journal =
        Journal::open(&journal_path, true).map_err(|e| io("cannot open the journal", e))?;
    journal
        .append(&journaled)
        .map_err(|e| io("cannot write the journal", e))?;
    let mut done: BTreeMap<u32, Vec<RawRow>> = BTreeMap::new();
    for r in journaled {
        done.entry(r.match_index).or_default().push(r);
    }
    if !opts.quiet && !done.is_empty() {
        eprintln!("resuming: {} matches already done", done.len());
    }
    if config.outputs.series {
        std::fs::create_dir_all(out.join("series")).map_err(|e| io("cannot create series/", e))?;
    }

    let series_dir = out.join("series");
    let libraries: Vec<PathBuf> = factory
        .libraries
        .iter()
        .map(|l| l.path().to_path_buf())
        .collect();
    let here = std::env::current_dir()
        .and_then(|d| d.canonicalize())
        .unwrap_or_default();
    let outside = libraries.iter().any(|p| !p.starts_with(&here));
    let isolate = opts.isolate.unwrap_or(outside);
    if isolate && opts.isolate.is_none() && !opts.quiet {
        eprintln!(
            "a plugin lies outside {}: isolating matches in worker processes",
            here.display()
        );
    }
    let play_one: PlayFn = if isolate {
        crate::commands::worker::isolated(
            l.path.clone(),
            libraries,
            Arc::clone(&config),
            opts.timeout,
            config.outputs.series.then(|| series_dir.clone()),
        )
    } else {
        let factory_dyn: Arc<dyn EntrantFactory> = factory;
        in_process(Arc::clone(&config), factory_dyn)
    };

    // Stage 0 plays this run's (or shard's) part of the plan; with adaptive repetitions, each
    // further stage adds the matches `adaptive::next_stage` decides from the chosen matches'
    // results, until it adds none.
    let started = Instant::now();
    let mut chosen: Vec<PlannedMatch> = mine;
    let mut stage = chosen.clone();
    let mut played = 0usize;
    loop {
        let todo: Vec<PlannedMatch> = stage
            .iter()
            .filter(|m| !done.contains_key(&(m.index as u32)))
            .cloned()
            .collect();
        played += todo.len();
        play_stage(todo, opts, &play_one, &mut journal, &series_dir, &mut done)
            .map_err(|e| io("the run stopped", e))?;
        if !adaptive {
            break;
        }
        // In the raw table's order, so that the decision reads what the report will.
        let mut chosen_rows: Vec<RawRow> = chosen
            .iter()
            .flat_map(|m| done.get(&(m.index as u32)).cloned().unwrap_or_default())
            .collect();
        sort_rows(&mut chosen_rows);
        stage = crate::commands::adaptive::next_stage(&config, &chosen, &chosen_rows)
            .map_err(Failure::Run)?;
        if stage.is_empty() {
            break;
        }
        if !opts.quiet {
            eprintln!(
                "adaptive repetitions: {} more matches for the profiles that decide the verdicts",
                stage.len()
            );
        }
        chosen.extend(stage.iter().cloned());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = played;
    chosen.sort_by_key(|m| m.index);
    let manifest = manifest_json(
        l,
        &factory_libs,
        if adaptive { &chosen } else { &full_plan },
    );
    let mut rows: Vec<RawRow> = chosen
        .iter()
        .flat_map(|m| done.remove(&(m.index as u32)).unwrap_or_default())
        .collect();
    sort_rows(&mut rows);
    write_raw(&out, &rows).map_err(Failure::Run)?;
    std::fs::write(out.join("manifest.json"), manifest)
        .map_err(|e| io("cannot write manifest.json", e))?;
    let errors = rows.iter().filter(|r| r.status != "ok").count();
    if !opts.quiet {
        println!(
            "{}: {} matches ({} rows, {errors} not ok) → {}",
            config.name,
            rows.len() / rows_per_match.max(1),
            rows.len(),
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
