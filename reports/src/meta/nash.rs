//! All symmetric Nash equilibria of a symmetric two-player game, exactly.
//!
//! Method: the payoffs are quantized to integers (multiples of `quantum`, default 1e-9 TAO = one
//! rao, the chain's own precision) and every computation after that is exact — integer
//! elimination without fractions (`solve`), and `BigRational`s only for the extreme points
//! found — so ties and degenerate games are decided exactly, never by a tolerance.
//!
//! A mixed strategy `x` is a symmetric equilibrium iff every strategy in its support earns the
//! best payoff against `x`: `(Ax)_i = v` for `i ∈ supp(x)` and `(Ax)_k ≤ v` for all `k`.
//! The equilibrium set is a finite union of polytopes; we report their **extreme points**.
//! A point `x` is an extreme point iff the system made of its active constraints,
//! `x_i = 0 (i ∉ S)`, `(Ax)_j = v (j ∈ BR(x))`, `Σ x = 1`, has a unique solution `(x, v)`.
//! So, for every non-empty support `S` (all `2^n − 1` of them):
//! 1. solve `A_SS x_S = v·1, Σ x_S = 1` exactly; if it is inconsistent, no equilibrium has
//!    support `S`; if the solution is unique, it is the only candidate;
//! 2. if the solution space has dimension `d ≥ 1` (the game is degenerate on `S`, e.g. it has
//!    duplicate strategies), extreme points with support `S` must make `d` further best-response
//!    equations `(Ax)_k = v, k ∉ S` tight: every such set `U` of `d` outside rows is tried and
//!    each unique solution is a candidate;
//! 3. a candidate is kept iff `x_S > 0` strictly (points with zeros are found under smaller
//!    supports) and `(Ax)_k ≤ v` for every `k`.
//!
//! Candidates are deduplicated exactly. Two extreme points belong to the same convex piece of
//! the equilibrium set iff the segment between them consists of equilibria; the conditions are
//! linear along the segment, so it suffices (and is necessary) that the points at 1/3 and 2/3
//! are equilibria. Extreme points joined this way are grouped (union–find) into
//! **components**; a component with more than one extreme point is a continuum of equilibria
//! (every convex combination along the joining segments is an equilibrium too).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use serde::Serialize;

use super::Game;

/// Options of the exact equilibrium search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NashOptions {
    /// Payoffs are rounded to integer multiples of this before the exact solve (default 1e-9,
    /// one rao in TAO).
    pub quantum: f64,
    /// Refuse games larger than this (the search visits 2^n supports).
    pub max_strategies: usize,
}

impl Default for NashOptions {
    fn default() -> Self {
        NashOptions {
            quantum: 1e-9,
            max_strategies: 16,
        }
    }
}

/// One extreme point of the symmetric equilibrium set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equilibrium {
    /// Probability of each strategy (same order as the game's strategies).
    pub mix: Vec<f64>,
    /// The exact probabilities as reduced fractions ("1/3").
    pub mix_exact: Vec<String>,
    /// Indices of the strategies played with positive probability.
    pub support: Vec<usize>,
    /// Expected payoff of every player at the equilibrium (in the game's payoff unit).
    pub payoff: f64,
    /// Index of the component (connected piece of the equilibrium set) it belongs to.
    pub component: usize,
}

/// All symmetric equilibria of a game, as extreme points grouped into components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquilibriumSet {
    /// Extreme points, sorted by component, then support size, then support, then mix.
    pub equilibria: Vec<Equilibrium>,
    /// Number of components; a component with more than one extreme point is a continuum.
    pub components: usize,
    /// True if some component is a continuum (only its extreme points are listed).
    pub continuum: bool,
}

impl EquilibriumSet {
    /// The equilibrium used for the verdict and regrets: the highest payoff; ties broken by
    /// larger support, then by order in the list (deterministic).
    pub fn best(&self) -> Option<&Equilibrium> {
        let mut best: Option<&Equilibrium> = None;
        for e in &self.equilibria {
            best = match best {
                None => Some(e),
                Some(b) => {
                    if e.payoff > b.payoff
                        || (e.payoff == b.payoff && e.support.len() > b.support.len())
                    {
                        Some(e)
                    } else {
                        Some(b)
                    }
                }
            };
        }
        best
    }
}

