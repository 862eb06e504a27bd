//! The store's schema and its migrations.
//!
//! The schema version lives in SQLite's `PRAGMA user_version`. [`MIGRATIONS`] lists the SQL that
//! takes a database from version *i* to *i + 1*; [`crate::Store::open`] applies the missing ones,
//! each in its own transaction, and refuses a database newer than the code
//! ([`crate::StoreError::NewerSchema`]). To change the schema, append a migration — never edit
//! one that has shipped.
//!
//! # Schema (v1, with the changes of v2 to v12 noted)
//!
//! | table | columns | notes |
//! | --- | --- | --- |
//! | `documents` | `id` TEXT PK, `hash` TEXT UNIQUE, `source`, `url`, `title`, `date` (`YYYY-MM-DD`), `added` (RFC 3339 UTC), `origin`, `text`, `sentence_first`, `sentence_count` (v10), `event_first`, `event_count` (v11), `provenance` (v12) | `hash` = hex SHA-256 of `text`; `source` = the outlet that published it, `provenance` = where dyad read it (a path, `file.jsonl:line`, `stdin`; held in `source` until v12); `origin` = the name sources are counted by (`source`, else URL host, else `id`); its sentences are the `sentences` rows `sentence_first ..` `sentence_first + sentence_count` (`sentence_first` NULL when there are none); likewise its events are the `events` rows `event_first ..` `event_first + event_count` (v11) |
//! | `sentences` | `id` INTEGER PK, `doc_id` → documents, `idx`, `text` (UNIQUE(`doc_id`, `idx`) until v9) | `idx` = position in `dyad_text::analyze(text).sentences` = `Event.sentence_index`; row `sentence_first + idx` of its document |
//! | `sentences_fts` | FTS5 over `sentences.text` (external content, `unicode61 remove_diacritics 2`; `columnsize=0` since v8) | v1: kept in sync by triggers on `sentences`; v2: by the ingest code (one bulk insert per batch, explicit deletes) |
//! | `events` | `id` INTEGER PK, `event_id` UNIQUE, `doc_id` → documents, `sentence_index`, `cluster_id` → clusters, `date`, `date_precision`, `month` (`YYYY-MM` or NULL), `source_key`, `target_key`, `source_country`, `target_country`, `source_org`, `target_org`, `source_sector`, `target_sector`, `source_code`, `target_code`, `source_name`, `target_name`, `source_text`, `target_text`, `cameo`, `root`, `goldstein`, `quad_class`, `plover_type`, `plover_mode`, `negated`, `hypothetical`, `symmetric`, `rule`, `trigger_start`, `trigger_end`, `source_start`, `source_end`, `target_start`, `target_end`, `json`, `sentence_id` (v11) | one row per coded event (a *mention*), a document's consecutive (v11); `sentence_id` = the `sentences` row of its sentence, NULL when it is not stored; the flat columns are for filtering, `json` holds the `Event` fields without a column: the sentence only when it differs from the stored one; actors as `{"name_known"}` (v6; whole actors before), left out when unknown, and no `plover` or null `location` (v7); restored on read |
//! | `clusters` | `id` INTEGER PK, `dedup_key` UNIQUE, `base_key`, `year`, `date`, `date_precision`, `source_key`, `target_key`, `cameo`, `root`, `goldstein`, `quad_class`, `negated`, `hypothetical`, `num_mentions`, `num_sources`, `num_articles`, `first_event` (events.id), `added` | one real-world event; see the crate docs on dedup |
//! | `cluster_docs` | `cluster_id` → clusters, `origin`, `doc_id`, `mentions`; PK(`cluster_id`, `origin`, `doc_id`) (v9; PK(`cluster_id`, `doc_id`) and an index on (`cluster_id`, `origin`) before) | the sets behind `num_articles` / `num_sources` |
//! | `dyad_month` | `source_key`, `target_key`, `month`, `events`, `q1`..`q4`, `goldstein_sum`, `goldstein_milli`; PK(`source_key`, `target_key`, `month`) | factual events only (not negated, not hypothetical) with both keys and a known year and month; directed |
//! | `dyad_day` (v3) | `source_key`, `target_key`, `day`, `events`, `q1`..`q4`, `goldstein_sum`, `goldstein_milli`; PK(`source_key`, `target_key`, `day`) | as `dyad_month`, for events dated to the day (`YYYY-MM-DD`) |
//! | `actor_texts` | `key`, `text`, `kind`, `n`; PK(`key`, `text`) | how often each surface text names an actor key (labels for networks) |
//!
//! Indexes: `events(doc_id, sentence_index)` (until v11), `events(cluster_id)`,
//! `events(source_key, target_key, date, negated, hypothetical, root)` (v3; `root` since v5),
//! `events(target_key, date, negated, hypothetical)`, `events(source_key, target_key)` (v4),
//! `events(date)`, `events(sentence_id)` (v11), partial
//! indexes on `events(source_org)` / `events(target_org)`, `clusters(base_key, year)`,
//! `clusters(first_event)`, `clusters(source_key, target_key, date)`,
//! `dyad_month(month)` (and `cluster_docs(cluster_id, origin)` until v9).

