//! Conservation: after every block, TAO held by every account + pool TAO + pending ==
//! genesis + minted − burned + external in − external out, exactly in rao; and per subnet,
//! pool alpha + held + pending + burned == minted. Checked over random action sequences, with
//! registration burns, owner locks (held until a dissolution refunds or burns them), root
//! claims and subnet dissolutions (pool TAO paid to stakers, a new pool funded from outside).

mod common;

use proptest::prelude::*;
use tourney_engine::network::{EntrantSpec, Network};
use tourney_engine::root_claims::RootClaim;
use tourney_sdk::{Action, Role, SpendKind, WeightPolicy, RAO_PER_TAO};

fn arb_action(n_subnets: u16) -> impl Strategy<Value = Action> {
    let subnet = 0..=n_subnets + 1; // includes unknown ids (0 and n+1) to exercise rejection
    let amount = prop_oneof![Just(0u64), 1u64..1_000, 1_000_000u64..2_000 * RAO_PER_TAO];
    prop_oneof![
        (subnet.clone(), amount.clone()).prop_map(|(s, a)| Action::Stake {
            subnet: s,
            tao_rao: a
        }),
        (subnet.clone(), amount.clone()).prop_map(|(s, a)| Action::Unstake {
            subnet: s,
            alpha_rao: a
        }),
        amount
            .clone()
            .prop_map(|a| Action::StakeRoot { tao_rao: a }),
        amount
            .clone()
            .prop_map(|a| Action::UnstakeRoot { tao_rao: a }),
        (0.0f64..=1.0).prop_map(|h| Action::SetIncentive { holdings_weight: h }),
        (subnet.clone(), 0u8..3).prop_map(|(s, p)| Action::SetWeights {
            subnet: s,
            policy: match p {
                0 => WeightPolicy::FollowRule,
                1 => WeightPolicy::ZeroHolders,
                _ => WeightPolicy::Classes {
                    work: 0.2,
                    holdings: 0.5,
                    burn: 0.3
                },
            }
        }),
        (amount.clone(), any::<bool>()).prop_map(|(a, w)| Action::Spend {
            tao_rao: a,
            kind: if w {
                SpendKind::Work
            } else {
                SpendKind::OffTopic
            }
        }),
        (amount, any::<bool>()).prop_map(|(a, b)| Action::Buyback {
            tao_rao: a,
            burn: b
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn tao_and_alpha_are_conserved_every_block(
        seed in any::<u64>(),
        mechanism in 0u8..tourney_sdk::Mechanism::ALL.len() as u8,
        by_share in any::<bool>(),
        // Launch; after 2025-03-19 (the owner's own miner incentive is burned, the unstake
        // fee reads dividend yields); after 2025-09-24 (registrations dissolve subnets).
        start_day in prop_oneof![Just(0.0), Just(40.0), Just(230.0)],
        actions in proptest::collection::vec((0usize..2, 0u64..1_500, arb_action(4)), 1..40),
        keep in any::<bool>(),
    ) {
        let mut config = common::with_meme(common::small(seed, 3, start_day + 0.25), 1_000_000.0);
        config.start_day = start_day;
        config.mechanism = tourney_sdk::Mechanism::from_u8(mechanism).unwrap();
        // Registrations often enough that subnets are dissolved within the 1,800 blocks
        // (their pool TAO paid out, the lock refunded, pending alpha recycled).
        config.network.subnet_registrations_per_day = 40.0;
        if by_share {
            config.alpha_emission = tourney_engine::emission::AlphaEmissionRule::ByShare;
        }
        let entrants = [
            EntrantSpec { name: "owner".into(), role: Role::SubnetOwner, capital_tao: 10_000.0, root_claim: RootClaim::Swap },
            EntrantSpec {
                name: "staker".into(),
                role: Role::Staker,
                capital_tao: 10_000.0,
                root_claim: if keep { RootClaim::Keep } else { RootClaim::Swap },
            },
        ];
        let mut net = Network::genesis(&config, &entrants);
        net.check_conservation().unwrap();
        let mut actions = actions;
        actions.sort_by_key(|a| a.1);
        let mut next = 0;
        let mut market = common::market(&config, &net);
        let segments = net.market_accounts.clone();
        while net.block < 1_800 {
            while next < actions.len() && actions[next].1 <= net.block {
                let (who, _, action) = actions[next];
                let account = net.entrant_accounts[who];
                let before = net.accounts[account].clone();
                let result = net.apply(account, action);
                if result.is_err() {
                    // A refused action changes nothing.
                    prop_assert_eq!(net.accounts[account].free_tao, before.free_tao);
                    prop_assert_eq!(&net.accounts[account].alpha, &before.alpha);
                    prop_assert_eq!(net.accounts[account].root_stake, before.root_stake);
                }
                net.check_conservation().map_err(TestCaseError::fail)?;
                next += 1;
            }
            if net.block.is_multiple_of(100) {
                market.trade(&mut net, &segments);
            }
            net.step_block();
            net.check_conservation().map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn a_month_of_every_mechanism_conserves() {
    use tourney_engine::emission::AlphaEmissionRule;
    for m in tourney_sdk::Mechanism::ALL {
        for rule in [AlphaEmissionRule::Issuance, AlphaEmissionRule::ByShare] {
            let mut config = common::with_meme(common::small(11, 6, 3.0), 2_000_000.0);
            config.mechanism = m;
            config.alpha_emission = rule;
            // run_match checks conservation after every block when asked to.
            tourney_engine::run_match(&config, Vec::new())
                .unwrap_or_else(|e| panic!("{m} {rule:?}: {e}"));
        }
    }
}
