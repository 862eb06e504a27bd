//! The dyad event store: documents, sentences, coded events and event clusters in one SQLite
//! file, with incremental ingest, dedup, monthly rollups and fast queries.
//!
//! ```
//! use dyad_core::{Actor, Document, Event};
//! use dyad_store::{EventQuery, Period, Store};
//!
//! let dir = std::env::temp_dir().join(format!("dyad-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("events.db");
//! # let _ = std::fs::remove_file(&path);
//! let mut store = Store::open(&path)?;
//!
//! let doc = Document {
//!     id: "a1".into(),
//!     text: "France met Germany in Paris on Monday.".into(),
//!     source: Some("example-wire".into()),
//!     ..Default::default()
//! };
//! let actor = |code: &str| Actor { code: code.into(), country: Some(code.into()), ..Default::default() };
//! let event = Event {
//!     event_id: "a1-0".into(),
//!     doc_id: "a1".into(),
//!     sentence: doc.text.clone(),
//!     date: Some("2024-03-04".into()),
//!     date_precision: dyad_core::DatePrecision::Day,
//!     source: actor("FRA"),
//!     target: Some(actor("DEU")),
//!     cameo: "040".into(),
//!     root: "04".into(),
//!     goldstein: 1.0,
//!     quad_class: 1,
//!     symmetric: true,
//!     rule: "meet.with".into(),
//!     ..Default::default()
//! };
//! let stats = store.ingest(&[(doc.clone(), vec![event])])?;
//! assert_eq!((stats.documents, stats.events), (1, 1));
//!
//! // The same text again is recognised by its hash and skipped.
//! assert_eq!(store.ingest(&[(doc, vec![])])?.unchanged, 1);
//!
//! let rows = store.events(&EventQuery { actor: Some("DEU".into()), ..Default::default() })?;
//! assert_eq!(rows[0].event.cameo, "040");
//! let series = store.series("FRA", "DEU", Period::Month)?;
//! assert_eq!((series[0].period.as_str(), series[0].events), ("2024-03", 1));
//! assert_eq!(store.search("germany", 10)?.len(), 1);
//! # drop(store); std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Files and safety
//!
//! The database runs in WAL mode with `synchronous=NORMAL`: every [`Store::ingest`] batch is one
//! transaction, so a process killed at any moment leaves either the whole batch or none of it.
//! Readers ([`Store::open_read_only`], [`Store::sql`]) never block the writer. The schema is
//! versioned (see [`schema`]); a database made by a newer dyad is refused rather than damaged.
//!
//! # Incremental ingest
//!
//! A document is identified by its id and its content hash ([`Store::content_hash`], SHA-256 of
//! the text). A text already stored (under any id) is skipped and counted `unchanged`; a known id
//! with a new text *replaces* the old version: its events leave their clusters and rollups, its
//! sentences leave the full-text index, and the new version is stored and coded as a new one.
//!
//! # Dedup: mentions and clusters
//!
//! Each stored event is a *mention*; mentions of one real-world event form a *cluster*, as in
//! GDELT's events and mentions tables. A mention joins a cluster when it has
//!
//! - the same dyad: source key and target key ([`dyad_core::Actor::key`]); for `symmetric`
//!   events (meet, sign, fight) the two keys in sorted order, so "A met B" and "B met A" agree;
//! - the same full CAMEO code;
//! - the same `negated` and `hypothetical` flags ("A did not attack B" is not "A attacked B");
//! - a compatible date: one date is a prefix of the other at its precision — `2021-06` joins
//!   `2021-06-15`, `2021` joins both, `--10-02` (year unknown) joins `2021-10-02`, while
//!   `2021-06-15` and `2021-06-16` stay apart. When a more precise mention joins, the cluster
//!   takes its date. An exactly matching cluster is preferred, then the most precise one.
//!
//! Undated events cluster only within one document. Counts are kept as GDELT keeps them:
//! `num_mentions` = mentions, `num_articles` = distinct documents, `num_sources` = distinct
//! sources, where a document's source is its outlet (`Document.source`), else its URL host
//! (without `www.`), else its id. Where dyad read a document (`Document.provenance`: a path, a
//! JSONL line) is not a source: one JSONL file of many outlets' reports counts each outlet.
//! When a document is replaced or re-coded its mentions leave their clusters; a cluster left
//! empty is deleted, and one left with less precise mentions takes back the most precise
//! remaining date (merging into an existing cluster with that date).
//!
//! # Rollups
//!
//! `dyad_month` holds, per directed dyad (source key → target key) and month, the number of
//! factual events (neither negated nor hypothetical) with both keys and a known year and month,
//! by QuadClass, with the Goldstein sum. An event A→B counts in row (A, B) only; a series of a
//! pair reads both rows. Rollups change in the same transaction as the events they count, so
//! they always equal a recount ([`Store::check_consistency`] verifies it).