/// SQL of each migration: `MIGRATIONS[i]` takes `user_version` *i* to *i + 1*.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12];

/// The newest schema version this code knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
CREATE TABLE documents (
    id     TEXT PRIMARY KEY,
    hash   TEXT NOT NULL UNIQUE,
    source TEXT,
    url    TEXT,
    title  TEXT,
    date   TEXT,
    added  TEXT NOT NULL,
    origin TEXT NOT NULL,
    text   TEXT NOT NULL
);

CREATE TABLE sentences (
    id     INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    text   TEXT NOT NULL,
    UNIQUE (doc_id, idx)
);

CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE clusters (
    id            INTEGER PRIMARY KEY,
    dedup_key     TEXT NOT NULL UNIQUE,
    base_key      TEXT NOT NULL,
    year          TEXT,
    date          TEXT,
    date_precision TEXT NOT NULL,
    source_key    TEXT,
    target_key    TEXT,
    cameo         TEXT NOT NULL,
    root          TEXT NOT NULL,
    goldstein     REAL NOT NULL,
    quad_class    INTEGER NOT NULL,
    negated       INTEGER NOT NULL,
    hypothetical  INTEGER NOT NULL,
    num_mentions  INTEGER NOT NULL,
    num_sources   INTEGER NOT NULL,
    num_articles  INTEGER NOT NULL,
    first_event   INTEGER,
    added         TEXT NOT NULL
);

CREATE TABLE cluster_docs (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL,
    origin     TEXT NOT NULL,
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, doc_id)
) WITHOUT ROWID;

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    event_id       TEXT NOT NULL UNIQUE,
    doc_id         TEXT NOT NULL REFERENCES documents(id),
    sentence_index INTEGER NOT NULL,
    cluster_id     INTEGER NOT NULL REFERENCES clusters(id),
    date           TEXT,
    date_precision TEXT NOT NULL,
    month          TEXT,
    source_key     TEXT,
    target_key     TEXT,
    source_country TEXT,
    target_country TEXT,
    source_org     TEXT,
    target_org     TEXT,
    source_sector  TEXT,
    target_sector  TEXT,
    source_code    TEXT,
    target_code    TEXT,
    source_name    TEXT,
    target_name    TEXT,
    source_text    TEXT,
    target_text    TEXT,
    cameo          TEXT NOT NULL,
    root           TEXT NOT NULL,
    goldstein      REAL NOT NULL,
    quad_class     INTEGER NOT NULL,
    plover_type    TEXT,
    plover_mode    TEXT,
    negated        INTEGER NOT NULL,
    hypothetical   INTEGER NOT NULL,
    symmetric      INTEGER NOT NULL,
    rule           TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    source_start   INTEGER,
    source_end     INTEGER,
    target_start   INTEGER,
    target_end     INTEGER,
    json           TEXT NOT NULL
);

