//! The background market: speculator segments, each one account that moves its portfolio
//! toward a target allocation every market interval. Targets come from public signals only:
//!
//! | segment  | target weight of subnet i ∝                                   | sensitivity s        |
//! |----------|----------------------------------------------------------------|----------------------|
//! | momentum | hype_i · max(r1d_i + ¼·r7d_i, 0)  (attention × momentum)       | exponent on signal   |
//! | yield    | max(APY_i − s, 0), APY = alpha paid to stakers/holders per year / alpha outstanding | hurdle APY |
//! | value    | max(365·value_score_i / market cap_i − s, 0)                   | hurdle earnings yield |
//! | noise    | hype_i · u_i, u_i uniform, redrawn daily                       | (unused)             |
//! | panic    | hype_i · max(r7d_i, 0); sells a subnet outright when r1d_i < −s and shuns it 3 days | drop threshold |
//!
//! A target position is capped at `max_position_pool_share` of the pool's TAO (a liquidity
//! limit). Each trade closes `speed` of the gap between holding and target (in TAO at spot), is
//! capped at `max_pool_fraction` of the pool's TAO and skipped below `min_trade_tao`. Subnets are
//! visited in id order, sells before buys, so a segment's trades are deterministic.

use crate::config::{MarketConfig, SegmentConfig};
use crate::network::Network;
use crate::state::AccountId;
use crate::units::{Rao, BLOCKS_PER_DAY, RAO_PER_TAO};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tourney_sdk::Action;

/// A segment of the background market.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    Momentum,
    Yield,
    Value,
    Noise,
    Panic,
}

impl Segment {
    pub const ALL: [Segment; 5] = [
        Segment::Momentum,
        Segment::Yield,
        Segment::Value,
        Segment::Noise,
        Segment::Panic,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Segment::Momentum => "market-momentum",
            Segment::Yield => "market-yield",
            Segment::Value => "market-value",
            Segment::Noise => "market-noise",
            Segment::Panic => "market-panic",
        }
    }
    pub fn config(self, m: &MarketConfig) -> SegmentConfig {
        match self {
            Segment::Momentum => m.momentum,
            Segment::Yield => m.yield_seeking,
            Segment::Value => m.value,
            Segment::Noise => m.noise,
            Segment::Panic => m.panic,
        }
    }
}

/// Mutable market state beyond balances: the noise draws and panic cool-downs.
#[derive(Clone, Debug)]
pub struct MarketState {
    pub config: MarketConfig,
    rng: ChaCha8Rng,
    noise_draw: Vec<f64>,
    noise_day: Option<u64>,
    /// Block until which the panic segment shuns a subnet.
    panic_until: Vec<u64>,
    targets: Vec<f64>,
}

impl MarketState {
    pub fn new(config: MarketConfig, rng: ChaCha8Rng, n_subnets: usize) -> Self {
        Self {
            config,
            rng,
            noise_draw: vec![0.0; n_subnets],
            noise_day: None,
            panic_until: vec![0; n_subnets],
            targets: vec![0.0; n_subnets],
        }
    }

    /// Target weights of `segment` (sum ≤ 1) into `self.targets`.
    fn compute_targets(&mut self, net: &Network, segment: Segment, cfg: SegmentConfig) {
        let s = &net.subnets;
        let n = s.len();
        let block = net.block;
        if segment == Segment::Noise {
            let day = block / BLOCKS_PER_DAY;
            if self.noise_day != Some(day) {
                self.noise_day = Some(day);
                for x in &mut self.noise_draw {
                    *x = self.rng.random::<f64>();
                }
            }
        }
        let exponent = cfg.sensitivity.max(0.1);
        for i in 0..n {
            let w = match segment {
                Segment::Momentum => {
                    let (r1, r7) = net.price_changes_1d_7d(i);
                    let m = (r1 + 0.25 * r7).max(0.0);
                    // m¹ = m exactly; `powf` is the market's most expensive call otherwise.
                    s.hype[i] * if exponent == 1.0 { m } else { m.powf(exponent) }
                }
                Segment::Yield => (net.staker_apy(i) - cfg.sensitivity).max(0.0),
                Segment::Value => {
                    let cap = net.market_cap_tao(i);
                    if cap > 0.0 {
                        (365.0 * s.value_score[i] / cap - cfg.sensitivity).max(0.0)
                    } else {
                        0.0
                    }
                }
                Segment::Noise => s.hype[i] * self.noise_draw[i],
                Segment::Panic => {
                    if block < self.panic_until[i] {
                        0.0
                    } else {
                        s.hype[i] * net.price_change_7d(i).max(0.0)
                    }
                }
            };
            self.targets[i] = if w.is_finite() { w } else { 0.0 };
        }
        let sum: f64 = self.targets.iter().sum();
        if sum > 0.0 {
            self.targets.iter_mut().for_each(|x| *x /= sum);
        }
    }

