//! The search loop: a Latin-hypercube first batch, successive halving over it, then compass
//! refinement around the best, with every evaluation going through an [`Evaluator`] (which
//! plays a point's role tournament somewhere and solves its equilibria) and into the journal.
//!
//! Batches are whole: the driver hands the evaluator every request of a batch at once (so an
//! executor can submit them as one job array) and receives the results in request order.
//! Which batch comes next depends only on earlier results, and a journalled result is used
//! instead of re-evaluating, so an interrupted and resumed search makes exactly the requests
//! an uninterrupted one makes, minus those already journalled, and returns the same outcome.
//! Budgets count points and matches; an optional wall-time budget (`hours`, asked of the
//! evaluator between batches) stops at a batch boundary, which makes the outcome depend on the
//! machine's speed: such a search is reproduced from its journal (`--resume`), not from the
//! file alone.

use super::halving::{self, Score};
use super::journal::{Entry, Journal, JournalError};
use super::pareto;
use super::refine;
use super::sampler::latin_hypercube;
use super::space::{Level, Space};
use serde::{Deserialize, Serialize};

/// A measured quantity with its bootstrap interval; NaN when it could not be measured
/// (written as `null` in the journal).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    #[serde(with = "nan_as_null")]
    pub value: f64,
    #[serde(with = "nan_as_null")]
    pub lo: f64,
    #[serde(with = "nan_as_null")]
    pub hi: f64,
}

/// What evaluating one point gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The search file's objectives in its order, each to be minimised (a maximised one is
    /// negated by the evaluator, interval bounds swapped).
    pub objectives: Vec<Estimate>,
    /// Per constraint, the share of bootstrap resamples in which it holds.
    pub constraints: Vec<f64>,
    /// Matches played for this evaluation.
    pub matches: u64,
}

impl Evaluation {
    /// The ranking view: the primary objective, and as feasibility the smallest margin over
    /// the constraints of (share of resamples where it holds − its required confidence), so
    /// that a margin ≥ 0 means feasible ([`FEASIBLE`]); +∞ without constraints.
    pub fn score(&self, required: &[f64]) -> Score {
        let primary = self.objectives.first().copied().unwrap_or(Estimate {
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
        });
        Score {
            value: primary.value,
            lo: primary.lo,
            hi: primary.hi,
            feasible: self
                .constraints
                .iter()
                .zip(required)
                .map(|(share, need)| share - need)
                .fold(f64::INFINITY, f64::min),
        }
    }
}

/// The feasibility margin from which a point counts as feasible (see [`Evaluation::score`]).
pub const FEASIBLE: f64 = 0.0;

/// One point to evaluate at a number of repetitions per profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub point: usize,
    pub coords: Vec<f64>,
    pub values: Vec<Level>,
    pub repetitions: u32,
}

/// Plays and analyses points. Must be a function of the requests alone (same request, same
/// evaluation), whatever else it is asked in the same batch and whatever runs it.
pub trait Evaluator {
    fn evaluate(&mut self, batch: &[Request]) -> Result<Vec<Evaluation>, String>;

    /// Whether a wall-time budget is spent, and how to say so. The driver asks before each
    /// batch after the first that has something new to evaluate; the evaluator owns the clock (the method
    /// never reads one), so without a time budget the outcome depends on the file alone.
    fn time_budget_spent(&self) -> Option<String> {
        None
    }
}

/// The method's settings (the search file's `method:` and `budget:`).
#[derive(Clone, Debug, PartialEq)]
pub struct Method {
    pub seed: u64,
    /// Points in the space-filling first batch.
    pub initial_points: usize,
    /// Halving rate: keep `1/eta`, multiply repetitions by `eta`.
    pub eta: usize,
    pub min_repetitions: u32,
    pub max_repetitions: u32,
    /// Compass-search rounds after halving, and their first step (in unit-cube coordinates).
    pub refine_rounds: u32,
    pub refine_step: f64,
    /// Per constraint, the share of bootstrap resamples in which it must hold.
    pub required: Vec<f64>,
    /// Budget: distinct points evaluated, and matches played (0 = unlimited).
    pub max_points: usize,
    pub max_matches: u64,
}

