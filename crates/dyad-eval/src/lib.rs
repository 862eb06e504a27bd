//! Scores coded events against a gold file of document-level event tuples: a faithful Rust
//! port of `score_events.py`, down to its output format.
//!
//! # How scoring works
//!
//! * **Gold** lines ([`GoldEvent`]) name a document, an actor pair `a`/`b`, the CAMEO roots
//!   that count, whether the event is symmetric, and optionally a date (`YYYY-MM-DD`,
//!   `YYYY-MM`, `YYYY` or `--MM-DD`).
//! * **Predictions** ([`PredEvent`]) are coded events. Negated and hypothetical ones are left
//!   out, as are events in documents the gold file does not name, and events whose actors
//!   are missing or equal.
//! * Predictions are grouped into **clusters**, one per `(doc, a, b, root, date)`, sorted.
//! * A cluster **fits** a gold event when doc and pair agree and its root is among the gold
//!   roots; the reversed pair fits too when the gold event is `sym` *or* the root is one of
//!   the inherently symmetric roots [`SYM_ROOTS`] (consult, meet, cooperate, fight...).
//! * Matching is **one-to-one** and greedy: required gold events (not `date_only`, not
//!   `optional`), dated ones first, take the first fitting cluster on a compatible date; then
//!   the rest take any fitting cluster.
//! * **Recall** = matched / required gold. **Precision** = matched / (matched + extra), where
//!   *extra* clusters fit no gold line at all (a leftover cluster that fits one is another
//!   mention of a found event, not an error). **Date accuracy** = dated, non-optional gold
//!   events with some fitting cluster on a compatible date.
//!
//! # Example
//!
//! ```
//! use dyad_eval::{score, GoldEvent, PredEvent};
//! use serde_json::json;
//!
//! let gold: GoldEvent = serde_json::from_value(json!({
//!     "doc": "d1", "a": "AZE", "b": "TUR", "roots": ["05", "06"], "sym": true,
//!     "date": "2021-06-15", "note": "Shusha Declaration"
//! })).unwrap();
//! // Coded the other way round, with a full CAMEO code and an org-less country key.
//! let pred = PredEvent::from_value(&json!({
//!     "doc_id": "d1", "source": {"country": "tur"}, "target": {"code": "AZEGOV", "country": "AZE"},
//!     "cameo": "057", "date": "2021-06-15"
//! })).unwrap();
//! assert_eq!((pred.a.as_str(), pred.b.as_str(), pred.root.as_str()), ("TUR", "AZE", "05"));
//!
//! let report = score(&[gold], &[pred]);
//! assert_eq!(report.matched, 1);
//! assert_eq!(report.f1, 1.0);
//! assert_eq!(
//!     report.to_string(),
//!     "events: gold 1, predicted clusters 1, matched 1\n\
//!      precision 1.000 recall 1.000 F1 1.000 date-accuracy 1.000 (1/1)\n"
//! );
//! ```

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// CAMEO roots whose events read the same both ways (consult, engage, cooperate, fight,
/// mass violence...): a reversed pair fits a gold event with one of these roots even when the
/// gold line is not marked `sym`.
pub const SYM_ROOTS: [&str; 6] = ["03", "04", "05", "06", "19", "20"];

/// One line of the gold file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GoldEvent {
    pub doc: String,
    pub a: String,
    pub b: String,
    /// CAMEO roots that count as this event.
    pub roots: Vec<String>,
    /// The event reads the same both ways. (Any JSON value, taken by Python truthiness.)
    #[serde(default, deserialize_with = "truthy")]
    pub sym: bool,
    /// `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `--MM-DD`; `None` (or empty) when undated.
    #[serde(default)]
    pub date: Option<String>,
    /// Only counts for date accuracy, not for precision/recall.
    #[serde(default, deserialize_with = "truthy")]
    pub date_only: bool,
    /// May or may not be coded: neither required nor an error.
    #[serde(default, deserialize_with = "truthy")]
    pub optional: bool,
    /// Human description, printed for missed events.
    #[serde(default, deserialize_with = "note")]
    pub note: Option<String>,
}

