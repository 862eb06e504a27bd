//! The CAMEO event code table.
//!
//! dyad codes events in CAMEO (Conflict and Mediation Event Observations). Every code carries
//! facts that downstream users want next to it: a label, the Goldstein conflict–cooperation
//! value (−10 … +10), GDELT's QuadClass, and the PLOVER event type and mode. Those facts live in
//! the data file `dictionaries/cameo.tsv`, embedded here at compile time and parsed once.
//!
//! ```
//! let info = dyad_cameo::lookup("057").unwrap();
//! assert_eq!(info.goldstein, 8.0);
//! assert_eq!(info.quad_class, 1);
//! assert_eq!(info.plover_type, Some("SUPPORT"));
//! assert_eq!(dyad_cameo::root_of("0311"), "03");
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// The embedded table, one line per code (see `docs/dictionaries.md`).
pub const CAMEO_TSV: &str = include_str!("../../../dictionaries/cameo.tsv");

/// Everything dyad knows about one CAMEO code.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub label: &'static str,
    pub goldstein: f64,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// PLOVER event type; `None` for CAMEO 01 (public statements), which PLOVER does not code.
    pub plover_type: Option<&'static str>,
    pub plover_mode: Option<&'static str>,
    pub plover_context: Option<&'static str>,
}

fn non_empty(s: &'static str) -> Option<&'static str> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn table() -> &'static HashMap<&'static str, CodeInfo> {
    static TABLE: OnceLock<HashMap<&'static str, CodeInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for line in CAMEO_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            // The file is part of the build; a malformed line is a bug caught by the tests below.
            let get = |i: usize| f.get(i).copied().unwrap_or("");
            let info = CodeInfo {
                code: get(0),
                label: get(1),
                goldstein: get(2).trim().parse().unwrap_or(0.0),
                quad_class: get(3).trim().parse().unwrap_or(0),
                plover_type: non_empty(get(4)),
                plover_mode: non_empty(get(5)),
                plover_context: non_empty(get(6)),
            };
            map.insert(info.code, info);
        }
        map
    })
}

/// Facts for a CAMEO code (`"057"`, `"0311"`, or a root like `"05"`).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    table().get(code)
}

/// Whether `code` is a CAMEO code dyad knows.
pub fn is_valid(code: &str) -> bool {
    table().contains_key(code)
}

/// The two-digit root of a code: `"0311"` → `"03"`.
pub fn root_of(code: &str) -> &str {
    code.get(..2).unwrap_or(code)
}

/// QuadClass from a root, as GDELT assigns it: 01–05 → 1, 06–09 → 2, 10–14 → 3, 15–20 → 4.
pub fn quad_class_of_root(root: &str) -> u8 {
    match root.parse::<u8>().unwrap_or(0) {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        15..=20 => 4,
        _ => 0,
    }
}

/// All codes in the table, sorted.
pub fn all_codes() -> Vec<&'static str> {
    let mut v: Vec<_> = table().keys().copied().collect();
    v.sort_unstable();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_parses_and_quad_matches_root() {
        let codes = all_codes();
        assert!(codes.len() > 300, "{} codes", codes.len());
        for c in codes {
            let i = lookup(c).unwrap();
            assert!(!i.label.is_empty(), "{c} has no label");
            assert_eq!(i.quad_class, quad_class_of_root(root_of(c)), "{c}");
            assert!((-10.0..=10.0).contains(&i.goldstein), "{c}");
            if root_of(c) != "01" {
                assert!(i.plover_type.is_some(), "{c} has no PLOVER type");
            }
        }
    }

    #[test]
    fn all_twenty_roots_present() {
        for r in 1..=20 {
            assert!(is_valid(&format!("{r:02}")));
        }
        assert_eq!(lookup("190").unwrap().goldstein, -10.0);
        assert_eq!(lookup("042").unwrap().plover_mode, Some("visit"));
    }
}
