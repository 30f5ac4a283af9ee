//! Loading tournaments (YAML + plugins) and writing their outputs (raw table as CSV and
//! Parquet, manifest, journal). Shared by `run`, `validate` and `merge`.

use crate::input::{parse_yaml, read_input, semantic, InputError};
use polars::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tourney_engine::plugin::{resolve_with, PluginLibrary, PluginSource};
use tourney_engine::tournament::config::{Format, TournamentConfig};
use tourney_engine::tournament::roles::Plays;
use tourney_engine::tournament::rows::{Cell, ColumnType, RawRow, COLUMNS};
use tourney_engine::tournament::EntrantFactory;
use tourney_sdk::{Params, Strategy};

/// A parsed, validated tournament file.
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub config: TournamentConfig,
}

/// Read and validate a tournament file (types, then semantics), with located errors.
pub fn load(path: &Path) -> Result<Loaded, InputError> {
    load_text(path, read_input(path)?)
}

/// [`load`] of a tournament file's text already read (with `input::read_input`, which a caller
/// that places a missing file's error elsewhere calls itself: `search`).
pub fn load_text(path: &Path, text: String) -> Result<Loaded, InputError> {
    let mut config: TournamentConfig = parse_yaml(path, &text)?;
    config
        .prepare()
        .and_then(|()| config.validate())
        .map_err(|e| semantic(path, &text, &e.field, &e.message))?;
    Ok(Loaded {
        path: path.to_path_buf(),
        text,
        config,
    })
}

/// Where an entrant's plugin comes from; crate directories are relative to the YAML file.
pub fn source_of(loaded: &Loaded, k: usize) -> PluginSource {
    let e = &loaded.config.entrants[k];
    let base = loaded.path.parent().unwrap_or(Path::new("."));
    if let Some(dir) = &e.crate_dir {
        PluginSource::Crate(base.join(dir))
    } else {
        let p = e.plugin.clone().unwrap_or_default();
        match PluginSource::guess(&p) {
            PluginSource::Path(path) if path.is_relative() && !path.exists() => {
                PluginSource::Path(base.join(path))
            }
            other => other,
        }
    }
}

/// Plugins for every entrant, with their parameters. Each instance is created per match.
pub struct PluginFactory {
    pub libraries: Vec<PluginLibrary>,
    pub params: Vec<Params>,
}

impl EntrantFactory for PluginFactory {
    fn create(&self, index: usize, seed: u64) -> Result<Box<dyn Strategy>, String> {
        self.libraries[index]
            .instantiate(&self.params[index], seed)
            .map(|s| Box::new(s) as Box<dyn Strategy>)
            .map_err(|e| e.to_string())
    }
}

/// The field an entrant's plugin is named by (for located errors).
fn plugin_field(loaded: &Loaded, k: usize) -> String {
    let entry = loaded.config.entrant_field(k);
    if loaded.config.entrants[k].crate_dir.is_some() {
        format!("{entry}.crate")
    } else {
        format!("{entry}.plugin")
    }
}

/// Resolve every entrant's plugin to its library file (building crates where named) without
/// loading any. A missing plugin is bad input, reported at the entrant's line.
pub fn resolve_plugins(loaded: &Loaded, quiet: bool) -> Result<Vec<PathBuf>, InputError> {
    (0..loaded.config.entrants.len())
        .map(|k| {
            let source = source_of(loaded, k);
            if !quiet {
                if let PluginSource::Crate(dir) = &source {
                    eprintln!(
                        "building {} ({})",
                        loaded.config.entrants[k].display_name(),
                        dir.display()
                    );
                }
            }
            resolve_with(&source, quiet).map_err(|err| {
                semantic(
                    &loaded.path,
                    &loaded.text,
                    &plugin_field(loaded, k),
                    &err.to_string(),
                )
            })
        })
        .collect()
}

/// Load resolved libraries into this process (their manifests are read; nothing is created).
pub fn open_plugins(loaded: &Loaded, paths: &[PathBuf]) -> Result<Arc<PluginFactory>, InputError> {
    let mut libraries = Vec::new();
    for (k, path) in paths.iter().enumerate() {
        let lib = PluginLibrary::load(path).map_err(|err| {
            semantic(
                &loaded.path,
                &loaded.text,
                &plugin_field(loaded, k),
                &err.to_string(),
            )
        })?;
        libraries.push(lib);
    }
    let params = loaded
        .config
        .entrants
        .iter()
        .map(|e| e.sdk_params())
        .collect();
    Ok(Arc::new(PluginFactory { libraries, params }))
}

