//! Running untrusted plugin code in a worker process, and what the parent relies on:
//!
//! - **Results over a channel the plugin does not write.** The worker writes its answer into a
//!   channel: an anonymous file the parent creates (no name on any file system, so nothing is
//!   left behind whichever of the two is killed, and when) and the worker inherits as a file
//!   descriptor. The answer ends in a fixed trailer, so a complete answer is told from a torn
//!   one. The plugin's stdout and stderr
//!   are captured separately, up to [`CAPTURE_BYTES`] each (beginning and end; the middle of
//!   a flood is read and discarded), and quoted, shortened, in the error reason.
//! - **Which entrant was running.** Before each call into a plugin the worker records the
//!   entrant's index at the head of the channel (mapped shared, so a few stores and no system
//!   call); after a crash the parent reads it to say whose plugin failed.
//! - **A process group per worker**, killed whole on timeout and after the worker exits, so a
//!   child process a plugin spawned neither outlives the match nor holds its pipes open.
//! - **Workers die with their parent.** The worker watches its stdin, a pipe the parent holds;
//!   when the parent dies the pipe closes and the worker kills its own process group.
//! - **A memory cap.** `RLIMIT_AS` (`--worker-memory`), set by the worker on itself before it
//!   loads any plugin.
//!
//! Unix only (process groups, rlimits); elsewhere isolation is refused.

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, RawFd};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

/// The most of each of a worker's stdout and stderr kept (its beginning and its end); more is
/// read and discarded.
pub const CAPTURE_BYTES: usize = 64 * 1024;
/// The most of the captured output quoted in an error reason, characters.
const REASON_CHARS: usize = 600;
/// The default `--worker-memory`, MiB: far above what a match needs (tens of MiB), far below
/// what would push the machine into swap.
pub const DEFAULT_WORKER_MEMORY_MB: u64 = 4096;

/// What came of one worker.
pub struct Outcome {
    /// The channel file's contents, present only when the worker completed its answer.
    pub answer: Option<String>,
    /// Why there is no answer (timeout, signal, exit status), when there is none.
    pub failure: Option<String>,
    /// The entrant index the worker was calling when it stopped, if inside a plugin call.
    pub in_entrant: Option<usize>,
    /// The worker's stderr and stdout (what plugins printed), shortened, for reasons.
    pub output: String,
    /// The worker's process id, when it started: what names the files it writes under
    /// temporary names (a series, `tourney_engine::series::temp_path`), for the parent to
    /// remove when the worker died before renaming them.
    pub pid: Option<u32>,
    /// No worker ran: its channel could not be made or passed, or the process could not be
    /// started. That is the run's failure, not the match's (nothing of the match was tried).
    pub not_started: bool,
}

/// A file with no name: a `memfd` on Linux; elsewhere a file created in the temporary
/// directory and unlinked at once. Opened close-on-exec; [`run_worker`] lets one worker inherit
/// it.
fn anonymous_file() -> std::io::Result<File> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: memfd_create reads a NUL-terminated name and returns a new descriptor (or
        // -1); the descriptor is owned by the `File` alone.
        let fd = unsafe { libc::memfd_create(c"tourney-worker".as_ptr(), libc::MFD_CLOEXEC) };
        if fd < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor nothing else owns.
        Ok(unsafe { File::from_raw_fd(fd) })
    }
    #[cfg(not(target_os = "linux"))]
    {
        use std::sync::atomic::AtomicU64;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "tourney-worker-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        Ok(file)
    }
}

/// Whether `fd` survives an `exec` (is inherited by the next process spawned) or not.
fn set_inherited(fd: RawFd, inherited: bool) -> std::io::Result<()> {
    // SAFETY: fcntl on a descriptor number reads and writes only its flags.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        let flags = if inherited {
            flags & !libc::FD_CLOEXEC
        } else {
            flags | libc::FD_CLOEXEC
        };
        if flags < 0 || libc::fcntl(fd, libc::F_SETFD, flags) < 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The end of every complete answer: a worker killed while writing its answer leaves a torn
