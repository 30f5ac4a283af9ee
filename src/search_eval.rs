//! How `tourney search` evaluates a point: the base role tournament with the point's knob
//! values and the rung's repetitions is written to `points/p<id>-r<reps>.yaml`, every point
//! of a batch is played through the executor (locally or as one Slurm job array), and each
//! result's role game is solved with its bootstrap (`tourney_reports::role_games`), giving the
//! objectives with their intervals and, per constraint, the share of resamples where it holds.

use crate::executor::{Executor, Job};
use crate::point_yaml::{apply, set_repetitions};
use crate::Failure;
use serde_yaml::Value;
use std::path::PathBuf;
use tourney_engine::search::config::{Constraint, Measure, Objective, Support};
use tourney_engine::search::driver::{Estimate, Evaluation, Evaluator, Request};
use tourney_reports::role_games::{build::role_games, solve, RoleCell, RoleOptions};

pub struct RoleEvaluator {
    /// The base tournament with absolute strategy paths.
    pub base: Value,
    pub knobs: Vec<String>,
    pub objectives: Vec<Objective>,
    pub constraints: Vec<Constraint>,
    /// Where point tournaments and their results go.
    pub dir: PathBuf,
    pub executor: Executor,
    pub quiet: bool,
    /// Wall time spent playing batches (the engine, through the executor) and analysing
    /// their results (reading the raw table, building and solving the role game with its
    /// bootstrap). Reported on stderr by `tourney search`, never written to an output file:
    /// times differ run to run, the outputs must not.
    pub timing: Timing,
    /// The search file's `budget.hours`, from when the search started: once past it, no new
    /// batch starts (`Evaluator::time_budget_spent`).
    pub deadline: Option<(std::time::Instant, f64)>,
}

/// Where a search's wall time went, summed over its batches.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timing {
    pub engine: std::time::Duration,
    pub analysis: std::time::Duration,
    pub evaluations: usize,
}

const NAN: Estimate = Estimate {
    value: f64::NAN,
    lo: f64::NAN,
    hi: f64::NAN,
};

fn failure_text(f: Failure) -> String {
    match f {
        Failure::Input(e) => e.to_string(),
        Failure::Usage(e) | Failure::Reported(e) | Failure::Run(e) => e,
    }
}

impl RoleEvaluator {
    /// The point's tournament and result directory.
    fn job(&self, r: &Request) -> Result<Job, String> {
        let mut doc = apply(&self.base, &self.knobs, &r.values)?;
        set_repetitions(&mut doc, r.repetitions);
        let stem = format!("p{:04}-r{}", r.point, r.repetitions);
        let yaml = self.dir.join(format!("{stem}.yaml"));
        let text = serde_yaml::to_string(&doc).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(&self.dir).map_err(|e| format!("{}: {e}", self.dir.display()))?;
        std::fs::write(&yaml, text).map_err(|e| format!("{}: {e}", yaml.display()))?;
        Ok(Job {
            yaml,
            out: self.dir.join(stem),
        })
    }
}

/// Role `role`'s index and strategy `strategy`'s index in it.
fn role_strategy(
    cell: &RoleCell,
    role: &str,
    strategy: Option<&str>,
) -> Result<(usize, usize), String> {
    let roles = cell.game().roles();
    let r = roles.iter().position(|x| x.name == role).ok_or_else(|| {
        let names: Vec<&str> = roles.iter().map(|x| x.name.as_str()).collect();
        format!(
            "the search names role `{role}`; the tournament's roles are {}",
            names.join(", ")
        )
    })?;
    let Some(strategy) = strategy else {
        return Ok((r, 0));
    };
    let s = roles[r]
        .strategies
        .iter()
        .position(|x| x == strategy)
        .ok_or_else(|| {
            format!(
                "the search names strategy `{strategy}` in role `{role}`, which plays {}",
                roles[r].strategies.join(", ")
            )
        })?;
    Ok((r, s))
}

