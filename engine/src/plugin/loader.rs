//! Finding, building, loading and checking plugin libraries.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use tourney_sdk::abi::{
    EntryFn, FfiAction, FfiObservation, FfiParam, FfiSubnetView, PluginManifest, ABI_VERSION,
    ENTRY_SYMBOL,
};
use tourney_sdk::{Classifier, Params, StrategyInfo};

use super::{PluginError, PluginStrategy};

/// What the manifest says, copied into owned strings once at load.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginManifestInfo {
    pub abi_version: u32,
    pub name: String,
    pub version: String,
    pub crate_name: String,
    pub sdk_version: String,
    pub build_id: String,
    pub classifier: Classifier,
}

/// A loaded, checked plugin library. Cheap to copy: it points into the process-wide registry,
/// where the library lives until the process ends.
#[derive(Clone, Copy, Debug)]
pub struct PluginLibrary {
    loaded: &'static Loaded,
}

#[derive(Debug)]
struct Loaded {
    path: PathBuf,
    manifest: &'static PluginManifest,
    info: PluginManifestInfo,
    /// FNV-1a of the file's bytes, read the first time it is asked for ([`PluginLibrary::file_fnv1a64`]).
    file_hash: OnceLock<Option<u64>>,
}

/// Loaded libraries by canonical path. Entries are never removed: unloading a library whose
/// function pointers may still be held somewhere is how hosts crash.
fn registry() -> &'static Mutex<HashMap<PathBuf, &'static Loaded>> {
    static REGISTRY: OnceLock<Mutex<HashMap<PathBuf, &'static Loaded>>> = OnceLock::new();
    REGISTRY.get_or_init(|| Mutex::new(HashMap::new()))
}

/// How a plugin is named in a tournament or on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PluginSource {
    /// A library file.
    Path(PathBuf),
    /// A crate (package) name, looked up on the search path.
    Name(String),
    /// A crate directory, built with cargo first.
    Crate(PathBuf),
}

impl PluginSource {
    /// Guess from one string: an existing directory is a crate (building it says so when it
    /// has no `Cargo.toml`), an existing file (or anything ending in the platform's library
    /// suffix) a path, anything else a name.
    pub fn guess(spec: &str) -> PluginSource {
        let p = Path::new(spec);
        if p.is_dir() {
            PluginSource::Crate(p.to_path_buf())
        } else if p.is_file() || spec.ends_with(std::env::consts::DLL_SUFFIX) {
            PluginSource::Path(p.to_path_buf())
        } else {
            PluginSource::Name(spec.to_string())
        }
    }
}

/// The library file name of crate `name` on this platform: `lib<name with - as _>.so` on Linux.
pub fn file_name_for(name: &str) -> String {
    format!(
        "{}{}{}",
        std::env::consts::DLL_PREFIX,
        name.replace('-', "_"),
        std::env::consts::DLL_SUFFIX
    )
}

/// Where names are looked up, in order: each entry of `TOURNEY_PLUGIN_PATH`; then
/// `$CARGO_TARGET_DIR/{release,debug}` if set; then `target/{release,debug}` under the current
/// directory and each of its ancestors (so it works from anywhere in the workspace); then the
/// directory of the running executable (and its parent when that is a `deps` directory, where
/// cargo puts test binaries), which finds plugins built beside the `tourney` binary.
pub fn default_search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(paths) = std::env::var_os("TOURNEY_PLUGIN_PATH") {
        dirs.extend(std::env::split_paths(&paths).filter(|p| !p.as_os_str().is_empty()));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        let target = PathBuf::from(target);
        dirs.push(target.join("release"));
        dirs.push(target.join("debug"));
    }
    if let Ok(cwd) = std::env::current_dir() {
        for dir in cwd.ancestors() {
            dirs.push(dir.join("target").join("release"));
            dirs.push(dir.join("target").join("debug"));
        }
    }
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        if exe_dir.file_name().is_some_and(|n| n == "deps") {
            if let Some(parent) = exe_dir.parent() {
                dirs.push(parent.to_path_buf());
            }
        }
        dirs.push(exe_dir);
    }
    let mut seen = std::collections::HashSet::new();
    dirs.retain(|d| seen.insert(d.clone()));
    dirs
}

