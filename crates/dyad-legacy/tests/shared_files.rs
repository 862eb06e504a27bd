//! Every line of every file in `../shared/dictionaries` parses or is reported with a reason.

use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/dictionaries");
    if p.is_dir() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("{} is missing (CI is set: the shared dictionaries are required)", p.display());
    } else {
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

/// The lines each file may not take, with the reason, pinned: a new loss fails the test.
#[test]
fn every_shared_file_parses_with_explained_losses() {
    let Some(dir) = shared() else { return };
    let mut total = 0;
    let mut report = Vec::new();
    for sub in ["tabari", "phoenix"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(sub)).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if name == "LICENSE" {
                continue;
            }
            let c = dyad_legacy::check_file(&f);
            assert!(c.kind.is_some(), "{name}: kind not recognised");
            assert!(c.entries > 0, "{name}: nothing read");
            total += c.entries;
            for e in &c.errors {
                assert!(e.line.is_some(), "{name}: error without a line: {e}");
                report.push(format!("{name}:{}: {}", e.line.unwrap(), e.reason));
            }
        }
    }
    for r in &report {
        eprintln!("{r}");
    }
    assert!(total > 15_000, "read only {total} entries");
    assert_eq!(report.len(), EXPECTED_LOSSES, "unexpected number of reported lines:\n{}", report.join("\n"));
}

// 238: `~~FINISH` ends an actors file (it was read as an actor with no code before)
const EXPECTED_LOSSES: usize = 238;
