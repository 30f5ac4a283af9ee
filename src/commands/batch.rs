//! `tourney batch FILE… --out DIR [--executor local|slurm]` (hidden): run several tournaments
//! as one batch through an executor, tournament `k` into `DIR/<k>-<file stem>`. This is the
//! plumbing `tourney search` evaluates its points with, exposed so that the Slurm executor is
//! tested end to end against the local one (`tests/slurm.rs`).

use crate::executor::{Executor, Job};
use crate::Failure;
use std::path::{Path, PathBuf};

/// The result directory of tournament `k` of a batch.
pub fn job_out(out: &Path, k: usize, yaml: &Path) -> PathBuf {
    let stem = yaml
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tournament".into());
    out.join(format!("{k}-{stem}"))
}

pub fn run(files: &[PathBuf], out: &Path, executor: &Executor, quiet: bool) -> Result<(), Failure> {
    let jobs: Vec<Job> = files
        .iter()
        .enumerate()
        .map(|(k, f)| Job {
            yaml: f.clone(),
            out: job_out(out, k, f),
        })
        .collect();
    std::fs::create_dir_all(out).map_err(|e| Failure::Run(format!("{}: {e}", out.display())))?;
    // Each tournament's directory below is locked by the run (or merge) that writes it.
    let _lock = crate::dir_lock::exclusive(out)?;
    executor.run_batch(&jobs, quiet)
}