/// Find the library of crate `name` in `dirs`.
pub fn find_in(name: &str, dirs: &[PathBuf]) -> Result<PathBuf, PluginError> {
    let file = file_name_for(name);
    dirs.iter()
        .map(|d| d.join(&file))
        .find(|p| p.is_file())
        .ok_or_else(|| PluginError::NotFound {
            name: name.to_string(),
            file: file.clone(),
            searched: dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Build the crate in `dir` with `cargo build --release` and return its `cdylib` artefact.
/// Cargo's progress goes to our stderr; its JSON messages on stdout name the artefact, which
/// works whatever the target directory (workspace member, `CARGO_TARGET_DIR`, config).
pub fn build_crate(dir: &Path) -> Result<PathBuf, PluginError> {
    build_crate_with(dir, false)
}

/// The crates this process has built, by canonical directory: each is built once per process.
fn built() -> &'static Mutex<HashMap<PathBuf, PathBuf>> {
    static BUILT: OnceLock<Mutex<HashMap<PathBuf, PathBuf>>> = OnceLock::new();
    BUILT.get_or_init(|| Mutex::new(HashMap::new()))
}

/// [`build_crate`]; with `quiet`, cargo runs with `--quiet`: no `Compiling …`/`Finished …`
/// lines, while compiler errors and warnings still reach stderr.
///
/// A crate is built once per process: a search or a batch plays many tournaments naming the
/// same crates, and asking cargo again costs about 0.15 s a crate even when nothing changed (a
/// third of a small search's time). It also keeps one build for the whole run: a crate edited
/// meanwhile is not rebuilt under it (its library, once loaded, stays the one this process
/// runs, and the journals' fingerprints name it).
pub fn build_crate_with(dir: &Path, quiet: bool) -> Result<PathBuf, PluginError> {
    let key = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    if let Some(lib) = built().lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(lib.clone());
    }
    let lib = run_cargo_build(dir, quiet)?;
    built()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, lib.clone());
    Ok(lib)
}

/// `cargo build --release` of the crate in `dir`: its `cdylib` artefact.
fn run_cargo_build(dir: &Path, quiet: bool) -> Result<PathBuf, PluginError> {
    let manifest = dir.join("Cargo.toml");
    let build_err = |reason: String| PluginError::Build {
        dir: dir.display().to_string(),
        reason,
    };
    if !manifest.is_file() {
        return Err(build_err("no Cargo.toml there".into()));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--release",
            "--message-format",
            "json-render-diagnostics",
        ])
        .args(quiet.then_some("--quiet"))
        .arg("--manifest-path")
        .arg(&manifest)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| build_err(format!("could not run cargo: {e}")))?;
    if !output.status.success() {
        return Err(build_err(format!(
            "cargo build failed ({}); see its messages above",
            output.status
        )));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let manifest_abs = manifest.canonicalize().unwrap_or(manifest.clone());
    let mut found = Vec::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let is_cdylib = msg["target"]["kind"]
            .as_array()
            .is_some_and(|k| k.iter().any(|x| x == "cdylib"));
        let same_manifest = msg["manifest_path"]
            .as_str()
            .map(|m| Path::new(m).canonicalize().ok() == Some(manifest_abs.clone()))
            .unwrap_or(false);
        if !is_cdylib || !same_manifest {
            continue;
        }
        if let Some(files) = msg["filenames"].as_array() {
            found.extend(
                files
                    .iter()
                    .filter_map(|f| f.as_str())
                    .filter(|f| f.ends_with(std::env::consts::DLL_SUFFIX))
                    .map(PathBuf::from),
            );
        }
    }
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(build_err(
            "cargo built no cdylib; add `[lib] crate-type = [\"cdylib\", \"rlib\"]` to Cargo.toml"
                .into(),
        )),
        _ => Err(build_err(format!("several cdylibs were built: {found:?}"))),
    }
}

/// Resolve a [`PluginSource`] to a library file (building a crate if need be).
pub fn resolve(source: &PluginSource) -> Result<PathBuf, PluginError> {
    resolve_with(source, false)
}