/// Which stage of the method asked for an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Initial,
    Halving(u32),
    Refine(u32),
}

impl Phase {
    pub fn label(self) -> String {
        match self {
            Phase::Initial => "initial".into(),
            Phase::Halving(r) => format!("halving-{r}"),
            Phase::Refine(r) => format!("refine-{r}"),
        }
    }
}

/// One evaluation of the search, in the order made.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub phase: Phase,
    pub request: Request,
    pub evaluation: Evaluation,
    /// Taken from the journal rather than evaluated in this run.
    pub resumed: bool,
}

/// What the search found.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub records: Vec<Record>,
    /// The record of the best point at the highest repetitions reached (None without records).
    pub best: Option<usize>,
    /// Records (each point's evaluation at its highest repetitions) on the Pareto front of the
    /// objectives, among the feasible points (among all points when none is feasible).
    pub front: Vec<usize>,
    /// Why the search stopped early, if a budget did it.
    pub stopped_by_budget: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("evaluating a batch failed: {0}")]
    Evaluation(String),
    #[error("the evaluator returned {got} results for {asked} requests")]
    Mismatch { asked: usize, got: usize },
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// The running state: every point's coordinates (its id is its index) and the records.
struct State<'a> {
    space: &'a Space,
    method: &'a Method,
    points: Vec<Vec<f64>>,
    records: Vec<Record>,
    budget_hit: Option<String>,
}

