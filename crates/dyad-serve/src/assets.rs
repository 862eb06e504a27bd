//! The dashboard: files built from `web/` by `build.rs` and compiled into the binary.
//!
//! Only the embedded files can be served: a request path is looked up in a fixed table, never
//! joined to a directory, so `/../Cargo.toml` or `/%2e%2e/…` cannot reach the file system; they
//! get a JSON 404 (or 400 for a `..` segment).

use crate::error::ApiError;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// Every embedded file: (path relative to the dashboard root, content type, bytes).
pub fn files() -> &'static [(&'static str, &'static str, &'static [u8])] {
    generated::ASSETS
}

/// The embedded file at `path` (no leading slash), with its content type.
pub fn find(path: &str) -> Option<(&'static str, &'static [u8])> {
    files().iter().find(|(p, _, _)| *p == path).map(|(_, t, b)| (*t, *b))
}

pub(crate) fn routes() -> Router<Arc<crate::AppState>> {
    Router::new().route("/", get(index)).fallback(static_file)
}

async fn index() -> Response {
    serve_file("index.html")
}

fn serve_file(path: &str) -> Response {
    match find(path) {
        Some((ctype, bytes)) => {
            // Vite names built assets by content hash: they never change and may be cached for good.
            let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(ctype)),
                    (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                ],
                bytes,
            )
                .into_response()
        }
        None => ApiError::not_found(format!("no such file: /{path}")).into_response(),
    }
}

/// Everything that matched no route: an embedded file, or a JSON 404.
async fn static_file(method: axum::http::Method, uri: Uri) -> Response {
    let raw = uri.path();
    if raw.starts_with("/api/") || raw == "/api" {
        return ApiError::not_found(format!("no such API endpoint: {raw} (see /api/openapi.json)")).into_response();
    }
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        return ApiError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {raw}"))
            .into_response();
    }
    let decoded = percent_decode(raw);
    let Some(path) = decoded.as_deref() else {
        return ApiError::bad_request("the path is not valid percent-encoded UTF-8").into_response();
    };
    if path.split(['/', '\\']).any(|seg| seg == "..") {
        return ApiError::bad_request("path traversal ('..') is not allowed").into_response();
    }
    serve_file(path.trim_start_matches('/'))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dashboard() {
        let (ctype, html) = find("index.html").expect("index.html embedded");
        assert!(ctype.starts_with("text/html"));
        let html = std::str::from_utf8(html).unwrap();
        assert!(html.contains("<script type=\"module\""), "built index.html loads the bundle");
        assert!(files().iter().any(|(p, t, _)| p.starts_with("assets/") && t.starts_with("text/javascript")));
    }

    #[test]
    fn decode() {
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%ff"), None);
    }
}
