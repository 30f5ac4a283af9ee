//! `tourney merge DIR… --out DIR`: combine shards' journals into one result directory whose
//! raw table and manifest are byte-identical to a single run's.

use crate::tournament_io::write_raw;
use crate::Failure;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tourney_engine::tournament::journal;
use tourney_engine::tournament::rows::{sort_rows, RawRow};

fn manifest_of(dir: &Path) -> Result<(String, serde_json::Value), Failure> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::Run(format!(
            "{}: {e} (is this a result directory?)",
            path.display()
        ))
    })?;
    let value = serde_json::from_str(&text)
        .map_err(|e| Failure::Run(format!("{}: not a manifest: {e}", path.display())))?;
    Ok((text, value))
}

pub fn run(dirs: &[PathBuf], out: &Path) -> Result<(), Failure> {
    let (manifest_text, manifest) = manifest_of(&dirs[0])?;
    let rows_per_match = manifest["rows_per_match"].as_u64().unwrap_or(2) as usize;
    let total = manifest["matches"].as_u64().unwrap_or(0) as usize;
    let mut by_key: BTreeMap<(u32, u32), RawRow> = BTreeMap::new();
    for dir in dirs {
        let (_, m) = manifest_of(dir)?;
        if m["yaml_fingerprint"] != manifest["yaml_fingerprint"] {
            return Err(Failure::Run(format!(
                "{} comes from a different tournament file than {}",
                dir.display(),
                dirs[0].display()
            )));
        }
        let rows = journal::read(&dir.join("journal.jsonl"), |_| rows_per_match)
            .map_err(|e| Failure::Run(format!("{}: {e}", dir.display())))?;
        for r in rows {
            by_key.insert((r.match_index, r.slot), r);
        }
        let series = dir.join("series");
        if series.is_dir() {
            std::fs::create_dir_all(out.join("series")).map_err(|e| Failure::Run(e.to_string()))?;
            for f in std::fs::read_dir(&series).map_err(|e| Failure::Run(e.to_string()))? {
                let f = f.map_err(|e| Failure::Run(e.to_string()))?;
                std::fs::copy(f.path(), out.join("series").join(f.file_name()))
                    .map_err(|e| Failure::Run(e.to_string()))?;
            }
        }
    }
    let mut rows: Vec<RawRow> = by_key.into_values().collect();
    sort_rows(&mut rows);
    std::fs::create_dir_all(out).map_err(|e| Failure::Run(e.to_string()))?;
    let mut journal = journal::Journal::open(&out.join("journal.jsonl"), true)
        .map_err(|e| Failure::Run(e.to_string()))?;
    journal
        .append(&rows)
        .map_err(|e| Failure::Run(e.to_string()))?;
    write_raw(out, &rows).map_err(Failure::Run)?;
    std::fs::write(out.join("manifest.json"), manifest_text)
        .map_err(|e| Failure::Run(e.to_string()))?;
    let matches = rows.len() / rows_per_match.max(1);
    println!(
        "merged {} directories: {matches} of {total} matches → {}",
        dirs.len(),
        out.display()
    );
    if matches < total {
        eprintln!(
            "warning: {} matches are missing (a shard not run or not finished?)",
            total - matches
        );
    }
    if manifest["adaptive"].as_bool().unwrap_or(false) {
        eprintln!(
            "note: this tournament has adaptive repetitions; shards play the first stage only. \
             Run `tourney run FILE --out {} --resume` to add the later stages (the result is \
             byte-identical to one run)",
            out.display()
        );
    }
    crate::commands::report::after_run(out, false)?;
    Ok(())
}