impl State<'_> {
    /// The id of the point at canonical `coords`, adding it when new.
    fn point_id(&mut self, coords: &[f64]) -> usize {
        let c = self.space.canonical(coords);
        if let Some(k) = self.points.iter().position(|p| *p == c) {
            return k;
        }
        self.points.push(c);
        self.points.len() - 1
    }

    fn matches_spent(&self) -> u64 {
        self.records.iter().map(|r| r.evaluation.matches).sum()
    }

    /// True (and noted) once the match budget is spent: no further batch starts.
    fn matches_exhausted(&mut self) -> bool {
        let m = self.method;
        if m.max_matches > 0 && self.matches_spent() >= m.max_matches {
            self.budget_hit
                .get_or_insert_with(|| format!("match budget of {} spent", m.max_matches));
            return true;
        }
        false
    }

    /// True once no new point may be added.
    fn points_exhausted(&self) -> bool {
        self.method.max_points > 0 && self.distinct_points_evaluated() >= self.method.max_points
    }

    /// The evaluation of `point` at `reps` if this run already made it.
    fn known(&self, point: usize, reps: u32) -> Option<&Evaluation> {
        self.records
            .iter()
            .find(|r| r.request.point == point && r.request.repetitions == reps)
            .map(|r| &r.evaluation)
    }

    /// Evaluate `points` at `reps` (skipping ones already evaluated at `reps` in this run),
    /// using the journal where it has them; returns their scores in the order given. Stops at
    /// the budget: points beyond `max_points` are not added, and no batch starts once
    /// `max_matches` is spent.
    fn batch(
        &mut self,
        phase: Phase,
        points: &[usize],
        reps: u32,
        journal: &mut Journal,
        evaluator: &mut dyn Evaluator,
    ) -> Result<Vec<(usize, Score)>, SearchError> {
        let m = self.method;
        if self.matches_exhausted() {
            return Ok(self.scores(points, reps));
        }
        let mut requests: Vec<Request> = Vec::new();
        let mut distinct = self.distinct_points_evaluated();
        for &p in points {
            if self.known(p, reps).is_some() || requests.iter().any(|r| r.point == p) {
                continue;
            }
            if !self.records.iter().any(|r| r.request.point == p) {
                if m.max_points > 0 && distinct >= m.max_points {
                    self.budget_hit
                        .get_or_insert_with(|| format!("point budget of {} reached", m.max_points));
                    continue;
                }
                distinct += 1;
            }
            requests.push(Request {
                point: p,
                coords: self.points[p].clone(),
                values: self.space.decode(&self.points[p]),
                repetitions: reps,
            });
        }
        // The journal's entries are those it held when opened: what an earlier run finished.
        let missing: Vec<Request> = requests
            .iter()
            .filter(|r| journal.find(r.point, &r.coords, r.repetitions).is_none())
            .cloned()
            .collect();
        let mut fresh = Vec::new().into_iter();
        // The first batch always runs: a search with nothing evaluated has nothing to say.
        if !missing.is_empty() && !self.records.is_empty() {
            if let Some(why) = evaluator.time_budget_spent() {
                // Out of time: what the journal holds still counts; nothing new starts.
                self.budget_hit.get_or_insert(why);
                requests.retain(|r| journal.find(r.point, &r.coords, r.repetitions).is_some());
                return Ok(self.push_journalled(phase, requests, journal));
            }
        }
        if !missing.is_empty() {
            let out = evaluator
                .evaluate(&missing)
                .map_err(SearchError::Evaluation)?;
            if out.len() != missing.len() {
                return Err(SearchError::Mismatch {
                    asked: missing.len(),
                    got: out.len(),
                });
            }
            for (r, e) in missing.iter().zip(&out) {
                journal.append(&Entry {
                    point: r.point,
                    coords: r.coords.clone(),
                    repetitions: r.repetitions,
                    evaluation: e.clone(),
                })?;
            }
            fresh = out.into_iter();
        }
        for r in requests {
            let (evaluation, resumed) = match journal.find(r.point, &r.coords, r.repetitions) {
                Some(e) => (e.clone(), true),
                None => (fresh.next().expect("one result per missing request"), false),
            };
            self.records.push(Record {
                phase,
                request: r,
                evaluation,
                resumed,
            });
        }
        Ok(self.scores(points, reps))
    }

    /// Record `requests`, every one of them journalled, and return the scores of the
    /// batch's points known at their repetitions.
    fn push_journalled(
        &mut self,
        phase: Phase,
        requests: Vec<Request>,
        journal: &Journal,
    ) -> Vec<(usize, Score)> {
        let reps = requests.first().map(|r| r.repetitions);
        let points: Vec<usize> = requests.iter().map(|r| r.point).collect();
        for r in requests {
            if let Some(e) = journal.find(r.point, &r.coords, r.repetitions) {
                let evaluation = e.clone();
                self.records.push(Record {
                    phase,
                    request: r,
                    evaluation,
                    resumed: true,
                });
            }
        }
        reps.map(|reps| self.scores(&points, reps))
            .unwrap_or_default()
    }

    fn distinct_points_evaluated(&self) -> usize {
        let mut seen: Vec<usize> = self.records.iter().map(|r| r.request.point).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Scores of those of `points` evaluated at `reps`, in the order given.
    fn scores(&self, points: &[usize], reps: u32) -> Vec<(usize, Score)> {
        points
            .iter()
            .filter_map(|&p| {
                self.known(p, reps)
                    .map(|e| (p, e.score(&self.method.required)))
            })
            .collect()
    }
}

