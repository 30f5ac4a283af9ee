//! `root-staker`: the passive baseline. It moves a share of its free TAO into root (SN0) stake
//! at its first decision and holds, earning root dividends. Any strategy that cannot beat it
//! after costs is not worth its risk.
//!
//! Parameters (YAML `params:`):
//! - `fraction` (0..=1, default 1.0): share of free TAO staked on root at the first decision.
//! - `restake` (bool, default false): at later decisions, also stake free TAO that arrived
//!   since (dividends paid as TAO), when it is at least `min_restake_tao`.
//! - `min_restake_tao` (default 1.0): the smallest restake, in TAO.

use tourney_sdk::{
    tao_to_rao, Action, Classifier, Observation, ParamError, Params, Role, Strategy,
    StrategyFactory, StrategyInfo,
};

pub struct RootStaker {
    fraction: f64,
    restake: bool,
    min_restake_rao: u64,
    started: bool,
}

impl Strategy for RootStaker {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "root-staker".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: true,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        let free = o.me.free_tao_rao;
        let amount = if !self.started {
            self.started = true;
            (free as f64 * self.fraction) as u64
        } else if self.restake && free >= self.min_restake_rao {
            free
        } else {
            0
        };
        if amount > 0 {
            actions.push(Action::StakeRoot { tao_rao: amount });
        }
    }
}

impl StrategyFactory for RootStaker {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&["fraction", "restake", "min_restake_tao"])?;
        Ok(RootStaker {
            fraction: params.get_f64_in("fraction", 1.0, 0.0, 1.0)?,
            restake: params.get_bool("restake", false)?,
            min_restake_rao: tao_to_rao(params.get_f64_in("min_restake_tao", 1.0, 0.0, 1e12)?),
            started: false,
        })
    }
}

tourney_sdk::export_strategy!(RootStaker);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::{ParamValue, RAO_PER_TAO};

    fn three_decisions(free_tao_after: u64) -> Vec<Observation> {
        let mut first = observation(2);
        first.block = 360;
        let mut later = Vec::new();
        for (i, block) in [720, 1_080].into_iter().enumerate() {
            let mut o = observation(2);
            o.block = block;
            o.me.free_tao_rao = free_tao_after * RAO_PER_TAO / (i as u64 + 1);
            later.push(o);
        }
        [vec![first], later].concat()
    }

    #[test]
    fn stakes_everything_on_root_once_then_holds() {
        let mut s = RootStaker::create(&Params::new(), 0).unwrap();
        let actions = scripted(&mut s, &three_decisions(4));
        assert_eq!(
            actions,
            vec![
                vec![Action::StakeRoot {
                    tao_rao: 1_000 * RAO_PER_TAO
                }],
                vec![],
                vec![],
            ]
        );
    }

    #[test]
    fn a_fraction_and_restaking_of_dividends() {
        let params = Params::new()
            .number("fraction", 0.25)
            .with("restake", ParamValue::Bool(true))
            .number("min_restake_tao", 3.0);
        let mut s = RootStaker::create(&params, 0).unwrap();
        // Later free TAO: 4 TAO (≥ 3: restaked), then 2 TAO (< 3: kept).
        let actions = scripted(&mut s, &three_decisions(4));
        assert_eq!(
            actions,
            vec![
                vec![Action::StakeRoot {
                    tao_rao: 250 * RAO_PER_TAO
                }],
                vec![Action::StakeRoot {
                    tao_rao: 4 * RAO_PER_TAO
                }],
                vec![],
            ]
        );
    }

    #[test]
    fn rejects_unknown_and_out_of_range_parameters() {
        assert_eq!(
            RootStaker::create(&Params::new().number("fractoin", 0.5), 0)
                .err()
                .unwrap()
                .param,
            "fractoin"
        );
        assert!(RootStaker::create(&Params::new().number("fraction", 1.5), 0).is_err());
    }
}
