//! The network an equilibrium produces: each observable (no-value share, emission by class,
//! largest crash, …) averaged over the profiles weighted by their probability under the
//! equilibrium mixture (every player drawing from its role's mix), with the bootstrap interval,
//! beside the mean over all matches played (which weights profiles by how often the tournament
//! happened to play them, not by how likely the equilibrium makes them).

use serde::Serialize;

use super::build::{observable, OBSERVABLES};
use super::RoleCell;
use crate::tables::NetworkRow;

/// One (mechanism, schedule): the network at the verdict's equilibrium and over all matches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EquilibriumNetwork {
    pub mechanism: String,
    pub schedule: String,
    pub matches: usize,
    /// Per observable (in [`OBSERVABLES`] order): at the equilibrium, its bootstrap interval,
    /// and the all-matches mean.
    pub at_equilibrium: Vec<f64>,
    pub interval: Vec<(f64, f64)>,
    pub all_matches: Vec<f64>,
}

impl EquilibriumNetwork {
    pub fn get(&self, name: &str) -> (f64, (f64, f64), f64) {
        let k = observable(name);
        (
            self.at_equilibrium[k],
            self.interval[k],
            self.all_matches[k],
        )
    }
}

/// The all-matches mean of each observable from the network table.
pub fn all_matches(row: Option<&NetworkRow>) -> Vec<f64> {
    OBSERVABLES
        .iter()
        .map(|o| match row {
            None => f64::NAN,
            Some(r) => match *o {
                "no_value_share" => r.emission_no_value_share,
                "value_share" => r.emission_value_share,
                "meme_share" => r.emission_meme_share,
                "offtopic_share" => r.emission_offtopic_share,
                "idle_share" => r.emission_idle_share,
                "value_per_tao_emitted" => r.value_per_tao_emitted,
                "peak_meme_share" => r.peak_meme_share,
                "largest_crash" => r.largest_crash,
                _ => f64::NAN,
            },
        })
        .collect()
}

/// The network at each cell's equilibrium (NaN without one).
pub fn equilibrium_network(cells: &[RoleCell], network: &[NetworkRow]) -> Vec<EquilibriumNetwork> {
    cells
        .iter()
        .map(|c| {
            let row = network
                .iter()
                .find(|r| r.mechanism == c.mechanism() && r.schedule == c.schedule());
            let at_equilibrium = (0..OBSERVABLES.len())
                .map(|k| match c.reference() {
                    Some(eq) => c.game().observable_at(&eq.mix, k),
                    None => f64::NAN,
                })
                .collect();
            let interval = match &c.confidence {
                Some(conf) => conf.observable_interval.clone(),
                None => vec![(f64::NAN, f64::NAN); OBSERVABLES.len()],
            };
            EquilibriumNetwork {
                mechanism: c.mechanism().into(),
                schedule: c.schedule().into(),
                matches: c.built.matches,
                at_equilibrium,
                interval,
                all_matches: all_matches(row),
            }
        })
        .collect()
}
