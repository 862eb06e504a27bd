//! TABARI verb patterns: reading `- SAID $ * TO + [102]` and matching it around a verb.
//!
//! A pattern is split at its verb `*` into an *upper* part (the elements before the verb,
//! matched from the verb leftwards) and a *lower* part (after the verb, matched rightwards).
//! Each literal word is looked for in its direction, skipping other words, unless it is
//! *connected* (`_`) to the element matched before it: then it must be the very next word.
//! `$`, `+`, `^` and `%` each take the next actor in their direction (`%` only a compound
//! actor); `^` takes it only to skip it. `{ A | B C }` tries each alternative in order;
//! `&NAME` is the alternatives of a synset, whose members may be phrases with their own
//! connectors and synsets.
//!
//! A word is a stem unless it ends in `_` (the word exactly) — `~` keeps a connected word a
//! stem (`REAL~_PLEASANT` matches "really pleasant"). Pattern words take no regular endings.

use super::words::{word_matches, DictWord, End, Endings};
use std::collections::BTreeMap;

/// What one pattern element matches.
#[derive(Clone, Debug, PartialEq)]
pub enum PKind {
    Word(DictWord),
    /// Alternatives; `synset` when they come from an `&NAME`.
    Alt {
        alts: Vec<Vec<PEl>>,
        synset: bool,
    },
    Verb,
    Source,
    Target,
    Compound,
    Skip,
}

/// One pattern element. `joined`: the next element must follow it with nothing between (in
/// the upper part, once reversed: this element must come right before the one matched before it).
#[derive(Clone, Debug, PartialEq)]
pub struct PEl {
    pub kind: PKind,
    pub joined: bool,
}

/// A pattern ready to match: the upper part reversed (nearest the verb first).
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub upper: Vec<PEl>,
    /// The element just before the verb is connected to it (`IN_*`).
    pub upper_anchor: bool,
    pub lower: Vec<PEl>,
    /// The verb is connected to the element after it (`*_TALKS`).
    pub lower_anchor: bool,
}

const MAX_SYNSET_DEPTH: usize = 6;

/// Read a pattern body (the text between `-` and the `[code]`), expanding synsets.
pub fn parse(s: &str, synsets: &BTreeMap<String, Vec<String>>) -> Result<Vec<PEl>, String> {
    parse_depth(s, synsets, 0)
}

