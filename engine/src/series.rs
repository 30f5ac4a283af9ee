//! The optional time series of a match: one row per subnet every N blocks, and at the horizon.
//!
//! A match hands its samples to a [`SeriesSink`] as it plays. [`Series`] keeps them in memory
//! (tests, short matches); [`SeriesFile`] writes them as CSV a row at a time, so a series takes
//! the same memory whatever its interval (a 30-day match of 64 subnets sampled every block is
//! 13.8M rows, about 2.5 GB of CSV, which used to be held twice over before it was written).
//! The file is written beside its destination under a temporary name and renamed into place
//! when the match ends, so a reader never sees a half-written series and a failed match leaves
//! none. A destination that is not a file to replace is honoured, never replaced
//! ([`Destination`]): a symbolic link is followed (the series replaces the file it points to,
//! and the link stays), and a device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe)
//! is written straight through — renaming over it would put a regular file in place of the
//! device node or the pipe, as root even `/dev/null`.

use crate::network::Network;
use crate::units::{tao, BLOCKS_PER_DAY, RAO_PER_TAO};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// One sampled row.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    pub block: u64,
    pub day: f64,
    pub subnet: u16,
    pub name: String,
    pub class: &'static str,
    pub price: f64,
    pub ema_price: f64,
    pub emission_share: f64,
    pub tao_reserve_tao: f64,
    pub alpha_reserve_tao: f64,
    pub alpha_issuance: f64,
    pub root_proportion: f64,
    /// TaoFlow's EMA, TAO per day.
    pub flow_ema: f64,
    pub value_score: f64,
}

impl SeriesRow {
    /// Subnet `i` of `net` now.
    pub fn of(net: &Network, i: usize) -> SeriesRow {
        let s = &net.subnets;
        SeriesRow {
            block: net.block,
            day: net.block as f64 / BLOCKS_PER_DAY as f64,
            subnet: s.id[i],
            name: s.name[i].clone(),
            class: s.class(i).name(),
            price: s.price(i),
            ema_price: s.ema_price[i],
            emission_share: s.share[i],
            tao_reserve_tao: tao(s.reserves[i].tao_rao),
            alpha_reserve_tao: tao(s.reserves[i].alpha_rao),
            alpha_issuance: tao(s.alpha_issuance(i)),
            root_proportion: net.root_proportion(i),
            flow_ema: s.flow_ema[i] * BLOCKS_PER_DAY as f64 / RAO_PER_TAO as f64,
            value_score: s.value_score[i],
        }
    }

    /// The row as a CSV line (floats in Rust's shortest round-trip form: deterministic).
    pub fn write_csv(&self, out: &mut impl Write) -> io::Result<()> {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            self.block,
            self.day,
            self.subnet,
            self.name,
            self.class,
            self.price,
            self.ema_price,
            self.emission_share,
            self.tao_reserve_tao,
            self.alpha_reserve_tao,
            self.alpha_issuance,
            self.root_proportion,
            self.flow_ema,
            self.value_score
        )
    }
}

pub const SERIES_HEADER: &str = "block,day,subnet,name,class,price,ema_price,emission_share,\
tao_reserve_tao,alpha_reserve_tao,alpha_issuance,root_proportion,flow_ema,value_score";

/// Where a match's samples go, as it plays.
pub trait SeriesSink {
    /// Record every subnet of `net` now, in subnet order. An error stops the match.
    fn sample(&mut self, net: &Network) -> io::Result<()>;
}

/// Rows in sampling order (block, then subnet id), held in memory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub rows: Vec<SeriesRow>,
}

impl SeriesSink for Series {
    fn sample(&mut self, net: &Network) -> io::Result<()> {
        self.rows
            .extend((0..net.subnets.len()).map(|i| SeriesRow::of(net, i)));
        Ok(())
    }
}

impl Series {
    /// CSV with a header: the bytes a [`SeriesFile`] of the same samples holds.
    pub fn to_csv(&self) -> String {
        let mut out = Vec::with_capacity((self.rows.len() + 1) * 160);
        out.extend_from_slice(SERIES_HEADER.as_bytes());
        out.push(b'\n');
        for r in &self.rows {
            // Writing into a Vec cannot fail.
            let _ = r.write_csv(&mut out);
        }
        String::from_utf8(out).expect("the series CSV is built from UTF-8 text")
    }

    /// Rows of one subnet, by name.
    pub fn of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SeriesRow> + 'a {
        self.rows.iter().filter(move |r| r.name == name)
    }
}

/// Where a series' bytes go, decided from what is at its path before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A regular file, or nothing yet: written to [`temp_path`] beside it and renamed over it
    /// at the end. The path is the one a chain of symbolic links ends at (so a link is kept,
    /// and the file it points to replaced — or created, for a link to nothing yet).
    Replace(PathBuf),
    /// Something that is not a file (a character or block device, a FIFO, a socket), reached
    /// through the path as given: opened for writing and written straight through, with no
    /// temporary file and no rename. A write error (`ENOSPC` on `/dev/full`) is the series'
    /// error; what a failed match wrote there cannot be taken back.
    Through(PathBuf),
}

