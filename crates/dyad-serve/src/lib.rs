//! `dyad serve`: a JSON API and a web dashboard over a dyad store, in one process.
//!
//! The server answers three kinds of requests:
//!
//! - **reads** under `/api/…` (events, series, top lists, the actor network, documents, search):
//!   each runs on a blocking worker with a read-only [`Store`] taken from a small pool, so SQLite
//!   (WAL mode) serves many readers while a writer ingests;
//! - **writes** (`POST /api/documents`): need `Authorization: Bearer TOKEN`, the token given at
//!   start-up ([`ServeOptions::token`]). The token is checked *before* the body is read; without a
//!   configured token writes are refused (403). Documents go through [`Store::ingest_with`], the
//!   path `dyad ingest` uses, on one writer connection behind a mutex;
//! - **the dashboard**: static files built from `web/` by this crate's build script and embedded
//!   in the binary ([`assets`]).
//!
//! `POST /api/analyze` codes text without storing anything and needs no token. The API is
//! described by an OpenAPI 3.1 document at `/api/openapi.json`; `docs/api.md` has examples.
//!
//! ```no_run
//! use dyad_serve::{serve_blocking, ServeOptions};
//! let opts = ServeOptions { db: "dyad.db".into(), ..ServeOptions::default() };
//! serve_blocking(opts, dyad_coder::Coder::builtin(), |addr| println!("http://{addr}/"))?;
//! # Ok::<(), dyad_serve::ServeError>(())
//! ```
//!
//! # Safety rails
//!
//! - Bound to a loopback address, reads are open and the server answers only to requests whose
//!   `Host` is a loopback name (`localhost`, `127.0.0.1`, `[::1]`): a web page on another site
//!   cannot reach the API through DNS rebinding. Bound to any other address, a token is required
//!   at start-up and every API request must carry it.
//! - Request bodies are limited to [`ServeOptions::max_body_bytes`] (413 beyond); a declared
//!   `Content-Length` over the limit is refused before anything is read.
//! - Every error is JSON: `{"status", "error", "message"}` ([`error::ApiError`]); a panic in a
//!   handler becomes a 500 of the same shape.

pub mod api;
pub mod assets;
pub mod cache;
pub mod error;
pub mod params;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use dyad_coder::Coder;
use dyad_store::{Store, StoreError};
pub use error::ApiError;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_http::set_header::SetResponseHeaderLayer;

/// How `dyad serve` runs.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The store (made by `dyad ingest`). It must exist.
    pub db: PathBuf,
    /// Where to listen; `127.0.0.1:8080` by default. Port 0 picks a free port.
    pub addr: SocketAddr,
    /// Bearer token for writes (and, off loopback, for every API request).
    pub token: Option<String>,
    /// Largest request body accepted, in bytes (default 2 MiB).
    pub max_body_bytes: usize,
    /// Most store queries run at once (default: twice the cores, at least 4).
    pub readers: usize,
    /// Bytes of response bodies kept by the response cache ([`cache`]); 0 turns it off.
    pub cache_bytes: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeOptions {
            db: PathBuf::from("dyad.db"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: None,
            max_body_bytes: 2 * 1024 * 1024,
            readers: (2 * cores).max(4),
            cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "{}: no such store (create one with `dyad ingest FILES --db {}`)",
        .0.display(),
        .0.display()
    )]
    NoStore(PathBuf),
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(
        "{0} is not a loopback address: serving beyond this machine needs a token \
         (--token or DYAD_TOKEN); every API request must then carry it"
    )]
    PublicWithoutToken(SocketAddr),
    #[error("the token must be 16 to 512 visible ASCII characters (letters, digits, punctuation)")]
    BadToken,
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// What every handler shares.
pub struct AppState {
    db: PathBuf,
    readers: Mutex<Vec<Store>>,
    permits: tokio::sync::Semaphore,
    writer: Mutex<Option<Store>>,
    coder: Arc<Coder>,
    token: Option<String>,
    /// Whether the server listens on loopback only (reads open, Host checked).
    loopback: bool,
    max_body: usize,
    cache: cache::ResponseCache,
}

