//! Where a batch of tournaments runs: in this process (`local`, the parallel runner with
//! `--jobs`) or as one Slurm job array (`slurm`) of `tourney run --shard` tasks writing into a
//! shared directory, each tournament's shards merged once `sbatch --wait` returns. A search
//! evaluates each batch of points this way; the two executors give byte-identical result
//! directories because shards and merge do (`docs/scaling.md`).
//!
//! Resumable: a tournament whose result directory already holds a manifest is not run again,
//! and an unfinished one resumes from its journal (`--resume`), so a killed driver that
//! re-submits a batch repeats no finished match.

use crate::commands::{merge, run};
use crate::tournament_io::{load, resolve_plugins};
use crate::Failure;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One tournament of a batch and the directory its result goes to.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub yaml: PathBuf,
    pub out: PathBuf,
}

/// How a batch runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Executor {
    /// In this process, `jobs` matches at a time.
    Local { jobs: usize },
    /// One Slurm job array: `shards` tasks per tournament, each with `cpus_per_task` CPUs
    /// (its `--jobs`), running the `tourney` binary at `tourney` (a path every node can read;
    /// the result directories must be shared between the nodes and this one too).
    Slurm {
        shards: u32,
        cpus_per_task: u32,
        tourney: PathBuf,
    },
}

/// What `job.out` holds.
#[derive(Debug, PartialEq)]
enum Found {
    /// A finished result of `job.yaml` (the manifest and raw table are written last).
    Finished,
    /// A finished result of another tournament file: an earlier search's point folder, say.
    /// Taken for this job's, it would put another tournament's payoffs in this one's place.
    Foreign,
    /// Nothing finished: the job runs (resuming from its journal, if it has one).
    Unfinished,
}