fn parse_depth(s: &str, synsets: &BTreeMap<String, Vec<String>>, depth: usize) -> Result<Vec<PEl>, String> {
    if depth > MAX_SYNSET_DEPTH {
        return Err("synsets nested too deeply (a synset that contains itself?)".into());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<PEl> = Vec::new();
    let mut i = 0;
    let is_word_char = |c: char| !c.is_whitespace() && !"_-{}|*$+%^&=~]".contains(c);
    while i < chars.len() {
        let c = chars[i];
        let follows = chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        match c {
            c if c.is_whitespace() => i += 1,
            '_' | '-' => {
                // a connector after a non-word element (`*_TALKS`, `}_CONVENTIONS`, `&SET_X`)
                if let Some(last) = out.last_mut() {
                    last.joined |= follows;
                }
                i += 1;
            }
            '*' | '$' | '+' | '%' | '^' => {
                let kind = match c {
                    '*' => PKind::Verb,
                    '$' => PKind::Source,
                    '+' => PKind::Target,
                    '%' => PKind::Compound,
                    _ => PKind::Skip,
                };
                out.push(PEl { kind, joined: false });
                i += 1;
            }
            '{' => {
                let mut depth_b = 0;
                let mut j = i;
                let mut close = None;
                while j < chars.len() {
                    match chars[j] {
                        '{' => depth_b += 1,
                        '}' | ']' => {
                            depth_b -= 1;
                            if depth_b == 0 {
                                close = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                let close = close.ok_or("unclosed `{`")?;
                let inner: String = chars[i + 1..close].iter().collect();
                let mut alts = Vec::new();
                for a in inner.split('|') {
                    let e = parse_depth(a, synsets, depth)?;
                    if e.is_empty() {
                        return Err("empty alternative in `{ | }`".into());
                    }
                    alts.push(e);
                }
                out.push(PEl { kind: PKind::Alt { alts, synset: false }, joined: false });
                i = close + 1;
            }
            '&' => {
                let mut j = i + 1;
                while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '-') {
                    j += 1;
                }
                let raw: String = chars[i..j].iter().collect();
                let name = (2..=raw.len())
                    .rev()
                    .filter(|&k| raw.is_char_boundary(k))
                    .map(|k| &raw[..k])
                    .find(|n| synsets.contains_key(*n))
                    .ok_or_else(|| format!("unknown synset {raw}"))?;
                let mut alts = Vec::new();
                for m in &synsets[name] {
                    let e = parse_depth(m, synsets, depth + 1)?;
                    if !e.is_empty() {
                        alts.push(e);
                    }
                }
                if alts.is_empty() {
                    return Err(format!("synset {name} has no members"));
                }
                out.push(PEl { kind: PKind::Alt { alts, synset: true }, joined: false });
                i += name.chars().count();
            }
            '}' | '|' | ']' => return Err(format!("unbalanced `{c}`")),
            '=' | '~' => i += 1,
            _ => {
                let mut j = i;
                while j < chars.len() && is_word_char(chars[j]) {
                    j += 1;
                }
                let text: String = chars[i..j].iter().flat_map(|c| c.to_uppercase()).collect();
                let mut end = End::Stem;
                let mut locked = false;
                if chars.get(j) == Some(&'~') {
                    locked = true;
                    j += 1;
                } else if chars.get(j) == Some(&'=') {
                    end = End::Exact;
                    j += 1;
                }
                let mut joined = false;
                if matches!(chars.get(j), Some('_') | Some('-')) {
                    if !locked && end == End::Stem {
                        end = End::Whole;
                    }
                    joined = chars.get(j + 1).is_some_and(|n| !n.is_whitespace());
                    j += 1;
                }
                out.push(PEl { kind: PKind::Word(DictWord { text, end, joined: false }), joined });
                i = j;
            }
        }
    }
    Ok(out)
}

/// Reverse a sequence for matching leftwards: `joined` moves to the element that must be
/// adjacent to the one matched before it.
fn reverse(els: &[PEl]) -> Vec<PEl> {
    let n = els.len();
    (0..n)
        .map(|j| {
            let e = &els[n - 1 - j];
            let kind = match &e.kind {
                PKind::Alt { alts, synset } => {
                    PKind::Alt { alts: alts.iter().map(|a| reverse(a)).collect(), synset: *synset }
                }
                k => k.clone(),
            };
            let joined = if j + 1 < n { els[n - 2 - j].joined } else { false };
            PEl { kind, joined }
        })
        .collect()
}

/// Split a parsed pattern at its verb. `None` when it has no top-level `*`.
pub fn split(els: Vec<PEl>) -> Option<Split> {
    let v = els.iter().position(|e| e.kind == PKind::Verb)?;
    let lower_anchor = els[v].joined;
    let upper_anchor = v > 0 && els[v - 1].joined;
    let upper = reverse(&els[..v]);
    let lower = els[v + 1..].to_vec();
    Some(Split { upper, upper_anchor, lower, lower_anchor })
}

/// What a pattern match bound: actor units (indexes into the sentence's units) and how much
/// of the pattern was matched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bind {
    pub source: Option<usize>,
    pub target: Option<usize>,
    pub compound: Option<usize>,
    /// Every unit a slot took (`$`, `+`, `%`, `^`).
    pub used: Vec<usize>,
    /// Literal words matched.
    pub words: usize,
    /// Synsets used (a synset match ranks below a literal one of the same length).
    pub synsets: usize,
    /// Characters of the literal words matched (the last tie-break: `RESISTANCE TO THE
    /// INVADING` over `RESIST TO THE END`).
    pub chars: usize,
}

impl Bind {
    /// The rank of a match: more elements matched wins, then fewer synsets, then more
    /// characters; a tie goes to the pattern written first.
    pub fn score(&self) -> (usize, std::cmp::Reverse<usize>, usize) {
        (self.words + self.used.len(), std::cmp::Reverse(self.synsets), self.chars)
    }
}

/// The words of a clause and its actor units, as a pattern sees them.
pub struct Scene<'a> {
    pub words: &'a [&'a str],
    /// Token → actor unit.
    pub unit_of: &'a [Option<usize>],
    /// Unit → (first token, last token).
    pub spans: &'a [(usize, usize)],
    /// Unit → whether it is a compound (several actors).
    pub compound: &'a [bool],
    /// The clause: tokens `lo..hi`.
    pub lo: usize,
    pub hi: usize,
}

enum Cont<'p, 'c> {
    Done,
    Then(&'p [PEl], bool, &'c Cont<'p, 'c>),
}

impl Scene<'_> {
    fn inside(&self, p: isize) -> bool {
        p >= self.lo as isize && p < self.hi as isize
    }

    /// Match `p` around the verb occupying tokens `first..=last`.
    pub fn try_match(&self, p: &Split, first: usize, last: usize) -> Option<Bind> {
        let mut b = Bind::default();
        if !self.go(&p.upper, &Cont::Done, first as isize - 1, p.upper_anchor, -1, &mut b) {
            return None;
        }
        if !self.go(&p.lower, &Cont::Done, last as isize + 1, p.lower_anchor, 1, &mut b) {
            return None;
        }
        Some(b)
    }

    fn go(&self, els: &[PEl], k: &Cont, pos: isize, anch: bool, dir: isize, b: &mut Bind) -> bool {
        let Some((e, rest)) = els.split_first() else {
            return match k {
                Cont::Done => true,
                Cont::Then(next, join, kk) => self.go(next, kk, pos, anch || *join, dir, b),
            };
        };
        match &e.kind {
            PKind::Word(w) => {
                let mut p = pos;
                while self.inside(p) {
                    if word_matches(w, self.words[p as usize], true, Endings::None) {
                        b.words += 1;
                        b.chars += w.text.len();
                        if self.go(rest, k, p + dir, e.joined, dir, b) {
                            return true;
                        }
                        b.words -= 1;
                        b.chars -= w.text.len();
                    }
                    if anch {
                        break;
                    }
                    p += dir;
                }
                false
            }
            PKind::Alt { alts, synset } => {
                for a in alts {
                    let snap = b.clone();
                    if *synset {
                        b.synsets += 1;
                    }
                    let kk = Cont::Then(rest, e.joined, k);
                    if self.go(a, &kk, pos, anch, dir, b) {
                        return true;
                    }
                    *b = snap;
                }
                false
            }
            PKind::Verb => false,
            slot => {
                let mut p = pos;
                while self.inside(p) {
                    if let Some(u) = self.unit_of[p as usize] {
                        if !b.used.contains(&u) {
                            if *slot == PKind::Compound && !self.compound[u] {
                                return false;
                            }
                            let (f, l) = self.spans[u];
                            let next = if dir > 0 { l as isize + 1 } else { f as isize - 1 };
                            let snap = b.clone();
                            b.used.push(u);
                            match slot {
                                PKind::Source => b.source = Some(u),
                                PKind::Target => b.target = Some(u),
                                PKind::Compound => b.compound = Some(u),
                                _ => {}
                            }
                            if self.go(rest, k, next, e.joined, dir, b) {
                                return true;
                            }
                            *b = snap;
                            return false;
                        }
                    }
                    if anch {
                        break;
                    }
                    p += dir;
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene_match(pattern: &str, text: &[&str], verb: usize, units: &[(usize, usize)]) -> Option<Bind> {
        let syn = BTreeMap::from([("&CUR".to_string(), vec!["DOLLAR".to_string(), "SWISS_FRANC".to_string()])]);
        let sp = split(parse(pattern, &syn).unwrap()).unwrap();
        let mut unit_of = vec![None; text.len()];
        for (u, &(f, l)) in units.iter().enumerate() {
            for x in unit_of.iter_mut().take(l + 1).skip(f) {
                *x = Some(u);
            }
        }
        let compound = vec![false; units.len()];
        let s = Scene { words: text, unit_of: &unit_of, spans: units, compound: &compound, lo: 0, hi: text.len() };
        s.try_match(&sp, verb, verb)
    }

    #[test]
    fn connected_words_must_be_adjacent() {
        let t = ["GOLLUM", "WAS", "IN", "ON", "ACCORD"];
        assert!(scene_match("IN_*", &t, 4, &[(0, 0)]).is_none());
        assert!(scene_match("IN_ *", &t, 4, &[(0, 0)]).is_some());
        let t = ["GOLLUM", "WAS", "IN", "ACCORD"];
        assert!(scene_match("IN_*", &t, 3, &[(0, 0)]).is_some());
    }

    #[test]
    fn slots_take_the_nearest_actor() {
        // SAID $ * : "X said he regretted Y"
        let t = ["GONDOR", "SAID", "HE", "REGRETTED", "ERIADOR"];
        let b = scene_match("SAID $ *", &t, 3, &[(0, 0), (2, 2), (4, 4)]).unwrap();
        assert_eq!(b.source, Some(1));
        let b = scene_match("+ * FROM $", &["ITH", "FREED", "FROM", "MOR"], 1, &[(0, 0), (3, 3)]).unwrap();
        assert_eq!((b.target, b.source), (Some(0), Some(1)));
    }

    #[test]
    fn synsets_and_alternatives() {
        let t = ["ARNOR", "CONTRIBUTE", "A", "MILLION", "SWISS", "FRANCS"];
        let b = scene_match("* &CUR", &t, 1, &[(0, 0)]).unwrap();
        assert_eq!((b.words, b.synsets), (2, 1));
        let t = ["X", "DEMAND", "INTERNATIONAL", "SHRINERS", "CONVENTIONS"];
        assert!(scene_match("* { GENEVA_ | INTERNATIONAL_ }_CONVENTIONS", &t, 1, &[]).is_none());
        let t = ["X", "DEMAND", "INTERNATIONAL", "CONVENTIONS"];
        assert!(scene_match("* { GENEVA_ | INTERNATIONAL_ }_CONVENTIONS", &t, 1, &[]).is_some());
    }
}