/// Run the search. `journal` holds what an earlier, interrupted run of the same search
/// finished; those evaluations are reused, never repeated.
pub fn run(
    space: &Space,
    method: &Method,
    evaluator: &mut dyn Evaluator,
    journal: &mut Journal,
) -> Result<Outcome, SearchError> {
    assert!(method.eta >= 2 && method.initial_points >= 1);
    let mut st = State {
        space,
        method,
        points: Vec::new(),
        records: Vec::new(),
        budget_hit: None,
    };
    // 1. Space-filling first batch.
    let first: Vec<usize> = latin_hypercube(method.initial_points, space.len(), method.seed)
        .iter()
        .map(|u| st.point_id(u))
        .collect();
    let mut reps = method
        .min_repetitions
        .clamp(1, method.max_repetitions.max(1));
    let mut scored = st.batch(
        Phase::Initial,
        &unique_in_order(&first),
        reps,
        journal,
        evaluator,
    )?;

    // 2. Successive halving with racing, until the survivors have the most repetitions.
    let mut rung = 0;
    // Halving adds no points, so only the match budget stops it.
    while reps < method.max_repetitions && !st.matches_exhausted() {
        let promoted = halving::promote(&scored, method.eta, FEASIBLE);
        if promoted.is_empty() {
            break;
        }
        rung += 1;
        reps = halving::repetitions_at(
            rung,
            method.min_repetitions,
            method.max_repetitions,
            method.eta,
        );
        scored = st.batch(Phase::Halving(rung), &promoted, reps, journal, evaluator)?;
    }
    let top_reps = reps;

    // 3. Compass refinement around the best at the top repetitions.
    if let Some(&best) = halving::rank(&scored, FEASIBLE).first() {
        let mut centre = best;
        let mut step = method.refine_step;
        for round in 1..=method.refine_rounds {
            if st.matches_exhausted() {
                break;
            }
            if st.points_exhausted() {
                st.budget_hit.get_or_insert_with(|| {
                    format!("point budget of {} reached", method.max_points)
                });
                break;
            }
            let around: Vec<usize> = refine::neighbours(space, &st.points[centre].clone(), step)
                .iter()
                .map(|u| st.point_id(u))
                .collect();
            let mut candidates = vec![centre];
            candidates.extend(unique_in_order(&around));
            let s = st.batch(
                Phase::Refine(round),
                &candidates,
                top_reps,
                journal,
                evaluator,
            )?;
            match halving::rank(&s, FEASIBLE).first() {
                Some(&b) if b != centre => centre = b,
                _ => step /= 2.0,
            }
        }
    }

    Ok(finish(st, top_reps))
}

