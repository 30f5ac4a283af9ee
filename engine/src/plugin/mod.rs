//! Strategies loaded at run time from `cdylib` plugins (the ABI is `tourney_sdk::abi`).
//!
//! [`PluginLibrary`] loads and checks a library (by path, by name on a search path, or by
//! building a crate directory); [`PluginLibrary::instantiate`] makes a [`PluginStrategy`], which
//! implements [`tourney_sdk::Strategy`] so that the match loop treats it exactly like a
//! statically linked strategy.
//!
//! Nothing a plugin does may crash the host: a panic inside it is caught on its side of the
//! boundary and comes back as a status code; undecodable action records are dropped and
//! reported. After a failed decision the instance is *faulted*: it produces no more actions and
//! [`PluginStrategy::take_fault`] (or [`Strategy::take_faults`]) tells the engine to forfeit it.
//!
//! Libraries are never unloaded (they are leaked in a process-wide registry keyed by canonical
//! path), so function pointers and manifest strings never dangle. One consequence: a process
//! sees the first build of a library it loaded; rebuilding a crate mid-process changes nothing.

mod loader;

pub use loader::{
    build_crate, build_crate_with, default_search_dirs, file_name_for, resolve, resolve_with,
    PluginLibrary, PluginManifestInfo, PluginSource,
};

use std::ffi::c_void;

use tourney_sdk::abi::{
    params_to_ffi, status, FfiAction, FfiMessage, FfiObservation, FfiStr, FfiSubnetView,
    InvalidRecord, PluginManifest,
};
use tourney_sdk::{Action, Observation, Params, Strategy, StrategyFault, StrategyInfo};

/// Why a plugin could not be found, loaded or instantiated.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("no plugin named `{name}`: looked for {file} in {searched}; build it (`cargo build --release -p {name}`) or add its directory to TOURNEY_PLUGIN_PATH")]
    NotFound {
        name: String,
        file: String,
        searched: String,
    },
    #[error("{path}: not a loadable library: {reason}")]
    NotALibrary { path: String, reason: String },
    #[error("{path}: not a tourney plugin (no `{symbol}` symbol); did the crate call `tourney_sdk::export_strategy!` and build as a cdylib?")]
    NotAPlugin { path: String, symbol: String },
    #[error("{path}: plugin speaks ABI version {found}, this engine speaks {expected}; rebuild the plugin against this tourney-sdk")]
    AbiVersionMismatch {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("{path}: the plugin's {record} record is {found} bytes, this engine's is {expected}; rebuild the plugin against this tourney-sdk")]
    StructSizeMismatch {
        path: String,
        record: &'static str,
        found: u32,
        expected: u32,
    },
    #[error("{path}: invalid manifest: {reason}")]
    InvalidManifest { path: String, reason: String },
    #[error("plugin `{plugin}` panicked in {during}: {message}")]
    Panicked {
        plugin: String,
        during: &'static str,
        message: String,
    },
    #[error("plugin `{plugin}` refused its parameters: {message}")]
    CreateFailed { plugin: String, message: String },
    #[error("plugin `{plugin}` failed in {during} ({status}): {message}")]
    Failed {
        plugin: String,
        during: &'static str,
        status: &'static str,
        message: String,
    },
    #[error("building {dir}: {reason}")]
    Build { dir: String, reason: String },
}

/// Why a plugin instance stopped playing. The engine turns this into a forfeit.
#[derive(Clone, Debug, PartialEq)]
pub enum PluginFault {
    /// The strategy panicked inside `decide` (the message is its panic message).
    Panicked {
        plugin: String,
        block: u64,
        message: String,
    },
    /// `decide` returned another error code.
    Failed {
        plugin: String,
        block: u64,
        status: &'static str,
        message: String,
    },
}

impl std::fmt::Display for PluginFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PluginFault::Panicked {
                plugin,
                block,
                message,
            } => write!(f, "plugin `{plugin}` panicked at block {block}: {message}"),
            PluginFault::Failed {
                plugin,
                block,
                status,
                message,
            } => write!(
                f,
                "plugin `{plugin}` failed at block {block} ({status}): {message}"
            ),
        }
    }
}

/// An action record the host dropped at one decision.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedRecord {
    pub block: u64,
    pub reason: String,
}

/// How many action records a decision may return; the excess is dropped and recorded as
/// rejected. 32 subnets × a few actions each fits many times over.
pub const ACTION_CAPACITY: usize = 1024;

/// One instance of a plugin strategy.
pub struct PluginStrategy {
    library: PluginLibrary,
    handle: *mut c_void,
    info: StrategyInfo,
    /// Reused between decisions: no allocation once warm.
    subnet_buf: Vec<FfiSubnetView>,
    action_buf: Vec<FfiAction>,
    fault: Option<PluginFault>,
    /// Set once a decision failed; stays set (the instance may be in any state).
    faulted: bool,
    fault_reported: bool,
    rejected: Vec<RejectedRecord>,
}

// SAFETY: the handle is an owned `Box<Instance<S>>` inside the plugin where `S: Send` (the SDK's
// `Strategy: Send` bound), and it is only ever used through `&mut self`.
unsafe impl Send for PluginStrategy {}

