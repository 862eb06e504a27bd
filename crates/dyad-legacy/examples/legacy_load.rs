//! Load-time and memory benchmark for imported dictionaries (not a test: it prints figures).
//!
//! ```text
//! cargo run --release -p dyad-legacy --example legacy_load -- ../shared/dictionaries/phoenix/PETR_config.ini
//! ```
//!
//! Prints the time to read and convert the files named by a PETRARCH2 config (or a TABARI
//! project), the number of entries, and the process's peak resident memory (Linux `VmHWM`).

use std::path::Path;
use std::time::Instant;

fn peak_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let Some(arg) = std::env::args().nth(1) else {
        eprintln!("usage: legacy_load PETR_config.ini|FILE.project");
        std::process::exit(2);
    };
    let path = Path::new(&arg);
    let before = peak_rss_kb();
    let t0 = Instant::now();
    let (legacy, errors) = if arg.ends_with(".project") {
        dyad_legacy::convert::Legacy::tabari_project(path)
    } else {
        dyad_legacy::convert::Legacy::petrarch_config(path)
    };
    let parsed = t0.elapsed();
    let mut d = dyad_dict::Dictionaries::default();
    let notes = legacy.into_dictionaries(&mut d);
    let total = t0.elapsed();
    println!(
        "parsed in {:.3} s, converted in {:.3} s, total {:.3} s",
        parsed.as_secs_f64(),
        (total - parsed).as_secs_f64(),
        total.as_secs_f64()
    );
    println!(
        "{} polities, {} people, {} roles, {} actor phrases; {} triggers, {} rules; {} unreadable lines, {} conversion notes",
        d.actors.polities.len(),
        d.actors.people.len(),
        d.actors.roles.len(),
        d.actors.index.len(),
        d.events.triggers.len(),
        d.events.rule_count(),
        errors.len(),
        notes.len()
    );
    if let (Some(b), Some(a)) = (before, peak_rss_kb()) {
        println!("peak RSS {:.1} MiB (before loading {:.1} MiB)", a as f64 / 1024.0, b as f64 / 1024.0);
    }
}
