//! Isolation: `tourney run --isolate` plays each match in a worker process (this binary,
//! re-executed as the hidden `tourney worker` command) with a per-match timeout, so a plugin
//! that aborts, segfaults or hangs costs one match — recorded as `error` rows with the reason —
//! and never the tournament.
//!
//! The parent passes the resolved plugin library paths (crates are built once, by the parent);
//! the worker prints the match's rows as JSON lines on stdout and writes its series file itself.

use crate::tournament_io::{load, PluginFactory};
use crate::Failure;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tourney_engine::plugin::PluginLibrary;
use tourney_engine::tournament::config::TournamentConfig;
use tourney_engine::tournament::plan::{self, PlannedMatch};
use tourney_engine::tournament::rows::RawRow;
use tourney_engine::tournament::{error_rows, play, MatchResult, PlayFn};

/// Why a worker produced no rows, in words.
fn describe(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                6 => " (SIGABRT: the process aborted)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV: a segmentation fault)",
                _ => "",
            };
            return format!("the worker was killed by signal {sig}{name}");
        }
    }
    format!("the worker exited with {status}")
}

/// A play function that runs each match in a worker process.
pub fn isolated(
    yaml: PathBuf,
    libraries: Vec<PathBuf>,
    config: Arc<TournamentConfig>,
    timeout: Duration,
    series_dir: Option<PathBuf>,
) -> PlayFn {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("tourney"));
    Arc::new(move |m: &PlannedMatch| {
        let fail = |reason: String| MatchResult {
            planned: m.clone(),
            rows: error_rows(&config, m, &reason),
            series_csv: None,
        };
        let mut cmd = Command::new(&exe);
        cmd.arg("worker")
            .arg(&yaml)
            .arg("--match-index")
            .arg(m.index.to_string());
        for lib in &libraries {
            cmd.arg("--lib").arg(lib);
        }
        if let Some(dir) = &series_dir {
            cmd.arg("--series").arg(dir.join(format!("{}.csv", m.id)));
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return fail(format!("cannot start a worker: {e}")),
        };
        // Read stdout on a thread so a chatty worker can never block on a full pipe.
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        let started = Instant::now();
        // Poll with a backoff: short matches finish in a few milliseconds, and a fixed 5 ms
        // nap would be most of their cost; long ones are checked every 5 ms.
        let mut nap = Duration::from_micros(100);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(format!(
                        "timed out after {:.0} s (a strategy hung?); the worker was killed",
                        timeout.as_secs_f64()
                    ));
                }
                Ok(None) => {
                    std::thread::sleep(nap);
                    nap = (nap * 2).min(Duration::from_millis(5));
                }
                Err(e) => break Err(format!("cannot wait for the worker: {e}")),
            }
        };
        let text = reader.join().unwrap_or_default();
        let status = match status {
            Ok(s) => s,
            Err(reason) => return fail(reason),
        };
        if !status.success() {
            return fail(describe(status));
        }
        let rows: Result<Vec<RawRow>, _> = text.lines().map(serde_json::from_str).collect();
        match rows {
            Ok(rows) if rows.len() == m.entrants.len() => MatchResult {
                planned: m.clone(),
                rows,
                series_csv: None,
            },
            Ok(rows) => fail(format!(
                "the worker returned {} rows, expected {}",
                rows.len(),
                m.entrants.len()
            )),
            Err(e) => fail(format!("the worker's output was unreadable: {e}")),
        }
    })
}

/// `tourney worker FILE --match-index I --lib PATH… [--series PATH]` (hidden).
pub fn main(
    file: &Path,
    match_index: usize,
    libs: &[PathBuf],
    series: Option<&Path>,
) -> Result<(), Failure> {
    let loaded = load(file).map_err(Failure::Input)?;
    let config = &loaded.config;
    if libs.len() != config.entrants.len() {
        return Err(Failure::Usage(format!(
            "worker: {} libraries for {} entrants",
            libs.len(),
            config.entrants.len()
        )));
    }
    let libraries = libs
        .iter()
        .map(PluginLibrary::load)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::Run(e.to_string()))?;
    let params = config.entrants.iter().map(|e| e.sdk_params()).collect();
    let factory = PluginFactory { libraries, params };
    let planned = plan::planned(config, match_index)
        .ok_or_else(|| Failure::Usage(format!("worker: no match {match_index}")))?;
    let result = play(config, &factory, &planned);
    if let (Some(path), Some(csv)) = (series, &result.series_csv) {
        std::fs::write(path, csv).map_err(|e| Failure::Run(format!("{}: {e}", path.display())))?;
    }
    let mut out = String::new();
    for r in &result.rows {
        out.push_str(&serde_json::to_string(r).map_err(|e| Failure::Run(e.to_string()))?);
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}
