//! PLOVER JSON lines: one JSON object per event, with PLOVER's field names.
//!
//! [PLOVER](https://github.com/openeventdata/PLOVER) (Political Language Ontology for Verifiable
//! Event Records) is the successor of CAMEO: 16 event types, each with modes and contexts. dyad
//! codes CAMEO and carries the PLOVER type and mode of each code (from `dictionaries/cameo.tsv`,
//! which follows the PLOVER manual's conversion table). [`plover_jsonl`] writes one object per
//! cluster (a real-world event), [`plover_mentions_jsonl`] one per mention. Both write
//! [`PloverEvent`]s; the fields are:
//!
//! | field | from |
//! |---|---|
//! | `id` | the cluster id as a string (clusters); the event's stable `event_id` (mentions) |
//! | `cluster_id` | the cluster id, a number |
//! | `date` | the date with the precision dyad has: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `--MM-DD`; `null` when undated |
//! | `date_precision` | `day`, `month`, `year` or `none` |
//! | `event` | the PLOVER event type (`CONSULT`, `ASSAULT`…); `null` for CAMEO 01 (public statements), which PLOVER does not code |
//! | `mode` | `"negation"` when the event is negated, else `"hypothetical"` when hypothetical, else the PLOVER mode of the CAMEO code (`null` when it has none) |
//! | `context` | the PLOVER contexts of the CAMEO code (`cameo.tsv`'s `plover_context` column), an array: some codes have two (`["military", "legal"]`); `[]` when none |
//! | `actor`, `recipient` | the actor key: ISO alpha-3 country, else organisation, else the CAMEO actor code; `recipient` is `null` without a target |
//! | `actor_agent`, `recipient_agent` | the CAMEO sector (`GOV`, `MIL`, `REB`…), or `null` |
//! | `actor_text`, `recipient_text` | the actor phrases as they appear in the text |
//! | `event_text` | the sentence the event was coded from |
//! | `location` | `{"name", "country", "lat", "lon"}` or `null` |
//! | `source` | the outlet of the document (of the cluster's first mention), else the host of its URL; `null` when unknown |
//! | `url`, `doc_id` | the document's URL (or `null`) and id |
//! | `num_mentions` | mentions in the cluster (1 for a mention) |
//! | `cameo`, `goldstein`, `quad_class` | the CAMEO code, its Goldstein value and GDELT QuadClass |
//!
//! `event`, `mode`, `context`, `actor`, `actor_agent`, `recipient`, `recipient_agent`, `date`,
//! `id`, `event_text` and `location` are PLOVER's own names; the rest are dyad's additions,
//! which PLOVER readers ignore.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use dyad_core::{Actor, DatePrecision, Event, Location};
use dyad_store::{ClusterRow, EventRow};
use serde::{Deserialize, Serialize};

use crate::gdelt::source_name;
use dyad_core::url_host;
use crate::ExportError;

/// The CAMEO table, compiled in.
const CAMEO_TSV: &str = include_str!("../../../dictionaries/cameo.tsv");

/// PLOVER type and contexts of one CAMEO code.
struct PloverInfo {
    kind: &'static str,
    contexts: Vec<&'static str>,
}

/// `cameo.tsv` parsed once: CAMEO code → PLOVER type and contexts.
fn table() -> &'static HashMap<&'static str, PloverInfo> {
    static TABLE: OnceLock<HashMap<&'static str, PloverInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        CAMEO_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                // code, label, goldstein, quad, plover_type, plover_mode, plover_context
                let cols: Vec<&str> = l.split('\t').collect();
                let code = cols.first()?.trim();
                let kind = cols.get(4).map(|s| s.trim()).unwrap_or("");
                let contexts = cols
                    .get(6)
                    .map(|s| s.split(';').map(str::trim).filter(|c| !c.is_empty()).collect())
                    .unwrap_or_default();
                Some((code, PloverInfo { kind, contexts }))
            })
            .collect()
    })
}

/// The PLOVER contexts of a CAMEO code: the code's own, else its base code's (3 digits), else
/// its root's.
pub fn plover_contexts(cameo: &str) -> Vec<String> {
    lookup(cameo).map(|i| i.contexts.iter().map(|c| c.to_string()).collect()).unwrap_or_default()
}

fn lookup(cameo: &str) -> Option<&'static PloverInfo> {
    let t = table();
    let code = cameo.trim();
    [code.len(), 3, 2].into_iter().filter(|&n| n <= code.len()).find_map(|n| code.get(..n).and_then(|c| t.get(c)))
}

