//! `honest-ai-subnet`: the baseline a healthy dTAO should reward. A subnet owner whose miners
//! are paid for work (`SetIncentive{0.0}`), that spends a fixed operating budget on real AI work
//! every decision (raising its value score and earning AI revenue), and sells its own-subnet
//! alpha emission only when free TAO does not cover the budget. It never buys back.
//!
//! Parameters (YAML `params:`):
//! - `budget_tao_per_day` (default 20.0): operating spending, paid pro rata at each decision
//!   (the interval is the blocks since the previous decision; 360 blocks = 0.05 day at the
//!   first).
//! - `reserve_tao` (default 0.0): free TAO to keep on top of the budget; alpha is sold to hold
//!   it.

use tourney_sdk::{
    fund_from_alpha, per_interval, tao_to_rao, Action, Classifier, DecisionClock, Observation,
    ParamError, Params, Role, SpendKind, Strategy, StrategyFactory, StrategyInfo,
};

pub struct HonestAiSubnet {
    budget_rao_per_day: u64,
    reserve_rao: u64,
    clock: DecisionClock,
}

impl Strategy for HonestAiSubnet {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "honest-ai-subnet".into(),
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
        let available = match o.me.own_subnet {
            Some(own) => {
                let funding = fund_from_alpha(o, own, budget.saturating_add(self.reserve_rao));
                actions.extend(funding.unstake);
                funding.available_rao
            }
            None => o.me.free_tao_rao,
        };
        let spend = budget.min(available);
        if spend > 0 {
            actions.push(Action::Spend {
                tao_rao: spend,
                kind: SpendKind::Work,
            });
        }
    }
}

impl StrategyFactory for HonestAiSubnet {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&["budget_tao_per_day", "reserve_tao"])?;
        Ok(HonestAiSubnet {
            budget_rao_per_day: tao_to_rao(params.get_f64_in(
                "budget_tao_per_day",
                20.0,
                0.0,
                1e9,
            )?),
            reserve_rao: tao_to_rao(params.get_f64_in("reserve_tao", 0.0, 0.0, 1e9)?),
            clock: DecisionClock::new(),
        })
    }
}

tourney_sdk::export_strategy!(HonestAiSubnet);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::{alpha_for_tao, RAO_PER_TAO};

    fn at(block: u64, free_tao_rao: u64, alpha: u64) -> Observation {
        let mut o = observation(2);
        o.block = block;
        o.me.own_subnet = Some(2);
        o.me.free_tao_rao = free_tao_rao;
        o.me.alpha_rao[1] = alpha;
        o
    }

    #[test]
    fn pays_its_budget_and_sells_alpha_only_when_short() {
        let mut s = HonestAiSubnet::create(&Params::new(), 0).unwrap();
        let o3 = at(1_440, RAO_PER_TAO / 2, 100 * RAO_PER_TAO);
        let actions = scripted(
            &mut s,
            &[
                at(360, 1_000 * RAO_PER_TAO, 0),
                // 720 blocks later: 0.1 day × 20 TAO = 2 TAO, covered by free TAO.
                at(1_080, 1_000 * RAO_PER_TAO, 100 * RAO_PER_TAO),
                // 360 blocks: 1 TAO due, 0.5 free: sell alpha for 0.5 TAO + 2 %.
                o3.clone(),
            ],
        );
        let sold = alpha_for_tao(&o3.subnets[1], RAO_PER_TAO / 2 + RAO_PER_TAO / 100).unwrap();
        // Hand check: x = 0.51005 TAO, Δα = 10,000 · x / (1,000 − x) ≈ 5.1031 alpha.
        assert_eq!(sold, 5_103_102_838);
        assert_eq!(
            actions,
            vec![
                vec![
                    Action::SetIncentive {
                        holdings_weight: 0.0
                    },
                    // First decision: 360 blocks assumed, 0.05 day × 20 TAO.
                    Action::Spend {
                        tao_rao: RAO_PER_TAO,
                        kind: SpendKind::Work
                    },
                ],
                vec![Action::Spend {
                    tao_rao: 2 * RAO_PER_TAO,
                    kind: SpendKind::Work
                }],
                vec![
                    Action::Unstake {
                        subnet: 2,
                        alpha_rao: sold
                    },
                    Action::Spend {
                        tao_rao: RAO_PER_TAO,
                        kind: SpendKind::Work
                    },
                ],
            ]
        );
    }

    #[test]
    fn with_nothing_to_sell_it_spends_what_it_has() {
        let params = Params::new().number("budget_tao_per_day", 40.0);
        let mut s = HonestAiSubnet::create(&params, 0).unwrap();
        let actions = scripted(&mut s, &[at(360, RAO_PER_TAO / 4, 0)]);
        assert_eq!(
            actions[0][1],
            Action::Spend {
                tao_rao: RAO_PER_TAO / 4,
                kind: SpendKind::Work
            }
        );
    }

    #[test]
    fn rejects_unknown_parameters() {
        assert!(HonestAiSubnet::create(&Params::new().number("budget", 1.0), 0).is_err());
    }
}
