//! Behaviour of the event store: ingest, dedup, rollups, queries, safety.

mod common;

use common::*;
use dyad_core::{Document, Event, Location};
use dyad_store::{synth::Synth, Coded, EventQuery, Period, Store, StoreError, TxLimits};

fn consistent(store: &Store) {
    let problems = store.check_consistency().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let ok: String = store.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

/// SQL that takes a current store's sentences back to schema v9 (before v10 gave documents
/// their sentence ranges), for the tests that make older stores from a current one.
const UNDO_V10: &str = "CREATE TABLE s9 (
        id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (doc_id, idx));
    INSERT INTO s9 SELECT id, doc_id, idx, text FROM sentences;
    DROP TABLE sentences;
    ALTER TABLE s9 RENAME TO sentences;
    ALTER TABLE documents DROP COLUMN sentence_first;
    ALTER TABLE documents DROP COLUMN sentence_count;";

/// SQL that takes a current store back to schema v11 (before documents had a provenance apart
/// from their source); run before [`UNDO_V11`] for older versions.
const UNDO_V12: &str = "ALTER TABLE documents DROP COLUMN provenance;";

/// SQL that takes a v11 store's events back to schema v10 (before v11 gave documents
/// their event ranges); run before [`UNDO_V10`] for older versions.
const UNDO_V11: &str = "CREATE INDEX events_doc ON events(doc_id, sentence_index);
    DROP INDEX events_sentence;
    ALTER TABLE events DROP COLUMN sentence_id;
    ALTER TABLE documents DROP COLUMN event_first;
    ALTER TABLE documents DROP COLUMN event_count;";

/// Each document's id with its `{kind}_first` and `{kind}_count` (`kind`: "sentence" or
/// "event"), by id.
fn document_ranges(store: &Store, kind: &str) -> Vec<(String, Option<i64>, i64)> {
    let sql = format!("SELECT id, {kind}_first, {kind}_count FROM documents ORDER BY id");
    let mut st = store.connection().prepare(&sql).unwrap();
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// A store in a fresh folder holding the `n` documents of `Synth::new(seed, n)`, and the folder
/// (removed when dropped) and the generator.
fn synth_store(name: &str, seed: u64, n: usize) -> (TempDir, Store, Synth) {
    let dir = TempDir::new(name);
    let mut store = Store::open(dir.db()).unwrap();
    let synth = Synth::new(seed, n);
    store.ingest(&synth.batch(0, n)).unwrap();
    (dir, store, synth)
}

fn cluster_of(store: &Store, event_id: &str) -> (i64, Option<String>, String, i64, i64, i64) {
    store
        .connection()
        .query_row(
            "SELECT c.id, c.date, c.date_precision, c.num_mentions, c.num_articles, c.num_sources
             FROM events e JOIN clusters c ON c.id = e.cluster_id WHERE e.event_id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap()
}

#[test]
fn incremental_ingest_skips_unchanged_and_replaces_changed() {
    let dir = TempDir::new("incr");
    let mut store = Store::open(dir.db()).unwrap();
    let synth = Synth::new(3, 30);
    let batch = synth.batch(0, 30);
    let first = store.ingest(&batch).unwrap();
    assert_eq!(first.documents, 30);
    assert_eq!(first.events, batch.iter().map(|(_, e)| e.len()).sum::<usize>());
    let before = store.stats().unwrap();

    let second = store.ingest(&batch).unwrap();
    assert_eq!((second.documents, second.unchanged, second.events, second.sentences), (0, 30, 0, 0));
    let after = store.stats().unwrap();
    assert_eq!(
        (before.documents, before.sentences, before.events, before.clusters),
        (after.documents, after.sentences, after.events, after.clusters)
    );
    assert!(store.contains_hash(&Store::content_hash(&batch[4].0.text)).unwrap());

    // A new version of document 4: one sentence, one event.
    let id = batch[4].0.id.clone();
    let new_doc = doc(&id, "Iran criticized the IAEA on Monday.", Some("wire"));
    let new_ev = ev(&id, 0, country("IRN", "Iran"), org("IAEA", "the IAEA"), "111", Some("2020-02-03"));
    let third = store.ingest(&[(new_doc.clone(), vec![new_ev.clone()])]).unwrap();
    assert_eq!((third.documents, third.replaced, third.events), (1, 1, 1));
    assert_eq!(third.removed_events, batch[4].1.len());
    assert_eq!(store.documents_count().unwrap(), 30);
    let evs = store.document_events(&id).unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].event, new_ev);
    assert_eq!(store.document(&id).unwrap().unwrap().1, new_doc.text);
    assert!(!store.contains_hash(&Store::content_hash(&batch[4].0.text)).unwrap());
    assert_eq!(store.search("criticized IAEA", 5).unwrap().len(), 1);
    let stats = store.stats().unwrap();
    assert_eq!(stats.events, before.events - batch[4].1.len() as i64 + 1);
    consistent(&store);

    // Putting the old version back restores the original counts.
    store.ingest(&batch[4..5]).unwrap();
    let back = store.stats().unwrap();
    assert_eq!((back.documents, back.sentences, back.events), (before.documents, before.sentences, before.events));
    consistent(&store);
}

/// Foreign keys are not enforced row by row (the writer keeps references whole itself), so the
/// consistency check looks for dangling ones: a document deleted behind the writer's back leaves
/// sentences, events and memberships that point to it, and the check names them.
#[test]
fn consistency_check_reports_dangling_references() {
    let dir = TempDir::new("dangling");
    let mut store = Store::open(dir.db()).unwrap();
    let batch = Synth::new(5, 4).batch(0, 4);
    store.ingest(&batch).unwrap();
    consistent(&store);
    let fk: i64 = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 0, "the writer's connection does not enforce foreign keys");
    store.connection().execute("DELETE FROM documents WHERE id = ?1", [&batch[0].0.id]).unwrap();
    let problems = store.check_consistency().unwrap();
    assert!(
        problems.iter().any(|p| p.starts_with("rows refer to missing rows") && p.contains("sentences row")),
        "{problems:#?}"
    );
}

/// A stream stores what one big batch stores: documents repeated across chunks of one
/// transaction once, a new text under a known id as a replacement, whatever the limits.
#[test]
fn ingest_stream_matches_one_batch() {
    let synth = Synth::new(5, 40);
    let mut batch = synth.batch(0, 40);
    // a repeat of an earlier document, and a new version of another, late in the stream
    batch.push(batch[3].clone());
    let (mut changed, events) = batch[7].clone();
    changed.text.push_str(" Updated.");
    batch.push((changed, events));
    let coded = |b: &[(Document, Vec<Event>)]| -> Vec<Coded> {
        b.iter()
            .map(|(doc, events)| Coded { doc: doc.clone(), events: events.clone(), sentences: None, hash: None })
            .collect()
    };
    let one = TempDir::new("stream-one");
    let mut a = Store::open(one.db()).unwrap();
    let whole = a.ingest(&batch).unwrap();
    for limits in [TxLimits { documents: 1, text_bytes: 1 << 20 }, TxLimits { documents: 5, text_bytes: 300 }] {
        let dir = TempDir::new("stream");
        let mut b = Store::open(dir.db()).unwrap();
        let mut calls = 0;
        let streamed = b.ingest_stream(batch.chunks(6).map(coded), limits, |_| calls += 1).unwrap();
        assert_eq!(calls, batch.len().div_ceil(6));
        assert_eq!(streamed, whole, "{limits:?}");
        assert_eq!(b.stats().unwrap().events, a.stats().unwrap().events);
        consistent(&b);
    }
}

/// A transaction long enough to add its sentences to the full-text index in steps: a document
/// replaced after its sentences were indexed leaves the index, one replaced before that only
/// leaves the pending list, and the index agrees with its sentences (`check_consistency` runs
/// FTS5's integrity check).
#[test]
fn stream_indexes_sentences_in_steps() {
    let synth = Synth::new(13, 2400);
    let mut batch = synth.batch(0, 2400);
    let sentences: usize = batch.iter().map(|(d, _)| dyad_store::sentence_spans(&d.text).len()).sum();
    assert!(sentences > 8192, "{sentences} sentences: the transaction takes more than one step");
    // document 0 again after the first step, and the last document again within the last one
    let replace = |(d, e): &(Document, Vec<Event>), word: &str| {
        let mut d = d.clone();
        d.text = format!("{word} gathered in Baku.");
        (d, e.iter().filter(|e| e.sentence_index == 0).cloned().collect::<Vec<_>>())
    };
    batch.push(replace(&batch[0], "Flamingos"));
    let last = batch.len() - 2;
    batch.push(replace(&batch[last], "Cormorants"));
    let dir = TempDir::new("stream-fts-steps");
    let mut store = Store::open(dir.db()).unwrap();
    let chunks = batch.chunks(100).map(|b| {
        b.iter().map(|(d, e)| Coded { doc: d.clone(), events: e.clone(), ..Coded::default() }).collect::<Vec<_>>()
    });
    let stats = store.ingest_stream(chunks, TxLimits { documents: 1 << 20, text_bytes: 1 << 30 }, |_| {}).unwrap();
    assert_eq!((stats.documents, stats.replaced), (2402, 2));
    consistent(&store);
    for word in ["flamingos", "cormorants"] {
        let hits = store.search(word, 10).unwrap();
        assert_eq!(hits.len(), 1, "{word}");
    }
    let n = |d: &Document| dyad_store::sentence_spans(&d.text).len();
    assert_eq!(store.stats().unwrap().sentences as usize, sentences - n(&batch[0].0) - n(&batch[last].0) + 2);
}