/// One measure at the cell's verdict equilibrium, with its bootstrap interval (NaN without an
/// equilibrium); a name the game does not have is an error.
pub fn measure(cell: &RoleCell, m: &Measure) -> Result<Estimate, String> {
    let game = cell.game();
    let at = cell.reference().zip(cell.confidence.as_ref());
    let est = |value: f64, (lo, hi): (f64, f64)| Estimate { value, lo, hi };
    Ok(match m {
        Measure::Observable(name) => {
            let k = game
                .observables()
                .iter()
                .position(|o| o == name)
                .ok_or_else(|| {
                    format!(
                        "unknown observable `{name}`; known: {}",
                        game.observables().join(", ")
                    )
                })?;
            at.map_or(NAN, |(eq, c)| {
                est(game.observable_at(&eq.mix, k), c.observable_interval[k])
            })
        }
        Measure::Weight(rs) => {
            let (r, s) = role_strategy(cell, &rs.role, Some(&rs.strategy))?;
            at.map_or(NAN, |(eq, c)| est(eq.mix[r][s], c.weight_interval[r][s]))
        }
        Measure::Payoff(role) => {
            let (r, _) = role_strategy(cell, role, None)?;
            at.map_or(NAN, |(eq, c)| est(eq.payoff[r], c.payoff_interval[r]))
        }
    })
}

/// The evaluation of a solved cell.
pub fn evaluation(
    cell: &RoleCell,
    objectives: &[Objective],
    constraints: &[Constraint],
) -> Result<Evaluation, String> {
    let objectives = objectives
        .iter()
        .map(|o| match o {
            Objective::Minimise(m) => measure(cell, m),
            // Maximising x is minimising −x; the interval flips.
            Objective::Maximise(m) => measure(cell, m).map(|e| Estimate {
                value: -e.value,
                lo: -e.hi,
                hi: -e.lo,
            }),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let constraints = constraints
        .iter()
        .map(|c| {
            let (r, s) = role_strategy(cell, &c.role, Some(&c.strategy))?;
            let Some(conf) = cell.confidence.as_ref() else {
                return Ok(0.0); // no equilibrium: nothing holds with any confidence
            };
            let inside = conf.support_frequency[r][s];
            Ok(match c.support {
                Support::In => inside,
                Support::Out => 1.0 - inside,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Evaluation {
        objectives,
        constraints,
        matches: cell.built.matches as u64,
    })
}

impl Evaluator for RoleEvaluator {
    fn time_budget_spent(&self) -> Option<String> {
        let (started, hours) = self.deadline?;
        (started.elapsed().as_secs_f64() >= hours * 3600.0).then(|| {
            format!(
                "hours budget of {hours} spent (which batches ran depends on this machine's \
                 speed; the journal reproduces them: `--resume`)"
            )
        })
    }

    fn evaluate(&mut self, batch: &[Request]) -> Result<Vec<Evaluation>, String> {
        let jobs: Vec<Job> = batch
            .iter()
            .map(|r| self.job(r))
            .collect::<Result<_, _>>()?;
        let started = std::time::Instant::now();
        self.executor
            .run_batch(&jobs, self.quiet)
            .map_err(failure_text)?;
        let played = std::time::Instant::now();
        self.timing.engine += played - started;
        let evaluations = jobs
            .iter()
            .map(|job| {
                let raw = tourney_reports::tables::scan_raw(&job.out)
                    .map_err(|e| format!("{}: {e}", job.out.display()))?;
                let mut games =
                    role_games(raw).map_err(|e| format!("{}: {e}", job.out.display()))?;
                if games.len() != 1 {
                    return Err(format!(
                        "{}: a search point must be one role game (one mechanism, one \
                         schedule, format: roles); this tournament gives {}",
                        job.yaml.display(),
                        games.len()
                    ));
                }
                let cell = solve(games.remove(0), &RoleOptions::default(), false);
                evaluation(&cell, &self.objectives, &self.constraints)
            })
            .collect::<Result<Vec<_>, String>>()?;
        self.timing.analysis += played.elapsed();
        self.timing.evaluations += evaluations.len();
        Ok(evaluations)
    }
}
