//! Dictionary words, text words, and how TABARI matches one against the other.
//!
//! A dictionary phrase is a list of words. How a word ends decides what it matches:
//!
//! | written | [`End`] | matches |
//! | --- | --- | --- |
//! | `ARNOR` | `Stem` | any word that starts with it ("Arnorian") |
//! | `LIBYA_` | `Whole` | the word itself, or with a regular ending ("Libyas", "Libya's"; verbs "departs", "departed", "departing") |
//! | `BAN=` | `Exact` | the word itself only |
//! | `REAL~_` | `Stem` | `~` keeps a connected word a stem ("really") |
//!
//! `_` between two words *connects* them: nothing may stand between them in the text
//! (`AL_GORE`). Words separated by a space may have other words between them (`DURTHANG ORC`
//! matches "Durthang and an Orc"). A hyphen inside a word connects its parts (`BARAD-DUR`), as it
//! does in the text ("Barad-dur" is read as the connected words BARAD DUR).

/// How a dictionary word ends, which decides what it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// No mark: a stem, matching any word that starts with it.
    Stem,
    /// `_`: the whole word, with regular endings when it is the last word of a phrase.
    Whole,
    /// `=`: the word exactly.
    Exact,
}

/// One word of a dictionary phrase or pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictWord {
    /// Upper case.
    pub text: String,
    pub end: End,
    /// Connected to the next word (or pattern element): nothing may stand between them.
    pub joined: bool,
}

/// The regular endings a `Whole` word accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endings {
    /// Actors, agents, nouns: `S`, `ES`, `'S`, `'`, `S'`.
    Noun,
    /// Verbs: `S`, `ES`, `ED`, `EN`, `ING` (`D`, `N` and `-E+ING` after a final `E`).
    Verb,
    /// Pattern words: no endings.
    None,
}

/// Split a dictionary phrase (`AL_GORE`, `PRINCE DOL_AMROTH`, `MOUSE=`, `BARAD-DUR`,
/// `REAL~_PLEASANT`) into words.
pub fn parse_phrase(s: &str) -> Vec<DictWord> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut stem_forced = false;
    let mut flush = |cur: &mut String, end: End, joined: bool, forced: &mut bool| {
        if !cur.is_empty() {
            let end = if *forced { End::Stem } else { end };
            out.push(DictWord { text: std::mem::take(cur), end, joined });
        }
        *forced = false;
    };
    for (i, &c) in chars.iter().enumerate() {
        let word_follows = chars.get(i + 1).is_some_and(|n| !n.is_whitespace());
        match c {
            c if c.is_whitespace() => flush(&mut cur, End::Stem, false, &mut stem_forced),
            '_' | '-' => flush(&mut cur, End::Whole, word_follows, &mut stem_forced),
            '=' => flush(&mut cur, End::Exact, false, &mut stem_forced),
            '~' => stem_forced = true,
            c => cur.extend(c.to_uppercase()),
        }
    }
    flush(&mut cur, End::Stem, false, &mut stem_forced);
    out
}

/// Whether dictionary word `w` matches text word `tok` (upper case). `last` says whether `w`
/// ends its phrase: only a last word takes regular endings.
pub fn word_matches(w: &DictWord, tok: &str, last: bool, endings: Endings) -> bool {
    match w.end {
        End::Stem => tok.starts_with(w.text.as_str()),
        End::Exact => tok == w.text,
        End::Whole => tok == w.text || (last && has_ending(tok, &w.text, endings)),
    }
}

/// Whether `tok` is `base` plus one of the regular endings of `kind`.
pub fn has_ending(tok: &str, base: &str, kind: Endings) -> bool {
    if let Some(rest) = tok.strip_prefix(base) {
        return match kind {
            Endings::Noun => matches!(rest, "S" | "ES" | "'S" | "'" | "S'"),
            Endings::Verb => {
                matches!(rest, "S" | "ES" | "ED" | "EN" | "ING") || (base.ends_with('E') && matches!(rest, "D" | "N"))
            }
            Endings::None => false,
        };
    }
    // DEPLORE → DEPLORING
    kind == Endings::Verb
        && base.len() > 2
        && base.ends_with('E')
        && tok.strip_prefix(&base[..base.len() - 1]).is_some_and(|r| r == "ING")
}

/// One word of a text, upper-cased, or a comma.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tok {
    pub text: String,
    /// Written with an initial capital.
    pub cap: bool,
    /// The first word of the text.
    pub first: bool,
    pub comma: bool,
    /// The position in the text as written: once subordinate clauses are deleted, words that
    /// were apart in the text are still not adjacent (for connected phrases and agents).
    pub orig: usize,
    /// Byte offsets in the text.
    pub start: usize,
    pub end: usize,
}

impl Tok {
    fn word(text: String, cap: bool, start: usize, end: usize) -> Tok {
        Tok { text, cap, first: false, comma: false, orig: 0, start, end }
    }

    /// Whether `next` stood right after this word in the text.
    pub fn before(&self, next: &Tok) -> bool {
        next.orig == self.orig + 1
    }
}

