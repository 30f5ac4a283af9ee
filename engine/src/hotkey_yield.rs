//! Each hotkey's dividend yield at its subnet's last epoch: what the 2025-03-19 to 2025-06-30
//! unstake fee reads (`fees.rs`, `FeeRule::UnstakeYield`).
//!
//! The chain records, per hotkey and subnet, the alpha dividends the hotkey paid its
//! nominators at the epoch (net of its take, `AlphaDividendsPerSubnet`) and the alpha staked on
//! it right after (`TotalHotkeyAlphaLastEpoch`); an unstake from that hotkey then pays at least
//! `τ·D/A`. Here an account's alpha is staked on its own validator where it runs one, on the
//! subnet's workers' miner hotkey for the background workers (no dividends), and on the
//! community validator otherwise.

use crate::state::AccountId;
use crate::units::Rao;

/// The hotkey an account's alpha on a subnet is staked on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hotkey {
    /// The community validator (every delegator).
    Community,
    /// The validator an agent runs on the subnet.
    Agent(AccountId),
    /// A miner hotkey (pays no dividends).
    Miner,
}

/// Last-epoch dividend yields, per subnet.
#[derive(Clone, Debug, Default)]
pub struct HotkeyYields {
    community: Vec<f64>,
    agents: Vec<Vec<(AccountId, f64)>>,
}

/// `paid / staked`, 0 when nothing is staked.
pub fn dividend_yield(paid_to_nominators: Rao, staked_after: u128) -> f64 {
    if staked_after == 0 {
        0.0
    } else {
        paid_to_nominators as f64 / staked_after as f64
    }
}

impl HotkeyYields {
    pub fn new(n_subnets: usize) -> Self {
        Self {
            community: vec![0.0; n_subnets],
            agents: vec![Vec::new(); n_subnets],
        }
    }

    /// Forget subnet `i`'s agent validators' yields (before an epoch records new ones).
    pub fn start_epoch(&mut self, i: usize) {
        self.agents[i].clear();
    }

    /// Subnet `i` was dissolved: its hotkeys paid nothing.
    pub fn reset(&mut self, i: usize) {
        self.community[i] = 0.0;
        self.agents[i].clear();
    }

    /// Record a hotkey's dividends at subnet `i`'s epoch.
    pub fn record(
        &mut self,
        i: usize,
        hotkey: Hotkey,
        paid_to_nominators: Rao,
        staked_after: u128,
    ) {
        let y = dividend_yield(paid_to_nominators, staked_after);
        match hotkey {
            Hotkey::Community => self.community[i] = y,
            Hotkey::Agent(a) => self.agents[i].push((a, y)),
            Hotkey::Miner => {}
        }
    }

    /// The hotkey's yield at subnet `i`'s last epoch (0 if it paid nothing there).
    pub fn of(&self, i: usize, hotkey: Hotkey) -> f64 {
        match hotkey {
            Hotkey::Community => self.community[i],
            Hotkey::Agent(a) => self.agents[i]
                .iter()
                .find(|(x, _)| *x == a)
                .map_or(0.0, |x| x.1),
            Hotkey::Miner => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yields_by_hotkey() {
        let mut y = HotkeyYields::new(2);
        // 41 alpha paid to nominators over 10,041 staked after the epoch.
        y.record(1, Hotkey::Community, 41, 10_041);
        y.record(1, Hotkey::Agent(7), 5, 0);
        assert_eq!(y.of(1, Hotkey::Community), 41.0 / 10_041.0);
        assert_eq!(y.of(1, Hotkey::Agent(7)), 0.0);
        assert_eq!(y.of(0, Hotkey::Community), 0.0);
        assert_eq!(y.of(1, Hotkey::Miner), 0.0);
        y.start_epoch(1);
        assert_eq!(y.of(1, Hotkey::Agent(7)), 0.0);
    }
}
