use dyad_eval::{load_gold, load_predictions, score, EvalError, GoldEvent, PredEvent};
use serde_json::{json, Value};

fn gold(v: Value) -> GoldEvent {
    serde_json::from_value(v).unwrap()
}

fn pred(doc: &str, a: &str, b: &str, cameo: &str, date: Option<&str>) -> PredEvent {
    PredEvent::from_value(&json!({
        "doc_id": doc, "source": {"country": a}, "target": {"country": b}, "cameo": cameo, "date": date
    }))
    .unwrap()
}

#[test]
fn exact_match_and_wrong_root() {
    let g = [gold(json!({"doc": "d", "a": "USA", "b": "RUS", "roots": ["11"], "note": "criticised"}))];
    let r = score(&g, &[pred("d", "USA", "RUS", "112", None)]);
    assert_eq!((r.matched, r.n_gold, r.n_clusters), (1, 1, 1));
    assert_eq!((r.precision, r.recall, r.f1), (1.0, 1.0, 1.0));
    let r = score(&g, &[pred("d", "USA", "RUS", "190", None)]);
    assert_eq!(r.matched, 0);
    assert_eq!(r.missed, ["criticised"]);
    assert_eq!(r.extra, [("d".into(), "USA".into(), "RUS".into(), "19".into(), "".into())]);
    assert_eq!(
        r.to_string(),
        "missed: criticised\nextra: d USA RUS 19 \nevents: gold 1, predicted clusters 1, matched 0\n\
         precision 0.000 recall 0.000 F1 0.000 date-accuracy 0.000 (0/0)\n"
    );
}

#[test]
fn symmetric_gold_accepts_reversal() {
    let g = [gold(json!({"doc": "d", "a": "AZE", "b": "ARM", "roots": ["08"], "sym": true, "note": "n"}))];
    assert_eq!(score(&g, &[pred("d", "ARM", "AZE", "081", None)]).matched, 1);
    let g = [gold(json!({"doc": "d", "a": "AZE", "b": "ARM", "roots": ["08"], "note": "n"}))];
    let r = score(&g, &[pred("d", "ARM", "AZE", "081", None)]);
    assert_eq!(r.matched, 0, "08 is not a symmetric root and the line is not sym");
    assert_eq!(r.extra.len(), 1);
}

#[test]
fn sym_roots_reverse_for_non_sym_gold() {
    for root in ["03", "04", "05", "06", "19", "20"] {
        let g = [gold(json!({"doc": "d", "a": "USA", "b": "UKR", "roots": [root], "note": "n"}))];
        let r = score(&g, &[pred("d", "UKR", "USA", &format!("{root}1"), None)]);
        assert_eq!(r.matched, 1, "root {root}");
    }
}

#[test]
fn dated_gold_prefers_cluster_on_compatible_date() {
    // Two gold events of the same pair; only the second has a date. The cluster on the
    // right date must go to the dated one even though the undated one comes first in the file.
    let g = [
        gold(json!({"doc": "d", "a": "AZE", "b": "TUR", "roots": ["04"], "note": "undated"})),
        gold(json!({"doc": "d", "a": "AZE", "b": "TUR", "roots": ["04"], "date": "--06-15", "note": "dated"})),
    ];
    let p = [pred("d", "AZE", "TUR", "040", Some("2021-06-15")), pred("d", "AZE", "TUR", "040", None)];
    let r = score(&g, &p);
    assert_eq!(r.matched, 2);
    assert_eq!((r.date_hits, r.n_dated, r.date_accuracy), (1, 1, 1.0));
    // Clusters sort "" before "2021-06-15": without the date pass the undated cluster would be
    // taken by the dated gold line. With only a wrong-dated cluster the dated line still matches
    // in the second pass, but scores no date hit.
    let r = score(&g[1..], &[pred("d", "AZE", "TUR", "040", Some("2021-07-15"))]);
    assert_eq!((r.matched, r.date_hits), (1, 0));
    // Dated gold lines are also tried first: "missed" lists them first.
    let r = score(&g, &[]);
    assert_eq!(r.missed, ["dated", "undated"]);
}

#[test]
fn leftover_cluster_fitting_gold_is_not_extra() {
    let g = [gold(json!({"doc": "d", "a": "RUS", "b": "UKR", "roots": ["19", "18"], "note": "war"}))];
    let p = [
        pred("d", "RUS", "UKR", "190", Some("2022")),
        pred("d", "RUS", "UKR", "190", Some("2022-02-24")),
        pred("d", "RUS", "UKR", "183", None),
        pred("d", "RUS", "UKR", "190", Some("2022")), // same cluster again
    ];
    let r = score(&g, &p);
    assert_eq!((r.matched, r.n_clusters), (1, 3));
    assert!(r.extra.is_empty());
    assert_eq!(r.precision, 1.0);
}

#[test]
fn negated_and_hypothetical_skipped() {
    let base = json!({"doc_id": "d", "source": {"country": "USA"}, "target": {"country": "RUS"}, "cameo": "112"});
    for flag in ["negated", "hypothetical"] {
        let mut v = base.clone();
        v[flag] = json!(true);
        assert!(PredEvent::from_value(&v).is_none(), "{flag}");
        v[flag] = json!(false);
        assert!(PredEvent::from_value(&v).is_some(), "{flag} false");
    }
}