/// While a stream is written its WAL is checkpointed by a thread of its own (the writer's
/// automatic checkpoints are off meanwhile): the pages reach the database file during the run,
/// not only when the last connection closes, and the writer's setting comes back afterwards.
#[test]
fn ingest_stream_checkpoints_as_it_goes() {
    let synth = Synth::new(11, 1200);
    let batch = synth.batch(0, 1200);
    let dir = TempDir::new("stream-checkpoints");
    let mut store = Store::open(dir.db()).unwrap();
    let chunks = batch.chunks(40).map(|b| {
        b.iter()
            .map(|(doc, events)| Coded { doc: doc.clone(), events: events.clone(), sentences: None, hash: None })
            .collect::<Vec<_>>()
    });
    let stats = store.ingest_stream(chunks, TxLimits { documents: 40, text_bytes: 1 << 20 }, |_| {}).unwrap();
    assert_eq!(stats.documents, 1200);
    // Still open: without checkpoints every page would sit in the WAL and the file would hold
    // only the empty schema (the WAL's own bound is a unit test of `ingest`). The checkpoint
    // thread outlives the stream, so its last checkpoints may still be running: wait for them
    // (on a loaded machine it may get little CPU), but not forever.
    let waited = std::time::Instant::now();
    let db = loop {
        let db = std::fs::metadata(dir.db()).unwrap().len();
        if db > 2 << 20 || waited.elapsed() > std::time::Duration::from_secs(60) {
            break db;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(db > 2 << 20, "database file {db} bytes");
    // ~16 MB of WAL, in pages of the store's size: 1,000 of 16 KiB (4,000 in a 4 KiB store)
    let auto: i64 = store.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
    assert_eq!((auto, store.page_size().unwrap()), (1000, 16 * 1024));
    consistent(&store);
}

/// A bulk load drops the query-only indexes; queries still answer, and the next writable
/// open (after a load killed before its rebuild) builds them again.
#[test]
fn deferred_query_indexes_come_back_on_open() {
    let dir = TempDir::new("defer");
    let names = |s: &Store| -> Vec<String> {
        let mut st =
            s.connection().prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name").unwrap();
        st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let mut store = Store::open(dir.db()).unwrap();
    let all = names(&store);
    let query_only = dyad_store::schema::INDEXES.len() - dyad_store::schema::WRITER_INDEXES.len();
    assert_eq!(store.defer_query_indexes().unwrap(), query_only);
    assert_eq!(names(&store).len(), all.len() - query_only);
    let synth = Synth::new(9, 30);
    store.ingest(&synth.batch(0, 30)).unwrap();
    let q = EventQuery { actor: Some("AZE".into()), ..EventQuery::default() };
    let while_deferred = store.events(&q).unwrap();
    assert!(!while_deferred.is_empty());
    drop(store);
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(names(&store), all);
    assert_eq!(store.ensure_indexes().unwrap(), 0);
    assert_eq!(store.events(&q).unwrap(), while_deferred);
    consistent(&store);

    // A rebuild sorts on worker threads with a small page cache, then gives the writer its
    // settings back.
    let pragma =
        |s: &Store, p: &str| -> i64 { s.connection().query_row(&format!("PRAGMA {p}"), [], |r| r.get(0)).unwrap() };
    let settings = (pragma(&store, "cache_size"), pragma(&store, "threads"));
    store.defer_query_indexes().unwrap();
    store.ingest(&synth.batch(30, 40)).unwrap();
    assert_eq!(store.ensure_indexes().unwrap(), query_only);
    assert_eq!(names(&store), all);
    assert_eq!((pragma(&store, "cache_size"), pragma(&store, "threads")), settings);
    assert_eq!(settings, (-65536, 0));
    consistent(&store);
}

/// Rows written before schema v6 hold whole actors in `events.json`; they read back the same
/// as the slim rows written now.
#[test]
fn whole_actor_json_of_older_stores_reads_the_same() {
    let dir = TempDir::new("v5-json");
    let mut store = Store::open(dir.db()).unwrap();
    let d = doc("old", "Armenia met Azerbaijan in Almaty.", None);
    let mut e = ev("old", 0, country("ARM", "Armenia"), country("AZE", "Azerbaijan"), "040", Some("2024-05-10"));
    e.source.name = Some("Nikol Pashinyan".into());
    let mut untargeted = ev("old", 1, country("ARM", "Armenia"), country("AZE", "x"), "010", None);
    untargeted.target = None;
    store.ingest(&[(d, vec![e.clone(), untargeted.clone()])]).unwrap();
    let slim = store.document_events("old").unwrap();
    assert_eq!(slim.iter().map(|r| r.event.clone()).collect::<Vec<_>>(), vec![e.clone(), untargeted.clone()]);
    for ev in [&e, &untargeted] {
        let json: String = store
            .connection()
            .query_row("SELECT json FROM events WHERE event_id = ?1", [&ev.event_id], |r| r.get(0))
            .unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(v["source"].get("text").is_none(), "{json}");
        let mut old: serde_json::Value = v.clone();
        old["source"] = serde_json::to_value(&ev.source).unwrap();
        old["target"] = serde_json::to_value(&ev.target).unwrap();
        store
            .connection()
            .execute("UPDATE events SET json = ?1 WHERE event_id = ?2", [old.to_string(), ev.event_id.clone()])
            .unwrap();
    }
    assert_eq!(store.document_events("old").unwrap(), slim);
}

#[test]
fn events_round_trip_exactly() {
    let dir = TempDir::new("roundtrip");
    let mut store = Store::open(dir.db()).unwrap();
    let text = "Russia attacked Ukraine near Kharkiv. \"It was a war crime,\" Kyiv said.";
    let d = Document {
        id: "rt".into(),
        text: text.into(),
        date: chrono::NaiveDate::from_ymd_opt(2022, 5, 1),
        url: Some("https://www.example.com/x".into()),
        title: Some("Title".into()),
        source: None,
        provenance: Some("reports/rt.txt".into()),
    };
    let mut a = ev("rt", 0, country("RUS", "Russia"), country("UKR", "Ukraine"), "190", Some("2022-05-01"));
    a.sentence = "Russia attacked Ukraine near Kharkiv.".into();
    a.location = Some(Location {
        name: "Kharkiv".into(),
        country: Some("UKR".into()),
        lat: Some(49.9935),
        lon: Some(36.230383),
        ..Default::default()
    });
    a.offsets.source = Some([0, 6]);
    a.goldstein = -10.0 / 3.0; // an awkward float
    a.source.name = Some("Vladimir Putin".into());
    a.source.name_known = true;
    a.plover.mode = Some("military".into());
    let mut b = ev("rt", 1, country("UKR", "Kyiv"), country("RUS", "Russia"), "111", None);
    b.sentence_index = 1;
    b.sentence = "not the stored sentence".into();
    b.target = None;
    b.plover = dyad_core::Plover::default();
    store.ingest(&[(d.clone(), vec![a.clone(), b.clone()])]).unwrap();
    let rows = store.document_events("rt").unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].event, a);
    assert_eq!(rows[1].event, b);
    assert_eq!(rows[0].doc.url.as_deref(), Some("https://www.example.com/x"));
    assert_eq!(rows[0].doc.date.as_deref(), Some("2022-05-01"));
    assert_eq!(rows[0].doc.provenance.as_deref(), Some("reports/rt.txt"));
    assert_eq!(store.document("rt").unwrap().unwrap().0.provenance.as_deref(), Some("reports/rt.txt"));
    assert_eq!(store.event(&a.event_id).unwrap().unwrap().event, a);
    assert_eq!(store.document_input("rt").unwrap().unwrap(), d);
    let sentences: Vec<String> = store
        .connection()
        .prepare("SELECT text FROM sentences WHERE doc_id = 'rt' ORDER BY idx")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(sentences, ["Russia attacked Ukraine near Kharkiv.", "\"It was a war crime,\" Kyiv said."]);
    consistent(&store);
}

#[test]
fn dedup_counts_mentions_articles_and_sources() {
    let dir = TempDir::new("dedup");
    let mut store = Store::open(dir.db()).unwrap();
    let fra = || country("FRA", "France");
    let deu = || country("DEU", "Germany");
    let day = Some("2021-06-15");
    let mut d3 = doc("d3", "France met Germany. They met again.", None);
    d3.url = Some("https://www.lemonde.fr/a".into());
    let mut e3b = ev("d3", 1, fra(), deu(), "040", day);
    e3b.sentence_index = 1;
    let batch = vec![
        (doc("d1", "France met Germany.", Some("reuters")), vec![ev("d1", 0, fra(), deu(), "040", day)]),
        (doc("d2", "France and Germany met.", Some("reuters")), vec![ev("d2", 0, fra(), deu(), "040", day)]),
        (d3, vec![ev("d3", 0, fra(), deu(), "040", day), e3b]),
        (doc("d4", "Paris met Berlin.", None), vec![ev("d4", 0, fra(), deu(), "040", day)]),
        // Different code, different cluster.
        (doc("d5", "France criticized Germany.", Some("afp")), vec![ev("d5", 0, fra(), deu(), "111", day)]),
    ];
    store.ingest(&batch).unwrap();
    let (c1, date, precision, mentions, articles, sources) = cluster_of(&store, "d1-e0");
    assert_eq!((date.as_deref(), precision.as_str()), (Some("2021-06-15"), "day"));
    // 5 mentions in 4 documents from reuters, lemonde.fr (URL host) and d4 (its id).
    assert_eq!((mentions, articles, sources), (5, 4, 3));
    assert_eq!(cluster_of(&store, "d3-e1").0, c1);
    assert_ne!(cluster_of(&store, "d5-e0").0, c1);
    assert_eq!(store.stats().unwrap().clusters, 2);

    let clusters = store.clusters(&EventQuery { actor: Some("DEU".into()), ..Default::default() }).unwrap();
    assert_eq!(clusters.len(), 2);
    assert_eq!((clusters[0].num_mentions, clusters[0].num_articles, clusters[0].num_sources), (5, 4, 3));
    assert_eq!(clusters[0].doc_id, "d1");
    assert_eq!(clusters[0].event.event_id, "d1-e0");
    let firsts = store.events(&EventQuery { clusters_only: true, ..Default::default() }).unwrap();
    assert_eq!(firsts.iter().map(|r| r.event.event_id.as_str()).collect::<Vec<_>>(), ["d1-e0", "d5-e0"]);

    // Removing reuters' second article keeps reuters as a source; replacing d3 drops lemonde.fr.
    store.ingest(&[(doc("d2", "Nothing happened.", Some("reuters")), vec![])]).unwrap();
    let (_, _, _, m, a, s) = cluster_of(&store, "d1-e0");
    assert_eq!((m, a, s), (4, 3, 3));
    store.ingest(&[(doc("d3", "Nothing either.", None), vec![])]).unwrap();
    let (_, _, _, m, a, s) = cluster_of(&store, "d1-e0");
    assert_eq!((m, a, s), (2, 2, 2));
    consistent(&store);
}

/// Paged reads (what exports use) give the rows of the whole reads, page after page, with the
/// query's offset and limit applied.
#[test]
fn paged_reads_match_whole_reads() {
    let (_dir, store, _) = synth_store("paged", 11, 60);
    for q in [
        EventQuery { limit: usize::MAX, ..Default::default() },
        EventQuery { limit: usize::MAX, include_negated: true, include_hypothetical: true, ..Default::default() },
        EventQuery { actor: Some("AZE".into()), since: Some("2021".into()), limit: usize::MAX, ..Default::default() },
        EventQuery { limit: 17, offset: 5, ..Default::default() },
    ] {
        let whole = store.events(&q).unwrap();
        assert!(!whole.is_empty());
        for page in [1, 7, 1000] {
            let paged = store.events_paged(&q, page).unwrap();
            assert_eq!(paged.total(), whole.len());
            assert_eq!(paged.collect::<Result<Vec<_>, _>>().unwrap(), whole, "page of {page}");
        }
        let whole = store.clusters(&q).unwrap();
        for page in [1, 7, 1000] {
            let paged = store.clusters_paged(&q, page).unwrap().collect::<Result<Vec<_>, _>>().unwrap();
            assert_eq!(paged.len(), whole.len());
            assert!(paged.iter().zip(&whole).all(|(a, b)| a.id == b.id && a.event == b.event && a.added == b.added));
        }
    }
    let first = store.clusters(&EventQuery { limit: 1, ..Default::default() }).unwrap();
    assert_eq!(store.cluster_added(first[0].id).unwrap().as_deref(), Some(first[0].added.as_str()));
    assert_eq!(store.cluster_added(-1).unwrap(), None);
}

/// An event whose id is stored already (given twice by one document, or again by another) is
/// skipped and counted: it adds no row, no mention and no cluster, and does not refine the
/// date of the cluster it would have joined.
#[test]
fn repeated_event_ids_are_stored_once() {
    let dir = TempDir::new("repeated-ids");
    let mut store = Store::open(dir.db()).unwrap();
    let fra = || country("FRA", "France");
    let deu = || country("DEU", "Germany");
    let month = ev("d1", 0, fra(), deu(), "040", Some("2021-06"));
    let mut twice = month.clone();
    twice.rule = "another.rule".into();
    let first = store
        .ingest(&[(doc("d1", "France met Germany in June 2021. They met.", Some("afp")), vec![month, twice])])
        .unwrap();
    assert_eq!((first.events, first.duplicate_events, first.clusters_created), (1, 1, 1));

    // d2 repeats d1's id with a more precise date (it would refine d1's cluster) and with a
    // new code (it would start a cluster); its third event is new and joins d1's cluster.
    let mut again = ev("d1", 0, fra(), deu(), "040", Some("2021-06-15"));
    again.doc_id = "d2".into();
    let mut other = ev("d1", 0, fra(), deu(), "111", Some("2021-06-15"));
    other.doc_id = "d2".into();
    let joins = ev("d2", 2, fra(), deu(), "040", Some("2021-06"));
    let second = store
        .ingest(&[(doc("d2", "France met Germany on 15 June 2021.", Some("dpa")), vec![again, other, joins])])
        .unwrap();
    assert_eq!((second.events, second.duplicate_events, second.clusters_created, second.clusters_joined), (1, 2, 0, 1));
    assert_eq!(store.stats().unwrap().events, 2);
    assert_eq!(store.stats().unwrap().clusters, 1);
    let (c1, date, precision, mentions, articles, sources) = cluster_of(&store, "d1-e0");
    assert_eq!((date.as_deref(), precision.as_str()), (Some("2021-06"), "month"));
    assert_eq!((mentions, articles, sources), (2, 2, 2));
    assert_eq!(cluster_of(&store, "d2-e2").0, c1);
    let kept = store.document_events("d1").unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].event.rule, "test.rule");
    assert!(store.document_events("d2").unwrap().iter().all(|e| e.event.event_id == "d2-e2"));
    consistent(&store);

    // A cluster created after skipped events gets the next id: d3 starts one.
    let third = store
        .ingest(&[(
            doc("d3", "Germany criticized France.", None),
            vec![ev("d3", 0, deu(), fra(), "111", Some("2022-01-02"))],
        )])
        .unwrap();
    assert_eq!(third.clusters_created, 1);
    assert_eq!(cluster_of(&store, "d3-e0").0, c1 + 1);
    consistent(&store);
}

