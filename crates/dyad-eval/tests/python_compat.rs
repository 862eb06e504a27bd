//! Checks the port against the real thing: `../shared/score_events.py` and
//! `../shared/gold-dev.jsonl` (relative to the workspace). Skipped, with a note, where they
//! (or python3) are absent.

use std::path::{Path, PathBuf};
use std::process::Command;

use dyad_eval::{load_gold, load_predictions, score};
use serde_json::json;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} not found; skipping", p.display());
        None
    }
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dyad-eval-compat-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// The Python scorer's stdout, or None (with a note) where python3 or the script is missing.
fn python_score(shared: &Path, gold: &Path, pred: &Path) -> Option<String> {
    let script = shared.join("score_events.py");
    if !script.is_file() {
        eprintln!("note: {} not found; skipping the Python comparison", script.display());
        return None;
    }
    match Command::new("python3").arg(&script).arg(gold).arg(pred).output() {
        Ok(out) if out.status.success() => Some(String::from_utf8(out.stdout).unwrap()),
        Ok(out) => panic!("score_events.py failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => {
            eprintln!("note: python3 not runnable ({e}); skipping the Python comparison");
            None
        }
    }
}

#[test]
fn gold_dev_perfect_predictions_score_one() {
    let Some(shared) = shared() else { return };
    let gold_path = shared.join("gold-dev.jsonl");
    if !gold_path.is_file() {
        eprintln!("note: {} not found; skipping", gold_path.display());
        return;
    }
    let gold = load_gold(&gold_path).unwrap();
    assert!(!gold.is_empty());
    let mut lines = String::new();
    for g in &gold {
        let v = json!({
            "doc_id": g.doc, "source": {"code": g.a}, "target": {"code": g.b},
            "root": g.roots[0], "date": g.date, "negated": false, "hypothetical": false,
        });
        lines.push_str(&v.to_string());
        lines.push('\n');
    }
    let pred_path = tmp("gold-dev-perfect.jsonl");
    std::fs::write(&pred_path, lines).unwrap();
    let report = score(&gold, &load_predictions(&pred_path).unwrap());
    assert_eq!(report.f1, 1.0, "{report}");
    assert_eq!(report.date_accuracy, 1.0, "{report}");
    let ours = report.to_string();
    if let Some(py) = python_score(&shared, &gold_path, &pred_path) {
        assert_eq!(ours.lines().last(), py.lines().last());
        assert_eq!(ours, py);
    }
    let _ = std::fs::remove_file(&pred_path);
}

/// A tiny deterministic generator (no rand dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() as usize) % xs.len()]
    }
    fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

#[test]
fn random_cases_match_python_output() {
    let Some(shared) = shared() else { return };
    let docs = ["d1", "d2"];
    let actors = ["A", "B", "C", "a"];
    let roots = ["01", "04", "08", "19"];
    let gold_dates = [json!(null), json!("2024"), json!("2024-05"), json!("2024-05-06"), json!("--05-06"), json!("")];
    let pred_dates =
        [json!(null), json!("2024-05-06"), json!("2024-05-07"), json!("2023"), json!("2024-05"), json!("--05-06T1")];
    let mut rng = Lcg(42);
    let (mut compared, mut matched, mut extras) = (0, 0, 0);
    for case in 0..100 {
        let mut gold = String::new();
        for i in 0..(1 + rng.next() % 6) {
            let a = *rng.pick(&actors[..3]);
            let b = *rng.pick(&actors[..3]);
            let rs: Vec<&str> = roots.iter().copied().filter(|_| rng.chance(40)).collect();
            let rs = if rs.is_empty() { vec![*rng.pick(&roots)] } else { rs };
            let mut v = json!({"doc": rng.pick(&docs), "a": a, "b": b, "roots": rs, "date": rng.pick(&gold_dates),
                "note": format!("gold {i}")});
            if rng.chance(40) {
                v["sym"] = json!(rng.chance(70));
            }
            if rng.chance(15) {
                v["date_only"] = json!(true);
            }
            if rng.chance(15) {
                v["optional"] = json!(true);
            }
            gold.push_str(&v.to_string());
            gold.push('\n');
        }
        let gold_lines: Vec<serde_json::Value> = gold.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let mut preds = String::new();
        for _ in 0..(rng.next() % 9) {
            let mut v = if rng.chance(65) {
                // A (perturbed) copy of a gold line: often right, sometimes reversed or off.
                let g = rng.pick(&gold_lines).clone();
                let (a, b) =
                    if rng.chance(30) { (g["b"].clone(), g["a"].clone()) } else { (g["a"].clone(), g["b"].clone()) };
                let groots: Vec<serde_json::Value> = g["roots"].as_array().unwrap().clone();
                let root = if rng.chance(80) {
                    rng.pick(&groots).as_str().unwrap().to_string()
                } else {
                    rng.pick(&roots).to_string()
                };
                let date = if rng.chance(50) { g["date"].clone() } else { rng.pick(&pred_dates).clone() };
                json!({"doc": g["doc"], "source": {"code": a}, "target": {"country": b}, "root": root, "date": date})
            } else {
                json!({
                    "doc_id": *rng.pick(&["d1", "d2", "d3"]),
                    "source": {"country": rng.pick(&actors)},
                    "target": if rng.chance(90) { json!({"org": rng.pick(&actors)}) } else { json!(null) },
                    "cameo": format!("{}{}", rng.pick(&roots), rng.next() % 10),
                    "date": rng.pick(&pred_dates),
                })
            };
            if rng.chance(10) {
                v["negated"] = json!(true);
            }
            if rng.chance(10) {
                v["hypothetical"] = json!(1);
            }
            preds.push_str(&v.to_string());
            preds.push('\n');
        }
        let gp = tmp(&format!("g{case}.jsonl"));
        let pp = tmp(&format!("p{case}.jsonl"));
        std::fs::write(&gp, &gold).unwrap();
        std::fs::write(&pp, &preds).unwrap();
        let ours = score(&load_gold(&gp).unwrap(), &load_predictions(&pp).unwrap()).to_string();
        match python_score(&shared, &gp, &pp) {
            Some(py) => {
                assert_eq!(ours, py, "case {case}\ngold:\n{gold}\npreds:\n{preds}");
                compared += 1;
                matched += py.lines().last().is_some_and(|l| !l.starts_with("precision 0.000")) as usize;
                extras += py.contains("extra:") as usize;
            }
            None => break,
        }
        let _ = std::fs::remove_file(&gp);
        let _ = std::fs::remove_file(&pp);
    }
    eprintln!("{compared} random cases identical to score_events.py ({matched} with matches, {extras} with extras)");
}
