//! Every phrase of a TABARI project in one index, and TABARI's longest-match lookup.
//!
//! At each word of a text, the phrase matching the most words wins; ties go to the phrase
//! spelling out more characters (`ATTACKED` over `ATTACK`, the noun `FORCES_` over the verb
//! `FORCE`), then to the phrase read first. Words of a phrase written apart may have other words
//! between them, though never a comma; a word already taken by an earlier phrase is skipped.

use super::words::{parse_phrase, word_matches, DictWord, Endings, Tok};
use std::collections::HashMap;

/// TABARI's markers on a code: discard the sentence, or give it up as too complex.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// `[###]`
    Discard,
    /// `[+++]`
    Complex,
}

/// What a phrase is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// An actor entry (index into the engine's actors).
    Actor(usize),
    /// An agent entry (index into the engine's agents).
    Agent(usize),
    /// A verb root (index into the engine's roots).
    Verb(usize),
    /// A word of the actors file's `<NOUN>` list.
    Noun,
    /// A word of the actors file's `<ADJECTIVE>` list.
    Adjective,
    /// A `<TIME>` phrase of the verbs file with a discard or complex marker.
    Time(Marker),
}

#[derive(Clone, Debug)]
struct Entry {
    words: Vec<DictWord>,
    sense: Sense,
    endings: Endings,
    chars: usize,
}

/// The phrase index: entries by their first word.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    first: HashMap<String, Vec<usize>>,
}

impl Lexicon {
    /// Add a phrase as written in a dictionary.
    pub fn add(&mut self, phrase: &str, sense: Sense, endings: Endings) {
        let words = parse_phrase(phrase);
        let Some(w0) = words.first() else { return };
        let chars = words.iter().map(|w| w.text.len()).sum();
        self.first.entry(w0.text.clone()).or_default().push(self.entries.len());
        self.entries.push(Entry { words, sense, endings, chars });
    }

    /// The number of phrases.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest phrase starting at word `i`: its sense and the words it covers.
    pub fn longest(&self, toks: &[Tok], i: usize, taken: &[bool]) -> Option<(Sense, Vec<usize>)> {
        let t = toks[i].text.as_str();
        // (words, characters, earliest first) of the best entry, and the words it covers
        type Rank = (usize, usize, std::cmp::Reverse<usize>);
        let mut best: Option<(Rank, Vec<usize>)> = None;
        for (k, c) in t.char_indices() {
            let Some(list) = self.first.get(&t[..k + c.len_utf8()]) else { continue };
            for &e in list {
                if let Some(covered) = self.match_entry(e, toks, i, taken) {
                    let en = &self.entries[e];
                    let key = (en.words.len(), en.chars, std::cmp::Reverse(e));
                    if best.as_ref().is_none_or(|(b, _)| key > *b) {
                        best = Some((key, covered));
                    }
                }
            }
        }
        best.map(|((_, _, std::cmp::Reverse(e)), covered)| (self.entries[e].sense, covered))
    }

    fn match_entry(&self, e: usize, toks: &[Tok], i: usize, taken: &[bool]) -> Option<Vec<usize>> {
        let en = &self.entries[e];
        let n = en.words.len();
        if !word_matches(&en.words[0], &toks[i].text, n == 1, en.endings) {
            return None;
        }
        let mut covered = vec![i];
        let mut j = i;
        for wi in 1..n {
            let w = &en.words[wi];
            let last = wi == n - 1;
            let ok = |k: usize| !toks[k].comma && !taken[k] && word_matches(w, &toks[k].text, last, en.endings);
            if en.words[wi - 1].joined {
                let k = j + 1;
                if k < toks.len() && toks[j].before(&toks[k]) && ok(k) {
                    j = k;
                } else {
                    return None;
                }
            } else {
                let mut k = j + 1;
                loop {
                    if k >= toks.len() || toks[k].comma {
                        return None;
                    }
                    if ok(k) {
                        j = k;
                        break;
                    }
                    k += 1;
                }
            }
            covered.push(j);
        }
        Some(covered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tabari::words::tokenize;

    #[test]
    fn longest_then_most_characters_then_first() {
        let mut l = Lexicon::default();
        l.add("ATTACK", Sense::Verb(0), Endings::Verb);
        l.add("ATTACKED", Sense::Verb(1), Endings::Verb);
        l.add("AL_GORE", Sense::Actor(0), Endings::Noun);
        l.add("AL GORE", Sense::Actor(1), Endings::Noun);
        l.add("ITHILEN", Sense::Actor(2), Endings::Noun);
        l.add("ITHILEN TELEVISION", Sense::Actor(3), Endings::Noun);
        let t = tokenize("planes attacked Al-Gore and Ithilen state-run television");
        let taken = vec![false; t.len()];
        assert_eq!(l.longest(&t, 1, &taken).unwrap().0, Sense::Verb(1));
        assert_eq!(l.longest(&t, 2, &taken).unwrap(), (Sense::Actor(0), vec![2, 3]));
        assert_eq!(l.longest(&t, 5, &taken).unwrap(), (Sense::Actor(3), vec![5, 8]));
        let t = tokenize("Al, Gore");
        assert_eq!(l.longest(&t, 0, &vec![false; t.len()]), None);
    }
}
