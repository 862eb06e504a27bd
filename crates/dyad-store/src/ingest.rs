//! Writing: ingest, replace, recode, and the bookkeeping that keeps clusters and rollups exact.

use crate::dates::PartialDate;
use crate::raw::{raw_params, Insert};
use crate::rollup::{EventPart, Rollups};
use crate::{Result, Store, StoreError};
use dyad_core::{Actor, Document, Event};
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension, Statement, TransactionBehavior};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// What one [`Store::ingest`] or [`Store::recode`] call did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestStats {
    /// Documents stored (new ones and new versions of known ids); for `recode`, documents re-coded.
    pub documents: usize,
    /// Of `documents`, how many replaced an older version with the same id.
    pub replaced: usize,
    /// Documents skipped because their text (hash) is already stored.
    pub unchanged: usize,
    /// Sentences stored (and indexed for full-text search).
    pub sentences: usize,
    /// Events stored.
    pub events: usize,
    /// Events skipped because their `event_id` is already stored.
    pub duplicate_events: usize,
    /// Events removed with the old version of a replaced (or re-coded) document.
    pub removed_events: usize,
    /// Events that started a new cluster.
    pub clusters_created: usize,
    /// Events that joined an existing cluster.
    pub clusters_joined: usize,
}

impl IngestStats {
    /// Adds another call's counts to these.
    pub fn add(&mut self, o: &IngestStats) {
        self.documents += o.documents;
        self.replaced += o.replaced;
        self.unchanged += o.unchanged;
        self.sentences += o.sentences;
        self.events += o.events;
        self.duplicate_events += o.duplicate_events;
        self.removed_events += o.removed_events;
        self.clusters_created += o.clusters_created;
        self.clusters_joined += o.clusters_joined;
    }
}

/// A document ready to store: its events and, when the coder reports them, the byte spans of
/// its sentences in the order `Event::sentence_index` counts them.
#[derive(Clone, Debug, Default)]
pub struct Coded {
    pub doc: Document,
    pub events: Vec<Event>,
    /// `None`: the store splits the text itself with [`dyad_text::analyze`].
    pub sentences: Option<Vec<Range<usize>>>,
    /// [`Store::content_hash`] of the text, when the caller computed it already (to ask
    /// [`Store::contains_hash`] before coding); `None`: the store computes it.
    pub hash: Option<String>,
}

/// When [`Store::ingest_stream`] commits: after the chunk that brings the open transaction to
/// `documents` documents or `text_bytes` bytes of text, whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxLimits {
    pub documents: usize,
    pub text_bytes: usize,
}

impl Default for TxLimits {
    /// 16,384 documents or 16 MiB of text.
    fn default() -> TxLimits {
        TxLimits { documents: 16 * 1024, text_bytes: 16 << 20 }
    }
}

/// What a coding function given to [`Store::ingest_with`] may return: events alone, or events
/// with the sentence spans they are numbered by.
pub trait CodeOutput: Send {
    fn into_parts(self) -> (Vec<Event>, Option<Vec<Range<usize>>>);
}

impl CodeOutput for Vec<Event> {
    fn into_parts(self) -> (Vec<Event>, Option<Vec<Range<usize>>>) {
        (self, None)
    }
}

impl CodeOutput for (Vec<Event>, Vec<Range<usize>>) {
    fn into_parts(self) -> (Vec<Event>, Option<Vec<Range<usize>>>) {
        (self.0, Some(self.1))
    }
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The name a document is counted under in `num_sources`: its outlet (`source`), else its URL
/// host, else its id.
pub(crate) fn origin_of(doc: &Document) -> String {
    origin(doc.source.as_deref(), doc.url.as_deref(), &doc.id)
}

/// [`origin_of`] from a document's parts.
pub(crate) fn origin(source: Option<&str>, url: Option<&str>, id: &str) -> String {
    if let Some(s) = source.filter(|s| !s.trim().is_empty()) {
        return s.to_string();
    }
    if let Some(host) = url.and_then(dyad_core::url_host) {
        return host;
    }
    id.to_string()
}

fn actor_kind(a: &Actor) -> &'static str {
    if a.country.is_some() {
        "country"
    } else if a.org.is_some() {
        "org"
    } else {
        "code"
    }
}

/// The dedup identity of an event without its date.
pub(crate) struct ClusterKey {
    pub base: String,
    pub source_key: Option<String>,
    pub target_key: Option<String>,
    pub date: Option<PartialDate>,
}

const SEP: char = '\u{1f}';

impl ClusterKey {
    pub fn of(ev: &Event) -> ClusterKey {
        let mut s = ev.source.key().map(str::to_string);
        let mut t = ev.target.as_ref().and_then(|t| t.key()).map(str::to_string);
        if ev.symmetric && s.is_some() && t.is_some() && s > t {
            std::mem::swap(&mut s, &mut t);
        }
        let base = format!(
            "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
            s.as_deref().unwrap_or(""),
            t.as_deref().unwrap_or(""),
            ev.cameo,
            ev.negated as u8,
            ev.hypothetical as u8
        );
        let date = ev.date.as_deref().and_then(PartialDate::parse);
        ClusterKey { base, source_key: s, target_key: t, date }
    }

    pub fn dated_key(&self, d: &PartialDate) -> String {
        format!("{}{SEP}{d}", self.base)
    }

    pub fn undated_key(&self, doc_id: &str) -> String {
        format!("{}{SEP}u{SEP}{doc_id}", self.base)
    }
}

fn dated_key(base: &str, d: &PartialDate) -> String {
    format!("{base}{SEP}{d}")
}

/// Event fields kept in the `events` row's own columns and left out of `events.json`;
/// [`crate::query`] puts them back on read. Rows written before this (with the fields inside
/// the JSON) read the same way: a field present in the JSON is kept.
#[cfg_attr(not(test), allow(dead_code))] // the list `JsonPart` complements, checked by a test
pub(crate) const COLUMN_FIELDS: &[&str] = &[
    "event_id",
    "doc_id",
    "sentence_index",
    "date",
    "date_precision",
    "cameo",
    "root",
    "goldstein",
    "quad_class",
    "negated",
    "hypothetical",
    "symmetric",
    "rule",
    "offsets",
    "plover",
];

/// Fields of an [`Actor`] kept in the `events` row's columns (`source_text`, `target_code`...)
/// and left out of the actor objects of `events.json`.
/// `ActorPart` complements it (checked by a test); the reader takes these columns in this order.
pub(crate) const ACTOR_COLUMN_FIELDS: &[&str] = &["text", "code", "country", "org", "sector", "name"];

/// The fields of an [`Actor`] that `events.json` holds: every field but [`ACTOR_COLUMN_FIELDS`].
/// (Stores written before v6 hold whole actors there; readers fill what is missing from the
/// columns, so both read the same.) Written only when it says something: a missing part reads
/// as the defaults (`name_known: false`).
#[derive(serde::Serialize)]
struct ActorPart {
    name_known: bool,
}

impl ActorPart {
    fn of(a: &Actor) -> Option<ActorPart> {
        a.name_known.then_some(ActorPart { name_known: true })
    }
}

/// The fields of an [`Event`] that `events.json` holds: every field but [`COLUMN_FIELDS`]
/// (a test keeps the two lists complementary), serialised straight from the event; its actors
/// as [`ActorPart`]s. What equals the default on read (no location, actor parts with nothing to
/// say) is left out (v7).
#[derive(serde::Serialize)]
struct JsonPart<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sentence: Option<&'a str>,
    date_source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<ActorPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<ActorPart>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a dyad_core::Location>,
}

/// The event as stored in `events.json`: what the columns do not hold. The sentence is left out
/// too when it equals the stored one.
pub(crate) fn event_json(ev: &Event, stored_sentence: Option<&str>) -> Result<String> {
    let part = JsonPart {
        sentence: Some(ev.sentence.as_str()).filter(|s| stored_sentence != Some(*s)),
        date_source: &ev.date_source,
        source: ActorPart::of(&ev.source),
        target: ev.target.as_ref().and_then(ActorPart::of),
        location: ev.location.as_ref(),
    };
    Ok(serde_json::to_string(&part)?)
}

/// The `events` insert that [`insert_event_row`] binds: every column.
pub(crate) const INSERT_EVENT: &str = "INSERT INTO events (id, event_id, doc_id, sentence_index, cluster_id, date,
        date_precision, month, source_key, target_key, source_country, target_country, source_org, target_org,
        source_sector, target_sector, source_code, target_code, source_name, target_name,
        source_text, target_text, cameo, root, goldstein, quad_class, plover_type, plover_mode,
        negated, hypothetical, symmetric, rule, trigger_start, trigger_end,
        source_start, source_end, target_start, target_end, json, sentence_id)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
        ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40)
     ON CONFLICT (event_id) DO NOTHING";

