//! The text stage: from a raw document to sentences of tokens, every token tied to its place in
//! the original text.
//!
//! dyad never rewrites the text it codes. Normalisation happens on a *copy* of each token (its
//! [`Token::norm`] form: lower case, diacritics removed, curly quotes straightened), so that
//! "Türkiye", "Turkiye" and "TÜRKIYE" all match the dictionary entry `turkiye`, while every token
//! keeps the byte span `[start, end)` of its original spelling. Character offsets for output are
//! computed from byte offsets with a [`CharIndex`].
//!
//! ```
//! let doc = dyad_text::analyze("Dr. Aliyev met Erdoğan in Ankara. The U.S. welcomed it.");
//! assert_eq!(doc.sentences.len(), 2);
//! let first = &doc.sentences[0];
//! let words: Vec<&str> = doc.tokens[first.tokens.clone()].iter().map(|t| t.norm.as_str()).collect();
//! assert_eq!(words, ["dr", ".", "aliyev", "met", "erdogan", "in", "ankara", "."]);
//! ```
//!
//! # Sentence boundaries
//! A sentence ends at `.`, `!`, `?` or `…` followed by a capitalised word, a digit, a quote or the
//! end of the text — unless the word before the period is a known abbreviation ("Dr.", "Gen.",
//! "Jan.", "U.S.") or a single-letter initial ("J. Biden"). A blank line always ends a sentence and
//! a paragraph; a single line break ends them when the next line starts a new thought (a capital
//! letter after terminal punctuation, or after a short heading line), and is read as a soft wrap
//! when the next line continues in lower case.

use std::ops::Range;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// One token of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    /// Folded form used for matching: lower case, no diacritics, straight quotes.
    pub norm: String,
    pub kind: TokenKind,
    /// First letter is upper case in the original.
    pub cap: bool,
    /// Every letter is upper case in the original (and there are at least two).
    pub upper: bool,
}

/// A sentence: a run of tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    /// Byte offsets of the sentence in the original text.
    pub start: usize,
    pub end: usize,
    /// Index of the paragraph the sentence belongs to (0-based).
    pub paragraph: usize,
    /// The sentence's tokens, as a range into [`Analysis::tokens`].
    pub tokens: Range<usize>,
}

/// A document split into tokens and sentences.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dr", "mr", "mrs", "ms", "prof", "gen", "col", "lt", "sgt", "capt", "cpt", "maj", "adm", "cmdr", "gov", "sen",
    "rep", "amb", "pres", "st", "mt", "jr", "sr", "rev", "hon", "messrs", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp", "dept", "est",
    "approx", "fig", "vol", "art", "para", "cf", "al",
];

/// Fold one string for matching: lower case, diacritics stripped, quotes straightened.
///
/// ```
/// assert_eq!(dyad_text::fold("Türkiye"), "turkiye");
/// assert_eq!(dyad_text::fold("Kahramanmaraş"), "kahramanmaras");
/// assert_eq!(dyad_text::fold("Gəncə"), "gence");
/// assert_eq!(dyad_text::fold("’s"), "'s");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] into an existing buffer (appends).
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        for b in s.bytes() {
            out.push(b.to_ascii_lowercase() as char);
        }
        return;
    }
    for c in s.chars() {
        fold_char(c, out);
    }
}

fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => out.push('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => out.push('-'),
        'ə' | 'Ə' => out.push('e'),
        'ı' | 'İ' => out.push('i'),
        'ø' | 'Ø' => out.push('o'),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ß' => out.push_str("ss"),
        'đ' | 'Đ' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'þ' | 'Þ' => out.push_str("th"),
        _ => {
            let mut any = false;
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    any = true;
                    for l in d.to_lowercase() {
                        out.push(l);
                    }
                }
            });
            if !any {
                out.push(c);
            }
        }
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}')
}

