//! `meme-farmer`: the SN28 play. A subnet owner that pays its miners by alpha held (the
//! holdings rule), so that buying its alpha *is* mining it. It stakes most of its TAO into its
//! own subnet at the start (being its largest holder, it earns most of the holders' alpha on
//! top of the owner's 18 %), rides the reflexive loop while the price rises, and sells
//! everything once momentum turns or the price falls far enough from its peak; after that it
//! keeps selling the owner emission as it arrives.
//!
//! Parameters (YAML `params:`):
//! - `holdings_weight` (0..=1, default 1.0): the published incentive rule (1 = pure holdings).
//! - `stake_fraction` (0..=1, default 0.8): share of free TAO staked into the own subnet at the
//!   first decision; the rest is kept.
//! - `exit_momentum` (default -0.05): exit when the own subnet's 1-day price change falls below.
//! - `trailing_stop` (0..=1, default 0.3): exit when the price is this far below its peak.

use tourney_sdk::{
    Action, Classifier, Observation, ParamError, Params, Role, Strategy, StrategyFactory,
    StrategyInfo,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Start,
    Holding,
    Exited,
}

pub struct MemeFarmer {
    holdings_weight: f64,
    stake_fraction: f64,
    exit_momentum: f64,
    trailing_stop: f64,
    phase: Phase,
    /// Highest own-subnet price seen while holding.
    peak_price: f64,
}

impl Strategy for MemeFarmer {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "meme-farmer".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::SubnetOwner,
                stochastic: false,
                uses_root_stake: false,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        let own = o.me.own_subnet.and_then(|id| o.subnet(id));
        if self.phase == Phase::Start {
            self.phase = Phase::Holding;
            actions.push(Action::SetIncentive {
                holdings_weight: self.holdings_weight,
            });
            if let Some(s) = own {
                self.peak_price = s.price;
                let stake = (o.me.free_tao_rao as f64 * self.stake_fraction) as u64;
                if stake > 0 {
                    actions.push(Action::Stake {
                        subnet: s.id,
                        tao_rao: stake,
                    });
                }
            }
            return;
        }
        let Some(s) = own else { return };
        let held = o.my_alpha(s.id);
        if self.phase == Phase::Holding {
            self.peak_price = self.peak_price.max(s.price);
            let momentum_turned = s.price_change_1d < self.exit_momentum;
            let stopped = s.price <= self.peak_price * (1.0 - self.trailing_stop);
            if momentum_turned || stopped {
                self.phase = Phase::Exited;
            }
        }
        if self.phase == Phase::Exited && held > 0 {
            actions.push(Action::Unstake {
                subnet: s.id,
                alpha_rao: held,
            });
        }
    }
}

impl StrategyFactory for MemeFarmer {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&[
            "holdings_weight",
            "stake_fraction",
            "exit_momentum",
            "trailing_stop",
        ])?;
        Ok(MemeFarmer {
            holdings_weight: params.get_f64_in("holdings_weight", 1.0, 0.0, 1.0)?,
            stake_fraction: params.get_f64_in("stake_fraction", 0.8, 0.0, 1.0)?,
            exit_momentum: params.get_f64("exit_momentum", -0.05)?,
            trailing_stop: params.get_f64_in("trailing_stop", 0.3, 0.0, 1.0)?,
            phase: Phase::Start,
            peak_price: 0.0,
        })
    }
}

tourney_sdk::export_strategy!(MemeFarmer);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::RAO_PER_TAO;

    /// An observation of the own subnet 1 at `price` with 1-day change `change_1d`, holding
    /// `alpha` whole alpha.
    fn at(block: u64, price: f64, change_1d: f64, alpha: u64) -> Observation {
        let mut o = observation(2);
        o.block = block;
        o.me.own_subnet = Some(1);
        o.subnets[0].price = price;
        o.subnets[0].price_change_1d = change_1d;
        o.me.alpha_rao[0] = alpha * RAO_PER_TAO;
        o
    }

    #[test]
    fn stakes_rides_the_rise_and_dumps_when_momentum_turns() {
        let mut s = MemeFarmer::create(&Params::new(), 0).unwrap();
        let actions = scripted(
            &mut s,
            &[
                at(360, 0.10, 0.0, 0),
                at(720, 0.12, 0.20, 7_000),
                at(1_080, 0.15, 0.10, 7_100),
                // −2 % in a day: above the −5 % threshold, and 0.14 > 0.7 × 0.15: hold.
                at(1_440, 0.14, -0.02, 7_200),
                // −8 %: momentum turned: sell everything.
                at(1_800, 0.13, -0.08, 7_300),
                // Owner emission keeps arriving after the exit: sold as it comes.
                at(2_160, 0.12, 0.01, 50),
            ],
        );
        assert_eq!(
            actions,
            vec![
                vec![
                    Action::SetIncentive {
                        holdings_weight: 1.0
                    },
                    // 0.8 × 1,000 TAO.
                    Action::Stake {
                        subnet: 1,
                        tao_rao: 800 * RAO_PER_TAO
                    },
                ],
                vec![],
                vec![],
                vec![],
                vec![Action::Unstake {
                    subnet: 1,
                    alpha_rao: 7_300 * RAO_PER_TAO
                }],
                vec![Action::Unstake {
                    subnet: 1,
                    alpha_rao: 50 * RAO_PER_TAO
                }],
            ]
        );
    }

    #[test]
    fn the_trailing_stop_fires_without_a_daily_drop() {
        let params = Params::new()
            .number("trailing_stop", 0.5)
            .number("holdings_weight", 0.75)
            .number("stake_fraction", 0.5);
        let mut s = MemeFarmer::create(&params, 0).unwrap();
        let actions = scripted(
            &mut s,
            &[
                at(360, 0.10, 0.0, 0),
                at(720, 0.40, 0.0, 100),
                // 0.21 > 0.5 × 0.40: hold.
                at(1_080, 0.21, 0.0, 100),
                // 0.20 ≤ 0.5 × 0.40: stop.
                at(1_440, 0.20, 0.0, 100),
            ],
        );
        assert_eq!(
            actions,
            vec![
                vec![
                    Action::SetIncentive {
                        holdings_weight: 0.75
                    },
                    Action::Stake {
                        subnet: 1,
                        tao_rao: 500 * RAO_PER_TAO
                    },
                ],
                vec![],
                vec![],
                vec![Action::Unstake {
                    subnet: 1,
                    alpha_rao: 100 * RAO_PER_TAO
                }],
            ]
        );
    }

    #[test]
    fn without_a_subnet_it_only_publishes_its_rule() {
        let mut s = MemeFarmer::create(&Params::new(), 0).unwrap();
        let mut o = observation(1);
        o.me.own_subnet = None;
        assert_eq!(
            scripted(&mut s, &[o.clone(), o]),
            vec![
                vec![Action::SetIncentive {
                    holdings_weight: 1.0
                }],
                vec![]
            ]
        );
    }

    #[test]
    fn rejects_unknown_parameters() {
        let err = MemeFarmer::create(&Params::new().number("stake", 0.5), 0)
            .err()
            .unwrap();
        assert_eq!(err.param, "stake");
    }
}
