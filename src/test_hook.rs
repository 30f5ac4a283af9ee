//! A test hook for crash-safety tests: `TOURNEY_TEST_PAUSE_AT=<point>` makes the process stop
//! at the named point, print `test hook: paused at <point>` on stderr and wait there forever,
//! so a test can `kill -9` it at exactly that instant instead of racing a timer (which would be
//! flaky on a loaded machine). With `TOURNEY_TEST_PAUSE_UNTIL=<file>` too, it waits only until
//! that file exists and then goes on, so a test can act while the process is parked (a second
//! process refused a directory the first holds) and let it finish after.
//!
//! Points: `resume-journal-read` (a `--resume` has read the journal and is about to append to
//! it — where an older version truncated and rewrote it); `journal-rewritten-aside` (the raw
//! table is written, and the journal in plan order written and synced beside the old one, not
//! yet renamed over it: `raw_table::write_from_journal`); `dir-locked` (a command has just
//! taken a directory's exclusive lock, before it reads or writes anything there:
//! `dir_lock::exclusive`).
//!
//! Unset (always, outside tests) it costs one environment lookup per point.

/// Pause here when `TOURNEY_TEST_PAUSE_AT` names `point`: forever, or until the file
/// `TOURNEY_TEST_PAUSE_UNTIL` names exists.
pub fn pause_at(point: &str) {
    if std::env::var_os("TOURNEY_TEST_PAUSE_AT").is_some_and(|p| p == point) {
        eprintln!("test hook: paused at {point}");
        let until = std::env::var_os("TOURNEY_TEST_PAUSE_UNTIL").map(std::path::PathBuf::from);
        loop {
            match &until {
                Some(file) if file.exists() => return,
                Some(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
                None => std::thread::sleep(std::time::Duration::from_secs(3600)),
            }
        }
    }
}