impl GoldEvent {
    fn dated(&self) -> Option<&str> {
        self.date.as_deref().filter(|d| !d.is_empty())
    }
    /// What a `missed:` line shows: the note (the Python's `str(g["note"])`), or
    /// `doc a b` when the gold line has none (where the Python would fail).
    fn missed_label(&self) -> String {
        match &self.note {
            Some(n) => n.clone(),
            None => format!("{} {} {}", self.doc, self.a, self.b),
        }
    }
}

/// Python truthiness of a JSON value.
fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().map(|f| f != 0.0).unwrap_or(true),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python `str()` of a JSON scalar (containers as compact JSON).
fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn truthy<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(is_truthy(&Value::deserialize(d)?))
}

fn note<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(py_str(&Value::deserialize(d)?)))
}

/// One prediction, reduced to what scoring looks at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PredEvent {
    pub doc: String,
    /// Source key: first non-empty of country, org, code, upper-cased.
    pub a: String,
    /// Target key, likewise.
    pub b: String,
    /// `root`, else `cameo`, cut to its first two characters.
    pub root: String,
    pub date: Option<String>,
}

/// The actor key of a prediction side: first truthy of country, org, code, upper-cased.
fn actor_key(actor: Option<&Value>) -> Option<String> {
    let obj = actor?.as_object()?;
    ["country", "org", "code"]
        .iter()
        .filter_map(|f| obj.get(*f))
        .find(|v| is_truthy(v))
        .map(|v| py_str(v).to_uppercase())
}

impl PredEvent {
    /// Builds a prediction from one line of coded-event JSON, the way the Python does, or
    /// `None` where it leaves the line out: negated or hypothetical events, no document id
    /// (`doc_id`, else `doc`; it must be a string to ever name a gold document), a missing
    /// source or target key, or the same key on both sides. (Documents not in the gold file
    /// are dropped later, by [`score`].)
    ///
    /// ```
    /// use dyad_eval::PredEvent;
    /// use serde_json::json;
    /// let p = PredEvent::from_value(&json!({"doc": "d", "source": {"country": null, "org": "un"},
    ///     "target": {"code": "usagov"}, "root": "042"})).unwrap();
    /// assert_eq!((p.a.as_str(), p.b.as_str(), p.root.as_str(), p.date), ("UN", "USAGOV", "04", None));
    /// assert!(PredEvent::from_value(&json!({"doc": "d", "source": {"country": "USA"},
    ///     "target": {"country": "RUS"}, "cameo": "190", "negated": true})).is_none());
    /// ```
    pub fn from_value(e: &Value) -> Option<PredEvent> {
        let get = |k: &str| e.get(k).filter(|v| is_truthy(v));
        if get("negated").is_some() || get("hypothetical").is_some() {
            return None;
        }
        let doc = get("doc_id").or_else(|| get("doc"))?.as_str()?.to_string();
        let root_v = get("root").or_else(|| get("cameo"));
        let root: String = root_v.map(py_str).unwrap_or_default().chars().take(2).collect();
        let a = actor_key(e.get("source"))?;
        let b = actor_key(e.get("target"))?;
        if a == b {
            return None;
        }
        let date = match e.get("date") {
            None | Some(Value::Null) => None,
            Some(v) => Some(py_str(v)),
        };
        Some(PredEvent { doc, a, b, root, date })
    }
}

/// Errors reading gold or prediction files.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}: {source}")]
    Json { path: String, line: usize, source: serde_json::Error },
    #[error("{path}:{line}: expected a JSON object")]
    NotObject { path: String, line: usize },
}

/// Calls `f` with (line number, line) for every non-blank line of `path`.
fn for_lines(path: &Path, mut f: impl FnMut(usize, &str) -> Result<(), EvalError>) -> Result<(), EvalError> {
    let p = path.display().to_string();
    let file = File::open(path).map_err(|source| EvalError::Io { path: p.clone(), source })?;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| EvalError::Io { path: p.clone(), source })?;
        if line.trim().is_empty() {
            continue;
        }
        f(i + 1, &line)?;
    }
    Ok(())
}

