//! `buyback-subnet`: an owner that pays for real work and turns its external revenue into
//! demand for its own alpha. Miners are paid for work (`SetIncentive{0.0}`); every decision it
//! spends its operating budget on work and a share of the revenue received since the last
//! decision on a buyback (burned by default, which shrinks the alpha float). When free TAO
//! does not cover the budget it sells some of its alpha emission instead, and buys nothing back
//! that decision (buying and selling at once would only pay the pool fees twice).
//!
//! Parameters (YAML `params:`):
//! - `budget_tao_per_day` (default 20.0): work spending, paid pro rata per decision.
//! - `buyback_share` (0..=1, default 0.5): share of `revenue_rao` spent on the buyback.
//! - `burn` (bool, default true): burn the alpha bought back instead of holding it.

use tourney_sdk::{
    per_interval, spend_then_buy_back, tao_to_rao, Action, Classifier, DecisionClock, Observation,
    ParamError, Params, Role, SpendKind, Strategy, StrategyFactory, StrategyInfo,
};

pub struct BuybackSubnet {
    budget_rao_per_day: u64,
    buyback_share: f64,
    burn: bool,
    clock: DecisionClock,
}

impl Strategy for BuybackSubnet {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "buyback-subnet".into(),
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
        let budget = per_interval(self.budget_rao_per_day, self.clock.tick(o.block));
        let Some(own) = o.me.own_subnet else {
            return;
        };
        spend_then_buy_back(
            o,
            own,
            budget,
            SpendKind::Work,
            self.buyback_share,
            self.burn,
            actions,
        );
    }
}

impl StrategyFactory for BuybackSubnet {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&["budget_tao_per_day", "buyback_share", "burn"])?;
        Ok(BuybackSubnet {
            budget_rao_per_day: tao_to_rao(params.get_f64_in(
                "budget_tao_per_day",
                20.0,
                0.0,
                1e9,
            )?),
            buyback_share: params.get_f64_in("buyback_share", 0.5, 0.0, 1.0)?,
            burn: params.get_bool("burn", true)?,
            clock: DecisionClock::new(),
        })
    }
}

tourney_sdk::export_strategy!(BuybackSubnet);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::{ParamValue, RAO_PER_TAO};

    fn at(block: u64, free_tao_rao: u64, revenue_rao: u64, alpha: u64) -> Observation {
        let mut o = observation(1);
        o.block = block;
        o.me.own_subnet = Some(1);
        o.me.free_tao_rao = free_tao_rao;
        o.me.revenue_rao = revenue_rao;
        o.me.alpha_rao[0] = alpha;
        o
    }

    #[test]
    fn spends_the_budget_and_buys_back_half_the_revenue() {
        let mut s = BuybackSubnet::create(&Params::new(), 0).unwrap();
        let actions = scripted(
            &mut s,
            &[
                at(360, 1_000 * RAO_PER_TAO, 0, 0),
                // 360 blocks: 1 TAO budget; revenue 6 TAO → 3 TAO bought back and burned.
                at(720, 1_000 * RAO_PER_TAO, 6 * RAO_PER_TAO, 0),
            ],
        );
        assert_eq!(
            actions,
            vec![
                vec![
                    Action::SetIncentive {
                        holdings_weight: 0.0
                    },
                    Action::Spend {
                        tao_rao: RAO_PER_TAO,
                        kind: SpendKind::Work
                    },
                ],
                vec![
                    Action::Spend {
                        tao_rao: RAO_PER_TAO,
                        kind: SpendKind::Work
                    },
                    Action::Buyback {
                        tao_rao: 3 * RAO_PER_TAO,
                        burn: true
                    },
                ],
            ]
        );
    }

    #[test]
    fn the_buyback_never_exceeds_what_is_left_after_the_budget() {
        let params = Params::new()
            .number("buyback_share", 1.0)
            .with("burn", ParamValue::Bool(false));
        let mut s = BuybackSubnet::create(&params, 0).unwrap();
        // 2.5 TAO free, 1 TAO budget, 4 TAO of revenue claimed: only 1.5 TAO left to buy with.
        let actions = scripted(&mut s, &[at(360, 5 * RAO_PER_TAO / 2, 4 * RAO_PER_TAO, 0)]);
        assert_eq!(
            actions[0][1..],
            [
                Action::Spend {
                    tao_rao: RAO_PER_TAO,
                    kind: SpendKind::Work
                },
                Action::Buyback {
                    tao_rao: 3 * RAO_PER_TAO / 2,
                    burn: false
                },
            ]
        );
    }

    #[test]
    fn short_of_tao_it_sells_alpha_and_skips_the_buyback() {
        let mut s = BuybackSubnet::create(&Params::new(), 0).unwrap();
        // Budget 1 TAO, free 0: sell for 1.02 TAO. x = 1.02005 TAO;
        // Δα = 10,000 · 1.02005 / (1,000 − 1.02005) = 10.210915645 alpha, rounded up.
        let actions = scripted(&mut s, &[at(360, 0, 2 * RAO_PER_TAO, 50 * RAO_PER_TAO)]);
        assert_eq!(
            actions[0][1..],
            [
                Action::Unstake {
                    subnet: 1,
                    alpha_rao: 10_210_915_645
                },
                Action::Spend {
                    tao_rao: RAO_PER_TAO,
                    kind: SpendKind::Work
                },
            ]
        );
    }
}
