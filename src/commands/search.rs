//! `tourney search FILE [--out DIR] [--executor local|slurm] [--resume]`: find the mechanism
//! knob values whose role equilibrium best meets the search file's objectives and constraints
//! (`docs/search.md`). The method is `tourney_engine::search`; a point is evaluated by
//! `search_eval` (its role tournament through the executor, its equilibria with bootstrap
//! confidence). Outputs, in DIR: `points.csv`/`points.parquet` (every evaluation),
//! `front.csv` (the Pareto front), `best.yaml` (the best point as a ready tournament),
//! `summary.md`, and `journal.jsonl` (what `--resume` continues from).

mod preflight;

use crate::executor::Executor;
use crate::input::{read_input, read_yaml};
use crate::point_yaml::{absolutise_paths, apply};
use crate::search_eval::RoleEvaluator;
use crate::search_plots;
use crate::tournament_io::{fingerprint, load_text};
use crate::Failure;
use polars::prelude::*;
use std::path::{Path, PathBuf};
use tourney_engine::search::config::SearchConfig;
use tourney_engine::search::driver::{self, Outcome, FEASIBLE};
use tourney_engine::search::journal::Journal;
use tourney_engine::search::space::Level;

use preflight::located;

pub struct SearchOptions {
    pub out: Option<PathBuf>,
    pub executor: Executor,
    pub resume: bool,
    pub quiet: bool,
}

pub fn run(file: &Path, opts: &SearchOptions) -> Result<(), Failure> {
    let (config, text): (SearchConfig, String) = read_yaml(file).map_err(Failure::Input)?;
    let bad = |field: &str, message: &str| Failure::Input(located(file, &text, field, message));
    let (space, method, objectives) = config.check().map_err(|i| bad(&i.field, &i.message))?;
    let base_path = file
        .parent()
        .unwrap_or(Path::new("."))
        .join(&config.tournament);
    // Read once: a file that cannot be read at all (missing, unreadable, past the size bound)
    // is the search file's error, at its `tournament:`; a text refused as read is located in
    // the base file.
    let base_text = read_input(&base_path).map_err(|e| match e.line {
        None => bad(
            "tournament",
            &format!(
                "cannot read the base tournament {}: {}",
                base_path.display(),
                e.message
                    .strip_prefix("cannot read: ")
                    .unwrap_or(&e.message)
            ),
        ),
        Some(_) => Failure::Input(e),
    })?;
    // The base must be a valid tournament on its own (located errors in its own file).
    let loaded = load_text(&base_path, base_text.clone()).map_err(Failure::Input)?;
    // What would otherwise fail only after the first batch of matches (`preflight`).
    preflight::check_base(&loaded.config, &base_path).map_err(|m| bad("tournament", &m))?;
    preflight::check_names(&config, &loaded.config).map_err(|(f, m)| bad(&f, &m))?;
    let mut base: serde_yaml::Value = serde_yaml::from_str(&base_text)
        .map_err(|e| Failure::Run(format!("{}: {e}", base_path.display())))?;
    let base_dir = base_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let base_dir = std::fs::canonicalize(&base_dir).unwrap_or(base_dir);
    absolutise_paths(&mut base, &base_dir);
    preflight::check_knob_values(&space, &base, method.max_repetitions)
        .map_err(|(f, m)| bad(&f, &m))?;
    // The base's plugins, as `validate` checks them (a missing library or crate, one that
    // aborts while created, a strategy that cannot play its role), located in the base file:
    // found otherwise only when the first batch ran. Either executor builds the crates in
    // this process before any match, once per process, so building them here adds no build.
    crate::commands::validate::plugins(
        &loaded,
        &crate::commands::worker::WorkerLimits {
            timeout: crate::commands::validate::DEFAULT_TIMEOUT,
            memory_mb: crate::isolation::DEFAULT_WORKER_MEMORY_MB,
        },
    )
    .map_err(Failure::Input)?;

    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("results").join(format!("search-{}", config.name)));
    std::fs::create_dir_all(&out).map_err(|e| Failure::Run(format!("{}: {e}", out.display())))?;
    let out = std::fs::canonicalize(&out).unwrap_or(out);
    // The folder, for the whole search: its journal, points and summary. Each point's result
    // directory below it is locked by the run that plays it (a directory of its own, so the
    // search never waits on itself); Slurm shards lock their own shard directories.
    let _lock = crate::dir_lock::exclusive(&out)?;
    let fp = fingerprint(format!("{text}\0{base_text}").as_bytes());
    let earlier = out.join("journal.jsonl").is_file();
    let mut journal = Journal::open(&out.join("journal.jsonl"), &fp, opts.resume)
        .map_err(|e| Failure::Run(e.to_string()))?;
    // A fresh search into a folder an earlier one used: its points would be taken for this
    // one's where their names agree (their tournaments may differ in anything).
    if earlier && !opts.resume {
        let points = out.join("points");
        crate::commands::run::remove_if_present(&points).map_err(|e| {
            Failure::Run(format!(
                "{}: cannot clear the earlier search's points: {e}",
                points.display()
            ))
        })?;
    }
    let knobs: Vec<String> = space.dims().iter().map(|d| d.knob.clone()).collect();
    let mut evaluator = RoleEvaluator {
        base: base.clone(),
        knobs: knobs.clone(),
        objectives: objectives.clone(),
        constraints: config.constraints.clone(),
        dir: out.join("points"),
        executor: opts.executor.clone(),
        quiet: true,
        timing: Default::default(),
        deadline: config.budget.hours.map(|h| (std::time::Instant::now(), h)),
    };
    let outcome = driver::run(&space, &method, &mut evaluator, &mut journal)
        .map_err(|e| Failure::Run(e.to_string()))?;

    write_points(&out, &knobs, &config, &outcome)
        .map_err(|e| Failure::Run(format!("{}: {e}", out.display())))?;
    write_plots(&out, &config, &space, &objectives, &outcome)?;
    let summary = summary(&config, &knobs, &outcome);
    if let Some(b) = outcome.best {
        let best = &outcome.records[b];
        let doc = apply(&base, &knobs, &best.request.values).map_err(Failure::Run)?;
        let yaml = format!(
            "# The best point of search `{}` (point {}), a ready tournament.\n{}",
            config.name,
            best.request.point,
            serde_yaml::to_string(&doc).map_err(|e| Failure::Run(e.to_string()))?
        );
        std::fs::write(out.join("best.yaml"), yaml)
            .map_err(|e| Failure::Run(format!("best.yaml: {e}")))?;
    }
    std::fs::write(out.join("summary.md"), &summary)
        .map_err(|e| Failure::Run(format!("summary.md: {e}")))?;
    if !opts.quiet {
        print!("{summary}");
        let t = evaluator.timing;
        if t.evaluations > 0 {
            // Wall times vary run to run, so they go to stderr only, never into summary.md.
            let engine = t.engine.as_secs_f64();
            let analysis = t.analysis.as_secs_f64();
            eprintln!(
                "time: {:.1} s playing matches, {:.1} s analysing ({:.1} % of the total; {:.3} s \
                 per evaluation against {:.2} s of matches)",
                engine,
                analysis,
                100.0 * analysis / (engine + analysis).max(f64::MIN_POSITIVE),
                analysis / t.evaluations as f64,
                engine / t.evaluations as f64
            );
        }
    }
    Ok(())
}

