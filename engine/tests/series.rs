//! The time series: streamed to a file or held in memory, the same bytes; every series ends
//! with a sample at the horizon, whatever its interval; a failed match leaves no series file,
//! whole or partial.

mod common;
use common::small;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tourney_engine::series::{temp_path, Series, SeriesFile, SeriesSink};
use tourney_engine::tournament::config::TournamentConfig;
use tourney_engine::tournament::{plan, play, EntrantFactory};
use tourney_engine::{run_match, run_match_with_series, MatchError, Network};
use tourney_sdk::{Action, Classifier, Observation, Role, Strategy, StrategyFault, StrategyInfo};

/// 4 background subnets for half a day: 3,600 blocks.
fn half_day(interval: u64) -> tourney_engine::MatchConfig {
    let mut c = small(3, 4, 0.5);
    c.series_interval_blocks = interval;
    c
}

fn series(interval: u64) -> Series {
    run_match(&half_day(interval), Vec::new())
        .unwrap()
        .series
        .unwrap()
}

fn blocks(s: &Series) -> Vec<u64> {
    let mut b: Vec<u64> = s.rows.iter().map(|r| r.block).collect();
    b.dedup();
    b
}

#[test]
fn an_interval_longer_than_the_match_gives_one_sample_per_subnet_at_the_horizon() {
    let s = series(1_000_000);
    assert_eq!(s.rows.len(), 4, "one row per subnet");
    assert!(
        s.rows.iter().all(|r| r.block == 3_600 && r.day == 0.5),
        "{:?}",
        s.rows
    );
    // The very rows an interval that divides the horizon samples there.
    let at_horizon = series(3_600);
    assert_eq!(s, at_horizon);
}

#[test]
fn a_horizon_off_the_interval_ends_with_its_own_sample_and_samples_do_not_depend_on_it() {
    let s = series(1_000);
    assert_eq!(blocks(&s), [1_000, 2_000, 3_000, 3_600]);
    // An interval that divides the horizon adds no sample of its own.
    assert_eq!(blocks(&series(900)), [900, 1_800, 2_700, 3_600]);
    // Sampling only reads the network: every 200 blocks sees the same rows at those blocks.
    let fine = series(200);
    let kept: Vec<_> = fine
        .rows
        .into_iter()
        .filter(|r| [1_000, 2_000, 3_000, 3_600].contains(&r.block))
        .collect();
    assert_eq!(s.rows, kept);
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tourney-series-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_streamed_series_file_holds_the_bytes_of_the_one_in_memory() {
    let dir = scratch("bytes");
    let path = dir.join("s.csv");
    let mut file = SeriesFile::create(&path).unwrap();
    let outcome = run_match_with_series(&half_day(1_000), Vec::new(), &mut file).unwrap();
    assert!(outcome.series.is_none(), "the sink has it");
    assert!(!path.exists(), "in place only once finished");
    assert_eq!(file.finish().unwrap(), 16);
    let memory = series(1_000);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), memory.to_csv());
    assert_eq!(names_in(&dir), ["s.csv"], "no temporary file left");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A sink whose disk is full.
struct Full;

impl SeriesSink for Full {
    fn sample(&mut self, _: &Network) -> std::io::Result<()> {
        Err(std::io::Error::other("no space left"))
    }
}

#[test]
fn a_sink_that_fails_stops_the_match() {
    match run_match_with_series(&half_day(1_000), Vec::new(), &mut Full) {
        Err(e @ MatchError::Series(_)) => {
            assert_eq!(e.to_string(), "cannot write the series: no space left")
        }
        other => panic!("{other:?}"),
    }
}

/// Stakes a little at every decision; with `fail_at`, the engine fails at that decision (a
/// panic out of the runner, as an engine bug would be), after checking that the series'
/// temporary file already holds rows.
struct Staker {
    fail_at: Option<u32>,
    decisions: u32,
    temp: PathBuf,
    bytes_seen: Arc<AtomicU64>,
}

impl Strategy for Staker {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "staker".into(),
            version: "1".into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }
    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        self.decisions += 1;
        let subnet = o.subnets.first().map_or(1, |s| s.id);
        actions.push(Action::Stake {
            subnet,
            tao_rao: 1_000_000,
        });
    }
    fn take_faults(&mut self) -> Vec<StrategyFault> {
        if Some(self.decisions) == self.fail_at {
            let len = std::fs::metadata(&self.temp).map_or(0, |m| m.len());
            self.bytes_seen.store(len, Ordering::SeqCst);
            panic!("deliberate failure in the middle of the match");
        }
        Vec::new()
    }
}

struct Factory {
    fail_at: Option<u32>,
    temp: PathBuf,
    bytes_seen: Arc<AtomicU64>,
}

impl EntrantFactory for Factory {
    fn create(&self, _: usize, _: u64) -> Result<Box<dyn Strategy>, String> {
        Ok(Box::new(Staker {
            fail_at: self.fail_at,
            decisions: 0,
            temp: self.temp.clone(),
            bytes_seen: Arc::clone(&self.bytes_seen),
        }))
    }
}

/// One entrant in self-play for half a day, its series sampled every block.
fn tournament() -> TournamentConfig {
    serde_yaml::from_str(
        "name: t\nseed: 4\nentrants: [{name: staker, plugin: none}]\nmechanisms: [dtao-price]\n\
         horizon_days: 0.5\nnetwork: {background_subnets: 4}\n\
         outputs: {series: true, series_interval_blocks: 1}\n",
    )
    .unwrap()
}

#[test]
fn a_match_that_fails_leaves_no_series_file_whole_or_partial() {
    let dir = scratch("failed");
    let config = tournament();
    let planned = plan::planned(&config, 0).unwrap();
    let path = dir.join("m.csv");
    let bytes_seen = Arc::new(AtomicU64::new(0));
    let factory = |fail_at| Factory {
        fail_at,
        temp: temp_path(&path, std::process::id()),
        bytes_seen: Arc::clone(&bytes_seen),
    };

    // A match that ends: its series is in place, up to the horizon, and nothing else.
    let result = play(&config, &factory(None), &planned, Some(&path));
    assert!(
        result.rows.iter().all(|r| r.status == "ok"),
        "{:?}",
        result.rows
    );
    assert!(result.run_error.is_none());
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(csv.lines().count(), 1 + 3_600 * 4, "every block, 4 subnets");
    assert!(csv.lines().last().unwrap().starts_with("3600,0.5,"));
    assert_eq!(names_in(&dir), ["m.csv"]);

    // The same match failing at its third decision (block 720), the earlier series still there.
    let result = play(&config, &factory(Some(3)), &planned, Some(&path));
    assert!(
        bytes_seen.load(Ordering::SeqCst) > 0,
        "the series was being written to its temporary file when the match failed"
    );
    assert!(
        result
            .rows
            .iter()
            .all(|r| r.status == "error" && r.reason.contains("panicked")),
        "{:?}",
        result.rows
    );
    assert!(result.run_error.is_none(), "the match failed, not the file");
    assert_eq!(
        names_in(&dir),
        Vec::<String>::new(),
        "neither the partial series nor an earlier one is left"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
