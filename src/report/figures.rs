//! The report's figures as standalone SVG: grouped bar charts for the landscape numbers
//! (the paper's Figs. 2 and 3) and line charts for the search trends (Figs. 4 and 8).
//!
//! The output is plain text with fixed decimals, so the same numbers give the same bytes on
//! every machine (and in wasm), and every label is real text a reader can select.

use super::{DatasetLandscapes, DatasetTrends};
use crate::lon::landscape::LandscapeSummary;
use std::fmt::Write;

/// Colours of the dataset series and of the trend lines (Okabe–Ito, colour-blind safe,
/// with a brown and a grey for more series).
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B", "#595959",
];

const FONT: &str = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\"";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rounds a chart coordinate to one decimal for compact, stable output.
fn c(x: f64) -> String {
    format!("{:.1}", x)
}

/// The opening of a chart: the root element (with its accessible name), a white
/// background, the title and the subtitle.
fn svg_open(width: f64, height: f64, title: &str, subtitle: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" {FONT} font-size=\"12\" role=\"img\" aria-label=\"{t}\">",
        w = c(width),
        h = c(height),
        t = esc(title)
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    let _ = writeln!(
        s,
        "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#111\">{}</text><text x=\"12\" y=\"40\" fill=\"#444\">{}</text>",
        esc(title),
        esc(subtitle)
    );
    s
}

/// "Nice" axis ticks between `lo` and `hi`: about `n` round numbers.
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.is_nan() || lo.is_nan() || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut t = first;
    while t <= hi + step * 1e-9 {
        out.push((t / step).round() * step);
        t += step;
    }
    out
}