fn unique_in_order(ids: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    for &i in ids {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// Best point and Pareto front from the records.
fn finish(st: State<'_>, top_reps: u32) -> Outcome {
    let m = st.method;
    let records = st.records;
    let at_top: Vec<(usize, Score)> = records
        .iter()
        .filter(|r| r.request.repetitions == top_reps)
        .map(|r| (r.request.point, r.evaluation.score(&m.required)))
        .collect();
    let best = halving::rank(&at_top, FEASIBLE).first().map(|&p| {
        records
            .iter()
            .position(|r| r.request.point == p && r.request.repetitions == top_reps)
            .unwrap()
    });
    // Each point's evaluation at its highest repetitions (the last such record).
    let mut latest: Vec<usize> = Vec::new();
    for (k, r) in records.iter().enumerate() {
        match latest
            .iter()
            .position(|&j| records[j].request.point == r.request.point)
        {
            Some(at) if records[latest[at]].request.repetitions <= r.request.repetitions => {
                latest[at] = k
            }
            Some(_) => {}
            None => latest.push(k),
        }
    }
    let feasible: Vec<usize> = latest
        .iter()
        .copied()
        .filter(|&k| records[k].evaluation.score(&m.required).feasible >= FEASIBLE)
        .collect();
    let pool = if feasible.is_empty() {
        latest
    } else {
        feasible
    };
    let values: Vec<Vec<f64>> = pool
        .iter()
        .map(|&k| {
            records[k]
                .evaluation
                .objectives
                .iter()
                .map(|o| o.value)
                .collect()
        })
        .collect();
    let front = pareto::front(&values)
        .into_iter()
        .map(|i| pool[i])
        .collect();
    Outcome {
        records,
        best,
        front,
        stopped_by_budget: st.budget_hit,
    }
}

/// serde for an `f64` that may be NaN: NaN ⇄ `null` (JSON has no NaN).
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_f64(*x)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;
    use crate::search::space::{Dimension, Domain};

    /// A noisy bowl with its minimum at (0.3, 0.7) in the unit cube: f = (x − 0.3)² +
    /// (y − 0.7)² plus normal noise of σ = 0.02/√reps, seeded by the request alone; the
    /// constraint holds (confidence 1) where x < 0.8 and with confidence 0.2 elsewhere.
    struct Bowl {
        calls: Vec<Vec<(usize, u32)>>,
        fail_on_call: Option<usize>,
    }

    impl Bowl {
        fn new() -> Bowl {
            Bowl {
                calls: Vec::new(),
                fail_on_call: None,
            }
        }
    }

    impl Evaluator for Bowl {
        fn evaluate(&mut self, batch: &[Request]) -> Result<Vec<Evaluation>, String> {
            if self.fail_on_call == Some(self.calls.len()) {
                return Err("killed".into());
            }
            self.calls
                .push(batch.iter().map(|r| (r.point, r.repetitions)).collect());
            Ok(batch
                .iter()
                .map(|r| {
                    let (x, y) = (r.coords[0], r.coords[1]);
                    let label = format!("{:?}/{}", r.coords, r.repetitions);
                    let sigma = 0.02 / (r.repetitions as f64).sqrt();
                    let f = (x - 0.3).powi(2)
                        + (y - 0.7).powi(2)
                        + sigma * rng::normal(&mut rng::stream(1, &label));
                    Evaluation {
                        objectives: vec![
                            Estimate {
                                value: f,
                                lo: f - 2.0 * sigma,
                                hi: f + 2.0 * sigma,
                            },
                            // A second objective pulling the other way: prefer small x.
                            Estimate {
                                value: x,
                                lo: x,
                                hi: x,
                            },
                        ],
                        constraints: vec![if x < 0.8 { 1.0 } else { 0.2 }],
                        matches: 10 * r.repetitions as u64,
                    }
                })
                .collect())
        }
    }

    fn space() -> Space {
        let unit = |k: &str| Dimension {
            knob: k.into(),
            domain: Domain::Range {
                lo: 0.0,
                hi: 1.0,
                log: false,
                integer: false,
            },
        };
        Space::new(vec![unit("x"), unit("y")]).unwrap()
    }

    fn method() -> Method {
        Method {
            seed: 7,
            initial_points: 27,
            eta: 3,
            min_repetitions: 2,
            max_repetitions: 18,
            refine_rounds: 6,
            refine_step: 0.1,
            required: vec![0.9],
            max_points: 0,
            max_matches: 0,
        }
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("search-driver-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("journal.jsonl")
    }

    fn without_resumed(o: &Outcome) -> Vec<(Phase, Request, Evaluation)> {
        o.records
            .iter()
            .map(|r| (r.phase, r.request.clone(), r.evaluation.clone()))
            .collect()
    }

    #[test]
    fn halving_spends_repetitions_on_the_promising_and_refinement_finds_the_bowl() {
        let path = scratch("bowl");
        let mut j = Journal::open(&path, "bowl", false).unwrap();
        let mut bowl = Bowl::new();
        let o = run(&space(), &method(), &mut bowl, &mut j).unwrap();
        let at = |reps: u32, phase: fn(Phase) -> bool| {
            o.records
                .iter()
                .filter(|r| r.request.repetitions == reps && phase(r.phase))
                .count()
        };
        // 27 points at 2 repetitions, the best ceil(27/3) = 9 (fewer if raced out) at 6, then
        // at most 3 at 18.
        assert_eq!(at(2, |p| p == Phase::Initial), 27);
        let rung1 = at(6, |p| p == Phase::Halving(1));
        let rung2 = at(18, |p| p == Phase::Halving(2));
        assert!((1..=9).contains(&rung1), "{rung1}");
        assert!((1..=3).contains(&rung2) && rung2 <= rung1, "{rung2}");
        // Refinement runs at the top repetitions only.
        assert!(o
            .records
            .iter()
            .filter(|r| matches!(r.phase, Phase::Refine(_)))
            .all(|r| r.request.repetitions == 18));
        // The best point is evaluated at 18 repetitions, is feasible and lies near (0.3, 0.7):
        // the noise at 18 repetitions is σ = 0.02/√18 ≈ 0.005, i.e. f differences of a
        // distance ≈ 0.07 from the minimum.
        let best = &o.records[o.best.unwrap()];
        assert_eq!(best.request.repetitions, 18);
        // margin 1.0 − 0.9
        assert!(best.evaluation.score(&[0.9]).feasible > 0.0);
        let (x, y) = (best.request.coords[0], best.request.coords[1]);
        assert!(
            (x - 0.3).abs() < 0.08 && (y - 0.7).abs() < 0.08,
            "best at ({x}, {y})"
        );
        // The front: feasible points only, none dominated by another feasible point.
        assert!(!o.front.is_empty());
        for &k in &o.front {
            let r = &o.records[k];
            assert!(r.request.coords[0] < 0.8);
        }
        // Matches: 10 per repetition.
        let spent: u64 = o.records.iter().map(|r| r.evaluation.matches).sum();
        let reps: u64 = o.records.iter().map(|r| r.request.repetitions as u64).sum();
        assert_eq!(spent, 10 * reps);
    }

    #[test]
    fn a_killed_search_resumes_from_its_journal_to_the_same_outcome() {
        let whole_path = scratch("whole");
        let mut whole_bowl = Bowl::new();
        let whole = run(
            &space(),
            &method(),
            &mut whole_bowl,
            &mut Journal::open(&whole_path, "bowl", false).unwrap(),
        )
        .unwrap();
        // Same file, same outcome.
        let again = run(
            &space(),
            &method(),
            &mut Bowl::new(),
            &mut Journal::open(&scratch("again"), "bowl", false).unwrap(),
        )
        .unwrap();
        assert_eq!(whole, again);

        // Killed during its third batch: the first two batches are journalled.
        let path = scratch("killed");
        let mut killed = Bowl::new();
        killed.fail_on_call = Some(2);
        let err = run(
            &space(),
            &method(),
            &mut killed,
            &mut Journal::open(&path, "bowl", false).unwrap(),
        )
        .unwrap_err();
        assert!(matches!(err, SearchError::Evaluation(_)), "{err}");
        let journalled: usize = killed.calls.iter().map(Vec::len).sum();
        assert_eq!(
            journalled,
            whole_bowl.calls[0].len() + whole_bowl.calls[1].len()
        );

        let mut resumed_bowl = Bowl::new();
        let resumed = run(
            &space(),
            &method(),
            &mut resumed_bowl,
            &mut Journal::open(&path, "bowl", true).unwrap(),
        )
        .unwrap();
        assert_eq!(without_resumed(&resumed), without_resumed(&whole));
        assert_eq!((resumed.best, &resumed.front), (whole.best, &whole.front));
        // Nothing journalled was evaluated again: the resumed run asked for exactly the
        // batches the whole run made after the second.
        assert_eq!(resumed_bowl.calls, whole_bowl.calls[2..].to_vec());
        assert_eq!(
            resumed.records.iter().filter(|r| r.resumed).count(),
            journalled
        );
    }

    #[test]
    fn budgets_stop_the_search() {
        let mut m = method();
        m.max_points = 10;
        let o = run(
            &space(),
            &m,
            &mut Bowl::new(),
            &mut Journal::open(&scratch("points"), "bowl", false).unwrap(),
        )
        .unwrap();
        let mut points: Vec<usize> = o.records.iter().map(|r| r.request.point).collect();
        points.sort_unstable();
        points.dedup();
        assert_eq!(points.len(), 10);
        // Halving among the ten still runs to the top repetitions: 10 → 4 → 2.
        assert_eq!(o.records[o.best.unwrap()].request.repetitions, 18);
        assert_eq!(
            o.stopped_by_budget.as_deref(),
            Some("point budget of 10 reached")
        );

        // 27 points × 2 repetitions × 10 matches = 540 matches exhaust a budget of 500 after
        // the first batch: no further batch starts.
        let mut m = method();
        m.max_matches = 500;
        let o = run(
            &space(),
            &m,
            &mut Bowl::new(),
            &mut Journal::open(&scratch("matches"), "bowl", false).unwrap(),
        )
        .unwrap();
        assert_eq!(o.records.len(), 27);
        assert_eq!(
            o.stopped_by_budget.as_deref(),
            Some("match budget of 500 spent")
        );
    }

    /// A [`Bowl`] whose wall-time budget is spent after `batches` evaluated batches (a
    /// stand-in for the CLI's clock).
    struct OutOfTime {
        bowl: Bowl,
        batches: usize,
    }

    impl Evaluator for OutOfTime {
        fn evaluate(&mut self, batch: &[Request]) -> Result<Vec<Evaluation>, String> {
            self.bowl.evaluate(batch)
        }
        fn time_budget_spent(&self) -> Option<String> {
            (self.bowl.calls.len() >= self.batches).then(|| "hours budget of 0.5 spent".into())
        }
    }

    #[test]
    fn a_time_budget_stops_at_a_batch_boundary_and_resuming_goes_on() {
        // Out of time after the first batch (27 points at 2 repetitions): nothing else starts.
        let path = scratch("hours");
        let mut timed = OutOfTime {
            bowl: Bowl::new(),
            batches: 1,
        };
        let o = run(
            &space(),
            &method(),
            &mut timed,
            &mut Journal::open(&path, "bowl", false).unwrap(),
        )
        .unwrap();
        assert_eq!(timed.bowl.calls.len(), 1);
        assert_eq!(o.records.len(), 27);
        assert_eq!(
            o.stopped_by_budget.as_deref(),
            Some("hours budget of 0.5 spent")
        );
        // Resumed with time to spare: the journalled batch is reused, the rest is played, and
        // the outcome is the uninterrupted search's.
        let mut more = Bowl::new();
        let resumed = run(
            &space(),
            &method(),
            &mut more,
            &mut Journal::open(&path, "bowl", true).unwrap(),
        )
        .unwrap();
        assert!(more
            .calls
            .iter()
            .all(|c| c.iter().all(|&(_, reps)| reps > 2)));
        let whole = run(
            &space(),
            &method(),
            &mut Bowl::new(),
            &mut Journal::open(&scratch("hours-whole"), "bowl", false).unwrap(),
        )
        .unwrap();
        assert_eq!(resumed.best, whole.best);
        assert_eq!(resumed.records.len(), whole.records.len());
        assert_eq!(resumed.stopped_by_budget, None);
    }

    #[test]
    fn score_takes_the_weakest_constraint_margin() {
        let e = Evaluation {
            objectives: vec![Estimate {
                value: 0.4,
                lo: 0.3,
                hi: 0.5,
            }],
            constraints: vec![0.75, 0.5, 1.0],
            matches: 3,
        };
        // margins: 0.75 − 0.5 = 0.25, 0.5 − 0.75 = −0.25, 1 − 0.5 = 0.5 → −0.25 (exact in binary)
        let s = e.score(&[0.5, 0.75, 0.5]);
        assert_eq!((s.value, s.lo, s.hi, s.feasible), (0.4, 0.3, 0.5, -0.25));
        assert_eq!(e.score(&[0.5, 0.5, 0.5]).feasible, 0.0, "exactly feasible");
        assert_eq!(
            Evaluation {
                constraints: vec![],
                ..e
            }
            .score(&[])
            .feasible,
            f64::INFINITY
        );
    }
}
