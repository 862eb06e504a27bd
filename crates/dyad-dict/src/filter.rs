//! Word filters: setting aside, before trying them, the rules a sentence cannot match.
//!
//! A rule matches only where each of its literals is found in the sentence, so a rule with a
//! literal none of whose alternatives can occur need not be tried at all. This matters for
//! imported dictionaries: Phoenix gives a common verb up to 180 rules, most about words (often
//! whole synsets of them, `&WEAPON` has over a hundred) that a given sentence does not contain.
//!
//! [`WordSet`] summarises a sentence's words as two bit signatures: one of whole words, and one of
//! their first bytes for the stems of imported dictionaries (`attack*`). An
//! [`EventTable`](crate::EventTable) holds every rule's literals compiled once into the bits they
//! need, so testing a rule is a few bit lookups with no string hashing. The test is one-sided: two words may share a bit, which lets a
//! rule through to be tried for nothing, but a rule that could match is never set aside.

use crate::events::{Elem, Rule, Trigger};
use dyad_text::Token;

/// Bits of a signature (one bit per word, few enough words per sentence that collisions are rare).
pub(crate) const SIG_BITS: usize = 4096;
pub(crate) const SIG_WORDS: usize = SIG_BITS / 64;
/// A stem is looked up by at most this many leading bytes: every token records its prefixes up
/// to this length, so `attack*` needs "attack" at the start of some token (the first byte alone
/// would let nearly every stem through).
const PREFIX_BYTES: usize = 6;
/// Marks a key of the prefix signature (the low bits are the bit number).
const PREFIX: u32 = 1 << 16;

/// FNV-1a, byte by byte: a token's prefixes are hashed on the way to the whole token.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
pub(crate) fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
}

/// The bit of a signature a hash sets: the top bits after a final mix, as FNV's low bits are weak.
#[inline]
pub(crate) fn sig_bit(h: u64) -> u32 {
    ((h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) >> (64 - SIG_BITS.trailing_zeros())) as u32
}

pub(crate) fn hash(b: &[u8]) -> u64 {
    b.iter().fold(FNV_OFFSET, |h, &c| fnv_step(h, c))
}

/// The signature bit a pattern word needs: a stem (`abc*`, the rest matching the start of a
/// token) its leading bytes in the prefix signature, any other word itself in the word signature.
fn key(w: &str) -> u32 {
    let b = w.as_bytes();
    match b.split_last() {
        Some((b'*', stem)) if !stem.is_empty() => PREFIX | sig_bit(hash(&stem[..stem.len().min(PREFIX_BYTES)])),
        _ => sig_bit(hash(b)),
    }
}

/// A summary of the token forms of one sentence, for setting aside rules cheaply.
pub struct WordSet {
    /// Whole token forms.
    words: [u64; SIG_WORDS],
    /// Every prefix of up to [`PREFIX_BYTES`] bytes of each token form.
    prefixes: [u64; SIG_WORDS],
}

impl WordSet {
    pub fn new(tokens: &[Token]) -> Self {
        let mut s = WordSet { words: [0; SIG_WORDS], prefixes: [0; SIG_WORDS] };
        for t in tokens {
            let mut h = FNV_OFFSET;
            for (i, &c) in t.norm.as_bytes().iter().enumerate() {
                h = fnv_step(h, c);
                if i < PREFIX_BYTES {
                    let b = sig_bit(h) as usize;
                    s.prefixes[b / 64] |= 1 << (b % 64);
                }
            }
            let b = sig_bit(h) as usize;
            s.words[b / 64] |= 1 << (b % 64);
        }
        s
    }

    #[inline]
    fn has(&self, key: u32) -> bool {
        let set = if key & PREFIX != 0 { &self.prefixes } else { &self.words };
        let b = (key & !PREFIX) as usize;
        set[b / 64] & (1 << (b % 64)) != 0
    }

    /// Whether the pattern word `w` (a stem if it ends in `*`) may match some token.
    pub fn may_have(&self, w: &str) -> bool {
        self.has(key(w))
    }

    /// Whether every literal of `rule` has an alternative whose words may all occur.
    pub fn may_match(&self, rule: &Rule) -> bool {
        rule.after.iter().chain(rule.before.iter()).all(|e| match e {
            Elem::Words(alts) => alts.iter().any(|a| a.iter().all(|w| self.may_have(w))),
            _ => true,
        })
    }
}