#[test]
fn prediction_keys_roots_and_skips() {
    let p =
        PredEvent::from_value(&json!({"doc": "d", "doc_id": "", "source": {"country": "", "org": "eu", "code": "X"},
        "target": {"code": "usagov"}, "root": "", "cameo": "0431", "date": "2024-01-01"}))
        .unwrap();
    assert_eq!(
        p,
        PredEvent {
            doc: "d".into(),
            a: "EU".into(),
            b: "USAGOV".into(),
            root: "04".into(),
            date: Some("2024-01-01".into())
        }
    );
    // same key both sides, missing target, no doc: dropped
    assert!(PredEvent::from_value(
        &json!({"doc": "d", "source": {"country": "USA"}, "target": {"code": "usa"}, "cameo": "01"})
    )
    .is_none());
    assert!(PredEvent::from_value(&json!({"doc": "d", "source": {"country": "USA"}, "target": null, "cameo": "01"}))
        .is_none());
    assert!(PredEvent::from_value(&json!({"source": {"country": "USA"}, "target": {"country": "RUS"}, "cameo": "01"}))
        .is_none());
}

#[test]
fn other_docs_are_ignored() {
    let g = [gold(json!({"doc": "d", "a": "USA", "b": "RUS", "roots": ["11"], "note": "n"}))];
    let r = score(&g, &[pred("d", "USA", "RUS", "112", None), pred("other", "CHN", "JPN", "190", None)]);
    assert_eq!((r.matched, r.n_clusters, r.extra.len()), (1, 1, 0));
}

#[test]
fn optional_and_date_only_lines() {
    let g = [
        gold(json!({"doc": "d", "a": "USA", "b": "RUS", "roots": ["11"], "note": "required"})),
        gold(
            json!({"doc": "d", "a": "FRA", "b": "RUS", "roots": ["11"], "optional": true, "date": "2024", "note": "opt"}),
        ),
        gold(
            json!({"doc": "d", "a": "DEU", "b": "RUS", "roots": ["11"], "date_only": true, "date": "2024-03", "note": "date only"}),
        ),
    ];
    // Only the required line is needed for full recall; the optional and date-only lines are
    // not errors when coded, and the date-only line counts towards date accuracy.
    let r = score(&g, &[pred("d", "USA", "RUS", "112", None)]);
    assert_eq!((r.n_gold, r.matched, r.recall, r.precision), (1, 1, 1.0, 1.0));
    assert_eq!((r.date_hits, r.n_dated), (0, 1));
    let p = [
        pred("d", "USA", "RUS", "112", None),
        pred("d", "FRA", "RUS", "112", Some("2024-01-01")),
        pred("d", "DEU", "RUS", "112", Some("2024-03-09")),
    ];
    let r = score(&g, &p);
    assert_eq!((r.n_gold, r.matched, r.extra.len(), r.f1), (1, 1, 0, 1.0));
    assert_eq!((r.date_hits, r.n_dated, r.date_accuracy), (1, 1, 1.0));
    assert!(r.missed.is_empty());
}

#[test]
fn report_format() {
    let g = [
        gold(json!({"doc": "d", "a": "A", "b": "B", "roots": ["01"], "date": "2020", "note": "one"})),
        gold(json!({"doc": "d", "a": "A", "b": "C", "roots": ["01"], "note": "two"})),
        gold(json!({"doc": "d", "a": "A", "b": "D", "roots": ["01"], "note": "three"})),
    ];
    let p = [pred("d", "A", "B", "01", Some("2020-05-05")), pred("d", "A", "E", "01", Some("2020"))];
    let r = score(&g, &p);
    assert_eq!(
        r.to_string(),
        "missed: two\nmissed: three\nextra: d A E 01 2020\nevents: gold 3, predicted clusters 2, matched 1\n\
         precision 0.500 recall 0.333 F1 0.400 date-accuracy 1.000 (1/1)\n"
    );
}

#[test]
fn loaders_report_file_and_line() {
    let dir = std::env::temp_dir().join(format!("dyad-eval-loaders-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let gp = dir.join("gold.jsonl");
    std::fs::write(&gp, "{\"doc\":\"d\",\"a\":\"A\",\"b\":\"B\",\"roots\":[\"01\"],\"sym\":null,\"note\":\"n\"}\n\n")
        .unwrap();
    let g = load_gold(&gp).unwrap();
    assert_eq!(g.len(), 1);
    assert!(!g[0].sym);
    let pp = dir.join("pred.jsonl");
    std::fs::write(
        &pp,
        "{\"doc_id\":\"d\",\"source\":{\"country\":\"A\"},\"target\":{\"country\":\"B\"},\"cameo\":\"010\"}\n\n{oops\n",
    )
    .unwrap();
    let err = load_predictions(&pp).unwrap_err();
    assert!(matches!(err, EvalError::Json { line: 3, .. }));
    assert!(err.to_string().starts_with(&format!("{}:3: ", pp.display())), "{err}");
    std::fs::write(&pp, "[1]\n").unwrap();
    assert!(matches!(load_predictions(&pp).unwrap_err(), EvalError::NotObject { line: 1, .. }));
    std::fs::write(&gp, "{\"doc\":\"d\"}\n").unwrap();
    assert!(matches!(load_gold(&gp).unwrap_err(), EvalError::Json { line: 1, .. }));
    assert!(matches!(load_gold(dir.join("nope")).unwrap_err(), EvalError::Io { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}