#[test]
fn dates_cluster_when_compatible() {
    let dir = TempDir::new("dates");
    let mut store = Store::open(dir.db()).unwrap();
    let a = || country("ARM", "Armenia");
    let z = || country("AZE", "Azerbaijan");
    let one = |id: &str, date: Option<&str>| {
        (doc(id, &format!("Armenia met Azerbaijan ({id})."), Some(id)), vec![ev(id, 0, a(), z(), "040", date)])
    };
    store
        .ingest(&[
            one("m", Some("2021-06")),
            one("d", Some("2021-06-15")),
            one("y", Some("2021")),
            one("other", Some("2021-06-16")),
            one("md", Some("--10-02")),
            one("ymd", Some("2021-10-02")),
            one("u1", None),
            one("u2", None),
        ])
        .unwrap();
    let (cm, date, precision, mentions, ..) = cluster_of(&store, "m-e0");
    // The month-precision cluster took the day when 2021-06-15 joined.
    assert_eq!((date.as_deref(), precision.as_str(), mentions), (Some("2021-06-15"), "day", 3));
    assert_eq!(cluster_of(&store, "d-e0").0, cm);
    assert_eq!(cluster_of(&store, "y-e0").0, cm, "a year joins the most precise compatible cluster");
    assert_ne!(cluster_of(&store, "other-e0").0, cm);
    let (cmd, date, ..) = cluster_of(&store, "md-e0");
    assert_eq!(date.as_deref(), Some("2021-10-02"));
    assert_eq!(cluster_of(&store, "ymd-e0").0, cmd);
    assert_ne!(cluster_of(&store, "u1-e0").0, cluster_of(&store, "u2-e0").0, "undated: one document only");

    // Two undated events of one document share a cluster.
    let mut e2 = ev("u3", 1, a(), z(), "040", None);
    e2.sentence_index = 0;
    store
        .ingest(&[(doc("u3", "Armenia met Azerbaijan twice.", None), vec![ev("u3", 0, a(), z(), "040", None), e2])])
        .unwrap();
    assert_eq!(cluster_of(&store, "u3-e0").0, cluster_of(&store, "u3-e1").0);
    assert_eq!(cluster_of(&store, "u3-e0").3, 2);

    // Negated and hypothetical events are other clusters.
    let mut neg = ev("n", 0, a(), z(), "040", Some("2021-06-15"));
    neg.negated = true;
    let mut hyp = ev("h", 0, a(), z(), "040", Some("2021-06-15"));
    hyp.hypothetical = true;
    store
        .ingest(&[
            (doc("n", "Armenia did not meet Azerbaijan.", None), vec![neg]),
            (doc("h", "Armenia may meet Azerbaijan.", None), vec![hyp]),
        ])
        .unwrap();
    assert_ne!(cluster_of(&store, "n-e0").0, cm);
    assert_ne!(cluster_of(&store, "h-e0").0, cm);
    assert_ne!(cluster_of(&store, "h-e0").0, cluster_of(&store, "n-e0").0);
    consistent(&store);

    // Removing the precise mention gives the cluster its month back.
    store.ingest(&[(doc("d", "Replaced.", None), vec![])]).unwrap();
    let (c, date, precision, mentions, ..) = cluster_of(&store, "m-e0");
    assert_eq!((c, date.as_deref(), precision.as_str(), mentions), (cm, Some("2021-06"), "month", 2));
    consistent(&store);
}

/// Within one transaction the writer keeps the clusters it has looked up in memory; the events
/// must still land where one transaction per document puts them, through a yearless cluster
/// that takes a year, and the lookups of other years that must stop returning it.
#[test]
fn cluster_lookups_within_a_transaction_match_one_per_document() {
    let a = || country("ARM", "Armenia");
    let z = || country("AZE", "Azerbaijan");
    let dates = ["2022-03-01", "--06-15", "2023-01-01", "2022-06-15", "2023-06-15", "--06-15", "2022", "2023-06"];
    let docs: Vec<(Document, Vec<Event>)> = dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let id = format!("d{i}");
            (
                doc(&id, &format!("Armenia met Azerbaijan ({id})."), Some(&id)),
                vec![ev(&id, 0, a(), z(), "040", Some(date))],
            )
        })
        .collect();
    let assignments = |store: &Store| -> Vec<(String, i64, Option<String>, i64)> {
        let mut st = store
            .connection()
            .prepare(
                "SELECT e.event_id, c.id, c.date, c.num_mentions FROM events e JOIN clusters c ON c.id = e.cluster_id
                 ORDER BY e.event_id",
            )
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap().map(Result::unwrap).collect()
    };
    let one_dir = TempDir::new("lookups-one");
    let mut one = Store::open(one_dir.db()).unwrap();
    one.ingest(&docs).unwrap();
    let each_dir = TempDir::new("lookups-each");
    let mut each = Store::open(each_dir.db()).unwrap();
    for d in &docs {
        each.ingest(std::slice::from_ref(d)).unwrap();
    }
    assert_eq!(assignments(&one), assignments(&each));
    // The yearless mention took 2022 from the 2022-06-15 one; 2023-06-15 is another event, and
    // the second yearless mention joins the older of the two.
    let date_of = |e: &str| cluster_of(&one, e).1;
    assert_eq!(date_of("d1-e0").as_deref(), Some("2022-06-15"));
    assert_eq!(cluster_of(&one, "d3-e0").0, cluster_of(&one, "d1-e0").0);
    assert_ne!(cluster_of(&one, "d4-e0").0, cluster_of(&one, "d1-e0").0);
    assert_eq!(cluster_of(&one, "d5-e0").0, cluster_of(&one, "d1-e0").0);
    assert_eq!(cluster_of(&one, "d6-e0").0, cluster_of(&one, "d0-e0").0);
    assert_eq!(cluster_of(&one, "d7-e0").0, cluster_of(&one, "d4-e0").0);
    consistent(&one);
}