/// Inserts the `events` row of `ev` (prepared as `p`) with row id `id` with `st`, a statement
/// of [`INSERT_EVENT`]; returns whether it did (`false`: an event with its id is stored).
pub(crate) fn insert_event_row(
    st: &mut Insert<'_>,
    id: i64,
    ev: &Event,
    p: &PreparedEvent,
    doc_id: &str,
    cluster_id: i64,
    sentence_id: Option<i64>,
) -> Result<bool> {
    let t = ev.target.as_ref();
    let n = st.execute(&raw_params![
        id,
        &p.event_id,
        doc_id,
        ev.sentence_index as i64,
        cluster_id,
        ev.date.as_deref(),
        ev.date_precision.as_str(),
        p.month.as_deref(),
        ev.source.key(),
        t.and_then(|t| t.key()),
        ev.source.country.as_deref(),
        t.and_then(|t| t.country.as_deref()),
        ev.source.org.as_deref(),
        t.and_then(|t| t.org.as_deref()),
        ev.source.sector.as_deref(),
        t.and_then(|t| t.sector.as_deref()),
        &ev.source.code,
        t.map(|t| t.code.as_str()),
        ev.source.name.as_deref(),
        t.and_then(|t| t.name.as_deref()),
        &ev.source.text,
        t.map(|t| t.text.as_str()),
        &ev.cameo,
        &ev.root,
        ev.goldstein,
        ev.quad_class as i64,
        Some(ev.plover.kind.as_str()).filter(|k| !k.is_empty()),
        ev.plover.mode.as_deref(),
        ev.negated,
        ev.hypothetical,
        ev.symmetric,
        &ev.rule,
        ev.offsets.trigger[0] as i64,
        ev.offsets.trigger[1] as i64,
        ev.offsets.source.map(|o| o[0] as i64),
        ev.offsets.source.map(|o| o[1] as i64),
        ev.offsets.target.map(|o| o[0] as i64),
        ev.offsets.target.map(|o| o[1] as i64),
        &p.json,
        sentence_id,
    ])?;
    Ok(n == 1)
}

macro_rules! insert_document {
    () => {
        "INSERT INTO documents (id, hash, source, url, title, date, added, origin, text, sentence_first, sentence_count,
             event_first, event_count, provenance)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    };
}
/// The `documents` insert.
pub(crate) const INSERT_DOCUMENT: &str = insert_document!();
/// The `documents` insert that stores nothing when the id or the hash is stored already.
const INSERT_DOCUMENT_IF_NEW: &str = concat!(insert_document!(), " ON CONFLICT DO NOTHING");
/// The row ids and texts of the sentences of the document whose id is `?1`, in order: a row id
/// range (schema v10).
const SENTENCES_OF_DOCUMENT: &str = "SELECT s.id, s.text FROM documents d JOIN sentences s
     ON s.id >= d.sentence_first AND s.id < d.sentence_first + d.sentence_count
     WHERE d.id = ?1 ORDER BY s.id";
/// The `sentences` insert, with the row id: a document's sentences are consecutive rows, from
/// its `sentence_first` on.
pub(crate) const INSERT_SENTENCE: &str = "INSERT INTO sentences (id, doc_id, idx, text) VALUES (?1, ?2, ?3, ?4)";

/// What storing one event needs besides the store: its id, its dedup key, its `events.json` and
/// its month. Worked out before the write transaction: during [`Store::ingest_stream`] on a
/// thread beside the writer, which is the one stage of an ingest that cannot use more cores.
pub(crate) struct PreparedEvent {
    event_id: String,
    pub(crate) key: ClusterKey,
    json: String,
    pub(crate) month: Option<String>,
}

impl PreparedEvent {
    /// `pos` is the event's position in its document (the id of an event without one);
    /// `stored_sentence` the text stored for its sentence.
    pub(crate) fn of(ev: &Event, pos: usize, doc_id: &str, stored_sentence: Option<&str>) -> Result<PreparedEvent> {
        let key = ClusterKey::of(ev);
        Ok(PreparedEvent {
            event_id: if ev.event_id.is_empty() { format!("{doc_id}#{pos}") } else { ev.event_id.clone() },
            month: key.date.and_then(|d| d.month_key()),
            json: event_json(ev, stored_sentence)?,
            key,
        })
    }

    /// The events of a document whose stored sentences are `sentence(i)`.
    fn all<'t>(
        doc_id: &str,
        events: &[Event],
        sentence: impl Fn(usize) -> Option<&'t str>,
    ) -> Result<Vec<PreparedEvent>> {
        events
            .iter()
            .enumerate()
            .map(|(pos, ev)| PreparedEvent::of(ev, pos, doc_id, sentence(ev.sentence_index)))
            .collect()
    }
}

/// A document made ready for [`Writer::store_prepared`]: its content hash and origin and, when
/// its sentence spans are known, the spans and its [`PreparedEvent`]s. Without spans those two
/// are left to the writer, which splits the text only once it knows the document is new.
pub(crate) struct Prepared {
    hash: String,
    origin: String,
    spans: Option<Vec<Range<usize>>>,
    events: Option<Vec<PreparedEvent>>,
}

impl Prepared {
    pub(crate) fn of(
        doc: &Document,
        hash: Option<String>,
        events: &[Event],
        spans: Option<Vec<Range<usize>>>,
    ) -> Result<Prepared> {
        let hash = match hash {
            Some(h) => {
                debug_assert_eq!(h, Store::content_hash(&doc.text), "a wrong content hash for {}", doc.id);
                h
            }
            None => Store::content_hash(&doc.text),
        };
        let events = match &spans {
            Some(sp) => Some(PreparedEvent::all(&doc.id, events, |i| sentence_text(&doc.text, sp, i))?),
            None => None,
        };
        Ok(Prepared { hash, origin: origin_of(doc), spans, events })
    }
}

/// The stored text of sentence `i` (empty for a span that does not fall on character
/// boundaries; `None` past the last sentence).
fn sentence_text<'t>(text: &'t str, spans: &[Range<usize>], i: usize) -> Option<&'t str> {
    spans.get(i).map(|s| text.get(s.clone()).unwrap_or(""))
}

/// The dated clusters a [`Writer`] has looked up in its transaction, kept exact as it creates
/// and refines clusters, so that the events of a batch that share a dyad and an action read
/// the store once, not once each.
///
/// `by_base[base_key][Some(y)]` holds what the year lookup returns (the clusters of that base
/// dated in year `y`, and the dated ones with no year); `by_base[base_key][None]` what the
/// yearless lookup returns (every dated cluster of the base). Anything else that changes
/// clusters (removals, merges) clears it.
#[derive(Default)]
struct Candidates {
    by_base: HashMap<String, ByYear>,
}

/// One base key's lookups, by the year asked for (`None`: any year): cluster ids with their dates.
type ByYear = HashMap<Option<u16>, Vec<(i64, PartialDate)>>;

impl Candidates {
    /// The dated clusters of `base` that an event dated `d` may join, read from the store on
    /// first use.
    fn get(&mut self, conn: &Connection, base: &str, d: &PartialDate) -> Result<&[(i64, PartialDate)]> {
        if !self.by_base.get(base).is_some_and(|m| m.contains_key(&d.year)) {
            let mut found = Vec::new();
            let (mut st, mut rows);
            if let Some(y) = d.year {
                st = conn.prepare_cached(
                    "SELECT id, date FROM clusters WHERE base_key = ?1 AND year = ?2
                     UNION ALL
                     SELECT id, date FROM clusters WHERE base_key = ?1 AND year IS NULL AND date IS NOT NULL",
                )?;
                rows = st.query(params![base, format!("{y:04}")])?;
            } else {
                st = conn.prepare_cached("SELECT id, date FROM clusters WHERE base_key = ?1 AND date IS NOT NULL")?;
                rows = st.query(params![base])?;
            }
            while let Some(r) = rows.next()? {
                if let Some(cd) = PartialDate::parse(&r.get::<_, String>(1)?) {
                    found.push((r.get(0)?, cd));
                }
            }
            self.by_base.entry(base.to_string()).or_default().insert(d.year, found);
        }
        Ok(&self.by_base[base][&d.year])
    }

    /// A cluster of `base` dated `d` was created: it joins every loaded lookup that returns it.
    fn created(&mut self, base: &str, id: i64, d: PartialDate) {
        for (year, list) in self.by_base.get_mut(base).into_iter().flatten() {
            if year.is_none() || d.year.is_none() || d.year == *year {
                list.push((id, d));
            }
        }
    }

    /// Cluster `id` of `base` is now dated `d` (a refinement: a known year never changes, an
    /// unknown one may become known, and then the other years' lookups no longer return it).
    fn refined(&mut self, base: &str, id: i64, d: PartialDate) {
        for (year, list) in self.by_base.get_mut(base).into_iter().flatten() {
            let Some(i) = list.iter().position(|(c, _)| *c == id) else { continue };
            if year.is_some() && d.year.is_some() && d.year != *year {
                list.swap_remove(i);
            } else {
                list[i].1 = d;
            }
        }
    }

    fn clear(&mut self) {
        self.by_base.clear();
    }
}

/// Where an event goes among the clusters: found by [`find_cluster`], which changes nothing,
/// and carried out by [`Writer::add_event`] once the event is known to be new.
enum Placement {
    /// It joins cluster `id`, whose date `refined` replaces when the event is more precise.
    Join { id: i64, refined: Option<PartialDate> },
    /// It starts a cluster of its own.
    Create,
}

/// The cluster an event of `doc_id` with key `ck` joins (the best compatible dated one: the
/// exact date first, then the most specific, then the oldest), or [`Placement::Create`].
fn find_cluster(conn: &Connection, candidates: &mut Candidates, ck: &ClusterKey, doc_id: &str) -> Result<Placement> {
    let Some(d) = &ck.date else {
        let id = conn
            .prepare_cached("SELECT id FROM clusters WHERE dedup_key = ?1")?
            .query_row([ck.undated_key(doc_id)], |r| r.get::<_, i64>(0))
            .optional()?;
        return Ok(id.map_or(Placement::Create, |id| Placement::Join { id, refined: None }));
    };
    let mut best: Option<(i64, PartialDate)> = None;
    for &(id, cd) in candidates.get(conn, &ck.base, d)? {
        if !cd.compatible(d) {
            continue;
        }
        let better = match &best {
            None => true,
            Some((bid, bd)) => {
                let exact = cd == *d;
                let bexact = *bd == *d;
                (exact, cd.specificity(), -id) > (bexact, bd.specificity(), -bid)
            }
        };
        if better {
            best = Some((id, cd));
        }
    }
    Ok(match best {
        None => Placement::Create,
        // No cluster has the refined key: an exact match would have been chosen.
        Some((id, cd)) => Placement::Join { id, refined: Some(cd.refine(d)).filter(|r| *r != cd) },
    })
}

