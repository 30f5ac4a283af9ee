//! `momentum-speculator`: the trend-following speculator the meme loop feeds on. Each decision
//! it sells positions whose momentum turned (1-day price change below zero) or that hit a
//! stop-loss from the entry price, then buys the subnets with the strongest positive momentum
//! (1-day change above a threshold and a positive 7-day change) until it holds `top_k`
//! positions. Scores get a little seeded noise, so ties (and near-ties) break differently from
//! one seed to another but identically for one seed.
//!
//! Parameters (YAML `params:`):
//! - `top_k` (1..=128, default 3): positions held at most.
//! - `position_fraction` (0..=1, default 0.2): each new position takes this share of the free
//!   TAO still unspent at that point of the decision.
//! - `entry_momentum` (default 0.02): the smallest 1-day price change worth buying.
//! - `stop_loss` (0..=1, default 0.2): sell when the price is this far below the entry price.
//! - `noise` (≥ 0, default 0.01): scores get uniform noise of this width.
//! - `min_trade_tao` (default 1.0): smaller purchases are skipped.

use std::collections::BTreeMap;

use tourney_sdk::{
    tao_to_rao, Action, Classifier, Observation, ParamError, Params, Role, SplitMix64, Strategy,
    StrategyFactory, StrategyInfo, SubnetId,
};

pub struct MomentumSpeculator {
    top_k: usize,
    position_fraction: f64,
    entry_momentum: f64,
    stop_loss: f64,
    noise: f64,
    min_trade_rao: u64,
    rng: SplitMix64,
    /// Price at which each position was opened (or first seen, for one it did not open).
    entry_price: BTreeMap<SubnetId, f64>,
}

impl Strategy for MomentumSpeculator {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "momentum-speculator".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: true,
                uses_root_stake: false,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        // Sell first: positions whose momentum turned or that hit the stop.
        let mut positions = 0;
        let mut sold_or_held = Vec::new();
        for (s, &held) in o.subnets.iter().zip(&o.me.alpha_rao) {
            if held == 0 {
                self.entry_price.remove(&s.id);
                continue;
            }
            sold_or_held.push(s.id);
            let entry = *self.entry_price.entry(s.id).or_insert(s.price);
            if s.price_change_1d < 0.0 || s.price <= entry * (1.0 - self.stop_loss) {
                self.entry_price.remove(&s.id);
                actions.push(Action::Unstake {
                    subnet: s.id,
                    alpha_rao: held,
                });
            } else {
                positions += 1;
            }
        }
        // One draw per subnet, in order, whatever happens: the stream stays aligned with the
        // observations, so a change in one subnet does not reshuffle the noise of the others.
        let mut candidates: Vec<(f64, SubnetId, f64)> = Vec::new();
        for s in &o.subnets {
            let jitter = self.noise * (self.rng.next_f64() - 0.5);
            let rising = s.price_change_1d >= self.entry_momentum && s.price_change_7d > 0.0;
            if rising && !sold_or_held.contains(&s.id) {
                candidates.push((
                    s.price_change_1d + s.price_change_7d + jitter,
                    s.id,
                    s.price,
                ));
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut free = o.me.free_tao_rao;
        for &(_, id, price) in candidates.iter().take(self.top_k.saturating_sub(positions)) {
            let stake = (free as f64 * self.position_fraction) as u64;
            if stake < self.min_trade_rao.max(1) {
                break;
            }
            free -= stake;
            self.entry_price.insert(id, price);
            actions.push(Action::Stake {
                subnet: id,
                tao_rao: stake,
            });
        }
    }
}

impl StrategyFactory for MomentumSpeculator {
    fn create(params: &Params, seed: u64) -> Result<Self, ParamError> {
        params.only(&[
            "top_k",
            "position_fraction",
            "entry_momentum",
            "stop_loss",
            "noise",
            "min_trade_tao",
        ])?;
        let top_k = params.get_f64_in("top_k", 3.0, 1.0, 128.0)?;
        if top_k.fract() != 0.0 {
            return Err(ParamError {
                param: "top_k".into(),
                message: format!("expected a whole number, got {top_k}"),
            });
        }
        Ok(MomentumSpeculator {
            top_k: top_k as usize,
            position_fraction: params.get_f64_in("position_fraction", 0.2, 0.0, 1.0)?,
            entry_momentum: params.get_f64("entry_momentum", 0.02)?,
            stop_loss: params.get_f64_in("stop_loss", 0.2, 0.0, 1.0)?,
            noise: params.get_f64_in("noise", 0.01, 0.0, 10.0)?,
            min_trade_rao: tao_to_rao(params.get_f64_in("min_trade_tao", 1.0, 0.0, 1e12)?),
            rng: SplitMix64::new(seed),
            entry_price: BTreeMap::new(),
        })
    }
}

tourney_sdk::export_strategy!(MomentumSpeculator);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::RAO_PER_TAO;