/// Links followed at most, as the kernel's `ELOOP` limit.
const MAX_LINKS: u32 = 40;

impl Destination {
    /// What `dest` is. A directory is refused here, before a match is played for nothing.
    pub fn of(dest: &Path) -> io::Result<Destination> {
        // Followed through every link: `/dev/stdout` is a link to a link to the terminal or
        // pipe, whose last "link" (`pipe:[…]`) names nothing on a file system, so it is
        // written through the path as given.
        match std::fs::metadata(dest) {
            Ok(m) if m.is_dir() => Err(io::Error::other("is a directory")),
            Ok(m) if !m.is_file() => Ok(Destination::Through(dest.to_path_buf())),
            Ok(_) => Ok(Destination::Replace(final_target(dest)?)),
            // Nothing there, or a link to nothing yet: the file is created where it points.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Ok(Destination::Replace(final_target(dest)?))
            }
            Err(e) => Err(e),
        }
    }
}

/// The path a chain of symbolic links starting at `path` ends at (the path itself when it is
/// not a link). Relative targets are taken from the link's folder, as the kernel does.
fn final_target(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links to follow"
    )))
}

/// Remove what a match that failed left of the series of `dest`: the temporary file process
/// `pid` was writing, and a file an earlier attempt left in place (a resumed run's, of an
/// attempt killed before it was journalled), so that a failed match leaves no series. Only a
/// regular file is removed: a link stays (the file it points to goes), and a device or pipe
/// written through is left alone. Errors are ignored: the match is recorded as failed either
/// way.
pub fn discard(dest: &Path, pid: Option<u32>) {
    if let Ok(Destination::Replace(target)) = Destination::of(dest) {
        if let Some(pid) = pid {
            let _ = std::fs::remove_file(temp_path(&target, pid));
        }
        if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(&target);
        }
    }
}

/// A series written as CSV to `dest` as it is sampled: into a temporary file in the folder of
/// the file `dest` names ([`temp_path`], [`Destination::Replace`]), renamed over it by
/// [`SeriesFile::finish`] — or, when `dest` is a device, FIFO or socket, straight into it
/// ([`Destination::Through`]). Dropped unfinished (the match failed, or panicked), it removes
/// the temporary file; a process killed meanwhile leaves it, under a name [`is_temp_name`]
/// recognises, for whoever knows its pid (the parent of an isolated worker, through
/// [`discard`]) or a resumed run to remove.
pub struct SeriesFile {
    out: Option<BufWriter<File>>,
    /// The temporary file and the file it is renamed over; `None` when written through.
    rename: Option<(PathBuf, PathBuf)>,
    rows: u64,
}

impl SeriesFile {
    /// Start the series of `dest` (its folder must exist): the temporary file, with the header.
    pub fn create(dest: &Path) -> io::Result<SeriesFile> {
        let (file, rename) = match Destination::of(dest)? {
            Destination::Replace(target) => {
                let temp = temp_path(&target, std::process::id());
                (File::create(&temp)?, Some((temp, target)))
            }
            // Neither created nor truncated: a device or a pipe has nothing to truncate.
            Destination::Through(path) => (File::options().write(true).open(path)?, None),
        };
        let mut out = BufWriter::with_capacity(1 << 16, file);
        let mut file = SeriesFile {
            out: None,
            rename,
            rows: 0,
        };
        // From here a failure removes the temporary file (Drop).
        out.write_all(SERIES_HEADER.as_bytes())?;
        out.write_all(b"\n")?;
        file.out = Some(out);
        Ok(file)
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flush the rows and rename the file into place; returns the number of rows. Not synced:
    /// a series is derived data (a replay writes it again), unlike the journal. Written
    /// through a device, the flush's error (`ENOSPC` on `/dev/full`) is returned.
    pub fn finish(mut self) -> io::Result<u64> {
        if let Some(out) = self.out.take() {
            out.into_inner().map_err(|e| e.into_error())?;
        }
        if let Some((temp, target)) = &self.rename {
            std::fs::rename(temp, target)?;
        }
        // Renamed: nothing left to remove.
        self.rename = None;
        Ok(self.rows)
    }
}

impl SeriesSink for SeriesFile {
    fn sample(&mut self, net: &Network) -> io::Result<()> {
        let out = self
            .out
            .as_mut()
            .ok_or_else(|| io::Error::other("finished"))?;
        for i in 0..net.subnets.len() {
            SeriesRow::of(net, i).write_csv(out)?;
        }
        self.rows += net.subnets.len() as u64;
        Ok(())
    }
}

impl Drop for SeriesFile {
    fn drop(&mut self) {
        drop(self.out.take());
        if let Some((temp, _)) = &self.rename {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Suffix of a series' temporary file name.
const TEMP_SUFFIX: &str = ".partial";

/// The temporary file the series of `dest` is written to by process `pid`: hidden, in the same
/// folder (so the rename is atomic), named after `dest` (cut to 200 bytes, so that it fits a
/// file name's 255 bytes) and the pid (so two processes writing one destination do not write
/// one file).
pub fn temp_path(dest: &Path, pid: u32) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut cut = name.len().min(200);
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    dest.with_file_name(format!(".{}.{pid}{TEMP_SUFFIX}", &name[..cut]))
}

/// Whether `name` is a file name [`temp_path`] makes (a series being written, or left by a
/// killed process).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_hidden_beside_the_destination_and_fit_a_file_name() {
        let t = temp_path(Path::new("out/series/m__r0.csv"), 42);
        assert_eq!(t, Path::new("out/series/.m__r0.csv.42.partial"));
        assert!(is_temp_name(t.file_name().unwrap().to_str().unwrap()));
        assert!(!is_temp_name("m__r0.csv"));
        let long = format!("{}.csv", "é".repeat(126)); // 256 bytes
        let t = temp_path(Path::new(&long), u32::MAX);
        let name = t.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= 255, "{}", name.len());
        assert!(name.starts_with(&format!(".{}", "é".repeat(100))));
    }