/// Dates cluster `id` (one of `ck`'s base) `refined`, a refinement of its date.
fn refine_cluster(
    conn: &Connection,
    candidates: &mut Candidates,
    ck: &ClusterKey,
    id: i64,
    refined: PartialDate,
) -> Result<()> {
    conn.prepare_cached("UPDATE clusters SET dedup_key = ?2, date = ?3, year = ?4, date_precision = ?5 WHERE id = ?1")?
        .execute(params![
            id,
            ck.dated_key(&refined),
            refined.to_string(),
            refined.year.map(|y| format!("{y:04}")),
            refined.precision().as_str()
        ])?;
    candidates.refined(&ck.base, id, refined);
    Ok(())
}

/// Creates cluster `id` for the event `ev` of `doc_id` (key `ck`), with this one mention already
/// counted: `event_row` is the event's row id.
#[allow(clippy::too_many_arguments)]
fn create_cluster(
    conn: &Connection,
    candidates: &mut Candidates,
    ck: &ClusterKey,
    ev: &Event,
    doc_id: &str,
    id: i64,
    event_row: i64,
    added: &str,
) -> Result<()> {
    let (key, date, year, precision) = match &ck.date {
        Some(d) => (ck.dated_key(d), Some(d.to_string()), d.year.map(|y| format!("{y:04}")), d.precision()),
        None => (ck.undated_key(doc_id), None, None, dyad_core::DatePrecision::None),
    };
    conn.prepare_cached(
        "INSERT INTO clusters (id, dedup_key, base_key, year, date, date_precision, source_key, target_key, cameo,
            root, goldstein, quad_class, negated, hypothetical, num_mentions, num_sources, num_articles,
            first_event, added)
         VALUES (?16, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, 1, 1, ?15, ?14)",
    )?
    .execute(params![
        key,
        ck.base,
        year,
        date,
        precision.as_str(),
        ck.source_key,
        ck.target_key,
        ev.cameo,
        ev.root,
        ev.goldstein,
        ev.quad_class as i64,
        ev.negated,
        ev.hypothetical,
        added,
        event_row,
        id
    ])?;
    if let Some(d) = ck.date {
        candidates.created(&ck.base, id, d);
    }
    Ok(())
}

/// A second connection to a store that checkpoints its WAL in a thread of its own while
/// [`Store::ingest_stream`] writes (`PASSIVE` checkpoints: they never wait for, nor block, the
/// writer or readers). The writer's own automatic checkpoints are off meanwhile; the last
/// connection to close checkpoints what is left, as always.
struct Checkpointer {
    conn: Connection,
}

/// How many sentences [`Store::ingest_stream`] lets wait for the full-text index within a
/// transaction. FTS5 writes one index segment per statement that adds to it, so one statement
/// per transaction is the cheapest; but the last transaction's statement runs when nothing is
/// left to code, on the critical path. Every 8,192 sentences keeps that tail short for a few
/// extra segments (measured in BENCHMARKS.md).
const FTS_STEP: usize = 8 * 1024;

/// The WAL size in bytes past which the writer lets the checkpoints catch up before its next
/// transaction: 64 MiB (4,096 frames of 16 KiB pages).
const WAL_CATCH_UP_BYTES: i64 = 64 << 20;

impl Checkpointer {
    /// `None` when the store cannot be opened a second time (an in-memory database): the
    /// writer then checkpoints as usual.
    fn open(path: &std::path::Path) -> Option<Checkpointer> {
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).ok()?;
        let wal = conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0)).ok()?;
        (wal.eq_ignore_ascii_case("wal") && path.exists()).then_some(Checkpointer { conn })
    }

    /// Starts the thread: it checkpoints once per request and answers when done, until the
    /// handle is dropped, which waits for the checkpoint in progress. `None` when no thread can
    /// be started: the writer then checkpoints as usual.
    fn spawn(self, wal_limit: i64) -> Option<Checkpoints> {
        let (request, requests) = std::sync::mpsc::sync_channel::<()>(1);
        let (answer, answers) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new().name("dyad-checkpoint".into()).spawn(move || {
            for () in requests {
                // An error here (the disk is full, say) leaves the pages in the WAL, where a
                // later checkpoint finds them: nothing to report from this thread.
                let _ = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                // the writer may have stopped listening: its requests still come until it drops
                let _ = answer.send(());
            }
        });
        Some(Checkpoints { request: Some(request), answers, outstanding: 0, wal_limit, thread: Some(thread.ok()?) })
    }
}

thread_local! {
    /// The WAL's size in frames after the last commit of a stream's writer on this thread, as
    /// SQLite's WAL hook reports it ([`note_wal_frames`]).
    static WAL_FRAMES: std::cell::Cell<i64> = const { std::cell::Cell::new(0) };
}

/// The WAL hook of a stream's writer: runs on the committing thread after each commit, with the
/// number of frames in the WAL.
fn note_wal_frames(_: &rusqlite::hooks::Wal, frames: std::ffi::c_int) -> rusqlite::Result<()> {
    WAL_FRAMES.with(|f| f.set(frames.into()));
    Ok(())
}

/// The writer's side of a [`Checkpointer`].
///
/// SQLite starts the WAL over only when a write transaction begins with every frame already
/// copied into the database file. A checkpoint running beside the writer never gets there on
/// its own — the writer begins its next transaction right after a commit, before that commit's
/// frames are copied — so once the WAL passes `wal_limit` ([`WAL_CATCH_UP_BYTES`]), the writer
/// waits for the checkpoints it asked for before it begins, and the WAL starts over: it stays
/// bounded, at the cost of one wait per ~64 MiB written. The writer knows the WAL's size from
/// its own commits (SQLite's WAL hook), not from the checkpoints' answers, which lag when the
/// checkpointing thread gets little CPU.
///
/// It outlives the stream: the store keeps it ([`Store`]'s `checkpoints`), so that the
/// checkpoint of a stream's last commit runs while the caller goes on (rebuilding deferred
/// indexes, say), and the next stream reuses the thread. Dropping it waits for the checkpoint
/// in progress.
pub(crate) struct Checkpoints {
    /// `None` once dropped.
    request: Option<std::sync::mpsc::SyncSender<()>>,
    answers: std::sync::mpsc::Receiver<()>,
    /// Requests sent and not answered yet.
    outstanding: usize,
    /// In frames: [`WAL_CATCH_UP_BYTES`] (smaller in tests) over the store's page size.
    wal_limit: i64,
    /// `None` once dropped.
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Checkpoints {
    fn drop(&mut self) {
        // The thread ends once its queue closes, after the checkpoint in progress.
        self.request = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Checkpoints {
    fn take_answers(&mut self) {
        while self.answers.try_recv().is_ok() {
            self.outstanding = self.outstanding.saturating_sub(1);
        }
    }

    /// Asks for a checkpoint of everything committed so far. A request still queued covers this
    /// commit too (it starts after it).
    fn after_commit(&mut self) {
        self.take_answers();
        if self.request.as_ref().is_some_and(|r| r.try_send(()).is_ok()) {
            self.outstanding += 1;
        }
    }

    /// Before a write transaction begins: waits for the checkpoints asked for when the WAL has
    /// grown past [`WAL_CATCH_UP_BYTES`].
    fn before_begin(&mut self) {
        self.take_answers();
        if WAL_FRAMES.with(std::cell::Cell::get) < self.wal_limit {
            return;
        }
        while self.outstanding > 0 && self.answers.recv().is_ok() {
            self.outstanding -= 1;
        }
        // Everything committed is copied: this transaction starts the WAL over (unless a reader
        // still reads an older snapshot, and then the next commit's frame count says so).
    }
}

/// Count changes of a cluster since its row was written, written by [`Writer::flush_clusters`]
/// (`first_event` 0: unchanged).
#[derive(Clone, Copy, Default)]
struct ClusterDelta {
    mentions: i64,
    articles: i64,
    sources: i64,
    first_event: i64,
}

/// One write transaction's working state: the next event row id, the rollup changes and the
/// sentences not yet in the full-text index, all written by [`Writer::finish`] before the commit.
///
/// Event and cluster row ids are assigned here (`max(id) + 1` when the transaction starts, then
/// counting up), so that a new cluster can be inserted with its first mention already counted,
/// one statement instead of three, and an event can name the cluster it starts before the
/// cluster exists: the event's insert comes first, because it is also the check that the event
/// is new.
///
/// Cluster bookkeeping is batched the same way: a document's memberships (`cluster_docs` rows)
/// are written once the document's events are all added, one row per cluster with its final
/// mention count, and the count changes of clusters that existed before are summed per cluster
/// and written once, before anything reads the counts (the end of the transaction, or a
/// document's removal, which recounts its clusters).
pub(crate) struct Writer<'c> {
    conn: &'c Connection,
    added: String,
    next_event: i64,
    /// The row id the next new cluster gets (ids are assigned here, like events', so that an
    /// event can name its cluster before the cluster is created).
    next_cluster: i64,
    /// The row id the next sentence gets (assigned here so that a document's row, stored before
    /// its sentences, names the first of them).
    next_sentence: i64,
    rollups: Rollups,
    /// The sentences stored by this transaction and not yet in the full-text index, which
    /// [`Writer::index_sentences`] adds in one statement (see schema v2): the row id of the
    /// first, and how many are left. New rows take ids counting up from the largest so far, so
    /// every row from `first` on is such a sentence (and not removed again).
    unindexed: Unindexed,
    /// Clusters mentioned by the document being written, with its mentions of each.
    doc_clusters: HashMap<i64, i64>,
    /// Pending count changes of clusters (new ones are inserted with their first mention).
    deltas: HashMap<i64, ClusterDelta>,
    /// The dated clusters looked up so far (see [`Candidates`]).
    candidates: Candidates,
    /// The statements run once per event or sentence, prepared once per transaction: a
    /// `prepare_cached` lookup hashes the SQL text each time (~5 % of the writer's work).
    hot: HotStatements<'c>,
    pub stats: IngestStats,
}

/// Where the rows of a document are, as its `documents` row says: for
/// [`Writer::add_document_events`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct DocRows {
    /// The `sentences` row of its first sentence (any value when it has none).
    pub sentence_first: i64,
    /// How many sentences it has.
    pub sentence_count: usize,
    /// How many events its row names, from the writer's next event id on.
    pub declared_events: usize,
}

impl DocRows {
    /// The `sentences` row of sentence `index`, when the document has one.
    fn sentence_id(&self, index: usize) -> Option<i64> {
        (index < self.sentence_count).then(|| self.sentence_first + index as i64)
    }
}

/// See [`Writer::unindexed`].
#[derive(Default)]
struct Unindexed {
    first: Option<i64>,
    count: usize,
}

/// See [`Writer::hot`].
struct HotStatements<'c> {
    insert_document_if_new: Insert<'c>,
    /// The plain insert that replaces a document, prepared at the first replacement.
    insert_document: Option<Insert<'c>>,
    insert_sentence: Insert<'c>,
    insert_event: Insert<'c>,
    insert_membership: Insert<'c>,
    origin_is_new: Statement<'c>,
}

