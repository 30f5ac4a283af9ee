//! Per-block injection of TAO and alpha into a subnet's pool (spec §3), by era.

use crate::lanes::{Lanes, Native};
use crate::units::Rao;

/// How a subnet's TAO emission enters its pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InjectionRule {
    /// E1: `tao_in = E_i`, `alpha_in = min(E_i/p, α_e)`; tao_in is not reduced when alpha_in
    /// is capped, so the price rises (the loop SN28 rode).
    E1,
    /// E2: when `p < E_i/E` the subnet is subsidised: `tao_in = p·α_e`, `alpha_in = α_e`, and
    /// the excess TAO buys alpha from the pool, which is removed. Otherwise as E1.
    E2,
    /// E3: `alpha_in = E_i/p` up to the cap α_e; above it `tao_in = cap·p` and the excess TAO
    /// does a chain buy (no fee) whose alpha is removed.
    E3,
    /// E3 with the cap of 2025-12-12: `min(α_e, TAO block emission)`.
    E3CapBlockEmission,
    /// E5 (2026-06): E3 with the cap `root_proportion × α_e`.
    E5RootCap,
}

impl InjectionRule {
    /// Every rule, in era order (tests draw from it).
    pub const ALL: [InjectionRule; 5] = [
        InjectionRule::E1,
        InjectionRule::E2,
        InjectionRule::E3,
        InjectionRule::E3CapBlockEmission,
        InjectionRule::E5RootCap,
    ];
}

/// What one block puts into one pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Injection {
    pub tao_in: Rao,
    pub alpha_in: Rao,
    /// TAO that buys alpha from the pool (the alpha bought is removed from circulation).
    pub chain_buy_tao: Rao,
    /// E2's subsidy branch was taken (`p < E_i/E`): the chain then sells no root alpha on
    /// this subnet and root is unpaid there (`run_coinbase`, 2025-07 to 2025-11).
    pub subsidised: bool,
}

/// `min(E_i / p, bound)` in alpha rao (`E_i / p` is `u64::MAX` when the price is zero):
/// every caller caps the quotient, so the cap goes into the conversion, where the block
/// kernel's short conversions can take it (`Lanes::to_rao_at_most`).
#[inline(always)]
fn alpha_for_tao_at_most<C: Lanes>(tao_rao: Rao, price: f64, bound: Rao) -> Rao {
    if price > 0.0 {
        // Conversions that vectorise (the block kernel runs this for every subnet every
        // block); a quotient past 2^63 saturates, then the bound applies.
        C::to_rao_at_most(C::small_to_f64(tao_rao) / price, bound)
    } else {
        bound
    }
}

/// The injection for a subnet receiving `emission_rao` (E_i) this block, with alpha emission
/// `alpha_emission_rao` (α_e), root proportion `root_proportion` (E5's cap), spot price `price`
/// and TAO block emission `block_emission_rao`.
#[inline]
pub fn inject(
    rule: InjectionRule,
    emission_rao: Rao,
    alpha_emission_rao: Rao,
    root_proportion: f64,
    price: f64,
    block_emission_rao: Rao,
) -> Injection {
    inject_with::<Native>(
        rule,
        emission_rao,
        alpha_emission_rao,
        root_proportion,
        price,
        block_emission_rao,
    )
}

