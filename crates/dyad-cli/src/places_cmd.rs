//! `dyad places`: the places a text names, their readings, and why each was chosen.

use anyhow::{Context, Result};
use clap::Args;
use dyad_places::{Gazetteer, Kind, PlaceMention};
use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub struct PlacesArgs {
    /// The text to read, or `-` for standard input.
    pub text: Option<String>,
    /// One JSON object per place name instead of the readable listing.
    #[arg(long)]
    pub json: bool,
    /// Readings to show for each name.
    #[arg(long, default_value_t = 3)]
    pub candidates: usize,
    /// Print the gazetteer's size and load time and exit.
    #[arg(long)]
    pub stats: bool,
}

pub fn run(a: PlacesArgs) -> Result<ExitCode> {
    if a.stats {
        let t = Instant::now();
        let g = Gazetteer::builtin();
        let load = t.elapsed();
        let cities = g.len() - g.country_count() - g.admin1_count();
        println!(
            "gazetteer: {} countries, {} first-level regions, {} populated places, {} names; index {:.1} MB, loaded in {:.1?}",
            g.country_count(),
            g.admin1_count(),
            cities,
            g.key_count(),
            g.size_bytes() as f64 / 1e6,
            load
        );
        return Ok(ExitCode::SUCCESS);
    }
    let text = match a.text.as_deref() {
        None | Some("-") => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("reading standard input")?;
            s
        }
        Some(t) => t.to_string(),
    };
    let found = dyad_places::find_places(&text);
    for m in &found {
        if a.json {
            println!("{}", serde_json::to_string(&json(m, a.candidates))?);
        } else {
            print_mention(m, a.candidates);
        }
    }
    if !a.json && found.is_empty() {
        println!("no place names found");
    }
    Ok(ExitCode::SUCCESS)
}

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::Country => "country",
        Kind::Admin1 => "region",
        Kind::City => "city",
    }
}

fn print_mention(m: &PlaceMention, n: usize) {
    let chosen = m.chosen.map(|p| dyad_places::to_location(&p));
    println!(
        "{:?} [{}..{}] {}{}{}",
        m.text,
        m.start,
        m.end,
        m.role.as_str(),
        m.cue.as_deref().map(|c| format!(" (after {c:?})")).unwrap_or_default(),
        m.border.as_deref().map(|b| format!(" border: {b}")).unwrap_or_default()
    );
    if let (Some(l), Some(p)) = (chosen, m.chosen) {
        println!(
            "  -> {} ({}, {}) lat {:.4} lon {:.4}, GDELT type {}, feature id {}",
            l.name,
            kind(p.kind),
            p.country.iso3,
            p.lat,
            p.lon,
            l.geo_type.unwrap_or(0),
            l.feature_id.as_deref().unwrap_or("-")
        );
    }
    if m.candidates.len() > 1 {
        println!("  {} readings:", m.candidates.len());
    }
    for c in m.candidates.iter().take(n) {
        let p = c.place;
        println!(
            "    {:6.2} {} ({}, {}{}): {}",
            c.score,
            p.name,
            kind(p.kind),
            p.admin1.map(|a| format!("{}, ", a.name)).unwrap_or_default(),
            p.country.iso3,
            c.reasons.join("; ")
        );
    }
}

fn json(m: &PlaceMention, n: usize) -> serde_json::Value {
    serde_json::json!({
        "text": m.text,
        "start": m.start,
        "end": m.end,
        "role": m.role.as_str(),
        "cue": m.cue,
        "border": m.border,
        "location": m.chosen.map(|p| dyad_places::to_location(&p)),
        "candidates": m.candidates.iter().take(n).map(|c| serde_json::json!({
            "name": c.place.name,
            "kind": kind(c.place.kind),
            "country": c.place.country.iso3,
            "admin1": c.place.admin1.map(|a| a.name),
            "lat": c.place.lat,
            "lon": c.place.lon,
            "population": c.place.population,
            "score": c.score,
            "reasons": c.reasons,
        })).collect::<Vec<_>>(),
    })
}