impl<'c> Writer<'c> {
    /// Starts on an open (write) transaction.
    pub fn new(conn: &'c Connection) -> Result<Writer<'c>> {
        let next_event: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM events", [], |r| r.get(0))?;
        let next_cluster: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM clusters", [], |r| r.get(0))?;
        let next_sentence: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM sentences", [], |r| r.get(0))?;
        Ok(Writer {
            conn,
            added: now_rfc3339(),
            next_event,
            next_cluster,
            next_sentence,
            rollups: Rollups::default(),
            unindexed: Unindexed::default(),
            doc_clusters: HashMap::new(),
            deltas: HashMap::new(),
            candidates: Candidates::default(),
            hot: HotStatements {
                insert_document_if_new: Insert::prepare(conn, INSERT_DOCUMENT_IF_NEW)?,
                insert_document: None,
                insert_sentence: Insert::prepare(conn, INSERT_SENTENCE)?,
                insert_event: Insert::prepare(conn, INSERT_EVENT)?,
                insert_membership: Insert::prepare(
                    conn,
                    "INSERT INTO cluster_docs (cluster_id, doc_id, origin, mentions) VALUES (?1, ?2, ?3, ?4)",
                )?,
                origin_is_new: conn
                    .prepare("SELECT NOT EXISTS (SELECT 1 FROM cluster_docs WHERE cluster_id = ?1 AND origin = ?2)")?,
            },
            stats: IngestStats::default(),
        })
    }

    /// Writes the pending cluster count changes.
    fn flush_clusters(&mut self) -> Result<()> {
        let mut st = self.conn.prepare_cached(
            "UPDATE clusters SET num_mentions = num_mentions + ?2, num_articles = num_articles + ?3,
                num_sources = num_sources + ?4, first_event = coalesce(first_event, nullif(?5, 0)) WHERE id = ?1",
        )?;
        for (id, d) in self.deltas.drain() {
            st.execute(params![id, d.mentions, d.articles, d.sources, d.first_event])?;
        }
        Ok(())
    }

    /// Writes the memberships of the document whose events were just added.
    fn end_document(&mut self, doc_id: &str, origin: &str) -> Result<()> {
        if self.doc_clusters.is_empty() {
            return Ok(());
        }
        for (id, m) in self.doc_clusters.drain() {
            self.hot.insert_membership.execute(&raw_params![id, doc_id, origin, m])?;
        }
        Ok(())
    }

    /// Adds the events of a stored document that has none (its sentences as stored, by index),
    /// then writes its cluster memberships and its event range: the rows from the next event id
    /// on, consecutive, since an id is only taken by an event stored. `rows` says where its
    /// sentences are and how many events its `documents` row names already, from that same
    /// first id (the row is only rewritten when that differs: some events were already stored).
    pub fn add_document_events(
        &mut self,
        doc_id: &str,
        origin: &str,
        events: &[Event],
        prepared: &[PreparedEvent],
        rows: DocRows,
    ) -> Result<()> {
        debug_assert_eq!(events.len(), prepared.len());
        let first = self.next_event;
        for (ev, p) in events.iter().zip(prepared) {
            let sentence_id = rows.sentence_id(ev.sentence_index);
            self.add_event(ev, p, doc_id, origin, sentence_id)?;
        }
        let stored = self.next_event - first;
        if rows.declared_events != stored as usize {
            self.conn
                .prepare_cached("UPDATE documents SET event_first = ?2, event_count = ?3 WHERE id = ?1")?
                .execute(params![doc_id, (stored > 0).then_some(first), stored])?;
        }
        self.end_document(doc_id, origin)
    }

    /// Adds the sentences stored since the last call to the full-text index, in one statement
    /// (see schema v2), once there are at least `at_least` of them. [`Writer::finish`] calls it
    /// for all; a long transaction may call it for some on the way (see [`FTS_STEP`]).
    pub fn index_sentences(&mut self, at_least: usize) -> Result<()> {
        if self.unindexed.count < at_least.max(1) {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.unindexed);
        if let Some(first) = pending.first {
            let n = self
                .conn
                .prepare_cached("INSERT INTO sentences_fts(rowid, text) SELECT id, text FROM sentences WHERE id >= ?1")?
                .execute([first])?;
            debug_assert_eq!(n, pending.count, "the sentences from row {first} on are the ones not indexed yet");
        }
        Ok(())
    }

    /// Writes the rollups, the pending cluster counts and the full-text index of the sentences
    /// stored so far. Call once, just before the commit.
    pub fn finish(mut self) -> Result<IngestStats> {
        debug_assert!(self.doc_clusters.is_empty(), "a document's events were added without end_document");
        self.flush_clusters()?;
        self.rollups.flush(self.conn)?;
        self.index_sentences(1)?;
        Ok(self.stats)
    }

    /// Stores one event of a stored document, with its cluster, rollup and label bookkeeping
    /// (the document's memberships are written by [`Writer::end_document`]).
    fn add_event(
        &mut self,
        ev: &Event,
        p: &PreparedEvent,
        doc_id: &str,
        origin: &str,
        sentence_id: Option<i64>,
    ) -> Result<()> {
        let conn = self.conn;
        // Where the event goes is worked out first, without changing anything; the insert
        // itself then says whether its id is new (the unique index is searched once, not
        // twice), and only a new event creates or refines its cluster.
        let placement = find_cluster(conn, &mut self.candidates, &p.key, doc_id)?;
        let row = self.next_event;
        let cluster_id = match placement {
            Placement::Join { id, .. } => id,
            Placement::Create => self.next_cluster,
        };
        if !insert_event_row(&mut self.hot.insert_event, row, ev, p, doc_id, cluster_id, sentence_id)? {
            self.stats.duplicate_events += 1;
            return Ok(());
        }
        self.next_event += 1;
        let created = match placement {
            Placement::Join { id, refined } => {
                if let Some(r) = refined {
                    refine_cluster(conn, &mut self.candidates, &p.key, id, r)?;
                }
                self.stats.clusters_joined += 1;
                false
            }
            Placement::Create => {
                create_cluster(conn, &mut self.candidates, &p.key, ev, doc_id, cluster_id, row, &self.added)?;
                self.next_cluster += 1;
                self.stats.clusters_created += 1;
                true
            }
        };
        match self.doc_clusters.get_mut(&cluster_id) {
            Some(m) => {
                // Another mention by this document: counted in the cluster whether this
                // document created it (its row counts one mention) or joined it.
                *m += 1;
                self.deltas.entry(cluster_id).or_default().mentions += 1;
            }
            None if created => {
                self.doc_clusters.insert(cluster_id, 1);
            }
            None => {
                // First mention of an older cluster by this document: one more article, and
                // one more source unless a stored document of the same origin is in it.
                let new_source: bool = self.hot.origin_is_new.query_row(params![cluster_id, origin], |r| r.get(0))?;
                self.doc_clusters.insert(cluster_id, 1);
                let d = self.deltas.entry(cluster_id).or_default();
                d.mentions += 1;
                d.articles += 1;
                d.sources += new_source as i64;
                d.first_event = if d.first_event == 0 { row } else { d.first_event.min(row) };
            }
        }
        let tk = ev.target.as_ref().and_then(|t| t.key());
        self.rollups.event(
            &EventPart {
                source_key: ev.source.key(),
                target_key: tk,
                date: ev.date.as_deref(),
                negated: ev.negated,
                hypothetical: ev.hypothetical,
                quad_class: ev.quad_class as i64,
                goldstein: ev.goldstein,
            },
            1,
        );
        if let Some(k) = ev.source.key() {
            self.rollups.text(k, &ev.source.text, actor_kind(&ev.source), 1);
        }
        if let (Some(t), Some(k)) = (ev.target.as_ref(), tk) {
            self.rollups.text(k, &t.text, actor_kind(t), 1);
        }
        self.stats.events += 1;
        Ok(())
    }

    /// Removes every event of a document: rollups, labels and cluster memberships follow;
    /// clusters left empty are deleted and the others recomputed. Documents and sentences stay.
    pub fn remove_document_events(&mut self, doc_id: &str) -> Result<()> {
        // The clusters are recounted below: their pending changes go first; they may be merged
        // or deleted, which the looked-up candidates do not follow.
        self.flush_clusters()?;
        self.candidates.clear();
        let conn = self.conn;
        let mut per_cluster: BTreeMap<i64, i64> = BTreeMap::new();
        let (first, count, origin): (Option<i64>, i64, String) = conn
            .prepare_cached("SELECT event_first, event_count, origin FROM documents WHERE id = ?1")?
            .query_row([doc_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let Some(first) = first.filter(|_| count > 0) else { return Ok(()) };
        let last = first + count - 1;
        {
            let mut st = conn.prepare_cached(
                "SELECT cluster_id, source_key, target_key, date, negated, hypothetical, quad_class, goldstein,
                        source_text, target_text
                 FROM events WHERE id BETWEEN ?1 AND ?2",
            )?;
            let mut rows = st.query([first, last])?;
            while let Some(r) = rows.next()? {
                let cluster: i64 = r.get(0)?;
                let sk: Option<String> = r.get(1)?;
                let tk: Option<String> = r.get(2)?;
                let date: Option<String> = r.get(3)?;
                self.rollups.event(
                    &EventPart {
                        source_key: sk.as_deref(),
                        target_key: tk.as_deref(),
                        date: date.as_deref(),
                        negated: r.get(4)?,
                        hypothetical: r.get(5)?,
                        quad_class: r.get(6)?,
                        goldstein: r.get(7)?,
                    },
                    -1,
                );
                if let Some(k) = &sk {
                    let text: Option<String> = r.get(8)?;
                    self.rollups.text(k, text.as_deref().unwrap_or(""), "", -1);
                }
                if let Some(k) = &tk {
                    let text: Option<String> = r.get(9)?;
                    self.rollups.text(k, text.as_deref().unwrap_or(""), "", -1);
                }
                *per_cluster.entry(cluster).or_default() += 1;
                self.stats.removed_events += 1;
            }
        }
        conn.prepare_cached("DELETE FROM events WHERE id BETWEEN ?1 AND ?2")?.execute([first, last])?;
        // The range goes with its rows: a later event may take one of their ids.
        conn.prepare_cached("UPDATE documents SET event_first = NULL, event_count = 0 WHERE id = ?1")?
            .execute([doc_id])?;
        for (&cluster, &n) in &per_cluster {
            conn.prepare_cached("DELETE FROM cluster_docs WHERE cluster_id = ?1 AND origin = ?2 AND doc_id = ?3")?
                .execute(params![cluster, origin, doc_id])?;
            let source_gone: bool = self.hot.origin_is_new.query_row(params![cluster, origin], |r| r.get(0))?;
            conn.prepare_cached(
                "UPDATE clusters SET num_mentions = num_mentions - ?2, num_articles = num_articles - 1,
                    num_sources = num_sources - ?3 WHERE id = ?1",
            )?
            .execute(params![cluster, n, source_gone as i64])?;
            refresh_cluster(conn, cluster)?;
        }
        Ok(())
    }

    /// Removes a stored document (a new version of it is about to be stored): its events, its
    /// sentences and their full-text entries, and its row.
    pub fn remove_document(&mut self, doc_id: &str) -> Result<()> {
        let conn = self.conn;
        self.remove_document_events(doc_id)?;
        // Its sentences leave the full-text index (those not indexed yet only leave the pending
        // list).
        let old_sentences: Vec<(i64, String)> = conn
            .prepare_cached(SENTENCES_OF_DOCUMENT)?
            .query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // the rows just read are the document's range, consecutive
        let range = old_sentences.first().zip(old_sentences.last()).map(|(a, b)| (a.0, b.0));
        for (id, text) in old_sentences {
            if self.unindexed.first.is_some_and(|first| id >= first) {
                self.unindexed.count -= 1;
            } else {
                conn.prepare_cached("INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', ?1, ?2)")?
                    .execute(params![id, text])?;
            }
        }
        if let Some((first, last)) = range {
            conn.prepare_cached("DELETE FROM sentences WHERE id BETWEEN ?1 AND ?2")?.execute([first, last])?;
        }
        conn.prepare_cached("DELETE FROM documents WHERE id = ?1")?.execute([doc_id])?;
        Ok(())
    }

    /// Stores a document unless its text is already stored (counted `unchanged`); a stored
    /// document with the same id and another text is replaced (counted `replaced`). `hash` is
    /// [`Store::content_hash`] of the text when the caller has it already.
    pub fn store_if_new(
        &mut self,
        doc: &Document,
        hash: Option<&str>,
        events: &[Event],
        sentences: Option<&[Range<usize>]>,
    ) -> Result<()> {
        let p = Prepared::of(doc, hash.map(str::to_string), events, sentences.map(<[_]>::to_vec))?;
        self.store_prepared(doc, events, &p)
    }

    /// [`Writer::store_if_new`] with the work that needs no store done already.
    pub(crate) fn store_prepared(&mut self, doc: &Document, events: &[Event], p: &Prepared) -> Result<()> {
        let computed;
        let spans: &[Range<usize>] = match &p.spans {
            Some(s) => s,
            None => {
                computed = sentence_spans(&doc.text);
                &computed
            }
        };
        // The insert is the lookup: it stores nothing when the text or the id is known, and
        // only then is it worth asking which.
        if !self.insert_document(doc, &p.hash, &p.origin, spans.len(), events.len(), true)? {
            let known: bool = self
                .conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE hash = ?1)")?
                .query_row([&p.hash], |r| r.get(0))?;
            if known {
                self.stats.unchanged += 1;
                return Ok(());
            }
            self.remove_document(&doc.id)?;
            self.stats.replaced += 1;
            self.insert_document(doc, &p.hash, &p.origin, spans.len(), events.len(), false)?;
        }
        self.store_contents(doc, events, p, spans)?;
        self.stats.documents += 1;
        Ok(())
    }

    /// Inserts the `documents` row, naming the `sentences` rows its `sentences` sentences will
    /// take and the `events` rows its `events` events will (the writer corrects the count when
    /// some are not stored, see [`Writer::add_document_events`]); returns whether it did. With
    /// `if_new`, nothing is stored when its id or its hash is stored already; without, that is
    /// an error.
    fn insert_document(
        &mut self,
        doc: &Document,
        hash: &str,
        origin: &str,
        sentences: usize,
        events: usize,
        if_new: bool,
    ) -> Result<bool> {
        let date = doc.date.map(|d| d.format("%Y-%m-%d").to_string());
        let first = (sentences > 0).then_some(self.next_sentence);
        let first_event = (events > 0).then_some(self.next_event);
        let values = raw_params![
            &doc.id,
            hash,
            doc.source.as_deref(),
            doc.url.as_deref(),
            doc.title.as_deref(),
            date.as_deref(),
            &self.added,
            origin,
            &doc.text,
            first,
            sentences as i64,
            first_event,
            events as i64,
            doc.provenance.as_deref(),
        ];
        let st = if if_new {
            &mut self.hot.insert_document_if_new
        } else {
            match &mut self.hot.insert_document {
                Some(st) => st,
                none => none.insert(Insert::prepare(self.conn, INSERT_DOCUMENT)?),
            }
        };
        let n = st.execute(&values)?;
        Ok(n == 1)
    }

    /// Stores the sentences and events of a document whose row was just inserted. Its sentences
    /// are the byte spans the coder numbered its `sentence_index` by (for a document prepared
    /// without them, [`sentence_spans`]), stored as the rows its row names.
    fn store_contents(&mut self, doc: &Document, events: &[Event], p: &Prepared, spans: &[Range<usize>]) -> Result<()> {
        let rows =
            DocRows { sentence_first: self.next_sentence, sentence_count: spans.len(), declared_events: events.len() };
        for i in 0..spans.len() {
            let text = sentence_text(&doc.text, spans, i).unwrap_or_default();
            let id = self.next_sentence;
            self.hot.insert_sentence.execute(&raw_params![id, &doc.id, i as i64, text])?;
            self.next_sentence += 1;
            self.unindexed.first.get_or_insert(id);
            self.unindexed.count += 1;
        }
        self.stats.sentences += spans.len();
        let computed;
        let prepared: &[PreparedEvent] = match &p.events {
            Some(e) => e,
            None => {
                computed = PreparedEvent::all(&doc.id, events, |i| sentence_text(&doc.text, spans, i))?;
                &computed
            }
        };
        self.add_document_events(&doc.id, &p.origin, events, prepared, rows)
    }
}

/// The byte spans of `text`'s sentences, numbered as the coder numbers `sentence_index`.
pub fn sentence_spans(text: &str) -> Vec<Range<usize>> {
    dyad_text::analyze(text).sentences.iter().map(|s| s.start..s.end).collect()
}

/// After mentions left a cluster: delete it if empty, else recompute its first mention and its
/// date (the most precise remaining), merging into the cluster that already has that date.
fn refresh_cluster(conn: &Connection, cluster: i64) -> Result<()> {
    let (mentions, base, date): (i64, String, Option<String>) = conn
        .prepare_cached("SELECT num_mentions, base_key, date FROM clusters WHERE id = ?1")?
        .query_row([cluster], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if mentions <= 0 {
        conn.prepare_cached("DELETE FROM clusters WHERE id = ?1")?.execute([cluster])?;
        return Ok(());
    }
    let mut first = i64::MAX;
    let mut refined: Option<PartialDate> = None;
    {
        let mut st = conn.prepare_cached("SELECT id, date FROM events WHERE cluster_id = ?1")?;
        let mut rows = st.query([cluster])?;
        while let Some(r) = rows.next()? {
            first = first.min(r.get::<_, i64>(0)?);
            if let Some(d) = r.get::<_, Option<String>>(1)?.as_deref().and_then(PartialDate::parse) {
                refined = Some(refined.map_or(d, |x| x.refine(&d)));
            }
        }
    }
    conn.prepare_cached("UPDATE clusters SET first_event = ?2 WHERE id = ?1")?.execute(params![cluster, first])?;
    let (Some(_), Some(new_date)) = (date.as_deref(), refined) else { return Ok(()) };
    if date.as_deref() == Some(new_date.to_string().as_str()) {
        return Ok(());
    }
    let key = dated_key(&base, &new_date);
    let other: Option<i64> = conn
        .prepare_cached("SELECT id FROM clusters WHERE dedup_key = ?1")?
        .query_row([&key], |r| r.get(0))
        .optional()?;
    match other {
        Some(into) => merge_clusters(conn, cluster, into),
        None => {
            conn.prepare_cached(
                "UPDATE clusters SET dedup_key = ?2, date = ?3, year = ?4, date_precision = ?5 WHERE id = ?1",
            )?
            .execute(params![
                cluster,
                key,
                new_date.to_string(),
                new_date.year.map(|y| format!("{y:04}")),
                new_date.precision().as_str()
            ])?;
            Ok(())
        }
    }
}

fn merge_clusters(conn: &Connection, from: i64, into: i64) -> Result<()> {
    conn.prepare_cached("UPDATE events SET cluster_id = ?2 WHERE cluster_id = ?1")?.execute(params![from, into])?;
    conn.prepare_cached(
        "INSERT INTO cluster_docs (cluster_id, doc_id, origin, mentions)
         SELECT ?2, doc_id, origin, mentions FROM cluster_docs WHERE cluster_id = ?1
         ON CONFLICT (cluster_id, origin, doc_id) DO UPDATE SET mentions = mentions + excluded.mentions",
    )?
    .execute(params![from, into])?;
    conn.prepare_cached("DELETE FROM cluster_docs WHERE cluster_id = ?1")?.execute([from])?;
    conn.prepare_cached("DELETE FROM clusters WHERE id = ?1")?.execute([from])?;
    conn.prepare_cached(
        "UPDATE clusters SET
            num_mentions = (SELECT count(*) FROM events WHERE cluster_id = ?1),
            num_articles = (SELECT count(*) FROM cluster_docs WHERE cluster_id = ?1),
            num_sources = (SELECT count(DISTINCT origin) FROM cluster_docs WHERE cluster_id = ?1),
            first_event = (SELECT min(id) FROM events WHERE cluster_id = ?1)
         WHERE id = ?1",
    )?
    .execute([into])?;
    Ok(())
}

/// Reads a stored document back as a [`Document`].
pub(crate) fn read_document(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let date: Option<String> = r.get("date")?;
    Ok(Document {
        id: r.get("id")?,
        text: r.get("text")?,
        date: date.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        url: r.get("url")?,
        title: r.get("title")?,
        source: r.get("source")?,
        provenance: r.get("provenance")?,
    })
}

impl Store {
    pub(crate) fn check_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(StoreError::ReadOnly(format!("{} was opened read-only", self.path.display())));
        }
        Ok(())
    }

    /// Stores a batch of coded documents in ONE transaction (all or nothing).
    ///
    /// A document whose text is already stored is skipped (`unchanged`); a known id with a new
    /// text replaces the old version (its events, sentences, cluster memberships and rollup
    /// contributions are removed first). Sentences come from `dyad_text::analyze(&doc.text)`,
    /// whose positions are the events' `sentence_index`; [`Store::ingest_coded`] takes them from
    /// the coder instead. Every event joins or starts a cluster, and the rollups are updated in
    /// the same transaction.
    pub fn ingest(&mut self, batch: &[(Document, Vec<Event>)]) -> Result<IngestStats> {
        self.ingest_items(batch.iter().map(|(d, e)| (d, e.as_slice(), None)))
    }

    /// [`Store::ingest`] for documents whose sentence spans the coder already knows
    /// ([`Coded::sentences`]), so that the store does not split the text again.
    pub fn ingest_coded(&mut self, batch: &[Coded]) -> Result<IngestStats> {
        self.ingest_items(batch.iter().map(|c| (&c.doc, c.events.as_slice(), c.sentences.as_deref())))
    }

    fn ingest_items<'a>(
        &mut self,
        batch: impl Iterator<Item = (&'a Document, &'a [Event], Option<&'a [Range<usize>]>)>,
    ) -> Result<IngestStats> {
        self.check_writable()?;
        let res = (|| -> Result<IngestStats> {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut w = Writer::new(&tx)?;
            for (doc, events, sentences) in batch {
                w.store_if_new(doc, None, events, sentences)?;
            }
            let stats = w.finish()?;
            tx.commit()?;
            Ok(stats)
        })();
        res.map_err(|e| self.classify_err(e))
    }

    /// Stores a stream of coded chunks, several chunks per transaction: a transaction is
    /// committed once it holds `limits.documents` documents or `limits.text_bytes` bytes of text,
    /// and when the stream ends. `progress` is called after each chunk with the counts so far
    /// (the committed ones and the open transaction's).
    ///
    /// This is how `dyad ingest` decouples two sizes that pull in opposite directions: the
    /// coder hands over small chunks, so that coding the next one overlaps writing this one,
    /// while the store commits big transactions, because a commit writes every page that the
    /// transaction touched — and the pages of the content-addressed indexes (`documents.hash`,
    /// `events.event_id`) are touched all over by any batch. A process killed mid-stream loses
    /// only its open transaction: the committed ones are complete, and running the same
    /// ingest again stores exactly what is missing.
    ///
    /// While a transaction is open the stream may block (the caller is coding the next chunk):
    /// the write lock is held meanwhile, and other writers wait for the commit.
    ///
    /// The work of a chunk that needs no store (each document's origin, each event's dedup key,
    /// id, month and `events.json`) is done on a thread of its own, one chunk ahead of the
    /// writer, which is the one stage of an ingest that cannot use more cores.
    ///
    /// ```
    /// # fn main() -> Result<(), dyad_store::StoreError> {
    /// use dyad_core::Document;
    /// use dyad_store::{Coded, TxLimits};
    /// let dir = std::env::temp_dir().join(format!("dyad-doc-stream-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let mut store = dyad_store::Store::open(dir.join("s.db"))?;
    /// let chunk = |from: usize| -> Vec<Coded> {
    ///     (from..from + 3)
    ///         .map(|i| Coded {
    ///             doc: Document { id: format!("d{i}"), text: format!("Report {i}."), ..Document::default() },
    ///             ..Coded::default()
    ///         })
    ///         .collect()
    /// };
    /// let mut seen = Vec::new();
    /// let limits = TxLimits { documents: 4, text_bytes: 1 << 20 };
    /// let stats = store.ingest_stream([chunk(0), chunk(3), chunk(6)], limits, |s| seen.push(s.documents))?;
    /// assert_eq!((stats.documents, seen), (9, vec![3, 6, 9]));
    /// assert_eq!(store.documents_count()?, 9);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn ingest_stream<I>(
        &mut self,
        chunks: I,
        limits: TxLimits,
        progress: impl FnMut(&IngestStats),
    ) -> Result<IngestStats>
    where
        I: IntoIterator<Item = Vec<Coded>>,
    {
        self.stream_with_wal_limit(chunks, limits, WAL_CATCH_UP_BYTES, progress)
    }

