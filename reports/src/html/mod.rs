//! One self-contained HTML page per result (`reports/index.html`) and per comparison
//! (`compare.html`): inline CSS and SVG, a few lines of inline JavaScript that only sort tables,
//! no network fetch, so it opens from `file://` anywhere.
//!
//! The page is built in two steps so that new kinds of results need no new HTML:
//! - a builder (`report_page`, `compare_page`) turns what was computed into a [`Page`] of
//!   [`Section`]s holding generic [`Block`]s — verdict rows, tables, figures, text;
//! - [`Page::render`] writes the HTML. It is also well-formed XML (every element closed,
//!   attributes quoted, only XML's five entities, the script in a CDATA section), so tests can
//!   check it with an XML parser, and every internal `#id` link points at an element of the page.

mod compare_page;
mod context;
mod manifest;
mod report_page;
mod role_page;

pub use compare_page::{compare_page, write_compare_page};
pub use context::{
    profile_probability, representative_matches, role_representatives, RepresentativeMatch,
    RoleMatch, RunContext, SeriesRead,
};
pub use report_page::{report_page, verdict_rows, write_report_page};
pub use role_page::role_verdict_rows;

use std::fmt::Write;

/// Escape text for HTML/XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// An element id from any label: letters, digits and `-` (other characters become `-`).
pub fn anchor(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| {
            p.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("--")
}

/// One verdict: what a reader wants first. Symmetric verdicts fill these today; any other
/// analysis (e.g. role equilibria with their bootstrap confidence) adds rows of its own `kind`
/// and they render in the same table.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictRow {
    /// The game it is about, e.g. "taoflow / native".
    pub game: String,
    /// The `id` of the page section with the evidence (a link), if any.
    pub evidence: Option<String>,
    /// The analysis, e.g. "symmetric equilibrium" or "role equilibrium".
    pub kind: String,
    /// The verdict in words.
    pub text: String,
    /// How sure it is, in words (e.g. "bootstrap support 0.93"), if the analysis says.
    pub confidence: Option<String>,
}

/// A table cell: the text shown and, for numbers, the value the table sorts by.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub text: String,
    pub sort: Option<f64>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            sort: None,
        }
    }

    /// A number shown with `decimals` decimals (via [`crate::render::num`]), sorted by value.
    pub fn num(x: f64, decimals: usize) -> Cell {
        Cell {
            text: crate::render::num(x, decimals),
            sort: x.is_finite().then_some(x),
        }
    }

    pub fn int(x: i64) -> Cell {
        Cell {
            text: x.to_string(),
            sort: Some(x as f64),
        }
    }
}

/// A strategy summary row's cells after its name columns, as both pages' strategy tables show
/// them: rank, mean, median and std of profit, wins, matches, errors, emission captured, ROI.
pub(crate) fn summary_value_cells(r: &crate::SummaryRow) -> [Cell; 9] {
    [
        Cell::int(r.rank as i64),
        Cell::num(r.mean_profit_tao, 3),
        Cell::num(r.median_profit_tao, 3),
        Cell::num(r.std_profit_tao, 3),
        Cell::int(r.wins as i64),
        Cell::int(r.matches as i64),
        Cell::int(r.errors as i64),
        Cell::num(r.mean_emission_captured_tao, 3),
        Cell::num(r.mean_roi, 4),
    ]
}

/// A table; `sortable` tables sort by a column when its header is clicked.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub caption: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub sortable: bool,
}

/// What a section holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    /// A bulleted list of plain lines.
    List(Vec<String>),
    Verdicts(Vec<VerdictRow>),
    Table(Table),
    /// An inline SVG document and its caption; `class` names what it shows (e.g. "heatmap",
    /// "series") so tests and styles can find it.
    Figure {
        class: String,
        svg: String,
        caption: String,
    },
    /// Preformatted text (a file's content), optionally folded under a summary line.
    Pre {
        summary: Option<String>,
        text: String,
    },
    /// A command to type.
    Command(String),
    /// Blocks folded under a summary line (`<details>`).
    Details {
        summary: String,
        blocks: Vec<Block>,
    },
    /// A sub-heading inside a section, with its own id.
    Heading {
        id: String,
        text: String,
    },
}

/// A top-level part of the page, listed in the page's navigation.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: String,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// A whole page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// The page's content security policy: nothing from anywhere, inline CSS and JS only.
const CSP: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\"/>\n";