pub mod dates;
mod ingest;
mod query;
mod raw;
mod rollup;
pub mod rows;
pub mod schema;
pub mod synth;

pub use dates::PartialDate;
pub use ingest::{sentence_spans, CodeOutput, Coded, IngestStats, TxLimits};
pub use query::{fts_query, ActorRow, EventQuery, Paged, Period, SearchHit};
pub use rows::*;

use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "{path}: the store has schema version {found}, but this dyad knows versions up to {supported}; \
         use a newer dyad to open it"
    )]
    NewerSchema { path: PathBuf, found: i64, supported: i64 },
    #[error("{path}: not a dyad store or the file is damaged ({reason})")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{0}: no such store")]
    Missing(PathBuf),
    #[error("read-only: {0}")]
    ReadOnly(String),
    #[error("{path}: database or disk is full; the last batch was rolled back and earlier data is intact")]
    Full { path: PathBuf },
    #[error("the store is not empty: {0}")]
    NotEmpty(String),
    #[error("stored event JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Counts from [`Store::stats`].
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct StoreStats {
    pub documents: i64,
    pub sentences: i64,
    pub events: i64,
    pub clusters: i64,
    /// Database file plus its write-ahead log, in bytes.
    pub size_bytes: u64,
}

/// An open event store. See the [crate docs](crate).
pub struct Store {
    /// The thread that checkpoints for [`Store::ingest_stream`], kept after a stream so that
    /// its last checkpoint overlaps what the caller does next. Declared before `conn`: it is
    /// dropped (its checkpoint finished, its connection closed) before the writer's connection
    /// closes and checkpoints what is left.
    checkpoints: Option<ingest::Checkpoints>,
    conn: Connection,
    path: PathBuf,
    read_only: bool,
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Every connection maps the database file into memory (up to SQLite's 2 GiB cap) and reads
/// pages in place: a query that touches thousands of pages (a dyad-year's events) then costs
/// no `pread` copy per page, which is most of its time on a warm store.
const READER_PRAGMAS: &str = "PRAGMA mmap_size=2147418112;";

/// The writer's page cache (see `Store::setup`).
const WRITER_CACHE: &str = "PRAGMA cache_size=-65536;";

/// The page size of a new store: 16 KiB instead of SQLite's 4 KiB.
///
/// Ingest writes rows in key order into a handful of B-trees and commits big transactions, so
/// fewer, larger pages mean fewer page splits, fewer pages to look up per row and fewer WAL
/// frames per commit: the bench mix ingests in ~11 % less time than with 4 KiB pages (measured
/// in BENCHMARKS.md, with the query timings at both sizes). A store keeps the page size it was
/// created with (SQLite cannot change it in WAL mode), so older stores go on at 4 KiB.
pub const PAGE_SIZE: i64 = 16 * 1024;

/// The writer's automatic checkpoint, in bytes of WAL: every ~16 MB instead of SQLite's 4 MB
/// (1,000 pages of 4 KiB), so fewer fsyncs while ingesting, at the cost of a larger WAL file.
/// ([`Store::ingest_stream`] turns it off while a thread of its own checkpoints.)
pub(crate) const WAL_AUTOCHECKPOINT_BYTES: i64 = 16_000 * 1024;

impl Store {
    /// Opens the store at `path`, creating it (and migrating it to the current schema) if needed.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path).map_err(|e| classify(e, &path))?;
        let mut store = Store { checkpoints: None, conn, path, read_only: false };
        store.setup().map_err(|e| store.classify_err(e))?;
        Ok(store)
    }

    /// Opens an existing store for reading only (`SQLITE_OPEN_READ_ONLY`): every write fails.
    ///
    /// A store made by an older dyad (a lower schema version) is first migrated by a short-lived
    /// writer, so that every query finds the tables it reads; a store that cannot be written
    /// (a read-only file) then fails with the writer's error.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Store> {
        let store = Store::open_read_only_as_is(path.as_ref())?;
        let found: i64 =
            store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(|e| store.classify_err(e.into()))?;
        if found < schema::SCHEMA_VERSION {
            drop(store);
            drop(Store::open(path.as_ref())?);
            return Store::open_read_only_as_is(path.as_ref());
        }
        Ok(store)
    }

    fn open_read_only_as_is(path: &Path) -> Result<Store> {
        let path = path.to_path_buf();
        if !path.exists() {
            return Err(StoreError::Missing(path));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| classify(e, &path))?;
        let store = Store { checkpoints: None, conn, path, read_only: true };
        (|| -> Result<()> {
            store.conn.busy_timeout(BUSY_TIMEOUT)?;
            let found: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            store.check_version(found)?;
            if found == 0 {
                return Err(StoreError::Corrupt { path: store.path.clone(), reason: "no dyad schema".into() });
            }
            store.conn.execute_batch("PRAGMA query_only=ON")?;
            store.conn.execute_batch(READER_PRAGMAS)?;
            Ok(())
        })()
        .map_err(|e| store.classify_err(e))?;
        Ok(store)
    }