/// [`inject`] with the amount conversions of a block kernel (`crate::lanes`): the same result.
/// The short conversions' precondition (`Lanes::small_to_f64`): `emission_rao`,
/// `alpha_emission_rao` and `block_emission_rao` are below 2^51 and `root_proportion` lies in
/// `[0, 1]`, so every amount converted is below 2^52.
#[inline(always)]
pub fn inject_with<C: Lanes>(
    rule: InjectionRule,
    emission_rao: Rao,
    alpha_emission_rao: Rao,
    root_proportion: f64,
    price: f64,
    block_emission_rao: Rao,
) -> Injection {
    match rule {
        InjectionRule::E1 => Injection {
            tao_in: emission_rao,
            alpha_in: alpha_for_tao_at_most::<C>(emission_rao, price, alpha_emission_rao),
            chain_buy_tao: 0,
            subsidised: false,
        },
        InjectionRule::E2 => {
            let share = C::small_to_f64(emission_rao) / C::small_to_f64(block_emission_rao.max(1));
            if price < share {
                let tao_in =
                    C::to_rao_at_most(price * C::small_to_f64(alpha_emission_rao), emission_rao);
                Injection {
                    tao_in,
                    alpha_in: alpha_emission_rao,
                    chain_buy_tao: emission_rao - tao_in,
                    subsidised: true,
                }
            } else {
                inject_with::<C>(
                    InjectionRule::E1,
                    emission_rao,
                    alpha_emission_rao,
                    root_proportion,
                    price,
                    block_emission_rao,
                )
            }
        }
        InjectionRule::E3 | InjectionRule::E3CapBlockEmission | InjectionRule::E5RootCap => {
            let cap = match rule {
                InjectionRule::E3CapBlockEmission => alpha_emission_rao.min(block_emission_rao),
                // At most α_e when the root proportion is at most 1.
                InjectionRule::E5RootCap => {
                    C::small_to_rao(C::small_to_f64(alpha_emission_rao) * root_proportion)
                }
                _ => alpha_emission_rao,
            };
            // `E_i / p` capped one above the cap: the same comparison with the cap, and the
            // same value wherever it is within the cap.
            let wanted = alpha_for_tao_at_most::<C>(emission_rao, price, cap.saturating_add(1));
            if wanted <= cap {
                Injection {
                    tao_in: emission_rao,
                    alpha_in: wanted,
                    chain_buy_tao: 0,
                    subsidised: false,
                }
            } else {
                let tao_in = C::to_rao_at_most(C::small_to_f64(cap) * price, emission_rao);
                Injection {
                    tao_in,
                    alpha_in: cap,
                    chain_buy_tao: emission_rao - tao_in,
                    subsidised: false,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::Reserves;
    use crate::units::RAO_PER_TAO as TAO;

    const POOL: Reserves = Reserves {
        tao_rao: 1_000 * TAO,
        alpha_rao: 10_000 * TAO,
    };

    #[test]
    fn e5_caps_alpha_in_at_root_proportion_times_alpha_emission() {
        // E_i = 0.5 TAO at p = 0.1 wants 5 alpha; the cap is 0.25 × 1 alpha. tao_in = 0.25 ·
        // 0.1 = 0.025 TAO; the other 0.475 TAO buys alpha for the chain.
        let inj = inject(InjectionRule::E5RootCap, TAO / 2, TAO, 0.25, 0.1, TAO);
        assert_eq!(inj.alpha_in, TAO / 4);
        assert_eq!(inj.tao_in, 25_000_000);
        assert_eq!(inj.chain_buy_tao, 475_000_000);
        // Under the cap it is E3: all of E_i goes in.
        let inj = inject(InjectionRule::E5RootCap, TAO / 100, TAO, 0.25, 0.1, TAO);
        assert_eq!(
            (inj.tao_in, inj.alpha_in, inj.chain_buy_tao),
            (TAO / 100, TAO / 10, 0)
        );
    }

    #[test]
    fn e1_uncapped_keeps_the_price() {
        // E_i = 0.05 TAO at p = 0.1 → alpha_in = 0.5 alpha < α_e = 1: price unchanged.
        let inj = inject(InjectionRule::E1, TAO / 20, TAO, 0.0, 0.1, TAO);
        assert_eq!(inj.tao_in, TAO / 20);
        assert_eq!(inj.alpha_in, TAO / 2);
    }

    #[test]
    fn e1_capped_injection_raises_the_price() {
        // E_i = 0.5 TAO at p = 0.1 wants 5 alpha; cap α_e = 1 alpha; tao_in stays 0.5 TAO.
        // New price = 1000.5 / 10001 = 0.100039996..., up by 0.0399960 % instead of 0.
        let inj = inject(InjectionRule::E1, TAO / 2, TAO, 0.0, POOL.price(), TAO);
        assert_eq!(
            inj,
            Injection {
                tao_in: TAO / 2,
                alpha_in: TAO,
                chain_buy_tao: 0,
                subsidised: false,
            }
        );
        let after = Reserves {
            tao_rao: POOL.tao_rao + inj.tao_in,
            alpha_rao: POOL.alpha_rao + inj.alpha_in,
        };
        assert!((after.price() - 1000.5 / 10001.0).abs() < 1e-15);
        assert!(after.price() > POOL.price());
    }

    #[test]
    fn e3_chain_buy() {
        // Same block under E3: alpha_in = cap = 1 alpha, tao_in = 1 × 0.1 = 0.1 TAO, and the
        // excess 0.4 TAO buys alpha. After injection T = 1000.1, A = 10001 (k = 10,002,000.1);
        // buying 0.4 TAO: A' = k/1000.5 = 9997.0015992... → Δα = 3.9984007996... alpha.
        let inj = inject(InjectionRule::E3, TAO / 2, TAO, 0.0, POOL.price(), TAO);
        assert_eq!(
            inj,
            Injection {
                tao_in: TAO / 10,
                alpha_in: TAO,
                chain_buy_tao: 4 * TAO / 10,
                subsidised: false,
            }
        );
        let mut pool = Reserves {
            tao_rao: POOL.tao_rao + inj.tao_in,
            alpha_rao: POOL.alpha_rao + inj.alpha_in,
        };
        let bought = pool.protocol_buy(inj.chain_buy_tao);
        let exact = 10_001.0 - 1000.1 * 10_001.0 / 1000.5;
        assert!(
            (bought as f64 / TAO as f64 - exact).abs() < 1e-8,
            "{bought}"
        );
        assert_eq!(pool.tao_rao, 1_000_500_000_000);
        // Under E3 with the block-emission cap and α_e = 1 TAO the cap is unchanged.
        assert_eq!(
            inject(
                InjectionRule::E3CapBlockEmission,
                TAO / 2,
                TAO,
                0.0,
                0.1,
                TAO
            ),
            inj
        );
        // Below the cap E3 injects at the price, like E1.
        assert_eq!(
            inject(InjectionRule::E3, TAO / 20, TAO, 0.0, 0.1, TAO),
            Injection {
                tao_in: TAO / 20,
                alpha_in: TAO / 2,
                chain_buy_tao: 0,
                subsidised: false,
            }
        );
    }

    /// The injection as written before the kernels' conversion forms (casts, `rao_from_f64`,
    /// the cap applied after the conversion): the reference every form must give.
    fn reference_inject(
        rule: InjectionRule,
        emission: Rao,
        alpha_emission: Rao,
        root_proportion: f64,
        price: f64,
        block_emission: Rao,
    ) -> Injection {
        use crate::units::rao_from_f64;
        let alpha_for_tao = |tao: Rao| {
            if price > 0.0 {
                rao_from_f64(tao as i64 as f64 / price)
            } else {
                u64::MAX
            }
        };
        let e1 = Injection {
            tao_in: emission,
            alpha_in: alpha_for_tao(emission).min(alpha_emission),
            chain_buy_tao: 0,
            subsidised: false,
        };
        match rule {
            InjectionRule::E1 => e1,
            InjectionRule::E2 => {
                let share = emission as i64 as f64 / block_emission.max(1) as i64 as f64;
                if price < share {
                    let tao_in = rao_from_f64(price * alpha_emission as i64 as f64).min(emission);
                    Injection {
                        tao_in,
                        alpha_in: alpha_emission,
                        chain_buy_tao: emission - tao_in,
                        subsidised: true,
                    }
                } else {
                    e1
                }
            }
            _ => {
                let cap = match rule {
                    InjectionRule::E3CapBlockEmission => alpha_emission.min(block_emission),
                    InjectionRule::E5RootCap => {
                        rao_from_f64(alpha_emission as i64 as f64 * root_proportion)
                    }
                    _ => alpha_emission,
                };
                let wanted = alpha_for_tao(emission);
                if wanted <= cap {
                    Injection {
                        tao_in: emission,
                        alpha_in: wanted,
                        chain_buy_tao: 0,
                        subsidised: false,
                    }
                } else {
                    let tao_in = rao_from_f64(cap as i64 as f64 * price).min(emission);
                    Injection {
                        tao_in,
                        alpha_in: cap,
                        chain_buy_tao: emission - tao_in,
                        subsidised: false,
                    }
                }
            }
        }
    }

    proptest::proptest! {
        /// Every conversion form (the casts; `lanes::Magic`, AVX2; `lanes::Below52`, AVX2 after
        /// its bounds scan, within its precondition: amounts below 2^51, a root proportion in
        /// [0, 1]) gives the reference injection, over prices that hit every branch and cap.
        #[test]
        fn every_conversion_form_injects_the_reference(
            rule in 0usize..5,
            emission in proptest::prop_oneof![0u64..1 << 34, 0u64..1 << 51],
            alpha_emission in proptest::prop_oneof![0u64..1 << 31, 0u64..1 << 51],
            root_proportion in proptest::prop_oneof![0.0f64..=1.0, proptest::strategy::Just(1.0)],
            price in proptest::prop_oneof![
                0.0f64..2.0,
                0.0f64..1e-12,
                1e3f64..1e12,
                proptest::strategy::Just(0.0),
                proptest::strategy::Just(f64::NAN),
            ],
            block_emission in proptest::prop_oneof![0u64..1 << 31, 0u64..1 << 51],
        ) {
            use crate::lanes::{Below52, Magic};
            let rule = InjectionRule::ALL[rule];
            let args = (rule, emission, alpha_emission, root_proportion, price, block_emission);
            let expected = reference_inject(args.0, args.1, args.2, args.3, args.4, args.5);
            proptest::prop_assert_eq!(inject(args.0, args.1, args.2, args.3, args.4, args.5), expected);
            proptest::prop_assert_eq!(
                inject_with::<Magic>(args.0, args.1, args.2, args.3, args.4, args.5),
                expected
            );
            proptest::prop_assert_eq!(
                inject_with::<Below52>(args.0, args.1, args.2, args.3, args.4, args.5),
                expected
            );
        }

        /// Outside the short forms' precondition the general forms still give the reference:
        /// amounts up to 2^62, root proportions past 1, and (the casts) the cap's `+ 1` at
        /// `u64::MAX`.
        #[test]
        fn general_forms_inject_the_reference_at_any_amount(
            rule in 0usize..5,
            emission in 0u64..1 << 62,
            alpha_emission in proptest::prop_oneof![0u64..1 << 62, proptest::strategy::Just(u64::MAX)],
            root_proportion in 0.0f64..3.0,
            price in proptest::prop_oneof![0.0f64..2.0, 0.0f64..1e-12, proptest::strategy::Just(0.0)],
            block_emission in 0u64..1 << 62,
        ) {
            let rule = InjectionRule::ALL[rule];
            let args = (rule, emission, alpha_emission, root_proportion, price, block_emission);
            let expected = reference_inject(args.0, args.1, args.2, args.3, args.4, args.5);
            proptest::prop_assert_eq!(inject(args.0, args.1, args.2, args.3, args.4, args.5), expected);
            // `Lanes::to_f64`'s precondition: amounts below 2^63 (the casts take `u64::MAX` as
            // −1, the bit form as 2^64).
            if alpha_emission < 1 << 63 {
                proptest::prop_assert_eq!(
                    inject_with::<crate::lanes::Magic>(args.0, args.1, args.2, args.3, args.4, args.5),
                    expected
                );
            }
        }
    }

    #[test]
    fn e2_subsidy_when_price_below_share() {
        // Share 0.5 > price 0.1: tao_in = 0.1 × 1 alpha = 0.1 TAO; the other 0.4 TAO buys alpha.
        let inj = inject(InjectionRule::E2, TAO / 2, TAO, 0.0, 0.1, TAO);
        assert_eq!(
            inj,
            Injection {
                tao_in: TAO / 10,
                alpha_in: TAO,
                chain_buy_tao: 4 * TAO / 10,
                subsidised: true,
            }
        );
        // Share 0.05 < price 0.1: as E1.
        assert_eq!(
            inject(InjectionRule::E2, TAO / 20, TAO, 0.0, 0.1, TAO),
            inject(InjectionRule::E1, TAO / 20, TAO, 0.0, 0.1, TAO)
        );
    }
}
