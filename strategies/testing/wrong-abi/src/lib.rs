//! A plugin whose manifest claims an ABI version this SDK does not speak, as a plugin built
//! against a future SDK would. The host must read the version, refuse the plugin and never call
//! its functions (whose signatures it cannot trust).

use tourney_sdk::abi::{manifest_for, PluginManifest, ABI_VERSION};
use tourney_sdk::{
    Action, Classifier, Observation, ParamError, Params, Role, Strategy, StrategyFactory,
    StrategyInfo,
};

/// Does nothing; it is never meant to be called.
pub struct FromTheFuture;

impl Strategy for FromTheFuture {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "wrong-abi".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }
    fn decide(&mut self, _: &Observation, _: &mut Vec<Action>) {}
}

impl StrategyFactory for FromTheFuture {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&[])?;
        Ok(FromTheFuture)
    }
}

/// The version this library claims.
pub const CLAIMED_ABI_VERSION: u32 = ABI_VERSION + 1;

/// The entry point, written by hand instead of by `export_strategy!` so that it can lie.
#[no_mangle]
pub extern "C" fn tourney_strategy_entry_v1() -> *const PluginManifest {
    static MANIFEST: std::sync::OnceLock<PluginManifest> = std::sync::OnceLock::new();
    MANIFEST.get_or_init(|| {
        let mut m =
            manifest_for::<FromTheFuture>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
        m.abi_version = CLAIMED_ABI_VERSION;
        m
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_claims_the_next_version() {
        // SAFETY: the entry returns a pointer to a static manifest.
        let m = unsafe { &*tourney_strategy_entry_v1() };
        assert_eq!(m.abi_version, ABI_VERSION + 1);
    }
}