/// Create every entrant once with its parameters, in this process, so that a typo is bad
/// input rather than a column of errors.
pub fn check_in_process(loaded: &Loaded, factory: &PluginFactory) -> Result<(), InputError> {
    for (k, lib) in factory.libraries.iter().enumerate() {
        lib.instantiate(&factory.params[k], 0).map_err(|err| {
            semantic(
                &loaded.path,
                &loaded.text,
                &format!("{}.params", loaded.config.entrant_field(k)),
                &err.to_string(),
            )
        })?;
    }
    Ok(())
}

/// The same check in a worker process (and the loading before it), so that a plugin that
/// aborts or loops while being described or created is reported at its entrant, and the
/// caller lives on. A library that failed to load is reported at the entrant's `plugin` (or
/// `crate`), as [`open_plugins`] reports it in process (the worker's answer says which step
/// failed); a refused creation, a crash or a timeout at its `params` (a crash may have happened
/// in either step, and creating is where a plugin runs its code).
pub fn check_isolated(
    loaded: &Loaded,
    paths: &[PathBuf],
    limits: &crate::commands::worker::WorkerLimits,
) -> Result<(), InputError> {
    use crate::commands::worker::{check_in_worker, CheckStep};
    check_in_worker(&loaded.path, paths, limits).map_err(|(entrant, step, message)| match entrant {
        Some(k) => semantic(
            &loaded.path,
            &loaded.text,
            &if step == CheckStep::Load {
                plugin_field(loaded, k)
            } else {
                format!("{}.params", loaded.config.entrant_field(k))
            },
            &message,
        ),
        None => InputError {
            file: loaded.path.clone(),
            line: None,
            column: None,
            message,
        },
    })
}

/// A role's strategies must be able to play it (an owner cannot be the root holder): each
/// entrant's classifier role, read from its plugin's manifest, against its tournament role.
pub fn check_roles(loaded: &Loaded, factory: &PluginFactory) -> Result<(), InputError> {
    for (k, (e, lib)) in loaded
        .config
        .entrants
        .iter()
        .zip(&factory.libraries)
        .enumerate()
    {
        let Some((r, _)) = loaded.config.role_of_entrant(k) else {
            continue;
        };
        let role = &loaded.config.roles[r];
        let classifier = lib.info().classifier.role;
        if !role.plays.accepts(classifier) {
            return Err(semantic(
                &loaded.path,
                &loaded.text,
                &plugin_field(loaded, k),
                &format!(
                    "strategy `{}` is a {} (its classifier role) and cannot play role `{}`, \
                     whose players are {}s",
                    e.display_name(),
                    Plays::of(classifier).name(),
                    role.name,
                    role.plays.name()
                ),
            ));
        }
    }
    Ok(())
}

/// Why a round-robin or melee tournament's absolute payoffs mislead, if they do: its entrants
/// start with different capital, or play different classifier roles (a subnet owner is then
/// scored as if it could become a root holder). `None` when neither; role tournaments never.
pub fn unequal_stakes_warning(loaded: &Loaded, factory: &PluginFactory) -> Option<String> {
    let c = &loaded.config;
    if c.format == Format::Roles {
        return None;
    }
    let mut problems = Vec::new();
    let capital = |e: &tourney_engine::tournament::config::EntrantEntry| {
        e.capital_tao.unwrap_or(c.entrant_capital_tao)
    };
    let mut capitals: Vec<(f64, Vec<String>)> = Vec::new();
    for e in &c.entrants {
        match capitals.iter_mut().find(|(x, _)| *x == capital(e)) {
            Some((_, names)) => names.push(e.display_name()),
            None => capitals.push((capital(e), vec![e.display_name()])),
        }
    }
    if capitals.len() > 1 {
        let groups: Vec<String> = capitals
            .iter()
            .map(|(x, names)| format!("{} with {x} TAO", names.join(", ")))
            .collect();
        problems.push(format!(
            "entrants start with different capital ({})",
            groups.join("; ")
        ));
    }
    let mut kinds: Vec<(Plays, Vec<String>)> = Vec::new();
    for (e, lib) in c.entrants.iter().zip(&factory.libraries) {
        let kind = Plays::of(lib.info().classifier.role);
        match kinds.iter_mut().find(|(x, _)| *x == kind) {
            Some((_, names)) => names.push(e.display_name()),
            None => kinds.push((kind, vec![e.display_name()])),
        }
    }
    if kinds.len() > 1 {
        let groups: Vec<String> = kinds
            .iter()
            .map(|(k, names)| format!("{}: {}", k.name(), names.join(", ")))
            .collect();
        problems.push(format!(
            "entrants play different roles ({})",
            groups.join("; ")
        ));
    }
    (!problems.is_empty()).then(|| {
        format!(
            "warning: {}: {}, so its {} payoffs compare unlike players (read ROI beside \
             profit); `format: roles` compares strategies only within a role (docs/roles.md)",
            loaded.path.display(),
            problems.join(", and "),
            c.format.name()
        )
    })
}

