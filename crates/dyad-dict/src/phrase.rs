//! Phrase index: longest-match lookup of multi-word phrases over a token sequence.

use crate::filter::{fnv_step, hash, sig_bit, FNV_OFFSET, SIG_WORDS};
use dyad_text::{Token, TokenKind};
use std::collections::HashMap;

/// How strictly one word of a phrase must match the case of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRule {
    /// Any case ("president" matches "President").
    Any,
    /// The text's token must start with a capital ("Turkey" does not match "turkey").
    Capital,
    /// The text's token must be all capitals ("US" does not match "us").
    Upper,
}

#[derive(Clone, Debug)]
struct Entry<V> {
    words: Vec<(String, CaseRule)>,
    value: V,
    /// The case rule of the first word, and the leading bytes the second word needs in the text
    /// (see [`Head`]), kept with the entry: a lookup reads a list of entries front to back, and
    /// most fail on these without following `words` to the heap (Phoenix has 580 phrases that
    /// start with "minister").
    first_case: CaseRule,
    second: Head,
}

/// Up to the first four bytes of a dictionary word, and which of them count: a token must start
/// with them for the word to match it (a stem `abc*` needs `abc`). Comparing them is one integer
/// comparison, with no string to follow.
#[derive(Clone, Copy, Debug, Default)]
struct Head {
    bytes: u32,
    mask: u32,
}

impl Head {
    fn of(w: &str) -> Head {
        let b = w.as_bytes();
        let b = match b.split_last() {
            Some((b'*', stem)) if !stem.is_empty() => stem,
            _ => b,
        };
        let n = b.len().min(4);
        Head { bytes: head(b), mask: if n == 4 { u32::MAX } else { (1 << (8 * n)) - 1 } }
    }
}

/// The first four bytes of `b` as a number, zeros after its end.
fn head(b: &[u8]) -> u32 {
    b.iter().take(4).enumerate().fold(0, |h, (i, &c)| h | (c as u32) << (8 * i))
}

impl<V> Entry<V> {
    fn new(words: Vec<(String, CaseRule)>, value: V) -> Self {
        let first_case = words[0].1;
        let second = words.get(1).map_or(Head::default(), |(w, _)| Head::of(w));
        Entry { words, value, first_case, second }
    }
}

/// Whether token `t` satisfies a word's case rule.
#[inline]
fn case_ok(rule: CaseRule, t: &Token) -> bool {
    match rule {
        CaseRule::Any => true,
        CaseRule::Capital => t.cap,
        CaseRule::Upper => t.upper || t.norm.chars().filter(|c| c.is_alphabetic()).count() < 2,
    }
}

/// Maps phrases (sequences of folded words) to values and finds the longest phrase that starts
/// at a given token.
///
/// Phrases are tokenised with [`dyad_text::tokenize`], the same tokenizer that splits documents,
/// so a phrase written "Azerbaijan's" or "Iran-Israel" matches text spelled that way. A phrase
/// word written with a capital in the dictionary only matches capitalised text; one written in
/// capitals only matches capitals. This keeps "turkey" (the bird), "us" (the pronoun) and "may"
/// (the verb) out of the actor lists without special cases.
#[derive(Clone, Debug)]
pub struct PhraseIndex<V> {
    by_first: HashMap<String, Vec<Entry<V>>>,
    len: usize,
    /// A signature of the stems that start phrases (see [`PhraseIndex::insert_words`]), empty
    /// when none does. A token is looked up under each of its prefixes, which costs a hash map
    /// probe per character; the signature lets through only the prefixes that may be a stem
    /// (with 42,000 Phoenix actor phrases, a few hundred start with one).
    stems: Vec<u64>,
}

impl<V> Default for PhraseIndex<V> {
    fn default() -> Self {
        PhraseIndex { by_first: HashMap::new(), len: 0, stems: Vec::new() }
    }
}

/// Whether a token's folded form `norm` matches the dictionary word `w`: equal, or `w` is a stem
/// `abc*` and `norm` starts with `abc` (the stems of TABARI and PETRARCH dictionaries: `ARNOR`
/// matches "Arnorian"). Both readings need the same first byte, which settles most comparisons
/// before any string is compared.
#[inline]
pub fn word_matches(norm: &str, w: &str) -> bool {
    let (n, w) = (norm.as_bytes(), w.as_bytes());
    if n.first() != w.first() {
        return false;
    }
    n == w || (w.len() > 1 && w[w.len() - 1] == b'*' && n.starts_with(&w[..w.len() - 1]))
}

