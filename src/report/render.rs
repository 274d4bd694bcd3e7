//! The report as Markdown (with SVG figures beside it) and as one static HTML page (figures
//! inline). Both are laid out from the same grids, so they show the same numbers; the
//! explorer shows the HTML body of a one-dataset report.

use super::coverage::thousands;
use super::figures::{self, LANDSCAPE_FIGURES};
use super::gaps::UNEXPLAINED;
use super::{Cell, PaperReport, ReportTable, Section};
use std::fmt::Write;

/// One piece of text in a grid cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Emphasised (a difference beyond its standard error).
    pub strong: bool,
    /// Muted (not available).
    pub muted: bool,
}

impl Piece {
    fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// A table as rows of text, before Markdown or HTML.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Column heads.
    pub head: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<Piece>>,
    /// Columns holding numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Whether the last column is prose (why a row differs from the paper). In HTML it goes
    /// under its row, across the whole table: as a column it got what width the numbers left,
    /// a few words on a projector, so each explanation ran to a dozen lines.
    pub prose_last: bool,
}

fn fmt_stat(mean: f64, std: f64, d: u32) -> String {
    let d = d as usize;
    format!("{mean:.d$} ± {std:.d$}")
}

fn fmt_diff(x: f64, d: u32) -> String {
    let d = d as usize;
    if x.abs() < 0.5 * 10f64.powi(-(d as i32)) {
        format!("{:.d$}", 0.0)
    } else if x > 0.0 {
        format!("+{x:.d$}")
    } else {
        format!("−{:.d$}", -x)
    }
}

/// The words for a cell the table could not run.
pub fn unavailable_words(c: &Cell) -> Option<&'static str> {
    c.unavailable.as_ref().map(|u| {
        if u.public_data {
            "not in the public data"
        } else {
            "not in this table"
        }
    })
}

fn ours_piece(c: &Cell) -> Piece {
    match (&c.ours, unavailable_words(c)) {
        (Some(o), _) => Piece::plain(format!(
            "{}{}",
            fmt_stat(o.mean, o.std, c.decimals),
            if c.partial_coverage { " ‡" } else { "" }
        )),
        (None, Some(w)) => Piece {
            text: w.into(),
            muted: true,
            ..Piece::default()
        },
        (None, None) => Piece {
            text: "—".into(),
            muted: true,
            ..Piece::default()
        },
    }
}

fn paper_piece(c: &Cell) -> Piece {
    match &c.paper {
        Some(p) => Piece::plain(match p.std {
            Some(s) => fmt_stat(p.mean, s, c.decimals),
            None => format!("{:.d$}", p.mean, d = c.decimals as usize),
        }),
        None => Piece {
            text: "—".into(),
            muted: true,
            ..Piece::default()
        },
    }
}

fn diff_piece(c: &Cell) -> Piece {
    match &c.difference {
        Some(d) => Piece {
            text: fmt_diff(d.diff, c.decimals),
            strong: d.exceeds,
            muted: false,
        },
        None => Piece::plain(""),
    }
}

