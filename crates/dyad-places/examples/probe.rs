//! Prints the places `dyad_places::find_places` finds in each argument, with their candidates.
fn main() {
    let t = std::time::Instant::now();
    let g = dyad_places::Gazetteer::builtin();
    eprintln!("load {:?}, {} places, {} keys, {} bytes", t.elapsed(), g.len(), g.key_count(), g.size_bytes());
    for text in std::env::args().skip(1) {
        println!("## {text}");
        for m in dyad_places::find_places(&text) {
            println!("  {:?} role={} cue={:?} border={:?}", m.text, m.role.as_str(), m.cue, m.border);
            for c in m.candidates.iter().take(4) {
                let p = c.place;
                println!(
                    "     {:.2} {} [{:?}] {} {} ({:.3},{:.3}) {}",
                    c.score,
                    p.name,
                    p.kind,
                    p.country.iso3,
                    p.admin1.map(|a| a.name).unwrap_or("-"),
                    p.lat,
                    p.lon,
                    c.reasons.join("; ")
                );
            }
        }
    }
}
