//! Exporters for dyad's store: small printers from the store's row types to the formats other
//! tools read.
//!
//! Every exporter is a function (or, for Parquet, also a struct with `write`/`finish`) that takes
//! a writer and the rows, writes them out, flushes, and returns **how many records it wrote**.
//! Writers are taken by value, so pass `&mut w` (or `&mut Vec<u8>`) to keep using yours. Rows are
//! taken as `impl IntoIterator<Item = &Row>`, so a slice, a `Vec` or a lazy iterator over a
//! database cursor all work and nothing is collected behind your back.
//!
//! | Format | Function | Rows | Records |
//! |---|---|---|---|
//! | GDELT 2.0 Event table (TSV, 61 columns) | [`gdelt_events`] | [`ClusterRow`] | one per cluster |
//! | GDELT 2.0 Mentions table (TSV, 16 columns) | [`gdelt_mentions`] | [`EventRow`] | one per mention |
//! | PLOVER JSON lines | [`plover_jsonl`], [`plover_mentions_jsonl`] | [`ClusterRow`] / [`EventRow`] | one object per line |
//! | CSV (RFC 4180) | [`csv_events`] | [`EventRow`] | one row per mention, after a header |
//! | Apache Parquet (Snappy) | [`parquet_events`], [`ParquetEventWriter`] | [`EventRow`] | one row per mention |
//! | GraphML | [`graphml`] | [`Network`] | nodes + edges |
//! | GEXF 1.3 | [`gexf`] | [`Network`] | nodes + edges |
//! | node-link JSON | [`network_json`] | [`Network`] | nodes + edges |
//!
//! The row types ([`ClusterRow`], [`EventRow`], [`Network`]) are plain data defined by
//! `dyad-store`; this crate only reads them, so you can also build them by hand, as the examples
//! below do.
//!
//! # What dyad cannot fill (yet)
//!
//! Some GDELT columns need data dyad does not have; they are written the way GDELT writes a
//! value it does not know: tone (`AvgTone`, `MentionDocTone`) is 0, `MentionDocLen` is 0,
//! ethnic/religion/secondary type codes are empty, `Actor1Geo`/`Actor2Geo` are unlocated
//! (type 0) until actors are geocoded, and geographic country codes are dyad's ISO alpha-3
//! rather than GDELT's FIPS 10-4. See [`gdelt`] for the column-by-column mapping.
//!
//! # Example: GDELT, PLOVER and CSV from rows built by hand
//!
//! ```
//! use dyad_core::{Actor, Event};
//! use dyad_export::{csv_events, gdelt_events, plover_jsonl, ClusterRow, EventRow};
//!
//! let event = Event {
//!     event_id: "e1".into(),
//!     doc_id: "doc-1".into(),
//!     sentence: "Azerbaijan met Turkey.".into(),
//!     date: Some("2024-03-05".into()),
//!     source: Actor { text: "Azerbaijan".into(), code: "AZE".into(), country: Some("AZE".into()), ..Default::default() },
//!     target: Some(Actor { text: "Turkey".into(), code: "TUR".into(), country: Some("TUR".into()), ..Default::default() }),
//!     cameo: "036".into(),
//!     root: "03".into(),
//!     goldstein: 4.0,
//!     quad_class: 1,
//!     ..Default::default()
//! };
//! let cluster = ClusterRow {
//!     id: 7,
//!     date: event.date.clone(),
//!     date_precision: dyad_core::DatePrecision::Day,
//!     event: event.clone(),
//!     num_mentions: 1,
//!     num_sources: 1,
//!     num_articles: 1,
//!     added: "2024-03-06T10:15:00Z".into(),
//!     source_url: Some("https://news.example/a".into()),
//!     source: Some("Example News".into()),
//!     doc_id: "doc-1".into(),
//! };
//!
//! // GDELT: 61 tab-separated columns, no header.
//! let mut out = Vec::new();
//! assert_eq!(gdelt_events(&mut out, [&cluster]).unwrap(), 1);
//! let line = String::from_utf8(out).unwrap();
//! let cols: Vec<&str> = line.trim_end_matches('\n').split('\t').collect();
//! assert_eq!(cols.len(), 61);
//! assert_eq!(cols[1], "20240305"); // SQLDATE
//! assert_eq!(cols[26], "036"); // EventCode
//! assert_eq!(cols[60], "https://news.example/a"); // SOURCEURL
//!
//! // PLOVER: one JSON object per line.
//! let mut out = Vec::new();
//! plover_jsonl(&mut out, [&cluster]).unwrap();
//! let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(v["event"], "AGREE"); // CAMEO 036 → PLOVER AGREE (from cameo.tsv)
//! assert_eq!(v["actor"], "AZE");
//!
//! // CSV: a header, then one row per mention.
//! let row = EventRow { id: 1, cluster_id: 7, event, ..Default::default() };
//! let mut out = Vec::new();
//! assert_eq!(csv_events(&mut out, [&row]).unwrap(), 1);
//! assert!(String::from_utf8(out).unwrap().starts_with("event_id,doc_id,"));
//! ```
//!
//! # Example: a network as GraphML
//!
//! ```
//! use dyad_export::{graphml, Network, NetworkEdge, NetworkNode};
//!
//! let net = Network {
//!     nodes: vec![
//!         NetworkNode { id: "AZE".into(), label: "Azerbaijan".into(), kind: "country".into(), weight: 3 },
//!         NetworkNode { id: "ARM".into(), label: "Armenia".into(), kind: "country".into(), weight: 2 },
//!     ],
//!     edges: vec![NetworkEdge {
//!         source: "AZE".into(),
//!         target: "ARM".into(),
//!         events: 2,
//!         goldstein_mean: -2.5,
//!         quad: [0, 0, 1, 1],
//!     }],
//! };
//! let mut out = Vec::new();
//! assert_eq!(graphml(&mut out, &net).unwrap(), 3); // 2 nodes + 1 edge
//! let xml = String::from_utf8(out).unwrap();
//! assert!(xml.contains(r#"<edge id="e0" source="AZE" target="ARM">"#));
//! ```

pub mod csv;
pub mod gdelt;
pub mod network;
pub mod parquet;
pub mod plover;
mod util;

pub use crate::csv::{csv_events, CSV_COLUMNS};
pub use crate::gdelt::{
    gdelt_events, gdelt_events_header, gdelt_mentions, gdelt_mentions_header, GDELT_EVENT_COLUMNS,
    GDELT_MENTION_COLUMNS,
};
pub use crate::network::{gexf, graphml, network_json};
pub use crate::parquet::{parquet_events, parquet_events_file, ParquetEventWriter, ROW_GROUP_ROWS};
pub use crate::plover::{plover_jsonl, plover_mentions_jsonl, PloverEvent};
pub use dyad_store::{ClusterRow, DocMeta, EventRow, Network, NetworkEdge, NetworkNode};

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing to the output failed.
    #[error("export: write failed: {0}")]
    Io(#[from] std::io::Error),
    /// Serialising a JSON record failed.
    #[error("export: JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Building an Arrow record batch failed (a bug: the schema and the columns disagree).
    #[error("export: Arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The Parquet writer failed (this includes I/O errors while writing the file).
    #[error("export: Parquet: {0}")]
    Parquet(#[from] ::parquet::errors::ParquetError),
}
