//! The (M)LON as data for the explorer (JSON) and for graph tools: GraphML (Cytoscape,
//! networkx, Gephi), GEXF (Gephi) and CSV node and edge lists.
//!
//! [`LonExport`] is the one shape every format is written from. Node ids are architecture
//! ids ([`SearchSpace::id`]: NB201's benchmark index), nodes are sorted by id and edges by
//! (source, target); a compressed-MLON plateau is named by the id of its first
//! (smallest-key) member.
//! `fitness` is oriented (larger is better) and `null` for an unscored optimum.

use super::landscape::{Landscape, LandscapeSummary, MetricLandscape};
use super::network::{Edge, Lon};
use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Which network to export.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraphKind {
    /// Every escape edge.
    Lon,
    /// Only edges that do not go down in fitness.
    Mlon,
    /// The MLON with equal-fitness plateaus merged.
    Cmlon,
}

impl GraphKind {
    /// Parses `"lon"`, `"mlon"` or `"cmlon"`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "lon" => Ok(GraphKind::Lon),
            "mlon" => Ok(GraphKind::Mlon),
            "cmlon" => Ok(GraphKind::Cmlon),
            other => Err(Error::param(format!(
                "{other:?} is not a network kind: choose lon, mlon or cmlon"
            ))),
        }
    }
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphKind::Lon => "lon",
            GraphKind::Mlon => "mlon",
            GraphKind::Cmlon => "cmlon",
        }
    }
}

/// One node of an exported network.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportNode {
    /// The optimum's architecture id, or for a plateau the id of its first member.
    pub id: u64,
    /// The architecture (of the first member for a plateau).
    pub arch: String,
    /// The plateau's members' ids (compressed MLON only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub members: Option<Vec<u64>>,
    /// Oriented fitness; `null` for an unscored optimum.
    pub fitness: Option<f64>,
    /// Test accuracy of the architecture (`null` where missing); for a plateau, of its
    /// first member.
    pub test_acc: Option<f64>,
    /// Number of starts whose climb ends here.
    pub basin_size: u32,
    /// Number of other nodes with an edge into this one.
    pub in_degree: u32,
    /// Whether this is a global optimum.
    pub global: bool,
    /// Whether no edge leads from here to a strictly better node.
    pub sink: bool,
}

/// One edge of an exported network.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportEdge {
    /// Source node id.
    pub source: u64,
    /// Target node id.
    pub target: u64,
    /// Number of escapes taking the edge.
    pub weight: u32,
}

/// A network with its summary: the explorer's input and the source of every file format.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LonExport {
    /// The metric's column name.
    pub metric: String,
    /// The table's dataset.
    pub dataset: String,
    /// Which network.
    pub kind: GraphKind,
    /// Architectures without a value for the metric.
    pub n_missing: usize,
    /// Nodes in id order.
    pub nodes: Vec<ExportNode>,
    /// Edges sorted by (source, target).
    pub edges: Vec<ExportEdge>,
    /// The metric's numbers.
    pub summary: LandscapeSummary,
}

impl LonExport {
    /// The same network without unscored optima (fitness `null`) and the edges touching
    /// them; in-degrees are recounted. Sinks and global optima do not change (no edge from a
    /// scored optimum to an unscored one goes up), but the weights out of a node no longer
    /// add up to its 2-opt neighbourhood. With many missing values (zero-cost proxies cover
    /// 9,445 of 15,625 cells) this is the readable view.
    pub fn without_unscored(mut self) -> Self {
        let keep: Vec<u64> = {
            let mut k: Vec<u64> = self
                .nodes
                .iter()
                .filter(|n| n.fitness.is_some())
                .map(|n| n.id)
                .collect();
            k.sort_unstable();
            k
        };
        let kept = |id: u64| keep.binary_search(&id).is_ok();
        self.nodes.retain(|n| kept(n.id));
        self.edges.retain(|e| kept(e.source) && kept(e.target));
        for n in &mut self.nodes {
            n.in_degree = 0;
        }
        for e in &self.edges {
            if e.source != e.target {
                let i = self
                    .nodes
                    .binary_search_by_key(&e.target, |n| n.id)
                    .expect("edge targets are kept nodes");
                self.nodes[i].in_degree += 1;
            }
        }
        self
    }
}

/// The network of `metric` on `table` as the explorer draws it: one pure call for wasm.
pub fn landscape_json<S: SearchSpace>(
    space: &S,
    table: &Table,
    metric: &str,
    kind: GraphKind,
) -> Result<LonExport> {
    let land = Landscape::new(space, table)?;
    let res = land.analyse(metric)?;
    Ok(export(&land, &res, kind))
}

