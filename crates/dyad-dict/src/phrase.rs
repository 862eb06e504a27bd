//! Phrase index: longest-match lookup of multi-word phrases over a token sequence.

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
    /// Some phrase starts with a stem (see [`PhraseIndex::insert_words`]).
    stems: bool,
}

impl<V> Default for PhraseIndex<V> {
    fn default() -> Self {
        PhraseIndex { by_first: HashMap::new(), len: 0, stems: false }
    }
}

/// Whether token `t` matches the phrase word `w`: equal, or `w` is a stem `abc*` and `t` starts
/// with `abc` (the stems of TABARI and PETRARCH dictionaries: `ARNOR` matches "Arnorian").
#[inline]
fn word_matches(norm: &str, w: &str) -> bool {
    norm == w || (w.len() > 1 && w.ends_with('*') && norm.starts_with(&w[..w.len() - 1]))
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
        let list = self.by_first.entry(words[0].0.clone()).or_default();
        if list.iter().any(|e| e.words == words && e.value == value) {
            return true;
        }
        list.push(Entry { words, value });
        // longest first, so the first hit is the longest
        list.sort_by(|a, b| b.words.len().cmp(&a.words.len()));
        self.len += 1;
        true
    }

    /// Add a phrase given as already folded words with their case rules. A word ending in `*`
    /// is a stem: it matches any token that starts with the rest (`argentin*` matches
    /// "Argentina"). This is how the TABARI / PETRARCH importers fill the index.
    pub fn insert_words(&mut self, words: Vec<(String, CaseRule)>, value: V) -> bool {
        if words.is_empty() || words[0].0.is_empty() {
            return false;
        }
        if words[0].0.len() > 1 && words[0].0.ends_with('*') {
            self.stems = true;
        }
        let list = self.by_first.entry(words[0].0.clone()).or_default();
        if list.iter().any(|e| e.words == words && e.value == value) {
            return true;
        }
        list.push(Entry { words, value });
        list.sort_by(|a, b| b.words.len().cmp(&a.words.len()));
        self.len += 1;
        true
    }

    /// Every phrase (words joined by spaces, stems keep their `*`) with its value.
    pub fn entries(&self) -> impl Iterator<Item = (String, &V)> {
        self.by_first.values().flatten().map(|e| {
            (e.words.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>().join(" "), &e.value)
        })
    }

    /// All values whose phrase is exactly the longest match at `tokens[at]`, with its length in
    /// tokens. `relax_case` ignores the case rules (for all-capitals headlines).
    pub fn longest(&self, tokens: &[Token], at: usize, relax_case: bool) -> Option<(usize, Vec<&V>)> {
        let first = tokens.get(at)?;
        let exact = self.by_first.get(first.norm.as_str());
        if exact.is_none() && !self.stems {
            return None;
        }
        let mut best_len = 0;
        let mut out: Vec<&V> = Vec::new();
        // stems of the first token ("argentin*" for "argentina"), only when some phrase has one
        let mut lists: Vec<&Vec<Entry<V>>> = exact.into_iter().collect();
        if self.stems {
            let norm = first.norm.as_str();
            let mut key = String::with_capacity(norm.len() + 1);
            for (i, c) in norm.char_indices() {
                key.truncate(i);
                key.push_str(&norm[i..i + c.len_utf8()]);
                key.push('*');
                if let Some(l) = self.by_first.get(key.as_str()) {
                    lists.push(l);
                }
                key.pop();
            }
        }
        for e in lists.into_iter().flatten() {
            let n = e.words.len();
            if n < best_len {
                continue;
            }
            if at + n > tokens.len() {
                continue;
            }
            let ok = e.words.iter().enumerate().all(|(k, (w, rule))| {
                let t = &tokens[at + k];
                word_matches(&t.norm, w)
                    && (relax_case
                        || match rule {
                            CaseRule::Any => true,
                            CaseRule::Capital => t.cap,
                            CaseRule::Upper => t.upper || t.norm.chars().filter(|c| c.is_alphabetic()).count() < 2,
                        })
            });
            if ok {
                if n > best_len {
                    out.clear();
                }
                best_len = n;
                out.push(&e.value);
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
}
