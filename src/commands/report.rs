//! `tourney report | compare | plot`: thin wrappers over `tourney-reports`.

use crate::Failure;
use std::path::{Path, PathBuf};
use tourney_reports::cli::{
    bench_command, compare_command, default_out_dir, exit_code, plot_command, report_command,
};
use tourney_reports::{ReportError, ReportOptions};

fn failure(e: ReportError) -> Failure {
    if exit_code(&e) == 2 {
        Failure::Usage(e.to_string())
    } else {
        Failure::Run(e.to_string())
    }
}

/// Rebuild every report of a result directory.
pub fn report(
    dir: &Path,
    out: Option<&Path>,
    level: f64,
    plots: bool,
    png: bool,
) -> Result<(), Failure> {
    let options = ReportOptions {
        level,
        plots,
        png,
        ..ReportOptions::default()
    };
    // Written into `DIR/reports` by default: nobody else may write DIR meanwhile (a run's
    // start clears `reports/`, its end writes them); read only, nobody may write it.
    let written = out.map_or_else(|| default_out_dir(dir), Path::to_path_buf);
    let _locks = crate::dir_lock::for_reports(&[dir], Some(&written))?;
    crate::result_dir::check_row_counts(dir)?;
    let report = report_command(dir, out, &options).map_err(failure)?;
    print!("{}", report.text);
    warn(&report.warnings);
    Ok(())
}

/// Reports at the end of `run` and `merge`: printed unless `quiet`. Those hold the
/// directory's lock already, so none is taken here (a second one would be refused).
pub fn after_run(dir: &Path, quiet: bool) -> Result<(), Failure> {
    crate::result_dir::check_row_counts(dir)?;
    let report = report_command(dir, None, &ReportOptions::default()).map_err(failure)?;
    if !quiet {
        print!("{}", report.text);
    }
    warn(&report.warnings);
    Ok(())
}

/// Warnings of a report that was written all the same (a chart the page shows as an error):
/// on stderr, whatever `--quiet` says, since the exit status does not tell of them.
fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

pub fn compare(
    dirs: &[PathBuf],
    by: Option<&str>,
    baseline: Option<&str>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if dirs.len() == 2 {
        if let Some(option) = [(by, "--by"), (baseline, "--baseline")]
            .iter()
            .find_map(|(given, name)| given.map(|_| name))
        {
            return Err(Failure::Usage(format!(
                "{option} compares the variants within one directory; two directories are \
                 compared key by key, the second against the first"
            )));
        }
    }
    // Written into `reports/` of the last directory by default.
    let reads: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let written = out
        .map(Path::to_path_buf)
        .or_else(|| dirs.last().map(|d| default_out_dir(d)));
    let _locks = crate::dir_lock::for_reports(&reads, written.as_deref())?;
    for dir in dirs {
        crate::result_dir::check_row_counts(dir)?;
    }
    let by = by.map(|b| b.parse().map_err(failure)).transpose()?;
    let text =
        compare_command(dirs, by, baseline, out, &ReportOptions::default()).map_err(failure)?;
    print!("{text}");
    Ok(())
}

/// `tourney plot`; with `tournament`, a match without series (or with an empty one) is replayed
/// first ([`crate::commands::replay`]).
pub fn plot(
    dir: &Path,
    match_id: Option<&str>,
    out: Option<&Path>,
    png: bool,
    tournament: Option<&Path>,
) -> Result<(), Failure> {
    // Match ids are made of names that are file-safe; one with a path in it would read a
    // series from outside `series/`.
    if let Some(id) = match_id.filter(|id| id.contains(['/', '\\', '\0']) || id.starts_with('.')) {
        return Err(Failure::Usage(format!(
            "`{id}` is not a match id (ids are in raw.csv's match_id column)"
        )));
    }
    // Plots go to `DIR/reports/plots` by default, and a replayed series to `DIR/series`.
    let written = match (match_id, tournament, out) {
        (Some(_), Some(_), _) => dir.to_path_buf(),
        (_, _, Some(out)) => out.to_path_buf(),
        (_, _, None) => default_out_dir(dir).join("plots"),
    };
    let _locks = crate::dir_lock::for_reports(&[dir], Some(&written))?;
    crate::result_dir::check_row_counts(dir)?;
    if let (Some(id), Some(file)) = (match_id, tournament) {
        // A series file without rows (an older tourney's, whose interval was longer than the
        // match) is written again too: the replay ends it with its final sample.
        let path = crate::commands::replay::series_path(dir, id);
        let drawable =
            path.is_file() && tourney_reports::plot::series_has_rows(&path).map_err(failure)?;
        if !drawable {
            let path = crate::commands::replay::replay_series(dir, id, file)?;
            eprintln!("replayed match {id}: {}", path.display());
        }
    }
    crate::result_dir::check_row_counts(dir)?;
    let files = plot_command(dir, match_id, out, png).map_err(failure)?;
    for f in files {
        println!("{}", f.display());
    }
    Ok(())
}

/// `tourney report --bench [ROWS] [--out DIR]`: build every report from a synthetic raw table
/// and time it, in DIR (kept), or in a scratch directory removed afterwards (a million rows
/// and their reports weigh about 100 MB; each run's directory was left in the temp folder).
/// A kept DIR gets a `manifest.json` counting the synthetic table's rows, so that it is a
/// result directory `tourney report DIR` takes (it refuses a raw table without one).
pub fn bench(rows: usize, out: Option<&Path>) -> Result<(), Failure> {
    let scratch =
        std::env::temp_dir().join(format!("tourney-reports-bench-{}", std::process::id()));
    let result = bench_command(rows, Some(out.unwrap_or(&scratch)));
    if out.is_none() {
        let _ = std::fs::remove_dir_all(&scratch);
    }
    let text = result.map_err(failure)?;
    if let Some(dir) = out {
        // The synthetic table is whole matches of two rows (`synthetic_raw`).
        let manifest = serde_json::json!({
            "tourney_version": env!("CARGO_PKG_VERSION"),
            "tournament": "bench",
            "synthetic": format!("tourney report --bench {rows}"),
            "matches": rows / 2,
            "rows_per_match": 2,
        });
        let path = dir.join("manifest.json");
        let mut json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
        json.push('\n');
        std::fs::write(&path, json)
            .map_err(|e| Failure::Run(format!("{}: {e}", path.display())))?;
    }
    print!("{text}");
    Ok(())
}
