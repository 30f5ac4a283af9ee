//! Small, dependency-free helpers that most strategies need: how many blocks passed since the
//! last decision (to pay per-day budgets per decision), and estimates of what a swap through a
//! constant-product pool yields (the E1 pool with its flat fee, spec §4). Estimates only: the
//! engine's integer arithmetic, other pool kinds and other actions in the same block decide the
//! real amounts, so leave a margin.

use crate::{Action, Observation, SpendKind, SubnetId, SubnetView, BLOCKS_PER_DAY};

/// The flat fee of one stake or unstake, rao (spec §4).
pub const STAKE_FEE_RAO: u64 = 50_000;

/// Remembers the block of the previous decision.
#[derive(Clone, Debug, Default)]
pub struct DecisionClock {
    last_block: Option<u64>,
}

impl DecisionClock {
    /// The engine's default decision interval, assumed at the first decision.
    pub const DEFAULT_INTERVAL_BLOCKS: u64 = 360;

    pub fn new() -> Self {
        Self::default()
    }

    /// Blocks since the previous decision: the default interval at the first call (and if the
    /// block did not advance, which only a test would do).
    pub fn tick(&mut self, block: u64) -> u64 {
        let interval = match self.last_block {
            Some(last) if block > last => block - last,
            _ => Self::DEFAULT_INTERVAL_BLOCKS,
        };
        self.last_block = Some(block);
        interval
    }

    /// Whether [`DecisionClock::tick`] has not been called yet.
    pub fn is_first(&self) -> bool {
        self.last_block.is_none()
    }
}

/// The share of a day that `blocks` blocks are.
pub fn days(blocks: u64) -> f64 {
    blocks as f64 / BLOCKS_PER_DAY as f64
}

/// `per_day_rao` scaled to an interval of `blocks` blocks, rounded down.
pub fn per_interval(per_day_rao: u64, blocks: u64) -> u64 {
    (per_day_rao as u128 * blocks as u128 / BLOCKS_PER_DAY as u128).min(u64::MAX as u128) as u64
}

/// TAO (rao) that unstaking `alpha_rao` would return, after the fee: `T − T·A/(A+Δα) − fee`,
/// rounded down; 0 when the fee eats it all.
pub fn tao_for_alpha(subnet: &SubnetView, alpha_rao: u64) -> u64 {
    let t = subnet.tao_reserve_rao as u128;
    let a = subnet.alpha_reserve_rao as u128;
    if alpha_rao == 0 || a == 0 {
        return 0;
    }
    let remaining = (t * a).div_ceil(a + alpha_rao as u128);
    let out = t.saturating_sub(remaining) as u64;
    out.saturating_sub(STAKE_FEE_RAO)
}

/// Alpha (rao) to unstake so that about `tao_rao` comes back after the fee:
/// `Δα = A·x/(T−x)` with `x = tao + fee`, rounded up; `None` when the pool cannot pay that much.
pub fn alpha_for_tao(subnet: &SubnetView, tao_rao: u64) -> Option<u64> {
    let t = subnet.tao_reserve_rao as u128;
    let a = subnet.alpha_reserve_rao as u128;
    let x = tao_rao as u128 + STAKE_FEE_RAO as u128;
    if x >= t {
        return None;
    }
    u64::try_from((a * x).div_ceil(t - x)).ok()
}

/// What [`fund_from_alpha`] decided.
#[derive(Clone, Debug, PartialEq)]
pub struct Funding {
    /// The unstake to push before spending, if free TAO fell short.
    pub unstake: Option<Action>,
    /// Free TAO to count on after it (a cautious estimate).
    pub available_rao: u64,
}

/// Cover `needed_rao` of spending from free TAO, selling alpha held on `subnet` when free TAO
/// falls short: enough for the shortfall plus 2 %, or all of it if that is not enough. The
/// proceeds are counted at 99 % of the constant-product estimate, so that a spend sized to
/// `available_rao` is not rejected whole for a few rao of slippage.
pub fn fund_from_alpha(o: &Observation, subnet: SubnetId, needed_rao: u64) -> Funding {
    let free = o.me.free_tao_rao;
    let none = Funding {
        unstake: None,
        available_rao: free,
    };
    let Some(view) = o.subnet(subnet) else {
        return none;
    };
    if free >= needed_rao {
        return none;
    }
    let shortfall = needed_rao - free;
    let held = o.my_alpha(subnet);
    let wanted = shortfall.saturating_add(shortfall / 50);
    let alpha = alpha_for_tao(view, wanted).map_or(held, |a| a.min(held));
    let proceeds = tao_for_alpha(view, alpha);
    if alpha == 0 || proceeds == 0 {
        return none;
    }
    Funding {
        unstake: Some(Action::Unstake {
            subnet,
            alpha_rao: alpha,
        }),
        available_rao: free.saturating_add(proceeds - proceeds / 100),
    }
}