fn fmt_tick(v: f64) -> String {
    if v.abs() >= 1000.0 {
        super::coverage::thousands(v.round() as usize)
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// One series of a grouped bar chart: a name and one value per row (`None`: no value).
pub struct BarSeries {
    /// Legend name.
    pub name: String,
    /// One value per row.
    pub values: Vec<Option<f64>>,
}

/// A horizontal grouped bar chart: one group per row label, one bar per series.
pub fn bar_chart(
    title: &str,
    subtitle: &str,
    rows: &[String],
    series: &[BarSeries],
    axis: &str,
    log: bool,
    decimals: usize,
) -> String {
    let width = 760.0;
    let left = 190.0;
    let right = 70.0;
    let top = 78.0;
    let bar = 9.0;
    let gap = 8.0;
    let group = series.len().max(1) as f64 * bar + gap;
    let plot_h = rows.len() as f64 * group;
    let height = top + plot_h + 46.0;
    let plot_w = width - left - right;
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let vmax = values
        .iter()
        .copied()
        .fold(f64::MIN, f64::max)
        .max(if log { 10.0 } else { 0.0 });
    let vmin_data = values.iter().copied().fold(f64::MAX, f64::min);
    let lo = if log {
        1.0
    } else if vmin_data < 0.0 {
        vmin_data
    } else {
        0.0
    };
    let hi = if log {
        10f64.powf(vmax.max(1.0).log10().ceil())
    } else {
        ticks(lo, vmax, 5).last().copied().unwrap_or(vmax).max(vmax)
    };
    let x = |v: f64| {
        let t = if log {
            (v.max(1.0).log10() - lo.log10()) / (hi.log10() - lo.log10())
        } else {
            (v - lo) / (hi - lo)
        };
        left + t.clamp(0.0, 1.0) * plot_w
    };
    let mut s = svg_open(width, height, title, subtitle);
    // Legend.
    let mut lx = left;
    for (i, se) in series.iter().enumerate() {
        let col = PALETTE[i % PALETTE.len()];
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"52\" width=\"12\" height=\"12\" fill=\"{col}\"/><text x=\"{}\" y=\"62\" fill=\"#222\">{}</text>",
            c(lx),
            c(lx + 16.0),
            esc(&se.name)
        );
        lx += 24.0 + 7.0 * se.name.chars().count() as f64;
    }
    // Grid and axis.
    let tick_values: Vec<f64> = if log {
        let mut t = Vec::new();
        let mut v = 1.0;
        while v <= hi * 1.0001 {
            t.push(v);
            v *= 10.0;
        }
        t
    } else {
        ticks(lo, hi, 5)
    };
    let axis_y = top + plot_h;
    for t in &tick_values {
        let tx = x(*t);
        let _ = writeln!(
            s,
            "<line x1=\"{tx}\" y1=\"{}\" x2=\"{tx}\" y2=\"{}\" stroke=\"#e2e2e2\"/><text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\" fill=\"#444\">{}</text>",
            c(top - 4.0),
            c(axis_y),
            c(axis_y + 16.0),
            fmt_tick(*t),
            tx = c(tx)
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{l}\" y1=\"{a}\" x2=\"{r}\" y2=\"{a}\" stroke=\"#888\"/><text x=\"{mid}\" y=\"{ly}\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
        esc(axis),
        l = c(left),
        r = c(left + plot_w),
        a = c(axis_y),
        mid = c(left + plot_w / 2.0),
        ly = c(axis_y + 36.0)
    );
    // Bars.
    for (r, label) in rows.iter().enumerate() {
        let gy = top + r as f64 * group;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#111\">{}</text>",
            c(left - 8.0),
            c(gy + (group - gap) / 2.0 + 4.0),
            esc(label)
        );
        for (i, se) in series.iter().enumerate() {
            let by = gy + i as f64 * bar;
            match se.values.get(r).copied().flatten() {
                Some(v) if v.is_finite() => {
                    let x0 = x(if log { 1.0 } else { lo.max(0.0).min(v) });
                    let x1 = x(v);
                    let (a, b) = if x1 >= x0 { (x0, x1) } else { (x1, x0) };
                    let _ = writeln!(
                        s,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} = {v:.prec$}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#333\">{v:.prec$}</text>",
                        c(a),
                        c(by),
                        c((b - a).max(0.5)),
                        c(bar - 1.0),
                        PALETTE[i % PALETTE.len()],
                        esc(label),
                        esc(&se.name),
                        c(b + 3.0),
                        c(by + bar - 2.0),
                        prec = decimals
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "<text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#767676\">n/a ({})</text>",
                        c(left + 3.0),
                        c(by + bar - 2.0),
                        esc(&se.name)
                    );
                }
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// One line of a line chart.
pub struct Line {
    /// Legend name.
    pub name: String,
    /// y by x = 1, 2, ... (`None`: no value there).
    pub values: Vec<Option<f64>>,
    /// Drawn thick and dark (training-based metrics) rather than coloured (proxies).
    pub emphasis: bool,
}

/// A line chart of `lines` against x = 1..n (on a log scale if `log_x`: the early
/// evaluations, where most changes happen, get as much room as the late ones), with a legend
/// sorted by each line's last value (so it reads in the order the lines end).
pub fn line_chart(
    title: &str,
    subtitle: &str,
    lines: &[Line],
    x_axis: &str,
    y_axis: &str,
    log_x: bool,
) -> String {
    let width = 860.0;
    let left = 64.0;
    let legend_w = 250.0;
    let right = legend_w + 20.0;
    let top = 56.0;
    let plot_h = 380.0;
    let height = top + plot_h + 56.0;
    let plot_w = width - left - right;
    let n = lines
        .iter()
        .map(|l| l.values.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let ys: Vec<f64> = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect();
    let (ymin, ymax) = (
        ys.iter().copied().fold(f64::MAX, f64::min),
        ys.iter().copied().fold(f64::MIN, f64::max),
    );
    let (ymin, ymax) = if ys.is_empty() {
        (0.0, 1.0)
    } else if ymax - ymin < 1e-9 {
        (ymin - 1.0, ymax + 1.0)
    } else {
        (ymin, ymax)
    };
    let yt = ticks(ymin, ymax, 6);
    let lo = yt.first().copied().unwrap_or(ymin).min(ymin);
    let step = if yt.len() > 1 { yt[1] - yt[0] } else { 1.0 };
    let hi = {
        let last = yt.last().copied().unwrap_or(ymax);
        if last < ymax { last + step } else { last }
    };
    let x = |i: f64| {
        let t = if log_x {
            i.max(1.0).ln() / (n as f64).max(2.0).ln()
        } else {
            (i - 1.0) / ((n as f64 - 1.0).max(1.0))
        };
        left + t * plot_w
    };
    let y = |v: f64| top + (1.0 - (v - lo) / (hi - lo)) * plot_h;
    let mut s = svg_open(width, height, title, subtitle);
    for t in &yt {
        let _ = writeln!(
            s,
            "<line x1=\"{l}\" y1=\"{ty}\" x2=\"{r}\" y2=\"{ty}\" stroke=\"#e2e2e2\"/><text x=\"{tx}\" y=\"{ly}\" text-anchor=\"end\" fill=\"#444\">{}</text>",
            fmt_tick(*t),
            l = c(left),
            r = c(left + plot_w),
            ty = c(y(*t)),
            tx = c(left - 6.0),
            ly = c(y(*t) + 4.0)
        );
    }
    let x_ticks: Vec<f64> = if log_x {
        let mut t: Vec<f64> = std::iter::successors(Some(1.0), |v| Some(v * 10.0))
            .take_while(|v| *v <= n as f64)
            .collect();
        if t.last().is_some_and(|l| (n as f64) > 2.0 * l) {
            t.push(n as f64);
        }
        t
    } else {
        ticks(1.0, n as f64, 5)
    };
    for t in x_ticks {
        let _ = writeln!(
            s,
            "<line x1=\"{tx}\" y1=\"{a}\" x2=\"{tx}\" y2=\"{b}\" stroke=\"#888\"/><text x=\"{tx}\" y=\"{ly}\" text-anchor=\"middle\" fill=\"#444\">{}</text>",
            fmt_tick(t),
            tx = c(x(t)),
            a = c(top + plot_h),
            b = c(top + plot_h + 4.0),
            ly = c(top + plot_h + 18.0)
        );
    }
    let _ = writeln!(
        s,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#888\"/>",
        c(left),
        c(top),
        c(plot_w),
        c(plot_h)
    );
    let _ = writeln!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#222\">{}</text><text transform=\"translate(16 {}) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
        c(left + plot_w / 2.0),
        c(top + plot_h + 40.0),
        esc(x_axis),
        c(top + plot_h / 2.0),
        esc(y_axis)
    );
    // Styles: training metrics dark and thick with their own dashes; proxies in colour,
    // solid then dashed once the palette is used up.
    let style = |i: usize, l: &Line| -> (String, f64, &'static str) {
        if l.emphasis {
            let dashes = ["", "8 4", "2 3", "10 3 2 3", "4 4"];
            ("#111111".into(), 2.6, dashes[i % dashes.len()])
        } else {
            let dash = if (i / PALETTE.len()) % 2 == 1 {
                "6 3"
            } else {
                ""
            };
            (PALETTE[i % PALETTE.len()].into(), 1.6, dash)
        }
    };
    let (mut ie, mut ip) = (0, 0);
    let mut styled = Vec::new();
    for l in lines {
        let k = if l.emphasis { &mut ie } else { &mut ip };
        styled.push(style(*k, l));
        *k += 1;
    }
    // A few hundred points per line (every evaluation would make megabyte files): evenly
    // spaced on the axis, so a log axis keeps every early evaluation.
    let keep = |i: usize| {
        let stride = if log_x {
            (i / 100).max(1)
        } else {
            n.div_ceil(400).max(1)
        };
        i.is_multiple_of(stride)
    };
    for (l, (col, w, dash)) in lines.iter().zip(&styled) {
        let mut d = String::new();
        let mut pen = false;
        for (i, v) in l.values.iter().enumerate() {
            if !keep(i) && i + 1 != l.values.len() {
                continue;
            }
            match v {
                Some(v) if v.is_finite() => {
                    let _ = write!(
                        d,
                        "{}{} {} ",
                        if pen { "L" } else { "M" },
                        c(x(i as f64 + 1.0)),
                        c(y(*v))
                    );
                    pen = true;
                }
                _ => pen = false,
            }
        }
        let _ = writeln!(
            s,
            "<path d=\"{}\" fill=\"none\" stroke=\"{col}\" stroke-width=\"{w}\"{}><title>{}</title></path>",
            d.trim_end(),
            if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            },
            esc(&l.name)
        );
    }
    // Legend, by last value.
    let last = |l: &Line| l.values.iter().rev().flatten().next().copied();
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| {
        last(&lines[b])
            .unwrap_or(f64::MIN)
            .total_cmp(&last(&lines[a]).unwrap_or(f64::MIN))
    });
    let lx = left + plot_w + 16.0;
    let row_h = (plot_h / lines.len().max(1) as f64).min(20.0);
    for (k, &i) in order.iter().enumerate() {
        let ly = top + 8.0 + k as f64 * row_h;
        let (col, w, dash) = &styled[i];
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{col}\" stroke-width=\"{w}\"{}/><text x=\"{}\" y=\"{}\" fill=\"#222\">{} {}</text>",
            c(lx),
            c(ly),
            c(lx + 26.0),
            c(ly),
            if dash.is_empty() {
                String::new()
            } else {
                format!(" stroke-dasharray=\"{dash}\"")
            },
            c(lx + 32.0),
            c(ly + 4.0),
            esc(&lines[i].name),
            last(&lines[i])
                .map(|v| format!("({v:.2})"))
                .unwrap_or_default()
        );
    }
    s.push_str("</svg>\n");
    s
}

/// One landscape figure: its file stem, title, axis and how to read a summary.
pub struct LandscapeFigure {
    /// File stem, e.g. `fig2a-optima`.
    pub stem: &'static str,
    /// Title.
    pub title: &'static str,
    /// x-axis label.
    pub axis: &'static str,
    /// Log scale.
    pub log: bool,
    /// Decimals of the value labels.
    pub decimals: usize,
    /// The number a summary contributes.
    pub value: fn(&LandscapeSummary) -> Option<f64>,
}

/// The paper's Figs. 2a–c and 3.
pub const LANDSCAPE_FIGURES: [LandscapeFigure; 4] = [
    LandscapeFigure {
        stem: "fig2a-optima",
        title: "Fig. 2a: number of local optima",
        axis: "local optima of best-improvement hill climbing (log scale)",
        log: true,
        decimals: 0,
        value: |s| Some(s.n_optima as f64),
    },
    LandscapeFigure {
        stem: "fig2b-global-optima",
        title: "Fig. 2b: test accuracy of the global optima",
        axis: "mean test accuracy of the global optima (%)",
        log: false,
        decimals: 2,
        value: |s| s.global_optima_mean_test_acc,
    },
    LandscapeFigure {
        stem: "fig2c-spearman",
        title: "Fig. 2c: Spearman rank correlation with test accuracy",
        axis: "Spearman's rho",
        log: false,
        decimals: 3,
        value: |s| s.spearman,
    },
    LandscapeFigure {
        stem: "fig3-top1",
        title: "Fig. 3: top-1% architectures among the metric's top 1%",
        axis: "how many of the 156 most accurate architectures",
        log: false,
        decimals: 0,
        value: |s| Some(s.top1_overlap as f64),
    },
];

/// The metrics of the landscape figures, in order of first appearance over the datasets.
pub fn landscape_metrics(data: &[DatasetLandscapes]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in data {
        for s in &d.summaries {
            if !out.contains(&s.metric) {
                out.push(s.metric.clone());
            }
        }
    }
    out
}

/// A landscape figure over every dataset.
pub fn landscape_svg(f: &LandscapeFigure, data: &[DatasetLandscapes]) -> String {
    let metrics = landscape_metrics(data);
    let series: Vec<BarSeries> = data
        .iter()
        .map(|d| BarSeries {
            name: d.name.clone(),
            values: metrics
                .iter()
                .map(|m| {
                    d.summaries
                        .iter()
                        .find(|s| &s.metric == m)
                        .and_then(f.value)
                })
                .collect(),
        })
        .collect();
    bar_chart(
        f.title,
        "every metric of our tables as fitness over all 15,625 NB201 architectures; n/a: not in that table",
        &metrics,
        &series,
        f.axis,
        f.log,
        f.decimals,
    )
}

/// The trend figure of one dataset (Fig. 4 for cifar10, Fig. 8 for the others).
pub fn trend_svg(d: &DatasetTrends) -> String {
    let lines: Vec<Line> = d
        .trends
        .iter()
        .map(|t| Line {
            name: t.metric.clone(),
            values: t.mean_test_acc.clone(),
            emphasis: !t.metric.starts_with("zc:"),
        })
        .collect();
    let repeats = d.trends.first().map(|t| t.params.repeats).unwrap_or(0);
    line_chart(
        &format!(
            "{}: search trends on {}",
            trend_figure_name(&d.dataset),
            d.name
        ),
        &format!(
            "first-improvement hill climbing with escape on each metric; mean over {repeats} runs of the best-so-far's test accuracy"
        ),
        &lines,
        "evaluations (log scale)",
        "test accuracy of the best-so-far (%)",
        true,
    )
}

/// The paper's figure number for a dataset's trends.
pub fn trend_figure_name(dataset: &str) -> &'static str {
    if dataset == "cifar10" {
        "Fig. 4"
    } else {
        "Fig. 8"
    }
}