impl AppState {
    /// Checks the options and opens one read-only store (so a missing or damaged store fails
    /// here, at start-up, rather than on the first request).
    pub fn new(opts: &ServeOptions, coder: Coder) -> Result<Arc<AppState>, ServeError> {
        if let Some(t) = &opts.token {
            if !(16..=512).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ServeError::BadToken);
            }
        }
        let loopback = opts.addr.ip().is_loopback();
        if !loopback && opts.token.is_none() {
            return Err(ServeError::PublicWithoutToken(opts.addr));
        }
        if !opts.db.exists() {
            return Err(ServeError::NoStore(opts.db.clone()));
        }
        let first = Store::open_read_only(&opts.db)?;
        Ok(Arc::new(AppState {
            db: opts.db.clone(),
            readers: Mutex::new(vec![first]),
            permits: tokio::sync::Semaphore::new(opts.readers.max(1)),
            writer: Mutex::new(None),
            coder: Arc::new(coder),
            token: opts.token.clone(),
            loopback,
            max_body: opts.max_body_bytes,
            cache: cache::ResponseCache::new(opts.db.clone(), opts.cache_bytes),
        }))
    }

    /// Runs `f` with a read-only store on a blocking worker. At most `readers` run at once;
    /// stores are reused (a read-only WAL connection sees every committed write).
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    {
        let _permit = self.permits.acquire().await.map_err(|_| ApiError::internal("server is shutting down"))?;
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = me.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let store = match pooled {
                Some(s) => s,
                None => Store::open_read_only(&me.db)?,
            };
            let out = f(&store);
            me.readers.lock().unwrap_or_else(|p| p.into_inner()).push(store);
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("query worker failed: {e}")))?
    }

    /// Runs `f` with the one writable store (opened on first use) on a blocking worker.
    pub async fn write<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store, &Coder) -> Result<T, ApiError> + Send + 'static,
    {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = me.writer.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_none() {
                *guard = Some(Store::open(&me.db)?);
            }
            let store = guard.as_mut().expect("opened above");
            f(store, &me.coder)
        })
        .await
        .map_err(|e| ApiError::internal(format!("write worker failed: {e}")))?
    }

    /// The coder used by `POST /api/analyze` and `POST /api/documents`.
    pub fn coder(&self) -> &Arc<Coder> {
        &self.coder
    }

    /// Largest accepted request body, in bytes.
    /// The response cache of the read API.
    pub fn cache(&self) -> &cache::ResponseCache {
        &self.cache
    }

    pub fn max_body(&self) -> usize {
        self.max_body
    }

    /// Checks `Authorization: Bearer TOKEN` against the start-up token.
    fn authorized(&self, req: &Request) -> Result<(), ApiError> {
        let Some(expected) = &self.token else {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "writes are disabled: start dyad serve with --token TOKEN (or DYAD_TOKEN) and send \
                 `Authorization: Bearer TOKEN`",
            ));
        };
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            Some(g) if constant_time_eq(g.as_bytes(), expected.as_bytes()) => Ok(()),
            Some(_) => Err(ApiError::new(StatusCode::UNAUTHORIZED, "wrong token")),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "this request needs `Authorization: Bearer TOKEN` with the token dyad serve was started with",
            )),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether a `Host` header names this machine's loopback interface.
fn loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name == "::1" || name.starts_with("127.")
}

/// Host check (loopback), token check for writes (and for all API requests off loopback). Runs
/// before any extractor, so a refused write's body is never read.
async fn guard(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    if state.loopback {
        if let Some(host) = req.headers().get(header::HOST) {
            let ok = host.to_str().is_ok_and(loopback_host);
            if !ok {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "dyad serve listens on loopback and answers only to Host: localhost, 127.0.0.1 or [::1]",
                )
                .into_response();
            }
        }
    }
    let is_api = req.uri().path().starts_with("/api/");
    let is_write = req.method() == axum::http::Method::POST && req.uri().path() == "/api/documents";
    let needs_token = is_write || (!state.loopback && is_api && req.uri().path() != "/api/health");
    if needs_token {
        if let Err(e) = state.authorized(&req) {
            return e.into_response();
        }
    }
    next.run(req).await
}

/// The whole application: API routes, the dashboard, and the middleware (guard, panic → 500,
/// security headers).
pub fn router(state: Arc<AppState>) -> Router {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; \
               connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
    Router::new()
        .nest("/api", api::routes().layer(axum::middleware::from_fn_with_state(state.clone(), cache::layer)))
        .merge(assets::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            ApiError::internal("internal error (the request handler panicked); nothing was written").into_response()
        }))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp)))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .with_state(state)
}

/// Binds, then serves until Ctrl-C (or SIGTERM). `on_ready` gets the bound address (useful with
/// port 0) once the socket listens.
pub async fn serve(opts: ServeOptions, coder: Coder, on_ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let state = AppState::new(&opts, coder)?;
    let listener = tokio::net::TcpListener::bind(opts.addr)
        .await
        .map_err(|source| ServeError::Bind { addr: opts.addr, source })?;
    on_ready(listener.local_addr()?);
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown_signal()).await?;
    Ok(())
}

/// [`serve`] on a multi-threaded tokio runtime of its own (for the CLI).
pub fn serve_blocking(opts: ServeOptions, coder: Coder, on_ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(serve(opts, coder, on_ready))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        for ok in ["localhost", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "app.localhost:1"] {
            assert!(loopback_host(ok), "{ok}");
        }
        for bad in ["evil.example:8080", "localhost.evil.example", "10.0.0.1", "[::2]:80", ""] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }

    #[test]
    fn tokens_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