    /// [`Store::ingest_stream`] with the WAL size, in bytes, at which the writer lets the
    /// checkpoints catch up (see [`Checkpoints`]).
    fn stream_with_wal_limit<I>(
        &mut self,
        chunks: I,
        limits: TxLimits,
        wal_limit_bytes: i64,
        mut progress: impl FnMut(&IngestStats),
    ) -> Result<IngestStats>
    where
        I: IntoIterator<Item = Vec<Coded>>,
    {
        self.check_writable()?;
        let mut chunks = chunks.into_iter();
        let mut total = IngestStats::default();
        // Checkpoints (copying committed WAL pages into the database file) run on a second
        // connection in a thread of their own, so that the writer goes on with the next
        // transaction meanwhile; without one, the writer's own commits checkpoint.
        let wal_limit = wal_limit_bytes / self.page_size()?.max(512);
        let mut checkpoints = self.checkpoints.take().or_else(|| Checkpointer::open(&self.path)?.spawn(wal_limit));
        if let Some(c) = checkpoints.as_mut() {
            c.wal_limit = wal_limit;
            // (the pragma also drops SQLite's WAL hook, which `note_wal_frames` then takes; the
            // pragma that restores the setting below puts SQLite's back)
            self.conn.execute_batch("PRAGMA wal_autocheckpoint=0")?;
            WAL_FRAMES.with(|f| f.set(0));
            self.conn.wal_hook(Some(note_wal_frames));
        }
        let res = std::thread::scope(|scope| {
            // Written chunks are freed on a thread of their own: thousands of small allocations
            // per chunk that the writer need not wait for.
            let (recycle, written) = std::sync::mpsc::channel::<Vec<(Coded, Prepared)>>();
            scope.spawn(move || written.into_iter().for_each(drop));
            // Chunks are prepared on a thread of their own, one chunk ahead of the writer: the
            // writer takes chunk n + 1 from the caller and hands it over before it writes chunk n.
            let (to_prepare, raw) = std::sync::mpsc::sync_channel::<Vec<Coded>>(2);
            let (ready, prepared) = std::sync::mpsc::sync_channel::<Result<Vec<(Coded, Prepared)>>>(2);
            scope.spawn(move || {
                for chunk in raw {
                    let chunk: Result<Vec<(Coded, Prepared)>> = chunk
                        .into_iter()
                        .map(|mut c| {
                            let p = Prepared::of(&c.doc, c.hash.take(), &c.events, c.sentences.take())?;
                            Ok((c, p))
                        })
                        .collect();
                    // a closed queue: the writer stopped (on an error it reports)
                    if ready.send(chunk).is_err() {
                        break;
                    }
                }
            });
            let mut in_flight = 0usize;
            // Hands the caller's next chunk (if any) to the preparing thread, then takes the
            // oldest prepared one; `None` at the end of the stream.
            let mut hand_over = move |take: bool| -> Result<Option<Vec<(Coded, Prepared)>>> {
                if let Some(chunk) = chunks.next() {
                    // the preparing thread stops only once this side's queue closes
                    let _ = to_prepare.send(chunk);
                    in_flight += 1;
                }
                if !take || in_flight == 0 {
                    return Ok(None);
                }
                in_flight -= 1;
                // It fails only if the preparing thread panicked, which the scope then raises.
                prepared.recv().expect("the thread preparing chunks panicked").map(Some)
            };
            let conn = &mut self.conn;
            let res = (|| -> Result<()> {
                hand_over(false)?;
                let mut next = hand_over(true)?;
                while next.is_some() {
                    if let Some(c) = checkpoints.as_mut() {
                        c.before_begin();
                    }
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let mut w = Writer::new(&tx)?;
                    let (mut docs, mut bytes) = (0usize, 0usize);
                    while let Some(chunk) = next.take() {
                        for (c, p) in &chunk {
                            w.store_prepared(&c.doc, &c.events, p)?;
                            docs += 1;
                            bytes += c.doc.text.len();
                        }
                        let _ = recycle.send(chunk);
                        w.index_sentences(FTS_STEP)?;
                        let mut so_far = total.clone();
                        so_far.add(&w.stats);
                        progress(&so_far);
                        next = hand_over(true)?;
                        if docs >= limits.documents.max(1) || bytes >= limits.text_bytes {
                            break;
                        }
                    }
                    let stats = w.finish()?;
                    tx.commit()?;
                    total.add(&stats);
                    if let Some(c) = checkpoints.as_mut() {
                        c.after_commit();
                    }
                }
                Ok(())
            })();
            drop((recycle, hand_over));
            res
        });
        // The checkpoint of the last commit goes on meanwhile.
        self.checkpoints = checkpoints;
        let restored = self.restore_autocheckpoint();
        res.map_err(|e| self.classify_err(e))?;
        restored?;
        Ok(total)
    }

