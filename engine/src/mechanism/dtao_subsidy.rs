//! `dtao-subsidy` (E2, 2025-07): E1's EMA-price shares, with the subsidy branch for subnets
//! priced below their share (see [`InjectionRule::E2`]).

use super::{dtao_price::ema_price_shares, EmissionRule};
use crate::injection::InjectionRule;
use crate::state::Subnets;
use tourney_sdk::Mechanism;

#[derive(Debug)]
pub struct DtaoSubsidy {
    injection: InjectionRule,
}

impl DtaoSubsidy {
    pub fn new(injection: Option<InjectionRule>) -> Self {
        Self {
            injection: injection.unwrap_or(InjectionRule::E2),
        }
    }
}

impl EmissionRule for DtaoSubsidy {
    fn mechanism(&self) -> Mechanism {
        Mechanism::DtaoSubsidy
    }
    fn shares(&self, subnets: &Subnets, out: &mut [f64]) {
        ema_price_shares(subnets, out);
    }
    fn injection(&self) -> InjectionRule {
        self.injection
    }
}
