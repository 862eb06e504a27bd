//! The gazetteer index: a byte buffer read in place, with no parsing at load.
//!
//! `build.rs` writes it; everything is little-endian:
//!
//! | section | size | content |
//! | --- | --- | --- |
//! | header | 32 | `DYPLACE1`, then six `u32`: countries, admin1 regions, places, keys, postings, string bytes |
//! | countries | 12 each | ISO alpha-2 (2 bytes), alpha-3 (3), FIPS 10-4 (2, blank if none), pad (1), place `u32` |
//! | admin1 | 8 each | place `u32`, code (string offset `u32`) |
//! | places | 28 each | GeoNames id `u32`, lat and lon `i32` (1e-5 degrees), population `u32`, name (string offset `u32`), country `u16`, admin1 `u16` (`0xFFFF`: none), kind `u8`, feature `u8`, pad (2) |
//! | keys | 12 each | key (string offset `u32`), first posting `u32`, posting count `u32`; sorted by the key's bytes |
//! | postings | 4 each | place `u32` |
//! | strings | — | each a `u16` length and UTF-8 bytes |
//!
//! A key is a name as the recognizer sees it: its tokens' folded forms
//! ([`dyad_text::fold`]: lower case, no diacritics) joined by single spaces. Lookups are binary
//! searches over the keys, so loading the index costs nothing but checking the header.

use std::fmt;
use std::sync::OnceLock;

static BUILTIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/places.bin"));

/// What kind of place a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Country,
    /// A first-level administrative region (a US state, an Azerbaijani rayon, an Iranian province).
    Admin1,
    /// A populated place.
    City,
}

/// The GeoNames feature of a populated place, as far as disambiguation cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Not a populated place (countries and regions), or an ordinary one.
    Other,
    /// A national capital (`PPLC`).
    Capital,
    /// The seat of a first-level region (`PPLA`).
    Admin1Seat,
    /// The seat of a second-level region (`PPLA2`: a province of Spain or Italy, a US county).
    Admin2Seat,
    /// The seat of a lower region (`PPLA3`–`PPLA5`).
    LowerSeat,
    /// A section of a populated place, a neighbourhood (`PPLX`).
    Section,
}

/// A country as the gazetteer knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    /// Index of the country among the gazetteer's countries.
    pub index: u16,
    pub iso2: &'static str,
    pub iso3: &'static str,
    /// FIPS 10-4 code, as GDELT's geo fields write countries; empty where FIPS has none.
    pub fips: &'static str,
}

/// A first-level region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admin1 {
    pub index: u16,
    /// The GeoNames admin1 code within its country (`"TX"`, `"09"`).
    pub code: &'static str,
    pub name: &'static str,
}

/// One place of the gazetteer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    /// Index of the place in the gazetteer.
    pub index: u32,
    /// GeoNames id of a populated place; 0 for countries and regions.
    pub geonames_id: u32,
    pub name: &'static str,
    pub kind: Kind,
    pub feature: Feature,
    pub country: Country,
    pub admin1: Option<Admin1>,
    /// GeoNames population; for countries and regions, the sum over their places of 1,000 or more.
    pub population: u32,
    /// Degrees. For countries and regions, the mean position of their populated places.
    pub lat: f64,
    pub lon: f64,
}

/// Why an index could not be read.
#[derive(Debug)]
pub struct IndexError(String);

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "gazetteer index: {}", self.0)
    }
}

impl std::error::Error for IndexError {}

const HEADER: usize = 32;
const COUNTRY: usize = 12;
const ADMIN: usize = 8;
const PLACE: usize = 28;
const KEY: usize = 12;

/// The gazetteer: countries, first-level regions and populated places, looked up by name.
pub struct Gazetteer {
    data: &'static [u8],
    n_countries: usize,
    n_admin: usize,
    n_places: usize,
    n_keys: usize,
    off_admin: usize,
    off_places: usize,
    off_keys: usize,
    off_post: usize,
    off_strings: usize,
    /// ISO alpha-2 and alpha-3 code → country index, built on first use.
    by_code: OnceLock<std::collections::HashMap<&'static str, u16>>,
    /// The countries decoded once (every place names its country).
    countries: OnceLock<Vec<Country>>,
}

