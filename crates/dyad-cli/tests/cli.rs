//! End-to-end tests of the `dyad` binary: real files in, events out, bad input reported.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dyad(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dyad")).args(args).output().expect("dyad runs")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("dyad-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    p.join("seeds").is_dir().then_some(p)
}

/// Codes `input` with `dyad code`, scores the events against `gold` with `dyad eval` (which the
/// dyad-eval tests check against `score_events.py`), prints the report and returns its
/// precision, F1 and date accuracy.
fn code_and_score(name: &str, input: &Path, gold: &Path) -> (f64, f64, f64) {
    let out = scratch(name).join("events.jsonl");
    let o = dyad(&["code", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = dyad(&["eval", "--gold", gold.to_str().unwrap(), "--pred", out.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&o.stdout).to_string();
    println!("{report}");
    let last = report.lines().last().unwrap();
    let num = |key: &str| -> f64 {
        let rest = &last[last.find(key).unwrap() + key.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    (num("precision "), num("F1 "), num("date-accuracy "))
}

/// The seed articles against the development gold set. The floors are the figures reached so
/// far: a change that lowers them fails here.
#[test]
fn seeds_meet_the_accuracy_floor() {
    let Some(shared) = shared() else {
        eprintln!("../shared not found: skipping the seed accuracy test");
        return;
    };
    let (_, f1, dacc) = code_and_score("seeds", &shared.join("seeds"), &shared.join("gold-dev.jsonl"));
    const F1_FLOOR: f64 = 0.80;
    const DATE_FLOOR: f64 = 0.80;
    assert!(f1 >= F1_FLOOR, "F1 {f1} below {F1_FLOOR}");
    assert!(dacc >= DATE_FLOOR, "date accuracy {dacc} below {DATE_FLOOR}");
}

/// The project's own commentary set (`testdata/commentary`: eight articles written for it, with
/// gold events). Unlike the seeds it needs nothing outside the repository. Its articles 05-08
/// are held out from development (see its README); the floors are the figures reached on the
/// whole set so far.
#[test]
fn commentary_set_meets_its_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/commentary");
    let (precision, f1, dacc) = code_and_score("commentary", &root.join("docs.jsonl"), &root.join("gold.jsonl"));
    const PRECISION_FLOOR: f64 = 0.95;
    const F1_FLOOR: f64 = 0.70;
    const DATE_FLOOR: f64 = 0.62;
    assert!(precision >= PRECISION_FLOOR, "precision {precision} below {PRECISION_FLOOR}");
    assert!(f1 >= F1_FLOOR, "F1 {f1} below {F1_FLOOR}");
    assert!(dacc >= DATE_FLOOR, "date accuracy {dacc} below {DATE_FLOOR}");
}

#[test]
fn bad_inputs_are_reported_and_the_run_goes_on() {
    let dir = scratch("bad");
    std::fs::write(dir.join("a_good.txt"), "Armenian Prime Minister Nikol Pashinyan visited Türkiye on June 20, 2025.")
        .unwrap();
    std::fs::write(dir.join("b_empty.txt"), "   \n").unwrap();
    std::fs::write(dir.join("c_binary.txt"), [0u8, 1, 2, 3, 0, 255, 0]).unwrap();
    std::fs::write(dir.join("d_latin1.txt"), b"Azerbaijan and Armenia signed an agreement in the caf\xe9.").unwrap();
    std::fs::write(
        dir.join("e_docs.jsonl"),
        "{\"id\":\"j1\",\"text\":\"Iran condemned Israel.\"}\n{not json\n{\"id\":\"j3\",\"body\":\"no text field\"}\n{\"id\":\"j4\",\"text\":\"Russia attacked Ukraine.\"}\n",
    )
    .unwrap();
    let out = dir.join("out.jsonl");
    let o = dyad(&["code", dir.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "exit status says something was skipped; stderr: {err}");
    assert!(err.contains("b_empty.txt") && err.contains("empty"), "{err}");
    assert!(err.contains("c_binary.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("d_latin1.txt") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("e_docs.jsonl:2"), "{err}");
    assert!(err.contains("e_docs.jsonl:3"), "{err}");
    let events = std::fs::read_to_string(&out).unwrap();
    let docs: Vec<String> = events
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["doc_id"].as_str().unwrap().to_string())
        .collect();
    for want in ["a_good", "d_latin1", "j1", "j4"] {
        assert!(docs.iter().any(|d| d == want), "no event from {want}: {docs:?}");
    }
}

#[test]
fn a_huge_single_line_file_is_coded_without_trouble() {
    let dir = scratch("huge");
    let sentence = "Azerbaijan and Türkiye signed an agreement. ";
    let text = sentence.repeat(2_000_000 / sentence.len() + 1);
    std::fs::write(dir.join("big.txt"), &text).unwrap();
    let out = dir.join("out.jsonl");
    let o = dyad(&["code", dir.join("big.txt").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let n = std::fs::read_to_string(&out).unwrap().lines().count();
    assert!(n > 1000, "{n} events");
}

#[test]
fn stdin_tsv_and_explain() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
        .args(["code", "-", "--format", "tsv", "--doc-date", "2024-03-10"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"Iran's foreign minister visited Baku yesterday.").unwrap();
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("event_id\tdoc_id"), "{header}");
    let row: Vec<&str> = lines.next().expect("one event").split('\t').collect();
    assert_eq!(row.len(), header.split('\t').count());
    assert!(row.contains(&"2024-03-09"), "{row:?}");

    let o = dyad(&["code", "--explain", "Russia and Iran signed a memorandum of understanding in May 2023."]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("actor:") && out.contains("EVENT"), "{out}");
}

#[test]
fn eval_and_unknown_actors() {
    let dir = scratch("eval");
    std::fs::write(
        dir.join("docs.jsonl"),
        "{\"id\":\"d1\",\"text\":\"Azerbaijan's Energy Minister Parviz Zarbaliyev met Iran's Energy Minister Abbas Tavakoli in Baku.\"}\n",
    )
    .unwrap();
    let ev = dir.join("ev.jsonl");
    let o = dyad(&["code", dir.join("docs.jsonl").to_str().unwrap(), "-o", ev.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = dyad(&["actors", "--unknown", ev.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Parviz Zarbaliyev") && out.contains("Abbas Tavakoli"), "{out}");
    std::fs::write(dir.join("gold.jsonl"), "{\"doc\":\"d1\",\"a\":\"AZE\",\"b\":\"IRN\",\"roots\":[\"04\"],\"sym\":true,\"date\":null,\"note\":\"meeting\"}\n").unwrap();
    let o = dyad(&["eval", "--gold", dir.join("gold.jsonl").to_str().unwrap(), "--pred", ev.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("F1 1.000"), "{out}");
}

/// A reader that stops early ("dyad code corpus/ | head") ends the run quietly: no error
/// message, no panic, the process ended by SIGPIPE as cat or grep would be.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/south-caucasus.jsonl");
    for args in
        [vec!["code", corpus.to_str().unwrap()], vec!["places", "Summits were held in Baku, Gabala and Shusha."]]
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dyad"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dyad runs");
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // the pipe is closed here, when the reader is dropped
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{args:?}: {err}");
        assert!(out.status.success() || out.status.signal() == Some(libc::SIGPIPE), "{args:?}: {:?}", out.status);
    }
}
