//! The JSON API under `/api`. Each handler validates its parameters ([`crate::params`]), runs one
//! store call on a blocking worker ([`AppState::read`]) and answers JSON. The routes and their
//! parameters are listed in `openapi.json` (served at `/api/openapi.json`) and `docs/api.md`.

use crate::error::ApiError;
use crate::params::{self, Params};
use crate::AppState;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use dyad_core::Document;
use dyad_store::{EventQuery, EventRow, Period, Store};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The OpenAPI 3.1 description of this API.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Most events one `/api/events` page returns.
pub const MAX_LIMIT: usize = 1000;
/// Most documents one `POST /api/documents` may carry.
pub const MAX_DOCUMENTS: usize = 10_000;

type S = State<Arc<AppState>>;
type ApiResult = Result<Response, ApiError>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/stats", get(stats))
        .route("/events", get(events))
        .route("/events/{id}", get(event))
        .route("/series", get(series))
        .route("/timeline", get(timeline))
        .route("/top/dyads", get(top_dyads))
        .route("/top/actors", get(top_actors))
        .route("/network", get(network))
        .route("/actors", get(actors))
        .route("/actors/{key}", get(actor))
        .route("/documents", get(documents).post(add_documents))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/events", get(document_events))
        .route("/search", get(search))
        .route("/locations", get(locations))
        .route("/analyze", post(analyze))
        .method_not_allowed_fallback(|method: axum::http::Method, uri: axum::http::Uri| async move {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed on {}", uri.path()))
        })
}

fn ok(v: impl serde::Serialize) -> ApiResult {
    Ok(Json(v).into_response())
}

/// Serialises a response body straight from typed rows (on the blocking worker that read
/// them). Going through `json!` first would build a `serde_json::Value` tree of every row —
/// for a day series of thousands of rows, most of the request's time.
fn to_body(v: &impl serde::Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(v).map_err(|e| ApiError::internal(format!("cannot serialise the response: {e}")))
}