/// The literals of every rule of one trigger, as the signature keys [`WordSet::may_match`]
/// would compute.
///
/// Each rule is a run of literals in `code`, each literal `[length, alternatives...]`, each
/// alternative `[count, keys...]`. Literals are stored shortest first, so the ones quickest to
/// test, usually a single word, reject a rule before a long synset is read.
#[derive(Clone, Debug, Default)]
struct TriggerFilter {
    /// Rule `r` is `code[starts[r]..starts[r + 1]]`.
    starts: Vec<u32>,
    code: Vec<u32>,
}

impl TriggerFilter {
    fn new(t: &Trigger) -> Self {
        let mut f = TriggerFilter { starts: vec![0], code: Vec::new() };
        for rule in &t.rules {
            let mut literals: Vec<Vec<u32>> = rule
                .after
                .iter()
                .chain(rule.before.iter())
                .filter_map(|e| match e {
                    Elem::Words(alts) => Some(alts.iter().fold(Vec::new(), |mut lit, a| {
                        lit.push(a.len() as u32);
                        lit.extend(a.iter().map(|w| key(w)));
                        lit
                    })),
                    _ => None,
                })
                .collect();
            literals.sort_by_key(Vec::len);
            for lit in literals {
                f.code.push(lit.len() as u32);
                f.code.extend(lit);
            }
            f.starts.push(f.code.len() as u32);
        }
        f
    }

    fn may_match(&self, words: &WordSet, rule: usize) -> bool {
        let mut code = &self.code[self.starts[rule] as usize..self.starts[rule + 1] as usize];
        while let [len, rest @ ..] = code {
            let (mut lit, next) = rest.split_at(*len as usize);
            let mut found = false;
            while let [n, rest @ ..] = lit {
                let (keys, next) = rest.split_at(*n as usize);
                if keys.iter().all(|&k| words.has(k)) {
                    found = true;
                    break;
                }
                lit = next;
            }
            if !found {
                return false;
            }
            code = next;
        }
        true
    }
}

/// The compiled literals of every rule of an event table (see the module documentation).
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleFilter {
    triggers: Vec<TriggerFilter>,
}

impl RuleFilter {
    pub(crate) fn new(triggers: &[Trigger]) -> Self {
        RuleFilter { triggers: triggers.iter().map(TriggerFilter::new).collect() }
    }

    /// Append to `out`, in order, the rules of `trigger` (number `id` of the table the filter was
    /// built from) that may match a sentence with `words`. A trigger whose rules changed in
    /// number since the filter was built is tested rule by rule with [`WordSet::may_match`].
    pub(crate) fn candidates(&self, id: usize, trigger: &Trigger, words: &WordSet, out: &mut Vec<usize>) {
        match self.triggers.get(id) {
            Some(f) if f.starts.len() == trigger.rules.len() + 1 => {
                out.extend((0..trigger.rules.len()).filter(|&r| f.may_match(words, r)))
            }
            _ => out.extend(trigger.rules.iter().enumerate().filter(|(_, r)| words.may_match(r)).map(|(i, _)| i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_filter_agrees_with_words() {
        let mut t = crate::EventTable::new();
        let src = "VERB attack [190]\n  190 a.stem $ * {army|air force} +\n  190 a.word $ * with +\n  \
                   190 a.two $ * on + in +\n";
        assert!(t.load_verbs("t.verbs", src).errors.is_empty());
        // a stem, as the TABARI/PETRARCH importers write them
        t.triggers[0].rules[0].after[0] = Elem::Words(vec![vec!["army*".into()], vec!["air".into(), "force".into()]]);
        let f = RuleFilter::new(&t.triggers);
        // rule 3 is the block's default `$ * +`, with no literal
        for (text, want) in [
            ("Russia attacked the army with Ukraine", vec![0, 1, 3]),
            ("Russia attacked army units of Ukraine", vec![0, 3]),
            ("Russia attacked the air force on Monday", vec![0, 3]),
            ("Russia attacked Ukraine on Monday in Kyiv", vec![2, 3]),
            ("Russia attacked Ukraine", vec![3]),
        ] {
            let toks = dyad_text::tokenize(text);
            let words = WordSet::new(&toks);
            let mut out = Vec::new();
            f.candidates(0, &t.triggers[0], &words, &mut out);
            assert_eq!(out, want, "{text}");
            let slow: Vec<usize> =
                (0..t.triggers[0].rules.len()).filter(|&r| words.may_match(&t.triggers[0].rules[r])).collect();
            assert_eq!(out, slow, "{text}");
        }
    }
}