/// answer without it.
const ANSWER_END: &[u8] = b"\n-- end of the answer --\n";

/// What a channel holds once its worker is gone: the entrant being called (if a plugin call was
/// in progress) and the answer (if it was completed).
fn read_channel(channel: &File) -> (Option<usize>, Option<String>) {
    let mut bytes = Vec::new();
    let mut at = 0u64;
    let mut buf = [0u8; 8192];
    while let Ok(n) = channel.read_at(&mut buf, at) {
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        at += n as u64;
    }
    let marker = bytes.get(..MARKER_BYTES).unwrap_or_default();
    let in_entrant = std::str::from_utf8(marker)
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok());
    let answer = bytes
        .get(MARKER_BYTES..)
        .and_then(|rest| rest.strip_suffix(ANSWER_END))
        .and_then(|text| String::from_utf8(text.to_vec()).ok());
    (in_entrant, answer)
}

/// Keep reading `r` to its end, keeping its first 8 KiB and its last `CAPTURE_BYTES` − 8 KiB
/// (a flood's middle is read and dropped, so the worker never blocks on a full pipe).
fn capture(mut r: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<Vec<u8>> {
    const HEAD: usize = 8 * 1024;
    const TAIL: usize = CAPTURE_BYTES - HEAD;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut head, mut tail): (Vec<u8>, Vec<u8>) = (Vec::new(), Vec::new());
        let mut dropped = false;
        let mut buf = [0u8; 8192];
        while let Ok(n) = r.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut chunk = &buf[..n];
            if head.len() < HEAD {
                let take = chunk.len().min(HEAD - head.len());
                head.extend_from_slice(&chunk[..take]);
                chunk = &chunk[take..];
            }
            tail.extend_from_slice(chunk);
            if tail.len() > 2 * TAIL {
                tail.drain(..tail.len() - TAIL);
                dropped = true;
            }
        }
        if tail.len() > TAIL {
            tail.drain(..tail.len() - TAIL);
            dropped = true;
        }
        if dropped {
            head.extend_from_slice(b"\n[...]\n");
        }
        head.extend_from_slice(&tail);
        let _ = tx.send(head);
    });
    rx
}

/// Some output on one line, at most `REASON_CHARS` of it: its beginning (where an abort's
/// message is, before any backtrace) and its end (where the last words are).
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.trim().chars().collect();
    let shown: String = if chars.len() <= REASON_CHARS {
        chars.iter().collect()
    } else {
        let head = REASON_CHARS / 3;
        let end = REASON_CHARS - head;
        let mut s: String = chars[..head].iter().collect();
        s.push_str(" … ");
        s.extend(&chars[chars.len() - end..]);
        s
    };
    shown.replace(['\n', '\r'], " | ")
}

/// Why a worker ended without an answer, in words.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(sig) = status.signal() {
        let name = match sig {
            6 => {
                " (SIGABRT: the process aborted; out of memory under --worker-memory looks \
                  like this too)"
            }
            9 => " (SIGKILL)",
            11 => " (SIGSEGV: a segmentation fault)",
            _ => "",
        };
        return format!("the worker was killed by signal {sig}{name}");
    }
    format!("the worker exited with {status}")
}

/// Kill a worker's whole process group (the worker is its leader, so the group id is its pid).
fn kill_group(pid: u32) {
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe {
        libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
    }
}

/// Wait, in a thread, until the worker exits, without reaping it (`waitid` with `WNOWAIT`):
/// until it is reaped its pid stays taken, so killing its process group afterwards cannot hit
/// a stranger. The receiver gets `Ok(())` when it has exited (or an error of `waitid`); the
/// parent waits on it with the match's timeout, so a short match is noticed the moment it ends
/// rather than at the next poll.
fn exit_of(pid: u32) -> std::sync::mpsc::Receiver<std::io::Result<()>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = loop {
            // SAFETY: a zeroed siginfo_t is a valid out-parameter; waitid writes it and reads
            // nothing else of ours.
            let rc = unsafe {
                let mut info: libc::siginfo_t = std::mem::zeroed();
                libc::waitid(
                    libc::P_PID,
                    pid as libc::id_t,
                    &mut info,
                    libc::WEXITED | libc::WNOWAIT,
                )
            };
            if rc == 0 {
                break Ok(());
            }
            let error = std::io::Error::last_os_error();
            if error.kind() != std::io::ErrorKind::Interrupted {
                break Err(error);
            }
        };
        let _ = tx.send(result);
    });
    rx
}

