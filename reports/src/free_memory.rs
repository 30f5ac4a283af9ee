//! Giving freed heap memory back to the operating system between the phases of a run (playing,
//! writing the raw table, computing the tables, writing the reports), so that what one phase
//! freed does not stay resident under the next one's peak.
//!
//! glibc's allocator keeps freed memory for reuse, and by default serves a buffer of up to
//! 32 MB from its heaps once a buffer that large has been freed: the journal's index, the
//! tables' lists of observations (8 bytes each, a list per pass) and their growth stayed
//! resident after they were freed, and the next phase's allocations (often from other threads'
//! arenas) did not reuse them, so the peak grew with the number of matches though nothing held
//! at the peak did. Measured on `tourney run` of 100,000 short matches: 60 MB → 50 MB, against
//! 48 MB at 1,000 matches (`docs/performance.md`).

/// Buffers from this size up get pages of their own, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MAPPED_FROM_BYTES: libc::c_int = 256 * 1024;

/// Return the allocator's free pages to the operating system, and from now on map large
/// buffers on their own (glibc only; elsewhere nothing). Costs a walk of the allocator's free
/// lists: call it between phases, not in a loop.
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt and malloc_trim only change and walk the allocator's own state; they
    // have no preconditions and are thread-safe.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM_BYTES);
        libc::malloc_trim(0);
    }
}
