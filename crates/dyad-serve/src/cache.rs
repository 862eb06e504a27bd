//! A cache of whole API responses, dropped whenever the store changes.
//!
//! Every `GET /api/...` answer is a pure function of its URL and of the store's contents, and a
//! dashboard asks the same few questions over and over (each viewer of a shared link, each
//! return to a view). So the server keeps the bytes of recent `200` JSON answers keyed by the
//! request's path and query, and answers a repeat without touching SQLite or serde.
//!
//! **Invalidation.** One read-only connection is kept only to read SQLite's `PRAGMA
//! data_version` ([`dyad_store::Store::data_version`]), which moves when any other connection,
//! in this process (`POST /api/documents`) or another (`dyad ingest` on the same file), commits.
//! Each request reads it first (a few microseconds: it only looks at the WAL index header); when
//! it has moved since the entries were stored, all of them are dropped. A response computed
//! while a commit lands may reflect the newer data under the older version number — a later
//! reader then sees the change in version and drops it, so nothing older than the version a
//! request observed is ever served.
//!
//! **Validation.** Each cached answer carries a strong `ETag` (a hash of its bytes) and
//! `Cache-Control: no-cache`, so a browser revalidates every time and gets `304 Not Modified`
//! without a body while the data is unchanged. `x-dyad-cache: hit|miss` says which path a
//! response took.
//!
//! **Bounds.** Entries larger than an eighth of the budget are not kept; past the budget the
//! oldest entries go first. A budget of 0 turns the cache off (every request then runs its
//! query: `dyad serve --cache-mb 0`, used to measure the queries themselves).

use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dyad_store::Store;
use std::collections::{HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

/// Header that says whether a response came from the cache (`hit`) or from the store (`miss`).
pub const CACHE_HEADER: &str = "x-dyad-cache";

/// Cached responses and the store version they belong to.
pub struct ResponseCache {
    budget: usize,
    db: PathBuf,
    /// The connection whose `data_version` tells when the store changed (opened on first use).
    probe: Mutex<Option<Store>>,
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    version: Option<i64>,
    map: HashMap<String, Entry>,
    order: VecDeque<String>,
    bytes: usize,
}

#[derive(Clone)]
struct Entry {
    body: Bytes,
    etag: HeaderValue,
}

impl ResponseCache {
    /// A cache of at most `budget` bytes of response bodies over the store at `db`.
    pub fn new(db: PathBuf, budget: usize) -> ResponseCache {
        ResponseCache { budget, db, probe: Mutex::new(None), inner: Mutex::new(Entries::default()) }
    }

    fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// The store's current data version; `None` when it cannot be read (the request then
    /// bypasses the cache).
    fn version(&self) -> Option<i64> {
        let mut probe = self.probe.lock().unwrap_or_else(|p| p.into_inner());
        if probe.is_none() {
            *probe = Store::open_read_only(&self.db).ok();
        }
        let v = probe.as_ref()?.data_version().ok();
        if v.is_none() {
            *probe = None; // reopen next time
        }
        v
    }

    /// The entry for `key` if it belongs to `version`; drops every entry of an older version.
    fn get(&self, key: &str, version: i64) -> Option<Entry> {
        let mut e = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        match e.version {
            Some(v) if v == version => e.map.get(key).cloned(),
            // A request that read the version before a newer one was seen: leave the entries.
            Some(v) if v > version => None,
            _ => {
                *e = Entries { version: Some(version), ..Entries::default() };
                None
            }
        }
    }

    fn put(&self, key: String, version: i64, entry: Entry) {
        let size = entry.body.len() + key.len();
        if size > self.budget / 8 {
            return;
        }
        let mut e = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if e.version != Some(version) {
            // The store moved on while this response was computed: keep nothing.
            return;
        }
        if let Some(old) = e.map.insert(key.clone(), entry) {
            e.bytes -= old.body.len() + key.len();
        } else {
            e.order.push_back(key);
        }
        e.bytes += size;
        while e.bytes > self.budget {
            let Some(k) = e.order.pop_front() else { break };
            if let Some(old) = e.map.remove(&k) {
                e.bytes -= old.body.len() + k.len();
            }
        }
    }
}

/// A strong validator for a body: 64 bits of SipHash, quoted.
fn etag_of(body: &[u8]) -> HeaderValue {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    body.hash(&mut h);
    HeaderValue::from_str(&format!("\"{:016x}\"", h.finish())).expect("hex is a valid header value")
}

/// Whether the request's `If-None-Match` names this `etag` (or is `*`).
fn matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let want = etag.as_bytes();
    headers.get_all(header::IF_NONE_MATCH).iter().any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|t| {
            let t = t.trim_ascii();
            t == b"*" || t == want || t.strip_prefix(b"W/") == Some(want)
        })
    })
}