/// FNV-1a 64 of some bytes, hex: a content fingerprint for the manifest (not cryptographic).
pub fn fingerprint(bytes: &[u8]) -> String {
    hex(tourney_engine::tournament::journal::fnv1a64(bytes))
}

/// A fingerprint's 16 hex digits.
fn hex(hash: u64) -> String {
    format!("{hash:016x}")
}

/// One entrant's plugin build, as the manifest records it: the manifest's name, version and
/// build id, and a fingerprint of the library file's bytes.
pub fn plugin_build(lib: &PluginLibrary) -> [String; 4] {
    let info = lib.info();
    let file = lib.file_fnv1a64().map(hex).unwrap_or_default();
    [
        info.name.clone(),
        info.version.clone(),
        info.build_id.clone(),
        file,
    ]
}

/// The fingerprint of the math library this process computes with
/// ([`tourney_engine::math_bits`]): results of machines whose fingerprints differ must not be
/// mixed.
pub fn math_fingerprint() -> String {
    hex(tourney_engine::math_bits::fingerprint())
}

/// The tournament's fingerprint: its YAML text, every entrant's plugin build and the math
/// library's fingerprint. The journal carries it, so `--resume` never mixes rows of another
/// tournament (another seed, another file, a rebuilt plugin), or rows computed on a machine
/// whose math library gives other bits, into this one.
pub fn tournament_fingerprint(loaded: &Loaded, factory: &PluginFactory) -> String {
    let mut text = fingerprint(loaded.text.as_bytes());
    text.push('\n');
    text.push_str(&math_fingerprint());
    for lib in &factory.libraries {
        for part in plugin_build(lib) {
            text.push('\n');
            text.push_str(&part);
        }
    }
    fingerprint(text.as_bytes())
}

/// The raw table as a polars DataFrame (typed columns, stable order). Built a column at a
/// time from the rows (no table of cells beside them: the raw-table writer calls this for
/// every row group).
pub fn raw_frame(rows: &[RawRow]) -> PolarsResult<DataFrame> {
    // A column's cells all have the type `COLUMNS` declares for it (both come from the row's
    // field types), so the fallbacks below never occur.
    let columns = COLUMNS.iter().enumerate().map(|(k, &(name, ty))| {
        let name = name.into();
        let values = rows.iter().map(move |r| r.cells()[k]);
        match ty {
            ColumnType::Str => Column::new(
                name,
                rows.iter()
                    .map(|r| match r.cells()[k] {
                        Cell::Str(s) => s,
                        _ => "",
                    })
                    .collect::<Vec<_>>(),
            ),
            ColumnType::U32 => Column::new(
                name,
                values
                    .map(|c| if let Cell::U32(x) = c { x } else { 0 })
                    .collect::<Vec<_>>(),
            ),
            ColumnType::U64 => Column::new(
                name,
                values
                    .map(|c| if let Cell::U64(x) = c { x } else { 0 })
                    .collect::<Vec<_>>(),
            ),
            ColumnType::F64 => Column::new(
                name,
                values
                    .map(|c| if let Cell::F64(x) = c { x } else { f64::NAN })
                    .collect::<Vec<_>>(),
            ),
        }
    });
    DataFrame::new_infer_height(columns.collect())
}
