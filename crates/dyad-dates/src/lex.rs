//! The tokenizer: one pass over the bytes, producing words, numbers and punctuation.
//!
//! Everything the date rules need to know about a token is decided here, once:
//! a number's value, digit count, ordinal suffix (`15th`) and thousands grouping
//! (`1,000`); a word's keyword class ([`Lex`]) and capitalisation. The rules in
//! `rules.rs` then only compare small enums and integers.
//!
//! Non-ASCII input is handled at the byte level: the few characters that matter to
//! dates are mapped to their ASCII stand-ins (no-break and thin spaces are
//! whitespace, en/em dashes are `-`, curly apostrophes are `'`, `€ £ ¥` are `$`);
//! every other non-ASCII character is treated as a letter, so `Erdoğan` stays one
//! word and offsets always fall on character boundaries.

/// Which month word a token is, and how careful we must be with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MonthKind {
    /// `June`, `october`: unambiguous, any case.
    Full,
    /// `May`, `March`, `August`: also ordinary English words; must be capitalised.
    Ambiguous,
    /// `Jan`, `Sept`: abbreviations; must be capitalised and may take a period.
    Abbr,
}

/// Time units for relative expressions ("two *weeks* ago").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    Day,
    Week,
    Month,
    Year,
}

/// The keyword class of a word token. `Other` for ordinary words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lex {
    /// Not a word (number or punctuation), or past the end.
    NotWord,
    Other,
    Month(u32, MonthKind),
    /// Day of the week, 0 = Monday.
    Weekday(u32),
    Season,
    /// A time unit; the bool is `true` for the plural form.
    Unit(TimeUnit, bool),
    /// `one` ..= `twelve`.
    NumWord(u32),
    /// `a` / `an` (as in "a week ago").
    A,
    Today,
    Tonight,
    Yesterday,
    Tomorrow,
    Last,
    Next,
    This,
    Earlier,
    Later,
    Ago,
    In,
    On,
    Of,
    The,
    Before,
    After,
    Since,
    During,
    Early,
    Late,
    Mid,
    /// `morning`, `afternoon`, `evening` ("this morning").
    PartOfDay,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Word,
    Num,
    Punct(u8),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// Keyword class (words only).
    pub lex: Lex,
    /// First character is an ASCII capital (words only).
    pub cap: bool,
    /// Numeric value, saturating (numbers only).
    pub val: u32,
    /// Number of digits, excluding grouping commas and ordinal suffix.
    pub digits: u8,
    /// Had an ordinal suffix: `1st`, `2nd`, `15th`.
    pub ordinal: bool,
    /// Had thousands separators: `1,000`.
    pub grouped: bool,
}

enum Special {
    Space(usize),
    Punct(u8, usize),
}

/// Recognise the handful of non-ASCII characters that matter, at a lead byte.
#[inline]
fn special(b: &[u8], i: usize) -> Option<Special> {
    match b[i] {
        0xC2 => match b.get(i + 1)? {
            0xA0 => Some(Special::Space(2)),              // no-break space
            0xA3 | 0xA5 => Some(Special::Punct(b'$', 2)), // £ ¥
            0xAB | 0xBB => Some(Special::Punct(b'"', 2)), // « »
            _ => None,
        },
        0xE2 => {
            let (b1, b2) = (*b.get(i + 1)?, *b.get(i + 2)?);
            match (b1, b2) {
                (0x80, 0x80..=0x8B) | (0x80, 0xAF) => Some(Special::Space(3)), // en quad .. zero width, narrow nbsp
                (0x80, 0x90..=0x95) => Some(Special::Punct(b'-', 3)),          // hyphens, en/em dash
                (0x80, 0x98 | 0x99) => Some(Special::Punct(b'\'', 3)),         // ‘ ’
                (0x80, 0x9C | 0x9D) => Some(Special::Punct(b'"', 3)),          // “ ”
                (0x80, 0xA6) => Some(Special::Punct(b'.', 3)),                 // …
                (0x82, 0xAC) => Some(Special::Punct(b'$', 3)),                 // €
                (0x88, 0x92) => Some(Special::Punct(b'-', 3)),                 // minus sign
                _ => None,
            }
        }
        _ => None,
    }
}

#[inline]
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || c >= 0x80
}

/// Split `text` into tokens. Whitespace is dropped; adjacency is visible through offsets.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let blank = Tok {
        start: 0,
        end: 0,
        kind: Kind::Punct(0),
        lex: Lex::NotWord,
        cap: false,
        val: 0,
        digits: 0,
        ordinal: false,
        grouped: false,
    };
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c >= 0x80 {
            match special(b, i) {
                Some(Special::Space(l)) => {
                    i += l;
                    continue;
                }
                Some(Special::Punct(p, l)) => {
                    out.push(Tok { start: i, end: i + l, kind: Kind::Punct(p), ..blank });
                    i += l;
                    continue;
                }
                None => {}
            }
        }
        if c.is_ascii_digit() {
            let s = i;
            let mut val: u32 = 0;
            while i < n && b[i].is_ascii_digit() {
                val = val.saturating_mul(10).saturating_add((b[i] - b'0') as u32);
                i += 1;
            }
            let digits = (i - s).min(255) as u8;
            let mut grouped = false;
            if digits <= 3 {
                // 1,000 and 12,500,000: a comma followed by exactly three digits.
                while i + 3 < n
                    && b[i] == b','
                    && b[i + 1].is_ascii_digit()
                    && b[i + 2].is_ascii_digit()
                    && b[i + 3].is_ascii_digit()
                    && (i + 4 == n || !b[i + 4].is_ascii_digit())
                {
                    grouped = true;
                    i += 4;
                }
            }
            let mut ordinal = false;
            if !grouped && i + 1 < n {
                let (x, y) = (b[i].to_ascii_lowercase(), b[i + 1].to_ascii_lowercase());
                if matches!((x, y), (b's', b't') | (b'n', b'd') | (b'r', b'd') | (b't', b'h'))
                    && (i + 2 == n || !is_word_byte(b[i + 2]))
                {
                    ordinal = true;
                    i += 2;
                }
            }
            out.push(Tok { start: s, end: i, kind: Kind::Num, val, digits, ordinal, grouped, ..blank });
            continue;
        }
        if is_word_byte(c) {
            let s = i;
            while i < n && is_word_byte(b[i]) && !(b[i] >= 0x80 && special(b, i).is_some()) {
                i += 1;
            }
            let w = &b[s..i];
            out.push(Tok {
                start: s,
                end: i,
                kind: Kind::Word,
                lex: classify(w),
                cap: c.is_ascii_uppercase(),
                ..blank
            });
            continue;
        }
        out.push(Tok { start: i, end: i + 1, kind: Kind::Punct(c), ..blank });
        i += 1;
    }
}