CREATE TABLE dyad_month (
    source_key      TEXT NOT NULL,
    target_key      TEXT NOT NULL,
    month           TEXT NOT NULL,
    events          INTEGER NOT NULL,
    q1              INTEGER NOT NULL,
    q2              INTEGER NOT NULL,
    q3              INTEGER NOT NULL,
    q4              INTEGER NOT NULL,
    goldstein_sum   REAL NOT NULL,
    goldstein_milli INTEGER NOT NULL,
    PRIMARY KEY (source_key, target_key, month)
) WITHOUT ROWID;

CREATE TABLE actor_texts (
    key  TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (key, text)
) WITHOUT ROWID;
"#;

/// v2: the full-text index is kept by the ingest code, one bulk statement per batch, instead
/// of by per-row triggers. FTS5 flushes its pending terms at every statement savepoint, so a
/// trigger per sentence wrote one tiny index segment per sentence and spent most of an ingest
/// merging them.
const V2: &str = r#"
DROP TRIGGER IF EXISTS sentences_ai;
DROP TRIGGER IF EXISTS sentences_ad;
DROP TRIGGER IF EXISTS sentences_au;
"#;

/// The statement that fills `dyad_day` from `events` (used by v3 and by bulk loads). The day
/// filter is the rollup's rule: a factual dyadic event dated to the day.
macro_rules! fill_day {
    () => {
        "INSERT INTO dyad_day (source_key, target_key, day, events, q1, q2, q3, q4, goldstein_sum, goldstein_milli)
SELECT source_key, target_key, date, count(*), sum(quad_class = 1), sum(quad_class = 2), sum(quad_class = 3),
       sum(quad_class = 4), sum(CAST(round(goldstein * 1000) AS INTEGER)) / 1000.0,
       sum(CAST(round(goldstein * 1000) AS INTEGER))
FROM events
WHERE negated = 0 AND hypothetical = 0 AND source_key IS NOT NULL AND target_key IS NOT NULL
  AND date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
GROUP BY source_key, target_key, date;
"
    };
}

/// SQL that fills an empty `dyad_day` from `events`.
pub(crate) const FILL_DAY: &str = fill_day!();

/// v3: `dyad_day`, the daily twin of `dyad_month`, so that day and week series read a rollup
/// instead of scanning a dyad's events (filled from the stored events); and the actor indexes
/// of `events` carry the `negated`/`hypothetical` flags, so that an actor's or a dyad's factual
/// events in a date range are found from the index alone, without reading each row.
const V3: &str = concat!(
    "DROP INDEX IF EXISTS events_dyad;
DROP INDEX IF EXISTS events_target;
CREATE INDEX events_dyad ON events(source_key, target_key, date, negated, hypothetical);
CREATE INDEX events_target ON events(target_key, date, negated, hypothetical);
",
    "CREATE TABLE dyad_day (
    source_key      TEXT NOT NULL,
    target_key      TEXT NOT NULL,
    day             TEXT NOT NULL,
    events          INTEGER NOT NULL,
    q1              INTEGER NOT NULL,
    q2              INTEGER NOT NULL,
    q3              INTEGER NOT NULL,
    q4              INTEGER NOT NULL,
    goldstein_sum   REAL NOT NULL,
    goldstein_milli INTEGER NOT NULL,
    PRIMARY KEY (source_key, target_key, day)
) WITHOUT ROWID;
",
    fill_day!()
);

/// v4: the events of a directed dyad in id order (the row id is an index's last column), so a
/// page of a busy dyad's events in a period is read from its start instead of collecting and
/// sorting every match of the period (`Store::events`).
const V4: &str = "CREATE INDEX IF NOT EXISTS events_pair ON events(source_key, target_key);\n";