/// The file stem of a dataset's trend figure.
pub fn trend_stem(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("trend-{safe}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        let t = ticks(88.3, 94.4, 6);
        assert!(t.first().unwrap() >= &88.3 && t.last().unwrap() <= &94.4);
        assert_eq!(t, vec![90.0, 92.0, 94.0]);
    }

    #[test]
    fn a_bar_chart_labels_every_row_and_marks_missing_values() {
        let svg = bar_chart(
            "t",
            "s",
            &["a".into(), "b".into()],
            &[BarSeries {
                name: "cifar10".into(),
                values: vec![Some(3.0), None],
            }],
            "x",
            false,
            1,
        );
        assert!(svg.contains(">a</text>") && svg.contains(">b</text>"));
        assert!(svg.contains("n/a (cifar10)"));
        assert!(svg.contains(">3.0</text>"));
    }

    #[test]
    fn a_line_chart_keeps_its_last_point_and_lists_lines_by_final_value() {
        let lines = vec![
            Line {
                name: "low".into(),
                values: (0..1000).map(|i| Some(i as f64 / 1000.0)).collect(),
                emphasis: false,
            },
            Line {
                name: "high".into(),
                values: (0..1000).map(|_| Some(5.0)).collect(),
                emphasis: true,
            },
        ];
        let svg = line_chart("t", "s", &lines, "x", "y", false);
        let hi = svg.find("high (5.00)").unwrap();
        let lo = svg.find("low (1.00)").unwrap();
        assert!(hi < lo, "the legend lists the higher line first");
    }

    #[test]
    fn svg_text_is_escaped() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