#[test]
fn removing_precise_mentions_merges_clusters_that_meet() {
    let dir = TempDir::new("merge");
    let mut store = Store::open(dir.db()).unwrap();
    let a = || country("ARM", "Armenia");
    let z = || country("AZE", "Azerbaijan");
    let one = |id: &str, date: &str| {
        (doc(id, &format!("Armenia met Azerbaijan ({id})."), Some(id)), vec![ev(id, 0, a(), z(), "040", Some(date))])
    };
    // K1 = {2021-06, 2021}; K2 = {2021-07-01, 2021} (a year joins the most precise candidate).
    store.ingest(&[one("h", "2021-06"), one("q1", "2021"), one("p", "2021-07-01"), one("q2", "2021")]).unwrap();
    let k1 = cluster_of(&store, "h-e0").0;
    let k2 = cluster_of(&store, "p-e0").0;
    assert_ne!(k1, k2);
    assert_eq!(cluster_of(&store, "q1-e0").0, k1);
    assert_eq!(cluster_of(&store, "q2-e0").0, k2);
    // Without their precise mentions both clusters are "2021": they become one.
    store.ingest(&[(doc("h", "gone", None), vec![]), (doc("p", "gone too", None), vec![])]).unwrap();
    let (c, date, precision, mentions, articles, sources) = cluster_of(&store, "q1-e0");
    assert_eq!(cluster_of(&store, "q2-e0").0, c);
    assert_eq!((date.as_deref(), precision.as_str(), mentions, articles, sources), (Some("2021"), "year", 2, 2, 2));
    assert_eq!(store.stats().unwrap().clusters, 1);
    consistent(&store);
}

#[test]
fn symmetric_events_cluster_in_sorted_order() {
    let dir = TempDir::new("sym");
    let mut store = Store::open(dir.db()).unwrap();
    let usa = || country("USA", "Washington");
    let chn = || country("CHN", "Beijing");
    let mut s1 = ev("s1", 0, usa(), chn(), "040", Some("2023-11-15"));
    s1.symmetric = true;
    let mut s2 = ev("s2", 0, chn(), usa(), "040", Some("2023-11-15"));
    s2.symmetric = true;
    let p1 = ev("p1", 0, usa(), chn(), "111", Some("2023-11-15"));
    let p2 = ev("p2", 0, chn(), usa(), "111", Some("2023-11-15"));
    store
        .ingest(&[
            (doc("s1", "Washington met Beijing.", Some("x")), vec![s1]),
            (doc("s2", "Beijing met Washington.", Some("y")), vec![s2]),
            (doc("p1", "Washington criticized Beijing.", Some("x")), vec![p1]),
            (doc("p2", "Beijing criticized Washington.", Some("y")), vec![p2]),
        ])
        .unwrap();
    let (c, _, _, mentions, articles, sources) = cluster_of(&store, "s1-e0");
    assert_eq!(cluster_of(&store, "s2-e0").0, c);
    assert_eq!((mentions, articles, sources), (2, 2, 2));
    let keys: (String, String) = store
        .connection()
        .query_row("SELECT source_key, target_key FROM clusters WHERE id = ?1", [c], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(keys, ("CHN".to_string(), "USA".to_string()));
    assert_ne!(cluster_of(&store, "p1-e0").0, cluster_of(&store, "p2-e0").0, "directed events keep direction");
    // Rollups keep each event's own direction.
    let s = store.series("USA", "CHN", Period::Month).unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].source.as_str(), s[0].events), ("USA", 2));
    assert_eq!((s[1].source.as_str(), s[1].events), ("CHN", 2));
    consistent(&store);
}

/// The hand-made example of the rollup and series tests.
fn rollup_example(store: &mut Store) {
    let fra = || country("FRA", "France");
    let deu = || country("DEU", "Germany");
    let mut neg = ev("r5", 0, fra(), deu(), "190", Some("2021-06-10"));
    neg.negated = true;
    let mut hyp = ev("r6", 0, deu(), fra(), "057", Some("2021-06-10"));
    hyp.hypothetical = true;
    store
        .ingest(&[
            (doc("r1", "France met Germany.", Some("a")), vec![ev("r1", 0, fra(), deu(), "040", Some("2021-06-15"))]),
            (
                doc("r2", "France attacked Germany.", Some("b")),
                vec![ev("r2", 0, fra(), deu(), "190", Some("2021-06-20"))],
            ),
            (
                doc("r3", "France criticized Germany.", Some("c")),
                vec![ev("r3", 0, fra(), deu(), "111", Some("2021-07"))],
            ),
            (doc("r4", "Germany aided France.", Some("d")), vec![ev("r4", 0, deu(), fra(), "070", Some("2021-06-01"))]),
            (doc("r5", "France did not attack Germany.", Some("e")), vec![neg]),
            (doc("r6", "Germany may sign with France.", Some("f")), vec![hyp]),
            (doc("r7", "France met Germany in 2021.", Some("g")), vec![ev("r7", 0, fra(), deu(), "040", Some("2021"))]),
            (
                doc("r8", "Paris criticized the EU.", Some("h")),
                vec![ev("r8", 0, country("FRA", "Paris"), org("EU", "the EU"), "111", Some("2022-01-05"))],
            ),
        ])
        .unwrap();
}

#[test]
fn rollups_and_series_on_a_hand_made_example() {
    let dir = TempDir::new("series");
    let mut store = Store::open(dir.db()).unwrap();
    rollup_example(&mut store);
    let m = store.series("FRA", "DEU", Period::Month).unwrap();
    let got: Vec<(&str, &str, i64, [i64; 4], f64)> =
        m.iter().map(|r| (r.period.as_str(), r.source.as_str(), r.events, r.quad, r.goldstein_sum)).collect();
    assert_eq!(
        got,
        [
            ("2021-06", "FRA", 2, [1, 0, 0, 1], -9.0),
            ("2021-06", "DEU", 1, [0, 1, 0, 0], 7.0),
            ("2021-07", "FRA", 1, [0, 0, 1, 0], -2.0),
        ]
    );
    assert_eq!(m[0].goldstein_mean, -4.5);
    assert_eq!(m[1].target, "FRA");
    let y = store.series("DEU", "FRA", Period::Year).unwrap();
    let got: Vec<(&str, &str, i64)> = y.iter().map(|r| (r.period.as_str(), r.source.as_str(), r.events)).collect();
    assert_eq!(got, [("2021", "DEU", 1), ("2021", "FRA", 3)]);
    let d = store.series("FRA", "DEU", Period::Day).unwrap();
    let got: Vec<(&str, &str, i64)> = d.iter().map(|r| (r.period.as_str(), r.source.as_str(), r.events)).collect();
    assert_eq!(got, [("2021-06-01", "DEU", 1), ("2021-06-15", "FRA", 1), ("2021-06-20", "FRA", 1)]);
    let w = store.series("FRA", "DEU", Period::Week).unwrap();
    let got: Vec<(&str, &str, i64, f64)> =
        w.iter().map(|r| (r.period.as_str(), r.source.as_str(), r.events, r.goldstein_sum)).collect();
    assert_eq!(got, [("2021-W22", "DEU", 1, 7.0), ("2021-W24", "FRA", 2, -9.0)]);

    let top = store.top_dyads(Some("2021"), Some("2021"), 10).unwrap();
    let got: Vec<(&str, &str, i64, &str)> =
        top.iter().map(|r| (r.source.as_str(), r.target.as_str(), r.events, r.period.as_str())).collect();
    assert_eq!(got, [("FRA", "DEU", 3, "2021..2021"), ("DEU", "FRA", 1, "2021..2021")]);
    let all = store.top_dyads(None, None, 1).unwrap();
    assert_eq!((all.len(), all[0].events), (1, 3));
    // Day bounds read events: June 10–20 holds r1 and r2 (r5 is negated).
    let june = store.top_dyads(Some("2021-06-10"), Some("2021-06-20"), 10).unwrap();
    assert_eq!(june.iter().map(|r| r.events).collect::<Vec<_>>(), [2]);
    let actors = store.top_actors(None, None, 10).unwrap();
    let got: Vec<(&str, i64, i64, i64, &str)> =
        actors.iter().map(|a| (a.key.as_str(), a.events, a.as_source, a.as_target, a.kind.as_str())).collect();
    assert_eq!(got, [("FRA", 5, 4, 1, "country"), ("DEU", 4, 1, 3, "country"), ("EU", 1, 0, 1, "org")]);

    // Replacing r2 (the attack) updates the rollup in the same transaction.
    store.ingest(&[(doc("r2", "France thanked Germany.", Some("b")), vec![])]).unwrap();
    let m = store.series("FRA", "DEU", Period::Month).unwrap();
    assert_eq!((m[0].events, m[0].quad, m[0].goldstein_sum), (1, [1, 0, 0, 0], 1.0));
    consistent(&store);
}

#[test]
fn network_of_a_period() {
    let dir = TempDir::new("network");
    let mut store = Store::open(dir.db()).unwrap();
    rollup_example(&mut store);
    let n = store.network(None, None, 1).unwrap();
    let nodes: Vec<(&str, &str, &str, i64)> =
        n.nodes.iter().map(|x| (x.id.as_str(), x.label.as_str(), x.kind.as_str(), x.weight)).collect();
    assert_eq!(nodes, [("FRA", "France", "country", 5), ("DEU", "Germany", "country", 4), ("EU", "the EU", "org", 1)]);
    let edges: Vec<(&str, &str, i64, [i64; 4], f64)> =
        n.edges.iter().map(|e| (e.source.as_str(), e.target.as_str(), e.events, e.quad, e.goldstein_mean)).collect();
    assert_eq!(
        edges,
        [
            ("FRA", "DEU", 3, [1, 0, 1, 1], -11.0 / 3.0),
            ("DEU", "FRA", 1, [0, 1, 0, 0], 7.0),
            ("FRA", "EU", 1, [0, 0, 1, 0], -2.0)
        ]
    );
    let n = store.network(Some("2021"), Some("2021"), 2).unwrap();
    assert_eq!(n.edges.len(), 1);
    assert_eq!(n.nodes.iter().map(|x| x.id.as_str()).collect::<Vec<_>>(), ["DEU", "FRA"]);
}