/// Split `text` into tokens. Offsets are byte offsets into `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let bytes = text.as_bytes();
    let mut i = 0;
    let n = text.len();
    let char_at = |i: usize| text[i..].chars().next().unwrap_or('\0');
    while i < n {
        let c = char_at(i);
        let cl = c.len_utf8();
        if is_space(c) {
            i += cl;
            continue;
        }
        if c.is_alphabetic() {
            // A word: letters, digits, marks; internal apostrophes; initialisms like U.S.
            let start = i;
            let mut j = i;
            let mut segment_len = 0usize; // letters since the last period (for initialisms)
            let mut initialism = true;
            while j < n {
                let d = char_at(j);
                if d.is_alphanumeric() || is_combining_mark(d) {
                    segment_len += 1;
                    j += d.len_utf8();
                } else if d == '.' && segment_len == 1 && initialism {
                    // "U.S." / "J.": continue only if a single letter follows then a period.
                    let k = j + 1;
                    let next = if k < n { char_at(k) } else { '\0' };
                    let after = if k < n { text[k..].chars().nth(1).unwrap_or('\0') } else { '\0' };
                    if next.is_alphabetic() && after == '.' {
                        j = k;
                        segment_len = 0;
                    } else if j > start + 1 && text[start..j].contains('.') {
                        // last period of an initialism: "U.S." keeps its final period
                        j += 1;
                        break;
                    } else {
                        break;
                    }
                } else if is_apostrophe(d) {
                    // split "'s" and "n't"; keep O'Brien together
                    let k = j + d.len_utf8();
                    let next = if k < n { char_at(k) } else { '\0' };
                    if (next == 's' || next == 'S')
                        && !text[k + 1..].chars().next().is_some_and(|x| x.is_alphanumeric())
                    {
                        break;
                    }
                    if next.is_alphabetic() && segment_len > 0 {
                        // "n't": split before the n
                        if (next == 't' || next == 'T') && text[start..j].to_ascii_lowercase().ends_with('n') {
                            j -= 1;
                            break;
                        }
                        j = k;
                        initialism = false;
                    } else {
                        break;
                    }
                } else {
                    break;
                }
                if segment_len > 1 {
                    initialism = false;
                }
            }
            push(text, &mut tokens, start, j, TokenKind::Word);
            i = j;
            // "n't" token
            if i < n && (bytes[i] == b'n' || bytes[i] == b'N') {
                let rest = &text[i..];
                let mut it = rest.char_indices();
                it.next();
                if let Some((_, a)) = it.next() {
                    if is_apostrophe(a) {
                        let end = i + 1 + a.len_utf8() + 1;
                        if end <= n {
                            push(text, &mut tokens, i, end, TokenKind::Word);
                            i = end;
                        }
                    }
                }
            }
            continue;
        }
        if is_apostrophe(c) {
            let k = i + cl;
            if k < n
                && (bytes[k] == b's' || bytes[k] == b'S')
                && !text[k + 1..].chars().next().is_some_and(|x| x.is_alphanumeric())
            {
                push(text, &mut tokens, i, k + 1, TokenKind::Word);
                i = k + 1;
                continue;
            }
            push(text, &mut tokens, i, k, TokenKind::Punct);
            i = k;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            let mut j = i;
            while j < n {
                let b = bytes[j];
                // a digit, or a separator with a digit after it (1,000 / 3.5 / 10:30 / 24/7)
                let separator = matches!(b, b',' | b'.' | b':' | b'/') && j + 1 < n && bytes[j + 1].is_ascii_digit();
                if !(b.is_ascii_digit() || separator) {
                    break;
                }
                j += 1;
            }
            // ordinals and units glued to numbers: 2nd, 9th, 44th, 10km stay one token
            while j < n && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            push(text, &mut tokens, start, j, TokenKind::Number);
            i = j;
            continue;
        }
        let kind = TokenKind::Punct;
        if c == '.' && text[i..].starts_with("...") {
            push(text, &mut tokens, i, i + 3, kind);
            i += 3;
            continue;
        }
        if is_dash(c) {
            push(text, &mut tokens, i, i + cl, kind);
            i += cl;
            continue;
        }
        push(text, &mut tokens, i, i + cl, kind);
        i += cl;
    }
    tokens
}

fn push(text: &str, tokens: &mut Vec<Token>, start: usize, end: usize, kind: TokenKind) {
    let s = &text[start..end];
    let mut norm = String::with_capacity(s.len());
    fold_into(s, &mut norm);
    if kind == TokenKind::Word && norm.ends_with('.') && norm.len() > 2 {
        // "u.s." matches as "u.s."; keep as is
    }
    let mut letters = 0;
    let mut uppers = 0;
    let mut cap = false;
    for (k, ch) in s.chars().enumerate() {
        if ch.is_alphabetic() {
            letters += 1;
            if ch.is_uppercase() {
                uppers += 1;
                if k == 0 {
                    cap = true;
                }
            }
        }
    }
    tokens.push(Token { start, end, norm, kind, cap, upper: letters >= 2 && uppers == letters });
}