    fn check_version(&self, found: i64) -> Result<()> {
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { path: self.path.clone(), found, supported: schema::SCHEMA_VERSION });
        }
        Ok(())
    }

    fn setup(&mut self) -> Result<()> {
        self.enlarge_lookaside()?;
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header first: a file that is not SQLite fails here with NOTADB.
        let found: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.check_version(found)?;
        if found == 0 {
            // Before the first write (in WAL mode a page size can no longer change); a no-op
            // on a file that already has tables.
            self.conn.execute_batch(&format!("PRAGMA page_size={PAGE_SIZE};"))?;
        }
        let _mode: String = self.conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        // NORMAL in WAL mode: a commit is durable once the WAL is synced at a checkpoint, and a
        // crash never corrupts.
        //
        // Foreign keys are declared but not enforced row by row (SQLite's default): the writer
        // is the only code that writes, it deletes children before parents itself, and
        // `check_consistency` runs SQLite's `foreign_key_check`. Enforcing them cost a parent
        // lookup per event, sentence and membership: ~7 % of the writer's instructions.
        self.conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF;")?;
        self.restore_autocheckpoint()?;
        // The writer's page cache: 64 MiB instead of SQLite's 2 MiB keeps the upper levels of
        // every index it updates in memory on a store of millions of events.
        self.conn.execute_batch(WRITER_CACHE)?;
        self.conn.execute_batch(READER_PRAGMAS)?;
        for i in found as usize..schema::MIGRATIONS.len() {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute_batch(&schema::migration_sql(i))?;
            schema::migration_data(i, &tx)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        // A bulk ingest killed before it rebuilt its deferred indexes left them missing.
        self.ensure_indexes()?;
        Ok(())
    }

    /// The store's page size in bytes: [`PAGE_SIZE`] for a store this version created, the size
    /// it was created with for an older one.
    pub fn page_size(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?)
    }

    /// Sets the writer's automatic checkpoint to [`WAL_AUTOCHECKPOINT_BYTES`] in this store's pages.
    pub(crate) fn restore_autocheckpoint(&self) -> Result<()> {
        let pages = WAL_AUTOCHECKPOINT_BYTES / self.page_size()?.max(512);
        self.conn.execute_batch(&format!("PRAGMA wal_autocheckpoint={pages};"))?;
        Ok(())
    }

    /// Gives the writer's connection 1,200 bytes × 1,000 of lookaside (~1.2 MB) instead of
    /// SQLite's default 1,200 × 40 (48 KB). Lookaside is the connection's own small-object
    /// pool; the writer keeps several statements prepared for a whole transaction
    /// (`ingest::Writer`), and once they hold the default slots every small allocation goes
    /// to the global allocator behind a mutex: 5 % more instructions in the writer.
    fn enlarge_lookaside(&self) -> Result<()> {
        // SAFETY: the handle is this open connection's, used on this thread only; with a null
        // buffer SQLite allocates the slots itself. Called right after opening, before any
        // statement exists, when SQLite allows the change (it returns SQLITE_BUSY otherwise).
        let rc = unsafe {
            rusqlite::ffi::sqlite3_db_config(
                self.conn.handle(),
                rusqlite::ffi::SQLITE_DBCONFIG_LOOKASIDE,
                std::ptr::null_mut::<std::ffi::c_void>(),
                1200 as std::ffi::c_int,
                1000 as std::ffi::c_int,
            )
        };
        if rc != rusqlite::ffi::SQLITE_OK {
            return Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rc), None).into());
        }
        Ok(())
    }

    /// Drops the secondary indexes that only queries read ([`schema::INDEXES`] less
    /// [`schema::WRITER_INDEXES`]) so that a bulk load does not update them row by row; returns
    /// how many it dropped. [`Store::ensure_indexes`] builds them again, each in one sorted
    /// pass, and every writable [`Store::open`] calls it, so a load killed before rebuilding
    /// leaves a store that the next open repairs. Queries stay correct meanwhile, only slower.
    pub fn defer_query_indexes(&mut self) -> Result<usize> {
        self.check_writable()?;
        let existing = self.index_names()?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut dropped = 0;
        for (name, _) in schema::INDEXES {
            if !schema::WRITER_INDEXES.contains(name) && existing.iter().any(|e| e == name) {
                tx.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
                dropped += 1;
            }
        }
        tx.commit()?;
        Ok(dropped)
    }

    /// Creates every index of [`schema::INDEXES`] that is missing, in one transaction; returns
    /// how many it created (0, without writing anything, when none is missing).
    pub fn ensure_indexes(&mut self) -> Result<usize> {
        let existing = self.index_names()?;
        let missing: Vec<&str> =
            schema::INDEXES.iter().filter(|(n, _)| !existing.iter().any(|e| e == n)).map(|(_, sql)| *sql).collect();
        if missing.is_empty() {
            return Ok(0);
        }
        self.check_writable()?;
        // Each index is built by one sort. SQLite sorts in memory, on one thread, as much as
        // fits in the page cache; with a small cache it sorts runs of 1 MiB on worker threads
        // and merges them. A rebuild runs when the rest of an ingest is done and the other
        // cores are idle: ~15 % faster (BENCHMARKS.md).
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        self.conn.execute_batch(&format!("PRAGMA threads={threads}; PRAGMA cache_size=-1024;"))?;
        let built = (|| -> Result<()> {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            for sql in &missing {
                tx.execute_batch(sql)?;
            }
            tx.commit()?;
            Ok(())
        })();
        self.conn.execute_batch("PRAGMA threads=0;")?;
        self.conn.execute_batch(WRITER_CACHE)?;
        built?;
        Ok(missing.len())
    }

    fn index_names(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'")?;
        let names = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(names)
    }

    /// The highest event row id (0 for an empty store): a cheap size estimate, read from the
    /// end of the table's B-tree.
    pub fn max_event_id(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))?)
    }

    /// Turns SQLite's error codes into the store's own errors where they mean something to a user.
    pub(crate) fn classify_err(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Sqlite(e) => classify(e, &self.path),
            e => e,
        }
    }

    /// Hex SHA-256 of a document text: the identity used to skip unchanged documents.
    ///
    /// ```
    /// assert_eq!(
    ///     dyad_store::Store::content_hash(""),
    ///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// );
    /// ```
    pub fn content_hash(text: &str) -> String {
        // the digest's own lower-hex formatting: one pass, not a `format!` per byte
        format!("{:x}", Sha256::digest(text.as_bytes()))
    }

    /// The file the store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether this store was opened with [`Store::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The underlying connection, for tools and tests (PRAGMAs, ad-hoc queries). Writing through
    /// it bypasses the store's bookkeeping: keep to reads.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// A number that changes whenever *another* connection — in this process or any other —
    /// commits to the store (SQLite's `PRAGMA data_version`). Values are only comparable between
    /// calls on the same `Store`; commits made through this `Store` itself do not change it.
    /// `dyad serve` keeps one read-only store for this probe and drops its cached responses when
    /// the number moves.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Whether a document with this content hash is stored.
    pub fn contains_hash(&self, hash: &str) -> Result<bool> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM documents WHERE hash = ?1")?
            .query_row([hash], |r| r.get(0))?;
        Ok(n > 0)
    }

    /// Whether any document is stored (without counting them).
    pub fn has_documents(&self) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM documents)", [], |r| r.get(0))?)
    }

    /// Number of stored documents.
    pub fn documents_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// Row counts and size on disk.
    pub fn stats(&self) -> Result<StoreStats> {
        let count = |t: &str| -> Result<i64> {
            Ok(self.conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?)
        };
        let file_len = |p: PathBuf| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let mut wal = self.path.clone().into_os_string();
        wal.push("-wal");
        Ok(StoreStats {
            documents: count("documents")?,
            sentences: count("sentences")?,
            events: count("events")?,
            clusters: count("clusters")?,
            size_bytes: file_len(self.path.clone()) + file_len(PathBuf::from(wal)),
        })
    }

    /// Runs one SQL statement on a fresh read-only connection (`SQLITE_OPEN_READ_ONLY`,
    /// `PRAGMA query_only=ON`, no ATTACH) and returns column names and rows as JSON values
    /// (NULL → null, integers and reals → numbers, text → strings, blobs → hex strings).
    /// Any statement that would write fails with [`StoreError::ReadOnly`].
    pub fn sql(&self, query: &str) -> Result<(Vec<String>, Vec<Vec<serde_json::Value>>)> {
        query::run_sql(&self.path, query)
    }
}

/// Maps SQLite error codes that have a user-level meaning.
pub(crate) fn classify(e: rusqlite::Error, path: &Path) -> StoreError {
    use rusqlite::ErrorCode as C;
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let reason = msg.clone().unwrap_or_else(|| f.to_string());
        match f.code {
            C::NotADatabase | C::DatabaseCorrupt => return StoreError::Corrupt { path: path.to_path_buf(), reason },
            C::DiskFull => return StoreError::Full { path: path.to_path_buf() },
            C::ReadOnly => return StoreError::ReadOnly(format!("{}: {reason}", path.display())),
            _ => {}
        }
    }
    StoreError::Sqlite(e)
}