#[test]
fn full_text_search_accepts_any_input() {
    let dir = TempDir::new("fts");
    let mut store = Store::open(dir.db()).unwrap();
    let text =
        "Türkiye and Greece signed a \"historic\" deal in Athens. Officials AND diplomats cheered. 北京 said nothing.";
    let tur = country("TUR", "Türkiye");
    let grc = country("GRC", "Greece");
    let d = doc("f1", text, Some("x"));
    let mut e = ev("f1", 0, tur, grc, "057", Some("2023-12-07"));
    e.sentence = "Türkiye and Greece signed a \"historic\" deal in Athens.".into();
    store.ingest(&[(d, vec![e.clone()])]).unwrap();

    let hits = store.search("turkiye", 10).unwrap();
    assert_eq!(hits.len(), 1, "diacritics are folded");
    assert_eq!((hits[0].doc_id.as_str(), hits[0].sentence_index), ("f1", 0));
    assert_eq!(hits[0].events.len(), 1);
    assert_eq!(hits[0].events[0].event, e);
    assert!(hits[0].snippet.contains("[Türkiye]"), "{}", hits[0].snippet);
    assert_eq!(store.search("\"historic\" deal", 10).unwrap().len(), 1);
    assert_eq!(store.search("AND", 10).unwrap().len(), 2, "AND is a word (\"and\"), not an operator");
    assert_eq!(store.search("officials AND", 10).unwrap()[0].sentence_index, 1);
    assert_eq!(store.search("北京", 10).unwrap().len(), 1);
    for odd in [
        "\"",
        "\"\"",
        "*",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        "a*",
        "(",
        ")",
        "text:deal",
        "^deal",
        "deal OR",
        "-",
        "+",
        ":",
        "'",
        "\\",
        "\u{0}",
        "日本語 \"",
        "💥",
        "",
        "   ",
        "a\"b\"c",
        "{col}",
        "NEAR(a b, 3)",
    ] {
        store.search(odd, 10).unwrap_or_else(|e| panic!("{odd:?}: {e}"));
        store
            .events(&EventQuery { text: Some(odd.into()), ..Default::default() })
            .unwrap_or_else(|e| panic!("{odd:?}: {e}"));
    }
    assert!(store.search("* ( )", 10).unwrap().is_empty());
    let rows = store.events(&EventQuery { text: Some("signed deal".into()), ..Default::default() }).unwrap();
    assert_eq!(rows.len(), 1);
    let rows = store.events(&EventQuery { text: Some("cheered".into()), ..Default::default() }).unwrap();
    assert!(rows.is_empty(), "no event in that sentence");
}