/// [`resolve`], building crates quietly when `quiet` (see [`build_crate_with`]).
pub fn resolve_with(source: &PluginSource, quiet: bool) -> Result<PathBuf, PluginError> {
    match source {
        PluginSource::Path(p) => Ok(p.clone()),
        PluginSource::Name(n) => find_in(n, &default_search_dirs()),
        PluginSource::Crate(dir) => build_crate_with(dir, quiet),
    }
}

/// An error with its causes: libloading's own text is only "dlopen failed"; the reason
/// (dlerror's text: "invalid ELF header", "file too short", "Is a directory") is its source.
fn with_sources(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl PluginLibrary {
    /// Load a library file and check its manifest. Loading the same file twice returns the
    /// same library.
    pub fn load(path: impl AsRef<Path>) -> Result<PluginLibrary, PluginError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let canonical = path.canonicalize().map_err(|e| PluginError::NotALibrary {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let mut registry = registry().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(loaded) = registry.get(&canonical) {
            return Ok(PluginLibrary { loaded });
        }
        // SAFETY: loading a library runs its initialisers. Rust cdylibs have none of note;
        // loading arbitrary native code is inherently trusting it, as running a plugin is.
        let library = unsafe { libloading::Library::new(&canonical) }.map_err(|e| {
            PluginError::NotALibrary {
                path: shown.clone(),
                reason: with_sources(&e),
            }
        })?;
        // Never unloaded: see the module docs.
        let library: &'static libloading::Library = Box::leak(Box::new(library));
        // SAFETY: the symbol's type is fixed by the ABI for this symbol name.
        let entry: EntryFn = unsafe { library.get::<EntryFn>(ENTRY_SYMBOL.as_bytes()) }
            .map(|s| *s)
            .map_err(|_| PluginError::NotAPlugin {
                path: shown.clone(),
                symbol: ENTRY_SYMBOL.to_string(),
            })?;
        // SAFETY: the entry takes nothing and returns a pointer to a static manifest.
        let manifest_ptr = unsafe { entry() };
        if manifest_ptr.is_null() {
            return Err(PluginError::InvalidManifest {
                path: shown,
                reason: "the entry returned a null manifest".into(),
            });
        }
        // Read the frozen prefix first: a different version may lay out the rest differently.
        // SAFETY: every version starts with these two u32 fields.
        let (abi_version, manifest_size) = unsafe {
            let prefix = manifest_ptr as *const u32;
            (prefix.read(), prefix.add(1).read())
        };
        if abi_version != ABI_VERSION {
            return Err(PluginError::AbiVersionMismatch {
                path: shown,
                found: abi_version,
                expected: ABI_VERSION,
            });
        }
        check_size(
            &shown,
            "manifest",
            manifest_size,
            size_of::<PluginManifest>(),
        )?;
        // SAFETY: version and size match ours, and the manifest is 'static in a leaked library.
        let manifest: &'static PluginManifest = unsafe { &*manifest_ptr };
        check_size(
            &shown,
            "observation",
            manifest.observation_size,
            size_of::<FfiObservation>(),
        )?;
        check_size(
            &shown,
            "subnet view",
            manifest.subnet_view_size,
            size_of::<FfiSubnetView>(),
        )?;
        check_size(
            &shown,
            "action",
            manifest.action_size,
            size_of::<FfiAction>(),
        )?;
        check_size(&shown, "param", manifest.param_size, size_of::<FfiParam>())?;
        // SAFETY: the manifest's strings are static in the plugin.
        let text = |s: &tourney_sdk::abi::FfiStr| unsafe { s.to_str_lossy() }.into_owned();
        let describe_error = text(&manifest.describe_error);
        if !describe_error.is_empty() {
            return Err(PluginError::InvalidManifest {
                path: shown,
                reason: describe_error,
            });
        }
        let classifier =
            manifest
                .classifier
                .to_classifier()
                .ok_or_else(|| PluginError::InvalidManifest {
                    path: shown.clone(),
                    reason: format!("unknown role code {}", manifest.classifier.role),
                })?;
        let info = PluginManifestInfo {
            abi_version,
            name: text(&manifest.name),
            version: text(&manifest.version),
            crate_name: text(&manifest.crate_name),
            sdk_version: text(&manifest.sdk_version),
            build_id: text(&manifest.build_id),
            classifier,
        };
        let loaded: &'static Loaded = Box::leak(Box::new(Loaded {
            path: canonical.clone(),
            manifest,
            info,
            file_hash: OnceLock::new(),
        }));
        registry.insert(canonical, loaded);
        Ok(PluginLibrary { loaded })
    }

    /// Load crate `name`'s library from the search path ([`default_search_dirs`]).
    pub fn load_by_name(name: &str) -> Result<PluginLibrary, PluginError> {
        Self::load(find_in(name, &default_search_dirs())?)
    }

    /// Build the crate in `dir` and load its library.
    pub fn load_crate(dir: impl AsRef<Path>) -> Result<PluginLibrary, PluginError> {
        Self::load(build_crate(dir.as_ref())?)
    }

    /// Load from any [`PluginSource`].
    pub fn load_source(source: &PluginSource) -> Result<PluginLibrary, PluginError> {
        Self::load(resolve(source)?)
    }

    /// [`PluginLibrary::load_source`], building a crate without cargo's progress lines when
    /// `quiet`.
    pub fn load_source_with(
        source: &PluginSource,
        quiet: bool,
    ) -> Result<PluginLibrary, PluginError> {
        Self::load(resolve_with(source, quiet)?)
    }

    /// A new strategy instance with these parameters and this seed.
    pub fn instantiate(&self, params: &Params, seed: u64) -> Result<PluginStrategy, PluginError> {
        PluginStrategy::create(*self, params, seed)
    }

    pub fn info(&self) -> &'static PluginManifestInfo {
        &self.loaded.info
    }

    /// The canonical path of the library file.
    pub fn path(&self) -> &'static Path {
        &self.loaded.path
    }

    /// FNV-1a 64 of the library file's bytes (`None` if it cannot be read), read once per
    /// process: every tournament a search plays fingerprints its plugins, and a library, once
    /// loaded, is the one this process runs whatever happens to the file later.
    pub fn file_fnv1a64(&self) -> Option<u64> {
        *self.loaded.file_hash.get_or_init(|| {
            std::fs::read(&self.loaded.path)
                .ok()
                .map(|bytes| crate::tournament::journal::fnv1a64(&bytes))
        })
    }

    pub(crate) fn manifest(&self) -> &'static PluginManifest {
        self.loaded.manifest
    }

    /// The [`StrategyInfo`] its instances report.
    pub fn strategy_info(&self) -> StrategyInfo {
        let i = self.info();
        StrategyInfo {
            name: i.name.clone(),
            version: i.version.clone(),
            classifier: i.classifier,
        }
    }
}

