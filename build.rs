//! Link the `tourney` binary as a position-dependent executable on Linux.
//!
//! Why: isolation starts one `tourney worker` process per match (docs/scaling.md). As a PIE the
//! binary carries ≈ 132,000 relative relocations (polars' and the engine's vtables and tables
//! of pointers), which the dynamic loader applies at every start, copying ≈ 2.5 MB of
//! `.data.rel.ro` into private pages: ≈ 3 ms of each worker, more than a short match. A
//! position-dependent executable has those addresses fixed at link time and maps the same
//! pages from the page cache. The code is compiled as PIC either way; only the final link
//! differs, and only for this package's binaries (plugins are `cdylib`s built on their own).
//! The cost is ASLR of the executable's own image (its libraries, heap and stacks are still
//! randomised).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