#[test]
fn sql_is_read_only() {
    let dir = TempDir::new("sql");
    let mut store = Store::open(dir.db()).unwrap();
    rollup_example(&mut store);
    let (cols, rows) = store
        .sql("SELECT source_key, count(*) AS n, avg(goldstein), x'00ff', NULL FROM events GROUP BY source_key ORDER BY n DESC")
        .unwrap();
    assert_eq!(cols, ["source_key", "n", "avg(goldstein)", "x'00ff'", "NULL"]);
    assert_eq!(rows[0][0], serde_json::json!("FRA"));
    assert_eq!(rows[0][1], serde_json::json!(6));
    assert!(rows[0][2].is_f64());
    assert_eq!(rows[0][3], serde_json::json!("00ff"));
    assert_eq!(rows[0][4], serde_json::Value::Null);
    let before = store.stats().unwrap();
    let attach = format!("ATTACH DATABASE '{}' AS other", dir.path().join("other.db").display());
    for bad in [
        "INSERT INTO documents (id, hash, added, origin, text) VALUES ('x', 'y', 'z', 'o', 't')",
        "DELETE FROM events",
        "UPDATE clusters SET num_mentions = 0",
        "DROP TABLE events",
        "CREATE TABLE t (x)",
        attach.as_str(),
        "ATTACH ':memory:' AS m",
        "  /* sneaky */ attach ':memory:' AS m",
        "PRAGMA user_version = 5",
        "VACUUM",
        "REINDEX",
    ] {
        match store.sql(bad) {
            Err(StoreError::ReadOnly(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bad}: expected ReadOnly, got {other:?}"),
        }
    }
    assert!(!dir.path().join("other.db").exists());
    let after = store.stats().unwrap();
    assert_eq!((before.documents, before.events), (after.documents, after.events));
    let user_version: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(user_version, dyad_store::schema::SCHEMA_VERSION);
    assert!(matches!(store.sql("SELEC nonsense"), Err(StoreError::Sqlite(_))));
}

#[test]
fn read_only_store_refuses_writes() {
    let dir = TempDir::new("ro");
    let mut store = Store::open(dir.db()).unwrap();
    rollup_example(&mut store);
    drop(store);
    let mut ro = Store::open_read_only(dir.db()).unwrap();
    assert_eq!(ro.documents_count().unwrap(), 8);
    assert_eq!(ro.series("FRA", "DEU", Period::Month).unwrap().len(), 3);
    assert!(matches!(ro.ingest(&[(doc("z", "new", None), vec![])]), Err(StoreError::ReadOnly(_))));
    assert!(ro.connection().execute("DELETE FROM events", []).is_err());
    let missing = dir.path().join("nope.db");
    match Store::open_read_only(&missing) {
        Err(StoreError::Missing(p)) => assert_eq!(p, missing),
        other => panic!("expected Missing, got {:?}", other.err()),
    }
    assert!(!missing.exists());
}

#[test]
fn newer_schema_is_refused() {
    let dir = TempDir::new("newer");
    let store = Store::open(dir.db()).unwrap();
    store.connection().pragma_update(None, "user_version", 999).unwrap();
    drop(store);
    for res in [Store::open(dir.db()).err(), Store::open_read_only(dir.db()).err()] {
        match res {
            Some(e @ StoreError::NewerSchema { found: 999, .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("999") && msg.contains("newer dyad"), "{msg}");
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
    }
}

#[test]
fn garbage_file_is_corrupt() {
    let dir = TempDir::new("corrupt");
    let path = dir.path().join("garbage.db");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    for res in [Store::open(&path).err(), Store::open_read_only(&path).err()] {
        match res {
            Some(e @ StoreError::Corrupt { .. }) => assert!(e.to_string().contains("garbage.db"), "{e}"),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), junk, "the file is left alone");
}

/// A store holding the first 20 documents of a 400-document synthetic corpus, whose file may
/// grow by `room` pages only (a full disk after that), and the corpus.
fn nearly_full_store(dir: &TempDir, seed: u64, room: i64) -> (Store, Synth) {
    let mut store = Store::open(dir.db()).unwrap();
    let synth = Synth::new(seed, 400);
    store.ingest(&synth.batch(0, 20)).unwrap();
    let pages: i64 = store.connection().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let _: i64 =
        store.connection().query_row(&format!("PRAGMA max_page_count = {}", pages + room), [], |r| r.get(0)).unwrap();
    (store, synth)
}

#[test]
fn full_disk_rolls_back_the_batch() {
    let dir = TempDir::new("full");
    let (mut store, synth) = nearly_full_store(&dir, 11, 3);
    let before = store.stats().unwrap();
    match store.ingest(&synth.batch(20, 400)) {
        Err(e @ StoreError::Full { .. }) => assert!(e.to_string().contains("full")),
        other => panic!("expected Full, got {other:?}"),
    }
    let after = store.stats().unwrap();
    assert_eq!(
        (before.documents, before.sentences, before.events, before.clusters),
        (after.documents, after.sentences, after.events, after.clusters)
    );
    consistent(&store);
    assert_eq!(
        store.search("ceasefire", 1000).unwrap().len(),
        store
            .events(&EventQuery {
                text: Some("ceasefire".into()),
                include_negated: true,
                include_hypothetical: true,
                limit: 100000,
                ..Default::default()
            })
            .unwrap()
            .iter()
            .map(|r| (r.event.doc_id.clone(), r.event.sentence_index))
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    );
    drop(store);
    // Reopened without the limit, the same batch goes in.
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(store.ingest(&synth.batch(20, 400)).unwrap().documents, 380);
    consistent(&store);
}

/// A stream that fills the disk part-way stops with `Full` (its chunks in preparation are
/// dropped, nothing waits forever), keeps the transactions it committed whole, and a second
/// run stores the rest.
#[test]
fn full_disk_mid_stream_keeps_whole_transactions() {
    let dir = TempDir::new("full-stream");
    let (mut store, synth) = nearly_full_store(&dir, 13, 60);
    let rest = synth.batch(20, 400);
    let coded = |b: &[(Document, Vec<Event>)]| -> Vec<Coded> {
        b.iter().map(|(d, e)| Coded { doc: d.clone(), events: e.clone(), ..Coded::default() }).collect()
    };
    let limits = TxLimits { documents: 20, text_bytes: 1 << 30 };
    match store.ingest_stream(rest.chunks(10).map(coded), limits, |_| {}) {
        Err(StoreError::Full { .. }) => {}
        other => panic!("expected Full, got {other:?}"),
    }
    let stored = store.documents_count().unwrap();
    assert!(stored > 20 && stored < 400, "some transactions committed, not all: {stored}");
    assert_eq!((stored - 20) % 20, 0, "whole transactions of 20 documents only: {stored}");
    consistent(&store);
    drop(store);
    let mut store = Store::open(dir.db()).unwrap();
    let again = store.ingest_stream(rest.chunks(10).map(coded), limits, |_| {}).unwrap();
    assert_eq!((again.documents, again.unchanged), (400 - stored as usize, stored as usize - 20));
    consistent(&store);
}

#[test]
fn recode_rebuilds_events_clusters_and_rollups() {
    let dir = TempDir::new("recode");
    let mut store = Store::open(dir.db()).unwrap();
    let synth = Synth::new(5, 600);
    let n_docs = 600;
    for start in (0..n_docs).step_by(100) {
        store.ingest(&synth.batch(start, start + 100)).unwrap();
    }
    let full = store.stats().unwrap();
    let top_before = store.top_dyads(None, None, 5).unwrap();
    let index_of = |id: &str| id.rsplit('-').next().unwrap().parse::<usize>().unwrap();
    // Keep only events in even sentences.
    let mut calls = Vec::new();
    let stats = store
        .recode(
            |d: &Document| {
                synth.document(index_of(&d.id)).1.into_iter().filter(|e| e.sentence_index % 2 == 0).collect()
            },
            |n| calls.push(n),
        )
        .unwrap();
    assert_eq!(stats.documents, n_docs);
    assert_eq!(stats.removed_events as i64, full.events);
    assert_eq!(calls.last(), Some(&n_docs));
    assert!(calls.len() >= 3);
    let half = store.stats().unwrap();
    assert_eq!((half.documents, half.sentences), (full.documents, full.sentences));
    assert_eq!(half.events, stats.events as i64);
    assert!(half.events < full.events);
    consistent(&store);
    // Recoding with the original coder gives back the original numbers.
    let again = store.recode(|d: &Document| synth.document(index_of(&d.id)).1, |_| {}).unwrap();
    assert_eq!(again.events as i64, full.events);
    assert_eq!(store.top_dyads(None, None, 5).unwrap(), top_before);
    consistent(&store);
}

#[test]
fn queries_filter_as_documented() {
    let (_dir, store, synth) = synth_store("queries", 9, 800);
    let all = |q: EventQuery| store.events(&EventQuery { limit: 1_000_000, ..q }).unwrap();
    let everything: Vec<Event> = (0..800).flat_map(|i| synth.document(i).1).collect();
    let factual = |e: &&Event| !e.negated && !e.hypothetical;
    assert_eq!(all(EventQuery::default()).len(), everything.iter().filter(factual).count());
    assert_eq!(
        all(EventQuery { include_negated: true, include_hypothetical: true, ..Default::default() }).len(),
        everything.len()
    );
    let check = |q: EventQuery, pred: &dyn Fn(&Event) -> bool| {
        let got: Vec<String> = all(q.clone()).into_iter().map(|r| r.event.event_id).collect();
        let want: Vec<String> =
            everything.iter().filter(factual).filter(|e| pred(e)).map(|e| e.event_id.clone()).collect();
        assert_eq!(got, want, "{q:?}");
        assert!(!want.is_empty(), "{q:?} finds something");
    };
    let key = |a: &dyad_core::Actor| a.key().map(str::to_string);
    let tkey = |e: &Event| e.target.as_ref().and_then(|t| t.key()).map(str::to_string);
    check(EventQuery { actor: Some("RUS".into()), ..Default::default() }, &|e| {
        key(&e.source).as_deref() == Some("RUS") || tkey(e).as_deref() == Some("RUS")
    });
    check(EventQuery { dyad: Some(("USA".into(), "CHN".into())), ..Default::default() }, &|e| {
        let (s, t) = (key(&e.source), tkey(e));
        (s.as_deref(), t.as_deref()) == (Some("USA"), Some("CHN"))
            || (s.as_deref(), t.as_deref()) == (Some("CHN"), Some("USA"))
    });
    check(EventQuery { country: Some("CHN".into()), ..Default::default() }, &|e| {
        e.source.country.as_deref() == Some("CHN") || e.target.as_ref().unwrap().country.as_deref() == Some("CHN")
    });
    check(EventQuery { org: Some("UN".into()), ..Default::default() }, &|e| {
        e.source.org.as_deref() == Some("UN") || e.target.as_ref().unwrap().org.as_deref() == Some("UN")
    });
    check(EventQuery { roots: vec!["14".into(), "19".into()], ..Default::default() }, &|e| {
        e.root == "14" || e.root == "19"
    });
    check(EventQuery { cameo_prefix: Some("04".into()), ..Default::default() }, &|e| e.cameo.starts_with("04"));
    check(EventQuery { plover_type: Some("CONSULT".into()), ..Default::default() }, &|e| e.plover.kind == "CONSULT");
    check(EventQuery { since: Some("2020-03".into()), until: Some("2021".into()), ..Default::default() }, &|e| {
        e.date.as_deref().is_some_and(|d| !d.starts_with('-') && d >= "2020-03" && d[..4.min(d.len())] <= *"2021")
    });
    check(EventQuery { until: Some("2016-06-30".into()), ..Default::default() }, &|e| {
        e.date.as_deref().is_some_and(|d| !d.starts_with('-') && d <= "2016-06-30~")
    });
    check(EventQuery { text: Some("ceasefire".into()), ..Default::default() }, &|e| e.sentence.contains("ceasefire"));
    // Limit and offset page through the same order.
    let page1 = store.events(&EventQuery { limit: 7, ..Default::default() }).unwrap();
    let page2 = store.events(&EventQuery { limit: 7, offset: 7, ..Default::default() }).unwrap();
    let both = store.events(&EventQuery { limit: 14, ..Default::default() }).unwrap();
    assert_eq!([page1, page2].concat(), both);
    assert_eq!(store.events(&EventQuery::default()).unwrap().len(), 100);
    // clusters_only: one row per cluster.
    let firsts = all(EventQuery { clusters_only: true, ..Default::default() });
    let factual_clusters: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM clusters WHERE negated = 0 AND hypothetical = 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(firsts.len() as i64, factual_clusters);
    let clusters = store.clusters(&EventQuery { limit: 1_000_000, ..Default::default() }).unwrap();
    assert_eq!(clusters.len() as i64, factual_clusters);
    assert_eq!(
        clusters.iter().map(|c| c.num_mentions).sum::<i64>() as usize,
        everything.iter().filter(factual).count()
    );
    assert!(clusters.iter().any(|c| c.num_articles > 1 && c.num_sources > 1));
    let docs = store.documents(10, 5).unwrap();
    assert_eq!(docs.len(), 10);
    assert_eq!(docs[0].id, synth.document(5).0.id);
    consistent(&store);
}

#[test]
fn fill_synthetic_is_consistent_and_matches_ingest_sentences() {
    let dir = TempDir::new("fill");
    let mut store = Store::open(dir.db()).unwrap();
    store.fill_synthetic(20_000, 1).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.events, 20_000, "{stats:?}");
    assert!(stats.sentences >= stats.events && stats.sentences < stats.events + 8);
    consistent(&store);
    // The bulk loader stores exactly the sentences ingest would (dyad_text::analyze).
    let synth = Synth::for_events(1, 20_000);
    for i in [0, 1, 17, 999, stats.documents as usize - 2] {
        let (d, events) = synth.document(i);
        let a = dyad_text::analyze(&d.text);
        let split: Vec<&str> = a.sentences.iter().map(|s| &d.text[s.start..s.end]).collect();
        let want: Vec<&str> = events.iter().map(|e| e.sentence.as_str()).collect();
        assert_eq!(split, want);
        let rows = store.document_events(&d.id).unwrap();
        assert_eq!(rows.into_iter().map(|r| r.event).collect::<Vec<_>>(), events);
    }
    assert!(!store.search("ceasefire", 5).unwrap().is_empty());
    assert!(!store.top_dyads(Some("2020"), Some("2020"), 20).unwrap().is_empty());
    assert!(matches!(store.fill_synthetic(10, 2), Err(StoreError::NotEmpty(_))));
    // Ingest on top of a bulk-loaded store keeps it consistent.
    let more = Synth::new(77, 50);
    store.ingest(&more.batch(0, 50)).unwrap();
    consistent(&store);
}

/// The full-text index follows every path a sentence can take: new documents, a document
/// replaced by a later batch, and one replaced twice inside a single batch.
#[test]
fn full_text_index_follows_replacements() {
    let dir = TempDir::new("fts-replace");
    let mut store = Store::open(dir.db()).unwrap();
    let doc = |id: &str, text: &str| Document { id: id.into(), text: text.into(), ..Document::default() };
    store.ingest(&[(doc("a", "Pelicans nest here. Herons too."), vec![]), (doc("b", "Storks fly."), vec![])]).unwrap();
    consistent(&store);
    store.ingest(&[(doc("a", "Flamingos arrived. Herons left."), vec![])]).unwrap();
    consistent(&store);
    assert!(store.search("pelicans", 10).unwrap().is_empty());
    assert_eq!(store.search("flamingos", 10).unwrap().len(), 1);
    assert_eq!(store.search("herons", 10).unwrap().len(), 1);
    // one batch: a new document, then two new versions of it
    store
        .ingest(&[
            (doc("c", "Cranes dance."), vec![]),
            (doc("c", "Ibises wade."), vec![]),
            (doc("c", "Egrets wait. Storks return."), vec![]),
        ])
        .unwrap();
    consistent(&store);
    assert!(store.search("cranes OR ibises", 10).unwrap().is_empty());
    assert_eq!(store.search("egrets", 10).unwrap().len(), 1);
    assert_eq!(store.search("storks", 10).unwrap().len(), 2);
}

/// A new store has 16 KiB pages; a store made with 4 KiB pages (as dyad made them before)
/// keeps them, ingests and checkpoints by the same number of bytes.
#[test]
fn stores_keep_the_page_size_they_were_made_with() {
    let fresh = TempDir::new("page-new");
    let store = Store::open(fresh.db()).unwrap();
    assert_eq!(store.page_size().unwrap(), dyad_store::PAGE_SIZE);
    assert_eq!(dyad_store::PAGE_SIZE, 16 * 1024);
    drop(store);

    let dir = TempDir::new("page-4k");
    {
        let conn = rusqlite::Connection::open(dir.db()).unwrap();
        conn.execute_batch("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE older (x);").unwrap();
    }
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(store.page_size().unwrap(), 4096);
    let stats = store.ingest(&[(doc("p1", "Herons nest.", None), vec![])]).unwrap();
    assert_eq!(stats.documents, 1);
    let auto: i64 = store.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
    assert_eq!(auto, 4000);
    drop(store);
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(store.page_size().unwrap(), 4096);
    assert_eq!(store.search("herons", 10).unwrap().len(), 1);
}

/// A store written by schema v1 (full-text index kept by triggers) opens, migrates to the
/// current version, and keeps its index.
#[test]
fn version_1_store_migrates() {
    let dir = TempDir::new("v1");
    {
        let conn = rusqlite::Connection::open(dir.db()).unwrap();
        conn.execute_batch(dyad_store::schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO documents (id, hash, added, origin, text) VALUES ('old', 'h', '2024-01-01T00:00:00Z', 'old', 'Walruses rest.');
             INSERT INTO sentences (doc_id, idx, text) VALUES ('old', 0, 'Walruses rest.');",
        )
        .unwrap();
    }
    let mut store = Store::open(dir.db()).unwrap();
    let v: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, dyad_store::schema::SCHEMA_VERSION);
    assert_eq!(store.search("walruses", 10).unwrap().len(), 1);
    let triggers: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(triggers, 0);
    let doc = Document { id: "new".into(), text: "Seals dive.".into(), ..Document::default() };
    store.ingest(&[(doc, vec![])]).unwrap();
    assert_eq!(store.search("seals", 10).unwrap().len(), 1);
    consistent(&store);
}

/// A schema v7 store (a full-text index with per-row column sizes) gets its index rebuilt
/// without them (v8) and finds what it found before.
#[test]
fn version_7_store_rebuilds_its_full_text_index() {
    let dir = TempDir::new("v7");
    let docsize = |store: &Store| -> i64 {
        store
            .connection()
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'sentences_fts_docsize'", [], |r| r.get(0))
            .unwrap()
    };
    {
        let mut store = Store::open(dir.db()).unwrap();
        let doc = |id: &str, text: &str| Document { id: id.into(), text: text.into(), ..Document::default() };
        store
            .ingest(&[(doc("a", "Pelicans nest here. Herons too."), vec![]), (doc("b", "Storks fly."), vec![])])
            .unwrap();
        assert_eq!(docsize(&store), 0);
        store
            .connection()
            .execute_batch(
                "DROP TABLE sentences_fts;
                 CREATE VIRTUAL TABLE sentences_fts USING fts5(
                     text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
                 INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
                 PRAGMA user_version = 7;",
            )
            .unwrap();
        store.connection().execute_batch(&[UNDO_V12, UNDO_V11, UNDO_V10].concat()).unwrap();
        assert_eq!(docsize(&store), 1);
    }
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(docsize(&store), 0, "the v8 index keeps no column sizes");
    assert_eq!(store.search("herons", 10).unwrap().len(), 1);
    assert_eq!(store.search("storks", 10).unwrap().len(), 1);
    assert!(store.search("flamingos", 10).unwrap().is_empty());
    consistent(&store);
}

/// A schema v8 store (memberships keyed by cluster and document, with an index by origin) is
/// rebuilt keyed by cluster, origin and document (v9), keeps every membership, and stays
/// consistent through a later replacement.
#[test]
fn version_8_store_rekeys_its_memberships() {
    let dir = TempDir::new("v8");
    let batch = Synth::new(9, 60).batch(0, 60);
    let memberships = |store: &Store| -> Vec<(i64, String, String, i64)> {
        let mut st = store
            .connection()
            .prepare("SELECT cluster_id, origin, doc_id, mentions FROM cluster_docs ORDER BY cluster_id, doc_id")
            .unwrap();
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    let before = {
        let mut store = Store::open(dir.db()).unwrap();
        store.ingest(&batch).unwrap();
        let before = memberships(&store);
        assert!(before.len() > batch.len() / 2, "the corpus has memberships to migrate");
        store
            .connection()
            .execute_batch(
                "CREATE TABLE cd8 (
                     cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
                     doc_id TEXT NOT NULL, origin TEXT NOT NULL, mentions INTEGER NOT NULL,
                     PRIMARY KEY (cluster_id, doc_id)) WITHOUT ROWID;
                 INSERT INTO cd8 SELECT cluster_id, doc_id, origin, mentions FROM cluster_docs;
                 DROP TABLE cluster_docs;
                 ALTER TABLE cd8 RENAME TO cluster_docs;
                 CREATE INDEX cluster_docs_origin ON cluster_docs(cluster_id, origin);
                 PRAGMA user_version = 8;",
            )
            .unwrap();
        store.connection().execute_batch(&[UNDO_V12, UNDO_V11, UNDO_V10].concat()).unwrap();
        before
    };
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(memberships(&store), before);
    let (sql, origin_index): (String, i64) = store
        .connection()
        .query_row(
            "SELECT sql, (SELECT count(*) FROM sqlite_master WHERE name = 'cluster_docs_origin')
             FROM sqlite_master WHERE name = 'cluster_docs'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(sql.contains("PRIMARY KEY (cluster_id, origin, doc_id)"), "{sql}");
    assert_eq!(origin_index, 0);
    consistent(&store);
    // a replaced document leaves its clusters through the new key
    let id = batch[3].0.id.clone();
    let new_doc = doc(&id, "Iran criticized the IAEA on Monday.", Some("wire"));
    let new_ev = ev(&id, 0, country("IRN", "Iran"), org("IAEA", "the IAEA"), "111", Some("2020-02-03"));
    assert_eq!(store.ingest(&[(new_doc, vec![new_ev])]).unwrap().replaced, 1);
    consistent(&store);
}

/// A schema v9 store (sentences found by document and index) gets each document's sentences
/// as consecutive rows named by the document (v10), also where they were not consecutive
/// before; events, search and a later replacement then read the right sentences.
#[test]
fn version_9_store_numbers_sentences_by_document() {
    let dir = TempDir::new("v9");
    let a = doc("a", "Iran criticized the IAEA on Monday. Tehran protested again.", Some("wire"));
    let b = doc("b", "France hosted Germany. Paris praised Berlin.", Some("post"));
    // events of the second sentences, which they name as stored: read back from `sentences`
    let mut ea = ev("a", 1, country("IRN", "Tehran"), org("IAEA", "the IAEA"), "111", Some("2020-02-03"));
    (ea.sentence_index, ea.sentence) = (1, "Tehran protested again.".into());
    let mut eb = ev("b", 1, country("FRA", "Paris"), country("DEU", "Berlin"), "051", Some("2021-06-15"));
    (eb.sentence_index, eb.sentence) = (1, "Paris praised Berlin.".into());
    {
        let mut store = Store::open(dir.db()).unwrap();
        store.ingest(&[(a.clone(), vec![ea.clone()]), (b.clone(), vec![eb.clone()])]).unwrap();
        store.connection().execute_batch(&[UNDO_V12, UNDO_V11, UNDO_V10].concat()).unwrap();
        // document a's second sentence moves past b's: a's rows are no longer consecutive
        store
            .connection()
            .execute_batch(
                "UPDATE sentences SET id = 100 WHERE doc_id = 'a' AND idx = 1;
                 INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
                 PRAGMA user_version = 9;",
            )
            .unwrap();
    }
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(document_ranges(&store, "sentence"), [("a".into(), Some(1), 2), ("b".into(), Some(3), 2)]);
    consistent(&store);
    assert_eq!(store.document_events("a").unwrap()[0].event.sentence, "Tehran protested again.");
    assert_eq!(store.document_events("b").unwrap()[0].event.sentence, "Paris praised Berlin.");
    let hits = store.search("protested", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].events.len(), 1);
    // a new version of a: its old sentences leave, by their range, and the new ones follow b's
    let a2 = doc("a", "Iran welcomed the IAEA.", Some("wire"));
    let mut e2 = ev("a", 2, country("IRN", "Iran"), org("IAEA", "the IAEA"), "051", Some("2020-03-01"));
    e2.sentence = "Iran welcomed the IAEA.".into();
    assert_eq!(store.ingest(&[(a2, vec![e2])]).unwrap().replaced, 1);
    consistent(&store);
    assert!(store.search("protested", 10).unwrap().is_empty());
    assert_eq!(store.document_events("a").unwrap()[0].event.sentence, "Iran welcomed the IAEA.");
    assert_eq!(store.stats().unwrap().sentences, 3);
}

/// A schema v10 store whose document's events are not consecutive rows migrates to event
/// ranges (v11): those events move to the end, the clusters that name them follow, every event
/// names its sentence's row, and a document's events, search hits, events by word, a
/// replacement and a re-code read and remove the right rows.
#[test]
fn version_10_store_ranges_events_by_document() {
    let dir = TempDir::new("v10");
    let a = doc("a", "Iran criticized the IAEA on Monday. Tehran protested again.", Some("wire"));
    let b = doc("b", "France hosted Germany. Paris praised Berlin.", Some("post"));
    let ea0 = ev("a", 1, country("IRN", "Iran"), org("IAEA", "the IAEA"), "111", Some("2020-02-03"));
    let mut ea1 = ev("a", 2, country("IRN", "Tehran"), org("IAEA", "the IAEA"), "112", Some("2020-02-04"));
    (ea1.sentence_index, ea1.sentence) = (1, "Tehran protested again.".into());
    let eb = ev("b", 1, country("FRA", "France"), country("DEU", "Germany"), "042", Some("2021-06-15"));
    {
        let mut store = Store::open(dir.db()).unwrap();
        store.ingest(&[(a.clone(), vec![ea0.clone(), ea1.clone()]), (b.clone(), vec![eb.clone()])]).unwrap();
        store.connection().execute_batch(&[UNDO_V12, UNDO_V11].concat()).unwrap();
        // document a's second event moves past b's: a's rows are no longer consecutive
        let moved: i64 = store
            .connection()
            .query_row("SELECT id FROM events WHERE event_id = ?1", [&ea1.event_id], |r| r.get(0))
            .unwrap();
        store
            .connection()
            .execute_batch(&format!(
                "UPDATE events SET id = 100 WHERE id = {moved};
                 UPDATE clusters SET first_event = 100 WHERE first_event = {moved};
                 PRAGMA user_version = 10;"
            ))
            .unwrap();
    }
    let mut store = Store::open(dir.db()).unwrap();
    assert_eq!(document_ranges(&store, "event"), [("a".into(), Some(101), 2), ("b".into(), Some(3), 1)]);
    consistent(&store);
    let ids = |store: &Store, d: &str| -> Vec<String> {
        store.document_events(d).unwrap().into_iter().map(|r| r.event.event_id).collect()
    };
    assert_eq!(ids(&store, "a"), [ea0.event_id.as_str(), ea1.event_id.as_str()]);
    assert_eq!(ids(&store, "b"), [eb.event_id.as_str()]);
    let hits = store.search("protested", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].events.iter().map(|r| r.event.event_id.clone()).collect::<Vec<_>>(), [ea1.event_id.as_str()]);
    let q = EventQuery { text: Some("hosted".into()), ..Default::default() };
    assert_eq!(store.events(&q).unwrap().len(), 1);
    // a new version of b: its event leaves by its range, and the new one follows a's
    let b2 = doc("b", "France welcomed Germany.", Some("post"));
    let mut e2 = ev("b", 3, country("FRA", "France"), country("DEU", "Germany"), "051", Some("2021-07-01"));
    e2.sentence = "France welcomed Germany.".into();
    assert_eq!(store.ingest(&[(b2, vec![e2.clone()])]).unwrap().replaced, 1);
    consistent(&store);
    assert_eq!(ids(&store, "b"), [e2.event_id.as_str()]);
    assert_eq!(ids(&store, "a").len(), 2);
    assert_eq!(store.stats().unwrap().events, 3);
    // re-coding gives every document a new range; one that now codes nothing has none
    let stats = store.recode(|d| if d.id == "a" { vec![] } else { vec![e2.clone()] }, |_| {}).unwrap();
    assert_eq!(stats.events, 1);
    consistent(&store);
    assert!(ids(&store, "a").is_empty());
    assert_eq!(ids(&store, "b"), [e2.event_id.as_str()]);
    assert_eq!(document_ranges(&store, "event")[0], ("a".into(), None, 0));
}

/// A schema v11 store, where `dyad ingest` stored where it read a document as its source, gets
/// those read locations moved to `provenance` (v12), and its clusters count sources by outlet,
/// URL host or id: a JSONL file of one wire's reports is one source, not one per line. An
/// outlet that a library caller stored stays the source.
#[test]
fn version_11_store_moves_read_locations_to_provenance() {
    let dir = TempDir::new("v11");
    let fra = || country("FRA", "France");
    let deu = || country("DEU", "Germany");
    let day = Some("2021-06-15");
    let docs = [
        ("a", "corpus/a.txt", None),
        ("b", "feed.jsonl:2", Some("https://www.wire.example/b")),
        ("c", "/data/feed.jsonl:3", Some("https://wire.example/c")),
        ("d", "Reuters", None),
        ("stdin", "stdin", None),
    ];
    {
        let mut store = Store::open(dir.db()).unwrap();
        let batch: Vec<_> = docs
            .iter()
            .map(|&(id, source, url)| {
                let mut d = doc(id, &format!("France met Germany ({id})."), Some(source));
                d.url = url.map(Into::into);
                (d, vec![ev(id, 0, fra(), deu(), "040", day)])
            })
            .collect();
        store.ingest(&batch).unwrap();
        // as v11 counted them: every read location its own source
        assert_eq!(cluster_of(&store, "a-e0").5, 5);
        store.connection().execute_batch(&[UNDO_V12, "PRAGMA user_version = 11;"].concat()).unwrap();
    }
    let store = Store::open(dir.db()).unwrap();
    consistent(&store);
    let (_, _, _, mentions, articles, sources) = cluster_of(&store, "a-e0");
    // a (its id), wire.example (b and c), Reuters (d), stdin (its id)
    assert_eq!((mentions, articles, sources), (5, 5, 4));
    let meta: Vec<(String, Option<String>, Option<String>)> = docs
        .iter()
        .map(|&(id, _, _)| {
            let m = store.document(id).unwrap().unwrap().0;
            (m.id, m.source, m.provenance)
        })
        .collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        meta,
        [
            ("a".into(), None, some("corpus/a.txt")),
            ("b".into(), None, some("feed.jsonl:2")),
            ("c".into(), None, some("/data/feed.jsonl:3")),
            ("d".into(), some("Reuters"), None),
            ("stdin".into(), None, some("stdin")),
        ]
    );
    let origins: Vec<String> = store
        .connection()
        .prepare("SELECT origin FROM documents ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(origins, ["a", "wire.example", "wire.example", "Reuters", "stdin"]);
}

/// A schema v2 store (no daily rollup) gets `dyad_day` filled from its events when it is next
/// opened, also when that open is read-only (a short-lived writer migrates it first).
#[test]
fn version_2_store_gains_the_daily_rollup() {
    let dir = TempDir::new("v2");
    {
        let mut store = Store::open(dir.db()).unwrap();
        rollup_example(&mut store);
        store.connection().execute_batch("DROP TABLE dyad_day; PRAGMA user_version = 2;").unwrap();
        store.connection().execute_batch(&[UNDO_V12, UNDO_V11, UNDO_V10].concat()).unwrap();
    }
    let store = Store::open_read_only(dir.db()).unwrap();
    let d = store.series("FRA", "DEU", Period::Day).unwrap();
    let got: Vec<(&str, &str, i64)> = d.iter().map(|r| (r.period.as_str(), r.source.as_str(), r.events)).collect();
    assert_eq!(got, [("2021-06-01", "DEU", 1), ("2021-06-15", "FRA", 1), ("2021-06-20", "FRA", 1)]);
    drop(store);
    let store = Store::open(dir.db()).unwrap();
    let v: i64 = store.connection().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, dyad_store::schema::SCHEMA_VERSION);
    consistent(&store);
}