    #[test]
    fn a_dropped_unfinished_file_leaves_nothing_and_a_finished_one_is_renamed() {
        let dir = std::env::temp_dir().join(format!("tourney-series-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("s.csv");
        let file = SeriesFile::create(&dest).unwrap();
        assert!(temp_path(&dest, std::process::id()).is_file());
        drop(file);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        let file = SeriesFile::create(&dest).unwrap();
        assert!(!dest.exists(), "nothing at the destination before the end");
        assert_eq!(file.finish().unwrap(), 0);
        assert_eq!(
            std::fs::read_to_string(&dest).unwrap(),
            format!("{SERIES_HEADER}\n")
        );
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A fresh, empty folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("tourney-series-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_link_is_followed_and_kept_and_the_file_it_points_to_replaced() {
        use std::os::unix::fs::symlink;
        let dir = folder("link");
        std::fs::create_dir(dir.join("real")).unwrap();
        std::fs::write(dir.join("real/target.csv"), "old\n").unwrap();
        // A chain: link.csv -> hop.csv -> real/target.csv (relative targets).
        symlink("real/target.csv", dir.join("hop.csv")).unwrap();
        symlink("hop.csv", dir.join("link.csv")).unwrap();
        let dest = dir.join("link.csv");
        assert_eq!(
            Destination::of(&dest).unwrap(),
            Destination::Replace(dir.join("real/target.csv"))
        );
        let file = SeriesFile::create(&dest).unwrap();
        // The temporary file is beside the target, so the rename stays in one folder.
        assert!(temp_path(&dir.join("real/target.csv"), std::process::id()).is_file());
        file.finish().unwrap();
        assert!(std::fs::symlink_metadata(&dest)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::symlink_metadata(dir.join("hop.csv"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            std::fs::read_to_string(dir.join("real/target.csv")).unwrap(),
            format!("{SERIES_HEADER}\n")
        );
        // A failed match's discard removes the file pointed to, not the links.
        discard(&dest, None);
        assert!(!dir.join("real/target.csv").exists());
        assert!(std::fs::symlink_metadata(&dest)
            .unwrap()
            .file_type()
            .is_symlink());
        // A link to nothing yet: the file is created where it points.
        SeriesFile::create(&dest).unwrap().finish().unwrap();
        assert!(std::fs::symlink_metadata(dir.join("real/target.csv"))
            .unwrap()
            .is_file());
        assert!(std::fs::symlink_metadata(&dest)
            .unwrap()
            .file_type()
            .is_symlink());
        // A link to itself is an error, not a loop.
        symlink("self.csv", dir.join("self.csv")).unwrap();
        assert!(SeriesFile::create(&dir.join("self.csv")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_fifo_is_written_through_and_stays_a_fifo() {
        use std::os::unix::fs::FileTypeExt;
        let dir = folder("fifo");
        let fifo = dir.join("p");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        assert_eq!(
            Destination::of(&fifo).unwrap(),
            Destination::Through(fifo.clone())
        );
        let file = SeriesFile::create(&fifo).unwrap();
        assert_eq!(file.finish().unwrap(), 0);
        assert_eq!(reader.join().unwrap(), format!("{SERIES_HEADER}\n"));
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
        // Discarding a failed match's series leaves the pipe alone.
        discard(&fifo, Some(std::process::id()));
        assert!(std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo());
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_is_refused_before_anything_is_written() {
        let dir = folder("dir");
        let err = SeriesFile::create(&dir).err().expect("refused");
        assert!(err.to_string().contains("is a directory"), "{err}");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