const CSS: &str = "\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; line-height: 1.45; }
header { background: #20243a; color: #fff; padding: 1rem 2rem; }
header h1 { margin: 0; font-size: 1.5rem; }
header p { margin: 0.3rem 0 0; color: #d0d4e8; }
nav { background: #eef0f6; padding: 0.5rem 2rem; border-bottom: 1px solid #d8dbe6; position: sticky; top: 0; z-index: 1; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; }
nav a { color: #1f3b8a; text-decoration: none; font-size: 0.92rem; }
main { padding: 0.5rem 2rem 3rem; max-width: 1400px; }
section { background: #fff; border: 1px solid #e2e4ea; border-radius: 6px; padding: 0.5rem 1.5rem 1rem; margin: 1.2rem 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #e2e4ea; padding-bottom: 0.3rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.88rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #dde0e8; padding: 0.25rem 0.55rem; }
th { background: #f1f3f8; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th::after { content: ' \\2195'; color: #9aa0b4; font-size: 0.8em; }
table.sortable th.asc::after { content: ' \\2191'; color: #1a1a1a; }
table.sortable th.desc::after { content: ' \\2193'; color: #1a1a1a; }
td { white-space: nowrap; }
table.verdicts td { white-space: normal; }
table.verdicts td:first-child { white-space: nowrap; }
figure { margin: 0.8rem 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; }
pre { background: #f4f5f8; border: 1px solid #e2e4ea; padding: 0.6rem; overflow-x: auto; font-size: 0.82rem; }
code.cmd { display: block; background: #20243a; color: #e8eaf4; padding: 0.5rem 0.7rem; border-radius: 4px; white-space: pre-wrap; }
details { margin: 0.5rem 0; }
summary { cursor: pointer; color: #1f3b8a; }
";

/// Sorting for `table.sortable`: a click on a header sorts the body rows by that column,
/// numerically by `data-v` when both cells have one, else by text; a second click reverses.
const SORT_JS: &str = "
(function () {
  function key(row, col) {
    var cell = row.cells[col];
    if (!cell) { return ['', null]; }
    var v = cell.getAttribute('data-v');
    return [cell.textContent, v === null ? null : parseFloat(v)];
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = !th.classList.contains('asc');
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col), c;
      if (x[1] !== null && y[1] !== null) { c = x[1] - y[1]; }
      else { c = x[0].localeCompare(y[0]); }
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.classList.remove('asc'); h.classList.remove('desc');
    });
    th.classList.add(asc ? 'asc' : 'desc');
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.addEventListener('click', function () { sortBy(table, col, th); });
    });
  });
})();
";

impl Page {
    /// The page as HTML (also well-formed XML).
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(64 * 1024);
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        // The browser itself enforces that nothing is fetched: only inline styles and scripts.
        out.push_str(CSP);
        let _ = writeln!(out, "<title>{}</title>", esc(&self.title));
        let _ = writeln!(out, "<style>\n{CSS}</style>\n</head>\n<body>");
        let _ = writeln!(
            out,
            "<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>",
            esc(&self.title),
            esc(&self.subtitle)
        );
        out.push_str("<nav>\n<ul>\n");
        for s in &self.sections {
            let _ = writeln!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                esc(&s.id),
                esc(&s.heading)
            );
        }
        out.push_str("</ul>\n</nav>\n<main>\n");
        for s in &self.sections {
            let _ = writeln!(
                out,
                "<section id=\"{}\">\n<h2>{}</h2>",
                esc(&s.id),
                esc(&s.heading)
            );
            for b in &s.blocks {
                render_block(&mut out, b);
            }
            out.push_str("</section>\n");
        }
        out.push_str("</main>\n<script>//<![CDATA[");
        out.push_str(SORT_JS);
        out.push_str("//]]></script>\n</body>\n</html>\n");
        out
    }
}

fn render_table(out: &mut String, t: &Table, class: &str) {
    let mut classes = vec![class];
    if t.sortable {
        classes.push("sortable");
    }
    let classes = classes
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(out, "<table class=\"{classes}\">");
    if let Some(c) = &t.caption {
        let _ = writeln!(out, "<caption>{}</caption>", esc(c));
    }
    out.push_str("<thead><tr>");
    for h in &t.headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for c in r {
            match c.sort {
                Some(v) => {
                    let _ = write!(out, "<td class=\"n\" data-v=\"{v}\">{}</td>", esc(&c.text));
                }
                None => {
                    let _ = write!(out, "<td>{}</td>", esc(&c.text));
                }
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn render_block(out: &mut String, b: &Block) {
    match b {
        Block::Paragraph(p) => {
            let _ = writeln!(out, "<p>{}</p>", esc(p));
        }
        Block::List(lines) => {
            out.push_str("<ul>\n");
            for l in lines {
                let _ = writeln!(out, "<li>{}</li>", esc(l));
            }
            out.push_str("</ul>\n");
        }
        Block::Verdicts(rows) => {
            out.push_str("<table class=\"verdicts\">\n<thead><tr><th>game</th><th>analysis</th><th>verdict</th><th>confidence</th></tr></thead>\n<tbody>\n");
            for v in rows {
                let game = match &v.evidence {
                    Some(id) => format!("<a href=\"#{}\">{}</a>", esc(id), esc(&v.game)),
                    None => esc(&v.game),
                };
                let _ = writeln!(
                    out,
                    "<tr class=\"verdict\"><td>{game}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&v.kind),
                    esc(&v.text),
                    esc(v.confidence.as_deref().unwrap_or("–"))
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        Block::Table(t) => render_table(out, t, ""),
        Block::Figure {
            class,
            svg,
            caption,
        } => {
            let _ = writeln!(out, "<figure class=\"{}\">", esc(class));
            // The plot modules write standalone SVG documents; inline, they need no XML
            // declaration (they have none) and keep their namespace.
            out.push_str(svg.trim_end());
            let _ = writeln!(
                out,
                "\n<figcaption>{}</figcaption>\n</figure>",
                esc(caption)
            );
        }
        Block::Pre { summary, text } => {
            if let Some(s) = summary {
                let _ = writeln!(out, "<details>\n<summary>{}</summary>", esc(s));
            }
            let _ = writeln!(out, "<pre>{}</pre>", esc(text));
            if summary.is_some() {
                out.push_str("</details>\n");
            }
        }
        Block::Command(c) => {
            let _ = writeln!(out, "<code class=\"cmd\">{}</code>", esc(c));
        }
        Block::Details { summary, blocks } => {
            let _ = writeln!(out, "<details>\n<summary>{}</summary>", esc(summary));
            for b in blocks {
                render_block(out, b);
            }
            out.push_str("</details>\n");
        }
        Block::Heading { id, text } => {
            let _ = writeln!(out, "<h3 id=\"{}\">{}</h3>", esc(id), esc(text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_everywhere() {
        let page = Page {
            title: "a <b> & \"c\"".into(),
            subtitle: "x'y".into(),
            sections: vec![Section {
                id: anchor(&["m <1>", "s&2"]),
                heading: "<h>".into(),
                blocks: vec![
                    Block::Paragraph("1 < 2 & 3 > 2".into()),
                    Block::Pre {
                        summary: Some("<yaml>".into()),
                        text: "name: <x> & y".into(),
                    },
                ],
            }],
        };
        let html = page.render();
        assert!(html.contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>"));
        assert!(html.contains("<p>1 &lt; 2 &amp; 3 &gt; 2</p>"));
        assert!(html.contains("<pre>name: &lt;x&gt; &amp; y</pre>"));
        // The anchor keeps letters and digits only.
        assert!(html.contains("<section id=\"m--1---s-2\">"));
        assert!(html.contains("<a href=\"#m--1---s-2\">&lt;h&gt;</a>"));
        // The script is a CDATA section and has no `]]>` of its own.
        assert!(!SORT_JS.contains("]]>"));
    }

    #[test]
    fn numeric_cells_carry_their_sort_value() {
        let t = Table {
            caption: None,
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec![Cell::text("x"), Cell::num(-1.23456, 2)]],
            sortable: true,
        };
        let mut out = String::new();
        render_table(&mut out, &t, "");
        assert!(out.contains("<table class=\"sortable\">"));
        assert!(out.contains("<td class=\"n\" data-v=\"-1.23456\">-1.23</td>"));
        // NaN shows as "–" and has no sort value (it sorts as text).
        let mut out = String::new();
        let t = Table {
            rows: vec![vec![Cell::text("x"), Cell::num(f64::NAN, 2)]],
            ..t
        };
        render_table(&mut out, &t, "");
        assert!(out.contains("<td>–</td>"));
    }
}