/// `objective.svg` (the first objective over each knob) and, with two objectives or more,
/// `front.svg` (the Pareto front); see `search_plots`.
fn write_plots(
    out: &Path,
    config: &SearchConfig,
    space: &tourney_engine::search::space::Space,
    objectives: &[tourney_engine::search::config::Objective],
    o: &Outcome,
) -> Result<(), Failure> {
    let required: Vec<f64> = config.constraints.iter().map(|c| c.confidence).collect();
    let write = |name: &str, svg: tourney_reports::plot::Svg| {
        std::fs::write(out.join(name), svg.finish())
            .map_err(|e| Failure::Run(format!("{}: {e}", out.join(name).display())))
    };
    write(
        "objective.svg",
        search_plots::objective_svg(&config.name, space.dims(), objectives, &required, o),
    )?;
    if let Some(svg) = search_plots::front_svg(&config.name, objectives, &required, o) {
        write("front.svg", svg)?;
    }
    Ok(())
}

fn level_text(l: &Level) -> String {
    l.to_string()
}

/// The table of every evaluation: point, phase, repetitions, knob values, each objective's
/// value and interval (as the search file states it: maximised ones un-negated), each
/// constraint's share, feasibility, matches, and whether it is on the front or the best.
fn frame(knobs: &[String], config: &SearchConfig, o: &Outcome) -> PolarsResult<DataFrame> {
    let recs = &o.records;
    let mut cols: Vec<Column> = vec![
        Column::new(
            "point".into(),
            recs.iter()
                .map(|r| r.request.point as u32)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "phase".into(),
            recs.iter().map(|r| r.phase.label()).collect::<Vec<_>>(),
        ),
        Column::new(
            "repetitions".into(),
            recs.iter()
                .map(|r| r.request.repetitions)
                .collect::<Vec<_>>(),
        ),
    ];
    for (k, knob) in knobs.iter().enumerate() {
        cols.push(Column::new(
            knob.as_str().into(),
            recs.iter()
                .map(|r| level_text(&r.request.values[k]))
                .collect::<Vec<_>>(),
        ));
    }
    for (j, obj) in config.objectives.iter().enumerate() {
        let sign = if obj.maximise.is_some() { -1.0 } else { 1.0 };
        let name = format!("objective{j}");
        let get = |f: fn(&tourney_engine::search::driver::Estimate) -> f64| {
            recs.iter()
                .map(|r| sign * f(&r.evaluation.objectives[j]))
                .collect::<Vec<_>>()
        };
        let (lo, hi) = if sign > 0.0 {
            (get(|e| e.lo), get(|e| e.hi))
        } else {
            (get(|e| e.hi), get(|e| e.lo))
        };
        cols.push(Column::new(name.as_str().into(), get(|e| e.value)));
        cols.push(Column::new(format!("{name}_lo").as_str().into(), lo));
        cols.push(Column::new(format!("{name}_hi").as_str().into(), hi));
    }
    for k in 0..config.constraints.len() {
        cols.push(Column::new(
            format!("constraint{k}_share").as_str().into(),
            recs.iter()
                .map(|r| r.evaluation.constraints[k])
                .collect::<Vec<_>>(),
        ));
    }
    let required: Vec<f64> = config.constraints.iter().map(|c| c.confidence).collect();
    cols.push(Column::new(
        "feasible".into(),
        recs.iter()
            .map(|r| r.evaluation.score(&required).feasible >= FEASIBLE)
            .collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "matches".into(),
        recs.iter()
            .map(|r| r.evaluation.matches)
            .collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "on_front".into(),
        (0..recs.len())
            .map(|k| o.front.contains(&k))
            .collect::<Vec<_>>(),
    ));
    cols.push(Column::new(
        "best".into(),
        (0..recs.len())
            .map(|k| o.best == Some(k))
            .collect::<Vec<_>>(),
    ));
    DataFrame::new_infer_height(cols)
}

