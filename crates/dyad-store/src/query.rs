//! Reading: event and cluster queries, dyad series, top lists, the actor network, full-text
//! search, documents, and read-only SQL.

use crate::ingest::read_document;
use crate::rows::*;
use crate::{classify, Result, Store, StoreError};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Filters for [`Store::events`] and [`Store::clusters`]. Every field narrows the result;
/// `Default` matches everything factual, 100 rows.
///
/// Dates (`since`, `until`) are `YYYY`, `YYYY-MM` or `YYYY-MM-DD` and compare on the event date
/// string's prefix: `until: "2021"` keeps every date of 2021, `since: "2021-06"` starts with June.
/// Events with no year (`--MM-DD`) or no date never pass a date bound.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct EventQuery {
    /// Source or target key (country, else org, else code).
    pub actor: Option<String>,
    /// Both keys, in either direction.
    pub dyad: Option<(String, String)>,
    /// Source or target country (ISO alpha-3).
    pub country: Option<String>,
    /// Source or target organisation id.
    pub org: Option<String>,
    /// CAMEO roots (`"14"`, `"19"`); empty = all.
    pub roots: Vec<String>,
    /// CAMEO code prefix (`"05"`, `"057"`).
    pub cameo_prefix: Option<String>,
    /// PLOVER type (`"CONSULT"`).
    pub plover_type: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Words the sentence must contain (full-text match; any input is safe).
    pub text: Option<String>,
    pub include_negated: bool,
    pub include_hypothetical: bool,
    /// One row per cluster: its first mention.
    pub clusters_only: bool,
    pub limit: usize,
    pub offset: usize,
}

impl Default for EventQuery {
    fn default() -> Self {
        EventQuery {
            actor: None,
            dyad: None,
            country: None,
            org: None,
            roots: Vec::new(),
            cameo_prefix: None,
            plover_type: None,
            since: None,
            until: None,
            text: None,
            include_negated: false,
            include_hypothetical: false,
            clusters_only: false,
            limit: 100,
            offset: 0,
        }
    }
}

/// Rows read from a store a page at a time, in the order of a list of ids taken up front (see
/// [`Store::events_paged`]). Yields each row, or the error that ended the reading.
pub struct Paged<'s, T> {
    store: &'s Store,
    ids: Vec<i64>,
    next: usize,
    page: usize,
    fetch: fn(&Store, &[i64]) -> Result<Vec<T>>,
    rows: std::vec::IntoIter<T>,
}

impl<'s, T> Paged<'s, T> {
    fn new(store: &'s Store, ids: Vec<i64>, page: usize, fetch: fn(&Store, &[i64]) -> Result<Vec<T>>) -> Self {
        Paged { store, ids, next: 0, page: page.max(1), fetch, rows: Vec::new().into_iter() }
    }

    /// How many rows it yields in all (fewer if some are removed while it reads).
    pub fn total(&self) -> usize {
        self.ids.len()
    }
}

impl<T> Iterator for Paged<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(row) = self.rows.next() {
                return Some(Ok(row));
            }
            if self.next >= self.ids.len() {
                return None;
            }
            let end = (self.next + self.page).min(self.ids.len());
            let fetched = (self.fetch)(self.store, &self.ids[self.next..end]);
            self.next = end;
            match fetched {
                Ok(rows) => self.rows = rows.into_iter(),
                Err(e) => {
                    // nothing more after an error
                    self.next = self.ids.len();
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The bucket of a [`Store::series`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// `YYYY-MM-DD`, from events with a full date.
    Day,
    /// ISO week `YYYY-Www`, from events with a full date.
    Week,
    /// `YYYY-MM`, from the `dyad_month` rollup.
    Month,
    /// `YYYY`, from the `dyad_month` rollup.
    Year,
}

/// One sentence found by [`Store::search`], with the events coded in it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SearchHit {
    pub doc_id: String,
    pub sentence_index: usize,
    pub sentence: String,
    /// The sentence around the matches, matched words in `[brackets]`.
    pub snippet: String,
    pub events: Vec<EventRow>,
}

/// One actor of [`Store::top_actors`].
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ActorRow {
    pub key: String,
    pub label: String,
    /// `country`, `org` or `code`.
    pub kind: String,
    /// Events the actor takes part in (a self-dyad counts once).
    pub events: i64,
    pub as_source: i64,
    pub as_target: i64,
}

/// Turns arbitrary user text into a safe FTS5 query: every whitespace-separated word becomes
/// a quoted string (quotes doubled), all of them required. Words without a letter or digit are
/// dropped. `None` when nothing searchable is left.
///
/// ```
/// assert_eq!(dyad_store::fts_query(r#"say "no" AND *"#).as_deref(), Some(r#""say" """no""" "AND""#));
/// assert_eq!(dyad_store::fts_query("* -- ()"), None);
/// ```
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Upper bound for a prefix comparison: every string starting with `s` sorts below `s~`.
fn upper(s: &str) -> String {
    format!("{s}~")
}

const EVENT_COLUMNS: &str =
    "e.id, e.cluster_id, e.json, s.text, d.id, d.hash, d.source, d.url, d.title, d.date, d.added,
     e.event_id, e.sentence_index, e.date, e.date_precision, e.cameo, e.root, e.goldstein, e.quad_class,
     e.negated, e.hypothetical, e.symmetric, e.rule, e.trigger_start, e.trigger_end,
     e.source_start, e.source_end, e.target_start, e.target_end,
     e.source_text, e.source_code, e.source_country, e.source_org, e.source_sector, e.source_name,
     e.target_text, e.target_code, e.target_country, e.target_org, e.target_sector, e.target_name,
     e.plover_type, e.plover_mode, d.provenance";
const EVENT_FROM: &str = "events e JOIN documents d ON d.id = e.doc_id
     LEFT JOIN sentences s ON s.id = d.sentence_first + e.sentence_index AND e.sentence_index < d.sentence_count";

/// One `events` row as read: its ids, the JSON remainder, the stored sentence, the document and
/// the event fields that live in columns (see `ingest::COLUMN_FIELDS`).
struct RawEvent {
    id: i64,
    cluster_id: i64,
    json: String,
    sentence: Option<String>,
    doc: DocMeta,
    columns: serde_json::Map<String, serde_json::Value>,
}

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEvent> {
    use serde_json::Value as J;
    let doc_id: String = r.get(4)?;
    let span = |a: usize, b: usize| -> rusqlite::Result<J> {
        Ok(match (r.get::<_, Option<i64>>(a)?, r.get::<_, Option<i64>>(b)?) {
            (Some(x), Some(y)) => J::from(vec![x, y]),
            _ => J::Null,
        })
    };
    let mut offsets = serde_json::Map::new();
    offsets.insert("source".into(), span(25, 26)?);
    offsets.insert("target".into(), span(27, 28)?);
    offsets.insert("trigger".into(), span(23, 24)?);
    let mut c = serde_json::Map::new();
    c.insert("event_id".into(), J::from(r.get::<_, String>(11)?));
    c.insert("doc_id".into(), J::from(doc_id.clone()));
    c.insert("sentence_index".into(), J::from(r.get::<_, i64>(12)?));
    c.insert("date".into(), r.get::<_, Option<String>>(13)?.map_or(J::Null, J::from));
    c.insert("date_precision".into(), J::from(r.get::<_, String>(14)?));
    c.insert("cameo".into(), J::from(r.get::<_, String>(15)?));
    c.insert("root".into(), J::from(r.get::<_, String>(16)?));
    c.insert("goldstein".into(), J::from(r.get::<_, f64>(17)?));
    c.insert("quad_class".into(), J::from(r.get::<_, i64>(18)?));
    c.insert("negated".into(), J::from(r.get::<_, bool>(19)?));
    c.insert("hypothetical".into(), J::from(r.get::<_, bool>(20)?));
    c.insert("symmetric".into(), J::from(r.get::<_, bool>(21)?));
    c.insert("rule".into(), J::from(r.get::<_, String>(22)?));
    c.insert("offsets".into(), J::Object(offsets));
    // The actors' column fields (`ingest::ACTOR_COLUMN_FIELDS`, in that order from column 29);
    // no target code (the second of them), no target.
    let actor = |first: usize| -> rusqlite::Result<J> {
        if r.get::<_, Option<String>>(first + 1)?.is_none() {
            return Ok(J::Null);
        }
        let mut a = serde_json::Map::new();
        for (i, field) in crate::ingest::ACTOR_COLUMN_FIELDS.iter().enumerate() {
            a.insert((*field).into(), r.get::<_, Option<String>>(first + i)?.map_or(J::Null, J::from));
        }
        Ok(J::Object(a))
    };
    c.insert("source".into(), actor(29)?);
    c.insert("target".into(), actor(35)?);
    let mut plover = serde_json::Map::new();
    plover.insert("type".into(), J::from(r.get::<_, Option<String>>(41)?.unwrap_or_default()));
    plover.insert("mode".into(), r.get::<_, Option<String>>(42)?.map_or(J::Null, J::from));
    c.insert("plover".into(), J::Object(plover));
    Ok(RawEvent {
        id: r.get(0)?,
        cluster_id: r.get(1)?,
        json: r.get(2)?,
        sentence: r.get(3)?,
        doc: DocMeta {
            id: doc_id,
            hash: r.get(5)?,
            source: r.get(6)?,
            url: r.get(7)?,
            title: r.get(8)?,
            date: r.get(9)?,
            added: r.get(10)?,
            provenance: r.get(43)?,
        },
        columns: c,
    })
}

fn finish_event_row(raw: RawEvent) -> Result<EventRow> {
    let RawEvent { id, cluster_id, json, sentence, doc, columns } = raw;
    let mut v: serde_json::Value = serde_json::from_str(&json)?;
    if let Some(o) = v.as_object_mut() {
        for (k, val) in columns {
            match (o.get_mut(&k), val) {
                // an actor: its JSON part (or, in older stores, the whole actor) with the
                // column fields filled in
                (Some(serde_json::Value::Object(part)), serde_json::Value::Object(fields)) => {
                    for (f, v) in fields {
                        part.entry(f).or_insert(v);
                    }
                }
                (Some(_), _) => {}
                (None, val) => {
                    o.insert(k, val);
                }
            }
        }
        if !o.contains_key("sentence") {
            o.insert("sentence".into(), serde_json::Value::String(sentence.unwrap_or_default()));
        }
    }
    Ok(EventRow { id, cluster_id, event: serde_json::from_value(v)?, doc })
}

fn query_events(conn: &Connection, where_sql: &str, params: &[Value], tail: &str) -> Result<Vec<EventRow>> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM {EVENT_FROM} WHERE {where_sql} {tail}");
    let mut st = conn.prepare_cached(&sql)?;
    let raws: Vec<_> = st.query_map(params_from_iter(params), event_row)?.collect::<rusqlite::Result<_>>()?;
    raws.into_iter().map(finish_event_row).collect()
}