/// The network of an analysed metric.
pub fn export<S: SearchSpace>(
    land: &Landscape<'_, S>,
    res: &MetricLandscape,
    kind: GraphKind,
) -> LonExport {
    let lon = &res.lon;
    let key_of = |o: u32| land.id(land.nb.key(lon.nodes[o as usize]));
    let test_of = |o: u32| Some(land.test[lon.nodes[o as usize] as usize]).filter(|t| !t.is_nan());
    let fit_of = |f: f64| Some(f).filter(|&f| f != f64::NEG_INFINITY);
    let to_edges = |edges: &[Edge], id: &dyn Fn(u32) -> u64| -> Vec<ExportEdge> {
        edges
            .iter()
            .map(|e| ExportEdge {
                source: id(e.source),
                target: id(e.target),
                weight: e.weight,
            })
            .collect()
    };
    let (nodes, edges) = match kind {
        GraphKind::Lon | GraphKind::Mlon => {
            let edges = if kind == GraphKind::Lon {
                lon.edges.clone()
            } else {
                lon.mlon_edges()
            };
            let in_deg = Lon::in_degrees(lon.len(), &edges);
            let sinks = lon.sinks();
            let globals = lon.global_optima();
            let nodes = (0..lon.len() as u32)
                .map(|o| ExportNode {
                    id: key_of(o),
                    arch: land.arch_string(land.nb.key(lon.nodes[o as usize])),
                    members: None,
                    fitness: fit_of(lon.fitness[o as usize]),
                    test_acc: test_of(o),
                    basin_size: lon.basin_size[o as usize],
                    in_degree: in_deg[o as usize],
                    global: globals.binary_search(&o).is_ok(),
                    sink: sinks[o as usize],
                })
                .collect();
            (nodes, to_edges(&edges, &key_of))
        }
        GraphKind::Cmlon => {
            let c = lon.compress();
            let first = |p: u32| c.plateaus[p as usize].members[0];
            let in_deg = Lon::in_degrees(c.plateaus.len(), &c.edges);
            let sinks = c.sinks();
            let global = c.global();
            let nodes = c
                .plateaus
                .iter()
                .enumerate()
                .map(|(p, pl)| ExportNode {
                    id: key_of(pl.members[0]),
                    arch: land.arch_string(land.nb.key(lon.nodes[pl.members[0] as usize])),
                    members: Some(pl.members.iter().map(|&o| key_of(o)).collect()),
                    fitness: fit_of(pl.fitness),
                    test_acc: test_of(pl.members[0]),
                    basin_size: pl.basin_size,
                    in_degree: in_deg[p],
                    global: global[p],
                    sink: sinks[p],
                })
                .collect();
            (nodes, to_edges(&c.edges, &|p| key_of(first(p))))
        }
    };
    let (mut nodes, mut edges): (Vec<ExportNode>, Vec<ExportEdge>) = (nodes, edges);
    nodes.sort_by_key(|n| n.id);
    edges.sort_by_key(|e| (e.source, e.target));
    LonExport {
        metric: res.summary.metric.clone(),
        dataset: res.summary.dataset.clone(),
        kind,
        n_missing: res.summary.n_missing,
        nodes,
        edges,
        summary: res.summary.clone(),
    }
}

/// A file format for [`LonExport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// GraphML (Cytoscape, networkx, Gephi).
    Graphml,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// The explorer's JSON.
    Json,
    /// Two CSV files, nodes and edges.
    Csv,
}

impl ExportFormat {
    /// Parses `graphml`, `gexf`, `json` or `csv`.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "graphml" => Ok(ExportFormat::Graphml),
            "gexf" => Ok(ExportFormat::Gexf),
            "json" => Ok(ExportFormat::Json),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::param(format!(
                "{other:?} is not an export format: choose graphml, gexf, json or csv"
            ))),
        }
    }
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Graphml => "graphml",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
        }
    }
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

fn opt_num(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_default()
}