impl PluginStrategy {
    pub(crate) fn create(
        library: PluginLibrary,
        params: &Params,
        seed: u64,
    ) -> Result<PluginStrategy, PluginError> {
        let manifest = library.manifest();
        let records = params_to_ffi(params);
        let mut handle: *mut c_void = std::ptr::null_mut();
        let mut error = FfiMessage::EMPTY;
        // SAFETY: the manifest was checked at load; `records` borrows `params`, alive for the
        // call; `handle` and `error` are valid places to write.
        let code = unsafe {
            (manifest.create)(
                records.as_ptr(),
                records.len(),
                seed,
                &mut handle,
                &mut error,
            )
        };
        let message = take_message(manifest, error);
        let plugin = library.info().name.clone();
        match code {
            status::OK if !handle.is_null() => Ok(PluginStrategy {
                info: library.strategy_info(),
                library,
                handle,
                subnet_buf: Vec::new(),
                action_buf: vec![FfiAction::default(); ACTION_CAPACITY],
                fault: None,
                faulted: false,
                fault_reported: false,
                rejected: Vec::new(),
            }),
            status::OK => Err(PluginError::Failed {
                plugin,
                during: "create",
                status: "ok without a handle",
                message,
            }),
            status::PANICKED => Err(PluginError::Panicked {
                plugin,
                during: "create",
                message,
            }),
            status::CREATE_FAILED => Err(PluginError::CreateFailed { plugin, message }),
            other => Err(PluginError::Failed {
                plugin,
                during: "create",
                status: status::name(other),
                message,
            }),
        }
    }

    /// The library this instance comes from.
    pub fn library(&self) -> &PluginLibrary {
        &self.library
    }

    /// The fault that stopped this instance, once (later calls return `None`).
    pub fn take_fault(&mut self) -> Option<PluginFault> {
        self.fault.take()
    }

    /// Whether a decision failed: the instance plays no more.
    pub fn is_faulted(&self) -> bool {
        self.faulted
    }

    /// The action records dropped since the last call.
    pub fn take_rejected(&mut self) -> Vec<RejectedRecord> {
        std::mem::take(&mut self.rejected)
    }
}

/// Copy a plugin-allocated message and give it back to the plugin's allocator.
fn take_message(manifest: &PluginManifest, message: FfiMessage) -> String {
    if message.ptr.is_null() {
        return String::new();
    }
    // SAFETY: the plugin wrote `len` bytes at `ptr` and keeps them until `free`.
    let text = unsafe {
        FfiStr {
            ptr: message.ptr,
            len: message.len,
        }
        .to_str_lossy()
    }
    .into_owned();
    // SAFETY: freed once, by the library that allocated it.
    unsafe { (manifest.free)(message) };
    text
}

impl Strategy for PluginStrategy {
    fn info(&self) -> StrategyInfo {
        self.info.clone()
    }

    fn decide(&mut self, observation: &Observation, actions: &mut Vec<Action>) {
        if self.faulted {
            return;
        }
        let manifest = self.library.manifest();
        let ffi = FfiObservation::borrow(observation, &mut self.subnet_buf);
        let mut len = 0usize;
        let mut error = FfiMessage::EMPTY;
        // SAFETY: `handle` is live (destroyed only in Drop); `ffi` borrows `subnet_buf` and
        // `observation`, both alive for the call; the action buffer has `len()` records.
        let code = unsafe {
            (manifest.decide)(
                self.handle,
                &ffi,
                self.action_buf.as_mut_ptr(),
                self.action_buf.len(),
                &mut len,
                &mut error,
            )
        };
        let message = take_message(manifest, error);
        let block = observation.block;
        if code != status::OK {
            let plugin = self.info.name.clone();
            self.faulted = true;
            self.fault = Some(if code == status::PANICKED {
                PluginFault::Panicked {
                    plugin,
                    block,
                    message,
                }
            } else {
                PluginFault::Failed {
                    plugin,
                    block,
                    status: status::name(code),
                    message,
                }
            });
            return;
        }
        let written = len.min(self.action_buf.len());
        for record in &self.action_buf[..written] {
            match record.to_action() {
                Ok(action) => actions.push(action),
                Err(InvalidRecord { reason, .. }) => {
                    self.rejected.push(RejectedRecord { block, reason })
                }
            }
        }
        if len > written {
            self.rejected.push(RejectedRecord {
                block,
                reason: format!(
                    "{} actions beyond the limit of {} per decision were dropped",
                    len - written,
                    self.action_buf.len()
                ),
            });
        }
    }

    fn take_faults(&mut self) -> Vec<StrategyFault> {
        let mut faults: Vec<StrategyFault> = self
            .take_rejected()
            .into_iter()
            .map(|r| StrategyFault::RejectedAction {
                reason: format!("block {}: {}", r.block, r.reason),
            })
            .collect();
        if self.faulted && !self.fault_reported {
            self.fault_reported = true;
            let reason = match &self.fault {
                Some(f) => f.to_string(),
                None => format!("plugin `{}` faulted", self.info.name),
            };
            faults.push(StrategyFault::Forfeit { reason });
        }
        faults
    }
}

impl Drop for PluginStrategy {
    fn drop(&mut self) {
        // SAFETY: `handle` came from this library's `create` and is destroyed once. A panic in
        // the strategy's destructor is caught on the plugin's side; nothing to do about it here.
        unsafe { (self.library.manifest().destroy)(self.handle) };
    }
}

impl std::fmt::Debug for PluginStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginStrategy")
            .field("plugin", &self.info.name)
            .field("path", &self.library.path())
            .field("faulted", &self.faulted)
            .finish()
    }
}
