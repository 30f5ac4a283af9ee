//! Subnet pruning (from 2025-09-24): at the subnet limit a new registration dissolves the
//! non-immune subnet with the lowest moving price and pays its pool TAO to its stakers.
//!
//! Read in `opentensor/subtensor` at 2025-09-30 (commit 79010a3): `get_network_to_prune`
//! (`coinbase/root.rs`) skips subnets registered less than `NetworkImmunityPeriod` blocks ago
//! (1,296,000, 180 days) and picks the lowest `get_moving_alpha_price`, ties to the earliest
//! registered; `do_dissolve_network` → `destroy_alpha_in_out_stakes`
//! (`staking/remove_stake.rs`) pays the pool's TAO to every staker's coldkey pro rata the
//! alpha value of its stake (floors, then one rao each to the largest remainders), destroys
//! the subnet's alpha, and refunds the owner `max(0, lock − owner emission in TAO)`. The new
//! subnet takes the freed netuid with `min_lock` TAO and as much alpha in its pool.
//!
//! Modelled: the network is taken to be at its limit from 2025-09-24; registrations arrive as
//! a Poisson process at `network.subnet_registrations_per_day` (seeded from the match seed);
//! each dissolves the modelled subnet the chain would pick and registers a background subnet
//! in its slot. Pending (undistributed) emission of the dissolved subnet is recycled.

use crate::units::Rao;

/// Transition day from which a registration at the limit dissolves a subnet (2025-09-24).
pub const PRUNING_DAY: f64 = 223.0;
/// Blocks a newly registered subnet is immune from pruning (`SubtensorInitialNetworkImmunity`).
pub const NETWORK_IMMUNITY_BLOCKS: i64 = 1_296_000;
/// The subnet limit (`DefaultSubnetLimit`).
pub const SUBNET_LIMIT: u32 = 128;

/// The subnet to dissolve: the lowest moving price among subnets registered at least
/// [`NETWORK_IMMUNITY_BLOCKS`] before `now`, ties to the earliest registration; `None` when
/// every subnet is immune.
pub fn subnet_to_prune(ema_price: &[f64], registered_at: &[i64], now: i64) -> Option<usize> {
    let mut best: Option<usize> = None;
    for i in 0..ema_price.len() {
        if now < registered_at[i] + NETWORK_IMMUNITY_BLOCKS {
            continue;
        }
        best = match best {
            None => Some(i),
            Some(b)
                if ema_price[i] < ema_price[b]
                    || (ema_price[i] == ema_price[b] && registered_at[i] < registered_at[b]) =>
            {
                Some(i)
            }
            keep => keep,
        };
    }
    best
}

/// Split `pot` pro rata `weights` (largest remainder): each gets `⌊pot·w/Σw⌋`, then the rao
/// left over go one each to the largest remainders (ties to the earlier). Nothing is paid when
/// the weights sum to 0.
pub fn pro_rata_largest_remainder(pot: Rao, weights: &[u128]) -> Vec<Rao> {
    let total: u128 = weights.iter().sum();
    if total == 0 {
        return vec![0; weights.len()];
    }
    let mut shares = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    let mut paid: u128 = 0;
    for (k, &w) in weights.iter().enumerate() {
        let prod = pot as u128 * w;
        shares.push((prod / total) as Rao);
        rems.push((prod % total, k));
        paid += prod / total;
    }
    let left = (pot as u128 - paid) as usize;
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, k) in rems.iter().take(left) {
        shares[k] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn immune_subnets_are_skipped() {
        let now = 2_000_000;
        // Subnet 0 is cheapest but registered 100 blocks ago.
        let pick = subnet_to_prune(&[0.01, 0.05, 0.02], &[now - 100, 0, 0], now);
        assert_eq!(pick, Some(2));
        assert_eq!(subnet_to_prune(&[0.01], &[now], now), None);
    }

    #[test]
    fn remainders_go_to_the_largest() {
        // 10 over 1:1:1 → 3 each, the 1 left to the first (equal remainders).
        assert_eq!(pro_rata_largest_remainder(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(pro_rata_largest_remainder(10, &[0, 0]), vec![0, 0]);
    }
}
