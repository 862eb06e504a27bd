//! Fills a temporary store with N synthetic events and times the main queries.
//!
//! ```text
//! cargo run --release -p dyad-store --example bench_queries -- [EVENTS=1000000] [STORE.db]
//! ```
//! Without a path the store goes to a temporary file, removed at the end.

use dyad_store::{EventQuery, Period, Store};
use std::time::Instant;

fn time<T>(label: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        out = Some(f());
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("{label:<44} {best:>9.2} ms (best of {runs})");
    out.expect("ran")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let events: usize = args.get(1).map_or(Ok(1_000_000), |s| s.parse())?;
    let (path, temp) = match args.get(2) {
        Some(p) => (std::path::PathBuf::from(p), false),
        None => (std::env::temp_dir().join(format!("dyad-bench-{}.db", std::process::id())), true),
    };
    let mut store = Store::open(&path)?;
    if store.documents_count()? == 0 {
        let t = Instant::now();
        store.fill_synthetic(events, 42)?;
        println!("fill_synthetic({events}) {:.1} s", t.elapsed().as_secs_f64());
    }
    let stats = store.stats()?;
    println!(
        "documents {} sentences {} events {} clusters {} size {:.1} MB ({:.1} MB per million events)",
        stats.documents,
        stats.sentences,
        stats.events,
        stats.clusters,
        stats.size_bytes as f64 / 1e6,
        stats.size_bytes as f64 / 1e6 / (stats.events as f64 / 1e6)
    );
    let top = time("top_dyads(2021, 20)", 5, || store.top_dyads(Some("2021"), Some("2021"), 20).unwrap());
    let (a, b) = (top[0].source.clone(), top[0].target.clone());
    let s = time(&format!("series({a}, {b}, Month)"), 5, || store.series(&a, &b, Period::Month).unwrap());
    println!("  {} rows", s.len());
    time(&format!("series({a}, {b}, Year)"), 5, || store.series(&a, &b, Period::Year).unwrap());
    let s = time(&format!("series({a}, {b}, Day)"), 5, || store.series(&a, &b, Period::Day).unwrap());
    println!("  {} rows", s.len());
    time(&format!("series({a}, {b}, Week)"), 5, || store.series(&a, &b, Period::Week).unwrap());
    time("top_dyads(all time, 20)", 5, || store.top_dyads(None, None, 20).unwrap());
    time("top_dyads(2021-03-01..2021-03-31, 20) [events]", 3, || {
        store.top_dyads(Some("2021-03-01"), Some("2021-03-31"), 20).unwrap()
    });
    time("top_actors(2021, 20)", 5, || store.top_actors(Some("2021"), Some("2021"), 20).unwrap());
    let n = time("network(2021, min 10)", 5, || store.network(Some("2021"), Some("2021"), 10).unwrap());
    println!("  {} nodes, {} edges", n.nodes.len(), n.edges.len());
    for q in ["ceasefire", "nuclear inspectors", "Zürich", "\"AND\" *", "Москва"] {
        let h = time(&format!("search({q:?}, 20)"), 5, || store.search(q, 20).unwrap());
        println!("  {} hits", h.len());
    }
    time(&format!("events(actor={a}, limit 100)"), 5, || {
        store.events(&EventQuery { actor: Some(a.clone()), ..Default::default() }).unwrap()
    });
    // An actor with a period: the busiest actor in one month, and over the last years.
    for (since, until) in [("2021-03", Some("2021-03")), ("2021-01", None)] {
        let n = time(&format!("events(actor={a}, {since}..{}, root 04,05)", until.unwrap_or("")), 5, || {
            store
                .events(&EventQuery {
                    actor: Some(a.clone()),
                    since: Some(since.into()),
                    until: until.map(Into::into),
                    roots: vec!["04".into(), "05".into()],
                    limit: 50,
                    ..Default::default()
                })
                .unwrap()
        });
        println!("  {} events", n.len());
    }
    time(&format!("events(dyad={a}-{b}, 2021, root 04)"), 5, || {
        store
            .events(&EventQuery {
                dyad: Some((a.clone(), b.clone())),
                since: Some("2021".into()),
                until: Some("2021".into()),
                roots: vec!["04".into()],
                ..Default::default()
            })
            .unwrap()
    });
    for words in ["ceasefire", "Zürich", "nuclear inspectors", "Москва"] {
        let n = time(&format!("events(text={words}, limit 100)"), 5, || {
            store.events(&EventQuery { text: Some(words.into()), ..Default::default() }).unwrap()
        });
        println!("  {} events", n.len());
    }
    time("clusters(actor, clusters_only, limit 100)", 5, || {
        store.clusters(&EventQuery { actor: Some(a.clone()), ..Default::default() }).unwrap()
    });
    drop(store);
    if temp {
        for ext in ["", "-wal", "-shm"] {
            let mut p = path.clone().into_os_string();
            p.push(ext);
            let _ = std::fs::remove_file(p);
        }
    }
    Ok(())
}
