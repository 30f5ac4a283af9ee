//! The chain's per-block rates as mechanism parameters: the moving price's base rate and ramp
//! length, TaoFlow's EMA rate, and a factor on the injection cap.
//!
//! On chain they are constants (`units.rs` keeps them by their spec names); here they are
//! fields of a mechanism (`ema_price_rate`, `ema_ramp_blocks`, `flow_ema_rate`,
//! `injection_cap` in a tournament's `mechanisms:` entry or a match file) so that the mechanism
//! search can ask how fast a market signal should move before it funds a pump. The defaults are
//! the chain's values, and with them every result is bit for bit what the constants gave: the
//! block kernel evaluates the same IEEE operations on the same values, read from here.

use crate::units::{EMA_PRICE_BASE_ALPHA, EMA_PRICE_RAMP_BLOCKS, FLOW_EMA_ALPHA};

/// The rates one match runs with (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rates {
    /// The moving price's base rate a per block (the chain: 3e-6).
    pub ema_price_rate: f64,
    /// The ramp's half-point h in blocks: the rate is `a·b/(b + h)` for a subnet `b` blocks
    /// old (the chain: 201,600 blocks, 28 days).
    pub ema_ramp_blocks: f64,
    /// TaoFlow's EMA rate per block (the chain: 3.209e-6, a ≈ 30-day half-life).
    pub flow_ema_rate: f64,
    /// A factor on the cap of `alpha_in` (α_e under E1–E3, `min(α_e, E)` or `rp·α_e` after):
    /// 1 is the chain. Below 1 a subnet whose emission outgrows its price reaches the cap
    /// sooner (E1: its price climbs faster; E3 on: more of its TAO goes to chain buys); above
    /// 1, later.
    pub injection_cap: f64,
}

impl Default for Rates {
    fn default() -> Self {
        Self {
            ema_price_rate: EMA_PRICE_BASE_ALPHA,
            ema_ramp_blocks: EMA_PRICE_RAMP_BLOCKS,
            flow_ema_rate: FLOW_EMA_ALPHA,
            injection_cap: 1.0,
        }
    }
}

/// The largest injection cap factor accepted: α_e is at most 1 alpha a block, so the cap stays
/// far inside the integer range, and a factor of 1,000 already means "no cap" in practice.
pub const MAX_INJECTION_CAP: f64 = 1_000.0;