/// Run `tourney worker ARGS… --channel-fd N` with a timeout and wait for its answer.
pub fn run_worker(args: &[std::ffi::OsString], timeout: Duration) -> Outcome {
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("tourney"));
    let failed = |failure: String| Outcome {
        answer: None,
        failure: Some(failure),
        in_entrant: None,
        output: String::new(),
        pid: None,
        not_started: true,
    };
    let channel = match anonymous_file().and_then(|f| f.set_len(MARKER_BYTES as u64).map(|()| f)) {
        Ok(f) => f,
        Err(e) => return failed(format!("cannot create the worker's channel: {e}")),
    };
    let fd = channel.as_raw_fd();
    let mut cmd = Command::new(&exe);
    cmd.arg("worker")
        .args(args)
        .arg("--channel-fd")
        .arg(fd.to_string());
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    // Inherited by this spawn only as far as this thread is concerned: a worker another thread
    // spawns meanwhile inherits it too, unknowingly and harmlessly (it never learns the number,
    // and the file has no name to outlive anyone).
    if let Err(e) = set_inherited(fd, true) {
        return failed(format!("cannot pass the channel to a worker: {e}"));
    }
    let spawned = cmd.spawn();
    let _ = set_inherited(fd, false);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return failed(format!("cannot start a worker: {e}")),
    };
    // Held open until the worker is done: its end closing is how a worker learns its parent
    // died.
    let stdin = child.stdin.take();
    let out = capture(child.stdout.take().expect("piped"));
    let err = capture(child.stderr.take().expect("piped"));
    let waited = match exit_of(child.id()).recv_timeout(timeout) {
        Ok(Ok(())) => Ok(()),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "timed out after {:.0} s (a strategy hung?); the worker and its process group were \
             killed",
            timeout.as_secs_f64()
        )),
        Ok(Err(e)) => Err(format!("cannot wait for the worker: {e}")),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err("cannot wait for the worker: its watcher stopped".into())
        }
    };
    // Whatever the plugin left running in the group goes with the worker (and on a timeout,
    // the worker itself). The worker is not reaped yet, so its pid — the group's id — cannot
    // have been reused by another process.
    kill_group(child.id());
    let reaped = child.wait();
    let status: Result<ExitStatus, String> =
        waited.and_then(|()| reaped.map_err(|e| format!("cannot wait for the worker: {e}")));
    drop(stdin);
    // A process that left the group could still hold the pipes: wait a moment, not forever.
    let grace = Duration::from_secs(2);
    let stderr = err.recv_timeout(grace).unwrap_or_default();
    let stdout = out.recv_timeout(grace).unwrap_or_default();
    let mut output = String::new();
    if !stderr.is_empty() {
        output.push_str(&format!("stderr: {}", tail(&stderr)));
    }
    if !stdout.is_empty() {
        if !output.is_empty() {
            output.push_str("; ");
        }
        output.push_str(&format!("stdout: {}", tail(&stdout)));
    }
    let (in_entrant, answer) = read_channel(&channel);
    let failure = match status {
        Err(reason) => Some(reason),
        Ok(s) if !s.success() => Some(describe(s)),
        Ok(_) if answer.is_none() => Some(
            "the worker exited with status 0 but without finishing (a plugin called exit()?)"
                .into(),
        ),
        Ok(_) => None,
    };
    Outcome {
        answer: if failure.is_none() { answer } else { None },
        failure,
        in_entrant,
        output,
        pid: Some(child.id()),
        not_started: false,
    }
}

// ---- the worker's side ----

