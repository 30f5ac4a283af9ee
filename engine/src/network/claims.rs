//! Root claims paid at a subnet's epoch (from 2025-11-04; the rules are in `root_claims.rs`):
//! a claim settled by the account's claim type, and the passive-root validator's claims split
//! over its root stakers.

use super::Network;
use crate::root_claims::settle;
use crate::state::AccountId;
use crate::units::Rao;

impl Network {
    /// Root alpha claimed by `account` on subnet `i` (from 2025-11-04), settled by its claim
    /// type: Swap sells it through the pool without fee and stakes the TAO on root (counted as
    /// emission received, and as root-sell TAO in E4's protocol flow); Keep holds the alpha. A
    /// sale the pool refuses leaves the alpha held, as on chain it stays owed.
    pub(super) fn claim_root_alpha(
        &mut self,
        i: usize,
        account: AccountId,
        amount: Rao,
        price: f64,
    ) {
        if amount == 0 {
            return;
        }
        let choice = self.root_claims.choice(account);
        let curve = self.subnets.curve(i);
        let settled = settle(choice, amount, &mut self.subnets.reserves[i], curve);
        let tao = settled.tao_to_root;
        if tao == 0 {
            self.credit_alpha(i, account, settled.alpha_kept, price);
            return;
        }
        self.subnets.alpha_outstanding[i] -= amount;
        if self.rule.uses_protocol_flow() {
            self.subnets.protocol_flow_ema[i] -= self.params.rates.flow_ema_rate * tao as f64;
        }
        self.root_stake_total += tao;
        let acc = &mut self.accounts[account];
        acc.root_stake += tao;
        acc.emission_since += tao;
        acc.emission_total += tao as u128;
    }

    /// Claimable root alpha of subnet `i` to root stakers selected by `eligible`, pro rata root
    /// stake, each claim settled by its claim type; the floors' remainder (or everything, when
    /// nobody is eligible) is recycled.
    pub(super) fn pay_root_alpha(
        &mut self,
        i: usize,
        amount: Rao,
        eligible: impl Fn(AccountId) -> bool,
        price: f64,
    ) {
        if amount == 0 {
            return;
        }
        // The denominator is fixed before any claim stakes TAO on root, and each account's
        // share is taken before its own claim.
        let paid = self.pay_pro_rata_root_stake(amount, eligible, |net, a, share| {
            net.claim_root_alpha(i, a, share, price)
        });
        self.burn_pending(i, amount - paid);
    }
}
