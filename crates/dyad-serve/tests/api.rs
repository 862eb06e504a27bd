//! API tests against a real server on loopback with a real store (the example corpus coded by the
//! built-in dictionaries): every endpoint, then bad input of every kind.

mod common;

use common::*;
use serde_json::Value;
use std::sync::OnceLock;

/// One read-only server shared by the read tests.
fn reader() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| start(&corpus_store("reads"), None))
}

fn chars(s: &str, a: u64, b: u64) -> String {
    s.chars().skip(a as usize).take((b - a) as usize).collect()
}

fn key(actor: &Value) -> String {
    actor["country"].as_str().or(actor["org"].as_str()).or(actor["code"].as_str()).unwrap_or("").to_string()
}

#[test]
fn health_stats_and_openapi() {
    let s = reader();
    assert_eq!(s.get_json("/api/health")["status"], "ok");
    let st = s.get_json("/api/stats");
    assert_eq!(st["documents"], corpus().len());
    assert!(st["events"].as_i64().unwrap() > 100);
    assert!(st["first_month"].as_str().unwrap() <= st["last_month"].as_str().unwrap());

    let spec = s.get_json("/api/openapi.json");
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = spec["paths"].as_object().unwrap();
    for p in [
        "/api/health",
        "/api/stats",
        "/api/events",
        "/api/events/{event_id}",
        "/api/series",
        "/api/timeline",
        "/api/top/dyads",
        "/api/top/actors",
        "/api/network",
        "/api/actors",
        "/api/actors/{key}",
        "/api/documents",
        "/api/documents/{id}",
        "/api/documents/{id}/events",
        "/api/search",
        "/api/locations",
        "/api/analyze",
        "/api/openapi.json",
    ] {
        assert!(paths.contains_key(p), "openapi.json lacks {p}");
    }
    assert!(paths["/api/documents"]["post"]["security"].is_array(), "writes are documented as needing the token");
}