fn check_size(
    path: &str,
    record: &'static str,
    found: u32,
    expected: usize,
) -> Result<(), PluginError> {
    if found as usize == expected {
        Ok(())
    } else {
        Err(PluginError::StructSizeMismatch {
            path: path.to_string(),
            record,
            found,
            expected: expected as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_follow_cargo() {
        if cfg!(target_os = "linux") {
            assert_eq!(file_name_for("meme-farmer"), "libmeme_farmer.so");
        }
    }

    #[test]
    fn a_missing_name_lists_where_it_looked() {
        let err = find_in("no-such-plugin", &[PathBuf::from("/nonexistent/a")]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("/nonexistent/a"), "{text}");
        assert!(text.contains(&file_name_for("no-such-plugin")), "{text}");
    }

    #[test]
    fn a_file_that_is_not_a_library_is_an_error_not_a_crash() {
        let dir = std::env::temp_dir().join(format!("tourney-plugin-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fake = dir.join(file_name_for("fake"));
        std::fs::write(&fake, b"not an ELF file").unwrap();
        let err = PluginLibrary::load(&fake).unwrap_err();
        assert!(matches!(err, PluginError::NotALibrary { .. }), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn guessing_a_source() {
        assert_eq!(
            PluginSource::guess("meme-farmer"),
            PluginSource::Name("meme-farmer".into())
        );
        let lib = format!("x/{}", file_name_for("foo"));
        assert_eq!(
            PluginSource::guess(&lib),
            PluginSource::Path(lib.clone().into())
        );
        let here = env!("CARGO_MANIFEST_DIR");
        assert_eq!(PluginSource::guess(here), PluginSource::Crate(here.into()));
    }
}