/// The worker's side of its channel: the inherited anonymous file, whose first
/// `MARKER_BYTES` are the marker of the entrant being called and the rest the answer.
pub struct Channel {
    file: File,
    /// The marker's bytes, mapped shared: a store is in the file at once, so it survives the
    /// worker's crash and the parent reads it from the file. A `pwrite` per plugin call cost
    /// ≈ 2 µs (two per call, hundreds of calls a match-day); a store costs nothing.
    marker: &'static [AtomicU8],
}

/// Width of the marker's one value: an index right-aligned in 19 characters, then `\n`.
const MARKER_BYTES: usize = 20;

/// Map the first `MARKER_BYTES` of `file` (at least that long) shared, for the rest of the
/// process's life.
fn map_marker(file: &File) -> std::io::Result<&'static [AtomicU8]> {
    // SAFETY: a fresh shared mapping of an open file of at least `MARKER_BYTES` bytes; the
    // descriptor may close afterwards (the mapping keeps the file). Nothing else in this
    // process maps it (writes to the answer's bytes, after the marker, do not touch it), and it is never unmapped, so a `'static` slice of it stays valid. The
    // bytes are only ever accessed as atomics, which have the layout of `u8`.
    unsafe {
        let at = libc::mmap(
            std::ptr::null_mut(),
            MARKER_BYTES,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_SHARED,
            file.as_raw_fd(),
            0,
        );
        if at == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(std::slice::from_raw_parts(
            at as *const AtomicU8,
            MARKER_BYTES,
        ))
    }
}

/// The marker's text for `k`: `format!("{k:>19}\n")`, or `-` for no call, without allocating.
fn marker_text(k: Option<usize>) -> [u8; MARKER_BYTES] {
    let mut text = [b' '; MARKER_BYTES];
    text[MARKER_BYTES - 1] = b'\n';
    let mut at = MARKER_BYTES - 1;
    match k {
        None => text[at - 1] = b'-',
        // Entrant indices are small; one of 20 digits would not fit, and cannot occur.
        Some(k) => {
            let mut k = (k as u64).min(9_999_999_999_999_999_999);
            loop {
                at -= 1;
                text[at] = b'0' + (k % 10) as u8;
                k /= 10;
                if k == 0 {
                    break;
                }
            }
        }
    }
    text
}

impl Channel {
    /// Take over descriptor `fd`, inherited from the parent (`--channel-fd`), and map its
    /// marker.
    pub fn adopt(fd: RawFd) -> std::io::Result<Channel> {
        // The standard descriptors are never a channel; any other must be open (checked, so
        // a wrong number is an error here rather than someone else's file later).
        if fd <= 2 {
            return Err(std::io::Error::other(format!(
                "descriptor {fd} is not a channel"
            )));
        }
        // Not inherited further: a plugin's child processes have no business with it.
        set_inherited(fd, false)?;
        // SAFETY: the descriptor is open (checked just above) and was passed to this process
        // for this use alone; the `File` becomes its one owner.
        let file = unsafe { File::from_raw_fd(fd) };
        if file.metadata()?.len() < MARKER_BYTES as u64 {
            return Err(std::io::Error::other(format!(
                "descriptor {fd} is not a channel"
            )));
        }
        let marker = map_marker(&file)?;
        let channel = Channel { file, marker };
        channel.mark(None);
        Ok(channel)
    }

    /// Record that entrant `k` is being called (`None`: no plugin call in progress): stores
    /// into the mapped marker, of a fixed width, so the file always holds one value.
    pub fn mark(&self, k: Option<usize>) {
        for (byte, value) in self.marker.iter().zip(marker_text(k)) {
            byte.store(value, Ordering::Relaxed);
        }
    }

    /// Write the answer after the marker, ended by the trailer that tells it complete.
    pub fn answer(&self, text: &str) -> std::io::Result<()> {
        let mut bytes = Vec::with_capacity(text.len() + ANSWER_END.len());
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(ANSWER_END);
        self.file.write_all_at(&bytes, MARKER_BYTES as u64)
    }
}

