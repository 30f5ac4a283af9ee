//! `tourney simulate FILE.yaml [--out series.csv]`: one match with scripted agents and the
//! background economy only.

use crate::input::{read_yaml, semantic};
use crate::Failure;
use std::path::Path;
use tourney_engine::{run_match, run_match_with_series, MatchConfig, MatchError, SeriesFile};

pub fn run(file: &Path, out: Option<&Path>, every: Option<u64>) -> Result<(), Failure> {
    let (mut config, text): (MatchConfig, String) = read_yaml(file).map_err(Failure::Input)?;
    if out.is_some() && config.series_interval_blocks == 0 {
        config.series_interval_blocks = every.unwrap_or(360);
    }
    if let Some(every) = every {
        config.series_interval_blocks = every;
    }
    let refused = |e: tourney_engine::ConfigError| {
        Failure::Input(semantic(file, &text, &e.field, &e.message))
    };
    // Refused before any file is made.
    config.validate().map_err(refused)?;
    // The series streams to its file as the match plays (a temporary file renamed into place
    // at the end): a month sampled every block is millions of rows, never held in memory.
    // `--out` may name a device or a pipe (`/dev/stdout`), written straight through, or a link,
    // followed: neither is replaced (`tourney_engine::series::Destination`).
    let mut series = match out {
        Some(path) => {
            let cannot =
                |e: std::io::Error| Failure::Run(format!("cannot write {}: {e}", path.display()));
            // Like `run --out`: the folder is created if it is missing.
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(cannot)?;
            }
            Some((path, SeriesFile::create(path).map_err(cannot)?))
        }
        None => {
            // Nothing would be written: nothing to sample.
            config.series_interval_blocks = 0;
            None
        }
    };
    let played = match series.as_mut() {
        Some((_, sink)) => run_match_with_series(&config, Vec::new(), sink),
        None => run_match(&config, Vec::new()),
    };
    let outcome = match played {
        Ok(o) => o,
        Err(MatchError::Config(e)) => return Err(refused(e)),
        Err(MatchError::Series(e)) => {
            let path = out.unwrap_or(Path::new("the series"));
            return Err(Failure::Run(format!(
                "cannot write {}: {e}",
                path.display()
            )));
        }
        Err(e) => return Err(Failure::Run(e.to_string())),
    };
    let n = &outcome.network;
    println!(
        "{}: {} on {} for {} blocks ({:.2} days), seed {}",
        file.display(),
        config.mechanism,
        config.schedule.label(),
        outcome.blocks,
        outcome.blocks as f64 / 7200.0,
        config.seed
    );
    println!("emission to subnets     {:>14.3} TAO", n.emission_total_tao);
    println!(
        "  value / meme / off-topic / idle  {:.3} / {:.3} / {:.3} / {:.3}",
        n.emission_value_share,
        n.emission_meme_share,
        n.emission_offtopic_share,
        n.emission_idle_share
    );
    println!("value created           {:>14.3} TAO", n.value_created_tao);
    println!("value per TAO emitted   {:>14.3}", n.value_per_tao_emitted);
    println!("peak meme share         {:>14.3}", n.peak_meme_share);
    println!("largest crash           {:>14.3}", n.largest_crash);
    for a in &outcome.agents {
        println!(
            "agent {:<20} worth {:>14.3} TAO (free {:.3}, root {:.3})",
            a.name, a.worth_tao, a.free_tao, a.root_stake_tao
        );
    }
    if !outcome.rejections.is_empty() {
        println!("{} rejected actions:", outcome.rejections.len());
        for r in outcome.rejections.iter().take(20) {
            println!("  block {} {} {}: {}", r.block, r.agent, r.action, r.reason);
        }
    }
    if let Some((path, sink)) = series {
        let rows = sink
            .finish()
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))?;
        println!("series: {rows} rows → {}", path.display());
    }
    Ok(())
}