/// v5: `events_dyad` also carries the CAMEO root, so that a dyad's events in a period filtered
/// by root (`--root 04`, `?root=04`) are chosen from the index alone: before, each of the
/// period's matches was read from the table to test its root (16k rows for a year of the
/// busiest pair at 10M events, ~120 ms).
const V5: &str = "DROP INDEX IF EXISTS events_dyad;
CREATE INDEX events_dyad ON events(source_key, target_key, date, negated, hypothetical, root);
";

/// v6: no SQL change. New `events.json` rows hold each actor's fields that have no column
/// (`{"name_known": …}`) instead of the whole actor, ~60 % fewer bytes per event; readers fill
/// the rest from the columns and read the older whole-actor rows the same way. The version
/// moves so that an older dyad, which expects whole actors there, refuses the store.
const V6: &str = "-- events.json actors: only the fields without a column\n";

/// v7: no SQL change. New `events.json` rows leave out the PLOVER type and mode (read from
/// their columns, `plover_type` NULL meaning none) and what reads back as the default: no
/// `location` key without a location, no actor part for an actor whose name is not known.
/// ~110 bytes less per event (a third of a typical row). Older rows read the same; the version
/// moves so that an older dyad, which expects `plover` in the JSON, refuses the store.
const V7: &str = "-- events.json: plover from its columns, defaults left out\n";

/// v8: the full-text index keeps no per-row column sizes (`columnsize=0`). Only `bm25()` reads
/// them, and dyad orders hits by recency, not rank; writing them was a third of the cost of
/// indexing a sentence (an extra B-tree row each). `bm25()` in `dyad sql` still works: FTS5 then
/// counts the tokens of the rows it ranks. The index is rebuilt from the sentences.
const V8: &str = r#"
DROP TABLE sentences_fts;
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0
);
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
"#;

/// v9: `cluster_docs` is keyed by (`cluster_id`, `origin`, `doc_id`), so that the writer's
/// question "has this cluster a document of this origin already?" is a seek on the table itself
/// and the `cluster_docs_origin` index, which answered it before, goes: one B-tree insert per
/// membership instead of two. A document has one origin, so the key is as unique as
/// (`cluster_id`, `doc_id`) was.
const V9: &str = r#"
CREATE TABLE cluster_docs_v9 (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    origin     TEXT NOT NULL,
    doc_id     TEXT NOT NULL,
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, origin, doc_id)
) WITHOUT ROWID;
INSERT INTO cluster_docs_v9 (cluster_id, origin, doc_id, mentions)
    SELECT cluster_id, origin, doc_id, mentions FROM cluster_docs;
DROP TABLE cluster_docs;
ALTER TABLE cluster_docs_v9 RENAME TO cluster_docs;
"#;

/// v10: a document's sentences are the rows `sentence_first .. sentence_first + sentence_count`
/// of `sentences` (new columns of `documents`), and `sentences` loses its UNIQUE (`doc_id`,
/// `idx`) index. That index was a B-tree insert at a random place (text keys) for every sentence
/// stored, ~10 % of the writer's instructions; the range is one row id lookup for a reader. The
/// sentences are copied in (`doc_id`, `idx`) order, so each document's are consecutive, and the
/// full-text index, keyed by their row ids, is rebuilt.
const V10: &str = r#"
CREATE TABLE sentences_v10 (
    id     INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    text   TEXT NOT NULL
);
INSERT INTO sentences_v10 (doc_id, idx, text) SELECT doc_id, idx, text FROM sentences ORDER BY doc_id, idx;
DROP TABLE sentences;
ALTER TABLE sentences_v10 RENAME TO sentences;
ALTER TABLE documents ADD COLUMN sentence_first INTEGER;
ALTER TABLE documents ADD COLUMN sentence_count INTEGER NOT NULL DEFAULT 0;
UPDATE documents SET sentence_first = g.first, sentence_count = g.n
    FROM (SELECT doc_id, min(id) AS first, count(*) AS n FROM sentences GROUP BY doc_id) AS g
    WHERE g.doc_id = documents.id;
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
"#;