impl<V: Clone + PartialEq> PhraseIndex<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Add a phrase. `case_sensitive` turns on the capital/upper rules for this phrase; off, the
    /// phrase matches in any case. Returns false for an empty phrase.
    pub fn insert(&mut self, phrase: &str, case_sensitive: bool, value: V) -> bool {
        let words: Vec<(String, CaseRule)> = dyad_text::tokenize(phrase)
            .into_iter()
            .map(|t| {
                let rule = if !case_sensitive || t.kind != TokenKind::Word {
                    CaseRule::Any
                } else if t.upper && !t.norm.contains('.') {
                    CaseRule::Upper
                } else if t.cap {
                    CaseRule::Capital
                } else {
                    CaseRule::Any
                };
                (t.norm, rule)
            })
            .collect();
        if words.is_empty() {
            return false;
        }
        self.add(words, value);
        true
    }

    /// Add a phrase of at least one word to the list of its first word, unless it is there.
    fn add(&mut self, words: Vec<(String, CaseRule)>, value: V) {
        let list = self.by_first.entry(words[0].0.clone()).or_default();
        if list.iter().any(|e| e.words == words && e.value == value) {
            return;
        }
        // longest first, so the first hit is the longest; in insertion order among equals
        let at = list.partition_point(|e| e.words.len() >= words.len());
        list.insert(at, Entry::new(words, value));
        self.len += 1;
    }

    /// Add a phrase given as already folded words with their case rules. A word ending in `*`
    /// is a stem: it matches any token that starts with the rest (`argentin*` matches
    /// "Argentina"). This is how the TABARI / PETRARCH importers fill the index.
    pub fn insert_words(&mut self, words: Vec<(String, CaseRule)>, value: V) -> bool {
        if words.is_empty() || words[0].0.is_empty() {
            return false;
        }
        if let Some(stem) = words[0].0.strip_suffix('*').filter(|s| !s.is_empty()) {
            self.stems.resize(SIG_WORDS, 0);
            let b = sig_bit(hash(stem.as_bytes())) as usize;
            self.stems[b / 64] |= 1 << (b % 64);
        }
        self.add(words, value);
        true
    }

    /// Every phrase (words joined by spaces, stems keep their `*`) with its value.
    pub fn entries(&self) -> impl Iterator<Item = (String, &V)> {
        self.by_first
            .values()
            .flatten()
            .map(|e| (e.words.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" "), &e.value))
    }

    /// All values whose phrase is exactly the longest match at `tokens[at]`, with its length in
    /// tokens. `relax_case` ignores the case rules (for all-capitals headlines).
    pub fn longest<'a>(&'a self, tokens: &[Token], at: usize, relax_case: bool) -> Option<(usize, Vec<&'a V>)> {
        let first = tokens.get(at)?;
        let mut best_len = 0;
        let mut out: Vec<&V> = Vec::new();
        // Every phrase of a list probed below has a first word that matches `first` (the list's
        // key is the token itself, or a stem of it), so only its case rule is checked; the later
        // words are compared from the second on, first by their leading bytes.
        let second = tokens.get(at + 1).map_or(0, |t| head(t.norm.as_bytes()));
        let mut scan = |list: &'a Vec<Entry<V>>| {
            for e in list {
                let n = e.words.len();
                if n < best_len
                    || at + n > tokens.len()
                    || second & e.second.mask != e.second.bytes
                    || !(relax_case || case_ok(e.first_case, first))
                {
                    continue;
                }
                let ok = e.words.iter().enumerate().skip(1).all(|(k, (w, rule))| {
                    let t = &tokens[at + k];
                    word_matches(&t.norm, w) && (relax_case || case_ok(*rule, t))
                });
                if ok {
                    if n > best_len {
                        out.clear();
                    }
                    best_len = n;
                    out.push(&e.value);
                }
            }
        };
        if let Some(list) = self.by_first.get(first.norm.as_str()) {
            scan(list);
        }
        // stems of the first token ("argentin*" for "argentina"), shortest first, looked up only
        // where the stem signature says some phrase may start with one
        if !self.stems.is_empty() {
            let mut h = FNV_OFFSET;
            let mut key = String::new();
            for (i, &c) in first.norm.as_bytes().iter().enumerate() {
                h = fnv_step(h, c);
                let end = i + 1;
                let b = sig_bit(h) as usize;
                if self.stems[b / 64] & (1 << (b % 64)) == 0 || !first.norm.is_char_boundary(end) {
                    continue;
                }
                key.clear();
                key.push_str(&first.norm[..end]);
                key.push('*');
                if let Some(list) = self.by_first.get(key.as_str()) {
                    scan(list);
                }
            }
        }
        if best_len == 0 {
            None
        } else {
            Some((best_len, out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_and_case_rules() {
        let mut ix = PhraseIndex::new();
        ix.insert("Turkey", true, 1);
        ix.insert("US", true, 2);
        ix.insert("United States", true, 2);
        ix.insert("foreign minister", false, 3);
        ix.insert("foreign", false, 4);
        let toks = dyad_text::tokenize("the United States and Turkey ate turkey with us, the Foreign Minister");
        let at = |i| ix.longest(&toks, i, false).map(|(n, v)| (n, *v[0]));
        assert_eq!(at(1), Some((2, 2)));
        assert_eq!(at(4), Some((1, 1)));
        assert_eq!(at(6), None);
        assert_eq!(at(8), None);
        assert_eq!(at(11), Some((2, 3)));
    }

    #[test]
    fn stems_and_later_words() {
        let mut ix = PhraseIndex::new();
        let w = |ws: &[&str]| ws.iter().map(|w| (w.to_string(), CaseRule::Any)).collect::<Vec<_>>();
        ix.insert_words(w(&["argentin*"]), 1);
        ix.insert_words(w(&["argentin*", "navy*"]), 2);
        ix.insert_words(w(&["minister", "of", "defence"]), 3);
        ix.insert_words(w(&["minister", "of", "defense"]), 4);
        ix.insert_words(w(&["minister", "o"]), 5);
        let toks = dyad_text::tokenize("Argentina's minister of defense met the Argentine navy's minister of state");
        let at = |i| ix.longest(&toks, i, false).map(|(n, v)| (n, v.into_iter().copied().collect::<Vec<_>>()));
        assert_eq!(at(0), Some((1, vec![1])));
        assert_eq!(at(2), Some((3, vec![4])));
        assert_eq!(at(7), Some((2, vec![2])));
        assert_eq!(at(10), None, "\"o\" is a whole word, not a stem of \"of\"");
        assert_eq!(at(3), None);
    }
}