#[test]
fn events_filters_and_paging() {
    let s = reader();
    let page1 = s.get_json("/api/events?limit=5");
    let rows = page1["events"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert_eq!(page1["next_offset"], 5);
    let page2 = s.get_json("/api/events?limit=5&offset=5");
    let ids1: Vec<&Value> = rows.iter().map(|r| &r["event"]["event_id"]).collect();
    for r in page2["events"].as_array().unwrap() {
        assert!(!ids1.contains(&&r["event"]["event_id"]), "pages overlap");
    }

    let arm = s.get_json("/api/events?actor=ARM&limit=1000");
    let arm = arm["events"].as_array().unwrap();
    assert!(!arm.is_empty());
    for r in arm {
        let e = &r["event"];
        assert!(key(&e["source"]) == "ARM" || key(&e["target"]) == "ARM", "{e}");
    }
    let dy = s.get_json("/api/events?dyad=ARM,AZE&limit=1000");
    let dy = dy["events"].as_array().unwrap();
    assert!(!dy.is_empty() && dy.len() <= arm.len());
    for r in dy {
        let pair = [key(&r["event"]["source"]), key(&r["event"]["target"])];
        assert!(pair.contains(&"ARM".to_string()) && pair.contains(&"AZE".to_string()), "{pair:?}");
    }
    let conflict = s.get_json("/api/events?root=19,18&limit=1000");
    for r in conflict["events"].as_array().unwrap() {
        assert!(["18", "19"].contains(&r["event"]["root"].as_str().unwrap()));
    }
    let plover = arm[0]["event"]["plover"]["type"].as_str().unwrap().to_string();
    let by_type = s.get_json(&format!("/api/events?plover={}&limit=1000", plover.to_lowercase()));
    assert!(!by_type["events"].as_array().unwrap().is_empty());
    for r in by_type["events"].as_array().unwrap() {
        assert_eq!(r["event"]["plover"]["type"], plover.as_str());
    }
    let period = s.get_json("/api/events?since=2021-01&until=2021-06&limit=1000");
    let period = period["events"].as_array().unwrap();
    assert!(!period.is_empty());
    for r in period {
        let d = r["event"]["date"].as_str().unwrap();
        assert!(("2021-01".."2021-07").contains(&d), "{d}");
    }
    let words = s.get_json("/api/events?text=ceasefire&limit=1000");
    let words = words["events"].as_array().unwrap();
    assert!(!words.is_empty());
    for r in words {
        assert!(r["event"]["sentence"].as_str().unwrap().to_lowercase().contains("ceasefire"));
    }
    // An unknown actor is not an error: it matches nothing.
    let none = s.get_json("/api/events?actor=ZZZ");
    assert_eq!(none["events"].as_array().unwrap().len(), 0);
    assert_eq!(none["next_offset"], Value::Null);
}

#[test]
fn one_event_with_its_sentence_and_document() {
    let s = reader();
    let list = s.get_json("/api/events?dyad=ARM,AZE&limit=20");
    for r in list["events"].as_array().unwrap() {
        let id = r["event"]["event_id"].as_str().unwrap();
        let one = s.get_json(&format!("/api/events/{id}"));
        let ev = &one["event"]["event"];
        assert_eq!(ev["event_id"], id);
        let text = one["document"]["text"].as_str().unwrap();
        let span = one["sentence_span"].as_array().unwrap();
        let (a, b) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
        assert_eq!(chars(text, a, b), ev["sentence"].as_str().unwrap(), "sentence span slices the document");
        let t = ev["offsets"]["trigger"].as_array().unwrap();
        assert!(a <= t[0].as_u64().unwrap() && t[1].as_u64().unwrap() <= b, "trigger inside its sentence");
        if let Some(src) = ev["offsets"]["source"].as_array() {
            let surface = chars(text, src[0].as_u64().unwrap(), src[1].as_u64().unwrap());
            assert_eq!(surface, ev["source"]["text"].as_str().unwrap());
        }
        assert_eq!(one["document"]["meta"]["id"], r["doc"]["id"]);
    }
    s.get("/api/events/0000000000000000").assert_error(404, "no event");
}

#[test]
fn series_timeline_top_lists_and_network() {
    let s = reader();
    for by in ["day", "week", "month", "year"] {
        let v = s.get_json(&format!("/api/series?a=ARM&b=AZE&by={by}"));
        let rows = v["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{by}");
        for r in rows {
            let pair = (r["source"].as_str().unwrap(), r["target"].as_str().unwrap());
            assert!(pair == ("ARM", "AZE") || pair == ("AZE", "ARM"), "{pair:?}");
        }
        let (dirs_ab, dirs_ba) = (rows.iter().any(|r| r["source"] == "ARM"), rows.iter().any(|r| r["source"] == "AZE"));
        assert!(dirs_ab && dirs_ba, "both directions ({by})");
    }
    assert_eq!(s.get_json("/api/series?a=ARM&b=ZZZ")["rows"].as_array().unwrap().len(), 0);
    // A period limits the rows, compared as prefixes.
    let all = s.get_json("/api/series?a=ARM&b=AZE&by=month");
    let all = all["rows"].as_array().unwrap();
    let year = &all[0]["period"].as_str().unwrap()[..4];
    let some = s.get_json(&format!("/api/series?a=ARM&b=AZE&by=month&since={year}&until={year}"));
    let some = some["rows"].as_array().unwrap();
    assert!(!some.is_empty() && some.iter().all(|r| r["period"].as_str().unwrap().starts_with(year)));
    assert_eq!(some.len(), all.iter().filter(|r| r["period"].as_str().unwrap().starts_with(year)).count());
    assert_eq!(s.get("/api/series?a=ARM&b=AZE&since=2022&until=2021").status, 400);

    // The timeline counts what the rollup holds: the sum of all dyads.
    let tl = s.get_json("/api/timeline");
    let total: i64 = tl["rows"].as_array().unwrap().iter().map(|r| r["events"].as_i64().unwrap()).sum();
    let dyads = s.get_json("/api/top/dyads?limit=500");
    let dyads = dyads["dyads"].as_array().unwrap();
    assert!(dyads.len() < 500);
    assert_eq!(total, dyads.iter().map(|d| d["events"].as_i64().unwrap()).sum::<i64>());
    for r in tl["rows"].as_array().unwrap() {
        let q: i64 = r["quad"].as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).sum();
        assert_eq!(q, r["events"].as_i64().unwrap());
    }
    let tl_arm = s.get_json("/api/timeline?actor=ARM&by=year&since=2021&until=2022");
    for r in tl_arm["rows"].as_array().unwrap() {
        assert!(["2021", "2022"].contains(&r["period"].as_str().unwrap()));
    }

    let actors = s.get_json("/api/top/actors?limit=5");
    let actors = actors["actors"].as_array().unwrap();
    assert_eq!(actors.len(), 5);
    assert!(actors.windows(2).all(|w| w[0]["events"].as_i64() >= w[1]["events"].as_i64()));

    let net = s.get_json("/api/network?min_events=2");
    let nodes: Vec<&str> = net["nodes"].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap()).collect();
    for e in net["edges"].as_array().unwrap() {
        assert!(e["events"].as_i64().unwrap() >= 2);
        assert!(nodes.contains(&e["source"].as_str().unwrap()) && nodes.contains(&e["target"].as_str().unwrap()));
        let g = e["goldstein_mean"].as_f64().unwrap();
        assert!((-10.0..=10.0).contains(&g));
    }
    let ego = s.get_json("/api/network?actor=ARM&max_edges=10");
    let edges = ego["edges"].as_array().unwrap();
    assert!(!edges.is_empty() && edges.len() <= 10);
    for e in edges {
        assert!(e["source"] == "ARM" || e["target"] == "ARM");
    }
}

