//! End-to-end tests of the store commands: `ingest`, `recode`, `events`, `series`, `network`,
//! `search`, `sql` and `export`, run as a user runs them, against a real SQLite file.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("dyad runs")
}

fn ok(args: &[&str]) -> String {
    let o = dyad(args);
    assert!(o.status.success(), "dyad {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("UTF-8 output")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dyad-store-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A scratch folder with the test corpus in its `corpus` subfolder: (folder, corpus).
fn scratch_corpus(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let corpus = dir.join("corpus");
    write_corpus(&corpus);
    (dir, corpus)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Three short reports: two of them tell of the same meeting (one event cluster, two articles).
/// Creates `dir` if needed.
fn write_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("a.jsonl"),
        concat!(
            r#"{"id":"r1","date":"2024-05-19","url":"https://one.example/r1","text":"Azerbaijani President Ilham Aliyev met Iranian President Ebrahim Raisi on May 19, 2024 to open the Giz Galasi dam. Iran and Azerbaijan signed an agreement on energy cooperation."}"#,
            "\n",
            r#"{"id":"r2","date":"2024-05-20","url":"https://two.example/r2","text":"Ilham Aliyev met Ebrahim Raisi on May 19, 2024 at the border."}"#,
            "\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "Russia condemned Ukraine on March 3, 2024. Armenia and Azerbaijan held talks in Almaty on May 10, 2024.",
    )
    .unwrap();
}

fn json(out: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(out).unwrap_or_else(|e| panic!("not a JSON array ({e}): {out}"))
}

fn count(db: &Path, table: &str) -> i64 {
    let out = ok(&["sql", "--db", s(db), "--json", &format!("SELECT count(*) AS n FROM {table}")]);
    json(&out)[0]["n"].as_i64().unwrap()
}

#[test]
fn ingest_is_incremental_and_idempotent() {
    let (dir, corpus) = scratch_corpus("ingest");
    let db = dir.join("d.db");
    let o = dyad(&["ingest", s(&corpus), "--db", s(&db)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("3 document(s) read, 3 new"), "{err}");
    let (docs, events, clusters) = (count(&db, "documents"), count(&db, "events"), count(&db, "clusters"));
    assert_eq!(docs, 3);
    assert!(events >= 4, "{events} events");
    assert!(clusters < events, "the two reports of one meeting share a cluster ({clusters} clusters, {events} events)");

    // the same folder again: nothing changes
    let o = dyad(&["ingest", s(&corpus), "--db", s(&db)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("3 document(s) read, 0 new, 3 already stored"), "{err}");
    assert_eq!((count(&db, "documents"), count(&db, "events"), count(&db, "clusters")), (docs, events, clusters));

    // a new file: only it is coded
    std::fs::write(corpus.join("c.txt"), "Türkiye and Azerbaijan signed a defence agreement on June 15, 2021.")
        .unwrap();
    let o = dyad(&["ingest", s(&corpus), "--db", s(&db)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("4 document(s) read, 1 new, 3 already stored"), "{err}");
    assert_eq!(count(&db, "documents"), 4);

    // recode keeps documents and rebuilds events to the same result
    let before = count(&db, "events");
    ok(&["recode", "--db", s(&db), "--quiet"]);
    assert_eq!((count(&db, "documents"), count(&db, "events")), (4, before));
}

/// A fresh store has nothing to skip before coding, so the writer alone catches a text the
/// inputs repeat (under another name, and again in the same file): each text is stored once,
/// and a second run of the same inputs stores nothing.
#[test]
fn ingest_stores_a_repeated_text_once() {
    let (dir, corpus) = scratch_corpus("repeated");
    let text = "Georgia and Azerbaijan signed a transit agreement on April 4, 2023.";
    std::fs::write(corpus.join("c.txt"), text).unwrap();
    std::fs::write(corpus.join("copy-of-c.txt"), text).unwrap();
    let line = format!("{}\n", serde_json::json!({"id": "again", "text": text}));
    std::fs::write(corpus.join("d.jsonl"), line.repeat(3)).unwrap();
    let db = dir.join("d.db");
    let o = dyad(&["ingest", s(&corpus), "--db", s(&db)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("8 document(s) read, 4 new, 4 already stored"), "{err}");
    assert_eq!(count(&db, "documents"), 4);
    let stored =
        ok(&["sql", "--db", s(&db), "--json", &format!("SELECT count(*) AS n FROM documents WHERE text = '{text}'")]);
    assert_eq!(json(&stored)[0]["n"], 1);
    let events = count(&db, "events");
    assert!(events >= 5, "{events} events");

    let o = dyad(&["ingest", s(&corpus), "--db", s(&db)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("8 document(s) read, 0 new, 8 already stored"), "{err}");
    assert_eq!((count(&db, "documents"), count(&db, "events")), (4, events));
}

/// `--defer-indexes always` drops the query-only indexes for the run and builds them again:
/// the store ends with every index and answers exactly as a store written with them kept,
/// whatever the transaction size.
#[test]
fn deferred_indexes_and_small_transactions_store_the_same() {
    let (dir, corpus) = scratch_corpus("defer");
    let kept = dir.join("kept.db");
    let deferred = dir.join("deferred.db");
    ok(&["ingest", s(&corpus), "--db", s(&kept), "-q", "--defer-indexes", "never"]);
    ok(&["ingest", s(&corpus), "--db", s(&deferred), "-q", "--defer-indexes", "always", "--batch", "1"]);
    let indexes = |db: &Path| {
        ok(&["sql", "--db", s(db), "--json", "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name"])
    };
    assert_eq!(indexes(&deferred), indexes(&kept));
    assert!(indexes(&kept).contains("events_dyad"), "{}", indexes(&kept));
    let events = |db: &Path| {
        ok(&[
            "sql",
            "--db",
            s(db),
            "--json",
            "SELECT event_id, cluster_id, source_key, target_key, cameo, date FROM events ORDER BY id",
        ])
    };
    assert_eq!(events(&deferred), events(&kept));
    assert!(count(&deferred, "events") >= 3);
    for t in ["documents", "sentences", "clusters", "cluster_docs", "dyad_month", "dyad_day"] {
        assert_eq!(count(&deferred, t), count(&kept, t), "{t}");
    }
    // the same hits, leaving out when each store was written (`added`: the two ingests may
    // fall in different seconds)
    fn without_added(v: &mut Value) {
        match v {
            Value::Object(o) => {
                o.remove("added");
                o.values_mut().for_each(without_added);
            }
            Value::Array(a) => a.iter_mut().for_each(without_added),
            _ => {}
        }
    }
    let search = |db: &Path| {
        let mut hits = Value::Array(json(&ok(&["search", "--db", s(db), "--json", "energy cooperation"])));
        without_added(&mut hits);
        hits
    };
    assert_eq!(search(&deferred), search(&kept));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn queries_answer_with_tables_json_and_csv() {
    let dir = scratch("queries");
    write_corpus(&dir);
    let db = dir.join("q.db");
    ok(&["ingest", s(&dir), "--db", s(&db), "--quiet"]);

    // events: filters by actor, period and root
    let rows =
        json(&ok(&["events", "--db", s(&db), "--actor", "AZE", "--since", "2024-05", "--root", "04,05", "--json"]));
    assert!(!rows.is_empty());
    for r in &rows {
        let e = &r["event"];
        let cameo = e["cameo"].as_str().unwrap();
        assert!(cameo.starts_with("04") || cameo.starts_with("05"), "{r}");
        assert!(e["date"].as_str().unwrap() >= "2024-05", "{r}");
        let countries = [&e["source"]["country"], &e["target"]["country"]];
        assert!(countries.iter().any(|c| c.as_str() == Some("AZE")), "{r}");
        assert!(e["sentence"].as_str().unwrap().len() > 10 && r["doc"]["id"].is_string(), "{r}");
    }
    let none = json(&ok(&["events", "--db", s(&db), "--actor", "AZE", "--until", "2023", "--json"]));
    assert!(none.is_empty(), "{none:?}");
    let table = ok(&["events", "--db", s(&db), "--actor", "RUS"]);
    assert!(table.contains("RUS") && table.contains("UKR") && table.contains("(1 row)"), "{table}");
    let csv = ok(&["events", "--db", s(&db), "--actor", "RUS", "--csv"]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    // --dyad takes `A,B` (as its help says) or two words, in either direction
    let comma = json(&ok(&["events", "--db", s(&db), "--dyad", "ukr,RUS", "--json"]));
    let words = json(&ok(&["events", "--db", s(&db), "--dyad", "RUS", "UKR", "--json"]));
    assert!(comma.len() == 1 && comma == words, "{comma:?} {words:?}");
    let one = dyad(&["events", "--db", s(&db), "--dyad", "RUS"]);
    assert!(!one.status.success() && String::from_utf8_lossy(&one.stderr).contains("two actors"));

    // series: per month, both directions, from the rollup
    let series = json(&ok(&["series", "--db", s(&db), "AZE", "IRN", "--by", "month", "--json"]));
    assert!(series.iter().any(|r| r["period"] == "2024-05"), "{series:?}");
    let total: i64 = series.iter().map(|r| r["events"].as_i64().unwrap()).sum();
    assert!(total >= 2, "{series:?}");

    // network: JSON and GraphML
    let net: Value =
        serde_json::from_str(&ok(&["network", "--db", s(&db), "--since", "2024", "--format", "json"])).unwrap();
    assert!(net["nodes"].as_array().unwrap().iter().any(|n| n["id"] == "AZE"), "{net}");
    let graphml = ok(&["network", "--db", s(&db), "--format", "graphml"]);
    assert!(graphml.contains("<graphml") && graphml.contains("<node id=\"AZE\""), "{graphml}");

    // full-text search, case folded, with the events each sentence carries
    let hits = json(&ok(&["search", "--db", s(&db), "energy cooperation", "--json"]));
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["sentence"].as_str().unwrap().contains("energy cooperation"));
    assert!(!hits[0]["events"].as_array().unwrap().is_empty(), "the hit carries its events: {hits:?}");
    let hits = json(&ok(&["search", "--db", s(&db), "ALMATY", "--json"]));
    assert_eq!(hits.len(), 1, "{hits:?}");
}

#[test]
fn sql_only_reads_and_bad_stores_are_refused() {
    let dir = scratch("safety");
    write_corpus(&dir);
    let db = dir.join("s.db");
    ok(&["ingest", s(&dir), "--db", s(&db), "--quiet"]);
    let events = count(&db, "events");
    for q in ["DELETE FROM events", "DROP TABLE events", "UPDATE documents SET text = ''", "PRAGMA user_version = 99"] {
        let o = dyad(&["sql", "--db", s(&db), q]);
        assert!(!o.status.success(), "{q} was allowed");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("read-only") || err.contains("only reads"), "{q}: {err}");
    }
    assert_eq!(count(&db, "events"), events);
    let o = dyad(&["sql", "--db", s(&db), "SELEC nonsense"]);
    assert!(!o.status.success());

    // a missing store is not created by a query
    let missing = dir.join("missing.db");
    let o = dyad(&["events", "--db", s(&missing)]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.db"));
    assert!(!missing.exists());

    // a file that is not a store
    let junk = dir.join("junk.db");
    std::fs::write(&junk, "this is not a database, just text that happens to be long enough to look like a header")
        .unwrap();
    for args in [vec!["events", "--db", s(&junk)], vec!["ingest", s(&dir), "--db", s(&junk)]] {
        let o = dyad(&args);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("junk.db") && err.contains("not a dyad store"), "{err}");
    }
    assert!(std::fs::read_to_string(&junk).unwrap().starts_with("this is not a database"));
}

#[test]
fn exports_write_complete_files() {
    let dir = scratch("export");
    write_corpus(&dir);
    let db = dir.join("e.db");
    ok(&["ingest", s(&dir), "--db", s(&db), "--quiet"]);
    let clusters = count(&db, "clusters");

    let gdelt = dir.join("events.tsv");
    ok(&["export", "--db", s(&db), "--format", "gdelt", "-o", s(&gdelt)]);
    let text = std::fs::read_to_string(&gdelt).unwrap();
    assert!(text.lines().count() as i64 <= clusters && text.lines().count() > 0);
    assert!(text.lines().all(|l| l.split('\t').count() == 61), "{text}");

    let plover = dir.join("events.plover.jsonl");
    ok(&["export", "--db", s(&db), "--format", "plover", "-o", s(&plover)]);
    for line in std::fs::read_to_string(&plover).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(v["id"].is_string() && v["event"].is_string() && v["actor"].is_string(), "{v}");
    }

    // mentions: one line per event, negated and hypothetical ones included; CSV: the factual
    // events, after a header
    let mentions = dir.join("mentions.tsv");
    ok(&["export", "--db", s(&db), "--format", "mentions", "-o", s(&mentions)]);
    let text = std::fs::read_to_string(&mentions).unwrap();
    assert_eq!(text.lines().count() as i64, count(&db, "events"));
    assert!(text.lines().all(|l| l.split('\t').count() == 16), "{text}");
    let csv = ok(&["export", "--db", s(&db), "--format", "csv"]);
    let factual = count(&db, "events WHERE negated = 0 AND hypothetical = 0");
    assert_eq!(csv.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit())).count() as i64, factual, "{csv}");

    let parquet = dir.join("events.parquet");
    ok(&["export", "--db", s(&db), "--format", "parquet", "-o", s(&parquet)]);
    assert!(std::fs::read(&parquet).unwrap().starts_with(b"PAR1"));
    let o = dyad(&["export", "--db", s(&db), "--format", "parquet"]);
    assert!(!o.status.success(), "parquet to a terminal must be refused");

    // an output that cannot be written leaves nothing behind under the name asked for
    let blocked = dir.join("no-such-dir").join("out.tsv");
    let o = dyad(&["export", "--db", s(&db), "--format", "csv", "-o", s(&blocked)]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("out.tsv"));
    assert!(!blocked.exists());
    assert!(dir.read_dir().unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".partial")));
}

/// Sources are counted by outlet: a JSONL record's `source` field, else its URL's host, else
/// `--doc-source`, else the document itself. Where dyad read a document (a file, a JSONL line)
/// is its provenance, never a source: one file of one wire's reports is one source.
#[test]
fn ingest_counts_sources_by_outlet() {
    let dir = scratch("outlets");
    let feed = dir.join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id":"r1","date":"2024-05-19","source":"Wire A","url":"https://wire-a.example/r1","text":"Ilham Aliyev met Ebrahim Raisi on May 19, 2024 at the border."}"#,
            "\n",
            r#"{"id":"r2","date":"2024-05-20","source":"Wire A","text":"Azerbaijani President Ilham Aliyev met Iranian President Ebrahim Raisi on May 19, 2024."}"#,
            "\n",
            r#"{"id":"r3","date":"2024-05-20","url":"https://www.news-b.example/r3","text":"Aliyev met Raisi on May 19, 2024 to open a dam."}"#,
            "\n",
        ),
    )
    .unwrap();
    let desk = dir.join("c.txt");
    std::fs::write(&desk, "President Ilham Aliyev met President Ebrahim Raisi on May 19, 2024 on the Araz river.")
        .unwrap();
    let db = dir.join("o.db");
    ok(&["ingest", s(&feed), "--db", s(&db), "--quiet"]);
    ok(&["ingest", s(&desk), "--doc-source", "Desk C", "--db", s(&db), "--quiet"]);

    let docs =
        json(&ok(&["sql", "--db", s(&db), "--json", "SELECT id, source, provenance FROM documents ORDER BY id"]));
    let got: Vec<(&str, Option<&str>, Option<&str>)> =
        docs.iter().map(|d| (d["id"].as_str().unwrap(), d["source"].as_str(), d["provenance"].as_str())).collect();
    let line = |n: u32| format!("{}:{n}", s(&feed));
    assert_eq!(
        got,
        [
            ("c", Some("Desk C"), Some(s(&desk))),
            ("r1", Some("Wire A"), Some(line(1).as_str())),
            ("r2", Some("Wire A"), Some(line(2).as_str())),
            ("r3", None, Some(line(3).as_str())),
        ]
    );
    let clusters =
        json(&ok(&["sql", "--db", s(&db), "--json", "SELECT num_mentions, num_articles, num_sources FROM clusters"]));
    assert_eq!(clusters.len(), 1, "one meeting: {clusters:?}");
    // Wire A, news-b.example and Desk C
    let counts = ["num_mentions", "num_articles", "num_sources"].map(|k| clusters[0][k].as_i64().unwrap());
    assert_eq!(counts, [4, 4, 3]);

    // GDELT: NumSources of the event, MentionSourceName of each mention
    let events = ok(&["export", "--db", s(&db), "--format", "gdelt"]);
    let row: Vec<&str> = events.lines().next().unwrap().split('\t').collect();
    assert_eq!(row[31..34], ["4", "3", "4"], "NumMentions, NumSources, NumArticles");
    let mentions = ok(&["export", "--db", s(&db), "--format", "mentions"]);
    let mut names: Vec<&str> = mentions.lines().map(|l| l.split('\t').nth(4).unwrap()).collect();
    names.sort();
    assert_eq!(names, ["Desk C", "Wire A", "Wire A", "news-b.example"]);
}