/// The operating routine of an owner that buys back with outside revenue: fund `budget_rao`
/// from free TAO (selling own-subnet alpha when short, [`fund_from_alpha`]), spend it on
/// `kind`, and — on decisions that did not have to sell alpha — buy back `buyback_share` of the
/// revenue received since the last decision with what is left.
pub fn spend_then_buy_back(
    o: &Observation,
    own: SubnetId,
    budget_rao: u64,
    kind: SpendKind,
    buyback_share: f64,
    burn: bool,
    actions: &mut Vec<Action>,
) {
    let funding = fund_from_alpha(o, own, budget_rao);
    let sold = funding.unstake.is_some();
    actions.extend(funding.unstake);
    let spend = budget_rao.min(funding.available_rao);
    if spend > 0 {
        actions.push(Action::Spend {
            tao_rao: spend,
            kind,
        });
    }
    if sold {
        return;
    }
    let buyback =
        ((o.me.revenue_rao as f64 * buyback_share) as u64).min(funding.available_rao - spend);
    if buyback > 0 {
        actions.push(Action::Buyback {
            tao_rao: buyback,
            burn,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::observation;
    use crate::RAO_PER_TAO;

    #[test]
    fn the_clock_measures_intervals() {
        let mut c = DecisionClock::new();
        assert!(c.is_first());
        assert_eq!(c.tick(1_000), 360);
        assert_eq!(c.tick(1_720), 720);
        assert_eq!(c.tick(1_720), 360);
        // 7,200 blocks = 1 day; 360 blocks = 0.05 day.
        assert_eq!(per_interval(20 * RAO_PER_TAO, 360), RAO_PER_TAO);
        assert_eq!(days(360), 0.05);
    }

    #[test]
    fn swap_estimates_follow_the_constant_product() {
        // Pool: 1,000 TAO and 10,000 alpha. Selling 10,000 alpha: T − T·A/(2A) = 500 TAO, less
        // the 50,000 rao fee.
        let s = &observation(1).subnets[0];
        assert_eq!(
            tao_for_alpha(s, 10_000 * RAO_PER_TAO),
            500 * RAO_PER_TAO - 50_000
        );
        // Getting 500 TAO − fee back needs x = 500 TAO: Δα = 10,000·500/(1,000−500) = 10,000.
        assert_eq!(
            alpha_for_tao(s, 500 * RAO_PER_TAO - 50_000),
            Some(10_000 * RAO_PER_TAO)
        );
        assert_eq!(alpha_for_tao(s, 1_000 * RAO_PER_TAO), None);
        assert_eq!(tao_for_alpha(s, 1), 0);
    }

    #[test]
    fn funding_sells_alpha_only_for_a_shortfall() {
        let mut o = observation(1);
        o.me.free_tao_rao = 10 * RAO_PER_TAO;
        let plenty = fund_from_alpha(&o, 1, 10 * RAO_PER_TAO);
        assert_eq!(
            (plenty.unstake, plenty.available_rao),
            (None, 10 * RAO_PER_TAO)
        );
        // Short by 490 TAO: sell for 490 + 2 % = 499.8 TAO; with the fee x = 499.80005 TAO, so
        // Δα = 10,000 · x / (1,000 − x) = 9,992.005197122 alpha, rounded up in rao.
        o.me.alpha_rao[0] = 20_000 * RAO_PER_TAO;
        let short = fund_from_alpha(&o, 1, 500 * RAO_PER_TAO);
        let alpha = 9_992_005_197_122;
        assert_eq!(
            short.unstake,
            Some(Action::Unstake {
                subnet: 1,
                alpha_rao: alpha
            })
        );
        let proceeds = tao_for_alpha(&o.subnets[0], alpha);
        assert_eq!(proceeds, 499_800_000_000);
        assert_eq!(
            short.available_rao,
            10 * RAO_PER_TAO + proceeds - proceeds / 100
        );
        // Holding too little: everything is sold.
        o.me.alpha_rao[0] = RAO_PER_TAO;
        let all = fund_from_alpha(&o, 1, 500 * RAO_PER_TAO);
        assert_eq!(
            all.unstake,
            Some(Action::Unstake {
                subnet: 1,
                alpha_rao: RAO_PER_TAO
            })
        );
        // Unknown subnet: nothing to sell.
        assert_eq!(fund_from_alpha(&o, 9, 500 * RAO_PER_TAO).unstake, None);
    }
}