fn write_points(
    out: &Path,
    knobs: &[String],
    config: &SearchConfig,
    o: &Outcome,
) -> Result<(), String> {
    let mut df = frame(knobs, config, o).map_err(|e| e.to_string())?;
    let file = std::fs::File::create(out.join("points.parquet")).map_err(|e| e.to_string())?;
    ParquetWriter::new(file)
        .finish(&mut df)
        .map_err(|e| e.to_string())?;
    let file = std::fs::File::create(out.join("points.csv")).map_err(|e| e.to_string())?;
    CsvWriter::new(file)
        .finish(&mut df)
        .map_err(|e| e.to_string())?;
    let rows: Vec<IdxSize> = o.front.iter().map(|&k| k as IdxSize).collect();
    let mut front = df
        .take(&IdxCa::from_vec("idx".into(), rows))
        .map_err(|e| e.to_string())?;
    let file = std::fs::File::create(out.join("front.csv")).map_err(|e| e.to_string())?;
    CsvWriter::new(file)
        .finish(&mut front)
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The summary lines: what was spent, the best point, whether it meets the constraints.
fn summary(config: &SearchConfig, knobs: &[String], o: &Outcome) -> String {
    let matches: u64 = o.records.iter().map(|r| r.evaluation.matches).sum();
    let mut points: Vec<usize> = o.records.iter().map(|r| r.request.point).collect();
    points.sort_unstable();
    points.dedup();
    let mut s = format!(
        "search {}: {} evaluations of {} points, {} matches{}\n",
        config.name,
        o.records.len(),
        points.len(),
        matches,
        o.stopped_by_budget
            .as_ref()
            .map(|b| format!(" (stopped: {b})"))
            .unwrap_or_default()
    );
    let Some(b) = o.best else {
        s.push_str("no point was evaluated\n");
        return s;
    };
    let best = &o.records[b];
    let values: Vec<String> = knobs
        .iter()
        .zip(&best.request.values)
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let required: Vec<f64> = config.constraints.iter().map(|c| c.confidence).collect();
    let feasible = best.evaluation.score(&required).feasible >= FEASIBLE;
    s.push_str(&format!(
        "best point {} ({} repetitions): {}\n",
        best.request.point,
        best.request.repetitions,
        values.join(", ")
    ));
    for (j, obj) in config.objectives.iter().enumerate() {
        let e = best.evaluation.objectives[j];
        let (word, v, lo, hi) = if obj.maximise.is_some() {
            ("maximise", -e.value, -e.hi, -e.lo)
        } else {
            ("minimise", e.value, e.lo, e.hi)
        };
        s.push_str(&format!(
            "  objective {j} ({word}): {v:.4} [{lo:.4}, {hi:.4}]\n"
        ));
    }
    for (k, c) in config.constraints.iter().enumerate() {
        let share = best.evaluation.constraints[k];
        s.push_str(&format!(
            "  constraint {k}: {} {} the {} support in {:.2} of resamples (needs {:.2}): {}\n",
            c.strategy,
            if c.support == tourney_engine::search::config::Support::In {
                "in"
            } else {
                "out of"
            },
            c.role,
            share,
            c.confidence,
            if share >= c.confidence {
                "met"
            } else {
                "not met"
            }
        ));
    }
    s.push_str(if feasible {
        "the best point meets every constraint\n"
    } else {
        "no evaluated point meets every constraint; this is the closest\n"
    });
    s.push_str(&format!(
        "Pareto front: {} evaluations (front.csv)\n",
        o.front.len()
    ));
    s
}
