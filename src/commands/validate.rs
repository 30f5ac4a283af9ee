//! `tourney validate FILE…`: check tournament files (types, values, plugins) without running.
//! `tourney schema`: a JSON Schema of the tournament format, for editors.

use crate::tournament_io::{load, load_plugins, unequal_stakes_warning};
use crate::Failure;
use std::path::PathBuf;

pub fn run(files: &[PathBuf], check_plugins: bool) -> Result<(), Failure> {
    let mut first_error = None;
    for f in files {
        let result = load(f).and_then(|l| {
            if check_plugins {
                let factory = load_plugins(&l, true)?;
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
                    let (m, s, g, r) = tourney_engine::tournament::plan::shape(&l.config);
                    format!(", up to {} with adaptive repetitions", m * s * g * r)
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
