//! A test hook for crash-safety tests: `TOURNEY_TEST_PAUSE_AT=<point>` makes the process stop
//! at the named point, print `test hook: paused at <point>` on stderr and wait there forever,
//! so a test can `kill -9` it at exactly that instant instead of racing a timer (which would be
//! flaky on a loaded machine).
//!
//! Points: `resume-journal-read` (a `--resume` has read the journal and is about to append to
//! it — where an older version truncated and rewrote it); `journal-rewritten-aside` (the raw
//! table is written, and the journal in plan order written and synced beside the old one, not
//! yet renamed over it: `raw_table::write_from_journal`).
//!
//! Unset (always, outside tests) it costs one environment lookup per point.

/// Pause here forever when `TOURNEY_TEST_PAUSE_AT` names `point`.
pub fn pause_at(point: &str) {
    if std::env::var_os("TOURNEY_TEST_PAUSE_AT").is_some_and(|p| p == point) {
        eprintln!("test hook: paused at {point}");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
