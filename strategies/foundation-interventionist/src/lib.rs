//! `foundation-interventionist`: what the foundation did to SN28 in February 2025. It puts its
//! capital on root (whose stake counts τw × in every subnet's Yuma consensus) and runs a
//! validator on every subnet that pays miners by alpha held, weighting those miners to zero
//! (`SetWeights{ZeroHolders}`). Whether that works is decided by stake-weighted consensus: it
//! does while root's weight dominates the subnet's own alpha stake, and stops working as the
//! root proportion decays. When a subnet drops the holdings rule, its validator goes back to
//! following the published rule.
//!
//! Parameters (YAML `params:`):
//! - `root_fraction` (0..=1, default 0.9): share of free TAO staked on root at the start.
//! - `holdings_threshold` (0..=1, default 0.5): intervene on subnets whose published rule puts
//!   at least this weight on holdings.
//! - `max_price_to_value` (default 0 = off): also intervene where market cap (price × alpha
//!   outstanding) exceeds this many years of the subnet's value score (value per day × 365), or
//!   where a subnet with a market cap creates no value at all.
//! - `sell_flagged` (bool, default false): also sell any alpha it holds on those subnets.

use std::collections::BTreeSet;

use tourney_sdk::{
    rao_to_tao, Action, Classifier, Observation, ParamError, Params, Role, Strategy,
    StrategyFactory, StrategyInfo, SubnetId, SubnetView, WeightPolicy,
};

pub struct FoundationInterventionist {
    root_fraction: f64,
    holdings_threshold: f64,
    max_price_to_value: f64,
    sell_flagged: bool,
    started: bool,
    /// Subnets on which it currently zeroes holders.
    flagged: BTreeSet<SubnetId>,
}

impl FoundationInterventionist {
    fn is_target(&self, s: &SubnetView) -> bool {
        if s.incentive_holdings_weight >= self.holdings_threshold {
            return true;
        }
        if self.max_price_to_value <= 0.0 {
            return false;
        }
        let market_cap_tao = s.price * rao_to_tao(s.alpha_outstanding_rao);
        let annual_value_tao = s.value_score * 365.0;
        if annual_value_tao <= 0.0 {
            market_cap_tao > 0.0
        } else {
            market_cap_tao / annual_value_tao > self.max_price_to_value
        }
    }
}

impl Strategy for FoundationInterventionist {
    fn info(&self) -> StrategyInfo {
        StrategyInfo {
            name: "foundation-interventionist".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            classifier: Classifier {
                role: Role::Staker,
                stochastic: false,
                uses_root_stake: true,
            },
        }
    }

    fn decide(&mut self, o: &Observation, actions: &mut Vec<Action>) {
        if !self.started {
            self.started = true;
            let stake = (o.me.free_tao_rao as f64 * self.root_fraction) as u64;
            if stake > 0 {
                actions.push(Action::StakeRoot { tao_rao: stake });
            }
        }
        for s in &o.subnets {
            if self.is_target(s) {
                self.flagged.insert(s.id);
                actions.push(Action::SetWeights {
                    subnet: s.id,
                    policy: WeightPolicy::ZeroHolders,
                });
                let held = o.my_alpha(s.id);
                if self.sell_flagged && held > 0 {
                    actions.push(Action::Unstake {
                        subnet: s.id,
                        alpha_rao: held,
                    });
                }
            } else if self.flagged.remove(&s.id) {
                actions.push(Action::SetWeights {
                    subnet: s.id,
                    policy: WeightPolicy::FollowRule,
                });
            }
        }
    }
}

impl StrategyFactory for FoundationInterventionist {
    fn create(params: &Params, _seed: u64) -> Result<Self, ParamError> {
        params.only(&[
            "root_fraction",
            "holdings_threshold",
            "max_price_to_value",
            "sell_flagged",
        ])?;
        Ok(FoundationInterventionist {
            root_fraction: params.get_f64_in("root_fraction", 0.9, 0.0, 1.0)?,
            holdings_threshold: params.get_f64_in("holdings_threshold", 0.5, 0.0, 1.0)?,
            max_price_to_value: params.get_f64_in("max_price_to_value", 0.0, 0.0, 1e12)?,
            sell_flagged: params.get_bool("sell_flagged", false)?,
            started: false,
            flagged: BTreeSet::new(),
        })
    }
}

tourney_sdk::export_strategy!(FoundationInterventionist);

#[cfg(test)]
mod tests {
    use super::*;
    use tourney_sdk::testing::{observation, scripted};
    use tourney_sdk::{ParamValue, RAO_PER_TAO};

    fn zero(subnet: SubnetId) -> Action {
        Action::SetWeights {
            subnet,
            policy: WeightPolicy::ZeroHolders,
        }
    }

    #[test]
    fn stakes_root_and_zeroes_holders_on_meme_subnets_while_they_last() {
        let mut s = FoundationInterventionist::create(&Params::new(), 0).unwrap();
        let mut meme = observation(3);
        meme.subnets[1].incentive_holdings_weight = 1.0;
        // A mix at exactly the threshold counts.
        meme.subnets[2].incentive_holdings_weight = 0.5;
        let mut later = meme.clone();
        later.block = 360;
        // Subnet 3 went back to paying for work.
        later.subnets[2].incentive_holdings_weight = 0.0;
        let mut last = later.clone();
        last.block = 720;
        let actions = scripted(&mut s, &[meme, later, last]);
        assert_eq!(
            actions,
            vec![
                vec![
                    // 0.9 × 1,000 TAO.
                    Action::StakeRoot {
                        tao_rao: 900 * RAO_PER_TAO
                    },
                    zero(2),
                    zero(3),
                ],
                vec![
                    zero(2),
                    Action::SetWeights {
                        subnet: 3,
                        policy: WeightPolicy::FollowRule
                    },
                ],
                vec![zero(2)],
            ]
        );
    }

    #[test]
    fn overvalued_subnets_are_targets_too_and_held_alpha_is_sold() {
        let params = Params::new()
            .number("max_price_to_value", 10.0)
            .with("sell_flagged", ParamValue::Bool(true))
            .number("root_fraction", 0.0);
        let mut s = FoundationInterventionist::create(&params, 0).unwrap();
        let mut o = observation(3);
        for v in &mut o.subnets {
            // Market cap: 0.1 × 10,000 alpha = 1,000 TAO.
            v.alpha_outstanding_rao = 10_000 * RAO_PER_TAO;
        }
        // 1,000 / (0.2 × 365 = 73) ≈ 13.7 years > 10: a target.
        o.subnets[0].value_score = 0.2;
        // 1,000 / 365 ≈ 2.7 years: fine.
        o.subnets[1].value_score = 1.0;
        // No value at all but a market cap: a target.
        o.subnets[2].value_score = 0.0;
        o.me.alpha_rao = vec![5, 6, 0];
        let actions = scripted(&mut s, &[o]);
        assert_eq!(
            actions,
            vec![vec![
                zero(1),
                Action::Unstake {
                    subnet: 1,
                    alpha_rao: 5
                },
                zero(3),
            ]]
        );
    }

    #[test]
    fn rejects_unknown_parameters() {
        assert!(FoundationInterventionist::create(&Params::new().number("sell", 1.0), 0).is_err());
    }
}