/// Error of the equilibrium search.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NashError {
    #[error("the game has {0} strategies; the exact search is limited to {1}")]
    TooLarge(usize, usize),
    #[error("payoff {0} is not finite")]
    NotFinite(f64),
    #[error("the game has no strategies")]
    Empty,
}

type Q = BigRational;

/// Quantize a payoff to an integer number of quanta (exact rational from the rounded f64).
fn quantize(x: f64, quantum: f64) -> Result<BigInt, NashError> {
    if !x.is_finite() {
        return Err(NashError::NotFinite(x));
    }
    let scaled = (x / quantum).round();
    // f64 → integer exactly: every finite f64 with no fractional part is an integer.
    let r = Q::from_float(scaled).ok_or(NashError::NotFinite(x))?;
    Ok(r.to_integer())
}

/// Outcome of an exact linear solve.
#[derive(Debug, PartialEq)]
enum Solve {
    /// The unique solution, as integer numerators over one common denominator (> 0).
    Unique(Exact),
    /// Consistent, with a solution space of this dimension (≥ 1).
    Underdetermined(usize),
    Inconsistent,
}

/// A rational vector `num / den` with one common denominator `den > 0`.
#[derive(Debug, Clone, PartialEq)]
struct Exact {
    num: Vec<BigInt>,
    den: BigInt,
}

impl Exact {
    /// Entry `i` as a reduced fraction.
    fn at(&self, i: usize) -> Q {
        Q::new(self.num[i].clone(), self.den.clone())
    }
}

/// Fraction-free Gauss–Jordan elimination (Bareiss) on an integer augmented matrix `rows`
/// (each row: coefficients then rhs).
///
/// Why not rationals: every rational operation reduces by a gcd, and the gcds were most of the
/// solver's time (≈ 15 % of a small search). Here each step replaces every other row by
/// `(p·r − r_c·pivot_row) / p_prev`, where `p` is the new pivot and `p_prev` the one before:
/// by Sylvester's identity every entry is then a minor of the original matrix, so the division
/// is exact and the numbers grow only as determinants do. Every pivot row's pivot ends equal to
/// the last pivot `d`, so the solution is `rhs / d`: one denominator, reduced only when a
/// fraction is wanted. The rank, consistency and solution are the same exact values as with
/// rationals.
#[allow(clippy::needless_range_loop)] // index-based elimination reads like the algebra
fn solve(mut rows: Vec<Vec<BigInt>>, unknowns: usize) -> Solve {
    let mut rank = 0;
    let mut pivot_cols = Vec::new();
    let mut previous = BigInt::one();
    for col in 0..unknowns {
        let Some(p) = (rank..rows.len()).find(|&r| !rows[r][col].is_zero()) else {
            continue;
        };
        rows.swap(rank, p);
        let pivot = rows[rank][col].clone();
        for r in 0..rows.len() {
            if r == rank {
                continue;
            }
            let factor = rows[r][col].clone();
            for c in 0..=unknowns {
                let scaled = &pivot * &rows[r][c];
                let value = if factor.is_zero() {
                    scaled
                } else {
                    scaled - &factor * &rows[rank][c]
                };
                rows[r][c] = exact_quotient(value, &previous);
            }
        }
        previous = pivot;
        pivot_cols.push(col);
        rank += 1;
    }
    if rows[rank..].iter().any(|r| !r[unknowns].is_zero()) {
        return Solve::Inconsistent;
    }
    if rank < unknowns {
        return Solve::Underdetermined(unknowns - rank);
    }
    // Every pivot row reads `d·x_c = rhs`, with the same `d` (the last pivot).
    let mut num = vec![BigInt::zero(); unknowns];
    for (r, &c) in pivot_cols.iter().enumerate() {
        debug_assert_eq!(rows[r][c], previous);
        num[c] = rows[r][unknowns].clone();
    }
    if previous.is_negative() {
        num.iter_mut().for_each(|x| *x = -&*x);
        previous = -previous;
    }
    Solve::Unique(Exact { num, den: previous })
}