/// One PLOVER record, as [`plover_jsonl`] and [`plover_mentions_jsonl`] write it (see the
/// [module docs](self) for each field). It round-trips through serde.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PloverEvent {
    pub id: String,
    pub cluster_id: i64,
    pub date: Option<String>,
    pub date_precision: DatePrecision,
    pub event: Option<String>,
    pub mode: Option<String>,
    pub context: Vec<String>,
    pub actor: Option<String>,
    pub actor_agent: Option<String>,
    pub actor_text: String,
    pub recipient: Option<String>,
    pub recipient_agent: Option<String>,
    pub recipient_text: Option<String>,
    pub event_text: String,
    pub location: Option<Location>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub doc_id: String,
    pub num_mentions: i64,
    pub cameo: String,
    pub goldstein: f64,
    pub quad_class: u8,
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl PloverEvent {
    /// The record of a cluster (its representative mention, dated with the cluster's date).
    pub fn from_cluster(c: &ClusterRow) -> Self {
        let mut p = Self::from_event(&c.event);
        p.id = c.id.to_string();
        p.cluster_id = c.id;
        if c.date.is_some() {
            p.date = c.date.clone();
            p.date_precision = c.date_precision;
        }
        p.url = non_empty(c.source_url.as_deref());
        p.source = non_empty(c.source.as_deref()).or_else(|| c.source_url.as_deref().and_then(url_host));
        if !c.doc_id.is_empty() {
            p.doc_id = c.doc_id.clone();
        }
        p.num_mentions = c.num_mentions;
        p
    }

    /// The record of one mention.
    pub fn from_mention(r: &EventRow) -> Self {
        let mut p = Self::from_event(&r.event);
        p.cluster_id = r.cluster_id;
        p.source = non_empty(Some(&source_name(r)));
        p.url = non_empty(r.doc.url.as_deref());
        if !r.doc.id.is_empty() {
            p.doc_id = r.doc.id.clone();
        }
        p.num_mentions = 1;
        p
    }

    fn from_event(e: &Event) -> Self {
        let info = lookup(&e.cameo);
        let kind = non_empty(Some(&e.plover.kind)).or_else(|| info.and_then(|i| non_empty(Some(i.kind))));
        let mode = if e.negated {
            Some("negation".to_string())
        } else if e.hypothetical {
            Some("hypothetical".to_string())
        } else {
            non_empty(e.plover.mode.as_deref())
        };
        let key = |a: &Actor| a.key().map(str::to_string);
        let agent = |a: &Actor| non_empty(a.sector.as_deref());
        PloverEvent {
            id: e.event_id.clone(),
            cluster_id: 0,
            date: e.date.clone(),
            date_precision: e.date_precision,
            event: kind,
            mode,
            context: plover_contexts(&e.cameo),
            actor: key(&e.source),
            actor_agent: agent(&e.source),
            actor_text: e.source.text.clone(),
            recipient: e.target.as_ref().and_then(key),
            recipient_agent: e.target.as_ref().and_then(agent),
            recipient_text: e.target.as_ref().map(|t| t.text.clone()),
            event_text: e.sentence.clone(),
            location: e.location.clone(),
            source: None,
            url: None,
            doc_id: e.doc_id.clone(),
            num_mentions: 1,
            cameo: e.cameo.clone(),
            goldstein: e.goldstein,
            quad_class: e.quad_class,
        }
    }
}

fn write_records<W: Write>(mut w: W, records: impl Iterator<Item = PloverEvent>) -> Result<usize, ExportError> {
    let mut n = 0;
    for p in records {
        serde_json::to_writer(&mut w, &p)?;
        w.write_all(b"\n")?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Writes one PLOVER JSON object per cluster, one per line; returns the number of lines.
///
/// ```
/// use dyad_export::{plover_jsonl, ClusterRow};
///
/// let mut c = ClusterRow { id: 5, num_mentions: 2, ..Default::default() };
/// c.event.cameo = "0311".into();
/// c.event.plover.kind = "AGREE".into();
/// c.event.negated = true;
/// let mut out = Vec::new();
/// plover_jsonl(&mut out, [&c]).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["id"], "5");
/// assert_eq!(v["event"], "AGREE");
/// assert_eq!(v["mode"], "negation");
/// assert_eq!(v["context"], serde_json::json!(["economic"]));
/// assert_eq!(v["num_mentions"], 2);
/// ```
pub fn plover_jsonl<W: Write, C: Borrow<ClusterRow>>(
    w: W,
    clusters: impl IntoIterator<Item = C>,
) -> Result<usize, ExportError> {
    write_records(w, clusters.into_iter().map(|c| PloverEvent::from_cluster(c.borrow())))
}

/// Writes one PLOVER JSON object per mention (event row), one per line; returns the number of
/// lines. `id` is the event's stable id and `cluster_id` ties mentions of one event together.
pub fn plover_mentions_jsonl<W: Write, R: Borrow<EventRow>>(
    w: W,
    events: impl IntoIterator<Item = R>,
) -> Result<usize, ExportError> {
    write_records(w, events.into_iter().map(|r| PloverEvent::from_mention(r.borrow())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses() {
        assert_eq!(lookup("036").map(|i| i.kind), Some("AGREE"));
        assert_eq!(plover_contexts("0313"), ["legal"]);
        assert!(plover_contexts("010").is_empty());
        // Unknown 4-digit code falls back to its base code.
        assert_eq!(lookup("0369").map(|i| i.kind), Some("AGREE"));
        assert!(table().values().any(|i| i.contexts.len() == 2));
    }
}