    /// One market interval: every segment trades toward its targets.
    pub fn trade(&mut self, net: &mut Network, segment_accounts: &[(Segment, AccountId)]) {
        for &(segment, account) in segment_accounts {
            let cfg = segment.config(&self.config);
            if cfg.capital_tao <= 0.0 {
                continue;
            }
            self.compute_targets(net, segment, cfg);
            if segment == Segment::Panic {
                self.panic_sell(net, account, cfg);
            }
            self.rebalance(net, account, cfg);
        }
    }

    fn panic_sell(&mut self, net: &mut Network, account: AccountId, cfg: SegmentConfig) {
        for i in 0..net.subnets.len() {
            let held = net.accounts[account].alpha[i];
            if held > 0 && net.price_change_1d(i) < -cfg.sensitivity {
                let id = net.subnets.id[i];
                // A refused sale (pool too thin) is simply not done: the market retries later.
                let _ = net.apply(
                    account,
                    Action::Unstake {
                        subnet: id,
                        alpha_rao: held,
                    },
                );
                self.panic_until[i] = net.block + 3 * BLOCKS_PER_DAY;
                self.targets[i] = 0.0;
            }
        }
    }

    fn rebalance(&mut self, net: &mut Network, account: AccountId, cfg: SegmentConfig) {
        let n = net.subnets.len();
        let wealth = net.mark_to_market_tao(account);
        let investable = wealth * cfg.invest_fraction;
        let min_trade = self.config.min_trade_tao;
        let min_trade_rao = (min_trade * RAO_PER_TAO as f64) as Rao;
        // Sells first (they fund the buys), then buys, each in subnet order.
        for pass_sell in [true, false] {
            for i in 0..n {
                let held = net.accounts[account].alpha[i];
                // Nothing held: nothing to sell. Zero target: nothing to buy (the gap is −holding).
                // Skipping these before any arithmetic changes no result and most of the cost.
                if (pass_sell && held == 0) || (!pass_sell && self.targets[i] <= 0.0) {
                    continue;
                }
                let price = net.subnets.price(i);
                if price <= 0.0 {
                    continue;
                }
                let holding_tao = held as f64 / RAO_PER_TAO as f64 * price;
                let pool_tao = net.subnets.reserves[i].tao_rao as f64 / RAO_PER_TAO as f64;
                let target = (self.targets[i] * investable)
                    .min(pool_tao * self.config.max_position_pool_share);
                let gap = target - holding_tao;
                let cap = pool_tao * self.config.max_pool_fraction;
                let trade = (gap * cfg.speed).clamp(-cap, cap);
                if trade.abs() < min_trade {
                    continue;
                }
                let id = net.subnets.id[i];
                if pass_sell && trade < 0.0 {
                    let alpha = ((-trade / price) * RAO_PER_TAO as f64) as Rao;
                    let alpha = alpha.min(held);
                    let _ = net.apply(
                        account,
                        Action::Unstake {
                            subnet: id,
                            alpha_rao: alpha,
                        },
                    );
                } else if !pass_sell && trade > 0.0 {
                    let free = net.accounts[account].free_tao;
                    let tao = ((trade * RAO_PER_TAO as f64) as Rao).min(free);
                    if tao >= min_trade_rao {
                        let _ = net.apply(
                            account,
                            Action::Stake {
                                subnet: id,
                                tao_rao: tao,
                            },
                        );
                    }
                }
            }
        }
    }
}