/// `series_in` keeps the periods inside a range, compared as prefixes; weeks by their Monday.
#[test]
fn series_limited_to_a_period() {
    let dir = TempDir::new("series-in");
    let mut store = Store::open(dir.db()).unwrap();
    rollup_example(&mut store);
    let keys = |rows: Vec<dyad_store::SeriesRow>| -> Vec<(String, String)> {
        rows.into_iter().map(|r| (r.period, r.source)).collect()
    };
    let d = store.series_in("FRA", "DEU", Period::Day, Some("2021-06-10"), None).unwrap();
    assert_eq!(keys(d), [("2021-06-15".into(), "FRA".into()), ("2021-06-20".into(), "FRA".into())]);
    // Week 2021-W22 starts on Monday 2021-05-31, before June: out; W24 (2021-06-14) in.
    let w = store.series_in("FRA", "DEU", Period::Week, Some("2021-06"), Some("2021-06")).unwrap();
    assert_eq!(keys(w), [("2021-W24".into(), "FRA".into())]);
    // a week kept by its Monday counts its days past `until` (W24 runs to Sunday 2021-06-20)
    let w = store.series_in("FRA", "DEU", Period::Week, Some("2021-06-14"), Some("2021-06-14")).unwrap();
    let whole = store.series("FRA", "DEU", Period::Week).unwrap();
    assert_eq!(w, whole.into_iter().filter(|r| r.period == "2021-W24").collect::<Vec<_>>());
    let m = store.series_in("FRA", "DEU", Period::Month, None, Some("2021-06-30")).unwrap();
    assert_eq!(m.iter().map(|r| r.period.as_str()).collect::<Vec<_>>(), ["2021-06", "2021-06"]);
    let y = store.series_in("FRA", "DEU", Period::Year, Some("2022"), None).unwrap();
    assert!(y.is_empty());
    // a bound finer than the period compares on the period's length: the month of a mid-month
    // start is kept, and a year is kept whole, not summed from the bound on
    let m = store.series_in("FRA", "DEU", Period::Month, Some("2021-06-15"), Some("2021-06-15")).unwrap();
    assert_eq!(m, store.series_in("FRA", "DEU", Period::Month, Some("2021-06"), Some("2021-06")).unwrap());
    assert!(!m.is_empty());
    let y = store.series_in("FRA", "DEU", Period::Year, Some("2021-12"), None).unwrap();
    assert_eq!(y, store.series("FRA", "DEU", Period::Year).unwrap());
    assert_eq!(
        store.series_in("FRA", "DEU", Period::Month, None, None).unwrap(),
        store.series("FRA", "DEU", Period::Month).unwrap()
    );
}