    /// Five subnets with the given (1-day, 7-day) price changes.
    fn market(block: u64, changes: [(f64, f64); 5]) -> Observation {
        let mut o = observation(5);
        o.block = block;
        for (s, (d1, d7)) in o.subnets.iter_mut().zip(changes) {
            s.price_change_1d = d1;
            s.price_change_7d = d7;
        }
        o
    }

    #[test]
    fn buys_the_strongest_trends_and_sells_reversals_and_stops() {
        let params = Params::new().number("top_k", 2.0).number("noise", 0.0);
        let mut s = MomentumSpeculator::create(&params, 1).unwrap();
        let first = market(
            360,
            [
                (0.05, 0.10),  // score 0.15
                (0.10, 0.20),  // score 0.30: best
                (0.01, 0.50),  // 1-day change below the 2 % entry
                (0.05, -0.01), // falling over the week
                (0.03, 0.02),  // score 0.05: third, no slot
            ],
        );
        let mut second = market(
            720,
            [
                (0.01, 0.1),
                (-0.01, 0.2),
                (0.0, 0.0),
                (0.0, 0.0),
                (0.03, 0.02),
            ],
        );
        second.me.alpha_rao = vec![1_600 * RAO_PER_TAO, 2_000 * RAO_PER_TAO, 0, 0, 0];
        // Subnet 1 fell from its 0.1 entry to 0.08: the 20 % stop.
        second.subnets[0].price = 0.08;
        second.me.free_tao_rao = 640 * RAO_PER_TAO;
        let actions = scripted(&mut s, &[first, second]);
        assert_eq!(
            actions,
            vec![
                vec![
                    // 0.2 × 1,000 TAO, then 0.2 × the 800 left.
                    Action::Stake {
                        subnet: 2,
                        tao_rao: 200 * RAO_PER_TAO
                    },
                    Action::Stake {
                        subnet: 1,
                        tao_rao: 160 * RAO_PER_TAO
                    },
                ],
                vec![
                    Action::Unstake {
                        subnet: 1,
                        alpha_rao: 1_600 * RAO_PER_TAO
                    },
                    Action::Unstake {
                        subnet: 2,
                        alpha_rao: 2_000 * RAO_PER_TAO
                    },
                    // Both slots free again: subnet 5 is the only riser; 0.2 × 640 TAO.
                    Action::Stake {
                        subnet: 5,
                        tao_rao: 128 * RAO_PER_TAO
                    },
                ],
            ]
        );
    }

    #[test]
    fn noise_breaks_ties_by_seed_reproducibly() {
        // Subnets 1 and 2 tie exactly; one slot.
        let o = market(
            360,
            [
                (0.05, 0.05),
                (0.05, 0.05),
                (0.0, 0.0),
                (0.0, 0.0),
                (0.0, 0.0),
            ],
        );
        let pick = |seed| {
            let params = Params::new().number("top_k", 1.0);
            let mut s = MomentumSpeculator::create(&params, seed).unwrap();
            match scripted(&mut s, std::slice::from_ref(&o))[0][..] {
                [Action::Stake { subnet, .. }] => subnet,
                ref other => panic!("expected one stake, got {other:?}"),
            }
        };
        let picks: Vec<SubnetId> = (0..16).map(pick).collect();
        assert_eq!(picks, (0..16).map(pick).collect::<Vec<_>>());
        assert!(picks.contains(&1) && picks.contains(&2), "{picks:?}");
    }

    #[test]
    fn top_k_must_be_whole() {
        let err = MomentumSpeculator::create(&Params::new().number("top_k", 2.5), 0)
            .err()
            .unwrap();
        assert_eq!(err.param, "top_k");
    }
}