fn answer(entry: Entry, request: &HeaderMap, how: &'static str) -> Response {
    let fresh = matches(request, &entry.etag);
    let mut res = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { entry.body.into_response() };
    let h = res.headers_mut();
    if !fresh {
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    h.insert(header::ETAG, entry.etag);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(CACHE_HEADER, HeaderValue::from_static(how));
    res
}

/// Middleware over the API routes: answers repeated `GET`s from the cache and fills it.
pub(crate) async fn layer(State(state): State<std::sync::Arc<AppState>>, req: Request, next: Next) -> Response {
    let cache = state.cache();
    if req.method() != Method::GET || !cache.enabled() {
        return next.run(req).await;
    }
    let key = req.uri().path_and_query().map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let probe = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || state.cache().version()).await.ok().flatten()
    };
    let Some(version) = probe else { return next.run(req).await };
    if let Some(entry) = cache.get(&key, version) {
        return answer(entry, req.headers(), "hit");
    }
    let request_headers = req.headers().clone();
    let res = next.run(req).await;
    let json = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() != StatusCode::OK || !json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return crate::ApiError::internal("cannot read the response body").into_response();
    };
    let entry = Entry { etag: etag_of(&bytes), body: bytes };
    cache.put(key, version, entry.clone());
    let mut res = answer(entry, &request_headers, "miss");
    for (name, value) in parts.headers.iter() {
        if !res.headers().contains_key(name) && name != header::CONTENT_LENGTH {
            res.headers_mut().insert(name.clone(), value.clone());
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize) -> Entry {
        let body = Bytes::from(vec![b'x'; n]);
        Entry { etag: etag_of(&body), body }
    }

    #[test]
    fn entries_belong_to_one_version_and_fit_the_budget() {
        let c = ResponseCache::new(PathBuf::from("unused.db"), 8000);
        assert!(c.get("/a", 1).is_none());
        c.put("/a".into(), 1, entry(500));
        c.put("/b".into(), 1, entry(500));
        assert!(c.get("/a", 1).is_some());
        // Too big for one entry (over an eighth of the budget): not kept.
        c.put("/big".into(), 1, entry(1200));
        assert!(c.get("/big", 1).is_none());
        // Past the budget, the oldest go first.
        for i in 0..20 {
            c.put(format!("/k{i}"), 1, entry(500));
        }
        assert!(c.get("/a", 1).is_none() && c.get("/k19", 1).is_some());
        assert!(c.inner.lock().unwrap().bytes <= 8000);
        // A new version drops everything; a response of the old version is not stored.
        assert!(c.get("/k19", 2).is_none());
        c.put("/late".into(), 1, entry(10));
        assert!(c.get("/late", 2).is_none());
        assert_eq!(c.inner.lock().unwrap().bytes, 0);
    }

    #[test]
    fn if_none_match_forms() {
        let e = entry(3);
        let tag = e.etag.to_str().unwrap().to_string();
        let mut h = HeaderMap::new();
        assert!(!matches(&h, &e.etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&format!("\"other\", W/{tag}")).unwrap());
        assert!(matches(&h, &e.etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&h, &e.etag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"0000\""));
        assert!(!matches(&h, &e.etag));
    }
}
