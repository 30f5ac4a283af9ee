//! A perfectly valid shared library that is not a tourney plugin: it exports a C function, but
//! not `tourney_strategy_entry_v1`. The host must refuse it with a clear error.

/// Something to export, so the library is not empty.
#[no_mangle]
pub extern "C" fn not_a_tourney_plugin() -> u32 {
    42
}