impl Gazetteer {
    /// The gazetteer built into dyad (GeoNames data; see docs/places.md). Loaded once, in place.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::from_bytes(BUILTIN).expect("the built-in gazetteer index is valid"))
    }

    /// Reads an index written by this crate's build script. Only the header and section sizes are
    /// checked here; string offsets are checked when read.
    pub fn from_bytes(data: &'static [u8]) -> Result<Gazetteer, IndexError> {
        if data.len() < HEADER || &data[..8] != b"DYPLACE1" {
            return Err(IndexError("not a dyad gazetteer (bad magic)".into()));
        }
        let n = |i: usize| u32::from_le_bytes(data[8 + 4 * i..12 + 4 * i].try_into().unwrap()) as usize;
        let (n_countries, n_admin, n_places, n_keys, n_post, n_strings) = (n(0), n(1), n(2), n(3), n(4), n(5));
        let off_admin = HEADER + n_countries * COUNTRY;
        let off_places = off_admin + n_admin * ADMIN;
        let off_keys = off_places + n_places * PLACE;
        let off_post = off_keys + n_keys * KEY;
        let off_strings = off_post + n_post * 4;
        if off_strings + n_strings != data.len() {
            return Err(IndexError(format!(
                "sections add up to {} bytes, the index has {}",
                off_strings + n_strings,
                data.len()
            )));
        }
        Ok(Gazetteer {
            data,
            n_countries,
            n_admin,
            n_places,
            n_keys,
            off_admin,
            off_places,
            off_keys,
            off_post,
            off_strings,
            by_code: OnceLock::new(),
            countries: OnceLock::new(),
        })
    }

    /// Size of the index in bytes.
    pub fn size_bytes(&self) -> usize {
        self.data.len()
    }

    /// Number of places (countries and regions included).
    pub fn len(&self) -> usize {
        self.n_places
    }

    pub fn is_empty(&self) -> bool {
        self.n_places == 0
    }

    /// Number of distinct names (keys).
    pub fn key_count(&self) -> usize {
        self.n_keys
    }

    pub fn country_count(&self) -> usize {
        self.n_countries
    }

    pub fn admin1_count(&self) -> usize {
        self.n_admin
    }

    fn u32_at(&self, o: usize) -> u32 {
        u32::from_le_bytes(self.data[o..o + 4].try_into().unwrap())
    }

    fn u16_at(&self, o: usize) -> u16 {
        u16::from_le_bytes(self.data[o..o + 2].try_into().unwrap())
    }

    fn str_at(&self, off: u32) -> &'static str {
        let data: &'static [u8] = self.data;
        let o = self.off_strings + off as usize;
        let Some(len) = data.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize) else {
            return "";
        };
        data.get(o + 2..o + 2 + len).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("")
    }

    /// The `i`-th country.
    pub fn country(&self, i: u16) -> Option<Country> {
        let all = self.countries.get_or_init(|| {
            let data: &'static [u8] = self.data;
            (0..self.n_countries)
                .map(|i| {
                    let o = HEADER + i * COUNTRY;
                    let s = |a: usize, b: usize| std::str::from_utf8(&data[o + a..o + b]).unwrap_or("").trim_end();
                    Country { index: i as u16, iso2: s(0, 2), iso3: s(2, 5), fips: s(5, 7) }
                })
                .collect()
        });
        all.get(i as usize).copied()
    }

    /// A country by ISO 3166-1 alpha-2 or alpha-3 code.
    pub fn country_by_code(&self, code: &str) -> Option<Country> {
        let map = self.by_code.get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for c in (0..self.n_countries as u16).filter_map(|i| self.country(i)) {
                // the first country with a code keeps it (as the linear search did)
                m.entry(c.iso3).or_insert(c.index);
                m.entry(c.iso2).or_insert(c.index);
            }
            m.remove("");
            m
        });
        self.country(*map.get(code)?)
    }

    /// The place record of a country.
    pub fn country_place(&self, c: Country) -> Option<Place> {
        self.place(self.u32_at(HEADER + c.index as usize * COUNTRY + 8))
    }

    fn admin1(&self, i: u16) -> Option<Admin1> {
        let i = i as usize;
        if i >= self.n_admin {
            return None;
        }
        let o = self.off_admin + i * ADMIN;
        let place = self.u32_at(o);
        let name = self.str_at(self.u32_at(self.off_places + place as usize * PLACE + 16));
        Some(Admin1 { index: i as u16, code: self.str_at(self.u32_at(o + 4)), name })
    }

    /// The `i`-th place.
    pub fn place(&self, i: u32) -> Option<Place> {
        let iu = i as usize;
        if iu >= self.n_places {
            return None;
        }
        let o = self.off_places + iu * PLACE;
        let country = self.country(self.u16_at(o + 20))?;
        let a1 = self.u16_at(o + 22);
        let kind = match self.data[o + 24] {
            0 => Kind::Country,
            1 => Kind::Admin1,
            _ => Kind::City,
        };
        let feature = match self.data[o + 25] {
            1 => Feature::Capital,
            2 => Feature::Admin1Seat,
            3 => Feature::Admin2Seat,
            4 => Feature::Section,
            5 => Feature::LowerSeat,
            _ => Feature::Other,
        };
        Some(Place {
            index: i,
            geonames_id: self.u32_at(o),
            lat: self.u32_at(o + 4) as i32 as f64 / 1e5,
            lon: self.u32_at(o + 8) as i32 as f64 / 1e5,
            population: self.u32_at(o + 12),
            name: self.str_at(self.u32_at(o + 16)),
            country,
            admin1: if a1 == u16::MAX { None } else { self.admin1(a1) },
            kind,
            feature,
        })
    }

    /// The bytes of the `i`-th key. Searches compare bytes: UTF-8 order is byte order, and
    /// checking the UTF-8 of every key a binary search passes was most of a lookup's time.
    fn key_bytes(&self, i: usize) -> &'static [u8] {
        let data: &'static [u8] = self.data;
        let o = self.off_strings + self.u32_at(self.off_keys + i * KEY) as usize;
        let Some(len) = data.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize) else {
            return b"";
        };
        data.get(o + 2..o + 2 + len).unwrap_or(b"")
    }

    /// Index of the first key not less than `k`.
    fn lower_bound(&self, k: &str) -> usize {
        let (mut lo, mut hi) = (0usize, self.n_keys);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.key_bytes(mid) < k.as_bytes() {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The places a key names (a key: folded tokens joined by single spaces; see [`key_of`]).
    pub fn lookup(&self, key: &str) -> Vec<Place> {
        let i = self.lower_bound(key);
        if i >= self.n_keys || self.key_bytes(i) != key.as_bytes() {
            return Vec::new();
        }
        let o = self.off_keys + i * KEY;
        let (first, count) = (self.u32_at(o + 4) as usize, self.u32_at(o + 8) as usize);
        (first..first + count).filter_map(|p| self.place(self.u32_at(self.off_post + p * 4))).collect()
    }

    /// Whether `key` is a name, and whether some longer name starts with `key` and a space.
    pub fn probe(&self, key: &str) -> (bool, bool) {
        let i = self.lower_bound(key);
        let exact = i < self.n_keys && self.key_bytes(i) == key.as_bytes();
        // no key has a byte below ' ' after the prefix, so any "key ..." sorts right after the
        // exact key, or where the exact key would be
        let j = if exact { i + 1 } else { i };
        let longer = j < self.n_keys && {
            let k = self.key_bytes(j);
            k.len() > key.len() && k.starts_with(key.as_bytes()) && k[key.len()] == b' '
        };
        (exact, longer)
    }
}

/// The key of a name: its tokens' folded forms joined by single spaces.
///
/// ```
/// assert_eq!(dyad_places::key_of("Kahramanmaraş"), "kahramanmaras");
/// assert_eq!(dyad_places::key_of("Sant Julià de Lòria"), "sant julia de loria");
/// ```
pub fn key_of(name: &str) -> String {
    dyad_text::tokenize(name).iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ")
}