/// In the worker, first thing: cap its memory, and die with the parent (a thread watches
/// stdin; end of file means the parent is gone, and the worker kills its process group: there
/// are no files to remove, the channel has no name).
pub fn worker_setup(memory_mb: u64) -> Result<(), String> {
    if memory_mb > 0 {
        let bytes = memory_mb.saturating_mul(1024 * 1024) as libc::rlim_t;
        let limit = libc::rlimit {
            rlim_cur: bytes,
            rlim_max: bytes,
        };
        // SAFETY: setrlimit reads the struct we pass; no other memory is involved.
        if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } != 0 {
            return Err(format!(
                "cannot set the memory limit: {}",
                std::io::Error::last_os_error()
            ));
        }
    }
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin();
        let mut buf = [0u8; 64];
        while let Ok(n) = stdin.read(&mut buf) {
            if n == 0 {
                break;
            }
        }
        // SAFETY: kill(0, …) signals this process's own group; no memory is involved.
        unsafe {
            libc::kill(0, libc::SIGKILL);
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_reads_as_the_index_it_was_given() {
        for k in [0, 7, 12, 1234, 9_999_999_999_999_999_999] {
            assert_eq!(marker_text(Some(k)), *format!("{k:>19}\n").as_bytes());
        }
        assert_eq!(marker_text(None), *format!("{:>19}\n", "-").as_bytes());
    }

    /// A worker's side over a duplicate of the parent's descriptor, as an inherited one is.
    fn both_sides() -> (File, Channel) {
        let parent = anonymous_file().unwrap();
        parent.set_len(MARKER_BYTES as u64).unwrap();
        // SAFETY: dup returns a new descriptor of the same file, owned by the channel.
        let fd = unsafe { libc::dup(parent.as_raw_fd()) };
        assert!(fd > 2);
        (parent, Channel::adopt(fd).unwrap())
    }

    #[test]
    fn a_mark_is_in_the_file_without_a_write() {
        let (parent, worker) = both_sides();
        assert_eq!(read_channel(&parent), (None, None));
        worker.mark(Some(3));
        assert_eq!(read_channel(&parent), (Some(3), None));
        worker.mark(Some(12));
        let mut head = [0u8; MARKER_BYTES];
        parent.read_exact_at(&mut head, 0).unwrap();
        assert_eq!(head, *format!("{:>19}\n", 12).as_bytes());
        worker.mark(None);
        assert_eq!(read_channel(&parent), (None, None));
    }

    #[test]
    fn an_answer_counts_only_when_complete() {
        let (parent, worker) = both_sides();
        worker.mark(Some(1));
        worker.answer("{\"a\":1}\n{\"b\":2}\n").unwrap();
        assert_eq!(
            read_channel(&parent),
            (Some(1), Some("{\"a\":1}\n{\"b\":2}\n".to_string()))
        );
        // A worker killed mid-write leaves the answer without its trailer: no answer.
        let (parent, worker) = both_sides();
        worker.answer("{}").unwrap();
        let full = MARKER_BYTES as u64 + 2 + ANSWER_END.len() as u64;
        parent.set_len(full - 1).unwrap();
        assert_eq!(read_channel(&parent), (None, None));
    }

    #[test]
    fn a_standard_or_closed_descriptor_is_not_a_channel() {
        for fd in [0, 1, 2] {
            assert!(Channel::adopt(fd).is_err());
        }
        // A descriptor number far above any this test process has open.
        assert!(Channel::adopt(1 << 20).is_err());
    }

    #[test]
    fn the_tail_is_short_and_on_one_line() {
        assert_eq!(tail(b"a\nb\n"), "a | b");
        // The first third and the last two thirds, joined by " … " (3 characters).
        let long = format!("start{}end", "x".repeat(REASON_CHARS));
        let t = tail(long.as_bytes());
        assert_eq!(t.chars().count(), REASON_CHARS + 3);
        assert!(t.starts_with("start") && t.ends_with("end") && t.contains(" … "));
    }
}