#[test]
fn actors_documents_search_locations() {
    let s = reader();
    let found = s.get_json("/api/actors?q=Armen");
    assert!(found["actors"].as_array().unwrap().iter().any(|a| a["key"] == "ARM"), "{found}");
    let arm = s.get_json("/api/actors/ARM");
    assert_eq!(arm["kind"], "country");
    assert!(!arm["names"].as_array().unwrap().is_empty());
    s.get("/api/actors/ZZZ").assert_error(404, "no actor");

    let docs = s.get_json("/api/documents?limit=10");
    let docs = docs["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 10);
    let id = docs[0]["id"].as_str().unwrap();
    let doc = s.get_json(&format!("/api/documents/{id}"));
    let text = doc["text"].as_str().unwrap();
    assert!(!text.is_empty());
    assert_eq!(doc["meta"]["source"], "dyad example corpus");
    assert!(doc["meta"]["provenance"].as_str().unwrap().starts_with("corpus/south-caucasus.jsonl:"), "{}", doc["meta"]);
    let sentences = doc["sentences"].as_array().unwrap();
    for r in doc["events"].as_array().unwrap() {
        let i = r["event"]["sentence_index"].as_u64().unwrap() as usize;
        let sp = &sentences[i];
        assert_eq!(
            chars(text, sp[0].as_u64().unwrap(), sp[1].as_u64().unwrap()),
            r["event"]["sentence"].as_str().unwrap()
        );
    }
    let evs = s.get_json(&format!("/api/documents/{id}/events"));
    assert_eq!(evs["events"], doc["events"]);
    s.get("/api/documents/no-such-document").assert_error(404, "no document");
    s.get("/api/documents/no-such-document/events").assert_error(404, "no document");

    let hits = s.get_json("/api/search?q=ceasefire&limit=5");
    let hits = hits["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert!(hits[0]["snippet"].as_str().unwrap().to_lowercase().contains("[ceasefire"));

    let locs = s.get_json("/api/locations?limit=50");
    for l in locs["events"].as_array().unwrap() {
        assert!(l["lat"].is_number() && l["lon"].is_number(), "{l}");
    }
}

#[test]
fn analyze_codes_without_storing() {
    let s = reader();
    let before = s.get_json("/api/stats");
    let text = "Armenian Prime Minister Nikol Pashinyan met Azerbaijani President Ilham Aliyev in Brussels on Monday. \
                Azerbaijan accused Armenia of shelling its positions.";
    let body = serde_json::json!({"text": text, "date": "2023-05-15"}).to_string();
    let r = s.post_json("/api/analyze", &body, None);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let events = v["events"].as_array().unwrap();
    assert!(events.len() >= 2, "{v}");
    assert_eq!(v["sentences"].as_array().unwrap().len(), 2);
    for e in events {
        let t = &e["offsets"]["trigger"];
        assert!(!chars(text, t[0].as_u64().unwrap(), t[1].as_u64().unwrap()).is_empty());
        if let Some(src) = e["offsets"]["source"].as_array() {
            assert_eq!(
                chars(text, src[0].as_u64().unwrap(), src[1].as_u64().unwrap()),
                e["source"]["text"].as_str().unwrap()
            );
        }
    }
    assert!(events.iter().any(|e| e["date"] == "2023-05-15"), "the date anchors 'on Monday'");
    let plain = s.request("POST", "/api/analyze", &[("Content-Type", "text/plain; charset=utf-8")], text.as_bytes());
    assert_eq!(plain.status, 200);
    assert_eq!(plain.json()["events"].as_array().unwrap().len(), events.len());
    assert_eq!(s.get_json("/api/stats")["events"], before["events"], "analyze stores nothing");
}

#[test]
fn malformed_parameters_are_400_json() {
    let s = reader();
    for (path, needle) in [
        ("/api/events?limit=abc", "limit must be an integer"),
        ("/api/events?limit=0", "limit must be an integer from 1"),
        ("/api/events?limit=100000", "limit must be an integer"),
        ("/api/events?offset=-1", "offset must be"),
        ("/api/events?since=2021-13", "since must be a date"),
        ("/api/events?until=yesterday", "until must be a date"),
        ("/api/events?since=2022&until=2021", "is after until"),
        ("/api/events?root=99", "root must be CAMEO roots"),
        ("/api/events?code=0x1", "code must be"),
        ("/api/events?plover=CON%20SULT", "plover must be"),
        ("/api/events?actor=%27%3B%20DROP%20TABLE%20events%3B--", "actor must be an actor key"),
        ("/api/events?dyad=ARM", "dyad must be two actor keys"),
        ("/api/events?negated=maybe", "negated must be true or false"),
        ("/api/events?colour=red", "unknown field `colour`"),
        ("/api/events?limit=1&limit=2", "duplicate field"),
        ("/api/events?text=%00", "text must be"),
        ("/api/series?b=AZE", "a is required"),
        ("/api/series?a=ARM&b=AZE&by=hour", "by must be one of"),
        ("/api/timeline?limit=3", "unknown parameter `limit`"),
        ("/api/network?min_events=0", "min_events must be"),
        ("/api/search", "q is required"),
        ("/api/stats?x=1", "unknown field `x`"),
        ("/api/documents?offset=99999999", "offset must be"),
    ] {
        s.get(path).assert_error(400, needle);
    }
    let long = format!("/api/events?text={}", "a".repeat(600));
    s.get(&long).assert_error(400, "text must be 1 to 500");
    s.get("/api/nothing-here").assert_error(404, "no such API endpoint");
    s.request("DELETE", "/api/events", &[], b"").assert_error(405, "DELETE is not allowed");
    s.request("PUT", "/api/analyze", &[], b"").assert_error(405, "not allowed");
}

#[test]
fn static_files_and_path_traversal() {
    let s = reader();
    let index = s.get("/");
    assert_eq!(index.status, 200);
    assert!(index.header("content-type").unwrap().starts_with("text/html"));
    assert!(index.header("content-security-policy").unwrap().contains("default-src 'self'"));
    let html = index.text();
    let js = html.split("src=\"/").nth(1).and_then(|r| r.split('"').next()).expect("a script in index.html");
    let asset = s.get(&format!("/{js}"));
    assert_eq!(asset.status, 200);
    assert!(asset.header("content-type").unwrap().starts_with("text/javascript"));
    assert!(asset.header("cache-control").unwrap().contains("immutable"));

    for path in [
        "/../Cargo.toml",
        "/../../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/..%5c..%5cCargo.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/%ff",
        "/index.html%00.js",
    ] {
        let r = s.get(path);
        assert!(r.status == 400 || r.status == 404, "{path}: {}", r.status);
        assert_eq!(r.json()["status"], r.status, "{path}");
        let body = r.text();
        assert!(!body.contains("[package]") && !body.contains("root:"), "{path} leaked a file");
    }
    // A foreign Host on a loopback server is refused (DNS rebinding).
    let r = s.raw(b"GET /api/stats HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n");
    r.assert_error(403, "answers only to Host");
}

#[test]
fn bad_bodies() {
    let s = reader();
    s.request("POST", "/api/analyze", &[("Content-Type", "application/octet-stream")], &[0, 159, 146, 150, 255])
        .assert_error(415, "Content-Type must be");
    s.request("POST", "/api/analyze", &[], b"{}").assert_error(415, "got none");
    s.request("POST", "/api/analyze", &[("Content-Type", "application/json")], &[0xff, 0xfe, 0x00, 0x80])
        .assert_error(400, "not UTF-8");
    s.request("POST", "/api/analyze", &[("Content-Type", "text/plain")], &[b'a', 0xc3, 0x28])
        .assert_error(400, "not UTF-8");
    s.post_json("/api/analyze", "{\"text\": ", None).assert_error(400, "invalid JSON");
    s.post_json("/api/analyze", "{\"txt\": \"x\"}", None).assert_error(400, "unknown field `txt`");
    s.post_json("/api/analyze", "{\"text\": \"   \"}", None).assert_error(400, "text is empty");
    s.post_json("/api/analyze", "{\"text\": \"x\", \"date\": \"15/05/2023\"}", None).assert_error(400, "date must be");
    // Over the limit, declared up front: refused before the body is read.
    let head = "POST /api/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                Content-Length: 3000000\r\nConnection: close\r\n\r\n";
    s.raw(head.as_bytes()).assert_error(413, "larger than the limit");
}

#[test]
fn oversized_streamed_body_is_413() {
    // No Content-Length: the limit applies while reading.
    use tower::ServiceExt;
    let db = corpus_store("stream");
    let opts = dyad_serve::ServeOptions { db, ..Default::default() };
    let state = dyad_serve::AppState::new(&opts, dyad_coder::Coder::builtin()).unwrap();
    let app = dyad_serve::router(state);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..48).map(|_| Ok(vec![b' '; 65536])).collect();
    let body = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
    let req = axum::http::Request::post("/api/analyze")
        .header("content-type", "application/json")
        .header("host", "localhost")
        .body(body)
        .unwrap();
    let res = rt.block_on(app.oneshot(req)).unwrap();
    assert_eq!(res.status(), 413);
}

#[test]
fn writes_need_the_token_and_bad_writes_change_nothing() {
    let db = corpus_store("writes");
    let s = start(&db, Some(TOKEN));
    let count = |s: &Server| s.get_json("/api/stats")["documents"].as_i64().unwrap();
    let before = count(&s);
    let doc = serde_json::json!({
        "id": "api-test-1",
        "text": "Georgia and Armenia signed a trade agreement in Tbilisi on Tuesday.",
        "date": "2024-03-05",
        "source": "api test"
    });
    // No token: 401 at once, although the declared body never arrives.
    let head = "POST /api/documents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                Content-Length: 10000000\r\nConnection: close\r\n\r\n";
    s.raw(head.as_bytes()).assert_error(401, "Authorization: Bearer");
    s.post_json("/api/documents", &doc.to_string(), None).assert_error(401, "Bearer");
    s.post_json("/api/documents", &doc.to_string(), Some("wrong-token-0123456789")).assert_error(401, "wrong token");
    let r = s.post_json("/api/documents", &doc.to_string(), None);
    assert_eq!(r.header("www-authenticate"), Some("Bearer realm=\"dyad\""));

    // Bad documents: 400 and nothing stored, not even the good ones in the same batch.
    let good = doc.to_string();
    for (body, needle) in [
        (format!("[{good}, {{\"id\": \"x\"}}]"), "documents[1]: missing field `text`"),
        (format!("[{good}, {{\"id\": \"x\", \"text\": \"y\", \"date\": \"2024-02-30\"}}]"), "documents[1].date"),
        (format!("[{good}, {{\"id\": \"\", \"text\": \"y\"}}]"), "documents[1].id"),
        (format!("[{good}, {{\"id\": \"x\", \"text\": \"y\", \"body\": 1}}]"), "unknown field `body`"),
        ("[]".to_string(), "no documents"),
        ("42".to_string(), "the body must be a document"),
        ("{\"documents\": 1}".to_string(), "must be an array"),
    ] {
        s.post_json("/api/documents", &body, Some(TOKEN)).assert_error(400, needle);
    }
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {TOKEN}\r\nContent-Length: 2097153\r\nConnection: close\r\n\r\n"
    );
    s.raw(head.as_bytes()).assert_error(413, "larger than the limit");
    let auth = format!("Bearer {TOKEN}");
    s.request("POST", "/api/documents", &[("Content-Type", "text/plain"), ("Authorization", &auth)], b"hello")
        .assert_error(415, "application/json");
    assert_eq!(count(&s), before, "nothing written by refused requests");

    // A good batch goes through the ingest path: coded, stored, searchable.
    let second = serde_json::json!({"id": "api-test-2", "text": "Azerbaijan expelled two Armenian diplomats on Friday.", "date": "2024-03-08"});
    let r = s.post_json("/api/documents", &serde_json::json!({"documents": [doc, second]}).to_string(), Some(TOKEN));
    assert_eq!(r.status, 201, "{}", r.text());
    let stats = r.json();
    assert_eq!(stats["documents"], 2);
    assert!(stats["events"].as_i64().unwrap() >= 2, "{stats}");
    assert_eq!(count(&s), before + 2);
    let stored = s.get_json("/api/documents/api-test-1");
    assert_eq!(stored["meta"]["source"], "api test");
    assert_eq!(stored["meta"]["provenance"], "POST /api/documents");
    assert!(!stored["events"].as_array().unwrap().is_empty());
    assert!(!s.get_json("/api/search?q=diplomats")["hits"].as_array().unwrap().is_empty());
    // The same texts again: unchanged, 200.
    let r = s.post_json("/api/documents", &format!("[{good}]"), Some(TOKEN));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["unchanged"], 1);
}