fn members_text(n: &ExportNode) -> String {
    n.members
        .as_ref()
        .map(|m| m.iter().map(u64::to_string).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn title(x: &LonExport) -> String {
    format!(
        "{} of {} on {} ({} architectures without a value)",
        x.kind.as_str().to_uppercase(),
        x.metric,
        x.dataset,
        x.n_missing
    )
}

/// GraphML with node attributes `arch, members, fitness, test_acc, basin_size, in_degree,
/// global, sink` and edge attribute `weight`. A missing number is left out of its node.
pub fn to_graphml(x: &LonExport) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n");
    let keys = [
        ("arch", "node", "string"),
        ("members", "node", "string"),
        ("fitness", "node", "double"),
        ("test_acc", "node", "double"),
        ("basin_size", "node", "int"),
        ("in_degree", "node", "int"),
        ("global", "node", "boolean"),
        ("sink", "node", "boolean"),
        ("weight", "edge", "int"),
    ];
    for (name, on, ty) in keys {
        let _ = writeln!(
            s,
            "  <key id=\"{name}\" for=\"{on}\" attr.name=\"{name}\" attr.type=\"{ty}\"/>"
        );
    }
    let _ = writeln!(
        s,
        "  <graph id=\"{}\" edgedefault=\"directed\">\n    <desc>{}</desc>",
        x.kind.as_str(),
        xml_escape(&title(x))
    );
    for n in &x.nodes {
        let _ = writeln!(s, "    <node id=\"n{}\">", n.id);
        let _ = writeln!(s, "      <data key=\"arch\">{}</data>", xml_escape(&n.arch));
        if n.members.is_some() {
            let _ = writeln!(s, "      <data key=\"members\">{}</data>", members_text(n));
        }
        if let Some(f) = n.fitness {
            let _ = writeln!(s, "      <data key=\"fitness\">{f}</data>");
        }
        if let Some(t) = n.test_acc {
            let _ = writeln!(s, "      <data key=\"test_acc\">{t}</data>");
        }
        let _ = writeln!(
            s,
            "      <data key=\"basin_size\">{}</data>\n      <data key=\"in_degree\">{}</data>\n      <data key=\"global\">{}</data>\n      <data key=\"sink\">{}</data>\n    </node>",
            n.basin_size, n.in_degree, n.global, n.sink
        );
    }
    for (i, e) in x.edges.iter().enumerate() {
        let _ = writeln!(
            s,
            "    <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\"><data key=\"weight\">{}</data></edge>",
            e.source, e.target, e.weight
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// GEXF 1.3 with the same attributes as [`to_graphml`] and the weight as Gephi's edge weight.
pub fn to_gexf(x: &LonExport) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n");
    let _ = writeln!(
        s,
        "  <meta><creator>mfnas</creator><description>{}</description></meta>",
        xml_escape(&title(x))
    );
    s.push_str("  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
    s.push_str("    <attributes class=\"node\">\n");
    let attrs = [
        ("arch", "string"),
        ("members", "string"),
        ("fitness", "double"),
        ("test_acc", "double"),
        ("basin_size", "integer"),
        ("in_degree", "integer"),
        ("global", "boolean"),
        ("sink", "boolean"),
    ];
    for (i, (name, ty)) in attrs.iter().enumerate() {
        let _ = writeln!(
            s,
            "      <attribute id=\"{i}\" title=\"{name}\" type=\"{ty}\"/>"
        );
    }
    s.push_str("    </attributes>\n    <nodes>\n");
    for n in &x.nodes {
        let _ = writeln!(
            s,
            "      <node id=\"n{}\" label=\"{}\">\n        <attvalues>",
            n.id,
            xml_escape(&n.arch)
        );
        let mut att = |i: usize, v: String| {
            let _ = writeln!(
                s,
                "          <attvalue for=\"{i}\" value=\"{}\"/>",
                xml_escape(&v)
            );
        };
        att(0, n.arch.clone());
        if n.members.is_some() {
            att(1, members_text(n));
        }
        if let Some(f) = n.fitness {
            att(2, f.to_string());
        }
        if let Some(t) = n.test_acc {
            att(3, t.to_string());
        }
        att(4, n.basin_size.to_string());
        att(5, n.in_degree.to_string());
        att(6, n.global.to_string());
        att(7, n.sink.to_string());
        s.push_str("        </attvalues>\n      </node>\n");
    }
    s.push_str("    </nodes>\n    <edges>\n");
    for (i, e) in x.edges.iter().enumerate() {
        let _ = writeln!(
            s,
            "      <edge id=\"e{i}\" source=\"n{}\" target=\"n{}\" weight=\"{}\"/>",
            e.source, e.target, e.weight
        );
    }
    s.push_str("    </edges>\n  </graph>\n</gexf>\n");
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The node list and the edge list as CSV (`id,arch,members,fitness,test_acc,basin_size,
/// in_degree,global,sink` and `source,target,weight`); a missing number is an empty field,
/// plateau members are separated by spaces.
pub fn to_csv(x: &LonExport) -> (String, String) {
    let mut nodes =
        String::from("id,arch,members,fitness,test_acc,basin_size,in_degree,global,sink\n");
    for n in &x.nodes {
        let _ = writeln!(
            nodes,
            "{},{},{},{},{},{},{},{},{}",
            n.id,
            csv_field(&n.arch),
            members_text(n),
            opt_num(n.fitness),
            opt_num(n.test_acc),
            n.basin_size,
            n.in_degree,
            n.global,
            n.sink
        );
    }
    let mut edges = String::from("source,target,weight\n");
    for e in &x.edges {
        let _ = writeln!(edges, "{},{},{}", e.source, e.target, e.weight);
    }
    (nodes, edges)
}

/// The explorer's JSON (pretty-printed).
pub fn to_json(x: &LonExport) -> String {
    serde_json::to_string_pretty(x).expect("export values serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::nb201::Nb201;
    use crate::table::synthetic;

    fn sample(kind: GraphKind) -> LonExport {
        let table = synthetic::nb201_full_curves(2);
        landscape_json(&Nb201, &table, "synflow", kind).unwrap()
    }

    #[test]
    fn the_json_export_has_the_explorer_fields() {
        let v: serde_json::Value =
            serde_json::from_str(&to_json(&sample(GraphKind::Cmlon))).unwrap();
        for f in [
            "metric",
            "dataset",
            "kind",
            "n_missing",
            "nodes",
            "edges",
            "summary",
        ] {
            assert!(v.get(f).is_some(), "missing {f}");
        }
        let n = &v["nodes"][0];
        for f in [
            "id",
            "arch",
            "members",
            "fitness",
            "test_acc",
            "basin_size",
            "in_degree",
            "global",
            "sink",
        ] {
            assert!(n.get(f).is_some(), "node misses {f}");
        }
        assert_eq!(v["kind"], "cmlon");
        assert!(v["summary"].get("funnel_share").is_some());
    }

    #[test]
    fn only_the_compressed_export_lists_members() {
        assert!(
            sample(GraphKind::Mlon)
                .nodes
                .iter()
                .all(|n| n.members.is_none())
        );
        assert!(
            sample(GraphKind::Cmlon)
                .nodes
                .iter()
                .all(|n| n.members.is_some())
        );
    }

    #[test]
    fn the_json_export_reads_back_unchanged() {
        let x = sample(GraphKind::Lon);
        let back: LonExport = serde_json::from_str(&to_json(&x)).unwrap();
        assert_eq!(back, x);
    }

    #[test]
    fn every_edge_of_an_export_joins_two_of_its_nodes() {
        for kind in [GraphKind::Lon, GraphKind::Mlon, GraphKind::Cmlon] {
            let x = sample(kind);
            let ids: Vec<u64> = x.nodes.iter().map(|n| n.id).collect();
            for e in &x.edges {
                assert!(ids.contains(&e.source) && ids.contains(&e.target));
            }
        }
    }

    #[test]
    fn the_csv_export_has_one_line_per_node_and_edge_plus_headers() {
        let x = sample(GraphKind::Mlon);
        let (n, e) = to_csv(&x);
        assert_eq!(n.lines().count(), x.nodes.len() + 1);
        assert_eq!(e.lines().count(), x.edges.len() + 1);
    }

    #[test]
    fn graphml_and_gexf_name_every_node_and_edge() {
        let x = sample(GraphKind::Mlon);
        let g = to_graphml(&x);
        assert_eq!(g.matches("<node ").count(), x.nodes.len());
        assert_eq!(g.matches("<edge ").count(), x.edges.len());
        let g = to_gexf(&x);
        assert_eq!(g.matches("<node ").count(), x.nodes.len());
        assert_eq!(g.matches("<edge ").count(), x.edges.len());
    }

    #[test]
    fn dropping_unscored_optima_keeps_every_scored_node_and_no_dangling_edge() {
        let table = crate::lon::landscape::tests::with_missing_synflow_on_disconnected_cells(
            synthetic::nb201_full_curves(2),
        );
        let land = Landscape::new(&Nb201, &table).unwrap();
        let mut f = crate::lon::fitness(
            &table,
            &land.nb,
            &crate::lon::resolve_metric(&table, "synflow").unwrap(),
        );
        // Blank a whole neighbourhood so that one unscored optimum exists.
        let centre = 0u32;
        f.values[centre as usize] = f64::NEG_INFINITY;
        for &y in land.nb.neighbours(centre) {
            f.values[y as usize] = f64::NEG_INFINITY;
        }
        let climb = crate::lon::climb::best_improvement(&land.nb, &f.values);
        let lon = Lon::build(&Nb201, &land.nb, &climb, &f.values).unwrap();
        assert!(lon.n_unscored() >= 1);
        let mut res = land.analyse("synflow").unwrap();
        res.lon = lon;
        let full = export(&land, &res, GraphKind::Lon);
        let scored = full.clone().without_unscored();
        assert_eq!(
            scored.nodes.len(),
            full.nodes.iter().filter(|n| n.fitness.is_some()).count()
        );
        let ids: Vec<u64> = scored.nodes.iter().map(|n| n.id).collect();
        assert!(
            scored
                .edges
                .iter()
                .all(|e| ids.contains(&e.source) && ids.contains(&e.target))
        );
    }

    #[test]
    fn unknown_kinds_and_formats_are_refused_with_the_choices() {
        assert!(
            GraphKind::parse("tree")
                .unwrap_err()
                .message()
                .contains("cmlon")
        );
        assert!(
            ExportFormat::parse("dot")
                .unwrap_err()
                .message()
                .contains("gexf")
        );
    }
}