/// Split a text into TABARI's words: upper case, commas kept as words of their own (except in
/// numbers: "50,000"), periods kept inside abbreviations and numbers ("U.S.", "11.8"),
/// apostrophes kept inside words ("Gondor's", "didn't"), hyphens and underscores splitting
/// words, other punctuation dropped.
pub fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out: Vec<Tok> = Vec::new();
    let mut cur = String::new();
    let mut cap = false;
    let mut start = 0;
    let push = |cur: &mut String, cap: bool, start: usize, end: usize, out: &mut Vec<Tok>| {
        let w = cur.trim_end_matches('.');
        let keep_dot = cur.ends_with('.') && w.contains('.');
        let w = if keep_dot { cur.as_str() } else { w };
        if !w.is_empty() {
            out.push(Tok::word(w.to_string(), cap, start, end));
        }
        cur.clear();
    };
    for (i, &(at, c)) in chars.iter().enumerate() {
        let prev = if i > 0 { chars[i - 1].1 } else { ' ' };
        let next = chars.get(i + 1).map_or(' ', |x| x.1);
        let after = at + c.len_utf8();
        if c.is_alphanumeric() {
            if cur.is_empty() {
                cap = c.is_uppercase();
                start = at;
            }
            cur.extend(c.to_uppercase());
        } else if c == ',' && prev.is_ascii_digit() && next.is_ascii_digit() && !cur.is_empty() {
            cur.push(',');
        } else if c == ',' {
            push(&mut cur, cap, start, at, &mut out);
            out.push(Tok { text: ",".into(), cap: false, first: false, comma: true, orig: 0, start: at, end: after });
        } else if c == '.' && !cur.is_empty() {
            cur.push('.');
            if !next.is_alphanumeric() {
                let end = if cur.trim_end_matches('.').contains('.') { after } else { at };
                push(&mut cur, cap, start, end, &mut out);
            }
        } else if (c == '\'' || c == '\u{2019}') && !cur.is_empty() {
            cur.push('\'');
        } else {
            push(&mut cur, cap, start, at, &mut out);
        }
    }
    push(&mut cur, cap, start, text.len(), &mut out);
    if let Some(t) = out.iter_mut().find(|t| !t.comma) {
        t.first = true;
    }
    for (i, t) in out.iter_mut().enumerate() {
        t.orig = i;
    }
    out
}

/// Whether `aligned` holds `code` at a multiple of three characters: an agent code already in
/// an actor's code is not added again (`USAGOV` + `GOV` = `USAGOV`, but `GMWGOV` + `WGO` =
/// `GMWGOVWGO`).
pub fn aligned_contains(aligned: &str, code: &str) -> bool {
    if code.is_empty() {
        return true;
    }
    (0..aligned.len()).step_by(3).any(|k| aligned.get(k..k + code.len()) == Some(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_split_into_words_with_their_ends() {
        let w = parse_phrase("PRINCE DOL_AMROTH");
        assert_eq!(w.len(), 3);
        assert_eq!((w[0].end, w[0].joined), (End::Stem, false));
        assert_eq!((w[1].end, w[1].joined), (End::Whole, true));
        assert_eq!((w[2].end, w[2].joined), (End::Stem, false));
        assert_eq!(parse_phrase("MOUSE=")[0].end, End::Exact);
        let r = parse_phrase("REAL~_PLEASANT");
        assert_eq!((r[0].text.as_str(), r[0].end, r[0].joined), ("REAL", End::Stem, true));
        assert_eq!(parse_phrase("BARAD-DUR").len(), 2);
    }

    #[test]
    fn endings_follow_the_word_class() {
        let depart = &parse_phrase("DEPART_")[0];
        for ok in ["DEPART", "DEPARTS", "DEPARTED", "DEPARTING", "DEPARTEN", "DEPARTES"] {
            assert!(word_matches(depart, ok, true, Endings::Verb), "{ok}");
        }
        for bad in ["DEPARTX", "DEPARTINK", "DEPART'S"] {
            assert!(!word_matches(depart, bad, true, Endings::Verb), "{bad}");
        }
        let deplore = &parse_phrase("DEPLORE_")[0];
        assert!(word_matches(deplore, "DEPLORED", true, Endings::Verb));
        assert!(!word_matches(deplore, "DEPLOREZ", true, Endings::Verb));
        let libya = &parse_phrase("LIBYA_")[0];
        assert!(word_matches(libya, "LIBYA'S", true, Endings::Noun));
        assert!(!word_matches(libya, "LIBYAQ", true, Endings::Noun));
        assert!(word_matches(&parse_phrase("ARNOR")[0], "ARNORIAN", true, Endings::Noun));
        assert!(!word_matches(&parse_phrase("BAN=")[0], "BANING", true, Endings::Verb));
    }

    #[test]
    fn text_is_split_like_tabari() {
        let t: Vec<String> =
            tokenize("The U.S. sent 50,000 tonnes, Gondor's al-Raya didn't.").into_iter().map(|t| t.text).collect();
        assert_eq!(t, ["THE", "U.S.", "SENT", "50,000", "TONNES", ",", "GONDOR'S", "AL", "RAYA", "DIDN'T"]);
        let text = "Arnor's envoy, U.S. envoy.";
        let spans: Vec<&str> = tokenize(text).iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(spans, ["Arnor's", "envoy", ",", "U.S.", "envoy"]);
    }

    #[test]
    fn agent_codes_are_not_repeated() {
        assert!(aligned_contains("USAGOV", "GOV"));
        assert!(aligned_contains("HGWGOVMED", "GOVMED"));
        assert!(!aligned_contains("GMWGOV", "WGO"));
    }
}