/// v11: a document's events are the rows `event_first .. event_first + event_count` of
/// `events` (new columns of `documents`), and an event names the `sentences` row of its
/// sentence (`events.sentence_id`, NULL when that sentence is not stored). `events` loses its
/// (`doc_id`, `sentence_index`) index, which cost every event a text-key insert at a random
/// place (~5 % of the writer's instructions): a reader finds a document's events by one row id
/// range, as its sentences since v10, and a sentence's by `events_sentence` (an integer that
/// grows as events are stored, so its inserts land at the end). The writer has
/// always stored a document's events together, so they are consecutive already; the events of
/// any document whose rows are not are moved to the end, consecutively, and the clusters that
/// name one of them as `first_event` follow.
const V11: &str = r#"
CREATE TEMP TABLE v11_moves (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO v11_moves (old, new)
    SELECT e.id, (SELECT coalesce(max(id), 0) FROM events) + row_number() OVER (ORDER BY e.doc_id, e.id)
    FROM events e
    WHERE e.doc_id IN (SELECT doc_id FROM events GROUP BY doc_id HAVING max(id) - min(id) + 1 != count(*));
UPDATE events SET id = (SELECT new FROM v11_moves WHERE old = events.id) WHERE id IN (SELECT old FROM v11_moves);
UPDATE clusters SET first_event = (SELECT new FROM v11_moves WHERE old = clusters.first_event)
    WHERE first_event IN (SELECT old FROM v11_moves);
DROP TABLE v11_moves;
ALTER TABLE documents ADD COLUMN event_first INTEGER;
ALTER TABLE documents ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
UPDATE documents SET event_first = g.first, event_count = g.n
    FROM (SELECT doc_id, min(id) AS first, count(*) AS n FROM events GROUP BY doc_id) AS g
    WHERE g.doc_id = documents.id;
ALTER TABLE events ADD COLUMN sentence_id INTEGER;
UPDATE events SET sentence_id = d.sentence_first + events.sentence_index
    FROM documents d WHERE d.id = events.doc_id AND events.sentence_index < d.sentence_count;
DROP INDEX IF EXISTS events_doc;
"#;

/// v12: `documents.provenance` says where dyad read a document (a file path, `stdin`, a JSONL
/// file and line), and `documents.source` names only the outlet that published it. Until v12
/// `dyad ingest` stored the read location as the source, so every document read from files was
/// a source of its own and `num_sources` counted articles. [`migration_data`] moves such read
/// locations to `provenance` and counts the documents' origins again (URL host, else id). An
/// outlet that an older `dyad ingest` read but did not store (a JSONL `source` field) cannot come
/// back: ingesting the inputs into a new store counts by it. 20,090 documents: 0.27 s.
const V12: &str = "ALTER TABLE documents ADD COLUMN provenance TEXT;\n";

/// Whether a pre-v12 `documents.source` is a read location that `dyad ingest` wrote, not an
/// outlet: `stdin`, a JSONL file and line (`news.jsonl:12`), or the path of a plain-text file
/// whose name without extension is the document's id.
fn is_read_location(source: &str, id: &str) -> bool {
    if source == "stdin" {
        return true;
    }
    if let Some((file, line)) = source.rsplit_once(':') {
        if !file.is_empty() && !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
    }
    std::path::Path::new(source).file_stem().is_some_and(|stem| stem.to_string_lossy() == id)
}

/// The steps of a migration that SQL alone does not express, run after its SQL in the same
/// transaction: `i` as in [`MIGRATIONS`].
pub(crate) fn migration_data(i: usize, tx: &rusqlite::Connection) -> rusqlite::Result<()> {
    // Only the migration to v12 has such steps: read locations leave `source`, origins follow.
    if i + 1 != 12 {
        return Ok(());
    }
    tx.execute_batch("CREATE TEMP TABLE v12_origins (doc_id TEXT PRIMARY KEY, origin TEXT NOT NULL)")?;
    {
        let mut read = tx.prepare("SELECT id, source, url, origin FROM documents WHERE source IS NOT NULL")?;
        let mut moved =
            tx.prepare("UPDATE documents SET provenance = source, source = NULL, origin = ?2 WHERE id = ?1")?;
        let mut changed = tx.prepare("INSERT INTO v12_origins (doc_id, origin) VALUES (?1, ?2)")?;
        let mut rows = read.query([])?;
        while let Some(r) = rows.next()? {
            let (id, source, url, old): (String, String, Option<String>, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            if !is_read_location(&source, &id) {
                continue;
            }
            let origin = crate::ingest::origin(None, url.as_deref(), &id);
            moved.execute(rusqlite::params![id, origin])?;
            if origin != old {
                changed.execute(rusqlite::params![id, origin])?;
            }
        }
    }
    tx.execute_batch(
        "UPDATE cluster_docs SET origin = o.origin FROM v12_origins o WHERE o.doc_id = cluster_docs.doc_id;
         UPDATE clusters SET num_sources = (SELECT count(DISTINCT origin) FROM cluster_docs WHERE cluster_id = clusters.id)
             WHERE id IN (SELECT cd.cluster_id FROM cluster_docs cd JOIN v12_origins o ON o.doc_id = cd.doc_id);
         DROP TABLE v12_origins;",
    )
}

/// Secondary indexes, kept apart so that bulk loads can drop and rebuild them.
pub const INDEXES: &[(&str, &str)] = &[
    ("events_cluster", "CREATE INDEX IF NOT EXISTS events_cluster ON events(cluster_id)"),
    (
        "events_dyad",
        "CREATE INDEX IF NOT EXISTS events_dyad ON events(source_key, target_key, date, negated, hypothetical, root)",
    ),
    ("events_target", "CREATE INDEX IF NOT EXISTS events_target ON events(target_key, date, negated, hypothetical)"),
    ("events_pair", "CREATE INDEX IF NOT EXISTS events_pair ON events(source_key, target_key)"),
    ("events_date", "CREATE INDEX IF NOT EXISTS events_date ON events(date)"),
    ("events_sentence", "CREATE INDEX IF NOT EXISTS events_sentence ON events(sentence_id)"),
    (
        "events_source_org",
        "CREATE INDEX IF NOT EXISTS events_source_org ON events(source_org) WHERE source_org IS NOT NULL",
    ),
    (
        "events_target_org",
        "CREATE INDEX IF NOT EXISTS events_target_org ON events(target_org) WHERE target_org IS NOT NULL",
    ),
    ("clusters_base", "CREATE INDEX IF NOT EXISTS clusters_base ON clusters(base_key, year)"),
    ("clusters_first", "CREATE INDEX IF NOT EXISTS clusters_first ON clusters(first_event)"),
    ("clusters_dyad", "CREATE INDEX IF NOT EXISTS clusters_dyad ON clusters(source_key, target_key, date)"),
    ("dyad_month_month", "CREATE INDEX IF NOT EXISTS dyad_month_month ON dyad_month(month)"),
];

/// The secondary indexes that the writer itself reads through (replacing or re-coding a
/// document, merging clusters, finding the cluster an event joins). The others in [`INDEXES`]
/// serve queries only, and [`crate::Store::defer_query_indexes`] may drop them for a bulk load.
pub const WRITER_INDEXES: &[&str] = &["events_cluster", "clusters_base"];

/// Migration `i`; the newest one with every index of [`INDEXES`] (`IF NOT EXISTS`), so that a
/// new store, which runs them all, ends with them, and a migrated store with the ones it lacks
/// (an index may need a column that a later migration adds).
pub(crate) fn migration_sql(i: usize) -> String {
    let mut sql = MIGRATIONS[i].to_string();
    if i + 1 == MIGRATIONS.len() {
        for (_, ix) in INDEXES {
            sql.push_str(ix);
            sql.push_str(";\n");
        }
    }
    sql
}