/// Repeated reads come from the response cache, with an ETag a client can revalidate; a commit
/// by another process empties the cache, so the next read sees the new data.
#[test]
fn cached_reads_follow_the_store() {
    let db = corpus_store("cache");
    let s = start(&db, None);
    let path = "/api/series?a=ARM&b=AZE&by=month";
    let first = s.get(path);
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-dyad-cache"), Some("miss"));
    let again = s.get(path);
    assert_eq!(again.header("x-dyad-cache"), Some("hit"));
    assert_eq!(again.text(), first.text());
    assert_eq!(again.header("content-type"), Some("application/json"));
    let etag = first.header("etag").expect("an ETag").to_string();
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let not_modified = s.request("GET", path, &[("If-None-Match", &etag)], b"");
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.text().is_empty());
    // Errors are not cached.
    assert_eq!(s.get("/api/series?a=ARM").status, 400);
    assert_eq!(s.get("/api/series?a=ARM").header("x-dyad-cache"), None);

    // Another process (here: another connection) stores a document: the cache is dropped.
    let before = s.get_json("/api/stats")["documents"].as_i64().unwrap();
    assert_eq!(s.get("/api/stats").header("x-dyad-cache"), Some("hit"));
    let doc = dyad_core::Document {
        id: "cache-test".into(),
        text: "Armenia and Azerbaijan signed a border agreement in Almaty on 3 May 2024.".into(),
        ..Default::default()
    };
    let coder = dyad_coder::Coder::builtin();
    dyad_store::Store::open(&db).unwrap().ingest_with(vec![doc], |d| coder.code(d)).unwrap();
    let after = s.get("/api/stats");
    assert_eq!(after.header("x-dyad-cache"), Some("miss"));
    assert_eq!(after.json()["documents"].as_i64().unwrap(), before + 1);
    let series = s.get(path);
    assert_eq!(series.header("x-dyad-cache"), Some("miss"));
    assert_ne!(series.header("etag"), Some(etag.as_str()), "the new agreement changes the series");
    assert_eq!(s.request("GET", path, &[("If-None-Match", &etag)], b"").status, 200);
}

