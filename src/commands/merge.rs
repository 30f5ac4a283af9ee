//! `tourney merge DIR… --out DIR [--quiet]`: combine shards' journals into one result
//! directory whose files (raw table, manifest, journal, series, reports) are byte-identical to
//! a single run's written at the same path (`index.html` names the directory it was written
//! from).

use crate::Failure;
use std::path::{Path, PathBuf};
use tourney_engine::tournament::journal::{self, Rows};

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

/// The first entrant whose plugin build differs between two manifests, named as
/// `entrant (plugin)`: shards played with another library must not be merged.
fn differing_plugin(a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
    let (ea, eb) = (a["entrants"].as_array()?, b["entrants"].as_array()?);
    if ea.len() != eb.len() {
        return Some("(the entrant lists differ)".into());
    }
    ea.iter().zip(eb).find_map(|(x, y)| {
        let same = ["plugin", "version", "build_id", "file_fingerprint"]
            .iter()
            .all(|k| x[k] == y[k]);
        (!same).then(|| {
            format!(
                "entrant `{}` (plugin `{}`)",
                x["name"].as_str().unwrap_or("?"),
                x["plugin"].as_str().unwrap_or("?")
            )
        })
    })
}

pub fn run(dirs: &[PathBuf], out: &Path, quiet: bool) -> Result<(), Failure> {
    let (manifest_text, manifest) = manifest_of(&dirs[0])?;
    let rows_per_match = manifest["rows_per_match"].as_u64().unwrap_or(2) as usize;
    let total = manifest["matches"].as_u64().unwrap_or(0) as usize;
    // Each shard's journal, indexed (its rows stay on disk until they are copied).
    let mut sources: Vec<(PathBuf, journal::Index)> = Vec::new();
    let mut fingerprint: Option<String> = None;
    for dir in dirs {
        let (_, m) = manifest_of(dir)?;
        if m["yaml_fingerprint"] != manifest["yaml_fingerprint"] {
            return Err(Failure::Usage(format!(
                "{} comes from a different tournament file than {}",
                dir.display(),
                dirs[0].display()
            )));
        }
        if m["math_fingerprint"] != manifest["math_fingerprint"] {
            return Err(Failure::Usage(format!(
                "{} was computed on a machine whose math library gives other bits than {}'s \
                 (math fingerprint {} against {}): their results would not be one run's; rerun \
                 that shard on a machine like the others (docs/scaling.md)",
                dir.display(),
                dirs[0].display(),
                m["math_fingerprint"].as_str().unwrap_or("none"),
                manifest["math_fingerprint"].as_str().unwrap_or("none"),
            )));
        }
        if let Some(which) = differing_plugin(&manifest, &m) {
            return Err(Failure::Usage(format!(
                "{} was played with a different build of {which} than {}: rerun that shard \
                 with the same plugin",
                dir.display(),
                dirs[0].display()
            )));
        }
        let path = dir.join("journal.jsonl");
        let contents = journal::index(&path, rows_per_match)
            .map_err(|e| Failure::Run(format!("{}: {e}", path.display())))?;
        let Some(found) = contents.fingerprint.clone() else {
            return Err(Failure::Usage(format!(
                "{}: no journal header (missing, or written by an older tourney)",
                path.display()
            )));
        };
        if fingerprint.get_or_insert_with(|| found.clone()) != &found {
            return Err(Failure::Usage(format!(
                "{}: this journal belongs to another tournament than {}'s (its YAML or a \
                 plugin build differs)",
                path.display(),
                dirs[0].display()
            )));
        }
        if contents.dropped_lines > 0 {
            eprintln!(
                "{}: dropped {} damaged line(s) (torn or altered)",
                path.display(),
                contents.dropped_lines
            );
        }
        sources.push((path, contents));
    }
    // The shards are checked; what an earlier run or merge left in `out` goes, and then the
    // shards' series are copied in. `out` being a shard itself would lose that shard's files.
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if let Some(dir) = dirs.iter().find(|d| same(d, out)) {
        return Err(Failure::Usage(format!(
            "--out {} is one of the directories merged: name a new one",
            dir.display()
        )));
    }
    let at = |path: &Path| {
        let path = path.display().to_string();
        move |e: std::io::Error| Failure::Run(format!("{path}: {e}"))
    };
    std::fs::create_dir_all(out).map_err(at(out))?;
    // Held to the end, the reports included. The shards are only read (their journals are
    // append-only and their series renamed into place whole), so they are not locked.
    let _lock = crate::dir_lock::exclusive(out)?;
    crate::commands::run::clear_previous_outputs(out).map_err(|e| {
        Failure::Run(format!(
            "{}: cannot clear an earlier result: {e}",
            out.display()
        ))
    })?;
    // Only `series/` is copied from the shards: not their lock files.
    for dir in dirs {
        let series = dir.join("series");
        if series.is_dir() {
            let to = out.join("series");
            std::fs::create_dir_all(&to).map_err(at(&to))?;
            for f in std::fs::read_dir(&series).map_err(at(&series))? {
                let f = f.map_err(at(&series))?;
                // Not a half-written series a killed shard left (its match was not journalled).
                let name = f.file_name();
                if name
                    .to_str()
                    .is_some_and(tourney_engine::series::is_temp_name)
                {
                    continue;
                }
                std::fs::copy(f.path(), to.join(&name)).map_err(at(&f.path()))?;
            }
        }
    }
    // The merged journal: every match in plan order, each from the last directory that holds
    // it complete, streamed from the shards' journals; the raw table is then read back from it.
    let mut readers: Vec<Rows> = sources
        .iter()
        .map(|(path, _)| {
            Rows::open(path).map_err(|e| Failure::Run(format!("{}: {e}", path.display())))
        })
        .collect::<Result<_, _>>()?;
    let mut cursors: Vec<_> = sources
        .iter()
        .map(|(_, index)| index.matches().peekable())
        .collect();
    // Each match in plan order, from the last directory that holds it.
    let merged_matches = std::iter::from_fn(|| {
        let next = cursors.iter_mut().filter_map(|c| c.peek().copied()).min()?;
        let mut from = 0;
        for (k, c) in cursors.iter_mut().enumerate() {
            if c.next_if_eq(&next).is_some() {
                from = k;
            }
        }
        Some((from, next))
    });
    let merged_rows = merged_matches.flat_map(|(from, m)| {
        let mut rows = Vec::new();
        match readers[from].read_match(&sources[from].1, m, &mut rows) {
            Ok(_) => rows.into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        }
    });
    let journal_path = out.join("journal.jsonl");
    journal::Journal::create_from(
        &journal_path,
        fingerprint.as_deref().unwrap_or_default(),
        merged_rows,
    )
    .map_err(|e| Failure::Run(e.to_string()))?;
    drop(cursors);
    drop(sources);
    let index = journal::index(&journal_path, rows_per_match)
        .map_err(|e| Failure::Run(format!("{}: {e}", journal_path.display())))?;
    let matches: Vec<u32> = index.matches().collect();
    let (rows, _) =
        crate::raw_table::write_from_journal(out, &journal_path, &index, matches.iter().copied())
            .map_err(Failure::Run)?;
    std::fs::write(out.join("manifest.json"), manifest_text)
        .map_err(|e| Failure::Run(e.to_string()))?;
    // The tournament file as the shards played it: a copy whose text is not the one their
    // manifests fingerprint (edited since) is not taken; if no shard has a true copy, none is
    // written rather than a wrong one.
    let expected = manifest["yaml_fingerprint"].as_str();
    let copies = dirs
        .iter()
        .map(|d| d.join(crate::commands::run::TOURNAMENT_COPY));
    let mut true_copy = None;
    for yaml in copies.filter(|y| y.is_file()) {
        let text = std::fs::read_to_string(&yaml).unwrap_or_default();
        if expected == Some(crate::tournament_io::fingerprint(text.as_bytes()).as_str()) {
            true_copy = Some(text);
            break;
        }
        eprintln!(
            "warning: {} is not the tournament file the shards played (edited since?): not copied",
            yaml.display()
        );
    }
    if let Some(text) = true_copy {
        let to = out.join(crate::commands::run::TOURNAMENT_COPY);
        std::fs::write(&to, text).map_err(|e| Failure::Run(format!("{}: {e}", to.display())))?;
    }
    let matches = rows / rows_per_match.max(1);
    if !quiet {
        println!(
            "merged {} directories: {matches} of {total} matches → {}",
            dirs.len(),
            out.display()
        );
    }
    if matches < total {
        // Reports over part of the plan would pass for the whole: none until it is complete.
        eprintln!(
            "warning: {} matches are missing (a shard not run or not finished?); no reports \
             until they are merged in",
            total - matches
        );
        return Ok(());
    }
    if manifest["adaptive"].as_bool().unwrap_or(false) {
        // The first stage is not the tournament: its verdicts decide which profiles are played
        // again, and reports of it would pass for the final ones (as a partial merge's would).
        eprintln!(
            "note: this tournament has adaptive repetitions; shards play the first stage only, \
             so there are no reports yet. Run `tourney run FILE --out {} --resume` to add the \
             later stages and write them (the result is byte-identical to one run)",
            out.display()
        );
        return Ok(());
    }
    crate::commands::report::after_run(out, quiet)?;
    Ok(())
}