    /// Codes and stores a batch of raw documents: the one ingest path that `dyad ingest` and
    /// `POST /api/documents` share.
    ///
    /// Documents whose text is already stored (or repeated earlier in the batch) are counted as
    /// `unchanged` and never reach `code`; the others are coded in parallel (rayon) and stored
    /// in one transaction. `code` returns the events ([`Vec<Event>`]) or, better, the events
    /// with the sentence spans they are numbered by ([`Coded`] parts, see [`CodeOutput`]).
    ///
    /// ```
    /// # fn main() -> Result<(), dyad_store::StoreError> {
    /// use dyad_core::Document;
    /// let dir = std::env::temp_dir().join(format!("dyad-doc-ingest-with-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let mut store = dyad_store::Store::open(dir.join("s.db"))?;
    /// let doc = Document { id: "d1".into(), text: "Baku hosted talks.".into(), ..Document::default() };
    /// let first = store.ingest_with(vec![doc.clone()], |_| Vec::new())?;
    /// let again = store.ingest_with(vec![doc], |_| -> Vec<dyad_core::Event> {
    ///     panic!("stored documents are not coded again")
    /// })?;
    /// assert_eq!((first.documents, again.documents, again.unchanged), (1, 0, 1));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn ingest_with<F, O>(&mut self, docs: Vec<Document>, code: F) -> Result<IngestStats>
    where
        F: Fn(&Document) -> O + Sync,
        O: CodeOutput,
    {
        let mut seen = std::collections::HashSet::new();
        let mut unchanged = 0;
        let mut fresh = Vec::with_capacity(docs.len());
        for d in docs {
            let hash = Store::content_hash(&d.text);
            if !seen.insert(hash.clone()) || self.contains_hash(&hash)? {
                unchanged += 1;
            } else {
                fresh.push(d);
            }
        }
        let coded: Vec<Coded> = fresh
            .into_par_iter()
            .map(|doc| {
                let (events, sentences) = code(&doc).into_parts();
                Coded { doc, events, sentences, hash: None }
            })
            .collect();
        let mut stats = self.ingest_coded(&coded)?;
        stats.unchanged += unchanged;
        Ok(stats)
    }

