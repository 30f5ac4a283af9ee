//! `tourney plot DIR --match ID --tournament FILE`: when the run wrote no time series for a
//! match, play that match again — same plan, same seed, so the same match — with series on,
//! save `DIR/series/<ID>.csv`, and let `plot` draw it.
//!
//! The tournament file must be the one the result came from: its fingerprint is checked
//! against `DIR/manifest.json`, so a replay never silently draws another match.

use crate::tournament_io::{check_in_process, fingerprint, load, open_plugins, resolve_plugins};
use crate::Failure;
use std::path::{Path, PathBuf};
use tourney_engine::tournament::{plan, play};

/// Where the series of `match_id` lives in `dir`.
pub fn series_path(dir: &Path, match_id: &str) -> PathBuf {
    dir.join("series")
        .join(tourney_reports::file_names::series_file_name(match_id))
}

/// Play `match_id` of `tournament` again with series on and write its series into `dir`.
pub fn replay_series(dir: &Path, match_id: &str, tournament: &Path) -> Result<PathBuf, Failure> {
    let loaded = load(tournament).map_err(Failure::Input)?;
    let manifest_path = dir.join("manifest.json");
    let manifest: serde_json::Value = std::fs::read_to_string(&manifest_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| {
            Failure::Usage(format!(
                "{}: missing or unreadable (is {} a result directory?)",
                manifest_path.display(),
                dir.display()
            ))
        })?;
    if manifest["yaml_fingerprint"].as_str() != Some(&fingerprint(loaded.text.as_bytes())) {
        return Err(Failure::Usage(format!(
            "{} is not the tournament file {} was run from (its fingerprint differs from manifest.json's)",
            tournament.display(),
            dir.display()
        )));
    }
    let mut config = loaded.config.clone();
    // Sampling only reads the network: the replayed match is the one that was played.
    config.outputs.series = true;
    // The manifest lists every match the run played (with adaptive repetitions, more than the
    // first stage), by plan index.
    let index = manifest["match_seeds"]
        .as_array()
        .and_then(|seeds| seeds.iter().find(|m| m["id"].as_str() == Some(match_id)))
        .and_then(|m| m["index"].as_u64());
    let planned = index
        .and_then(|i| plan::planned(&config, i as usize))
        .filter(|m| m.id == match_id)
        .ok_or_else(|| {
            Failure::Usage(format!(
                "no match `{match_id}` in {} (match ids are in {}/raw.csv)",
                tournament.display(),
                dir.display()
            ))
        })?;
    let paths = resolve_plugins(&loaded, true).map_err(Failure::Input)?;
    let factory = open_plugins(&loaded, &paths).map_err(Failure::Input)?;
    check_in_process(&loaded, &factory).map_err(Failure::Input)?;
    let path = series_path(dir, match_id);
    std::fs::create_dir_all(dir.join("series"))
        .map_err(|e| Failure::Run(format!("{}: {e}", dir.join("series").display())))?;
    // The series is streamed to its file as the match plays, and is there only if it ended.
    let result = play(&config, &*factory, &planned, Some(&path));
    if let Some(e) = result.run_error {
        return Err(Failure::Run(e));
    }
    if !path.is_file() {
        let reason = result
            .rows
            .iter()
            .find(|r| r.status == "error")
            .map(|r| format!(": {}", r.reason))
            .unwrap_or_default();
        return Err(Failure::Run(format!(
            "match `{match_id}` produced no series (it failed{reason})"
        )));
    }
    Ok(path)
}
