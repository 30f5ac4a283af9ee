//! `tourney validate FILE…`: check tournament files (types, values, plugins) without running.
//! `tourney schema`: a JSON Schema of the tournament format, for editors.

use crate::commands::worker::WorkerLimits;
use crate::isolation::DEFAULT_WORKER_MEMORY_MB;
use crate::tournament_io::{check_isolated, load, resolve_plugins};
use crate::Failure;
use std::path::PathBuf;
use std::time::Duration;

/// Plugins are built and found here, then loaded and created with their parameters in a
/// worker process: a plugin that aborts or hangs while being created is reported, not fatal.
pub fn run(files: &[PathBuf], check_plugins: bool, timeout: Duration) -> Result<(), Failure> {
    let limits = WorkerLimits {
        timeout,
        memory_mb: DEFAULT_WORKER_MEMORY_MB,
    };
    let mut first_error = None;
    for f in files {
        let result = load(f).and_then(|l| {
            if check_plugins {
                let paths = resolve_plugins(&l, true)?;
                check_isolated(&l, &paths, &limits).map(|_| l)
            } else {
                Ok(l)
            }
        });
        match result {
            Ok(l) => {
                let n = tourney_engine::tournament::limits::match_count(&l.config).unwrap_or(0);
                println!("{}: ok ({n} matches)", f.display());
            }
            Err(e) => {
                eprintln!("error: {e}");
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(Failure::Reported(e.to_string())),
        None => Ok(()),
    }
}