fn ok_body(body: Vec<u8>) -> ApiResult {
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

fn path_value(p: Result<Path<String>, PathRejection>, what: &str) -> Result<String, ApiError> {
    let Path(v) = p.map_err(|e| ApiError::bad_request(format!("{what}: {e}")))?;
    params::path_id(what, &v)?;
    Ok(v)
}

async fn health() -> ApiResult {
    ok(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

/// `GET /api/stats`: row counts, size, and the first and last month with dyadic events.
async fn stats(State(st): S, Params(_): Params<NoParams>) -> ApiResult {
    let v = st
        .read(|s| {
            let stats = s.stats()?;
            let (first, last): (Option<String>, Option<String>) = s
                .connection()
                .query_row("SELECT min(month), max(month) FROM dyad_month", [], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql_err)?;
            Ok(json!({
                "documents": stats.documents,
                "sentences": stats.sentences,
                "events": stats.events,
                "clusters": stats.clusters,
                "size_bytes": stats.size_bytes,
                "first_month": first,
                "last_month": last,
            }))
        })
        .await?;
    ok(v)
}

fn sql_err(e: rusqlite::Error) -> ApiError {
    ApiError::internal(format!("database error: {e}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsParams {
    actor: Option<String>,
    dyad: Option<String>,
    country: Option<String>,
    org: Option<String>,
    root: Option<String>,
    code: Option<String>,
    plover: Option<String>,
    since: Option<String>,
    until: Option<String>,
    text: Option<String>,
    negated: Option<String>,
    hypothetical: Option<String>,
    clusters: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

fn event_query(p: &EventsParams) -> Result<EventQuery, ApiError> {
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let dyad = match &p.dyad {
        None => None,
        Some(d) => {
            let (a, b) = d.split_once(',').ok_or_else(|| {
                ApiError::bad_request(format!(
                    "dyad must be two actor keys separated by a comma (e.g. ARM,AZE), got {d:?}"
                ))
            })?;
            let a = params::required_key("dyad", Some(&a.trim().to_string()))?;
            let b = params::required_key("dyad", Some(&b.trim().to_string()))?;
            Some((a, b))
        }
    };
    Ok(EventQuery {
        actor: params::key("actor", p.actor.as_ref())?,
        dyad,
        country: params::key("country", p.country.as_ref())?,
        org: params::key("org", p.org.as_ref())?,
        roots: params::roots(p.root.as_ref())?,
        cameo_prefix: params::code(p.code.as_ref())?,
        plover_type: params::plover(p.plover.as_ref())?,
        since,
        until,
        text: params::text("text", p.text.as_ref())?,
        include_negated: params::boolean("negated", p.negated.as_ref(), false)?,
        include_hypothetical: params::boolean("hypothetical", p.hypothetical.as_ref(), false)?,
        clusters_only: params::boolean("clusters", p.clusters.as_ref(), false)?,
        limit: params::int("limit", p.limit.as_ref(), 50, 1, MAX_LIMIT)?,
        offset: params::int("offset", p.offset.as_ref(), 0, 0, params::MAX_OFFSET)?,
    })
}

/// `GET /api/events`: one page of events (mentions) matching the filters, in storage order.
async fn events(State(st): S, Params(p): Params<EventsParams>) -> ApiResult {
    let q = event_query(&p)?;
    let (limit, offset) = (q.limit, q.offset);
    #[derive(serde::Serialize)]
    struct Page {
        events: Vec<EventRow>,
        limit: usize,
        offset: usize,
        next_offset: Option<usize>,
    }
    let body = st
        .read(move |s| {
            // One row more than asked tells whether another page follows.
            let probe = EventQuery { limit: q.limit + 1, ..q };
            let mut events = s.events(&probe)?;
            let more = events.len() > limit;
            events.truncate(limit);
            to_body(&Page { events, limit, offset, next_offset: more.then_some(offset + limit) })
        })
        .await?;
    ok_body(body)
}

/// Character spans `[start, end)` of a text's sentences, in `dyad_text::analyze` order (the
/// order of `Event.sentence_index`).
pub fn sentence_spans(text: &str) -> Vec<[usize; 2]> {
    let analysis = dyad_text::analyze(text);
    let mut spans = Vec::with_capacity(analysis.sentences.len());
    // Byte offsets → character offsets in one pass over the text.
    let mut chars = 0usize;
    let mut byte = 0usize;
    let mut to_char = |target: usize| {
        while byte < target && byte < text.len() {
            let c = text[byte..].chars().next().expect("inside the text");
            byte += c.len_utf8();
            chars += 1;
        }
        chars
    };
    for s in &analysis.sentences {
        let a = to_char(s.start);
        let b = to_char(s.end);
        spans.push([a, b]);
    }
    spans
}

/// `GET /api/events/{event_id}`: one event with its document (text included) and the
/// character span of its sentence in that text.
async fn event(State(st): S, id: Result<Path<String>, PathRejection>, Params(_): Params<NoParams>) -> ApiResult {
    let id = path_value(id, "event id")?;
    let v = st
        .read(move |s| {
            let Some(row) = s.event(&id)? else {
                return Err(ApiError::not_found(format!("no event with id {id:?}")));
            };
            let (doc, text) = s.document(&row.doc.id)?.unwrap_or_else(|| (row.doc.clone(), String::new()));
            let spans = sentence_spans(&text);
            let sentence_span = spans.get(row.event.sentence_index).copied();
            Ok(json!({
                "event": row,
                "document": {"meta": doc, "text": text},
                "sentence_span": sentence_span,
            }))
        })
        .await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesParams {
    a: Option<String>,
    b: Option<String>,
    by: Option<String>,
    since: Option<String>,
    until: Option<String>,
}

/// `GET /api/series?a=&b=&by=&since=&until=`: the dyad's series, both directions, optionally
/// limited to a period.
async fn series(State(st): S, Params(p): Params<SeriesParams>) -> ApiResult {
    let a = params::required_key("a", p.a.as_ref())?;
    let b = params::required_key("b", p.b.as_ref())?;
    let by = params::choice("by", p.by.as_ref(), "month", &["day", "week", "month", "year"])?;
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let period = match by {
        "day" => Period::Day,
        "week" => Period::Week,
        "year" => Period::Year,
        _ => Period::Month,
    };
    #[derive(serde::Serialize)]
    struct Series<'a> {
        a: String,
        b: String,
        by: &'a str,
        rows: Vec<dyad_store::SeriesRow>,
    }
    let body = st
        .read(move |s| {
            let rows = s.series_in(&a, &b, period, since.as_deref(), until.as_deref())?;
            to_body(&Series { a, b, by, rows })
        })
        .await?;
    ok_body(body)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeParams {
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    by: Option<String>,
    limit: Option<String>,
    min_events: Option<String>,
    max_edges: Option<String>,
}

impl RangeParams {
    fn refuse(&self, allowed: &[&str]) -> Result<(), ApiError> {
        let given = [
            ("actor", self.actor.is_some()),
            ("by", self.by.is_some()),
            ("limit", self.limit.is_some()),
            ("min_events", self.min_events.is_some()),
            ("max_edges", self.max_edges.is_some()),
        ];
        for (name, present) in given {
            if present && !allowed.contains(&name) {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{name}` for this endpoint; it takes since, until{}",
                    allowed.iter().map(|a| format!(", {a}")).collect::<String>()
                )));
            }
        }
        Ok(())
    }
}

/// `GET /api/timeline`: events per month (or year) by QuadClass, from the monthly rollup
/// (factual dyadic events), optionally for one actor.
async fn timeline(State(st): S, Params(p): Params<RangeParams>) -> ApiResult {
    p.refuse(&["actor", "by"])?;
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let actor = params::key("actor", p.actor.as_ref())?;
    let by = params::choice("by", p.by.as_ref(), "month", &["month", "year"])?;
    let v = st
        .read(move |s| {
            let bucket = if by == "year" { "substr(month, 1, 4)" } else { "month" };
            let mut w = vec!["1".to_string()];
            let mut args: Vec<String> = Vec::new();
            if let Some(x) = &since {
                args.push(x.chars().take(7).collect());
                w.push(format!("month >= ?{}", args.len()));
            }
            if let Some(x) = &until {
                args.push(format!("{x}~"));
                w.push(format!("month <= ?{}", args.len()));
            }
            if let Some(x) = &actor {
                args.push(x.clone());
                w.push(format!("(source_key = ?{0} OR target_key = ?{0})", args.len()));
            }
            let sql = format!(
                "SELECT {bucket} AS p, sum(events), sum(q1), sum(q2), sum(q3), sum(q4), sum(goldstein_milli)
                 FROM dyad_month WHERE {} GROUP BY p ORDER BY p",
                w.join(" AND ")
            );
            let mut stmt = s.connection().prepare_cached(&sql).map_err(sql_err)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    let n: i64 = r.get(1)?;
                    let milli: i64 = r.get(6)?;
                    Ok(json!({
                        "period": r.get::<_, String>(0)?,
                        "events": n,
                        "quad": [r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?, r.get::<_, i64>(5)?],
                        "goldstein_mean": if n > 0 { milli as f64 / 1000.0 / n as f64 } else { 0.0 },
                    }))
                })
                .map_err(sql_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql_err)?;
            Ok(json!({"by": by, "actor": actor, "rows": rows}))
        })
        .await?;
    ok(v)
}

/// `GET /api/top/dyads`: the directed dyads with most factual events in a period.
async fn top_dyads(State(st): S, Params(p): Params<RangeParams>) -> ApiResult {
    p.refuse(&["limit"])?;
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let limit = params::int("limit", p.limit.as_ref(), 20, 1, 500)?;
    let v = st
        .read(move |s| {
            let rows = s.top_dyads(since.as_deref(), until.as_deref(), limit)?;
            Ok(json!({"since": since, "until": until, "dyads": rows}))
        })
        .await?;
    ok(v)
}

/// `GET /api/top/actors`: the actors in most factual dyadic events in a period.
async fn top_actors(State(st): S, Params(p): Params<RangeParams>) -> ApiResult {
    p.refuse(&["limit"])?;
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let limit = params::int("limit", p.limit.as_ref(), 20, 1, 500)?;
    let v = st
        .read(move |s| {
            let rows = s.top_actors(since.as_deref(), until.as_deref(), limit)?;
            Ok(json!({"since": since, "until": until, "actors": rows}))
        })
        .await?;
    ok(v)
}

/// `GET /api/network`: actors and directed edges of a period. The `max_edges` busiest edges
/// are kept (and the actors they connect); with `actor`, only that actor's edges.
async fn network(State(st): S, Params(p): Params<RangeParams>) -> ApiResult {
    p.refuse(&["actor", "min_events", "max_edges"])?;
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let actor = params::key("actor", p.actor.as_ref())?;
    let min_events = params::int("min_events", p.min_events.as_ref(), 1, 1, 1_000_000)? as i64;
    let max_edges = params::int("max_edges", p.max_edges.as_ref(), 300, 1, 5000)?;
    let v = st
        .read(move |s| {
            let mut net = s.network(since.as_deref(), until.as_deref(), min_events)?;
            let total_edges = net.edges.len();
            if let Some(a) = &actor {
                net.edges.retain(|e| &e.source == a || &e.target == a);
            }
            net.edges.sort_by(|x, y| {
                y.events.cmp(&x.events).then_with(|| (&x.source, &x.target).cmp(&(&y.source, &y.target)))
            });
            let truncated = net.edges.len() > max_edges;
            net.edges.truncate(max_edges);
            let keep: std::collections::HashSet<&str> =
                net.edges.iter().flat_map(|e| [e.source.as_str(), e.target.as_str()]).collect();
            let nodes: Vec<_> = net.nodes.iter().filter(|n| keep.contains(n.id.as_str())).cloned().collect();
            Ok(json!({
                "since": since, "until": until, "actor": actor,
                "nodes": nodes, "edges": net.edges,
                "total_edges": total_edges, "truncated": truncated,
            }))
        })
        .await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorsParams {
    q: Option<String>,
    limit: Option<String>,
}

/// `GET /api/actors?q=`: actor keys whose key or a surface text matches, most named first.
async fn actors(State(st): S, Params(p): Params<ActorsParams>) -> ApiResult {
    let q = params::text("q", p.q.as_ref())?;
    let limit = params::int("limit", p.limit.as_ref(), 50, 1, 1000)?;
    let v = st
        .read(move |s| {
            let like = q.as_ref().map(|q| {
                let esc: String = q
                    .chars()
                    .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
                    .collect();
                esc
            });
            let mut stmt = s
                .connection()
                .prepare_cached(
                    "SELECT a.key, a.kind, a.total,
                        (SELECT t.text FROM actor_texts t WHERE t.key = a.key AND t.text != ''
                         ORDER BY t.n DESC, t.text LIMIT 1)
                     FROM (SELECT key, min(kind) AS kind, sum(n) AS total FROM actor_texts
                           WHERE ?1 IS NULL OR key LIKE ?1 || '%' ESCAPE '\\' OR text LIKE '%' || ?1 || '%' ESCAPE '\\'
                           GROUP BY key) a
                     ORDER BY a.total DESC, a.key LIMIT ?2",
                )
                .map_err(sql_err)?;
            let rows = stmt
                .query_map(rusqlite::params![like, limit as i64], |r| {
                    let key: String = r.get(0)?;
                    let label: Option<String> = r.get(3)?;
                    Ok(json!({
                        "key": key,
                        "label": label.unwrap_or_else(|| key.clone()),
                        "kind": r.get::<_, String>(1)?,
                        "mentions": r.get::<_, i64>(2)?,
                    }))
                })
                .map_err(sql_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql_err)?;
            Ok(json!({"actors": rows}))
        })
        .await?;
    ok(v)
}

/// `GET /api/actors/{key}`: how the corpus names an actor; 404 for a key never seen.
async fn actor(State(st): S, key: Result<Path<String>, PathRejection>, Params(_): Params<NoParams>) -> ApiResult {
    let key = path_value(key, "actor key")?;
    let key = params::required_key("actor key", Some(&key))?;
    let v = st
        .read(move |s| {
            let mut stmt = s
                .connection()
                .prepare_cached("SELECT text, kind, n FROM actor_texts WHERE key = ?1 ORDER BY n DESC, text LIMIT 20")
                .map_err(sql_err)?;
            let names: Vec<(String, String, i64)> = stmt
                .query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(sql_err)?
                .collect::<Result<_, _>>()
                .map_err(sql_err)?;
            let Some((_, kind, _)) = names.first() else {
                return Err(ApiError::not_found(format!("no actor with key {key:?} in this store")));
            };
            let label = names.iter().find(|n| !n.0.is_empty()).map_or(key.clone(), |n| n.0.clone());
            Ok(json!({
                "key": key, "label": label, "kind": kind,
                "names": names.iter().map(|(t, _, n)| json!({"text": t, "mentions": n})).collect::<Vec<_>>(),
            }))
        })
        .await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageParams {
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /api/documents`: stored documents' metadata, ordered by id.
async fn documents(State(st): S, Params(p): Params<PageParams>) -> ApiResult {
    let limit = params::int("limit", p.limit.as_ref(), 50, 1, MAX_LIMIT)?;
    let offset = params::int("offset", p.offset.as_ref(), 0, 0, params::MAX_OFFSET)?;
    let v = st
        .read(move |s| {
            let mut docs = s.documents(limit + 1, offset)?;
            let more = docs.len() > limit;
            docs.truncate(limit);
            Ok(json!({
                "documents": docs, "limit": limit, "offset": offset,
                "next_offset": if more { Some(offset + limit) } else { None },
            }))
        })
        .await?;
    ok(v)
}

/// `GET /api/documents/{id}`: a document's metadata, text, sentence spans and events.
async fn document(State(st): S, id: Result<Path<String>, PathRejection>, Params(_): Params<NoParams>) -> ApiResult {
    let id = path_value(id, "document id")?;
    let v = st
        .read(move |s| {
            let Some((meta, text)) = s.document(&id)? else {
                return Err(ApiError::not_found(format!("no document with id {id:?}")));
            };
            let events = s.document_events(&id)?;
            let sentences = sentence_spans(&text);
            Ok(json!({"meta": meta, "text": text, "sentences": sentences, "events": events}))
        })
        .await?;
    ok(v)
}

/// `GET /api/documents/{id}/events`: the events of one document.
async fn document_events(
    State(st): S,
    id: Result<Path<String>, PathRejection>,
    Params(_): Params<NoParams>,
) -> ApiResult {
    let id = path_value(id, "document id")?;
    let v = st
        .read(move |s| {
            if s.document(&id)?.is_none() {
                return Err(ApiError::not_found(format!("no document with id {id:?}")));
            }
            Ok(json!({"events": s.document_events(&id)?}))
        })
        .await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
}

/// `GET /api/search?q=`: full-text search over sentences, newest first, with their events.
async fn search(State(st): S, Params(p): Params<SearchParams>) -> ApiResult {
    let q = params::text("q", p.q.as_ref())?.ok_or_else(|| ApiError::bad_request("q is required (words to find)"))?;
    let limit = params::int("limit", p.limit.as_ref(), 20, 1, 200)?;
    let v = st.read(move |s| Ok(json!({"q": q, "hits": s.search(&q, limit)?}))).await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationParams {
    since: Option<String>,
    until: Option<String>,
    actor: Option<String>,
    limit: Option<String>,
}

/// `GET /api/locations`: factual events with coordinates (newest stored first), compact rows for
/// the map.
async fn locations(State(st): S, Params(p): Params<LocationParams>) -> ApiResult {
    let (since, until) = params::range(p.since.as_ref(), p.until.as_ref())?;
    let actor = params::key("actor", p.actor.as_ref())?;
    let limit = params::int("limit", p.limit.as_ref(), 2000, 1, 10_000)?;
    let v = st
        .read(move |s| {
            let mut w = vec![
                "negated = 0".to_string(),
                "hypothetical = 0".to_string(),
                "json_extract(json, '$.location.lat') IS NOT NULL".to_string(),
                "json_extract(json, '$.location.lon') IS NOT NULL".to_string(),
            ];
            let mut args: Vec<rusqlite::types::Value> = Vec::new();
            let push = |v: String, args: &mut Vec<rusqlite::types::Value>| {
                args.push(rusqlite::types::Value::Text(v));
                args.len()
            };
            if let Some(x) = &since {
                let i = push(x.clone(), &mut args);
                w.push(format!("date >= ?{i}"));
            }
            if let Some(x) = &until {
                let i = push(format!("{x}~"), &mut args);
                w.push(format!("date <= ?{i} AND date >= '0'"));
            }
            if let Some(x) = &actor {
                let i = push(x.clone(), &mut args);
                w.push(format!("(source_key = ?{i} OR target_key = ?{i})"));
            }
            args.push(rusqlite::types::Value::Integer(limit as i64 + 1));
            let sql = format!(
                "SELECT event_id, json_extract(json, '$.location'), date, cameo, quad_class, goldstein,
                        source_key, target_key, doc_id
                 FROM events WHERE {} ORDER BY id DESC LIMIT ?{}",
                w.join(" AND "),
                args.len()
            );
            let mut stmt = s.connection().prepare_cached(&sql).map_err(sql_err)?;
            let mut rows = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    let loc: Option<String> = r.get(1)?;
                    let loc: Value = loc.and_then(|l| serde_json::from_str(&l).ok()).unwrap_or(Value::Null);
                    Ok(json!({
                        "event_id": r.get::<_, String>(0)?,
                        "lat": loc.get("lat"),
                        "lon": loc.get("lon"),
                        "place": loc.get("name"),
                        "country": loc.get("country"),
                        "date": r.get::<_, Option<String>>(2)?,
                        "cameo": r.get::<_, String>(3)?,
                        "quad_class": r.get::<_, i64>(4)?,
                        "goldstein": r.get::<_, f64>(5)?,
                        "source": r.get::<_, Option<String>>(6)?,
                        "target": r.get::<_, Option<String>>(7)?,
                        "doc_id": r.get::<_, String>(8)?,
                    }))
                })
                .map_err(sql_err)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql_err)?;
            let truncated = rows.len() > limit;
            rows.truncate(limit);
            Ok(json!({"events": rows, "truncated": truncated}))
        })
        .await?;
    ok(v)
}

/// A request body: JSON, or (where accepted) plain text.
enum BodyIn {
    Json(Value),
    Text(String),
}

/// Reads a body under the size limit. The content type must be `application/json` (or
/// `text/plain` when `text_ok`), the bytes UTF-8, and JSON bodies valid JSON.
async fn read_body(st: &AppState, headers: &HeaderMap, body: Body, text_ok: bool) -> Result<BodyIn, ApiError> {
    let ctype = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mime = ctype.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let is_json = mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"));
    let is_text = text_ok && mime == "text/plain";
    if !is_json && !is_text {
        let accepted = if text_ok { "application/json or text/plain" } else { "application/json" };
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "Content-Type must be {accepted}, got {}",
                if ctype.is_empty() { "none".to_string() } else { format!("{ctype:?}") }
            ),
        ));
    }
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the limit of {} bytes", st.max_body),
        )
    };
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > st.max_body as u64) {
        return Err(too_big());
    }
    let bytes = axum::body::to_bytes(body, st.max_body).await.map_err(|e| {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = src {
            if s.to_string().contains("length limit exceeded") {
                return too_big();
            }
            src = s.source();
        }
        ApiError::bad_request(format!("cannot read the request body: {e}"))
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "the request body is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    if is_text {
        return Ok(BodyIn::Text(text.to_string()));
    }
    serde_json::from_str(text).map(BodyIn::Json).map_err(|e| ApiError::bad_request(format!("invalid JSON: {e}")))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnalyzeIn {
    text: String,
    /// Publication date `YYYY-MM-DD`: anchors relative dates ("on Monday").
    date: Option<String>,
    id: Option<String>,
}

fn doc_date(field: &str, d: Option<&String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    d.map(|d| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_request(format!("{field} must be a date YYYY-MM-DD, got {d:?}")))
    })
    .transpose()
}

/// `POST /api/analyze`: codes the text (JSON `{"text", "date"?, "id"?}` or `text/plain`) and
/// returns its events and sentence spans. Nothing is stored.
async fn analyze(State(st): S, headers: HeaderMap, body: Body) -> ApiResult {
    let doc = match read_body(&st, &headers, body, true).await? {
        BodyIn::Text(text) => Document { id: "analyze".into(), text, ..Default::default() },
        BodyIn::Json(v) => {
            let a: AnalyzeIn = serde_json::from_value(v).map_err(|e| ApiError::bad_request(format!("body: {e}")))?;
            let id = a.id.unwrap_or_else(|| "analyze".into());
            params::path_id("id", &id)?;
            Document { id, text: a.text, date: doc_date("date", a.date.as_ref())?, ..Default::default() }
        }
    };
    if doc.text.trim().is_empty() {
        return Err(ApiError::bad_request("text is empty: paste the text to code"));
    }
    let st2 = st.clone();
    let v = st
        .read(move |_| {
            let events = st2.coder().code(&doc);
            let sentences = sentence_spans(&doc.text);
            Ok(json!({"id": doc.id, "events": events, "sentences": sentences}))
        })
        .await?;
    ok(v)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocumentIn {
    id: String,
    text: String,
    date: Option<String>,
    url: Option<String>,
    title: Option<String>,
    source: Option<String>,
}

/// `POST /api/documents` (bearer token): codes and stores documents through
/// [`Store::ingest_with`], the path `dyad ingest` takes. The body is one document, an array of
/// them, or `{"documents": [...]}`; every document is checked before anything is stored, and the
/// batch is one transaction.
async fn add_documents(State(st): S, headers: HeaderMap, body: Body) -> ApiResult {
    let BodyIn::Json(v) = read_body(&st, &headers, body, false).await? else {
        return Err(ApiError::bad_request("expected a JSON body"));
    };
    let items: Vec<Value> = match v {
        Value::Array(a) => a,
        Value::Object(mut o) if o.contains_key("documents") && o.len() == 1 => match o.remove("documents") {
            Some(Value::Array(a)) => a,
            _ => return Err(ApiError::bad_request("`documents` must be an array of documents")),
        },
        Value::Object(o) => vec![Value::Object(o)],
        _ => {
            return Err(ApiError::bad_request(
                "the body must be a document {\"id\", \"text\", ...}, an array of them, or {\"documents\": [...]}",
            ))
        }
    };
    if items.is_empty() {
        return Err(ApiError::bad_request("no documents in the body"));
    }
    if items.len() > MAX_DOCUMENTS {
        return Err(ApiError::bad_request(format!(
            "{} documents in one request; send at most {MAX_DOCUMENTS}",
            items.len()
        )));
    }
    let mut docs = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let d: DocumentIn =
            serde_json::from_value(item).map_err(|e| ApiError::bad_request(format!("documents[{i}]: {e}")))?;
        params::path_id(&format!("documents[{i}].id"), &d.id)?;
        if d.text.trim().is_empty() {
            return Err(ApiError::bad_request(format!("documents[{i}].text is empty")));
        }
        docs.push(Document {
            date: doc_date(&format!("documents[{i}].date"), d.date.as_ref())?,
            id: d.id,
            text: d.text,
            url: d.url,
            title: d.title,
            source: d.source,
            provenance: Some("POST /api/documents".into()),
        });
    }
    let stats = st
        .write(move |store: &mut Store, coder| Ok(store.ingest_with(docs, |d| coder.code_with_sentences(d))?))
        .await?;
    let status = if stats.documents > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(stats)).into_response())
}
