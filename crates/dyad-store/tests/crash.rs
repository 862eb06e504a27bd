//! A process killed in the middle of an ingest leaves a consistent store, and ingesting the
//! same input again completes it exactly as a clean run would.

mod common;

use common::TempDir;
use dyad_store::{synth::Synth, Store};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DOCS: usize = 6_000;
const BATCH: usize = 25;
const SEED: u64 = 7;

/// The `ingest_many` example, built (if out of date) next to this test.
fn ingest_many() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.parent().unwrap().parent().unwrap().to_path_buf(); // target/<profile>
    let path = target.join("examples").join(format!("ingest_many{}", std::env::consts::EXE_SUFFIX));
    // `cargo test --workspace` builds it already; `cargo test --test crash` does not, and a
    // binary left by an older build would test older code.
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "-p", "dyad-store", "--example", "ingest_many"]);
    if target.file_name().is_some_and(|p| p == "release") {
        build.arg("--release");
    }
    assert!(build.status().expect("run cargo").success());
    assert!(path.exists(), "{} not built", path.display());
    path
}

fn run_to_end(exe: &PathBuf, db: &PathBuf, mode: &str) {
    let status = Command::new(exe)
        .arg(db)
        .args([DOCS.to_string(), BATCH.to_string(), SEED.to_string(), mode.to_string()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

fn summary(store: &Store) -> Vec<i64> {
    let q = |sql: &str| -> i64 { store.connection().query_row(sql, [], |r| r.get(0)).unwrap() };
    vec![
        q("SELECT count(*) FROM documents"),
        q("SELECT count(*) FROM sentences"),
        q("SELECT count(*) FROM events"),
        q("SELECT count(*) FROM clusters"),
        q("SELECT sum(num_mentions) FROM clusters"),
        q("SELECT sum(num_articles) FROM clusters"),
        q("SELECT sum(num_sources) FROM clusters"),
        q("SELECT count(*) FROM dyad_month"),
        q("SELECT sum(events) FROM dyad_month"),
        q("SELECT sum(goldstein_milli) FROM dyad_month"),
        q("SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'ceasefire'"),
    ]
}

#[test]
fn killed_ingest_leaves_a_consistent_store() {
    killed_ingest("batches");
}

/// The same with a bulk load (`dyad ingest`'s path): query indexes dropped, a stream of chunks.
/// The kill comes before the indexes are built again; the next writable open builds them.
#[test]
fn killed_bulk_ingest_leaves_a_consistent_store() {
    killed_ingest("bulk");
}

fn killed_ingest(mode: &str) {
    let exe = ingest_many();
    let dir = TempDir::new(&format!("crash-{mode}"));
    let db = dir.db();
    let mut child = Command::new(&exe)
        .arg(&db)
        .args([DOCS.to_string(), BATCH.to_string(), SEED.to_string(), mode.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first commit, then let it run ~300 ms more and kill it (SIGKILL).
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().expect("child committed a batch").unwrap();
    assert!(first.starts_with("committed") || first.starts_with("stored"), "{first}");
    let t = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "the child finished before it could be killed: raise DOCS");
    child.kill().unwrap();
    child.wait().unwrap();
    drop(lines);
    eprintln!("killed after {:?}", t.elapsed());

    let indexes = |s: &Store| -> i64 {
        s.connection().query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'index'", [], |r| r.get(0)).unwrap()
    };
    let all_indexes = {
        let full = Store::open(dir.path().join("empty.db")).unwrap();
        indexes(&full)
    };
    if mode == "bulk" {
        let as_left = Store::open_read_only(&db).unwrap();
        assert!(indexes(&as_left) < all_indexes, "the bulk load was killed after its index rebuild");
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(indexes(&store), all_indexes, "a writable open builds the missing indexes");
    let ok: String = store.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let problems = store.check_consistency().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let stored = store.documents_count().unwrap() as usize;
    assert!(stored > 0 && stored < DOCS, "stored {stored} of {DOCS}");
    assert_eq!(stored % BATCH, 0, "whole batches only");
    let dups: i64 = store
        .connection()
        .query_row("SELECT count(*) - count(DISTINCT id) + count(*) - count(DISTINCT hash) FROM documents", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dups, 0);
    // Every stored document has all its events (and nothing else).
    let synth = Synth::new(SEED, DOCS);
    for meta in store.documents(usize::MAX >> 1, 0).unwrap() {
        let i: usize = meta.id.rsplit('-').next().unwrap().parse().unwrap();
        let (d, events) = synth.document(i);
        assert_eq!(meta.hash, Store::content_hash(&d.text));
        let got: Vec<_> = store.document_events(&meta.id).unwrap().into_iter().map(|r| r.event).collect();
        assert_eq!(got, events, "{}", meta.id);
    }
    drop(store);

    // Resume: the same input again completes the store.
    run_to_end(&exe, &db, mode);
    let resumed = Store::open(&db).unwrap();
    assert!(resumed.check_consistency().unwrap().is_empty());

    // A clean single run gives the same numbers.
    let clean_db = dir.path().join("clean.db");
    run_to_end(&exe, &clean_db, mode);
    let clean = Store::open(&clean_db).unwrap();
    assert_eq!(summary(&resumed), summary(&clean));
    assert_eq!(resumed.top_dyads(None, None, 50).unwrap(), clean.top_dyads(None, None, 50).unwrap());
}

/// Readers (read-only stores, as `dyad sql` and the query commands open them) keep answering
/// while another process ingests, and never see a half-written batch.
#[test]
fn readers_work_while_an_ingest_runs() {
    let exe = ingest_many();
    let dir = TempDir::new("readers");
    let db = dir.db();
    let mut child = Command::new(&exe)
        .arg(&db)
        .args([DOCS.to_string(), BATCH.to_string(), SEED.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert!(lines.next().expect("child committed a batch").unwrap().starts_with("committed"));
    let reader = Store::open_read_only(&db).unwrap();
    let mut reads = 0;
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() && reads < 200 {
        let n = reader.documents_count().unwrap() as usize;
        assert_eq!(n % BATCH, 0, "a reader saw part of a batch ({n} documents)");
        let (_, rows) = reader.sql("SELECT count(*) FROM events").unwrap();
        assert!(rows[0][0].as_i64().unwrap() >= 0);
        reader.top_dyads(None, None, 5).unwrap();
        reader.search("ceasefire", 5).unwrap();
        seen.push(n);
        reads += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().ok();
    child.wait().unwrap();
    drop(lines);
    assert!(seen.first() < seen.last(), "the reader ran while batches were committed: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "counts only grow: {seen:?}");
    let store = Store::open(&db).unwrap();
    assert!(store.check_consistency().unwrap().is_empty());
}