impl Rates {
    /// Each rate in its range, or the field at fault and what was expected.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        let rate = |field: &'static str, x: f64| {
            if x.is_finite() && x > 0.0 && x <= 1.0 {
                Ok(())
            } else {
                Err((
                    field,
                    format!(
                        "expected a rate per block in (0, 1], got {}",
                        crate::config::show(x)
                    ),
                ))
            }
        };
        rate("ema_price_rate", self.ema_price_rate)?;
        rate("flow_ema_rate", self.flow_ema_rate)?;
        // h = 0 would make the ramp 0/0 for a subnet of age 0.
        if !(self.ema_ramp_blocks.is_finite() && self.ema_ramp_blocks > 0.0) {
            return Err((
                "ema_ramp_blocks",
                format!(
                    "expected a number of blocks > 0, got {}",
                    self.ema_ramp_blocks
                ),
            ));
        }
        if !(self.injection_cap.is_finite()
            && (0.0..=MAX_INJECTION_CAP).contains(&self.injection_cap))
        {
            return Err((
                "injection_cap",
                format!(
                    "expected a factor in [0, {MAX_INJECTION_CAP}], got {}",
                    self.injection_cap
                ),
            ));
        }
        Ok(())
    }

    /// The moving price's rate for a subnet `age_blocks` old: `a·b/(b + h)` with the ramp
    /// (a negative age counts as 0), `a` without it.
    #[inline(always)]
    pub fn ema_price_rate_at(&self, age_blocks: i64, ramp: bool) -> f64 {
        if ramp {
            // Signed conversion: one instruction, scalar or vector.
            let b = age_blocks.max(0) as f64;
            self.ema_price_rate * b / (b + self.ema_ramp_blocks)
        } else {
            self.ema_price_rate
        }
    }

    /// The alpha_in cap for a per-block α_e of `alpha_emission_rao`: `injection_cap × α_e`,
    /// truncated to rao (exactly α_e at the chain's factor 1, as α_e < 2^53).
    pub fn injection_cap_rao(&self, alpha_emission_rao: crate::units::Rao) -> crate::units::Rao {
        crate::units::rao_from_f64(alpha_emission_rao as i64 as f64 * self.injection_cap)
    }

    /// The label suffix of the rates that differ from the chain's (`+ema-rate1e-5`), for
    /// mechanism labels in tables.
    pub fn label(&self) -> String {
        let chain = Rates::default();
        let mut label = String::new();
        // Rates per block are small: written with an exponent (`+ema-rate1e-5`), the rest
        // as plain decimals.
        let mut part = |differs: bool, name: &str, x: f64| {
            if differs {
                if x != 0.0 && x.abs() < 1e-3 {
                    label.push_str(&format!("+{name}{x:e}"));
                } else {
                    label.push_str(&format!("+{name}{x}"));
                }
            }
        };
        part(
            self.ema_price_rate != chain.ema_price_rate,
            "ema-rate",
            self.ema_price_rate,
        );
        part(
            self.ema_ramp_blocks != chain.ema_ramp_blocks,
            "ramp-blocks",
            self.ema_ramp_blocks,
        );
        part(
            self.flow_ema_rate != chain.flow_ema_rate,
            "flow-rate",
            self.flow_ema_rate,
        );
        part(
            self.injection_cap != chain.injection_cap,
            "injection-cap",
            self.injection_cap,
        );
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_rates_by_default() {
        let r = Rates::default();
        assert_eq!(
            (
                r.ema_price_rate,
                r.ema_ramp_blocks,
                r.flow_ema_rate,
                r.injection_cap
            ),
            (3e-6, 201_600.0, 3.209e-6, 1.0)
        );
        assert_eq!(r.label(), "");
        assert!(r.check().is_ok());
    }

    #[test]
    fn the_ramp_at_its_half_point_and_a_shorter_ramp() {
        // b = h = 201,600: a = 3e-6 · ½ = 1.5e-6. With h = 50,400 the same subnet runs at
        // 3e-6 · 201,600/252,000 = 2.4e-6.
        let chain = Rates::default();
        assert_eq!(
            chain.ema_price_rate_at(201_600, true),
            3e-6 * 201_600.0 / 403_200.0
        );
        assert!((chain.ema_price_rate_at(201_600, true) - 1.5e-6).abs() < 1e-18);
        let short = Rates {
            ema_ramp_blocks: 50_400.0,
            ..chain
        };
        assert!((short.ema_price_rate_at(201_600, true) - 2.4e-6).abs() < 1e-18);
        // No ramp: the base rate whatever the age; a negative age is 0 (rate 0).
        assert_eq!(short.ema_price_rate_at(5, false), 3e-6);
        assert_eq!(short.ema_price_rate_at(-10, true), 0.0);
    }

    #[test]
    fn injection_cap_scales_alpha_emission() {
        let half = Rates {
            injection_cap: 0.5,
            ..Rates::default()
        };
        assert_eq!(half.injection_cap_rao(1_000_000_000), 500_000_000);
        assert_eq!(Rates::default().injection_cap_rao(987_654_321), 987_654_321);
        assert_eq!(half.label(), "+injection-cap0.5");
    }

    #[test]
    fn out_of_range_rates_name_their_field() {
        let bad = |r: Rates| r.check().unwrap_err().0;
        let chain = Rates::default();
        assert_eq!(
            bad(Rates {
                ema_price_rate: 0.0,
                ..chain
            }),
            "ema_price_rate"
        );
        assert_eq!(
            bad(Rates {
                flow_ema_rate: 1.5,
                ..chain
            }),
            "flow_ema_rate"
        );
        assert_eq!(
            bad(Rates {
                ema_ramp_blocks: 0.0,
                ..chain
            }),
            "ema_ramp_blocks"
        );
        assert_eq!(
            bad(Rates {
                injection_cap: f64::NAN,
                ..chain
            }),
            "injection_cap"
        );
    }
}