/// `value / by`, which Bareiss elimination guarantees to be exact.
fn exact_quotient(value: BigInt, by: &BigInt) -> BigInt {
    if by.is_one() {
        return value;
    }
    let quotient = &value / by;
    debug_assert_eq!(
        &quotient * by,
        value,
        "a Bareiss step did not divide exactly"
    );
    quotient
}

/// Builds and solves: rows `i ∈ rows_idx`: Σ_{j∈S} a_ij x_j − v = 0; and Σ x_j = 1.
/// Unknowns: x_S (in support order), then v.
fn solve_support(a: &[Vec<BigInt>], support: &[usize], rows_idx: &[usize]) -> Solve {
    let k = support.len();
    let mut rows = Vec::with_capacity(rows_idx.len() + 1);
    for &i in rows_idx {
        let mut row: Vec<BigInt> = support.iter().map(|&j| a[i][j].clone()).collect();
        row.push(-BigInt::one());
        row.push(BigInt::zero());
        rows.push(row);
    }
    let mut sum = vec![BigInt::one(); k];
    sum.push(BigInt::zero());
    sum.push(BigInt::one());
    rows.push(sum);
    solve(rows, k + 1)
}

/// Is `x = num / den` (full length, `den > 0`, so only the numerators matter) a symmetric
/// equilibrium? Returns its value's numerator `max_i (A·num)_i` if so.
fn equilibrium_value(a: &[Vec<BigInt>], num: &[BigInt]) -> Option<BigInt> {
    if num.iter().any(|p| p.is_negative()) {
        return None;
    }
    let payoffs: Vec<BigInt> = a
        .iter()
        .map(|row| {
            row.iter()
                .zip(num)
                .filter(|(_, p)| !p.is_zero())
                .fold(BigInt::zero(), |acc, (aij, p)| acc + aij * p)
        })
        .collect();
    let best = payoffs.iter().max()?.clone();
    for (i, p) in num.iter().enumerate() {
        if !p.is_zero() && payoffs[i] != best {
            return None;
        }
    }
    Some(best)
}

/// Floating-point pre-screen of a support, so that the exact solve runs only where it can
/// matter. Returns true only when the square system `A_SS x = v·1, Σx = 1` is well conditioned
/// (smallest partial-pivoting pivot ≥ 1e-8 of the largest) and its solution misses
/// feasibility by a wide margin (some `x_j < −1e-7`, or some outside strategy earning more than
/// `v + 1e-7·span`). Near-singular systems (degenerate games) and near-feasible candidates
/// always go to the exact solver; every equilibrium reported is verified exactly.
#[allow(clippy::needless_range_loop)]
fn clearly_not_equilibrium(a: &[Vec<f64>], support: &[usize]) -> bool {
    let k = support.len();
    let dim = k + 1;
    let mut rows: Vec<Vec<f64>> = support
        .iter()
        .map(|&i| {
            let mut r: Vec<f64> = support.iter().map(|&j| a[i][j]).collect();
            r.push(-1.0);
            r.push(0.0);
            r
        })
        .collect();
    let mut sum = vec![1.0; k];
    sum.push(0.0);
    sum.push(1.0);
    rows.push(sum);
    // Scale the payoffs so that pivots are comparable with the "sum" row; the last unknown
    // becomes v / span.
    let span = a
        .iter()
        .flatten()
        .fold(0.0f64, |m, x| m.max(x.abs()))
        .max(1.0);
    for r in rows.iter_mut().take(k) {
        for v in r.iter_mut().take(k) {
            *v /= span;
        }
    }
    let (mut min_pivot, mut max_pivot) = (f64::INFINITY, 0.0f64);
    for col in 0..dim {
        let p = (col..dim)
            .max_by(|&r, &s| {
                rows[r][col]
                    .abs()
                    .total_cmp(&rows[s][col].abs())
                    .then(s.cmp(&r))
            })
            .unwrap_or(col);
        rows.swap(col, p);
        let pivot = rows[col][col];
        min_pivot = min_pivot.min(pivot.abs());
        max_pivot = max_pivot.max(pivot.abs());
        if pivot == 0.0 {
            return false;
        }
        for r in 0..dim {
            if r != col {
                let f = rows[r][col] / pivot;
                if f != 0.0 {
                    for c in col..=dim {
                        rows[r][c] -= f * rows[col][c];
                    }
                }
            }
        }
    }
    if min_pivot.is_nan() || min_pivot < 1e-8 * max_pivot {
        return false;
    }
    let sol: Vec<f64> = (0..dim).map(|i| rows[i][dim] / rows[i][i]).collect();
    if sol.iter().any(|x| !x.is_finite()) {
        return false;
    }
    if sol[..k].iter().any(|&x| x < -1e-7) {
        return true;
    }
    let v = sol[k] * span;
    let outside_gain = (0..a.len())
        .filter(|i| !support.contains(i))
        .map(|i| {
            support
                .iter()
                .zip(&sol)
                .map(|(&j, x)| a[i][j] * x)
                .sum::<f64>()
                - v
        })
        .fold(f64::NEG_INFINITY, f64::max);
    outside_gain > 1e-7 * span
}