/// Why the cells of one row (of one dataset) differ, metric by metric, grouping metrics
/// with the same causes.
fn why(metrics: &[String], cells: &[Cell]) -> String {
    let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
    for (m, c) in metrics.iter().zip(cells) {
        let text = if !c.causes.is_empty() {
            c.causes.join("; ")
        } else if let Some(u) = &c.unavailable {
            format!("needs {}", u.needed)
        } else {
            continue;
        };
        match groups.iter_mut().find(|g| g.1 == text) {
            Some(g) => g.0.push(m),
            None => groups.push((vec![m], text)),
        }
    }
    groups
        .into_iter()
        .map(|(ms, text)| {
            if metrics.len() > 1 {
                format!("{}: {text}", ms.join(", "))
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The grid of `table` for dataset column `col`.
pub fn table_grid(table: &ReportTable, col: usize) -> Grid {
    let multi = table.metrics.len() > 1;
    let row_head = if table.section == Section::Table2 {
        "algorithm"
    } else {
        "proxy"
    };
    let mut head = vec![row_head.to_string()];
    let mut numeric = vec![false];
    for m in &table.metrics {
        head.push(if multi {
            format!("{m} ours")
        } else {
            "ours".into()
        });
        head.push(if multi {
            format!("{m} paper")
        } else {
            "paper".into()
        });
        head.push("Δ".into());
        numeric.extend([true, true, true]);
    }
    let twins = table.rows.iter().any(|r| {
        r.cells
            .get(col)
            .is_some_and(|cs| cs.iter().any(|c| c.full_coverage.is_some()))
    });
    if twins {
        head.push("same proxy, every cell scored".into());
        numeric.push(false);
    }
    head.push("why it differs".into());
    numeric.push(false);
    let rows = table
        .rows
        .iter()
        .filter_map(|r| {
            let cells = r.cells.get(col)?;
            let mut out = vec![Piece::plain(r.label.clone())];
            for c in cells {
                out.push(ours_piece(c));
                out.push(paper_piece(c));
                out.push(diff_piece(c));
            }
            if twins {
                out.push(Piece::plain(
                    cells
                        .iter()
                        .find_map(|c| c.full_coverage.as_ref())
                        .map(|t| format!("{}: {}", t.proxy, fmt_stat(t.ours.mean, t.ours.std, 2)))
                        .unwrap_or_default(),
                ));
            }
            out.push(Piece::plain(why(&table.metrics, cells)));
            Some(out)
        })
        .collect();
    Grid {
        head,
        rows,
        numeric,
        prose_last: true,
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// A grid as a Markdown table.
pub fn grid_markdown(g: &Grid) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| {} |",
        g.head
            .iter()
            .map(|h| md_escape(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(
        s,
        "|{}|",
        g.numeric
            .iter()
            .map(|&n| if n { "---:" } else { "---" })
            .collect::<Vec<_>>()
            .join("|")
    );
    for r in &g.rows {
        let cells: Vec<String> = r
            .iter()
            .map(|p| {
                let t = md_escape(&p.text);
                if p.strong && !t.is_empty() {
                    format!("**{t}**")
                } else if p.muted && !t.is_empty() && t != "—" {
                    format!("*{t}*")
                } else {
                    t
                }
            })
            .collect();
        let _ = writeln!(s, "| {} |", cells.join(" | "));
    }
    s
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A grid as an HTML table. With [`Grid::prose_last`], each row's last cell becomes a row of
/// its own under it, spanning the table (none when the cell is empty).
pub fn grid_html(g: &Grid, caption: &str) -> String {
    let columns = g.head.len() - usize::from(g.prose_last);
    let mut s = String::from("<div class=\"scroll\" tabindex=\"0\"><table class=\"paper-table\">");
    if !caption.is_empty() {
        let _ = write!(s, "<caption>{}</caption>", html_escape(caption));
    }
    s.push_str("<thead><tr>");
    for (h, &n) in g.head.iter().zip(&g.numeric).take(columns) {
        let _ = write!(
            s,
            "<th scope=\"col\"{}>{}</th>",
            if n { " class=\"num\"" } else { "" },
            html_escape(h)
        );
    }
    s.push_str("</tr></thead><tbody>");
    for r in &g.rows {
        let prose = if g.prose_last {
            r.get(columns).filter(|p| !p.text.is_empty())
        } else {
            None
        };
        s.push_str(if prose.is_some() {
            "<tr class=\"has-prose\">"
        } else {
            "<tr>"
        });
        for (i, (p, &n)) in r.iter().zip(&g.numeric).take(columns).enumerate() {
            let mut class = Vec::new();
            if n {
                class.push("num");
            }
            if p.strong {
                class.push("exceeds");
            }
            if p.muted {
                class.push("muted");
            }
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            let text = if p.strong {
                format!("<strong>{}</strong>", html_escape(&p.text))
            } else {
                html_escape(&p.text)
            };
            let _ = write!(
                s,
                "<{tag}{}>{text}</{close}>",
                if class.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", class.join(" "))
                }
            );
        }
        s.push_str("</tr>");
        if let Some(p) = prose {
            let _ = write!(
                s,
                "<tr class=\"prose\"><td colspan=\"{columns}\"><div class=\"prose-text\"><span class=\"prose-head\">{}:</span> {}</div></td></tr>",
                html_escape(&g.head[columns]),
                html_escape(&p.text)
            );
        }
    }
    s.push_str("</tbody></table></div>\n");
    s
}

/// The numbers behind the landscape figures for one dataset, as a grid.
pub fn landscape_grid(d: &super::DatasetLandscapes) -> Grid {
    let head = [
        "metric",
        "missing",
        "local optima",
        "global optima test acc (%)",
        "Spearman",
        "top-1 % overlap",
    ]
    .map(String::from)
    .to_vec();
    let rows = d
        .summaries
        .iter()
        .map(|s| {
            vec![
                Piece::plain(s.metric.clone()),
                Piece::plain(thousands(s.n_missing)),
                Piece::plain(thousands(s.n_optima)),
                Piece::plain(
                    s.global_optima_mean_test_acc
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_else(|| "n/a".into()),
                ),
                Piece::plain(
                    s.spearman
                        .map(|v| format!("{v:.3}"))
                        .unwrap_or_else(|| "n/a".into()),
                ),
                Piece::plain(format!("{} / {}", s.top1_overlap, s.top1_k)),
            ]
        })
        .collect();
    Grid {
        head,
        rows,
        numeric: vec![false, true, true, true, true, true],
        prose_last: false,
    }
}

/// Evaluation counts at which the trend tables quote the curve.
pub const TREND_POINTS: [usize; 4] = [100, 500, 1_000, 5_000];

/// The trend numbers of one dataset, as a grid.
pub fn trend_grid(d: &super::DatasetTrends) -> Grid {
    let mut head = vec!["metric".to_string()];
    head.extend(
        TREND_POINTS
            .iter()
            .map(|n| format!("after {}", thousands(*n))),
    );
    let rows = d
        .trends
        .iter()
        .map(|t| {
            let mut r = vec![Piece::plain(t.metric.clone())];
            for &n in &TREND_POINTS {
                r.push(Piece::plain(
                    t.mean_test_acc
                        .get(n - 1)
                        .copied()
                        .flatten()
                        .map(|v| format!("{v:.2}"))
                        .unwrap_or_else(|| "—".into()),
                ));
            }
            r
        })
        .collect();
    let mut numeric = vec![false];
    numeric.extend(TREND_POINTS.iter().map(|_| true));
    Grid {
        head,
        rows,
        numeric,
        prose_last: false,
    }
}

/// Every figure of the report: (file name, SVG).
pub fn figures(r: &PaperReport) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !r.landscapes.is_empty() {
        for f in &LANDSCAPE_FIGURES {
            out.push((
                format!("{}.svg", f.stem),
                figures::landscape_svg(f, &r.landscapes),
            ));
        }
    }
    for d in &r.trends {
        out.push((
            format!("{}.svg", figures::trend_stem(&d.name)),
            figures::trend_svg(d),
        ));
    }
    out
}

/// One block of the report, in order: headings, paragraphs, tables and figures.
enum Block {
    Heading(u8, String),
    Para(String),
    List(Vec<String>),
    Table(Grid, String),
    Figure(String, String),
}

fn seeds(r: &PaperReport) -> String {
    format!(
        "{} runs per configuration, seeds {}–{}",
        thousands(r.runs),
        r.seed_start,
        r.seed_start + r.runs as u64 - 1
    )
}

fn blocks(r: &PaperReport) -> Vec<Block> {
    let mut b = Vec::new();
    b.push(Block::Heading(
        1,
        "MF-NAS on NAS-Bench-201: our runs beside the paper".into(),
    ));
    if r.synthetic() {
        b.push(Block::Para(
            "**SYNTHETIC TABLES.** At least one column below is a synthetic table made for tests and \
             demos, not NAS-Bench-201 data: its numbers only exercise the report and say nothing about \
             the paper."
                .into(),
        ));
    }
    b.push(Block::Para(format!("Published numbers: {}.", r.source)));
    b.push(Block::Para(format!(
        "Ours: {}, on these tables (each standing for the paper's dataset of the same column):",
        seeds(r)
    )));
    b.push(Block::List(
        r.columns
            .iter()
            .map(|c| {
                format!(
                    "{}: {}{}",
                    c.dataset,
                    c.table,
                    if c.real { "" } else { " (synthetic)" }
                )
            })
            .collect(),
    ));
    b.push(Block::Para(
        "How to read the tables: *ours* and *paper* are the mean ± population standard deviation of \
         the test accuracy (%) over the runs (Table 4's rank: the returned architecture's rank among \
         the candidates, 1 = best). Δ is ours, rounded as the paper prints, minus the paper's. Δ is \
         **bold** where it exceeds the standard error of the difference, √(s²/n + s_paper²/n_paper) \
         (ours stands in for a deviation the paper does not print); exactly those cells have causes \
         under *why it differs*, computed from the data the configuration used (see *Causes* below). \
         ‡ marks a configuration whose proxy scores only part of its table (see *Coverage*). \
         *Not in the public data* means the table was packed from public benchmark files that do \
         not hold what the configuration needs; nothing is estimated."
            .into(),
    ));
    for t in &r.tables {
        b.push(Block::Heading(2, t.title.clone()));
        b.push(Block::Para(format!("*Paper:* {}.", t.caption)));
        for (i, c) in r.columns.iter().enumerate() {
            b.push(Block::Heading(3, format!("{} — {}", c.dataset, c.table)));
            b.push(Block::Table(table_grid(t, i), String::new()));
        }
    }
    if !r.tables.is_empty() {
        b.push(Block::Heading(2, "Causes of the differences".into()));
        let mut items: Vec<String> = r
            .gap_legend
            .iter()
            .map(|g| format!("\"{}\": {}", g.kind.short(), g.explanation))
            .collect();
        items.push(format!(
            "\"{UNEXPLAINED}\": the difference exceeds its standard error but the configuration \
             touched none of the data differences above; it is reported, not explained away."
        ));
        b.push(Block::List(items));
    }
    if !r.coverage.is_empty() {
        b.push(Block::Heading(
            2,
            "Coverage: objectives that score part of their table".into(),
        ));
        for c in &r.coverage {
            b.push(Block::Heading(3, c.name.clone()));
            b.push(Block::List(
                c.warnings.iter().map(|w| w.message()).collect(),
            ));
        }
    }
    if !r.landscapes.is_empty() {
        b.push(Block::Heading(
            2,
            "Figs. 2 and 3: landscapes of every metric".into(),
        ));
        b.push(Block::Para(
            "Every metric of our tables as fitness over the whole space: local optima of \
             best-improvement hill climbing, the test accuracy of the global optima, Spearman's rank \
             correlation with test accuracy, and how many of the 1 % most accurate architectures are \
             among the metric's best 1 %. The paper shows these as figures without printed numbers, \
             so there is no column to compare with; its findings are checked below."
                .into(),
        ));
        for f in &LANDSCAPE_FIGURES {
            b.push(Block::Figure(
                format!("{}.svg", f.stem),
                f.title.to_string(),
            ));
        }
        for d in &r.landscapes {
            b.push(Block::Heading(3, format!("Numbers: {}", d.name)));
            b.push(Block::Table(landscape_grid(d), String::new()));
        }
        if !r.findings.is_empty() {
            b.push(Block::Heading(
                3,
                "The paper's landscape findings on our data".into(),
            ));
            b.push(Block::List(
                r.findings
                    .iter()
                    .map(|f| {
                        let per: Vec<String> = f
                            .datasets
                            .iter()
                            .map(|d| {
                                format!(
                                    "{}: {} ({})",
                                    d.dataset,
                                    match d.holds {
                                        Some(true) => "holds",
                                        Some(false) => "does not hold",
                                        None => "not testable",
                                    },
                                    d.evidence
                                )
                            })
                            .collect();
                        format!(
                            "**{}** — {}. Criterion: {}. {}",
                            f.verdict.as_str(),
                            f.claim,
                            f.criterion,
                            per.join("; ")
                        )
                    })
                    .collect(),
            ));
        }
    }
    if !r.trends.is_empty() {
        b.push(Block::Heading(2, "Figs. 4 and 8: search trends".into()));
        let p = r.trends[0].trends.first().map(|t| t.params);
        b.push(Block::Para(format!(
            "First-improvement hill climbing with escape (the local search of MF-NAS's stage 1) with \
             each metric as its objective{}; the curve is the mean, over the runs, of the test accuracy \
             of the best-so-far architecture after each evaluation. Training-based metrics are drawn \
             dark and thick, zero-cost proxies in colour; the legend lists the lines by their final \
             value. The paper publishes these as figures only.",
            p.map(|p| format!(
                ", {} evaluations, {} runs (seeds {}–{})",
                thousands(p.evals as usize),
                p.repeats,
                p.first_seed,
                p.first_seed + p.repeats - 1
            ))
            .unwrap_or_default()
        )));
        for d in &r.trends {
            b.push(Block::Figure(
                format!("{}.svg", figures::trend_stem(&d.name)),
                format!("{} ({})", figures::trend_figure_name(&d.dataset), d.name),
            ));
            b.push(Block::Table(
                trend_grid(d),
                format!("mean test accuracy (%) of the best-so-far, {}", d.name),
            ));
        }
    }
    b
}

/// The report as Markdown; figures are linked as the files [`figures`] names.
pub fn markdown(r: &PaperReport) -> String {
    let mut s = String::new();
    for block in blocks(r) {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(s, "{} {}\n", "#".repeat(level as usize), text);
            }
            Block::Para(text) => {
                let _ = writeln!(s, "{text}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(s, "- {i}");
                }
                s.push('\n');
            }
            Block::Table(g, caption) => {
                if !caption.is_empty() {
                    let _ = writeln!(s, "*{caption}*\n");
                }
                let _ = writeln!(s, "{}", grid_markdown(&g));
            }
            Block::Figure(file, title) => {
                let _ = writeln!(s, "![{title}]({file})\n");
            }
        }
    }
    s
}

/// Markdown emphasis inside our own paragraphs to HTML (only `**` and `*` pairs are used).
fn inline_html(text: &str) -> String {
    let mut out = String::new();
    let esc = html_escape(text);
    let mut rest = esc.as_str();
    let mut strong = false;
    let mut em = false;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**") {
            out.push_str(if strong { "</strong>" } else { "<strong>" });
            strong = !strong;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('*') {
            out.push_str(if em { "</em>" } else { "<em>" });
            em = !em;
            rest = r;
        } else {
            let ch = rest.chars().next().expect("not empty");
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    out
}

/// The report's body as HTML, with the figures inline, its headings from `<h1>`.
pub fn html_body(r: &PaperReport) -> String {
    html_fragment(r, 1)
}

/// The report's body as HTML with its top heading at level `top` (the explorer nests it
/// under its own headings), figures inline.
pub fn html_fragment(r: &PaperReport, top: u8) -> String {
    let figs = figures(r);
    let mut s = String::new();
    for block in blocks(r) {
        match block {
            Block::Heading(level, text) => {
                let level = (level + top.max(1) - 1).min(6);
                let _ = writeln!(s, "<h{level}>{}</h{level}>", html_escape(&text));
            }
            Block::Para(text) => {
                let _ = writeln!(s, "<p>{}</p>", inline_html(&text));
            }
            Block::List(items) => {
                s.push_str("<ul>");
                for i in items {
                    let _ = write!(s, "<li>{}</li>", inline_html(&i));
                }
                s.push_str("</ul>\n");
            }
            Block::Table(g, caption) => s.push_str(&grid_html(&g, &caption)),
            Block::Figure(file, title) => {
                if let Some((_, svg)) = figs.iter().find(|(f, _)| *f == file) {
                    let _ = writeln!(
                        s,
                        "<figure class=\"paper-figure\">{svg}<figcaption>{}</figcaption></figure>",
                        html_escape(&title)
                    );
                }
            }
        }
    }
    s
}

/// The style of the static page (the explorer's report panel has its own, `www/src/views/paper.css`).
pub const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111;\
max-width:1200px;margin:2rem auto;padding:0 1rem}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}\
.scroll{overflow-x:auto;container-type:inline-size}table.paper-table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}\
.paper-table th,.paper-table td{border-bottom:1px solid #e5e5e5;padding:3px 8px;text-align:left;vertical-align:top}\
.paper-table thead th{border-bottom:2px solid #999}.paper-table .num{text-align:right;white-space:nowrap}\
.paper-table .exceeds{color:#a0360b}.paper-table .muted{color:#595959;font-style:italic}\
.paper-table caption{text-align:left;color:#444;font-style:italic}\
.paper-table tr.has-prose>*{border-bottom:none}.paper-table tr.prose td{color:#333;padding:0 8px 6px 1.6rem}\
.paper-table .prose-head{font-style:italic;color:#595959}\
.paper-table .prose-text{position:sticky;left:1.6rem;max-width:calc(100cqi - 2.4rem)}\
figure.paper-figure{margin:1rem 0;overflow-x:auto}figure.paper-figure svg{max-width:100%;height:auto}\
figcaption{color:#444;font-size:13px}";

/// The report as one self-contained HTML page.
pub fn html_page(r: &PaperReport) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>MF-NAS on NAS-Bench-201: our runs beside the paper</title><style>{STYLE}</style></head>\n<body>\n{}</body></html>\n",
        html_body(r)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_carry_their_sign_and_the_papers_precision() {
        assert_eq!(fmt_diff(0.524, 2), "+0.52");
        assert_eq!(fmt_diff(-1.0, 1), "−1.0");
        assert_eq!(fmt_diff(0.001, 2), "0.00");
    }

    #[test]
    fn markdown_pipes_in_text_are_escaped() {
        let g = Grid {
            head: vec!["a".into()],
            rows: vec![vec![Piece::plain("x|y")]],
            numeric: vec![false],
            prose_last: false,
        };
        assert!(grid_markdown(&g).contains("x\\|y"));
    }

    #[test]
    fn prose_in_the_last_column_goes_under_its_row_in_html_and_stays_a_column_in_markdown() {
        let g = Grid {
            head: vec!["proxy".into(), "Δ".into(), "why it differs".into()],
            rows: vec![
                vec![
                    Piece::plain("a"),
                    Piece::plain("+1.0"),
                    Piece::plain("fewer epochs"),
                ],
                vec![Piece::plain("b"), Piece::plain("0.0"), Piece::plain("")],
            ],
            numeric: vec![false, true, false],
            prose_last: true,
        };
        let html = grid_html(&g, "");
        assert!(!html.contains("<th scope=\"col\">why it differs</th>"));
        assert!(html.contains(
            "<tr class=\"prose\"><td colspan=\"2\"><div class=\"prose-text\"><span class=\"prose-head\">why it differs:</span> fewer epochs</div></td></tr>"
        ));
        assert_eq!(
            html.matches("<tr class=\"prose\">").count(),
            1,
            "no row for an empty cell"
        );
        assert!(grid_markdown(&g).contains("| a | +1.0 | fewer epochs |"));
    }

    #[test]
    fn emphasis_becomes_html() {
        assert_eq!(
            inline_html("a **b** *c* <d>"),
            "a <strong>b</strong> <em>c</em> &lt;d&gt;"
        );
    }
}
