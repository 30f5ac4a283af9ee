//! One writer per result directory: every command that writes a result directory (`run` —
//! fresh, `--resume`, adaptive stages —, `merge --out`, `search` on its folder, `batch`,
//! `report`/`plot`/`compare` writing into a result directory, `plot --tournament` replaying a
//! series into one) holds an exclusive advisory lock on the directory's [`LOCK_FILE`] for as
//! long as it runs, and a command that only reads one (`report --out ELSEWHERE`) holds a shared
//! one. A second process is refused with one line and exit 2 instead of both writing: a run's
//! start-up clears what a killed run left (half-written series, or a fresh run's whole previous
//! result), which for a live run are its own files, and two writers would append to one journal.
//!
//! The lock is `flock(2)` (`File::try_lock`): the kernel drops it when the process ends, however
//! it ends, so a run killed with `kill -9` never blocks the `--resume` after it. The file is
//! opened close-on-exec, so worker processes (`tourney worker`, started by the locking run) do
//! not inherit it and never take it themselves. It stays in the directory, empty, after the
//! command (removing it would let a process that opened the old file and one that creates a new
//! one both "hold" the lock); every result directory has the same empty one, so directories
//! stay byte-identical. Nothing clears it: `run`'s "clear previous outputs" and `merge`'s copy
//! of the shards' `series/` never touch it.
//!
//! `flock` locks conflict between two opens of the file even in one process, so a process
//! takes one directory's lock once: `run` inside a search locks the point's directory, not the
//! search's folder, and the reports `run` and `merge` write at their end take no lock of their
//! own. A file system that does not support locks (some network mounts) gets a warning and no
//! protection, rather than no runs.

use crate::Failure;
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// The lock file in a locked directory: hidden, empty.
pub const LOCK_FILE: &str = ".tourney.lock";

/// A held lock, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DirLock {
    _file: Option<File>,
}

/// How a command uses a directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// It writes the directory: no other process may read or write it meanwhile.
    Write,
    /// It only reads the directory: others may read it too, but nobody may write it.
    Read,
}

/// Lock `dir` (which must exist) for writing: refused when another process holds the lock.
pub fn exclusive(dir: &Path) -> Result<DirLock, Failure> {
    let lock = take(dir, Access::Write)?;
    crate::test_hook::pause_at("dir-locked");
    Ok(lock)
}

/// Lock the directories a report-like command reads and the one it writes into (if it is one
/// of them, or inside one): shared locks on the others, an exclusive one on that. Each
/// directory is locked once (the same directory named twice is one directory). Directories
/// that do not exist are skipped: the command reports them itself.
pub fn for_reports(reads: &[&Path], writes: Option<&Path>) -> Result<Vec<DirLock>, Failure> {
    let written = writes.map(resolved);
    let mut seen: Vec<PathBuf> = Vec::new();
    let mut locks = Vec::new();
    for dir in reads {
        let Ok(canonical) = dir.canonicalize() else {
            continue;
        };
        if !canonical.is_dir() || seen.contains(&canonical) {
            continue;
        }
        let access = if written.as_ref().is_some_and(|w| w.starts_with(&canonical)) {
            Access::Write
        } else {
            Access::Read
        };
        locks.push(take(dir, access)?);
        seen.push(canonical);
    }
    Ok(locks)
}

/// `path` made absolute with its existing part resolved (links, `..`), so that a directory
/// written through another spelling is recognised as inside a locked one.
fn resolved(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest.iter().rev().fold(canonical, |p, c| p.join(c));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => return std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
        }
    }
}

fn take(dir: &Path, access: Access) -> Result<DirLock, Failure> {
    let path = dir.join(LOCK_FILE);
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path);
    let file = match (opened, access) {
        (Ok(file), _) => file,
        // A reader of a directory it may not write: the lock file a writer made, if any.
        (Err(_), Access::Read) => match File::open(&path) {
            Ok(file) => file,
            Err(_) => return Ok(DirLock { _file: None }),
        },
        (Err(e), Access::Write) => {
            return Err(Failure::Run(format!(
                "cannot create the lock file {}: {e}",
                path.display()
            )))
        }
    };
    let locked = match access {
        Access::Write => file.try_lock(),
        Access::Read => file.try_lock_shared(),
    };
    match locked {
        Ok(()) => Ok(DirLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(Failure::Usage(match access {
            Access::Write => format!(
                "{} is in use by another tourney process (it holds {}): wait for it to \
                 finish, or write somewhere else",
                dir.display(),
                path.display()
            ),
            Access::Read => format!(
                "{} is being written by another tourney process (it holds {}): wait for it \
                 to finish",
                dir.display(),
                path.display()
            ),
        })),
        Err(TryLockError::Error(e)) => {
            eprintln!(
                "warning: cannot lock {} ({e}): nothing stops another tourney process from \
                 using {} at the same time",
                path.display(),
                dir.display()
            );
            Ok(DirLock { _file: None })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tourney-dir-lock-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn ok<T>(r: Result<T, Failure>) -> T {
        match r {
            Ok(t) => t,
            Err(_) => panic!("refused"),
        }
    }

    fn refused(r: Result<impl std::fmt::Debug, Failure>) -> String {
        match r {
            Err(Failure::Usage(m)) => m,
            Err(_) => panic!("refused with another kind of failure"),
            Ok(l) => panic!("not refused: {l:?}"),
        }
    }

    #[test]
    fn one_writer_or_many_readers_and_the_lock_goes_with_its_holder() {
        let dir = scratch("rw");
        let held = ok(exclusive(&dir));
        let m = refused(exclusive(&dir));
        assert!(m.contains("in use by another tourney process"), "{m}");
        assert!(m.contains(LOCK_FILE), "{m}");
        let m = refused(for_reports(&[&dir], None));
        assert!(
            m.contains("being written by another tourney process"),
            "{m}"
        );
        drop(held);
        // Released: readers share it, and keep a writer out.
        let a = ok(for_reports(&[&dir], None));
        let b = ok(for_reports(&[&dir, &dir], None));
        assert_eq!(b.len(), 1, "one directory named twice is locked once");
        refused(exclusive(&dir));
        drop((a, b));
        // A report written into the directory (or below it) locks it for writing.
        let w = ok(for_reports(
            &[&dir],
            Some(&dir.join("reports").join("plots")),
        ));
        refused(for_reports(&[&dir], None));
        drop(w);
        ok(exclusive(&dir));
        // The lock file stays, empty.
        assert_eq!(std::fs::read(dir.join(LOCK_FILE)).unwrap(), b"");
        // A directory that does not exist is left to the command to report.
        assert!(ok(for_reports(&[&dir.join("missing")], None)).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