fn is_terminal(t: &Token) -> bool {
    matches!(t.norm.as_str(), "." | "!" | "?" | "..." | "\u{2026}")
}

fn is_closer(t: &Token) -> bool {
    matches!(t.norm.as_str(), "\"" | "'" | ")" | "]")
}

fn starts_new(t: &Token) -> bool {
    t.cap || t.kind == TokenKind::Number || matches!(t.norm.as_str(), "\"" | "'" | "(" | "[" | "-")
}

/// Count of line breaks in `s`, and whether it contains a blank line.
fn line_breaks(s: &str) -> (usize, bool) {
    let mut n = 0;
    let mut blank = false;
    let mut only_space_since_nl = false;
    for c in s.chars() {
        if c == '\n' {
            if n > 0 && only_space_since_nl {
                blank = true;
            }
            n += 1;
            only_space_since_nl = true;
        } else if !c.is_whitespace() {
            only_space_since_nl = false;
        }
    }
    (n, blank)
}

/// Tokenise `text` and split it into sentences and paragraphs.
pub fn analyze(text: &str) -> Analysis {
    let tokens = tokenize(text);
    let mut sentences = Vec::new();
    let mut paragraph = 0usize;
    let mut s_start = 0usize; // token index
    let n = tokens.len();
    let mut i = 0;
    while i < n {
        let t = &tokens[i];
        let mut boundary = false;
        let mut new_para = false;
        let mut end_tok = i + 1; // exclusive end of the sentence if boundary
        if is_terminal(t) {
            // absorb closing quotes / brackets
            let mut j = i + 1;
            while j < n && is_closer(&tokens[j]) && tokens[j].start == tokens[j - 1].end {
                j += 1;
            }
            end_tok = j;
            let next = tokens.get(j);
            let prev = if i > 0 { tokens.get(i - 1) } else { None };
            let numeric_abbrev = |p: &Token| matches!(p.norm.as_str(), "no" | "nos" | "art" | "fig" | "vol" | "para");
            let abbrev = t.norm == "."
                && j == i + 1
                && prev.is_some_and(|p| {
                    if numeric_abbrev(p) {
                        return p.end == t.start && next.is_some_and(|nx| nx.kind == TokenKind::Number);
                    }
                    p.end == t.start
                        && (ABBREVIATIONS.contains(&p.norm.as_str())
                            || (p.kind == TokenKind::Word && p.norm.chars().count() == 1 && p.cap))
                });
            boundary = match next {
                None => true,
                Some(nx) => {
                    let (nl, blank) = line_breaks(&text[tokens[j - 1].end..nx.start]);
                    if nl > 0 {
                        new_para = true;
                        let _ = blank;
                        true
                    } else {
                        !abbrev && starts_new(nx)
                    }
                }
            };
            if !boundary {
                i += 1;
                continue;
            }
        } else if let Some(nx) = tokens.get(i + 1) {
            let (nl, blank) = line_breaks(&text[t.end..nx.start]);
            if nl > 0 && (blank || starts_new(nx)) {
                boundary = true;
                new_para = true;
            }
        } else {
            boundary = true;
        }
        if boundary {
            if end_tok > s_start {
                sentences.push(Sentence {
                    start: tokens[s_start].start,
                    end: tokens[end_tok - 1].end,
                    paragraph,
                    tokens: s_start..end_tok,
                });
            }
            s_start = end_tok;
            if new_para {
                paragraph += 1;
            }
            i = end_tok;
            continue;
        }
        i += 1;
    }
    if s_start < n {
        sentences.push(Sentence {
            start: tokens[s_start].start,
            end: tokens[n - 1].end,
            paragraph,
            tokens: s_start..n,
        });
    }
    Analysis { tokens, sentences }
}

/// Maps byte offsets to character offsets in one text, in O(1) amortised per lookup.
///
/// ```
/// let text = "Türkiye and Azerbaijan";
/// let idx = dyad_text::CharIndex::new(text);
/// assert_eq!(idx.char_offset(text.find("and").unwrap()), 8);
/// ```
pub struct CharIndex<'a> {
    text: &'a str,
    ascii: bool,
    /// Character count at every 64th byte.
    checkpoints: Vec<u32>,
}