/// WHERE clause (on `events e`) and its parameters for a query.
fn event_filter(q: &EventQuery) -> (String, Vec<Value>) {
    event_filter_as(q, TextMatch::FromIndex)
}

/// How a filter on words (`EventQuery::text`) is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextMatch {
    /// Driven from the full-text index: every matching sentence, then its events.
    FromIndex,
    /// Checked row by row: the event's sentence, then a look at the index for that one row.
    PerRow,
}

/// [`event_filter`] with the text filter written as `text` says; the parameters are the same
/// either way.
fn event_filter_as(q: &EventQuery, text: TextMatch) -> (String, Vec<Value>) {
    let mut w: Vec<String> = Vec::new();
    let mut p: Vec<Value> = Vec::new();
    let push = |p: &mut Vec<Value>, v: &str| {
        p.push(Value::Text(v.to_string()));
        p.len()
    };
    if let Some(a) = &q.actor {
        let i = push(&mut p, a);
        w.push(format!("(e.source_key = ?{i} OR e.target_key = ?{i})"));
    }
    if let Some((a, b)) = &q.dyad {
        let i = push(&mut p, a);
        let j = push(&mut p, b);
        w.push(format!(
            "((e.source_key = ?{i} AND e.target_key = ?{j}) OR (e.source_key = ?{j} AND e.target_key = ?{i}))"
        ));
    }
    if let Some(c) = &q.country {
        // The key is the country whenever there is one, so the key indexes serve this filter.
        let i = push(&mut p, c);
        w.push(format!(
            "((e.source_key = ?{i} AND e.source_country = ?{i}) OR (e.target_key = ?{i} AND e.target_country = ?{i}))"
        ));
    }
    if let Some(o) = &q.org {
        let i = push(&mut p, o);
        w.push(format!("(e.source_org = ?{i} OR e.target_org = ?{i})"));
    }
    if !q.roots.is_empty() {
        let list: Vec<String> = q.roots.iter().map(|r| format!("?{}", push(&mut p, r))).collect();
        w.push(format!("e.root IN ({})", list.join(", ")));
    }
    if let Some(c) = &q.cameo_prefix {
        let i = push(&mut p, c);
        let j = push(&mut p, &upper(c));
        w.push(format!("(e.cameo >= ?{i} AND e.cameo < ?{j})"));
    }
    if let Some(t) = &q.plover_type {
        let i = push(&mut p, t);
        w.push(format!("e.plover_type = ?{i}"));
    }
    if let Some(s) = &q.since {
        let i = push(&mut p, s);
        w.push(format!("e.date >= ?{i}"));
    }
    if let Some(u) = &q.until {
        let i = push(&mut p, &upper(u));
        w.push(format!("e.date <= ?{i} AND e.date >= '0'"));
    }
    if let Some(t) = &q.text {
        match fts_query(t) {
            Some(m) => {
                let i = push(&mut p, &m);
                w.push(match text {
                    // The matching sentences, then their events through `events_sentence` (v11),
                    // so a rare word costs a few lookups, not a scan of events.
                    TextMatch::FromIndex => format!(
                        "e.id IN (SELECT e2.id FROM sentences_fts f JOIN events e2 ON e2.sentence_id = f.rowid
                            WHERE sentences_fts MATCH ?{i})"
                    ),
                    // One sentence, and the index asked about its row only: a few µs an event.
                    TextMatch::PerRow => format!(
                        "EXISTS (SELECT 1 FROM sentences_fts f WHERE f.rowid = e.sentence_id AND f.sentences_fts MATCH ?{i})"
                    ),
                });
            }
            None => w.push("0".into()),
        }
    }
    if !q.include_negated {
        w.push("e.negated = 0".into());
    }
    if !q.include_hypothetical {
        w.push("e.hypothetical = 0".into());
    }
    if q.clusters_only {
        w.push("e.id IN (SELECT first_event FROM clusters)".into());
    }
    if w.is_empty() {
        w.push("1".into());
    }
    (w.join(" AND "), p)
}

fn range_label(since: Option<&str>, until: Option<&str>) -> String {
    format!("{}..{}", since.unwrap_or(""), until.unwrap_or(""))
}

/// The last day of a period bound `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn last_day(bound: &str) -> Option<chrono::NaiveDate> {
    let ymd = |y: &str, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m, d);
    match bound.len() {
        4 => ymd(bound, 12, 31),
        7 => {
            let first = ymd(bound.get(..4)?, bound.get(5..)?.parse().ok()?, 1)?;
            first.checked_add_months(chrono::Months::new(1))?.pred_opt()
        }
        10 => chrono::NaiveDate::parse_from_str(bound, "%Y-%m-%d").ok(),
        _ => None,
    }
}

/// `YYYY-MM-DD` of the Monday of an ISO week label `YYYY-Www`.
fn week_monday(label: &str) -> Option<String> {
    let (y, w) = label.split_once("-W")?;
    let d = chrono::NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, chrono::Weekday::Mon)?;
    Some(d.format("%Y-%m-%d").to_string())
}

/// Whether `key` lies in `since..=until`, each pair compared on their common prefix: `2021-06`
/// is inside `2021` and inside `2021-06-15..`, `2021-05-31` is before `2021-06`.
fn prefix_in_range(key: &str, since: Option<&str>, until: Option<&str>) -> bool {
    let cmp = |bound: &str| {
        let n = key.len().min(bound.len());
        match (key.get(..n), bound.get(..n)) {
            (Some(k), Some(b)) => k.cmp(b),
            _ => key.cmp(bound),
        }
    };
    since.is_none_or(|s| cmp(s) != std::cmp::Ordering::Less)
        && until.is_none_or(|u| cmp(u) != std::cmp::Ordering::Greater)
}

