//! `tourney validate FILE…`: check tournament files (types, values, plugins) without running.
//! `tourney schema`: a JSON Schema of the tournament format, for editors.

use crate::commands::worker::WorkerLimits;
use crate::input::InputError;
use crate::isolation::DEFAULT_WORKER_MEMORY_MB;
use crate::tournament_io::{
    check_isolated, check_roles, load, open_plugins, resolve_plugins, unequal_stakes_warning,
    Loaded, PluginFactory,
};
use crate::Failure;
use std::path::PathBuf;
use std::sync::Arc;
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
                let factory = plugins(&l, &limits)?;
                if let Some(warning) = unequal_stakes_warning(&l, &factory) {
                    eprintln!("{warning}");
                }
            }
            Ok(l)
        });
        match result {
            Ok(l) => {
                let n = tourney_engine::tournament::plan::plan(&l.config).len();
                let adaptive = if l.config.repetitions.is_adaptive() {
                    let most = tourney_engine::tournament::limits::match_count(&l.config);
                    format!(", up to {} with adaptive repetitions", most.unwrap_or(0))
                } else {
                    String::new()
                };
                println!("{}: ok ({n} matches{adaptive})", f.display());
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

/// How long a plugin may take to load and be created when `validate` checks it (its
/// `--timeout` default) and when `search` checks its base tournament's plugins.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `validate`'s check of a loaded tournament's plugins, also run by `search` on its base
/// tournament before any match: every plugin found (crates built, once per process, quietly),
/// loaded and created with its parameters in a worker process under `limits`, then loaded
/// here and each strategy's classifier role checked against its tournament role. The first
/// failure is located at its entrant in the tournament file.
pub fn plugins(l: &Loaded, limits: &WorkerLimits) -> Result<Arc<PluginFactory>, InputError> {
    let paths = resolve_plugins(l, true)?;
    check_isolated(l, &paths, limits)?;
    let factory = open_plugins(l, &paths)?;
    check_roles(l, &factory)?;
    Ok(factory)
}