/// An event whose sentence index is past the document's sentences (a caller's own numbering)
/// is stored with no sentence row: it is among its document's events, a word search finds the
/// stored sentence without it, and re-storing the document keeps the store consistent.
#[test]
fn event_past_the_stored_sentences_has_no_sentence_row() {
    let dir = TempDir::new("past-sentences");
    let mut store = Store::open(dir.db()).unwrap();
    let d = doc("p", "Ankara welcomed Baku.", Some("wire"));
    let mut inside = ev("p", 0, country("TUR", "Ankara"), country("AZE", "Baku"), "051", Some("2022-05-01"));
    inside.sentence = "Ankara welcomed Baku.".into();
    let mut past = ev("p", 1, country("TUR", "Ankara"), country("AZE", "Baku"), "040", Some("2022-05-02"));
    (past.sentence_index, past.sentence) = (3, "Ankara consulted Baku.".into());
    store.ingest(&[(d, vec![inside.clone(), past.clone()])]).unwrap();
    consistent(&store);
    let rows: Vec<(String, Option<i64>)> = store
        .connection()
        .prepare("SELECT event_id, sentence_id FROM events ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, [(inside.event_id.clone(), Some(1)), (past.event_id.clone(), None)]);
    let stored: Vec<_> = store.document_events("p").unwrap().into_iter().map(|r| r.event).collect();
    assert_eq!(stored, [inside.clone(), past.clone()]);
    let hits = store.search("welcomed", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(
        hits[0].events.iter().map(|r| r.event.event_id.as_str()).collect::<Vec<_>>(),
        [inside.event_id.as_str()]
    );
    let q = EventQuery { text: Some("Ankara".into()), ..Default::default() };
    assert_eq!(store.events(&q).unwrap().len(), 1);
    // a new text under the same id: both events and the sentence go, the new ones come
    let d2 = doc("p", "Ankara praised Baku. Baku thanked Ankara.", Some("wire"));
    let mut again = ev("p", 2, country("AZE", "Baku"), country("TUR", "Ankara"), "051", Some("2022-06-01"));
    (again.sentence_index, again.sentence) = (1, "Baku thanked Ankara.".into());
    assert_eq!(store.ingest(&[(d2, vec![again.clone()])]).unwrap().replaced, 1);
    consistent(&store);
    assert_eq!(store.document_events("p").unwrap().len(), 1);
    assert_eq!(store.search("thanked", 10).unwrap()[0].events.len(), 1);
    assert!(store.search("welcomed", 10).unwrap().is_empty());
}