/// How [`Store::visit_matches`] starts reading the events that match a query.
#[derive(Clone, Debug)]
enum Plan {
    /// Read `events` in id order for a bounded number of rows, then the indexes: for filters
    /// that may match a large share of the table (an actor, a date, a root). With `actor` (an
    /// actor filter with a period), the indexes are read as [`Plan::Pair`] reads them, over
    /// every directed dyad the actor can be in. SQLite itself would take every event of the
    /// actor as source from `events_dyad`, whose date comes after the target, and test each
    /// against the period: 92 ms for a page of the busiest of a 1M store's actors since 2021,
    /// its events stored in date order, against 12 ms this way.
    Scan { actor: Option<String> },
    /// A dyad. With `walk` (no date bounds), its rows are first walked in id order on
    /// `events_pair`, both directions merged, for a bounded number of rows; then (or at once,
    /// when a period is asked for) the matches are collected from `events_dyad`, which covers
    /// the date, flag and root filters, and sorted by id.
    Pair { a: String, b: String, walk: bool },
    /// A text match: events read in id order, each one's sentence checked against the words,
    /// in growing windows while at least one row in 20 matches, up to [`TEXT_BUDGET`] rows: a
    /// common word fills a page there, where collecting every matching sentence first took
    /// 300 ms for a word in half of a million events' sentences. Then, for a word in many
    /// sentences, events in id order kept by membership of their sentence in the index's
    /// matches (`members`, [`Store::visit_text_members`]); then the full-text index, for the
    /// rest (at once for a rare word, which costs one window). `per_row` is the filter with the
    /// words checked row by row ([`TextMatch::PerRow`]).
    Text { per_row: String, members: Option<Members> },
}

impl Plan {
    fn of(q: &EventQuery) -> Plan {
        match (&q.text, &q.dyad) {
            (Some(t), _) => Plan::Text {
                per_row: event_filter_as(q, TextMatch::PerRow).0,
                members: fts_query(t).map(|fts| {
                    let (w, p) = event_filter(&EventQuery { text: None, ..q.clone() });
                    Members { fts, w, p }
                }),
            },
            // A period's matches sit anywhere in id order (documents arrive in any order, and
            // a walk from the dyad's first row would cross every earlier year first), while
            // the covering index reads just them: a year of the busiest dyad of a 10M store
            // is ~16k index entries.
            (None, Some((a, b))) => {
                Plan::Pair { a: a.clone(), b: b.clone(), walk: q.since.is_none() && q.until.is_none() }
            }
            (None, None) => Plan::Scan { actor: q.actor.clone().filter(|_| q.since.is_some() || q.until.is_some()) },
        }
    }
}

/// A text filter answered by set membership ([`Store::visit_text_members`]): the full-text
/// query, and the rest of the filter with its parameters.
#[derive(Clone, Debug)]
struct Members {
    fts: String,
    w: String,
    p: Vec<Value>,
}

/// Where [`Store::walk_pair`] stopped.
enum Walk {
    /// The visitor has what it wanted, or the dyad has no more rows.
    Done,
    /// The budget ran out: every row of the dyad up to this id has been looked at.
    After(i64),
}

/// Row ids in the first round of [`Store::collect_dyads`] (the smallest of the period's
/// matches; later rounds take eight times more). Small in unit tests, to cross rounds.
const PAIR_ROUND: i64 = if cfg!(test) { 4 } else { 256 };

/// Rows of a dyad looked at in id order before [`Store::walk_pair`] gives way to the indexes.
/// (Small in unit tests, so that a small store crosses from the walk to the indexes.)
const PAIR_BUDGET: usize = if cfg!(test) { 16 } else { 2_048 };

/// Rows of `events` read in id order per statement by [`Store::visit_matches`]'s scan.
const SCAN_WINDOW: i64 = 32_768;
/// Rows read in id order before the scan gives way to the indexes.
const SCAN_BUDGET: i64 = 131_072;
/// [`SCAN_BUDGET`] for an actor with a period, whose matches the indexes find one dyad at a
/// time: a page of a 1M store's busiest actor in one month costs ~2 ms from them, where the
/// full budget of rows costs ~25 ms when they lie elsewhere (a store filled in date order).
/// (Small in unit tests, so that a small store crosses from the scan to the indexes.)
const ACTOR_SCAN_BUDGET: i64 = if cfg!(test) { 64 } else { 16_384 };
/// Sentences a word must match for [`Store::visit_text_members`] to pay (below, looking up
/// each one's events is cheaper); small in unit tests, so that they take both ways.
const MEMBERS_MIN: i64 = if cfg!(test) { 40 } else { 20_000 };
/// Rows whose sentences [`Plan::Text`] checks in its first statement (later ones double, up
/// to 16 times this), and at most in all before the full-text index takes over; small in unit
/// tests, so that a small store crosses over.
const TEXT_WINDOW: i64 = if cfg!(test) { 16 } else { 64 };
const TEXT_BUDGET: i64 = if cfg!(test) { 64 } else { 8_192 };

/// Whether a date bound can be answered from the monthly rollup.
fn monthly(bound: Option<&str>) -> bool {
    bound.is_none_or(|b| b.len() <= 7)
}

/// A directed dyad aggregate.
struct Agg {
    source: String,
    target: String,
    events: i64,
    quad: [i64; 4],
    milli: i64,
}

impl Store {
    /// Events matching `q`, in storage order (oldest ingest first), with their documents.
    pub fn events(&self, q: &EventQuery) -> Result<Vec<EventRow>> {
        let ids = self.matching_event_ids(q)?;
        self.events_by_ids(&ids)
    }

