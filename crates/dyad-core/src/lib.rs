//! Shared data types of the dyad pipeline.
//!
//! Every stage of dyad speaks in these types: `dyad-ingest` produces [`Document`]s,
//! `dyad-coder` turns a document into [`Event`]s, printers serialise events, and
//! `dyad-eval` reads them back. Keeping them in one small crate keeps the stages
//! decoupled: a stage depends on `dyad-core`, not on the stage before it.
//!
//! # Offsets
//! All offsets in an [`Event`] are **character offsets** (Unicode scalar values) into the
//! *original* document text, half-open `[start, end)`. That is what Python's `str`
//! slicing and most annotation tools expect. Internally the pipeline works in byte
//! offsets; the conversion happens once, when an event is built.

use serde::{Deserialize, Serialize};

/// A document to be coded: one article, report or text file.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Document {
    /// Stable identifier: file name without extension, or the id field of a JSONL record.
    pub id: String,
    /// The raw text, exactly as read (after lossy UTF-8 decoding if needed).
    pub text: String,
    /// Publication date, if the input gives one. Anchors relative dates ("yesterday").
    pub date: Option<chrono::NaiveDate>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The outlet that published the document ("Reuters", "example-wire"), when the input names
    /// one: a JSONL record's `source` field. Events reported by several outlets count once per
    /// outlet in a store's `num_sources`.
    pub source: Option<String>,
    /// Where dyad read the document: a file path, `stdin`, or a JSONL file and line
    /// (`news.jsonl:12`). For a person checking an event; not an outlet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
}

/// The name an outlet's URL is known by: the host, lower-cased, without user info, port or a
/// leading `www.`. A URL without a scheme counts when its first part looks like a host name
/// (has a dot). `None` when there is no host.
///
/// ```
/// use dyad_core::url_host;
/// assert_eq!(url_host("https://www.Reuters.com/world/x?y").as_deref(), Some("reuters.com"));
/// assert_eq!(url_host("http://user:pw@news.example.org:8080/").as_deref(), Some("news.example.org"));
/// assert_eq!(url_host("apa.az/en/politics/123").as_deref(), Some("apa.az"));
/// assert_eq!(url_host("http://[::1]:80/x").as_deref(), Some("::1"));
/// assert_eq!(url_host("doc-17"), None);
/// assert_eq!(url_host("https:///path"), None);
/// ```
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    let (rest, schemed) = match url.split_once("://") {
        Some((_, rest)) => (rest, true),
        None => (url, false),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map(|(_, h)| h).unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split_once(']').map(|(h, _)| h).unwrap_or(v6)
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    if host.is_empty() || host.contains(char::is_whitespace) || (!schemed && !host.contains('.')) {
        return None;
    }
    let host = host.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_string).unwrap_or(host))
}

/// How precise a resolved date is.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    #[default]
    None,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::None => "none",
        }
    }
}

/// One side of an event, as it was recognised in the text.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Actor {
    /// The surface text of the actor phrase.
    pub text: String,
    /// A CAMEO-style actor code: country or org followed by sector, e.g. `AZEGOV`, `EU`, `USAMIL`.
    pub code: String,
    /// ISO 3166-1 alpha-3 country code, or `None` for organisations and unknown actors.
    pub country: Option<String>,
    /// Short id of an international organisation (`UN`, `EU`, `OTS`...), if the actor is one.
    pub org: Option<String>,
    /// CAMEO sector / agent type (`GOV`, `MIL`, `REB`, `OPP`, `BUS`...), if known.
    pub sector: Option<String>,
    /// Name of a person, when the phrase names one ("Ilham Aliyev").
    pub name: Option<String>,
    /// Whether the dictionaries know `name`. A role phrase attaches to its country even when the
    /// person is unknown ("Azerbaijan's Energy Minister Parviz Shabazov"); such names are
    /// reported by `dyad actors --unknown` rather than dropped.
    #[serde(default)]
    pub name_known: bool,
}

impl Actor {
    /// The key an event dyad is grouped by: country, else org, else code.
    pub fn key(&self) -> Option<&str> {
        self.country.as_deref().or(self.org.as_deref()).or(if self.code.is_empty() {
            None
        } else {
            Some(self.code.as_str())
        })
    }
}

/// Character-offset spans of the parts of an event in its document.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Offsets {
    pub source: Option<[usize; 2]>,
    pub target: Option<[usize; 2]>,
    pub trigger: [usize; 2],
}

/// PLOVER event type and mode for a CAMEO code.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Plover {
    #[serde(rename = "type")]
    pub kind: String,
    pub mode: Option<String>,
}

/// Where an event happened.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Location {
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Name of the first-level region (a US state, a province), when the place lies in one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// GDELT's ADM1 code: FIPS 10-4 country code and region code (`"AJ09"`, `"USTX"`); the
    /// country code alone for a country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adm1_code: Option<String>,
    /// FIPS 10-4 country code, as GDELT's geo fields write countries (`"AJ"` for Azerbaijan).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_fips: Option<String>,
    /// GDELT geo type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo_type: Option<u8>,
    /// GeoNames id of a populated place; the ADM1 or country code for a region or country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_id: Option<String>,
}

/// One coded event: who did what to whom, when and where, with its provenance.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Stable id: a hash of document, sentence, trigger offset, dyad and code.
    pub event_id: String,
    pub doc_id: String,
    /// 0-based index of the sentence in the document.
    pub sentence_index: usize,
    pub sentence: String,
    pub offsets: Offsets,
    /// ISO date: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `--MM-DD` when the year is unknown.
    pub date: Option<String>,
    pub date_precision: DatePrecision,
    /// Where the date came from: `sentence`, `context` (an earlier sentence of the paragraph),
    /// `document` (the document's own date) or `none`.
    pub date_source: String,
    pub source: Actor,
    pub target: Option<Actor>,
    /// Full CAMEO code, e.g. `"057"`, `"0311"`.
    pub cameo: String,
    /// CAMEO root, the first two digits: `"05"`.
    pub root: String,
    pub goldstein: f64,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    pub plover: Plover,
    pub location: Option<Location>,
    pub negated: bool,
    pub hypothetical: bool,
    /// The event is the same in both directions (meet, sign, fight).
    pub symmetric: bool,
    /// Stable id of the rule that fired, e.g. `meet.with`.
    pub rule: String,
}
