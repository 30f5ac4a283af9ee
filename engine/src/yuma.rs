//! Yuma consensus for one subnet epoch (spec §6, `epoch_mechanism`), on a small dense
//! validators × miners matrix.
//!
//! Validator stake is alpha stake + τw × root stake (the caller builds it). The outcome —
//! whether a root-heavy validator overrules the subnet's own validators — is decided here by
//! the stake-weighted κ-median, never hard-coded.
//!
//! Simplifications: no validator permits/`max_allowed_validators` cut (our validator sets are
//! a handful of aggregate validators); validators and miners are disjoint sets, so the
//! self-weight mask is trivially satisfied; when every validator has zero stake, stake is
//! taken as uniform (so a brand-new subnet still pays its miners).

use crate::units::{YUMA_BOND_ALPHA, YUMA_KAPPA};

/// Parameters of an epoch.
#[derive(Clone, Copy, Debug)]
pub struct YumaParams {
    pub kappa: f64,
    pub bond_alpha: f64,
}

impl Default for YumaParams {
    fn default() -> Self {
        Self {
            kappa: YUMA_KAPPA,
            bond_alpha: YUMA_BOND_ALPHA,
        }
    }
}

/// The outputs of one epoch. `incentive` and `dividends` each sum to 1 (or are all 0).
#[derive(Clone, Debug, PartialEq)]
pub struct YumaOutput {
    pub consensus: Vec<f64>,
    pub incentive: Vec<f64>,
    pub dividends: Vec<f64>,
    /// The new bonds (validators × miners, row-major), column-normalised; feed back next epoch.
    pub bonds: Vec<f64>,
}

fn normalize(v: &mut [f64]) -> f64 {
    let sum: f64 = v.iter().sum();
    if sum > 0.0 {
        v.iter_mut().for_each(|x| *x /= sum);
    }
    sum
}

fn column_normalize(m: &mut [f64], rows: usize, cols: usize) {
    for j in 0..cols {
        let sum: f64 = (0..rows).map(|i| m[i * cols + j]).sum();
        if sum > 0.0 {
            (0..rows).for_each(|i| m[i * cols + j] /= sum);
        }
    }
}

/// The stake-weighted κ-quantile of one column: the largest weight `c` such that validators
/// giving at least `c` hold at least κ of the stake. `entries` is scratch space.
fn weighted_kappa_median(
    stake: &[f64],
    column: impl Fn(usize) -> f64,
    kappa: f64,
    entries: &mut Vec<(f64, f64)>,
) -> f64 {
    entries.clear();
    entries.extend((0..stake.len()).map(|i| (column(i), stake[i])));
    entries.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut support = 0.0;
    for &(weight, s) in entries.iter() {
        support += s;
        // Tolerance for the sum of normalised stakes landing a hair under κ.
        if support >= kappa - 1e-12 {
            return weight;
        }
    }
    0.0
}

/// Run one epoch. `stake` has one entry per validator (any scale; normalised here),
/// `weights` and `bonds_old` are `stake.len() × n_miners`, row-major. `weights` rows are
/// normalised here (an all-zero row means the validator set no weights).
pub fn epoch(
    stake: &[f64],
    weights: &[f64],
    bonds_old: &[f64],
    n_miners: usize,
    params: YumaParams,
) -> YumaOutput {
    let mut yuma = Yuma::default();
    yuma.epoch(stake, weights, bonds_old, n_miners, params);
    yuma.out
}

/// [`epoch`] with its working memory kept between calls: the network runs an epoch for every
/// subnet every 361 blocks, and a fresh set of vectors each time was a tenth of the engine's
/// run time in the allocator.
#[derive(Clone, Debug)]
pub struct Yuma {
    stake: Vec<f64>,
    matrix: Vec<f64>,
    entries: Vec<(f64, f64)>,
    /// The last epoch's outputs.
    pub out: YumaOutput,
}

impl Default for Yuma {
    fn default() -> Self {
        Self {
            stake: Vec::new(),
            matrix: Vec::new(),
            entries: Vec::new(),
            out: YumaOutput {
                consensus: Vec::new(),
                incentive: Vec::new(),
                dividends: Vec::new(),
                bonds: Vec::new(),
            },
        }
    }
}