    /// [`Store::events`] read `page` rows at a time as the iterator is consumed: an export of
    /// millions of events holds their ids (8 bytes each) and one page of rows, not every row.
    /// The matching ids are taken when it is made; a row removed since is left out.
    pub fn events_paged(&self, q: &EventQuery, page: usize) -> Result<Paged<'_, EventRow>> {
        Ok(Paged::new(self, self.matching_event_ids(q)?, page, Store::events_by_ids))
    }

    /// The row ids of the events matching `q` (its `offset` and `limit` applied), in id order.
    fn matching_event_ids(&self, q: &EventQuery) -> Result<Vec<i64>> {
        let (w, p) = event_filter(q);
        let mut ids = Vec::with_capacity(q.limit.min(1024));
        let mut n = 0usize;
        if q.limit > 0 {
            self.visit_matches_with(&w, &p, Plan::of(q), "0", &mut |id, _| {
                n += 1;
                if n > q.offset {
                    ids.push(id);
                }
                ids.len() < q.limit
            })
            .map_err(|e| self.classify_err(e))?;
        }
        Ok(ids)
    }

    /// The events with these row ids, with their documents, in id order.
    fn events_by_ids(&self, ids: &[i64]) -> Result<Vec<EventRow>> {
        // Only these rows are joined with their documents and sentences.
        let p = [Value::Text(serde_json::to_string(ids)?)];
        query_events(&self.conn, "e.id IN (SELECT value FROM json_each(?1))", &p, "ORDER BY e.id")
            .map_err(|e| self.classify_err(e))
    }

    /// Hands the events matching `w` (a filter from [`event_filter`]) to `visit` as
    /// (row id, cluster id), in id order, until `visit` returns false or none are left.
    ///
    /// Which plan is fast depends on how many events match, which SQLite cannot know: a page of
    /// the busiest actor's events is found by reading events in id order and stopping after a
    /// few hundred, while a rare actor's would need the whole table, where its index finds all
    /// its events at once. So, with [`Plan::Scan`], events are first read in id order for a
    /// bounded number of rows ([`SCAN_BUDGET`]); when that does not finish the page, the rest
    /// comes from the indexes (all remaining matches, sorted), which is then cheap because
    /// matches are sparse. A dyad has its own two steps ([`Plan::Pair`]); a text match a shorter
    /// scan that checks each row's sentence ([`Plan::Text`]).
    fn visit_matches(&self, w: &str, p: &[Value], plan: Plan, visit: &mut dyn FnMut(i64, i64) -> bool) -> Result<()> {
        self.visit_matches_with(w, p, plan, "e.cluster_id", visit)
    }

    /// [`Store::visit_matches`] with the second column given (`"0"` when the caller needs
    /// only row ids: the indexes then answer without reading each row).
    fn visit_matches_with(
        &self,
        w: &str,
        p: &[Value],
        plan: Plan,
        second: &str,
        visit: &mut dyn FnMut(i64, i64) -> bool,
    ) -> Result<()> {
        let n = p.len();
        let mut after = 0i64;
        // The dyad plans read `events_pair` and `events_dyad` by name. A bulk ingest drops them
        // until its end (`Store::defer_query_indexes`), and a reader meanwhile still answers,
        // by the scan and SQLite's own plans.
        let plan = match plan {
            Plan::Pair { .. } | Plan::Scan { actor: Some(_) } if !self.has_dyad_indexes()? => {
                Plan::Scan { actor: None }
            }
            plan => plan,
        };
        match plan {
            Plan::Scan { .. } | Plan::Text { .. } => {
                // A text scan goes on while it pays: while at least one row in 20 matches (below
                // that, the full-text index finds the page sooner), up to its budget, in windows
                // that start small (a row's check costs up to ~0.35 ms on a 10M store) and double.
                let text_pays = |scanned: i64, matched: i64| scanned < TEXT_BUDGET && matched * 20 >= scanned;
                let budget = match &plan {
                    Plan::Scan { actor: Some(_) } => ACTOR_SCAN_BUDGET,
                    _ => SCAN_BUDGET,
                };
                let scan_budget = move |scanned: i64, _| scanned < budget;
                let (scan, mut window, max_window, go_on): (&str, i64, i64, &dyn Fn(i64, i64) -> bool) = match &plan {
                    Plan::Text { per_row, .. } => (per_row.as_str(), TEXT_WINDOW, 16 * TEXT_WINDOW, &text_pays),
                    _ => (w, SCAN_WINDOW.min(budget), SCAN_WINDOW, &scan_budget),
                };
                let max: i64 = self.conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?;
                let sql = format!(
                    "SELECT e.id, {second} FROM events e NOT INDEXED
                     WHERE e.id > ?{} AND e.id <= ?{} AND {scan} ORDER BY e.id",
                    n + 1,
                    n + 2
                );
                let mut st = self.conn.prepare_cached(&sql)?;
                let (mut scanned, mut matched) = (0i64, 0i64);
                while after < max && (scanned == 0 || go_on(scanned, matched)) {
                    let hi = after + window;
                    let mut args = p.to_vec();
                    args.push(Value::Integer(after));
                    args.push(Value::Integer(hi));
                    let mut rows = st.query(params_from_iter(&args))?;
                    while let Some(r) = rows.next()? {
                        matched += 1;
                        if !visit(r.get(0)?, r.get(1)?) {
                            return Ok(());
                        }
                    }
                    after = hi;
                    scanned += window;
                    window = (2 * window).min(max_window);
                }
                if after >= max {
                    return Ok(());
                }
                if let Plan::Text { members: Some(m), .. } = &plan {
                    match self.visit_text_members(m, after, max, second, visit)? {
                        Walk::Done => return Ok(()),
                        Walk::After(id) => after = id,
                    }
                }
                if let Plan::Scan { actor: Some(key) } = &plan {
                    // The actor with each of its targets (enumerated on `events_pair` by one
                    // seek each) and with none; each source key there is with the actor (most
                    // have no such events: a seek finds that) and none with it.
                    let i = n + 1;
                    let dirs = format!(
                        "RECURSIVE
                         src(k) AS (SELECT min(source_key) FROM events INDEXED BY events_pair
                             UNION ALL SELECT (SELECT min(source_key) FROM events INDEXED BY events_pair
                                 WHERE source_key > src.k) FROM src WHERE src.k IS NOT NULL),
                         tgt(k) AS (SELECT min(target_key) FROM events INDEXED BY events_pair WHERE source_key = ?{i}
                             UNION ALL SELECT (SELECT min(target_key) FROM events INDEXED BY events_pair
                                 WHERE source_key = ?{i} AND target_key > tgt.k) FROM tgt WHERE tgt.k IS NOT NULL),
                         dirs(s, t) AS (SELECT ?{i}, NULL UNION ALL SELECT NULL, ?{i}
                             UNION ALL SELECT ?{i}, k FROM tgt WHERE k IS NOT NULL
                             UNION ALL SELECT k, ?{i} FROM src WHERE k IS NOT NULL AND k != ?{i})"
                    );
                    let dirs_params = vec![Value::Text(key.clone())];
                    return self.collect_dyads(w, p, (&dirs, dirs_params), after, second, visit);
                }
            }
            Plan::Pair { a, b, walk } => {
                if walk {
                    match self.walk_pair(w, p, &a, &b, second, visit)? {
                        Walk::Done => return Ok(()),
                        Walk::After(id) => after = id,
                    }
                }
                // a self-dyad has one direction
                let (i, j) = (n + 1, n + 2);
                let dirs = if a == b {
                    format!("dirs(s, t) AS (VALUES (?{i}, ?{j}))")
                } else {
                    format!("dirs(s, t) AS (VALUES (?{i}, ?{j}), (?{j}, ?{i}))")
                };
                let dirs_params = vec![Value::Text(a), Value::Text(b)];
                return self.collect_dyads(w, p, (&dirs, dirs_params), after, second, visit);
            }
        }
        let sql = format!("SELECT e.id, {second} FROM events e WHERE e.id > ?{} AND {w} ORDER BY e.id", n + 1);
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut args = p.to_vec();
        args.push(Value::Integer(after));
        let mut rows = st.query(params_from_iter(&args))?;
        while let Some(r) = rows.next()? {
            if !visit(r.get(0)?, r.get(1)?) {
                break;
            }
        }
        Ok(())
    }

    /// The second step of [`Plan::Text`] for a word in many sentences: the matching sentences'
    /// row ids, read from the full-text index into a sorted list, and events read in id order
    /// from `after` up to `max` (the highest event row id), each kept when its sentence is in
    /// the list and the rest of the filter holds.
    /// The plain plan would look up the events of every matching sentence first, to order them
    /// by id: 233 ms for a word in 2.7 % of a 10M store's sentences. When fewer than
    /// [`MEMBERS_MIN`] sentences match, or [`SCAN_BUDGET`] rows pass without finishing, the
    /// caller goes on from the index.
    fn visit_text_members(
        &self,
        m: &Members,
        mut after: i64,
        max: i64,
        second: &str,
        visit: &mut dyn FnMut(i64, i64) -> bool,
    ) -> Result<Walk> {
        // One read of the index gives both the count and the list.
        let sentences: Vec<i64> = self
            .conn
            .prepare_cached("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?1 ORDER BY rowid")?
            .query_map([&m.fts], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if (sentences.len() as i64) < MEMBERS_MIN {
            return Ok(Walk::After(after));
        }
        let k = m.p.len();
        let sql = format!(
            "SELECT e.id, e.sentence_id, {second} FROM events e NOT INDEXED
             WHERE e.id > ?{} AND e.id <= ?{} AND e.sentence_id IS NOT NULL AND {} ORDER BY e.id",
            k + 1,
            k + 2,
            m.w
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut scanned = 0i64;
        while after < max && scanned < SCAN_BUDGET {
            let hi = after + SCAN_WINDOW;
            let mut args = m.p.clone();
            args.extend([Value::Integer(after), Value::Integer(hi)]);
            let mut rows = st.query(params_from_iter(&args))?;
            while let Some(r) = rows.next()? {
                if sentences.binary_search(&r.get::<_, i64>(1)?).is_ok() && !visit(r.get(0)?, r.get(2)?) {
                    return Ok(Walk::Done);
                }
            }
            after = hi;
            scanned += SCAN_WINDOW;
        }
        Ok(if after >= max { Walk::Done } else { Walk::After(after) })
    }

    /// Whether `events_pair` and `events_dyad`, which the dyad plans name, exist now.
    fn has_dyad_indexes(&self) -> Result<bool> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('events_pair', 'events_dyad')",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(n == 2)
    }

    /// The matches of filter `w` with ids above `after` among the events of some directed dyads,
    /// from `events_dyad` (a covering index for the dyad, date, flag and root terms), handed to
    /// `visit` in id order; `second` is read per visited row only. The dyads are the rows
    /// (`s`, `t`) of a table `dirs` that `dirs_sql` defines (a `WITH` term), with parameters
    /// `dirs_params`; `NULL` stands for an event without that actor.
    ///
    /// SQLite left to itself would walk `events_pair` from `after` (rowid range, no sort) and
    /// read every row of the dyad, or fetch every matching row for its `OR` of directions;
    /// seeking each dyad's range of the index and keeping the smallest ids, in growing rounds,
    /// reads only index entries and hands Rust only the ids a page needs.
    fn collect_dyads(
        &self,
        w: &str,
        p: &[Value],
        (dirs_sql, dirs_params): (&str, Vec<Value>),
        mut after: i64,
        second: &str,
        visit: &mut dyn FnMut(i64, i64) -> bool,
    ) -> Result<()> {
        let n = p.len();
        let m = n + dirs_params.len();
        // `ORDER BY … LIMIT` keeps only the smallest ids in SQLite's sorter while it reads the
        // ranges, so no row crosses into Rust that the page does not need. `IS` matches a
        // missing actor too, and SQLite seeks on it as on `=`.
        let sql = format!(
            "WITH {dirs_sql}
             SELECT e.id FROM dirs CROSS JOIN events e INDEXED BY events_dyad
                 ON e.source_key IS dirs.s AND e.target_key IS dirs.t
             WHERE +e.id > ?{} AND {w}
             ORDER BY e.id LIMIT ?{}",
            m + 1,
            m + 2
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut lookup = if second == "0" {
            None
        } else {
            Some(self.conn.prepare_cached(&format!("SELECT {second} FROM events e WHERE e.id = ?1"))?)
        };
        // Rounds of the `k` smallest ids: all of them are matches in id order; fewer than `k`
        // means there are no more. The next round starts after the last with a larger `k`.
        let mut k = PAIR_ROUND;
        loop {
            let mut args = p.to_vec();
            args.extend(dirs_params.iter().cloned());
            args.extend([Value::Integer(after), Value::Integer(k)]);
            let ids: Vec<i64> =
                st.query_map(params_from_iter(&args), |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            for &id in &ids {
                let second = match lookup.as_mut() {
                    Some(st) => st.query_row([id], |r| r.get(0))?,
                    None => 0,
                };
                if !visit(id, second) {
                    return Ok(());
                }
            }
            match ids.last() {
                Some(&last) if ids.len() as i64 == k => after = last,
                _ => return Ok(()),
            }
            k = k.saturating_mul(8);
        }
    }

    /// The first step of [`Plan::Pair`]: the rows of `a → b` and of `b → a` read in id order
    /// from `events_pair`, merged, each tested against the whole filter `w`.
    ///
    /// Used when no period is asked for: a page of a busy dyad's events then costs the rows up
    /// to its last match, where the index would hand over all of the dyad's matches (160k for
    /// the busiest pair of a 10M store) to be ordered by id. When matches are rare (a filter
    /// on flags or a root) the walk stops after [`PAIR_BUDGET`] rows and the caller finishes
    /// from the index, which is then cheap.
    fn walk_pair(
        &self,
        w: &str,
        p: &[Value],
        a: &str,
        b: &str,
        second: &str,
        visit: &mut dyn FnMut(i64, i64) -> bool,
    ) -> Result<Walk> {
        let n = p.len();
        let sql = format!(
            "SELECT e.id, {second}, ({w}) FROM events e INDEXED BY events_pair
             WHERE e.source_key = ?{} AND e.target_key = ?{} ORDER BY e.id",
            n + 1,
            n + 2
        );
        let args = |s: &str, t: &str| {
            let mut v = p.to_vec();
            v.push(Value::Text(s.to_string()));
            v.push(Value::Text(t.to_string()));
            v
        };
        let mut st_ab = self.conn.prepare_cached(&sql)?;
        let mut rows_ab = st_ab.query(params_from_iter(args(a, b)))?;
        // a self-dyad has one direction
        let mut st_ba = self.conn.prepare_cached(&sql)?;
        let mut rows_ba = if a == b { None } else { Some(st_ba.query(params_from_iter(args(b, a)))?) };
        type Row = (i64, i64, bool);
        let next = |rows: &mut rusqlite::Rows<'_>| -> Result<Option<Row>> {
            Ok(match rows.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?, r.get::<_, Option<bool>>(2)?.unwrap_or(false))),
                None => None,
            })
        };
        let mut head_ab = next(&mut rows_ab)?;
        let mut head_ba = match rows_ba.as_mut() {
            Some(r) => next(r)?,
            None => None,
        };
        let mut seen = 0usize;
        loop {
            let from_ab = match (&head_ab, &head_ba) {
                (Some(x), Some(y)) => x.0 < y.0,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => return Ok(Walk::Done),
            };
            let (id, second, ok) = if from_ab {
                std::mem::replace(&mut head_ab, next(&mut rows_ab)?)
            } else {
                let rows = rows_ba.as_mut().expect("a second direction has rows");
                std::mem::replace(&mut head_ba, next(rows)?)
            }
            .expect("a head was present");
            if ok && !visit(id, second) {
                return Ok(Walk::Done);
            }
            seen += 1;
            if seen >= PAIR_BUDGET {
                return Ok(Walk::After(id));
            }
        }
    }

    /// One event by its `event_id`.
    pub fn event(&self, event_id: &str) -> Result<Option<EventRow>> {
        Ok(query_events(&self.conn, "e.event_id = ?1", &[Value::Text(event_id.into())], "")?.pop())
    }

    /// Clusters with at least one mention matching `q`, in the order of their first matching
    /// mention (for a cluster that never lost mentions, its creation order).
    ///
    /// The matching mentions are read in id order and stop as soon as the page is full, so a
    /// page of the busiest actor's clusters reads a few hundred events, not all of its
    /// hundreds of thousands.
    pub fn clusters(&self, q: &EventQuery) -> Result<Vec<ClusterRow>> {
        let ids = self.matching_cluster_ids(q)?;
        self.clusters_by_ids(&ids)
    }

    /// [`Store::clusters`] read `page` rows at a time as the iterator is consumed (see
    /// [`Store::events_paged`]).
    pub fn clusters_paged(&self, q: &EventQuery, page: usize) -> Result<Paged<'_, ClusterRow>> {
        Ok(Paged::new(self, self.matching_cluster_ids(q)?, page, Store::clusters_by_ids))
    }

    /// The ids of the clusters with a mention matching `q` (its `offset` and `limit` applied),
    /// in the order of their first matching mention.
    fn matching_cluster_ids(&self, q: &EventQuery) -> Result<Vec<i64>> {
        let inner = EventQuery { clusters_only: false, ..q.clone() };
        let (w, p) = event_filter(&inner);
        let mut ids: Vec<i64> = Vec::with_capacity(q.limit.min(1024));
        if q.limit > 0 {
            let mut seen = std::collections::HashSet::new();
            self.visit_matches(&w, &p, Plan::of(&inner), &mut |_, c| {
                if seen.insert(c) && seen.len() > q.offset {
                    ids.push(c);
                }
                ids.len() < q.limit
            })?;
        }
        Ok(ids)
    }

    /// The clusters with these ids, each with its first mention, in the order given.
    fn clusters_by_ids(&self, ids: &[i64]) -> Result<Vec<ClusterRow>> {
        let p = vec![Value::Text(serde_json::to_string(ids)?)];
        let sql = "SELECT c.id, c.date, c.date_precision, c.num_mentions, c.num_sources, c.num_articles, c.added,
                    c.first_event
             FROM json_each(?1) j JOIN clusters c ON c.id = j.value ORDER BY j.key";
        let heads: Vec<(ClusterRow, i64)> = {
            let mut st = self.conn.prepare_cached(sql)?;
            let rows = st.query_map(params_from_iter(&p), |r| {
                Ok((
                    ClusterRow {
                        id: r.get(0)?,
                        date: r.get(1)?,
                        date_precision: crate::dates::precision_from_str(&r.get::<_, String>(2)?),
                        num_mentions: r.get(3)?,
                        num_sources: r.get(4)?,
                        num_articles: r.get(5)?,
                        added: r.get(6)?,
                        ..Default::default()
                    },
                    r.get(7)?,
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(heads.len());
        for (mut c, first) in heads {
            if let Some(row) = query_events(&self.conn, "e.id = ?1", &[Value::Integer(first)], "")?.pop() {
                c.source_url = row.doc.url.clone();
                c.source = row.doc.source.clone();
                c.doc_id = row.doc.id.clone();
                c.event = row.event;
            }
            out.push(c);
        }
        Ok(out)
    }

    /// The series of the dyad `a`–`b`: one row per period and direction (a→b, then b→a),
    /// ordered by period. Counts factual events only. `Month` and `Year` read the monthly
    /// rollup; `Day` and `Week` the daily one (events dated to the day).
    pub fn series(&self, a: &str, b: &str, by: Period) -> Result<Vec<SeriesRow>> {
        self.series_in(a, b, by, None, None)
    }

    /// [`Store::series`] limited to the periods inside `since..=until`, compared as prefixes
    /// (`2021` keeps every period of 2021; a week is placed by its Monday), as every range
    /// filter of the store and the dashboard compares.
    pub fn series_in(
        &self,
        a: &str,
        b: &str,
        by: Period,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Vec<SeriesRow>> {
        // Each direction is read in period order straight from its rollup's primary key
        // (source, target, period), with the range applied there: a bound cut to the key's
        // length compares as a prefix does, so `since=2021-06-15` keeps the month `2021-06`.
        // A busy dyad has thousands of days; reading only the asked-for ones keeps a one-year
        // daily series at a few hundred rows.
        let cut = |bound: Option<&str>, n: usize| bound.map(|s| s.get(..n).unwrap_or(s).to_string());
        let (table, key, n) = match by {
            Period::Month => ("dyad_month", "month", 7),
            Period::Year => ("dyad_month", "month", 4),
            Period::Day | Period::Week => ("dyad_day", "day", 10),
        };
        let lo = cut(since, n).unwrap_or_default();
        // Weeks are kept by their Monday, so their last days may lie up to six days past `until`.
        let hi = match (by, until) {
            (Period::Week, Some(u)) => last_day(u)
                .and_then(|d| d.checked_add_days(chrono::Days::new(6)))
                .map_or_else(|| "~".into(), |d| d.format("%Y-%m-%d").to_string()),
            _ => cut(until, n).map(|u| upper(&u)).unwrap_or_else(|| "~".into()),
        };
        // A rollup row is one (dyad, period) already, so days, weeks (summed below) and months
        // are read as they are; only years add months up. Per-row aggregates cost more than
        // the read on a busy dyad's ten years of days.
        let sql = match by {
            Period::Year => format!(
                "SELECT substr(month, 1, 4) AS p, sum(events), sum(q1), sum(q2), sum(q3), sum(q4),
                        sum(goldstein_milli)
                 FROM {table} WHERE source_key = ?1 AND target_key = ?2 AND {key} >= ?3 AND {key} <= ?4
                 GROUP BY p ORDER BY p"
            ),
            _ => format!(
                "SELECT {key}, events, q1, q2, q3, q4, goldstein_milli
                 FROM {table} WHERE source_key = ?1 AND target_key = ?2 AND {key} >= ?3 AND {key} <= ?4
                 ORDER BY {key}"
            ),
        };
        let read = |src: &str, tgt: &str| -> Result<Vec<(String, Agg)>> {
            let mut st = self.conn.prepare_cached(&sql)?;
            let mut rows = st.query(params![src, tgt, lo, hi])?;
            let mut out: Vec<(String, Agg)> = Vec::new();
            while let Some(r) = rows.next()? {
                let period: String = r.get(0)?;
                let g = Agg {
                    source: src.to_string(),
                    target: tgt.to_string(),
                    events: r.get(1)?,
                    quad: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                    milli: r.get(6)?,
                };
                if by != Period::Week {
                    out.push((period, g));
                    continue;
                }
                // days arrive in order, so the days of one ISO week are adjacent
                let Ok(d) = chrono::NaiveDate::parse_from_str(&period, "%Y-%m-%d") else { continue };
                let w = chrono::Datelike::iso_week(&d);
                let week = format!("{:04}-W{:02}", w.year(), w.week());
                match out.last_mut() {
                    Some((p, e)) if *p == week => {
                        e.events += g.events;
                        e.milli += g.milli;
                        for k in 0..4 {
                            e.quad[k] += g.quad[k];
                        }
                    }
                    _ => out.push((week, g)),
                }
            }
            if by == Period::Week {
                out.retain(|(p, _)| prefix_in_range(&week_monday(p).unwrap_or_else(|| p.clone()), since, until));
            }
            Ok(out)
        };
        let forward = read(a, b)?;
        let backward = if a == b { Vec::new() } else { read(b, a)? };
        // merge by period, a → b first within a period
        let mut out = Vec::with_capacity(forward.len() + backward.len());
        let (mut f, mut r) = (forward.into_iter().peekable(), backward.into_iter().peekable());
        loop {
            let take_forward = match (f.peek(), r.peek()) {
                (Some((pf, _)), Some((pr, _))) => pf <= pr,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let (p, g) = if take_forward { f.next() } else { r.next() }.expect("peeked");
            out.push(series_row(p, g));
        }
        Ok(out)
    }

    /// Directed dyads aggregated over a range, most events first.
    fn dyad_aggregates(&self, since: Option<&str>, until: Option<&str>, limit: Option<usize>) -> Result<Vec<Agg>> {
        let mut w = Vec::new();
        let mut p: Vec<Value> = Vec::new();
        let from_rollup = monthly(since) && monthly(until);
        let col = if from_rollup { "month" } else { "date" };
        if let Some(s) = since {
            p.push(Value::Text(s.into()));
            w.push(format!("{col} >= ?{}", p.len()));
        }
        if let Some(u) = until {
            p.push(Value::Text(upper(u)));
            w.push(format!("{col} <= ?{} AND {col} >= '0'", p.len()));
        }
        if w.is_empty() {
            w.push("1".into());
        }
        let lim = match limit {
            Some(l) => {
                p.push(Value::Integer(l as i64));
                format!("LIMIT ?{}", p.len())
            }
            None => String::new(),
        };
        let w = w.join(" AND ");
        let sql = if from_rollup {
            format!(
                "SELECT source_key, target_key, sum(events) AS n, sum(q1), sum(q2), sum(q3), sum(q4),
                    sum(goldstein_milli)
                 FROM dyad_month WHERE {w} GROUP BY source_key, target_key
                 ORDER BY n DESC, source_key, target_key {lim}"
            )
        } else {
            format!(
                "SELECT source_key, target_key, count(*) AS n, sum(quad_class = 1), sum(quad_class = 2),
                    sum(quad_class = 3), sum(quad_class = 4), sum(CAST(round(goldstein * 1000) AS INTEGER))
                 FROM events WHERE {w} AND negated = 0 AND hypothetical = 0 AND month IS NOT NULL
                    AND source_key IS NOT NULL AND target_key IS NOT NULL
                 GROUP BY source_key, target_key
                 ORDER BY n DESC, source_key, target_key {lim}"
            )
        };
        let mut st = self.conn.prepare_cached(&sql)?;
        let rows = st.query_map(params_from_iter(&p), |r| {
            Ok(Agg {
                source: r.get(0)?,
                target: r.get(1)?,
                events: r.get(2)?,
                quad: [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                milli: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The `limit` directed dyads with most factual events in a range (bounds as in
    /// [`EventQuery`]); `period` of each row is `since..until`. Year and month bounds read the
    /// rollup; day bounds read events.
    pub fn top_dyads(&self, since: Option<&str>, until: Option<&str>, limit: usize) -> Result<Vec<SeriesRow>> {
        let label = range_label(since, until);
        Ok(self.dyad_aggregates(since, until, Some(limit))?.into_iter().map(|g| series_row(label.clone(), g)).collect())
    }

    /// The `limit` actors taking part in most factual dyadic events in a range.
    pub fn top_actors(&self, since: Option<&str>, until: Option<&str>, limit: usize) -> Result<Vec<ActorRow>> {
        let mut by_key: HashMap<String, ActorRow> = HashMap::new();
        for g in self.dyad_aggregates(since, until, None)? {
            let e = by_key
                .entry(g.source.clone())
                .or_insert_with(|| ActorRow { key: g.source.clone(), ..Default::default() });
            e.as_source += g.events;
            e.events += g.events;
            if g.target != g.source {
                let e = by_key
                    .entry(g.target.clone())
                    .or_insert_with(|| ActorRow { key: g.target.clone(), ..Default::default() });
                e.events += g.events;
            }
            by_key.get_mut(&g.target).expect("inserted").as_target += g.events;
        }
        let mut v: Vec<ActorRow> = by_key.into_values().collect();
        v.sort_by(|x, y| y.events.cmp(&x.events).then_with(|| x.key.cmp(&y.key)));
        v.truncate(limit);
        for a in &mut v {
            (a.label, a.kind) = self.label(&a.key)?;
        }
        Ok(v)
    }

    /// Display label and kind of an actor key: its most common surface text.
    fn label(&self, key: &str) -> Result<(String, String)> {
        let found: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT text, kind FROM actor_texts WHERE key = ?1 AND text != '' ORDER BY n DESC, text LIMIT 1",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(found.unwrap_or_else(|| {
            let kind = if key.len() == 3 && key.chars().all(|c| c.is_ascii_uppercase()) { "country" } else { "org" };
            (key.to_string(), kind.to_string())
        }))
    }

    /// The actor network of a range: directed edges with at least `min_events` factual events,
    /// and the actors they connect (weight = events on the kept edges).
    pub fn network(&self, since: Option<&str>, until: Option<&str>, min_events: i64) -> Result<Network> {
        let mut weights: BTreeMap<String, i64> = BTreeMap::new();
        let mut edges = Vec::new();
        for g in self.dyad_aggregates(since, until, None)? {
            if g.events < min_events {
                continue;
            }
            *weights.entry(g.source.clone()).or_default() += g.events;
            if g.target != g.source {
                *weights.entry(g.target.clone()).or_default() += g.events;
            }
            edges.push(NetworkEdge {
                goldstein_mean: g.milli as f64 / 1000.0 / g.events.max(1) as f64,
                source: g.source,
                target: g.target,
                events: g.events,
                quad: g.quad,
            });
        }
        let mut nodes = Vec::with_capacity(weights.len());
        for (id, weight) in weights {
            let (label, kind) = self.label(&id)?;
            nodes.push(NetworkNode { id, label, kind, weight });
        }
        nodes.sort_by(|a, b| b.weight.cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
        Ok(Network { nodes, edges })
    }

    /// Full-text search over sentences, newest first. Any input is safe (see [`fts_query`]).
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(m) = fts_query(text) else { return Ok(Vec::new()) };
        let hits: Vec<(String, i64, String, String, i64)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT s.doc_id, s.idx, s.text, h.snip, s.id FROM
                    (SELECT rowid AS rid, snippet(sentences_fts, 0, '[', ']', '…', 24) AS snip
                     FROM sentences_fts WHERE sentences_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) h
                 JOIN sentences s ON s.id = h.rid ORDER BY h.rid DESC",
            )?;
            let rows = st
                .query_map(params![m, limit as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(hits.len());
        for (doc_id, idx, sentence, snippet, row) in hits {
            let events = query_events(&self.conn, "e.sentence_id = ?1", &[Value::Integer(row)], "ORDER BY e.id")?;
            out.push(SearchHit { doc_id, sentence_index: idx as usize, sentence, snippet, events });
        }
        Ok(out)
    }

    /// A stored document: its metadata and text.
    pub fn document(&self, id: &str) -> Result<Option<(DocMeta, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, hash, source, url, title, date, added, provenance, text FROM documents WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((doc_meta(r)?, r.get(8)?)))
            .optional()?)
    }

    /// A stored document as the [`dyad_core::Document`] it was ingested from.
    pub fn document_input(&self, id: &str) -> Result<Option<dyad_core::Document>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, text, date, url, title, source, provenance FROM documents WHERE id = ?1")?
            .query_row([id], read_document)
            .optional()?)
    }

    /// Stored documents' metadata, ordered by id.
    pub fn documents(&self, limit: usize, offset: usize) -> Result<Vec<DocMeta>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, hash, source, url, title, date, added, provenance FROM documents ORDER BY id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = st.query_map(params![limit as i64, offset as i64], doc_meta)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// When cluster `id` was first stored (its `added`, RFC 3339), if it exists.
    pub fn cluster_added(&self, id: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT added FROM clusters WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Events of one document, in storage order.
    pub fn document_events(&self, id: &str) -> Result<Vec<EventRow>> {
        // Its events are a row id range (v11): SQLite reads that range and nothing else.
        const OF_DOCUMENT: &str = "e.id >= (SELECT event_first FROM documents WHERE id = ?1)
             AND e.id < (SELECT event_first + event_count FROM documents WHERE id = ?1)";
        query_events(&self.conn, OF_DOCUMENT, &[Value::Text(id.into())], "ORDER BY e.id")
    }
}

fn doc_meta(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocMeta> {
    Ok(DocMeta {
        id: r.get(0)?,
        hash: r.get(1)?,
        source: r.get(2)?,
        url: r.get(3)?,
        title: r.get(4)?,
        date: r.get(5)?,
        added: r.get(6)?,
        provenance: r.get(7)?,
    })
}

fn series_row(period: String, g: Agg) -> SeriesRow {
    let sum = g.milli as f64 / 1000.0;
    SeriesRow {
        period,
        source: g.source,
        target: g.target,
        events: g.events,
        quad: g.quad,
        goldstein_sum: sum,
        goldstein_mean: if g.events > 0 { round4(sum / g.events as f64) } else { 0.0 },
    }
}

/// A mean rounded to four decimals: the Goldstein sums are kept in thousandths, so more digits
/// are only floating-point noise (`-0.027999999999999997`) and bytes in every series row.
fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first keyword of a statement, upper-cased, comments skipped.
fn first_keyword(sql: &str) -> String {
    let mut s = sql.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest.split_once('\n').map(|(_, r)| r).unwrap_or("").trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest.split_once("*/").map(|(_, r)| r).unwrap_or("").trim_start();
        } else {
            break;
        }
    }
    s.chars().take_while(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_uppercase()
}

pub(crate) fn run_sql(path: &Path, query: &str) -> Result<(Vec<String>, Vec<Vec<serde_json::Value>>)> {
    let refuse = |why: &str| {
        Err(StoreError::ReadOnly(format!(
            "{why}: `dyad sql` only reads; the statement was not run (the store changes only through `dyad ingest` and `dyad recode`)"
        )))
    };
    if matches!(first_keyword(query).as_str(), "ATTACH" | "DETACH") {
        return refuse("ATTACH and DETACH are not allowed");
    }
    if !path.exists() {
        return Err(StoreError::Missing(path.to_path_buf()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(e, path))?;
    let run = || -> Result<(Vec<String>, Vec<Vec<serde_json::Value>>)> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.execute_batch("PRAGMA query_only=ON")?;
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_ATTACHED, 0)?;
        let mut st = conn.prepare(query)?;
        if !st.readonly() {
            return refuse("this statement would change the database");
        }
        let names: Vec<String> = st.column_names().into_iter().map(String::from).collect();
        let n = names.len();
        let mut out = Vec::new();
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i)? {
                    ValueRef::Null => serde_json::Value::Null,
                    ValueRef::Integer(v) => v.into(),
                    ValueRef::Real(v) => serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into),
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                    ValueRef::Blob(b) => hex(b).into(),
                });
            }
            out.push(row);
        }
        Ok((names, out))
    };
    run().map_err(|e| match e {
        StoreError::Sqlite(e) => {
            let msg = e.to_string();
            if msg.contains("readonly") || msg.contains("read-only") || msg.contains("attached databases") {
                StoreError::ReadOnly(format!("{msg}: `dyad sql` only reads; the statement was not run"))
            } else {
                classify(e, path)
            }
        }
        e => e,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh store in the temporary folder, named after `name` and this process, holding
    /// `events` synthetic events; and its path, for the test to remove.
    fn synthetic_store(name: &str, events: usize, seed: u64) -> (std::path::PathBuf, Store) {
        let path = std::env::temp_dir().join(format!("{name}-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path).unwrap();
        store.fill_synthetic(events, seed).unwrap();
        (path, store)
    }

    /// The ids of the events matching `q`, by SQLite's own plan for the same filter.
    fn plain_ids(store: &Store, q: &EventQuery) -> Vec<i64> {
        let (w, mut p) = event_filter(q);
        let n = p.len();
        p.push(Value::Integer(q.limit.min(i64::MAX as usize) as i64));
        p.push(Value::Integer(q.offset as i64));
        let sql = format!("SELECT e.id FROM events e WHERE {w} ORDER BY e.id LIMIT ?{} OFFSET ?{}", n + 1, n + 2);
        let mut st = store.connection().prepare(&sql).unwrap();
        st.query_map(params_from_iter(&p), |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    /// The page of clusters that events `ids` (in id order) make: each cluster at its first
    /// event, `offset` and `limit` applied.
    fn cluster_page(store: &Store, ids: &[i64], offset: usize, limit: usize) -> Vec<i64> {
        let mut seen = std::collections::HashSet::new();
        let cluster_of = |id: i64| -> i64 {
            store.connection().query_row("SELECT cluster_id FROM events WHERE id = ?1", [id], |r| r.get(0)).unwrap()
        };
        ids.iter().map(|&id| cluster_of(id)).filter(|c| seen.insert(*c)).skip(offset).take(limit).collect()
    }

    /// Pages of a text match are the same whether the row-by-row scan fills them, the scan is
    /// cut by its budget and the full-text index finishes them, or a plain query finds them.
    #[test]
    fn text_pages_agree_with_a_plain_query() {
        let (path, store) = synthetic_store("dyad-text-plan", 3_000, 9);
        let plain = |words: &str, offset: usize, limit: usize| -> Vec<i64> {
            let mut st = store
                .connection()
                .prepare(
                    "SELECT e.id FROM events e JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence_index
                     WHERE s.id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?1)
                       AND e.negated = 0 AND e.hypothetical = 0 ORDER BY e.id LIMIT ?2 OFFSET ?3",
                )
                .unwrap();
            st.query_map(params![fts_query(words).unwrap(), limit as i64, offset as i64], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let (mut by_scan, mut by_index) = (0, 0);
        for words in ["ceasefire", "Zürich", "nuclear inspectors", "no such word anywhere"] {
            for (offset, limit) in [(0, 5), (0, 50), (37, 20), (500, 10)] {
                let q = EventQuery { text: Some(words.into()), offset, limit, ..EventQuery::default() };
                let got: Vec<i64> = store.events(&q).unwrap().iter().map(|r| r.id).collect();
                let want = plain(words, offset, limit);
                assert_eq!(got, want, "{words:?} offset {offset} limit {limit}");
                match want.last() {
                    Some(&last) if want.len() == limit && last <= TEXT_WINDOW => by_scan += 1,
                    Some(&last) if last <= TEXT_BUDGET => {}
                    _ => by_index += 1,
                }
                let clusters: Vec<i64> = store.clusters(&q).unwrap().iter().map(|c| c.id).collect();
                let want = cluster_page(&store, &plain(words, 0, usize::MAX >> 1), offset, limit);
                assert_eq!(clusters, want, "clusters of {words:?} offset {offset} limit {limit}");
            }
        }
        assert!(by_scan > 0 && by_index > 0, "both ways were tried: {by_scan} by the scan, {by_index} by the index");
        // after the scan, a word in many sentences is read by membership, a rarer one by lookups
        let sentences = |words: &str| -> i64 {
            store
                .connection()
                .query_row(
                    "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH ?1",
                    [fts_query(words).unwrap()],
                    |r| r.get(0),
                )
                .unwrap()
        };
        let (many, few) = (sentences("Zürich"), sentences("nuclear inspectors"));
        assert!(many >= MEMBERS_MIN && (1..MEMBERS_MIN).contains(&few), "{many} and {few} sentences");
        let _ = std::fs::remove_file(&path);
    }

    /// Pages of an actor's events in a period are the same whether the id scan fills them, or
    /// the scan is cut by its budget and the dyads' index ranges finish them, as a plain query
    /// with the same filter finds them; also for events without a target, and for the actor
    /// as its own target.
    #[test]
    fn actor_pages_agree_with_a_plain_query() {
        let (path, mut store) = synthetic_store("dyad-actor-plan", 4_000, 11);
        let top = store.top_actors(None, None, 40).unwrap();
        let (busy, rare) = (top[0].key.clone(), top.last().unwrap().key.clone());
        // events without a target, and self-dyads, which the synthetic store has none of
        store
            .connection()
            .execute_batch(&format!(
                "UPDATE events SET target_key = NULL WHERE id % 29 = 0;
                 UPDATE events SET target_key = source_key WHERE id % 31 = 0 AND source_key = '{busy}';"
            ))
            .unwrap();
        let year: String = store
            .connection()
            .query_row("SELECT substr(max(date), 1, 4) FROM events WHERE date >= '0'", [], |r| r.get(0))
            .unwrap();
        let (mut by_scan, mut by_index) = (0, 0);
        // and again while a bulk load has dropped the query indexes: the scan answers alone
        for deferred in [false, true] {
            if deferred {
                assert!(store.defer_query_indexes().unwrap() > 0);
            }
            let store = &store;
            let plain = |q: &EventQuery| plain_ids(store, q);
            for actor in [&busy, &rare] {
                for (since, until) in
                    [(Some(year.as_str()), None), (None, Some(year.as_str())), (Some("2019-03"), Some("2019-03"))]
                {
                    for (roots, negated) in [(vec![], false), (vec!["04".to_string(), "19".to_string()], true)] {
                        for (offset, limit) in [(0, 5), (0, 50), (37, 20), (10_000, 10)] {
                            let q = EventQuery {
                                actor: Some(actor.clone()),
                                since: since.map(String::from),
                                until: until.map(String::from),
                                roots: roots.clone(),
                                include_negated: negated,
                                offset,
                                limit,
                                ..EventQuery::default()
                            };
                            let got: Vec<i64> = store.events(&q).unwrap().iter().map(|r| r.id).collect();
                            let want = plain(&q);
                            assert_eq!(
                                got, want,
                                "{actor} {since:?}..{until:?} {roots:?} offset {offset} limit {limit}"
                            );
                            match want.last() {
                                Some(&last) if want.len() == limit && last <= ACTOR_SCAN_BUDGET => by_scan += 1,
                                _ => by_index += 1,
                            }
                            let clusters: Vec<i64> = store.clusters(&q).unwrap().iter().map(|c| c.id).collect();
                            let all = plain(&EventQuery { offset: 0, limit: usize::MAX >> 1, ..q.clone() });
                            let want = cluster_page(store, &all, offset, limit);
                            assert_eq!(clusters, want, "clusters of {actor} {since:?}..{until:?} offset {offset}");
                        }
                    }
                }
            }
        }
        assert!(by_scan > 0 && by_index > 0, "both ways were tried: {by_scan} by the scan, {by_index} by the index");
        let _ = std::fs::remove_file(&path);
    }

    /// Pages of a dyad's events and clusters are the same whichever way they are found: the id
    /// walk, the walk cut by its budget and finished from the indexes, or a plain query.
    #[test]
    fn dyad_pages_agree_with_a_plain_query() {
        let (path, store) = synthetic_store("dyad-pair-plan", 6_000, 5);
        let top = store.top_dyads(None, None, 1).unwrap().remove(0);
        let (a, b) = (top.source.clone(), top.target.clone());
        let day: String = store
            .connection()
            .query_row(
                "SELECT date FROM events WHERE source_key = ?1 AND target_key = ?2 AND length(date) = 10
                 ORDER BY id DESC LIMIT 1",
                params![a, b],
                |r| r.get(0),
            )
            .unwrap();
        let year = day[..4].to_string();
        let plain = |since: Option<&str>, until: Option<&str>, offset: usize, limit: usize| -> Vec<i64> {
            let mut st = store
                .connection()
                .prepare(
                    "SELECT id FROM events WHERE ((source_key = ?1 AND target_key = ?2)
                       OR (source_key = ?2 AND target_key = ?1))
                     AND (?3 IS NULL OR date >= ?3) AND (?4 IS NULL OR (date <= ?4 || '~' AND date >= '0'))
                     AND negated = 0 AND hypothetical = 0 ORDER BY id LIMIT ?5 OFFSET ?6",
                )
                .unwrap();
            st.query_map(params![a, b, since, until, limit as i64, offset as i64], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap()
        };
        let mut crossed = 0;
        for (since, until) in
            [(None, None), (Some(year.as_str()), Some(year.as_str())), (Some(&day[..]), Some(&day[..]))]
        {
            for (offset, limit) in [(0, 5), (0, 50), (37, 20), (10_000, 10)] {
                let q = EventQuery {
                    dyad: Some((b.clone(), a.clone())),
                    since: since.map(String::from),
                    until: until.map(String::from),
                    offset,
                    limit,
                    ..EventQuery::default()
                };
                let got: Vec<i64> = store.events(&q).unwrap().iter().map(|r| r.id).collect();
                let want = plain(since, until, offset, limit);
                assert_eq!(got, want, "dyad {b}-{a} {since:?}..{until:?} offset {offset} limit {limit}");
                let (w, p) = event_filter(&q);
                if matches!(store.walk_pair(&w, &p, &b, &a, "0", &mut |_, _| true).unwrap(), Walk::After(_)) {
                    crossed += 1;
                }
            }
        }
        assert!(crossed > 0, "the budget was never reached: the fallback went untested");
        // while a bulk load has dropped the query indexes, the dyad plans give way to the scan
        let mut store = store;
        assert!(store.defer_query_indexes().unwrap() > 0);
        for (since, until) in [(None, None), (Some(year.as_str()), Some(year.as_str()))] {
            let q = EventQuery {
                dyad: Some((b.clone(), a.clone())),
                since: since.map(String::from),
                until: until.map(String::from),
                offset: 37,
                limit: 20,
                ..EventQuery::default()
            };
            let got: Vec<i64> = store.events(&q).unwrap().iter().map(|r| r.id).collect();
            assert_eq!(got, plain_ids(&store, &q), "dyad {b}-{a} {since:?}..{until:?} without its indexes");
        }
        let _ = std::fs::remove_file(&path);
    }
}