/// Reads a gold file: one JSON object per non-blank line.
pub fn load_gold(path: impl AsRef<Path>) -> Result<Vec<GoldEvent>, EvalError> {
    let path = path.as_ref();
    let mut out = Vec::new();
    for_lines(path, |line, text| {
        let g = serde_json::from_str(text).map_err(|source| EvalError::Json {
            path: path.display().to_string(),
            line,
            source,
        })?;
        out.push(g);
        Ok(())
    })?;
    Ok(out)
}

/// Reads a predictions file (coded events as JSON Lines), keeping the lines
/// [`PredEvent::from_value`] keeps. A malformed line is an error naming file and line.
pub fn load_predictions(path: impl AsRef<Path>) -> Result<Vec<PredEvent>, EvalError> {
    let path = path.as_ref();
    let mut out = Vec::new();
    for_lines(path, |line, text| {
        let v: Value = serde_json::from_str(text).map_err(|source| EvalError::Json {
            path: path.display().to_string(),
            line,
            source,
        })?;
        if !v.is_object() {
            return Err(EvalError::NotObject { path: path.display().to_string(), line });
        }
        out.extend(PredEvent::from_value(&v));
        Ok(())
    })?;
    Ok(out)
}

/// A parsed date: (year, month, day), any part possibly unknown.
type Ymd = (Option<u32>, Option<u32>, Option<u32>);

fn digits(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `--MM-DD`, or `YYYY[-MM[-DD]]` on the first ten characters.
fn parse_date(s: &str) -> Option<Ymd> {
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.strip_prefix("--") {
        if rest.len() == 5 && rest.as_bytes()[2] == b'-' {
            if let (Some(m), Some(d)) = (rest.get(..2).and_then(digits), rest.get(3..).and_then(digits)) {
                return Some((None, Some(m), Some(d)));
            }
        }
    }
    let head: String = s.chars().take(10).collect();
    let parts: Vec<&str> = head.split('-').collect();
    let ok_len = |p: &str, n: usize| p.len() == n && digits(p).is_some();
    match parts.as_slice() {
        [y] if ok_len(y, 4) => Some((digits(y), None, None)),
        [y, m] if ok_len(y, 4) && ok_len(m, 2) => Some((digits(y), digits(m), None)),
        [y, m, d] if ok_len(y, 4) && ok_len(m, 2) && ok_len(d, 2) => Some((digits(y), digits(m), digits(d))),
        _ => None,
    }
}

/// Is the predicted date compatible with the gold one (every part gold knows agrees)?
///
/// ```
/// use dyad_eval::date_ok;
/// assert!(date_ok("--10-02", "2025-10-02"));
/// assert!(date_ok("2022", "2022-02-24"));
/// assert!(date_ok("2024-05", "2024-05-01T10:00:00Z"));
/// assert!(!date_ok("2022-02-24", "2022"));
/// assert!(!date_ok("2022", ""));
/// ```
pub fn date_ok(gold: &str, pred: &str) -> bool {
    match (parse_date(gold), parse_date(pred)) {
        (Some(g), Some(p)) => {
            (g.0.is_none() || g.0 == p.0) && (g.1.is_none() || g.1 == p.1) && (g.2.is_none() || g.2 == p.2)
        }
        _ => false,
    }
}

/// A cluster of predictions: (doc, a, b, root, date or "").
type Cluster = (String, String, String, String, String);

fn matches(g: &GoldEvent, c: &Cluster) -> bool {
    let (d, a, b, r, _) = c;
    if *d != g.doc || !g.roots.iter().any(|x| x == r) {
        return false;
    }
    if *a == g.a && *b == g.b {
        return true;
    }
    (g.sym || SYM_ROOTS.contains(&r.as_str())) && *b == g.a && *a == g.b
}

/// The outcome of [`score`]. `Display` prints it exactly as `score_events.py` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Required gold events (neither `date_only` nor `optional`).
    pub n_gold: usize,
    /// Prediction clusters in gold documents.
    pub n_clusters: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub date_hits: usize,
    /// Dated, non-optional gold events.
    pub n_dated: usize,
    pub date_accuracy: f64,
    /// Notes of required gold events left unmatched, dated ones first.
    pub missed: Vec<String>,
    /// Clusters that fit no gold event: (doc, a, b, root, date or "").
    pub extra: Vec<(String, String, String, String, String)>,
}

