//! The optional time series of a match: one row per subnet every N blocks.

use crate::network::Network;
use crate::units::{tao, BLOCKS_PER_DAY, RAO_PER_TAO};
use std::fmt::Write;

/// One sampled row.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesRow {
    pub block: u64,
    pub day: f64,
    pub subnet: u16,
    pub name: String,
    pub class: &'static str,
    pub price: f64,
    pub ema_price: f64,
    pub emission_share: f64,
    pub tao_reserve_tao: f64,
    pub alpha_reserve_tao: f64,
    pub alpha_issuance: f64,
    pub root_proportion: f64,
    /// TaoFlow's EMA, TAO per day.
    pub flow_ema: f64,
    pub value_score: f64,
}

/// Rows in sampling order (block, then subnet id).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub rows: Vec<SeriesRow>,
}

pub const SERIES_HEADER: &str = "block,day,subnet,name,class,price,ema_price,emission_share,\
tao_reserve_tao,alpha_reserve_tao,alpha_issuance,root_proportion,flow_ema,value_score";

impl Series {
    /// Sample every subnet of `net` now.
    pub fn sample(&mut self, net: &Network) {
        let s = &net.subnets;
        for i in 0..s.len() {
            self.rows.push(SeriesRow {
                block: net.block,
                day: net.block as f64 / BLOCKS_PER_DAY as f64,
                subnet: s.id[i],
                name: s.name[i].clone(),
                class: s.class(i).name(),
                price: s.price(i),
                ema_price: s.ema_price[i],
                emission_share: s.share[i],
                tao_reserve_tao: tao(s.reserves[i].tao_rao),
                alpha_reserve_tao: tao(s.reserves[i].alpha_rao),
                alpha_issuance: tao(s.alpha_issuance(i)),
                root_proportion: net.root_proportion(i),
                flow_ema: s.flow_ema[i] * BLOCKS_PER_DAY as f64 / RAO_PER_TAO as f64,
                value_score: s.value_score[i],
            });
        }
    }

    /// CSV with a header; floats in Rust's shortest round-trip form (deterministic).
    pub fn to_csv(&self) -> String {
        let mut out = String::with_capacity(self.rows.len() * 160);
        out.push_str(SERIES_HEADER);
        out.push('\n');
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                r.block,
                r.day,
                r.subnet,
                r.name,
                r.class,
                r.price,
                r.ema_price,
                r.emission_share,
                r.tao_reserve_tao,
                r.alpha_reserve_tao,
                r.alpha_issuance,
                r.root_proportion,
                r.flow_ema,
                r.value_score
            );
        }
        out
    }

    /// Rows of one subnet, by name.
    pub fn of<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a SeriesRow> + 'a {
        self.rows.iter().filter(move |r| r.name == name)
    }
}