impl Yuma {
    /// Run one epoch (see [`epoch`]); the outputs are in `self.out`.
    pub fn epoch(
        &mut self,
        stake: &[f64],
        weights: &[f64],
        bonds_old: &[f64],
        n_miners: usize,
        params: YumaParams,
    ) -> &YumaOutput {
        let n_val = stake.len();
        assert_eq!(weights.len(), n_val * n_miners, "weights shape");
        assert_eq!(bonds_old.len(), n_val * n_miners, "bonds shape");
        let Yuma {
            stake: s,
            matrix: w,
            entries,
            out,
        } = self;

        // 1. Stake, normalised (uniform if nobody has any).
        s.clear();
        s.extend_from_slice(stake);
        if normalize(s) <= 0.0 && n_val > 0 {
            s.iter_mut().for_each(|x| *x = 1.0 / n_val as f64);
        }
        // 2. Weights, row-normalised.
        w.clear();
        w.extend_from_slice(weights);
        for row in w.chunks_mut(n_miners.max(1)) {
            normalize(row);
        }
        // 3. Consensus per miner.
        out.consensus.clear();
        for j in 0..n_miners {
            let c = weighted_kappa_median(s, |i| w[i * n_miners + j], params.kappa, entries);
            out.consensus.push(c);
        }
        // 4. Clip and incentive.
        let clipped = w;
        for i in 0..n_val {
            for j in 0..n_miners {
                let x = &mut clipped[i * n_miners + j];
                *x = x.min(out.consensus[j]);
            }
        }
        out.incentive.clear();
        out.incentive.extend((0..n_miners).map(|j| {
            (0..n_val)
                .map(|i| s[i] * clipped[i * n_miners + j])
                .sum::<f64>()
        }));
        normalize(&mut out.incentive);
        // 5. Bonds (β = 1: bond weights are the clipped weights), EMA, dividends.
        let delta = clipped;
        for i in 0..n_val {
            for j in 0..n_miners {
                delta[i * n_miners + j] *= s[i];
            }
        }
        column_normalize(delta, n_val, n_miners);
        out.bonds.clear();
        out.bonds.extend(
            delta
                .iter()
                .zip(bonds_old)
                .map(|(d, b)| params.bond_alpha * d + (1.0 - params.bond_alpha) * b),
        );
        column_normalize(&mut out.bonds, n_val, n_miners);
        out.dividends.clear();
        out.dividends.extend((0..n_val).map(|i| {
            (0..n_miners)
                .map(|j| out.bonds[i * n_miners + j] * out.incentive[j])
                .sum::<f64>()
        }));
        normalize(&mut out.dividends);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-9, "{a:?} != {b:?}");
        }
    }

    #[test]
    fn sixty_percent_validator_wins_consensus() {
        // V0 (60 %) → miner 0; V1 (30 %) → miner 1; V2 (10 %) → miner 2.
        // C = [1, 0, 0] (only miner 0 has ≥ 50 % support); clipped: only V0's row survives;
        // R = [0.6, 0, 0] → I = [1, 0, 0]; ΔB col 0 = [1, 0, 0] → D = [1, 0, 0].
        let out = epoch(
            &[0.6, 0.3, 0.1],
            &[1., 0., 0., 0., 1., 0., 0., 0., 1.],
            &[0.0; 9],
            3,
            YumaParams::default(),
        );
        close(&out.consensus, &[1., 0., 0.]);
        close(&out.incentive, &[1., 0., 0.]);
        close(&out.dividends, &[1., 0., 0.]);
    }

    #[test]
    fn forty_percent_validator_loses_consensus() {
        // V0 (40 %) → miner 0; V1 (35 %) and V2 (25 %) → miner 1.
        // C = [0, 1, 0]; I = [0, 1, 0]; ΔB col 1 = [0, .35, .25]/.6 → D = [0, 7/12, 5/12].
        let out = epoch(
            &[40.0, 35.0, 25.0],
            &[1., 0., 0., 0., 1., 0., 0., 1., 0.],
            &[0.0; 9],
            3,
            YumaParams::default(),
        );
        close(&out.consensus, &[0., 1., 0.]);
        close(&out.incentive, &[0., 1., 0.]);
        close(&out.dividends, &[0., 7. / 12., 5. / 12.]);
    }

    #[test]
    fn split_weights_are_clipped_to_the_median() {
        // V0 (50 %) [.5, .5, 0]; V1 (30 %) [1, 0, 0]; V2 (20 %) [0, 0, 1].
        // Column 0 sorted: 1.0 (cum .3), .5 (cum .8 ≥ .5) → C0 = .5; column 1: .5 (cum .5) → .5;
        // column 2: 1.0 (cum .2), then 0 → 0. Clipped: V0 [.5,.5,0], V1 [.5,0,0], V2 0.
        // R = [.25+.15, .25, 0] = [.4, .25, 0] → I = [8/13, 5/13, 0].
        // ΔB col 0 = [.25, .15]/.4 = [.625, .375]; col 1 = [1, 0].
        // D0 = .625·8/13 + 5/13 = 10/13; D1 = .375·8/13 = 3/13; D2 = 0.
        let out = epoch(
            &[0.5, 0.3, 0.2],
            &[0.5, 0.5, 0., 1., 0., 0., 0., 0., 1.],
            &[0.0; 9],
            3,
            YumaParams::default(),
        );
        close(&out.consensus, &[0.5, 0.5, 0.]);
        close(&out.incentive, &[8. / 13., 5. / 13., 0.]);
        close(&out.dividends, &[10. / 13., 3. / 13., 0.]);
    }

    #[test]
    fn bonds_move_by_the_ema_rate() {
        // Old bonds: all of miner 0's bond with V1. New ΔB col 0 = [1, 0].
        // B = .1·[1, 0] + .9·[0, 1] = [.1, .9] (already normalised); I = [1, 0] → D = [.1, .9].
        let out = epoch(
            &[0.9, 0.1],
            &[1., 0., 0., 1.],
            &[0., 0., 1., 0.],
            2,
            YumaParams::default(),
        );
        close(&out.incentive, &[1., 0.]);
        close(&out.dividends, &[0.1, 0.9]);
    }

    #[test]
    fn zero_stake_is_uniform_and_empty_weights_pay_nothing() {
        let out = epoch(
            &[0., 0.],
            &[1., 0., 1., 0.],
            &[0.; 4],
            2,
            YumaParams::default(),
        );
        close(&out.incentive, &[1., 0.]);
        let none = epoch(&[1.], &[0., 0.], &[0.; 2], 2, YumaParams::default());
        close(&none.incentive, &[0., 0.]);
        close(&none.dividends, &[0.]);
    }
}
