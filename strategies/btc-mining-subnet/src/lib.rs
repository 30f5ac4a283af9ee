//! `btc-mining-subnet`: the "universal incentive network" thought experiment. The subnet's
//! workers are bitcoin miners: the owner spends its operating budget on hash rate
//! (`Spend{OffTopic}`), the engine pays the BTC mined as TAO at the `btc_tao_price` path, and a
//! share of that revenue buys back (and burns) the subnet's alpha. It captures TAO emission
//! without improving AI, which is what the mechanism comparison should expose.
//!
//! Miners are paid for "work" (`SetIncentive{0.0}`), and the work is hashing. Optionally the
//! budget follows the BTC price: when BTC is dear in TAO each hash earns more, so it mines more.
//!
//! Parameters (YAML `params:`):
//! - `budget_tao_per_day` (default 20.0): hash-rate spending, paid pro rata per decision.
//! - `buyback_share` (0..=1, default 0.8): share of `revenue_rao` spent on the buyback.
//! - `burn` (bool, default true): burn the alpha bought back.
//! - `btc_elasticity` (0..=5, default 0.0): budget × (btc_tao_price / reference)^elasticity,
//!   capped at 3× (0 = a flat budget).
//! - `reference_btc_tao_price` (default 0 = the price at the first decision).

use tourney_sdk::{
    per_interval, spend_then_buy_back, tao_to_rao, Action, Classifier, DecisionClock, Observation,
    ParamError, Params, Role, SpendKind, Strategy, StrategyFactory, StrategyInfo,
};

/// The most the BTC price may scale the budget up.
const MAX_BUDGET_SCALE: f64 = 3.0;

pub struct BtcMiningSubnet {
    budget_rao_per_day: u64,
    buyback_share: f64,
    burn: bool,
    btc_elasticity: f64,
    reference_btc_tao_price: f64,
    clock: DecisionClock,
}

impl BtcMiningSubnet {
    fn budget_scale(&mut self, btc_tao_price: f64) -> f64 {
        if self.btc_elasticity == 0.0 || !(btc_tao_price.is_finite() && btc_tao_price > 0.0) {
            return 1.0;
        }
        if self.reference_btc_tao_price <= 0.0 {
            self.reference_btc_tao_price = btc_tao_price;
        }
        (btc_tao_price / self.reference_btc_tao_price)
            .powf(self.btc_elasticity)
            .min(MAX_BUDGET_SCALE)
    }
}

impl Strategy for BtcMiningSubnet {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "btc-mining-subnet".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::SubnetOwner,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        if self.clock.is_first() {
            actions.push(Action::SetIncentive {
                holdings_weight: 0.0,
            });
        }
        let flat = per_interval(self.budget_rao_per_day, self.clock.tick(o.block));
        let budget = (flat as f64 * self.budget_scale(o.btc_tao_price)) as u64;
        let Some(own) = o.me.own_subnet else {
            return;
        };
        spend_then_buy_back(
            o,
            own,
            budget,
            SpendKind::OffTopic,
            self.buyback_share,
            self.burn,
            actions,
        );
    }
}

impl StrategyFactory for BtcMiningSubnet {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&[
            "budget_tao_per_day",
            "buyback_share",
            "burn",
            "btc_elasticity",
            "reference_btc_tao_price",
        ])?;
        Ok(BtcMiningSubnet {
            budget_rao_per_day: tao_to_rao(params.get_f64_in(
                "budget_tao_per_day",
                20.0,
                0.0,
                1e9,
            )?),
            buyback_share: params.get_f64_in("buyback_share", 0.8, 0.0, 1.0)?,
            burn: params.get_bool("burn", true)?,
            btc_elasticity: params.get_f64_in("btc_elasticity", 0.0, 0.0, 5.0)?,
            reference_btc_tao_price: params.get_f64_in(
                "reference_btc_tao_price",
                0.0,
                0.0,
                1e12,
            )?,
            clock: DecisionClock::new(),
        })
    }
}

tourney_sdk::export_strategy!(BtcMiningSubnet);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::RAO_PER_TAO;

    fn at(block: u64, btc_tao_price: f64, revenue_rao: u64) -> Observation {
        let mut o = observation(1);
        o.block = block;
        o.me.own_subnet = Some(1);
        o.me.revenue_rao = revenue_rao;
        o.btc_tao_price = btc_tao_price;
        o
    }

    fn hash(tao_rao: u64) -> Action {
        Action::Spend {
            tao_rao,
            kind: SpendKind::OffTopic,
        }
    }

    #[test]
    fn buys_hash_rate_and_buys_back_with_btc_revenue() {
        let mut s = BtcMiningSubnet::create(&Params::new(), 0).unwrap();
        let actions = scripted(
            &mut s,
            &[at(360, 250.0, 0), at(720, 300.0, 10 * RAO_PER_TAO)],
        );
        assert_eq!(
            actions,
            vec![
                vec![
                    Action::SetIncentive {
                        holdings_weight: 0.0
                    },
                    hash(RAO_PER_TAO),
                ],
                // The flat budget ignores the BTC price; 0.8 × 10 TAO bought back and burned.
                vec![
                    hash(RAO_PER_TAO),
                    Action::Buyback {
                        tao_rao: 8 * RAO_PER_TAO,
                        burn: true
                    }
                ],
            ]
        );
    }

    #[test]
    fn the_budget_follows_the_btc_price_when_elastic() {
        let params = Params::new().number("btc_elasticity", 1.0);
        let mut s = BtcMiningSubnet::create(&params, 0).unwrap();
        let actions = scripted(
            &mut s,
            &[
                at(360, 200.0, 0),
                // BTC 1.5× dearer than at the start: 1.5 TAO of hash rate.
                at(720, 300.0, 0),
                // 10× dearer: capped at 3×.
                at(1_080, 2_000.0, 0),
                // Half price: half the budget.
                at(1_440, 100.0, 0),
            ],
        );
        let spent: Vec<Action> = actions.into_iter().map(|a| *a.last().unwrap()).collect();
        assert_eq!(
            spent,
            vec![
                hash(RAO_PER_TAO),
                hash(3 * RAO_PER_TAO / 2),
                hash(3 * RAO_PER_TAO),
                hash(RAO_PER_TAO / 2),
            ]
        );
    }

    #[test]
    fn rejects_out_of_range_parameters() {
        assert!(BtcMiningSubnet::create(&Params::new().number("btc_elasticity", 9.0), 0).is_err());
        assert!(BtcMiningSubnet::create(&Params::new().number("elasticity", 1.0), 0).is_err());
    }
}
