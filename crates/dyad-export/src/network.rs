//! The actor network as GraphML, GEXF 1.3 or node-link JSON.
//!
//! All three describe the same **directed** graph: one node per actor (id = the actor key, an
//! ISO alpha-3 country or an organisation id) with attributes `label`, `kind` (`country` or
//! `org`) and `weight` (events the actor takes part in), and one edge per direction of a dyad
//! with attributes `events`, `goldstein_mean` and `q1`…`q4` (events by QuadClass).
//!
//! - [GraphML](http://graphml.graphdrawing.org/) declares each attribute with a typed `<key>`
//!   (`string`, `long`, `double`), so networkx, igraph, Gephi, Cytoscape and yEd read them with
//!   their types. Edge ids are `e0`, `e1`…
//! - [GEXF 1.3](https://gexf.net/) is Gephi's format: `label` is the node's native label, the
//!   other attributes are declared in `<attributes>`; each edge's native `weight` is its event
//!   count.
//! - The JSON is networkx's and d3's *node-link* shape: `{"directed": true, "multigraph": false,
//!   "graph": {}, "nodes": [{"id", "label", "kind", "weight"}], "links": [{"source", "target",
//!   "events", "goldstein_mean", "q1", "q2", "q3", "q4"}]}` — `networkx.node_link_graph` reads it
//!   back. A non-finite `goldstein_mean` is `null`.
//!
//! Every string is XML-escaped (`& < > " '`; tabs and line breaks as character references;
//! characters XML 1.0 forbids become U+FFFD). Each function returns the number of nodes plus
//! edges written. An edge whose endpoint is not among the nodes is written anyway (GraphML and
//! GEXF readers create the node).

use std::io::Write;

use dyad_store::{Network, NetworkEdge, NetworkNode};

use crate::util::xml_escape as esc;
use crate::ExportError;

fn float(v: f64) -> String {
    if v.is_finite() {
        v.to_string()
    } else if v.is_nan() {
        "NaN".into()
    } else if v > 0.0 {
        "INF".into()
    } else {
        "-INF".into()
    }
}