fn subsets_of_size(pool: &[usize], size: usize, out: &mut Vec<Vec<usize>>) {
    fn rec(
        pool: &[usize],
        size: usize,
        start: usize,
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if cur.len() == size {
            out.push(cur.clone());
            return;
        }
        for i in start..pool.len() {
            if pool.len() - i < size - cur.len() {
                break;
            }
            cur.push(pool[i]);
            rec(pool, size, i + 1, cur, out);
            cur.pop();
        }
    }
    rec(pool, size, 0, &mut Vec::new(), out);
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut c = i;
    while parent[c] != r {
        let next = parent[c];
        parent[c] = r;
        c = next;
    }
    r
}

/// All symmetric Nash equilibria (extreme points, grouped into components) of `game`.
pub fn symmetric_equilibria(
    game: &Game,
    options: &NashOptions,
) -> Result<EquilibriumSet, NashError> {
    search(game, options, true)
}

fn search(
    game: &Game,
    options: &NashOptions,
    prescreen: bool,
) -> Result<EquilibriumSet, NashError> {
    let n = game.len();
    if n == 0 {
        return Err(NashError::Empty);
    }
    if n > options.max_strategies {
        return Err(NashError::TooLarge(n, options.max_strategies));
    }
    let a: Vec<Vec<BigInt>> = game
        .payoff
        .iter()
        .map(|row| {
            row.iter()
                .map(|&x| quantize(x, options.quantum))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<_, _>>()?;

    // Supports in order of size, then lexicographically (bitmask order within a size).
    let mut masks: Vec<u32> = (1u32..(1u32 << n)).collect();
    masks.sort_by_key(|m| (m.count_ones(), m.reverse_bits()));

    // Extreme points found: the mix as numerators over a common denominator, and the mix and
    // value as reduced fractions.
    let mut found: Vec<(Exact, Vec<Q>, Q)> = Vec::new();
    let consider = |sol: &Exact, support: &[usize], found: &mut Vec<(Exact, Vec<Q>, Q)>| {
        let k = support.len();
        if sol.num[..k].iter().any(|p| !p.is_positive()) {
            return;
        }
        let mut num = vec![BigInt::zero(); n];
        for (p, &j) in sol.num[..k].iter().zip(support) {
            num[j] = p.clone();
        }
        let x = Exact {
            num,
            den: sol.den.clone(),
        };
        if let Some(best) = equilibrium_value(&a, &x.num) {
            let fractions: Vec<Q> = (0..n).map(|i| x.at(i)).collect();
            if !found.iter().any(|(_, y, _)| *y == fractions) {
                let value = Q::new(best, x.den.clone());
                found.push((x, fractions, value));
            }
        }
    };
    let a_f64: Vec<Vec<f64>> = a
        .iter()
        .map(|r| r.iter().map(|q| q.to_f64().unwrap_or(f64::NAN)).collect())
        .collect();
    for &mask in &masks {
        let support: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        let outside: Vec<usize> = (0..n).filter(|i| mask & (1 << i) == 0).collect();
        if prescreen && clearly_not_equilibrium(&a_f64, &support) {
            continue;
        }
        match solve_support(&a, &support, &support) {
            Solve::Inconsistent => {}
            Solve::Unique(sol) => consider(&sol, &support, &mut found),
            Solve::Underdetermined(d) => {
                let mut extra = Vec::new();
                subsets_of_size(&outside, d, &mut extra);
                for u in extra {
                    let mut rows_idx = support.clone();
                    rows_idx.extend(&u);
                    if let Solve::Unique(sol) = solve_support(&a, &support, &rows_idx) {
                        consider(&sol, &support, &mut found);
                    }
                }
            }
        }
    }

    // Components: join extreme points whose connecting segment is made of equilibria.
    let m = found.len();
    let mut parent: Vec<usize> = (0..m).collect();
    for i in 0..m {
        for j in (i + 1)..m {
            // The points at t = 1/3 and 2/3, (1 − t)·x + t·y, over the common denominator
            // 3·dx·dy: numerators (3 − s)·xn·dy + s·yn·dx for s = 1, 2.
            let (x, y) = (&found[i].0, &found[j].0);
            let on_segment = [1u32, 2].iter().all(|&s| {
                let z: Vec<BigInt> = x
                    .num
                    .iter()
                    .zip(&y.num)
                    .map(|(xn, yn)| xn * &y.den * (3 - s) + yn * &x.den * s)
                    .collect();
                equilibrium_value(&a, &z).is_some()
            });
            if on_segment {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri != rj {
                    parent[ri.max(rj)] = ri.min(rj);
                }
            }
        }
    }
    let roots: Vec<usize> = (0..m).map(|i| find(&mut parent, i)).collect();
    let mut root_ids: Vec<usize> = roots.clone();
    root_ids.sort_unstable();
    root_ids.dedup();
    let continuum = root_ids
        .iter()
        .any(|r| roots.iter().filter(|x| *x == r).count() > 1);

    let quantum = options.quantum;
    let mut equilibria: Vec<Equilibrium> = found
        .iter()
        .enumerate()
        .map(|(idx, (_, x, v))| Equilibrium {
            mix: x.iter().map(|p| p.to_f64().unwrap_or(f64::NAN)).collect(),
            mix_exact: x.iter().map(|p| p.to_string()).collect(),
            support: (0..n).filter(|&i| !x[i].is_zero()).collect(),
            payoff: v.to_f64().unwrap_or(f64::NAN) * quantum,
            component: root_ids.binary_search(&roots[idx]).unwrap_or(0),
        })
        .collect();
    equilibria.sort_by(|e, f| {
        e.component
            .cmp(&f.component)
            .then(e.support.len().cmp(&f.support.len()))
            .then(e.support.cmp(&f.support))
            .then_with(|| {
                // Larger probability on earlier strategies first.
                for (p, q) in e.mix.iter().zip(&f.mix) {
                    match q.total_cmp(p) {
                        std::cmp::Ordering::Equal => continue,
                        o => return o,
                    }
                }
                std::cmp::Ordering::Equal
            })
    });
    Ok(EquilibriumSet {
        equilibria,
        components: root_ids.len(),
        continuum,
    })
}

/// Regret of each pure strategy against a mixed population `x`: `xᵀAx − (Ax)_i`, the payoff a
/// player gives up by playing strategy `i` instead of the mix `x` when everyone else plays `x`.
/// At an equilibrium it is 0 on the support and ≥ 0 elsewhere.
pub fn regrets(game: &Game, x: &[f64]) -> Vec<f64> {
    let ax: Vec<f64> = game
        .payoff
        .iter()
        .map(|row| row.iter().zip(x).map(|(a, p)| a * p).sum())
        .collect();
    let v: f64 = ax.iter().zip(x).map(|(u, p)| u * p).sum();
    ax.iter().map(|u| v - u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn game(names: &[&str], payoff: &[&[f64]]) -> Game {
        Game::new(
            names.iter().map(|s| s.to_string()).collect(),
            payoff.iter().map(|r| r.to_vec()).collect(),
        )
        .unwrap()
    }

    fn mixes(set: &EquilibriumSet) -> Vec<Vec<String>> {
        set.equilibria.iter().map(|e| e.mix_exact.clone()).collect()
    }

    #[test]
    fn prescreen_never_changes_the_answer() {
        // Random games (a fixed LCG), some with duplicated strategies and rounded payoffs so
        // that ties abound: the floating-point pre-screen must give exactly the same set as
        // the exact-only search.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        for case in 0..40 {
            let n = 2 + case % 5;
            let mut payoff: Vec<Vec<f64>> = (0..n)
                .map(|_| (0..n).map(|_| (next() * 6.0).round() - 3.0).collect())
                .collect();
            if case % 3 == 0 {
                // Duplicate strategy 0 into strategy 1 (row and column).
                for r in payoff.iter_mut() {
                    r[1] = r[0];
                }
                payoff[1] = payoff[0].clone();
            }
            let names = (0..n).map(|i| format!("s{i}")).collect();
            let g = Game::new(names, payoff).unwrap();
            let fast = search(&g, &NashOptions::default(), true).unwrap();
            let exact = search(&g, &NashOptions::default(), false).unwrap();
            assert_eq!(fast, exact, "case {case}: {g:?}");
            assert!(
                !fast.equilibria.is_empty(),
                "every symmetric game has one: {g:?}"
            );
        }
    }

    /// The rational Gauss–Jordan elimination the solver used before Bareiss: the reference.
    #[allow(clippy::needless_range_loop)]
    fn rational_solve(rows: &[Vec<BigInt>], unknowns: usize) -> Result<Vec<Q>, Option<usize>> {
        let mut rows: Vec<Vec<Q>> = rows
            .iter()
            .map(|r| r.iter().cloned().map(Q::from_integer).collect())
            .collect();
        let mut rank = 0;
        let mut pivot_cols = Vec::new();
        for col in 0..unknowns {
            let Some(p) = (rank..rows.len()).find(|&r| !rows[r][col].is_zero()) else {
                continue;
            };
            rows.swap(rank, p);
            let inv = rows[rank][col].recip();
            for v in rows[rank].iter_mut() {
                *v = &*v * &inv;
            }
            for r in 0..rows.len() {
                if r != rank && !rows[r][col].is_zero() {
                    let f = rows[r][col].clone();
                    for c in col..=unknowns {
                        let sub = &f * &rows[rank][c];
                        rows[r][c] = &rows[r][c] - sub;
                    }
                }
            }
            pivot_cols.push(col);
            rank += 1;
        }
        if rows[rank..].iter().any(|r| !r[unknowns].is_zero()) {
            return Err(None);
        }
        if rank < unknowns {
            return Err(Some(unknowns - rank));
        }
        let mut x = vec![Q::zero(); unknowns];
        for (r, &c) in pivot_cols.iter().enumerate() {
            x[c] = rows[r][unknowns].clone();
        }
        Ok(x)
    }

    #[test]
    fn bareiss_gives_the_rational_eliminations_answers() {
        // Random integer systems, square, tall and wide, with duplicated and zero rows and
        // columns so that rank deficiency, inconsistency and skipped pivot columns all occur;
        // large entries (rao-sized payoffs) in some.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |below: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
        let mut seen = [0usize; 3];
        for case in 0..4000 {
            let unknowns = 1 + next(6) as usize;
            let equations = 1 + next(7) as usize;
            let big = case % 4 == 0;
            let mut rows: Vec<Vec<BigInt>> = (0..equations)
                .map(|_| {
                    (0..=unknowns)
                        .map(|_| {
                            let small = next(7) as i64 - 3;
                            if big {
                                BigInt::from(small) * BigInt::from(next(1 << 50) + 1)
                            } else {
                                BigInt::from(small)
                            }
                        })
                        .collect()
                })
                .collect();
            match case % 5 {
                1 if equations > 1 => rows[equations - 1] = rows[0].clone(),
                2 => rows.iter_mut().for_each(|r| r[0] = BigInt::zero()),
                3 if unknowns > 1 => rows.iter_mut().for_each(|r| r[1] = r[0].clone() * 2),
                _ => {}
            }
            let expected = rational_solve(&rows, unknowns);
            let got = match solve(rows.clone(), unknowns) {
                Solve::Unique(x) => {
                    assert!(x.den.is_positive(), "case {case}");
                    Ok((0..unknowns).map(|i| x.at(i)).collect())
                }
                Solve::Underdetermined(d) => Err(Some(d)),
                Solve::Inconsistent => Err(None),
            };
            assert_eq!(got, expected, "case {case}: {rows:?}");
            seen[match expected {
                Ok(_) => 0,
                Err(Some(_)) => 1,
                Err(None) => 2,
            }] += 1;
        }
        assert!(
            seen.iter().all(|&k| k > 200),
            "every outcome is exercised: {seen:?}"
        );
    }

    #[test]
    fn prisoners_dilemma_defects() {
        // C/D with T=5 > R=3 > P=1 > S=0: D strictly dominates, (D, D) is the only equilibrium.
        let g = game(&["C", "D"], &[&[3.0, 0.0], &[5.0, 1.0]]);
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(mixes(&set), vec![vec!["0", "1"]]);
        assert!((set.equilibria[0].payoff - 1.0).abs() < 1e-12);
        assert!(!set.continuum);
        // Regret of C at all-D: v = 1, (Ax)_C = 0 → 1.
        assert_eq!(regrets(&g, &set.equilibria[0].mix), vec![1.0, 0.0]);
    }

    #[test]
    fn rock_paper_scissors_uniform() {
        let g = game(
            &["R", "P", "S"],
            &[&[0.0, -1.0, 1.0], &[1.0, 0.0, -1.0], &[-1.0, 1.0, 0.0]],
        );
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(mixes(&set), vec![vec!["1/3", "1/3", "1/3"]]);
        assert_eq!(set.equilibria[0].payoff, 0.0);
    }

    #[test]
    fn coordination_game_has_three_equilibria() {
        // A: 2 against A, 0 against B; B: 0 against A, 1 against B.
        // Pure A (value 2), pure B (value 1), and the mix with 2p = 1 − p → p = 1/3 on A
        // (value 2/3).
        let g = game(&["A", "B"], &[&[2.0, 0.0], &[0.0, 1.0]]);
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        let mut m = mixes(&set);
        m.sort();
        assert_eq!(m, vec![vec!["0", "1"], vec!["1", "0"], vec!["1/3", "2/3"]]);
        assert_eq!(set.components, 3);
        assert!(!set.continuum);
        // Best (payoff-dominant) is pure A.
        assert_eq!(set.best().unwrap().mix_exact, vec!["1", "0"]);
        let mixed = set
            .equilibria
            .iter()
            .find(|e| e.support.len() == 2)
            .unwrap();
        assert!((mixed.payoff - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn duplicate_strategies_give_a_continuum() {
        // D and D' are copies of "defect" in a prisoner's dilemma. Every mix of D and D' is an
        // equilibrium (value 1): one component, a segment with extreme points pure D, pure D'.
        let g = game(
            &["C", "D", "D'"],
            &[&[3.0, 0.0, 0.0], &[5.0, 1.0, 1.0], &[5.0, 1.0, 1.0]],
        );
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(mixes(&set), vec![vec!["0", "1", "0"], vec!["0", "0", "1"]]);
        assert_eq!(set.components, 1);
        assert!(set.continuum);
        assert!(set.equilibria.iter().all(|e| e.component == 0));
    }

    #[test]
    fn duplicated_rock_paper_scissors() {
        // RPS with Rock duplicated (R, R'): equilibria are x_R + x_R' = 1/3, x_P = x_S = 1/3.
        // Extreme points: (1/3, 0, 1/3, 1/3) and (0, 1/3, 1/3, 1/3), one segment. Neither has
        // a singular support system, so this checks the "extra tight rows" step: the support
        // {R, R', P, S} system has a 1-dimensional solution space and no outside rows; its
        // extreme points come from the smaller supports.
        let g = game(
            &["R", "R'", "P", "S"],
            &[
                &[0.0, 0.0, -1.0, 1.0],
                &[0.0, 0.0, -1.0, 1.0],
                &[1.0, 1.0, 0.0, -1.0],
                &[-1.0, -1.0, 1.0, 0.0],
            ],
        );
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(
            mixes(&set),
            vec![
                vec!["1/3", "0", "1/3", "1/3"],
                vec!["0", "1/3", "1/3", "1/3"]
            ]
        );
        assert_eq!(set.components, 1);
        assert!(set.continuum);
    }

    #[test]
    fn degenerate_tie_needs_an_extra_tight_row() {
        //        A  B  C
        //   A [  1  1  0 ]
        //   B [  1  1  0 ]
        //   C [  2  0 -1 ]
        // On support {A, B} rows A and B are identical: the square system is singular (d = 1).
        // Against x = (a, 1 − a, 0): A and B earn 1, C earns 2a, so every a ≤ 1/2 is an
        // equilibrium; the extreme point a = 1/2 needs the outside row C tight — the "extra
        // tight row" step. Support {A, C}: (Ax)_A = a, (Ax)_C = 2a − c → c = a = 1/2, value
        // 1/2, B earns 1/2 too: (1/2, 0, 1/2) is an equilibrium. Along (1/2, 1/2 − t, t) all
        // three earn 1 − t: the whole segment is equilibria. Pure A is not (C earns 2 > 1),
        // pure C is not, {B, C} needs x_B = −x_C. So: one component, three extreme points.
        let g = game(
            &["A", "B", "C"],
            &[&[1.0, 1.0, 0.0], &[1.0, 1.0, 0.0], &[2.0, 0.0, -1.0]],
        );
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(
            mixes(&set),
            vec![
                vec!["0", "1", "0"],
                vec!["1/2", "1/2", "0"],
                vec!["1/2", "0", "1/2"]
            ]
        );
        assert_eq!(set.components, 1);
        assert!(set.continuum);
        // Best: value 1 at pure B and at (1/2, 1/2, 0); the tie goes to the larger support.
        assert_eq!(set.best().unwrap().mix_exact, vec!["1/2", "1/2", "0"]);
    }

    #[test]
    fn constant_game_is_the_whole_simplex() {
        // Every mix is an equilibrium; the extreme points are the three pure strategies.
        let g = game(&["A", "B", "C"], &[&[1.0; 3], &[1.0; 3], &[1.0; 3]]);
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(
            mixes(&set),
            vec![
                vec!["1", "0", "0"],
                vec!["0", "1", "0"],
                vec!["0", "0", "1"]
            ]
        );
        assert_eq!(set.components, 1);
    }

    #[test]
    fn hawk_dove_mixed() {
        // Hawk–dove with V = 2, C = 4: H vs H = (V − C)/2 = −1, H vs D = 2, D vs H = 0,
        // D vs D = 1. Symmetric equilibrium: p_H = V/C = 1/2 (value 1/2); the pure profiles
        // are asymmetric, so not symmetric equilibria.
        let g = game(&["H", "D"], &[&[-1.0, 2.0], &[0.0, 1.0]]);
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert_eq!(mixes(&set), vec![vec!["1/2", "1/2"]]);
        assert!((set.equilibria[0].payoff - 0.5).abs() < 1e-12);
    }

    #[test]
    fn quantization_decides_near_ties() {
        // Payoffs differing by less than half a quantum are equal after quantization.
        let g = game(&["A", "B"], &[&[1.0, 1.0], &[1.0 + 1e-12, 1.0]]);
        let set = symmetric_equilibria(&g, &NashOptions::default()).unwrap();
        assert!(set.continuum);
    }
}
