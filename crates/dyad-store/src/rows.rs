//! Rows the store returns: plain data, shared with the exporters (`dyad-export`) and the HTTP API.

use dyad_core::Event;
use serde::{Deserialize, Serialize};

/// What the store keeps about a document besides its text.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocMeta {
    pub id: String,
    /// Hex SHA-256 of the document text: the same text is never coded twice.
    pub hash: String,
    /// The outlet that published it, when its input named one (`Document::source`).
    pub source: Option<String>,
    /// Where dyad read it: a path, a JSONL file and line, `stdin` (`Document::provenance`).
    #[serde(default)]
    pub provenance: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date `YYYY-MM-DD`, if known.
    pub date: Option<String>,
    /// When the document entered the store, RFC 3339 UTC.
    pub added: String,
}

/// One stored event (a *mention* in GDELT's terms) with its cluster and document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EventRow {
    /// Row id in the store.
    pub id: i64,
    /// The cluster (the real-world event) this mention belongs to.
    pub cluster_id: i64,
    pub event: Event,
    pub doc: DocMeta,
}

/// A cluster: one real-world event reported by one or more mentions.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ClusterRow {
    pub id: i64,
    /// The cluster's date (the most precise date among its mentions) and precision.
    pub date: Option<String>,
    pub date_precision: dyad_core::DatePrecision,
    /// A representative mention (the first one stored): actors, code, location, provenance.
    pub event: Event,
    /// Number of mentions (events) in the cluster.
    pub num_mentions: i64,
    /// Number of distinct sources (document `source`, else URL host, else document) among the
    /// mentions.
    pub num_sources: i64,
    /// Number of distinct documents among the mentions.
    pub num_articles: i64,
    /// When the first mention was stored, RFC 3339 UTC.
    pub added: String,
    /// URL of the first mention's document, if any.
    pub source_url: Option<String>,
    /// The outlet of the first mention's document (its `source`), if its input named one.
    #[serde(default)]
    pub source: Option<String>,
    pub doc_id: String,
}

/// One period of a dyad series, for one direction.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SeriesRow {
    /// `YYYY-MM` for monthly series (`YYYY` yearly, `YYYY-MM-DD` daily).
    pub period: String,
    /// Actor keys (country or org) of the direction: source → target.
    pub source: String,
    pub target: String,
    pub events: i64,
    /// Events by QuadClass 1..4.
    pub quad: [i64; 4],
    pub goldstein_sum: f64,
    pub goldstein_mean: f64,
}

/// A node of the actor network.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct NetworkNode {
    /// Actor key: ISO alpha-3 country or organisation id.
    pub id: String,
    /// Display name.
    pub label: String,
    /// `country` or `org`.
    pub kind: String,
    /// Events in which the actor takes part (as source or target).
    pub weight: i64,
}

/// A directed edge of the actor network: events from `source` to `target`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct NetworkEdge {
    pub source: String,
    pub target: String,
    pub events: i64,
    pub goldstein_mean: f64,
    /// Events by QuadClass 1..4.
    pub quad: [i64; 4],
}

/// The actor network of a period.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Network {
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
}