fn found(job: &Job) -> Found {
    let manifest: Option<serde_json::Value> =
        std::fs::read_to_string(job.out.join("manifest.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
    let Some(manifest) = manifest.filter(|_| job.out.join("raw.parquet").is_file()) else {
        return Found::Unfinished;
    };
    // The manifest's fingerprint is of the text `run` read (a byte-order mark dropped).
    let text = crate::input_limits::read_bounded(&job.yaml).ok();
    let ours = text
        .map(|t| crate::tournament_io::fingerprint(crate::input_limits::strip_bom(&t).as_bytes()));
    if ours.is_some() && manifest["yaml_fingerprint"].as_str() == ours.as_deref() {
        Found::Finished
    } else {
        Found::Foreign
    }
}

/// Remove another tournament's result from `job.out` and its shards' folders, so the job
/// runs afresh there (resuming would refuse that result's journal).
fn clear_foreign(job: &Job, shards: u32) -> Result<(), Failure> {
    let failed = |e: std::io::Error| {
        Failure::Run(format!(
            "{}: cannot clear an earlier result: {e}",
            job.out.display()
        ))
    };
    // Not while another process writes there (its lock would be removed with its shard).
    let _lock = crate::dir_lock::exclusive(&job.out)?;
    run::clear_previous_outputs(&job.out).map_err(failed)?;
    run::remove_if_present(&job.out.join("journal.jsonl")).map_err(failed)?;
    for i in 0..shards {
        let shard = shard_dir(&job.out, i);
        if shard.is_dir() {
            let _lock = crate::dir_lock::exclusive(&shard)?;
            run::remove_if_present(&shard).map_err(failed)?;
        }
    }
    Ok(())
}

/// Play `job` in this process, `jobs` matches at a time, resuming from its journal.
fn run_here(job: &Job, jobs: usize, quiet: bool) -> Result<(), Failure> {
    run::run(
        std::slice::from_ref(&job.yaml),
        &run::RunOptions {
            out: Some(job.out.clone()),
            jobs,
            shard: None,
            resume: true,
            quiet,
            isolate: None,
            limits: crate::commands::worker::WorkerLimits {
                timeout: std::time::Duration::from_secs(600),
                memory_mb: crate::isolation::DEFAULT_WORKER_MEMORY_MB,
            },
        },
    )
}

impl Executor {
    /// Run every job of `batch` whose result is not there yet.
    pub fn run_batch(&self, batch: &[Job], quiet: bool) -> Result<(), Failure> {
        let shards = match self {
            Executor::Local { .. } => 0,
            Executor::Slurm { shards, .. } => *shards,
        };
        let mut todo: Vec<&Job> = Vec::new();
        for job in batch {
            match found(job) {
                Found::Finished => {}
                Found::Foreign => {
                    clear_foreign(job, shards)?;
                    todo.push(job);
                }
                Found::Unfinished => todo.push(job),
            }
        }
        if todo.is_empty() {
            return Ok(());
        }
        match self {
            Executor::Local { jobs } => {
                for job in todo {
                    run_here(job, *jobs, quiet)?;
                }
                Ok(())
            }
            Executor::Slurm {
                shards,
                cpus_per_task,
                tourney,
            } => {
                // Check every file and build its plugins here, once, before any task starts
                // (bad input is reported with its location, not as a failed array task, and
                // no two tasks build the same crate at once).
                for job in &todo {
                    let loaded = load(&job.yaml).map_err(Failure::Input)?;
                    resolve_plugins(&loaded, quiet).map_err(Failure::Input)?;
                }
                let dir = todo[0]
                    .out
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from("."));
                std::fs::create_dir_all(&dir)
                    .map_err(|e| Failure::Run(format!("{}: {e}", dir.display())))?;
                let script = dir.join("batch.sbatch");
                std::fs::write(
                    &script,
                    array_script(&todo, *shards, *cpus_per_task, tourney, &dir),
                )
                .map_err(|e| Failure::Run(format!("{}: {e}", script.display())))?;
                let out = Command::new("sbatch")
                    .arg("--wait")
                    .arg(&script)
                    .output()
                    .map_err(|e| Failure::Run(format!("cannot start sbatch: {e}")))?;
                if !out.status.success() {
                    return Err(Failure::Run(format!(
                        "the Slurm job array failed ({}): {}{}; task logs in {}",
                        out.status,
                        String::from_utf8_lossy(&out.stdout).trim(),
                        String::from_utf8_lossy(&out.stderr).trim(),
                        dir.display()
                    )));
                }
                for job in todo {
                    let parts: Vec<PathBuf> =
                        (0..*shards).map(|i| shard_dir(&job.out, i)).collect();
                    merge::run(&parts, &job.out, quiet)?;
                    // Shards play an adaptive tournament's first stage; the later stages
                    // follow its verdicts, here, resuming from the merged journal.
                    if load(&job.yaml)
                        .map_err(Failure::Input)?
                        .config
                        .repetitions
                        .is_adaptive()
                    {
                        run_here(job, *cpus_per_task as usize, quiet)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Where shard `i` of a tournament whose result goes to `out` writes.
fn shard_dir(out: &Path, i: u32) -> PathBuf {
    let name = out
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "result".into());
    out.with_file_name(format!("{name}.shard-{i}"))
}

/// Quote for bash: single quotes, with embedded single quotes closed, escaped and reopened.
fn quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

/// The job array's script: task `t` plays shard `t mod shards` of tournament `t div shards`.
fn array_script(
    jobs: &[&Job],
    shards: u32,
    cpus_per_task: u32,
    tourney: &Path,
    dir: &Path,
) -> String {
    let tasks = jobs.len() as u32 * shards;
    let list = |f: &dyn Fn(&Job) -> PathBuf| {
        jobs.iter()
            .map(|j| format!("  {}", quote(&f(j))))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!(
        "#!/bin/bash\n\
         #SBATCH --job-name=tourney-batch\n\
         #SBATCH --array=0-{last}\n\
         #SBATCH --cpus-per-task={cpus_per_task}\n\
         #SBATCH --output={log}\n\
         set -euo pipefail\n\
         YAMLS=(\n{yamls}\n)\n\
         OUTS=(\n{outs}\n)\n\
         J=$((SLURM_ARRAY_TASK_ID / {shards}))\n\
         I=$((SLURM_ARRAY_TASK_ID % {shards}))\n\
         exec {tourney} run \"${{YAMLS[$J]}}\" --shard \"$I/{shards}\" --jobs {cpus_per_task} \\\n\
         \x20 --out \"${{OUTS[$J]}}.shard-$I\" --resume --quiet\n",
        last = tasks - 1,
        log = dir.join("slurm-%A_%a.out").display(),
        yamls = list(&|j| j.yaml.clone()),
        outs = list(&|j| j.out.clone()),
        tourney = quote(tourney),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_array_script_maps_tasks_to_tournament_shards() {
        let jobs = [
            Job {
                yaml: "/s/p0.yaml".into(),
                out: "/s/p0".into(),
            },
            Job {
                yaml: "/s/it's.yaml".into(),
                out: "/s/p1".into(),
            },
        ];
        let refs: Vec<&Job> = jobs.iter().collect();
        let s = array_script(&refs, 3, 2, Path::new("/bin/tourney"), Path::new("/s"));
        // 2 tournaments × 3 shards = tasks 0–5; task 4 → tournament 4 div 3 = 1, shard 4 mod 3 = 1.
        assert!(s.contains("#SBATCH --array=0-5\n"), "{s}");
        assert!(s.contains("J=$((SLURM_ARRAY_TASK_ID / 3))\nI=$((SLURM_ARRAY_TASK_ID % 3))"));
        assert!(s.contains("  '/s/it'\\''s.yaml'\n"), "quoted: {s}");
        assert!(s.contains("--out \"${OUTS[$J]}.shard-$I\" --resume --quiet"));
        assert_eq!(
            shard_dir(Path::new("/s/p1"), 1),
            PathBuf::from("/s/p1.shard-1")
        );
        // The script is valid bash (parsed, not run).
        let check = Command::new("bash")
            .args(["-n", "-c", &s])
            .status()
            .unwrap();
        assert!(check.success());
    }
}