/// Writes the network as GraphML; returns nodes + edges written.
///
/// ```
/// use dyad_export::{graphml, Network, NetworkNode};
///
/// let net = Network { nodes: vec![NetworkNode { id: "EU".into(), label: "European Union".into(), kind: "org".into(), weight: 1 }], edges: vec![] };
/// let mut out = Vec::new();
/// graphml(&mut out, &net).unwrap();
/// let xml = String::from_utf8(out).unwrap();
/// assert!(xml.contains(r#"<key id="weight" for="node" attr.name="weight" attr.type="long"/>"#));
/// assert!(xml.contains(r#"<data key="label">European Union</data>"#));
/// ```
pub fn graphml<W: Write>(mut w: W, net: &Network) -> Result<usize, ExportError> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let keys: [(&str, &str, &str); 9] = [
        ("label", "node", "string"),
        ("kind", "node", "string"),
        ("weight", "node", "long"),
        ("events", "edge", "long"),
        ("goldstein_mean", "edge", "double"),
        ("q1", "edge", "long"),
        ("q2", "edge", "long"),
        ("q3", "edge", "long"),
        ("q4", "edge", "long"),
    ];
    for (name, domain, ty) in keys {
        writeln!(w, r#"  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{ty}"/>"#)?;
    }
    writeln!(w, r#"  <graph id="dyad" edgedefault="directed">"#)?;
    for n in &net.nodes {
        let NetworkNode { id, label, kind, weight } = n;
        writeln!(w, r#"    <node id="{}">"#, esc(id))?;
        writeln!(w, r#"      <data key="label">{}</data>"#, esc(label))?;
        writeln!(w, r#"      <data key="kind">{}</data>"#, esc(kind))?;
        writeln!(w, r#"      <data key="weight">{weight}</data>"#)?;
        writeln!(w, "    </node>")?;
    }
    for (i, e) in net.edges.iter().enumerate() {
        let NetworkEdge { source, target, events, goldstein_mean, quad } = e;
        writeln!(w, r#"    <edge id="e{i}" source="{}" target="{}">"#, esc(source), esc(target))?;
        writeln!(w, r#"      <data key="events">{events}</data>"#)?;
        writeln!(w, r#"      <data key="goldstein_mean">{}</data>"#, float(*goldstein_mean))?;
        for (q, v) in quad.iter().enumerate() {
            writeln!(w, r#"      <data key="q{}">{v}</data>"#, q + 1)?;
        }
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")?;
    w.flush()?;
    Ok(net.nodes.len() + net.edges.len())
}

/// Writes the network as GEXF 1.3; returns nodes + edges written.
///
/// ```
/// use dyad_export::{gexf, Network, NetworkEdge};
///
/// let net = Network { nodes: vec![], edges: vec![NetworkEdge { source: "A".into(), target: "B".into(), events: 3, ..Default::default() }] };
/// let mut out = Vec::new();
/// gexf(&mut out, &net).unwrap();
/// let xml = String::from_utf8(out).unwrap();
/// assert!(xml.contains(r#"<edge id="e0" source="A" target="B" weight="3">"#));
/// ```
pub fn gexf<W: Write>(mut w: W, net: &Network) -> Result<usize, ExportError> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(w, "  <meta>")?;
    writeln!(w, "    <creator>dyad-export {}</creator>", env!("CARGO_PKG_VERSION"))?;
    writeln!(w, "    <description>dyad actor network</description>")?;
    writeln!(w, "  </meta>")?;
    writeln!(w, r#"  <graph defaultedgetype="directed" mode="static">"#)?;
    writeln!(w, r#"    <attributes class="node">"#)?;
    writeln!(w, r#"      <attribute id="kind" title="kind" type="string"/>"#)?;
    writeln!(w, r#"      <attribute id="weight" title="weight" type="long"/>"#)?;
    writeln!(w, "    </attributes>")?;
    writeln!(w, r#"    <attributes class="edge">"#)?;
    writeln!(w, r#"      <attribute id="events" title="events" type="long"/>"#)?;
    writeln!(w, r#"      <attribute id="goldstein_mean" title="goldstein_mean" type="double"/>"#)?;
    for q in 1..=4 {
        writeln!(w, r#"      <attribute id="q{q}" title="q{q}" type="long"/>"#)?;
    }
    writeln!(w, "    </attributes>")?;
    writeln!(w, "    <nodes>")?;
    for n in &net.nodes {
        writeln!(w, r#"      <node id="{}" label="{}">"#, esc(&n.id), esc(&n.label))?;
        writeln!(w, "        <attvalues>")?;
        writeln!(w, r#"          <attvalue for="kind" value="{}"/>"#, esc(&n.kind))?;
        writeln!(w, r#"          <attvalue for="weight" value="{}"/>"#, n.weight)?;
        writeln!(w, "        </attvalues>")?;
        writeln!(w, "      </node>")?;
    }
    writeln!(w, "    </nodes>")?;
    writeln!(w, "    <edges>")?;
    for (i, e) in net.edges.iter().enumerate() {
        writeln!(
            w,
            r#"      <edge id="e{i}" source="{}" target="{}" weight="{}">"#,
            esc(&e.source),
            esc(&e.target),
            e.events
        )?;
        writeln!(w, "        <attvalues>")?;
        writeln!(w, r#"          <attvalue for="events" value="{}"/>"#, e.events)?;
        writeln!(w, r#"          <attvalue for="goldstein_mean" value="{}"/>"#, float(e.goldstein_mean))?;
        for (q, v) in e.quad.iter().enumerate() {
            writeln!(w, r#"          <attvalue for="q{}" value="{v}"/>"#, q + 1)?;
        }
        writeln!(w, "        </attvalues>")?;
        writeln!(w, "      </edge>")?;
    }
    writeln!(w, "    </edges>")?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")?;
    w.flush()?;
    Ok(net.nodes.len() + net.edges.len())
}

/// Writes the network as node-link JSON (one document, then a line break); returns nodes +
/// edges written.
///
/// ```
/// use dyad_export::{network_json, Network, NetworkEdge};
///
/// let net = Network { nodes: vec![], edges: vec![NetworkEdge { source: "A".into(), target: "B".into(), events: 2, quad: [2, 0, 0, 0], goldstein_mean: 3.0 }] };
/// let mut out = Vec::new();
/// network_json(&mut out, &net).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["directed"], true);
/// assert_eq!(v["links"][0]["q1"], 2);
/// ```
pub fn network_json<W: Write>(mut w: W, net: &Network) -> Result<usize, ExportError> {
    use serde_json::json;
    let nodes: Vec<_> =
        net.nodes.iter().map(|n| json!({ "id": n.id, "label": n.label, "kind": n.kind, "weight": n.weight })).collect();
    let links: Vec<_> = net
        .edges
        .iter()
        .map(|e| {
            json!({
                "source": e.source,
                "target": e.target,
                "events": e.events,
                "goldstein_mean": e.goldstein_mean, // serde_json writes NaN/inf as null
                "q1": e.quad[0],
                "q2": e.quad[1],
                "q3": e.quad[2],
                "q4": e.quad[3],
            })
        })
        .collect();
    let doc = json!({
        "directed": true,
        "multigraph": false,
        "graph": {},
        "nodes": nodes,
        "links": links,
    });
    serde_json::to_writer(&mut w, &doc)?;
    w.write_all(b"\n")?;
    w.flush()?;
    Ok(net.nodes.len() + net.edges.len())
}