/// Lower-case an ASCII word into `buf`; `None` if it is too long or not ASCII.
#[inline]
pub(crate) fn lower<'b>(w: &[u8], buf: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    if w.len() > 16 {
        return None;
    }
    for (d, &s) in buf.iter_mut().zip(w) {
        if s >= 0x80 {
            return None;
        }
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..w.len()])
}

/// The keyword class of a word.
pub(crate) fn classify(w: &[u8]) -> Lex {
    use Lex::*;
    use MonthKind::*;
    if w.len() > 9 {
        return Other;
    }
    let mut buf = [0u8; 16];
    let Some(l) = lower(w, &mut buf) else {
        return Other;
    };
    match l {
        b"january" => Month(1, Full),
        b"february" => Month(2, Full),
        b"march" => Month(3, Ambiguous),
        b"april" => Month(4, Full),
        b"may" => Month(5, Ambiguous),
        b"june" => Month(6, Full),
        b"july" => Month(7, Full),
        b"august" => Month(8, Ambiguous),
        b"september" => Month(9, Full),
        b"october" => Month(10, Full),
        b"november" => Month(11, Full),
        b"december" => Month(12, Full),
        b"jan" => Month(1, Abbr),
        b"feb" => Month(2, Abbr),
        b"mar" => Month(3, Abbr),
        b"apr" => Month(4, Abbr),
        b"jun" => Month(6, Abbr),
        b"jul" => Month(7, Abbr),
        b"aug" => Month(8, Abbr),
        b"sep" | b"sept" => Month(9, Abbr),
        b"oct" => Month(10, Abbr),
        b"nov" => Month(11, Abbr),
        b"dec" => Month(12, Abbr),
        b"monday" => Weekday(0),
        b"tuesday" => Weekday(1),
        b"wednesday" => Weekday(2),
        b"thursday" => Weekday(3),
        b"friday" => Weekday(4),
        b"saturday" => Weekday(5),
        b"sunday" => Weekday(6),
        b"spring" | b"summer" | b"fall" | b"autumn" | b"winter" => Season,
        b"day" => Unit(TimeUnit::Day, false),
        b"days" => Unit(TimeUnit::Day, true),
        b"week" => Unit(TimeUnit::Week, false),
        b"weeks" => Unit(TimeUnit::Week, true),
        b"month" => Unit(TimeUnit::Month, false),
        b"months" => Unit(TimeUnit::Month, true),
        b"year" => Unit(TimeUnit::Year, false),
        b"years" => Unit(TimeUnit::Year, true),
        b"one" => NumWord(1),
        b"two" => NumWord(2),
        b"three" => NumWord(3),
        b"four" => NumWord(4),
        b"five" => NumWord(5),
        b"six" => NumWord(6),
        b"seven" => NumWord(7),
        b"eight" => NumWord(8),
        b"nine" => NumWord(9),
        b"ten" => NumWord(10),
        b"eleven" => NumWord(11),
        b"twelve" => NumWord(12),
        b"a" | b"an" => A,
        b"today" => Today,
        b"tonight" => Tonight,
        b"yesterday" => Yesterday,
        b"tomorrow" => Tomorrow,
        b"last" => Last,
        b"next" => Next,
        b"this" => This,
        b"earlier" => Earlier,
        b"later" => Later,
        b"ago" => Ago,
        b"in" => In,
        b"on" => On,
        b"of" => Of,
        b"the" => The,
        b"before" => Before,
        b"after" => After,
        b"since" => Since,
        b"during" => During,
        b"early" => Early,
        b"late" => Late,
        b"mid" => Mid,
        b"morning" | b"afternoon" | b"evening" => PartOfDay,
        _ => Other,
    }
}

/// Cheap pre-check for texts without a single digit: is there any word that could
/// start a date on its own (a relative keyword or a month name)?
pub(crate) fn has_dateless_keyword(text: &str) -> bool {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        if b[i].is_ascii_alphabetic() {
            let s = i;
            while i < n && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            // Words glued to non-ASCII letters are not keywords; a cheap approximation is fine here.
            if (3..=9).contains(&(i - s))
                && matches!(
                    classify(&b[s..i]),
                    Lex::Today
                        | Lex::Tonight
                        | Lex::Yesterday
                        | Lex::Tomorrow
                        | Lex::Weekday(_)
                        | Lex::Unit(..)
                        | Lex::Month(..)
                        | Lex::PartOfDay
                )
            {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}
