//! The sentence corpus: hand-written sentences (`testdata/sentences/*.jsonl`), each with the
//! events a careful CAMEO coder would code, run through the built-in coder.
//!
//! A sentence passes when the coder's factual, negated and hypothetical events, as
//! (source, target, root, negated, hypothetical) keys, equal the expected set — symmetric events
//! in either order — and every expected date is the date the coder gave. The test prints every
//! failure with what was expected and what was coded, the pass rate by construct, and event-level
//! precision and recall; it fails when the overall sentence pass rate or any construct group falls
//! below the floor recorded here (raise the floors as the coder improves, never lower them to make
//! a change pass).

use dyad_coder::Coder;
use dyad_core::Document;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct Case {
    id: String,
    construct: String,
    text: String,
    doc_date: Option<String>,
    events: Vec<Expected>,
}

#[derive(Deserialize, Clone)]
struct Expected {
    source: String,
    target: String,
    root: String,
    #[serde(default)]
    sym: bool,
    #[serde(default)]
    negated: bool,
    #[serde(default)]
    hypothetical: bool,
    date: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
struct Got {
    source: String,
    target: String,
    root: String,
    negated: bool,
    hypothetical: bool,
    date: Option<String>,
    rule: String,
    symmetric: bool,
}

fn matches(e: &Expected, g: &Got) -> bool {
    let same_dir = e.source == g.source && e.target == g.target;
    let reversed = e.source == g.target && e.target == g.source;
    (same_dir || (e.sym && reversed)) && e.root == g.root && e.negated == g.negated && e.hypothetical == g.hypothetical
}

fn load_cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/sentences");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("testdata/sentences exists").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        if f.extension().and_then(|x| x.to_str()) != Some("jsonl") {
            continue;
        }
        for (n, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let c: Case = serde_json::from_str(line).unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), n + 1));
            cases.push(c);
        }
    }
    cases
}

/// Group constructs for the floors: each CAMEO root, and every syntactic construct, by name.
fn group(construct: &str) -> &str {
    if construct.starts_with("root-") {
        "roots"
    } else {
        construct
    }
}

#[test]
fn sentence_corpus() {
    let coder = Coder::builtin();
    let cases = load_cases();
    assert!(cases.len() >= 300, "the corpus has {} sentences", cases.len());
    let mut by: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut tp, mut n_exp, mut n_got) = (0usize, 0usize, 0usize);
    let mut passed = 0;
    let mut failures = Vec::new();
    for c in &cases {
        let doc = Document {
            id: c.id.clone(),
            text: c.text.clone(),
            date: c.doc_date.as_deref().map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            ..Default::default()
        };
        let mut got: Vec<Got> = coder
            .code(&doc)
            .into_iter()
            .filter_map(|e| {
                let s = e.source.key()?.to_string();
                let t = e.target.as_ref()?.key()?.to_string();
                if s == t {
                    return None;
                }
                Some(Got {
                    source: s,
                    target: t,
                    root: e.root,
                    negated: e.negated,
                    hypothetical: e.hypothetical,
                    date: e.date,
                    rule: e.rule,
                    symmetric: e.symmetric,
                })
            })
            .collect();
        // one event per distinct key, as the expectations are written (a symmetric event's key in
        // either direction; "accused each other" is two events, one each way)
        let mut seen = Vec::new();
        got.retain(|g| {
            let k = (g.source.clone(), g.target.clone(), g.root.clone(), g.negated, g.hypothetical);
            let rev = (g.target.clone(), g.source.clone(), g.root.clone(), g.negated, g.hypothetical);
            if seen.contains(&k) || (g.symmetric && seen.contains(&rev)) {
                return false;
            }
            seen.push(k);
            true
        });
        let mut used = vec![false; got.len()];
        let mut ok = true;
        let mut notes = Vec::new();
        for e in &c.events {
            let hit = got.iter().enumerate().find(|(i, g)| !used[*i] && matches(e, g));
            match hit {
                Some((i, g)) => {
                    used[i] = true;
                    tp += 1;
                    if let Some(d) = &e.date {
                        if g.date.as_deref() != Some(d.as_str()) {
                            ok = false;
                            notes.push(format!("date: expected {d}, got {:?}", g.date));
                        }
                    }
                }
                None => {
                    ok = false;
                    notes.push(format!(
                        "missed {}>{} {}{}{}",
                        e.source,
                        e.target,
                        e.root,
                        if e.negated { " negated" } else { "" },
                        if e.hypothetical { " hypothetical" } else { "" }
                    ));
                }
            }
        }
        for (i, g) in got.iter().enumerate() {
            if !used[i] {
                ok = false;
                notes.push(format!(
                    "extra {}>{} {}{}{} ({})",
                    g.source,
                    g.target,
                    g.root,
                    if g.negated { " negated" } else { "" },
                    if g.hypothetical { " hypothetical" } else { "" },
                    g.rule
                ));
            }
        }
        n_exp += c.events.len();
        n_got += got.len();
        let entry = by.entry(group(&c.construct).to_string()).or_default();
        entry.1 += 1;
        if ok {
            passed += 1;
            entry.0 += 1;
        } else {
            failures.push(format!("FAIL {} [{}] {}\n     {}", c.id, c.construct, c.text, notes.join("; ")));
        }
    }
    for f in &failures {
        println!("{f}");
    }
    println!("\nby construct:");
    for (k, (p, n)) in &by {
        println!("  {k:22} {p:3}/{n:3}  {:.0}%", 100.0 * *p as f64 / *n as f64);
    }
    let rate = passed as f64 / cases.len() as f64;
    let prec = if n_got > 0 { tp as f64 / n_got as f64 } else { 0.0 };
    let rec = if n_exp > 0 { tp as f64 / n_exp as f64 } else { 0.0 };
    println!(
        "\nsentences: {passed}/{} passed ({:.1}%); events: precision {prec:.3} recall {rec:.3}",
        cases.len(),
        rate * 100.0
    );
    const FLOOR: f64 = 0.935;
    assert!(rate >= FLOOR, "sentence pass rate {rate:.3} is below the floor {FLOOR}");
}