/// Scores predictions against gold; see the crate docs for the rules.
pub fn score(gold: &[GoldEvent], preds: &[PredEvent]) -> Report {
    let docs: HashSet<&str> = gold.iter().map(|g| g.doc.as_str()).collect();
    let clusters: Vec<Cluster> = preds
        .iter()
        .filter(|p| docs.contains(p.doc.as_str()))
        .map(|p| (p.doc.clone(), p.a.clone(), p.b.clone(), p.root.clone(), p.date.clone().unwrap_or_default()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut order: Vec<usize> = (0..gold.len()).filter(|&i| !gold[i].date_only && !gold[i].optional).collect();
    order.sort_by_key(|&i| gold[i].dated().is_none()); // stable: dated first

    let mut used = vec![false; clusters.len()];
    let mut found: Vec<Option<usize>> = vec![None; gold.len()];
    for pass in 0..2 {
        for &i in &order {
            if found[i].is_some() {
                continue;
            }
            let g = &gold[i];
            for (ci, c) in clusters.iter().enumerate() {
                if used[ci] || !matches(g, c) {
                    continue;
                }
                if pass == 0 && !g.dated().is_some_and(|d| date_ok(d, &c.4)) {
                    continue;
                }
                used[ci] = true;
                found[i] = Some(ci);
                break;
            }
        }
    }
    let tp = found.iter().filter(|f| f.is_some()).count();
    let extra: Vec<Cluster> = clusters
        .iter()
        .enumerate()
        .filter(|(ci, c)| !used[*ci] && !gold.iter().any(|g| matches(g, c)))
        .map(|(_, c)| c.clone())
        .collect();
    let n_gold = order.len();
    let precision = if tp + extra.len() > 0 { tp as f64 / (tp + extra.len()) as f64 } else { 0.0 };
    let recall = if n_gold > 0 { tp as f64 / n_gold as f64 } else { 0.0 };
    let f1 = if precision + recall != 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    let dated: Vec<&GoldEvent> = gold.iter().filter(|g| g.dated().is_some() && !g.optional).collect();
    let date_hits = dated
        .iter()
        .filter(|g| {
            let d = g.dated().unwrap_or_default();
            clusters.iter().any(|c| matches(g, c) && date_ok(d, &c.4))
        })
        .count();
    let date_accuracy = if dated.is_empty() { 0.0 } else { date_hits as f64 / dated.len() as f64 };
    let missed = order.iter().filter(|&&i| found[i].is_none()).map(|&i| gold[i].missed_label()).collect();
    Report {
        n_gold,
        n_clusters: clusters.len(),
        matched: tp,
        precision,
        recall,
        f1,
        date_hits,
        n_dated: dated.len(),
        date_accuracy,
        missed,
        extra,
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.missed {
            writeln!(f, "missed: {m}")?;
        }
        for (d, a, b, r, dt) in &self.extra {
            writeln!(f, "extra: {d} {a} {b} {r} {dt}")?;
        }
        writeln!(f, "events: gold {}, predicted clusters {}, matched {}", self.n_gold, self.n_clusters, self.matched)?;
        writeln!(
            f,
            "precision {:.3} recall {:.3} F1 {:.3} date-accuracy {:.3} ({}/{})",
            self.precision, self.recall, self.f1, self.date_accuracy, self.date_hits, self.n_dated
        )
    }
}