    /// Re-codes every stored document with `code`: events, clusters and rollups are rebuilt;
    /// documents and sentences are kept. Documents are coded in parallel in batches of 256, each
    /// batch stored in one transaction; `progress` gets the number of documents done so far.
    pub fn recode<F>(&mut self, code: F, mut progress: impl FnMut(usize)) -> Result<IngestStats>
    where
        F: Fn(&Document) -> Vec<Event> + Sync,
    {
        self.check_writable()?;
        const BATCH: usize = 256;
        let mut stats = IngestStats::default();
        let mut after = String::new();
        let mut done = 0usize;
        loop {
            let docs: Vec<Document> = {
                let mut st = self.conn.prepare_cached(
                    "SELECT id, text, date, url, title, source, provenance FROM documents
                     WHERE id > ?1 ORDER BY id LIMIT ?2",
                )?;
                let rows = st.query_map(params![after, BATCH as i64], read_document)?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let Some(last) = docs.last() else { break };
            after = last.id.clone();
            let coded: Vec<Vec<Event>> = docs.par_iter().map(&code).collect();
            let res = (|| -> Result<IngestStats> {
                let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let mut w = Writer::new(&tx)?;
                for (doc, events) in docs.iter().zip(&coded) {
                    w.remove_document_events(&doc.id)?;
                    let origin: String = tx
                        .prepare_cached("SELECT origin FROM documents WHERE id = ?1")?
                        .query_row([&doc.id], |r| r.get(0))?;
                    let sentences: Vec<(i64, String)> = {
                        let mut st = tx.prepare_cached(SENTENCES_OF_DOCUMENT)?;
                        let rows = st.query_map([&doc.id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                        rows.collect::<rusqlite::Result<_>>()?
                    };
                    let prepared = PreparedEvent::all(&doc.id, events, |i| sentences.get(i).map(|(_, t)| t.as_str()))?;
                    // the document's range, consecutive rows; its events were just removed
                    let rows = DocRows {
                        sentence_first: sentences.first().map_or(0, |(id, _)| *id),
                        sentence_count: sentences.len(),
                        declared_events: 0,
                    };
                    w.add_document_events(&doc.id, &origin, events, &prepared, rows)?;
                    w.stats.documents += 1;
                }
                let s = w.finish()?;
                tx.commit()?;
                Ok(s)
            })();
            let s = res.map_err(|e| self.classify_err(e))?;
            stats.add(&s);
            done += docs.len();
            progress(done);
        }
        Ok(stats)
    }

    /// Recounts clusters, their document sets, rollups and actor labels from `events` and
    /// returns every disagreement found (empty when the store is consistent). Slow on big
    /// stores: it reads everything.
    pub fn check_consistency(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let checks: &[(&str, &str)] = &[
            (
                "cluster counts differ from a recount",
                "SELECT c.id FROM clusters c WHERE
                    num_mentions != (SELECT count(*) FROM events e WHERE e.cluster_id = c.id)
                 OR num_articles != (SELECT count(DISTINCT doc_id) FROM events e WHERE e.cluster_id = c.id)
                 OR num_sources != (SELECT count(DISTINCT d.origin) FROM events e JOIN documents d ON d.id = e.doc_id
                                    WHERE e.cluster_id = c.id)
                 OR first_event IS NOT (SELECT min(id) FROM events e WHERE e.cluster_id = c.id)
                 LIMIT 10",
            ),
            (
                "documents' sentence ranges differ from their sentences",
                "SELECT d.id FROM documents d WHERE d.sentence_count != (SELECT count(*) FROM sentences s
                    WHERE s.id >= d.sentence_first AND s.id < d.sentence_first + d.sentence_count
                      AND s.doc_id = d.id AND s.idx = s.id - d.sentence_first)
                 LIMIT 10",
            ),
            (
                "sentences outside their document's range",
                "SELECT s.id FROM sentences s LEFT JOIN documents d ON d.id = s.doc_id
                 WHERE d.id IS NULL OR s.id - d.sentence_first IS NOT s.idx OR s.idx >= d.sentence_count LIMIT 10",
            ),
            (
                "documents' event ranges differ from their events",
                "SELECT d.id FROM documents d WHERE d.event_count != (SELECT count(*) FROM events e
                    WHERE e.id >= d.event_first AND e.id < d.event_first + d.event_count AND e.doc_id = d.id)
                    OR (d.event_count = 0) != (d.event_first IS NULL)
                 LIMIT 10",
            ),
            (
                "events name another sentence row than their document's",
                "SELECT e.id FROM events e JOIN documents d ON d.id = e.doc_id
                 WHERE e.sentence_id IS NOT
                    (CASE WHEN e.sentence_index < d.sentence_count THEN d.sentence_first + e.sentence_index END)
                 LIMIT 10",
            ),
            (
                "events outside their document's range",
                "SELECT e.id FROM events e LEFT JOIN documents d ON d.id = e.doc_id
                 WHERE d.id IS NULL OR (e.id >= d.event_first AND e.id < d.event_first + d.event_count) IS NOT 1 LIMIT 10",
            ),
            (
                "events point to missing clusters",
                "SELECT e.id FROM events e LEFT JOIN clusters c ON c.id = e.cluster_id WHERE c.id IS NULL LIMIT 10",
            ),
            (
                "cluster_docs differ from a recount",
                "SELECT cluster_id FROM (
                    SELECT e.cluster_id, e.doc_id, d.origin, count(*) FROM events e JOIN documents d ON d.id = e.doc_id
                    GROUP BY e.cluster_id, e.doc_id
                    EXCEPT SELECT cluster_id, doc_id, origin, mentions FROM cluster_docs)
                 UNION ALL SELECT cluster_id FROM (
                    SELECT cluster_id, doc_id, origin, mentions FROM cluster_docs
                    EXCEPT SELECT e.cluster_id, e.doc_id, d.origin, count(*) FROM events e
                    JOIN documents d ON d.id = e.doc_id GROUP BY e.cluster_id, e.doc_id)
                 LIMIT 10",
            ),
            (
                "dyad_month differs from a recount",
                "WITH r AS (SELECT source_key, target_key, month, count(*) AS events,
                        sum(quad_class = 1) AS q1, sum(quad_class = 2) AS q2, sum(quad_class = 3) AS q3,
                        sum(quad_class = 4) AS q4, sum(CAST(round(goldstein * 1000) AS INTEGER)) AS gm
                    FROM events WHERE negated = 0 AND hypothetical = 0 AND source_key IS NOT NULL
                        AND target_key IS NOT NULL AND month IS NOT NULL
                    GROUP BY source_key, target_key, month),
                 s AS (SELECT source_key, target_key, month, events, q1, q2, q3, q4, goldstein_milli FROM dyad_month)
                 SELECT source_key || '>' || target_key || ' ' || month FROM (SELECT * FROM r EXCEPT SELECT * FROM s)
                 UNION ALL
                 SELECT source_key || '>' || target_key || ' ' || month FROM (SELECT * FROM s EXCEPT SELECT * FROM r)
                 LIMIT 10",
            ),
            (
                "dyad_day differs from a recount",
                "WITH r AS (SELECT source_key, target_key, date AS day, count(*) AS events,
                        sum(quad_class = 1) AS q1, sum(quad_class = 2) AS q2, sum(quad_class = 3) AS q3,
                        sum(quad_class = 4) AS q4, sum(CAST(round(goldstein * 1000) AS INTEGER)) AS gm
                    FROM events WHERE negated = 0 AND hypothetical = 0 AND source_key IS NOT NULL
                        AND target_key IS NOT NULL AND date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
                    GROUP BY source_key, target_key, date),
                 s AS (SELECT source_key, target_key, day, events, q1, q2, q3, q4, goldstein_milli FROM dyad_day)
                 SELECT source_key || '>' || target_key || ' ' || day FROM (SELECT * FROM r EXCEPT SELECT * FROM s)
                 UNION ALL
                 SELECT source_key || '>' || target_key || ' ' || day FROM (SELECT * FROM s EXCEPT SELECT * FROM r)
                 LIMIT 10",
            ),
            (
                "actor_texts differ from a recount",
                "WITH r AS (SELECT key, text, count(*) AS n FROM (
                        SELECT source_key AS key, coalesce(source_text, '') AS text FROM events WHERE source_key IS NOT NULL
                        UNION ALL
                        SELECT target_key, coalesce(target_text, '') FROM events WHERE target_key IS NOT NULL)
                    GROUP BY key, text),
                 s AS (SELECT key, text, n FROM actor_texts)
                 SELECT key FROM (SELECT * FROM r EXCEPT SELECT * FROM s)
                 UNION ALL SELECT key FROM (SELECT * FROM s EXCEPT SELECT * FROM r)
                 LIMIT 10",
            ),
            ("documents share a hash", "SELECT hash FROM documents GROUP BY hash HAVING count(*) > 1 LIMIT 10"),
            (
                "rows refer to missing rows (foreign keys)",
                "SELECT \"table\" || ' row ' || rowid || ' -> ' || parent FROM pragma_foreign_key_check LIMIT 10",
            ),
        ];
        for (what, sql) in checks {
            let mut st = self.conn.prepare(sql)?;
            let found: Vec<String> = st
                .query_map([], |r| {
                    let v: rusqlite::types::Value = r.get(0)?;
                    Ok(match v {
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Text(t) => t,
                        other => format!("{other:?}"),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            if !found.is_empty() {
                problems.push(format!("{what}: {}", found.join(", ")));
            }
        }
        // FTS5's own check of the index against its content table (a write statement in form
        // only: it changes nothing, but a read-only connection refuses it).
        if !self.read_only {
            if let Err(e) =
                self.conn.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)", [])
            {
                problems.push(format!("the full-text index differs from the sentences: {e}"));
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    /// The WAL of a long stream stays bounded: the writer lets the checkpoints catch up once it
    /// passes the limit, and the next transaction starts it over. Without that the WAL holds
    /// every page written (it did: 36 MB beside a 7 MB database here).
    #[test]
    fn stream_wal_stays_bounded() {
        use crate::synth::Synth;
        let dir = std::env::temp_dir().join(format!("dyad-wal-bound-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("s.db");
        let mut store = Store::open(&db).unwrap();
        let batch = Synth::new(11, 1200).batch(0, 1200);
        let chunks = batch.chunks(40).map(|b| {
            b.iter()
                .map(|(doc, events)| Coded { doc: doc.clone(), events: events.clone(), sentences: None, hash: None })
                .collect::<Vec<_>>()
        });
        let limits = TxLimits { documents: 40, text_bytes: 1 << 20 };
        // ~300 frames of 4 KiB (fewer, larger ones at 16 KiB) per transaction here; a limit of 4 MiB
        let stats = store.stream_with_wal_limit(chunks, limits, 4 << 20, |_| {}).unwrap();
        assert_eq!(stats.documents, 1200);
        let size = |p: &std::path::Path| std::fs::metadata(p).map_or(0, |m| m.len());
        let wal = size(&dir.join("s.db-wal"));
        assert!(wal < 8 << 20, "WAL {wal} bytes beside a database of {} bytes", size(&db));
        assert!(store.check_consistency().unwrap().is_empty());
        drop(store);
        std::fs::remove_dir_all(&dir).ok();
    }

    use super::*;

    #[test]
    fn origins() {
        assert_eq!(origin(Some("Wire A"), Some("https://www.reuters.com/x"), "d1"), "Wire A");
        assert_eq!(origin(Some("  "), Some("https://www.Reuters.com/world/x?y"), "d1"), "reuters.com");
        assert_eq!(origin(None, Some("not a url"), "d1"), "d1");
        assert_eq!(origin(None, None, "d1"), "d1");
    }

    /// `events.json` and the row's columns hold every field of an event exactly once: a field
    /// added to `Event` must be given a column or a place in `JsonPart`, or this fails.
    #[test]
    fn json_part_and_columns_cover_the_event() {
        let known = Actor { name_known: true, ..Actor::default() };
        let ev = Event {
            sentence: "Baku hosted talks.".into(),
            source: known.clone(),
            target: Some(known),
            location: Some(dyad_core::Location::default()),
            ..Event::default()
        };
        let all: Vec<String> = serde_json::to_value(&ev).unwrap().as_object().unwrap().keys().cloned().collect();
        let json: serde_json::Value = serde_json::from_str(&event_json(&ev, None).unwrap()).unwrap();
        let mut stored: Vec<String> = json.as_object().unwrap().keys().cloned().collect();
        stored.extend(COLUMN_FIELDS.iter().map(|s| s.to_string()));
        stored.sort();
        let mut all_sorted = all.clone();
        all_sorted.sort();
        assert_eq!(stored, all_sorted);
        // Each actor field is in a column or in the actor's JSON part, once.
        let mut actor_all: Vec<String> =
            serde_json::to_value(Actor::default()).unwrap().as_object().unwrap().keys().cloned().collect();
        actor_all.sort();
        for side in ["source", "target"] {
            let mut stored: Vec<String> = json[side].as_object().unwrap().keys().cloned().collect();
            stored.extend(ACTOR_COLUMN_FIELDS.iter().map(|s| s.to_string()));
            stored.sort();
            assert_eq!(stored, actor_all, "{side}");
        }
        // The stored sentence is not repeated.
        let json: serde_json::Value =
            serde_json::from_str(&event_json(&ev, Some("Baku hosted talks.")).unwrap()).unwrap();
        assert!(json.get("sentence").is_none());
        // Defaults are left out: no location, actors whose names are not known.
        let plain = Event { source: Actor::default(), target: Some(Actor::default()), location: None, ..ev };
        assert_eq!(event_json(&plain, Some("Baku hosted talks.")).unwrap(), r#"{"date_source":""}"#);
    }
}
