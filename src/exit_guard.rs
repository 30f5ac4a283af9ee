//! A plugin that calls `exit(0)` would end `tourney` with status 0 and no output — a run that
//! looks successful and wrote nothing. An `atexit` handler catches it: unless `main` said it
//! finished ([`finished`]), the process is ending from somewhere else (a plugin, or any
//! library calling `exit`), and the handler turns the exit into status 70 with a message.

use std::sync::atomic::{AtomicBool, Ordering};

static FINISHED: AtomicBool = AtomicBool::new(false);

/// The status of an exit that did not come from `main`.
pub const UNEXPECTED_EXIT_STATUS: i32 = 70;

extern "C" fn on_exit() {
    if !FINISHED.load(Ordering::SeqCst) {
        let message = b"error: the process was ended by a call to exit() before tourney finished \
(a plugin called exit?); its results are incomplete\n";
        // SAFETY: write(2) and _exit(2) are async-signal-safe and take plain buffers.
        unsafe {
            libc::write(2, message.as_ptr().cast(), message.len());
            libc::_exit(UNEXPECTED_EXIT_STATUS);
        }
    }
}

/// Register the handler (once, first thing in `main`).
pub fn install() {
    // SAFETY: atexit registers a plain function pointer with no captured state.
    unsafe {
        libc::atexit(on_exit);
    }
}

/// `main` is returning (or exiting) on purpose: let the process end with its own status.
pub fn finished() {
    FINISHED.store(true, Ordering::SeqCst);
}
