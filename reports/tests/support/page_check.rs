//! Structural checks of a generated HTML page, shared by the reports tests and the CLI's
//! browser test: the page must be well-formed (it is written as XML-compatible HTML, so an XML
//! parser reads it), ids unique, every `href` an internal `#id` that exists, nothing loaded
//! from elsewhere (no `src`, no external link).

// Two test crates include this file and each reads a different part of the statistics.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

/// What a checked page holds.
#[derive(Debug, Default)]
pub struct PageStats {
    /// Element counts by `tag.class` (first class only) and by `tag`.
    pub counts: BTreeMap<String, usize>,
    /// Internal links checked.
    pub links: usize,
    /// For every `figure`: its class and the number of SVG `rect` and non-empty `polyline`.
    pub figures: Vec<(String, usize, usize)>,
}

impl PageStats {
    pub fn count(&self, key: &str) -> usize {
        self.counts.get(key).copied().unwrap_or(0)
    }
}

pub fn check_page(html: &str) -> Result<PageStats, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(html, options)
        .map_err(|e| format!("not well-formed: {e}"))?;
    let mut stats = PageStats::default();
    let mut ids = BTreeSet::new();
    let mut hrefs = Vec::new();
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name().to_string();
        *stats.counts.entry(tag.clone()).or_default() += 1;
        if let Some(class) = node.attribute("class") {
            let first = class.split_whitespace().next().unwrap_or("");
            *stats.counts.entry(format!("{tag}.{first}")).or_default() += 1;
            for c in class.split_whitespace().skip(1) {
                *stats.counts.entry(format!("{tag}.{c}")).or_default() += 1;
            }
        }
        if let Some(id) = node.attribute("id") {
            if !ids.insert(id.to_string()) {
                return Err(format!("duplicate id `{id}`"));
            }
        }
        if let Some(h) = node.attribute("href") {
            hrefs.push(h.to_string());
        }
        if let Some(src) = node.attribute("src") {
            return Err(format!(
                "<{tag}> loads `{src}`: the page must be self-contained"
            ));
        }
        if tag == "figure" {
            let rects = node
                .descendants()
                .filter(|n| n.tag_name().name() == "rect")
                .count();
            let lines = node
                .descendants()
                .filter(|n| {
                    n.tag_name().name() == "polyline"
                        && n.attribute("points")
                            .is_some_and(|p| p.split_whitespace().count() >= 2)
                })
                .count();
            stats.figures.push((
                node.attribute("class").unwrap_or("").to_string(),
                rects,
                lines,
            ));
        }
    }
    for h in &hrefs {
        let Some(target) = h.strip_prefix('#') else {
            return Err(format!("link `{h}` leaves the page"));
        };
        if !ids.contains(target) {
            return Err(format!("link `{h}` points at no element"));
        }
    }
    stats.links = hrefs.len();
    Ok(stats)
}
