//! `tourney validate FILE…`: check tournament files (types, values, plugins) without running.
//! `tourney schema`: a JSON Schema of the tournament format, for editors.

use crate::tournament_io::{load, load_plugins};
use crate::Failure;
use std::path::PathBuf;

pub fn run(files: &[PathBuf], check_plugins: bool) -> Result<(), Failure> {
    let mut first_error = None;
    for f in files {
        let result = load(f).and_then(|l| {
            if check_plugins {
                load_plugins(&l, true).map(|_| l)
            } else {
                Ok(l)
            }
        });
        match result {
            Ok(l) => {
                let n = tourney_engine::tournament::plan::plan(&l.config).len();
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