#[test]
fn writes_without_a_configured_token_are_forbidden() {
    let s = reader();
    s.post_json("/api/documents", "{\"id\": \"a\", \"text\": \"b\"}", Some("anything-0123456789"))
        .assert_error(403, "writes are disabled");
}

#[test]
fn beyond_loopback_everything_needs_the_token() {
    let db = corpus_store("public");
    let opts = dyad_serve::ServeOptions { db: db.clone(), addr: "0.0.0.0:0".parse().unwrap(), ..Default::default() };
    let err = dyad_serve::AppState::new(&opts, dyad_coder::Coder::builtin()).err().expect("refused");
    assert!(err.to_string().contains("needs a token"), "{err}");
    let short = dyad_serve::ServeOptions { token: Some("short".into()), ..opts.clone() };
    assert!(dyad_serve::AppState::new(&short, dyad_coder::Coder::builtin()).is_err());

    let opts = dyad_serve::ServeOptions { token: Some(TOKEN.into()), ..opts };
    let state = dyad_serve::AppState::new(&opts, dyad_coder::Coder::builtin()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
            tx.send(l.local_addr().unwrap().port()).unwrap();
            axum::serve(l, dyad_serve::router(state)).await.unwrap();
        });
    });
    let port = rx.recv().unwrap();
    let s = Server { addr: format!("127.0.0.1:{port}").parse().unwrap(), db };
    s.get("/api/stats").assert_error(401, "Bearer");
    let auth = format!("Bearer {TOKEN}");
    let r = s.request("GET", "/api/stats", &[("Authorization", &auth)], b"");
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/").status, 200, "the dashboard itself is static");
}

#[test]
fn missing_store_is_a_clear_startup_error() {
    let opts = dyad_serve::ServeOptions { db: "/nonexistent/dyad.db".into(), ..Default::default() };
    let err = dyad_serve::AppState::new(&opts, dyad_coder::Coder::builtin()).err().expect("refused");
    assert!(err.to_string().contains("dyad ingest"), "{err}");
}