impl<'a> CharIndex<'a> {
    const STEP: usize = 64;

    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            let bytes = text.as_bytes();
            let mut count = 0u32;
            for (i, &b) in bytes.iter().enumerate() {
                if i % Self::STEP == 0 {
                    checkpoints.push(count);
                }
                if (b & 0xC0) != 0x80 {
                    count += 1;
                }
            }
        }
        CharIndex { text, ascii, checkpoints }
    }

    /// The character offset of byte offset `byte` (which must be on a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let byte = byte.min(self.text.len());
        let k = byte / Self::STEP;
        let base = k * Self::STEP;
        let mut count = self.checkpoints.get(k).copied().unwrap_or(0) as usize;
        for &b in &self.text.as_bytes()[base..byte] {
            if (b & 0xC0) != 0x80 {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(text: &str) -> Vec<String> {
        let a = analyze(text);
        a.sentences.iter().map(|s| text[s.start..s.end].to_string()).collect()
    }

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        assert_eq!(
            sents("Dr. Kamran Balayev met Gen. Hasanov on Jan. 5. They talked."),
            ["Dr. Kamran Balayev met Gen. Hasanov on Jan. 5.", "They talked."]
        );
        assert_eq!(sents("J. Biden spoke. The U.S. Senate agreed."), ["J. Biden spoke.", "The U.S. Senate agreed."]);
        assert_eq!(sents("He said \"No.\" Then he left."), ["He said \"No.\"", "Then he left."]);
        assert_eq!(
            sents("It cost $45.5 million. Iran paid 1,000 dollars."),
            ["It cost $45.5 million.", "Iran paid 1,000 dollars."]
        );
    }

    #[test]
    fn newlines_headings_and_wraps() {
        let t = "Armenia-Azerbaijan Peace Deal\nOne of the successes is the deal.\n\nNext paragraph here.";
        assert_eq!(
            sents(t),
            ["Armenia-Azerbaijan Peace Deal", "One of the successes is the deal.", "Next paragraph here."]
        );
        let a = analyze(t);
        assert_eq!(a.sentences.iter().map(|s| s.paragraph).collect::<Vec<_>>(), [0, 1, 2]);
        let wrapped = "Azerbaijan and Iran signed a long agreement on transport and energy cooperation that will\nconnect the two countries.";
        assert_eq!(sents(wrapped).len(), 1);
    }

    #[test]
    fn tokens_split_possessives_hyphens_and_keep_offsets() {
        let text = "Azerbaijan’s hosting of the Iran-Israel talks didn't fail.";
        let toks = tokenize(text);
        let n: Vec<&str> = toks.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(
            n,
            ["azerbaijan", "'s", "hosting", "of", "the", "iran", "-", "israel", "talks", "did", "n't", "fail", "."]
        );
        for t in &toks {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        assert_eq!(&text[toks[1].start..toks[1].end], "’s");
    }

    #[test]
    fn unicode_folding() {
        assert_eq!(
            norms("Türkiye TURKIYE Şuşa Gəncə Kahramanmaraş"),
            ["turkiye", "turkiye", "susa", "gence", "kahramanmaras"]
        );
        assert_eq!(norms("“gold reserve”"), ["\"", "gold", "reserve", "\""]);
        let nb = "Azerbaijan\u{a0}and\u{202f}Iran";
        assert_eq!(norms(nb), ["azerbaijan", "and", "iran"]);
    }

    #[test]
    fn numbers_and_dates_stay_whole() {
        assert_eq!(
            norms("On 15.06.2021 and 2nd October, 1,000 troops"),
            ["on", "15.06.2021", "and", "2nd", "october", ",", "1,000", "troops"]
        );
        assert_eq!(norms("the U.S. and U.K."), ["the", "u.s.", "and", "u.k."]);
    }

    #[test]
    fn char_index_matches_char_count() {
        let text = "Erdoğan lauded Türkiye’s ally — Azerbaijan.";
        let idx = CharIndex::new(text);
        for (b, _) in text.char_indices() {
            assert_eq!(idx.char_offset(b), text[..b].chars().count());
        }
        assert_eq!(idx.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in ["", " ", ".", "'", "’s", "n't", "U.", "...", "\u{0301}abc", "a'", "1.", "x\n\n\n", "\0\0"] {
            let _ = analyze(t);
        }
    }
}
