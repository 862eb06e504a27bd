//! The date rules: a left-to-right walk over the tokens, trying a few patterns at each.
//!
//! At every token the scanner asks "does a date expression *start* here?". The first
//! rule that answers yes consumes its tokens and the walk resumes after them, so
//! mentions never overlap and come out in text order. Rules are keyed on the token
//! kind (number or keyword class), so an ordinary word costs one `match`.

use chrono::{Datelike, Duration, NaiveDate};

use crate::lex::{Kind, Lex, MonthKind, TimeUnit, Tok};
use crate::{DateMention, ResolvedDate};

/// A rule's answer: token range `[s, e)` and the resolved date.
struct Hit {
    s: usize,
    e: usize,
    date: ResolvedDate,
    relative: bool,
}

impl Hit {
    fn abs(s: usize, e: usize, date: ResolvedDate) -> Self {
        Hit { s, e, date, relative: false }
    }
    fn rel(s: usize, e: usize, date: ResolvedDate) -> Self {
        Hit { s, e, date, relative: true }
    }
}

pub(crate) struct Scanner<'a> {
    text: &'a str,
    t: &'a [Tok],
    anchor: Option<NaiveDate>,
}

const YEAR_MIN: u32 = 1900;
const YEAR_MAX: u32 = 2100;

impl<'a> Scanner<'a> {
    pub(crate) fn new(text: &'a str, t: &'a [Tok], anchor: Option<NaiveDate>) -> Self {
        Scanner { text, t, anchor }
    }

    pub(crate) fn run(&self, out: &mut Vec<DateMention>) {
        let mut i = 0;
        while i < self.t.len() {
            match self.match_at(i) {
                Some(h) => {
                    let attributive = !h.relative && self.attributive(h.s, h.e);
                    out.push(DateMention {
                        start: self.t[h.s].start,
                        end: self.t[h.e - 1].end,
                        date: h.date,
                        relative: h.relative,
                        attributive,
                    });
                    i = h.e;
                }
                None => i += 1,
            }
        }
    }

    // ----- token access -------------------------------------------------------------

    #[inline]
    fn lex(&self, i: usize) -> Lex {
        self.t.get(i).map_or(Lex::NotWord, |t| t.lex)
    }
    #[inline]
    fn punct(&self, i: usize) -> Option<u8> {
        match self.t.get(i)?.kind {
            Kind::Punct(p) => Some(p),
            _ => None,
        }
    }
    #[inline]
    fn num(&self, i: usize) -> Option<&Tok> {
        self.t.get(i).filter(|t| t.kind == Kind::Num)
    }
    #[inline]
    fn is_word(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Word)
    }
    #[inline]
    fn cap(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.cap)
    }
    /// Tokens `i` and `j` touch (no space between them).
    #[inline]
    fn adj(&self, i: usize, j: usize) -> bool {
        match (self.t.get(i), self.t.get(j)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }
    fn word_bytes(&self, i: usize) -> &'a [u8] {
        let t = &self.t[i];
        &self.text.as_bytes()[t.start..t.end]
    }
    /// Lower-cased ASCII word at `i` (empty if not a word or not ASCII).
    fn lw<'b>(&self, i: usize, buf: &'b mut [u8; 16]) -> &'b [u8] {
        if !self.is_word(i) {
            return &[];
        }
        crate::lex::lower(self.word_bytes(i), buf).unwrap_or(&[])
    }

    // ----- dispatch -----------------------------------------------------------------

    fn match_at(&self, i: usize) -> Option<Hit> {
        let t = &self.t[i];
        match t.kind {
            Kind::Punct(_) => None,
            Kind::Num => self
                .numeric_date(i)
                .or_else(|| self.day_first(i))
                .or_else(|| self.ago(i))
                .or_else(|| self.year_range(i, false))
                .or_else(|| self.bare_year(i, false).map(|y| Hit::abs(i, i + 1, ResolvedDate::y(y)))),
            Kind::Word => match t.lex {
                Lex::Month(..) => self.month_first(i),
                Lex::Weekday(w) => self.weekday(i, w),
                Lex::Season => self.season(i),
                Lex::The => self.the(i),
                Lex::Early | Lex::Late | Lex::Mid => self.modifier(i),
                Lex::Today | Lex::Tonight => self.day_offset(i, 0),
                Lex::Yesterday => self.day_offset(i, -1),
                Lex::Tomorrow => self.day_offset(i, 1),
                Lex::Last | Lex::Next | Lex::This => self.last_next_this(i),
                Lex::Earlier | Lex::Later => self.earlier_later(i),
                Lex::In => self.in_future(i),
                Lex::NumWord(_) | Lex::A => self.ago(i),
                Lex::Unit(TimeUnit::Day, false) => self.day_before_yesterday(i, i),
                _ => None,
            },
        }
    }

    // ----- numbers ------------------------------------------------------------------

    /// A day-of-month number: 1-2 digits (ordinal allowed), 1..=31, not part of a
    /// larger number (`2.5`, `15km`, `10%`).
    fn day_at(&self, j: usize) -> Option<u32> {
        let t = self.num(j)?;
        if t.digits > 2 || t.grouped || !(1..=31).contains(&t.val) {
            return None;
        }
        if self.adj(j, j + 1) {
            if self.is_word(j + 1) {
                return None;
            }
            match self.punct(j + 1) {
                Some(b'%') => return None,
                Some(b'.' | b':' | b'/' | b',') if self.adj(j + 1, j + 2) && self.num(j + 2).is_some() => return None,
                Some(b'-') if self.adj(j + 1, j + 2) && self.is_word(j + 2) => return None,
                _ => {}
            }
        }
        Some(t.val)
    }

    /// A year inside an explicit date ("June 2021", "15 June 2021"): 4 digits,
    /// 1000..=2999, not glued to a following word or `%`.
    fn year4(&self, k: usize) -> Option<i32> {
        let t = self.num(k)?;
        if t.digits != 4 || t.grouped || t.ordinal || !(1000..=2999).contains(&t.val) {
            return None;
        }
        if self.adj(k, k + 1) {
            if self.is_word(k + 1) {
                return None;
            }
            match self.punct(k + 1) {
                Some(b'%') => return None,
                Some(b'.' | b'-' | b'/' | b':' | b',') if self.adj(k + 1, k + 2) && self.num(k + 2).is_some() => {
                    return None
                }
                _ => {}
            }
        }
        Some(t.val as i32)
    }

    /// `15.06.2021`, `15/06/2021`, `06/15/2021` (US order when only the second
    /// number can be a month... i.e. the second is > 12), `2021-06-15`, `2021/06/15`.
    fn numeric_date(&self, i: usize) -> Option<Hit> {
        let a = self.num(i)?;
        let sep = self.punct(i + 1)?;
        if !matches!(sep, b'.' | b'/' | b'-') || !self.adj(i, i + 1) || !self.adj(i + 1, i + 2) {
            return None;
        }
        let b = self.num(i + 2)?;
        if self.punct(i + 3) != Some(sep) || !self.adj(i + 2, i + 3) || !self.adj(i + 3, i + 4) {
            return None;
        }
        let c = self.num(i + 4)?;
        if [a, b, c].iter().any(|t| t.ordinal || t.grouped) {
            return None;
        }
        // Part of a longer chain (IP addresses, version numbers, phone numbers)?
        if self.adj(i + 4, i + 5) {
            if self.is_word(i + 5) {
                return None;
            }
            if matches!(self.punct(i + 5), Some(b'.' | b'/' | b'-' | b':'))
                && self.adj(i + 5, i + 6)
                && self.num(i + 6).is_some()
            {
                return None;
            }
        }
        if i > 0 && self.adj(i - 1, i) {
            if self.is_word(i - 1) {
                return None;
            }
            if matches!(self.punct(i - 1), Some(b'.' | b'/' | b'-' | b':'))
                && i > 1
                && self.adj(i - 2, i - 1)
                && self.num(i - 2).is_some()
            {
                return None;
            }
        }
        let (y, m, d) = if a.digits == 4 && b.digits <= 2 && c.digits <= 2 && sep != b'.' {
            (a.val, b.val, c.val)
        } else if a.digits <= 2 && b.digits <= 2 && c.digits == 4 {
            if a.val <= 12 && b.val > 12 {
                (c.val, a.val, b.val) // US: month/day/year
            } else {
                (c.val, b.val, a.val)
            }
        } else {
            return None;
        };
        if !(1000..=2999).contains(&y) {
            return None;
        }
        NaiveDate::from_ymd_opt(y as i32, m, d)?;
        Some(Hit::abs(i, i + 5, ResolvedDate::ymd(y as i32, m, d)))
    }

    /// `15 June 2021`, `2nd October`, `the 5th of May, 2021`, `15-16 June`.
    fn day_first(&self, i: usize) -> Option<Hit> {
        let d = self.day_at(i)?;
        // Glued to what precedes: COVID-19, $5, 3.15, F-16.
        if i > 0
            && self.adj(i - 1, i)
            && (self.is_word(i - 1) || self.punct(i - 1).is_some_and(|c| c != b'(' && c != b'"' && c != b'\''))
        {
            return None;
        }
        let mut j = i + 1;
        if self.punct(j) == Some(b'-') && self.day_at(j + 1).is_some() {
            j += 2; // "15-16 June": the first day
        }
        let mut used_of = false;
        if self.lex(j) == Lex::Of {
            used_of = true;
            j += 1;
        }
        let Lex::Month(m, kind) = self.lex(j) else {
            return None;
        };
        if kind != MonthKind::Full && !self.cap(j) {
            return None;
        }
        let s = if used_of && i > 0 && self.lex(i - 1) == Lex::The { i - 1 } else { i };
        let month_end = j + 1;
        let mut k = j + 1;
        if kind == MonthKind::Abbr && self.punct(k) == Some(b'.') && self.adj(j, k) {
            k += 1;
        }
        if self.punct(k) == Some(b',') {
            k += 1;
        }
        if let Some(y) = self.year4(k) {
            NaiveDate::from_ymd_opt(y, m, d)?;
            return Some(Hit::abs(s, k + 1, ResolvedDate::ymd(y, m, d)));
        }
        if d > days_in_month_max(m) {
            return None;
        }
        Some(Hit::abs(s, month_end, self.resolve_md(m, d)))
    }

    /// `2021-2022`, `2021–22`, `1999 - 2008`: the first year, year precision.
    fn year_range(&self, i: usize, skip_prev: bool) -> Option<Hit> {
        let y1 = self.bare_year_core(i, skip_prev, true)?;
        let sep = self.punct(i + 1)?;
        if !(sep == b'-' || (sep == b'/' && self.adj(i, i + 1) && self.adj(i + 1, i + 2))) {
            return None;
        }
        let b = self.num(i + 2)?;
        if b.grouped || b.ordinal {
            return None;
        }
        let ok = match b.digits {
            4 => b.val > y1 as u32 && b.val <= YEAR_MAX && self.bare_year_core(i + 2, true, false).is_some(),
            2 => {
                self.adj(i + 1, i + 2)
                    && (b.val > y1 as u32 % 100 || (y1 % 100 == 99 && b.val == 0))
                    && self.bare_year_next_ok(i + 2)
            }
            _ => false,
        };
        ok.then(|| Hit::abs(i, i + 3, ResolvedDate::y(y1)))
    }

    fn bare_year(&self, i: usize, skip_prev: bool) -> Option<i32> {
        self.bare_year_core(i, skip_prev, false)
    }

    /// A free-standing year: 4 digits in 1900..=2100 that is not a quantity
    /// (`2000 soldiers`, `$2020 million`, `2020%`), not part of a number chain
    /// (`555-2020`, `1,000`), not glued to letters (`2020s`, `G2020`) and not a
    /// catalogue number (`No. 2021`). With `in_range`, the checks on what
    /// follows are left to the range rule.
    fn bare_year_core(&self, i: usize, skip_prev: bool, in_range: bool) -> Option<i32> {
        let t = self.num(i)?;
        if t.digits != 4 || t.grouped || t.ordinal || !(YEAR_MIN..=YEAR_MAX).contains(&t.val) {
            return None;
        }
        if !skip_prev && i > 0 {
            let p = i - 1;
            match self.t[p].kind {
                Kind::Num => return None, // phone numbers, lists of figures
                Kind::Word => {
                    if self.adj(p, i) {
                        return None; // G2020
                    }
                    let mut buf = [0u8; 16];
                    // Catalogue numbers: "No 2021", "Resolution 1999", "Flight 2020".
                    if matches!(
                        self.lw(p, &mut buf),
                        b"no"
                            | b"nr"
                            | b"nos"
                            | b"number"
                            | b"resolution"
                            | b"resolutions"
                            | b"article"
                            | b"articles"
                            | b"flight"
                            | b"room"
                            | b"route"
                            | b"highway"
                            | b"platform"
                            | b"page"
                            | b"chapter"
                            | b"section"
                            | b"code"
                            | b"model"
                            | b"batch"
                            | b"lot"
                    ) {
                        return None;
                    }
                    // "some 2000 were killed", "more than 2000"
                    if matches!(
                        self.lw(p, &mut buf),
                        b"some" | b"nearly" | b"approximately" | b"almost" | b"than" | b"roughly" | b"estimated"
                    ) {
                        return None;
                    }
                }
                Kind::Punct(c) => {
                    if matches!(c, b'$' | b'#' | b'+') {
                        return None;
                    }
                    if c == b')' && p > 0 && self.num(p - 1).is_some() {
                        return None;
                    }
                    if self.adj(p, i) && p > 0 && self.adj(p - 1, p) {
                        if matches!(c, b'.' | b'/' | b':' | b',' | b'-') && self.num(p - 1).is_some() {
                            return None;
                        }
                        if c == b'-' && self.is_word(p - 1) && self.lex(p - 1) != Lex::Mid {
                            return None; // COVID-2019, Su-2000
                        }
                    }
                    if c == b'.' && p > 0 {
                        let mut buf = [0u8; 16];
                        if matches!(self.lw(p - 1, &mut buf), b"no" | b"nr" | b"nos") {
                            return None;
                        }
                    }
                }
            }
        }
        if !in_range && !self.bare_year_next_ok(i) {
            return None;
        }
        Some(t.val as i32)
    }

    /// What follows a year candidate at `i` does not turn it into a quantity.
    fn bare_year_next_ok(&self, i: usize) -> bool {
        let k = i + 1;
        if k >= self.t.len() {
            return true;
        }
        if self.adj(i, k) {
            if self.is_word(k) {
                return false; // 2020s, 2000km
            }
            match self.punct(k) {
                Some(b'%') => return false,
                Some(b'.' | b'-' | b'/' | b':' | b',')
                    if self.adj(k, k + 1) && (self.num(k + 1).is_some() || self.is_word(k + 1)) =>
                {
                    // 2020.5, 555-2020-11, 2000-strong; ranges are matched before we get here
                    return false;
                }
                _ => {}
            }
        }
        if self.punct(k) == Some(b'%') {
            return false;
        }
        let mut buf = [0u8; 16];
        !is_quantity_noun(self.lw(k, &mut buf))
    }

    /// "3 days ago", "two weeks ago", "a month ago".
    fn ago(&self, i: usize) -> Option<Hit> {
        let anchor = self.anchor?;
        let n = match (self.t[i].kind, self.lex(i)) {
            (Kind::Num, _) => {
                let t = &self.t[i];
                if t.digits > 3 || t.ordinal || t.grouped {
                    return None;
                }
                t.val as i64
            }
            (_, Lex::NumWord(n)) => n as i64,
            (_, Lex::A) => 1,
            _ => return None,
        };
        let Lex::Unit(u, _) = self.lex(i + 1) else {
            return None;
        };
        if self.lex(i + 2) != Lex::Ago {
            return None;
        }
        Some(Hit::rel(i, i + 3, shift(anchor, u, -n)?))
    }

    // ----- words --------------------------------------------------------------------

    /// Rules starting at a month name: `June 15, 2021`, `June 15th 2021`, `Sept. 15`,
    /// `October 2`, `June 2021`, `May of 2021`, and (anchored, after in/since/during/
    /// early/late/mid) a bare month: `in June`.
    fn month_first(&self, i: usize) -> Option<Hit> {
        let Lex::Month(m, kind) = self.lex(i) else {
            return None;
        };
        if kind != MonthKind::Full && !self.cap(i) {
            return None;
        }
        let mut j = i + 1;
        if kind == MonthKind::Abbr && self.punct(j) == Some(b'.') && self.adj(i, j) {
            j += 1;
        }
        if let Some(d) = self.day_at(j) {
            // A day right after a month is taken as the day even if it is followed by a year.
            let mut k = j + 1;
            if self.punct(k) == Some(b'-') && self.day_at(k + 1).is_some() {
                k += 2; // "June 15-16"
            }
            let yk = if self.punct(k) == Some(b',') { k + 1 } else { k };
            if let Some(y) = self.year4(yk) {
                NaiveDate::from_ymd_opt(y, m, d)?;
                return Some(Hit::abs(i, yk + 1, ResolvedDate::ymd(y, m, d)));
            }
            if d > days_in_month_max(m) {
                return None;
            }
            return Some(Hit::abs(i, k, self.resolve_md(m, d)));
        }
        let mut k = j;
        if self.lex(k) == Lex::Of {
            k += 1;
        }
        if let Some(y) = self.year4(k) {
            return Some(Hit::abs(i, k + 1, ResolvedDate::ym(y, m)));
        }
        // Bare month: needs a capital, a full name, an anchor and a temporal preposition.
        if kind != MonthKind::Abbr && self.cap(i) && i > 0 {
            if let Some(anchor) = self.anchor {
                if matches!(self.lex(i - 1), Lex::In | Lex::Since | Lex::During | Lex::Early | Lex::Late | Lex::Mid)
                    || (self.lex(i - 1) == Lex::NotWord
                        && self.punct(i - 1) == Some(b'-')
                        && i > 1
                        && self.lex(i - 2) == Lex::Mid)
                {
                    return Some(Hit::abs(i, i + 1, resolve_month(anchor, m)));
                }
            }
        }
        None
    }

    /// `Monday`, `on Monday`: the most recent such weekday on or before the anchor.
    fn weekday(&self, i: usize, w: u32) -> Option<Hit> {
        // "Monday, June 15, 2021": let the explicit date speak.
        let mut j = i + 1;
        if self.punct(j) == Some(b',') {
            j += 1;
        }
        if j < self.t.len() {
            let explicit = match self.t[j].kind {
                Kind::Word => matches!(self.lex(j), Lex::Month(..)) && self.month_first(j).is_some(),
                Kind::Num => self.numeric_date(j).is_some() || self.day_first(j).is_some(),
                _ => false,
            };
            if explicit {
                return None;
            }
        }
        let anchor = self.anchor?;
        if self.proper_noun_before(i) || matches!(self.lex(i.wrapping_sub(1)), Lex::Last | Lex::Next) {
            return None;
        }
        Some(Hit::rel(i, i + 1, ResolvedDate::from_date(weekday_on_or_before(anchor, w))))
    }

    /// "Bloody Sunday", "Good Friday", "USA Today": a capitalised ordinary word right before.
    fn proper_noun_before(&self, i: usize) -> bool {
        i > 0 && self.is_word(i - 1) && self.cap(i - 1) && self.lex(i - 1) == Lex::Other
    }

    /// `spring 2021`, `the fall of 2021`, `winter 2021-2022`.
    fn season(&self, i: usize) -> Option<Hit> {
        let mut j = i + 1;
        if self.lex(j) == Lex::Of {
            j += 1;
        }
        let e = self.year_or_range(j)?;
        let s = if i > 0 && self.lex(i - 1) == Lex::The { i - 1 } else { i };
        Some(Hit::abs(s, e.e, e.date))
    }

    /// A year or a year range at `j`, ignoring what precedes it.
    fn year_or_range(&self, j: usize) -> Option<Hit> {
        self.year_range(j, true).or_else(|| self.bare_year(j, true).map(|y| Hit::abs(j, j + 1, ResolvedDate::y(y))))
    }

    /// At "the": "the fall of 2021", "the day before yesterday".
    fn the(&self, i: usize) -> Option<Hit> {
        match self.lex(i + 1) {
            Lex::Season => self.season(i + 1),
            Lex::Unit(TimeUnit::Day, false) => self.day_before_yesterday(i, i + 1),
            _ => None,
        }
    }

    /// `early 2024`, `in late 2023`, `mid-2022`, `late May 2023`, `early spring 2021`.
    fn modifier(&self, i: usize) -> Option<Hit> {
        let mut j = i + 1;
        if self.punct(j) == Some(b'-') && self.adj(i, j) && self.adj(j, j + 1) {
            j += 1;
        }
        let h = match self.t.get(j)?.kind {
            Kind::Num => self.year_or_range(j)?,
            Kind::Word => match self.lex(j) {
                Lex::Month(..) => self.month_first(j)?,
                Lex::Season => self.season(j)?,
                _ => return None,
            },
            Kind::Punct(_) => return None,
        };
        Some(Hit { s: i, ..h })
    }

    fn day_offset(&self, i: usize, days: i64) -> Option<Hit> {
        let anchor = self.anchor?;
        // "USA Today" is a name; "talks with Araghchi yesterday" is a date
        if self.cap(i) && self.proper_noun_before(i) {
            return None;
        }
        let d = anchor.checked_add_signed(Duration::days(days))?;
        Some(Hit::rel(i, i + 1, ResolvedDate::from_date(d)))
    }

    /// "the day before yesterday" / "day after tomorrow"; `s` is where the span starts,
    /// `d` the index of "day".
    fn day_before_yesterday(&self, s: usize, d: usize) -> Option<Hit> {
        let anchor = self.anchor?;
        let off = match (self.lex(d + 1), self.lex(d + 2)) {
            (Lex::Before, Lex::Yesterday) => -2,
            (Lex::After, Lex::Tomorrow) => 2,
            _ => return None,
        };
        let date = anchor.checked_add_signed(Duration::days(off))?;
        Some(Hit::rel(s, d + 3, ResolvedDate::from_date(date)))
    }

    /// `last Monday`, `next week`, `this month`, `last year`, `this morning`.
    fn last_next_this(&self, i: usize) -> Option<Hit> {
        let anchor = self.anchor?;
        if i > 0 && self.lex(i - 1) == Lex::The {
            return None; // "the last week" = the past seven days, not a calendar week
        }
        let which = self.lex(i);
        let step: i64 = match which {
            Lex::Last => -1,
            Lex::Next => 1,
            _ => 0,
        };
        let date = match self.lex(i + 1) {
            Lex::Weekday(w) => {
                let aw = anchor.weekday().num_days_from_monday() as i64;
                let w = w as i64;
                let off = match which {
                    Lex::Last => -(((aw - w + 7) % 7 + 6) % 7 + 1), // strictly before
                    Lex::Next => ((w - aw + 7) % 7 + 6) % 7 + 1,    // strictly after
                    _ => -((aw - w + 7) % 7),                       // on or before
                };
                ResolvedDate::from_date(anchor.checked_add_signed(Duration::days(off))?)
            }
            Lex::Unit(TimeUnit::Week, false) => {
                let monday =
                    anchor.checked_sub_signed(Duration::days(anchor.weekday().num_days_from_monday() as i64))?;
                ResolvedDate::from_date(monday.checked_add_signed(Duration::days(7 * step))?)
            }
            Lex::Unit(TimeUnit::Month, false) => shift(anchor, TimeUnit::Month, step)?,
            Lex::Unit(TimeUnit::Year, false) => shift(anchor, TimeUnit::Year, step)?,
            Lex::PartOfDay if which == Lex::This => ResolvedDate::from_date(anchor),
            _ => return None,
        };
        Some(Hit::rel(i, i + 2, date))
    }

    /// `earlier this month`, `later this year`, `earlier today`.
    fn earlier_later(&self, i: usize) -> Option<Hit> {
        match self.lex(i + 1) {
            Lex::This => {
                if !matches!(self.lex(i + 2), Lex::Unit(TimeUnit::Week | TimeUnit::Month | TimeUnit::Year, false)) {
                    return None;
                }
                let h = self.last_next_this(i + 1)?;
                Some(Hit { s: i, ..h })
            }
            Lex::Today => {
                let h = self.day_offset(i + 1, 0)?;
                Some(Hit { s: i, ..h })
            }
            _ => None,
        }
    }

    /// `in two weeks`, `in 3 days`: the future, counted from the anchor.
    /// Not `in two days of talks` nor `in three years of war`.
    fn in_future(&self, i: usize) -> Option<Hit> {
        let anchor = self.anchor?;
        let n = match (self.t.get(i + 1)?.kind, self.lex(i + 1)) {
            (Kind::Num, _) => {
                let t = &self.t[i + 1];
                if t.digits > 3 || t.ordinal || t.grouped {
                    return None;
                }
                t.val as i64
            }
            (_, Lex::NumWord(n)) => n as i64,
            (_, Lex::A) => 1,
            _ => return None,
        };
        let Lex::Unit(u, _) = self.lex(i + 2) else {
            return None;
        };
        if matches!(self.lex(i + 3), Lex::Of | Lex::Ago) {
            return None;
        }
        Some(Hit::rel(i, i + 3, shift(anchor, u, n)?))
    }

    // ----- attributive --------------------------------------------------------------

    /// Does the date modify a noun ("the 2023 earthquake") rather than time the clause?
    fn attributive(&self, s: usize, e: usize) -> bool {
        if s == 0 {
            return false;
        }
        let p = s - 1;
        let mut buf = [0u8; 16];
        let w = self.lw(p, &mut buf);
        let det = matches!(
            w,
            b"the"
                | b"a"
                | b"an"
                | b"its"
                | b"their"
                | b"this"
                | b"that"
                | b"his"
                | b"her"
                | b"our"
                | b"these"
                | b"those"
                | b"whose"
                | b"my"
                | b"your"
        ) || (w == b"s" && p > 0 && self.punct(p - 1) == Some(b'\'') && self.adj(p - 1, p));
        if det {
            return self.noun_follows(e);
        }
        if w == b"of" && p > 0 && self.is_word(p - 1) {
            let mut b2 = [0u8; 16];
            let n = self.lw(p - 1, &mut b2);
            return !n.is_empty() && is_noun_ish(n) && !is_temporal_noun(n);
        }
        false
    }

    /// After the date: optional capitalised words ("Israeli", "Nagorno-Karabakh"),
    /// then a lower-case noun-ish word.
    fn noun_follows(&self, e: usize) -> bool {
        let mut k = e;
        let mut skipped = 0;
        while skipped < 4 && self.is_word(k) && self.cap(k) {
            let mut buf = [0u8; 16];
            if !is_noun_ish(self.lw(k, &mut buf)) {
                return false;
            }
            k += 1;
            skipped += 1;
            if self.punct(k) == Some(b'-') && self.is_word(k + 1) {
                k += 1;
            }
        }
        if !self.is_word(k) {
            return skipped > 0;
        }
        let mut buf = [0u8; 16];
        let w = self.lw(k, &mut buf);
        if w.is_empty() {
            return true; // non-ASCII word: a name or a noun, not one of our function words
        }
        if !is_noun_ish(w) || w.ends_with(b"ly") {
            return false;
        }
        if skipped > 0 && (w.ends_with(b"ed") || is_common_verb(w)) {
            return false;
        }
        true
    }

    // ----- resolution ---------------------------------------------------------------

    /// Day and month without a year: the anchor decides the year (most recent such
    /// date on or before anchor + 7 days); without an anchor the year stays unknown.
    fn resolve_md(&self, m: u32, d: u32) -> ResolvedDate {
        match self.anchor {
            None => ResolvedDate::md(m, d),
            Some(a) => {
                let limit = a + Duration::days(7);
                let mut y = limit.year();
                for _ in 0..9 {
                    if let Some(dt) = NaiveDate::from_ymd_opt(y, m, d) {
                        if dt <= limit {
                            return ResolvedDate::ymd(y, m, d);
                        }
                    }
                    y -= 1;
                }
                ResolvedDate::md(m, d)
            }
        }
    }
}

/// A bare month ("in June"), anchored: the most recent such month starting on or before anchor + 7 days.
fn resolve_month(anchor: NaiveDate, m: u32) -> ResolvedDate {
    let limit = anchor + Duration::days(7);
    let y = if m <= limit.month() { limit.year() } else { limit.year() - 1 };
    ResolvedDate::ym(y, m)
}

fn days_in_month_max(m: u32) -> u32 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn weekday_on_or_before(anchor: NaiveDate, w: u32) -> NaiveDate {
    let aw = anchor.weekday().num_days_from_monday();
    let back = (aw + 7 - w) % 7;
    anchor - Duration::days(back as i64)
}

/// Move `n` units from `anchor`. Days and weeks give a day; months a month; years a year.
fn shift(anchor: NaiveDate, u: TimeUnit, n: i64) -> Option<ResolvedDate> {
    match u {
        TimeUnit::Day => anchor.checked_add_signed(Duration::days(n)).map(ResolvedDate::from_date),
        TimeUnit::Week => anchor.checked_add_signed(Duration::days(7 * n)).map(ResolvedDate::from_date),
        TimeUnit::Month => {
            let idx = anchor.year() as i64 * 12 + anchor.month0() as i64 + n;
            Some(ResolvedDate::ym(idx.div_euclid(12) as i32, idx.rem_euclid(12) as u32 + 1))
        }
        TimeUnit::Year => Some(ResolvedDate::y(anchor.year() + n as i32)),
    }
}

/// Words after a number that make it a count, not a year: "2000 soldiers".
fn is_quantity_noun(w: &[u8]) -> bool {
    matches!(
        w,
        b"people"
            | b"persons"
            | b"soldiers"
            | b"troops"
            | b"men"
            | b"women"
            | b"children"
            | b"civilians"
            | b"refugees"
            | b"migrants"
            | b"residents"
            | b"families"
            | b"households"
            | b"fighters"
            | b"militants"
            | b"rebels"
            | b"protesters"
            | b"demonstrators"
            | b"prisoners"
            | b"hostages"
            | b"detainees"
            | b"workers"
            | b"employees"
            | b"students"
            | b"police"
            | b"policemen"
            | b"officers"
            | b"personnel"
            | b"servicemen"
            | b"volunteers"
            | b"delegates"
            | b"members"
            | b"participants"
            | b"deaths"
            | b"casualties"
            | b"victims"
            | b"dead"
            | b"killed"
            | b"wounded"
            | b"injured"
            | b"cases"
            | b"km"
            | b"kilometers"
            | b"kilometres"
            | b"miles"
            | b"meters"
            | b"metres"
            | b"feet"
            | b"tons"
            | b"tonnes"
            | b"kg"
            | b"kilograms"
            | b"hectares"
            | b"acres"
            | b"dollars"
            | b"euros"
            | b"pounds"
            | b"manat"
            | b"rubles"
            | b"roubles"
            | b"lira"
            | b"drams"
            | b"usd"
            | b"eur"
            | b"million"
            | b"billion"
            | b"thousand"
            | b"hundred"
            | b"percent"
            | b"per"
            | b"times"
            | b"units"
            | b"vehicles"
            | b"tanks"
            | b"trucks"
            | b"cars"
            | b"homes"
            | b"houses"
            | b"buildings"
            | b"apartments"
            | b"shells"
            | b"rockets"
            | b"missiles"
            | b"drones"
            | b"rounds"
            | b"mines"
            | b"weapons"
            | b"guns"
            | b"rifles"
            | b"barrels"
            | b"votes"
            | b"seats"
            | b"jobs"
            | b"pages"
            | b"copies"
            | b"mw"
            | b"gw"
            | b"kw"
            | b"sq"
            | b"square"
            | b"cubic"
            | b"years"
            | b"days"
            | b"months"
            | b"weeks"
            | b"hours"
            | b"minutes"
            | b"seconds"
            | b"decades"
            | b"centuries"
            | b"villages"
            | b"settlements"
            | b"schools"
            | b"hospitals"
            // military clock times: "at 1900 GMT"
            | b"gmt" | b"utc" | b"hrs" | b"est" | b"edt" | b"cet" | b"cest" | b"msk" | b"bst"
    )
}

/// Function words that cannot be the noun a date modifies (or precede "of" as one).
fn is_noun_ish(w: &[u8]) -> bool {
    !matches!(
        w,
        b"in"
            | b"on"
            | b"at"
            | b"of"
            | b"for"
            | b"to"
            | b"from"
            | b"by"
            | b"with"
            | b"since"
            | b"until"
            | b"till"
            | b"after"
            | b"before"
            | b"during"
            | b"between"
            | b"against"
            | b"into"
            | b"onto"
            | b"over"
            | b"under"
            | b"amid"
            | b"among"
            | b"about"
            | b"through"
            | b"throughout"
            | b"as"
            | b"than"
            | b"via"
            | b"per"
            | b"and"
            | b"or"
            | b"but"
            | b"nor"
            | b"so"
            | b"yet"
            | b"when"
            | b"while"
            | b"where"
            | b"which"
            | b"who"
            | b"whom"
            | b"whose"
            | b"what"
            | b"that"
            | b"this"
            | b"these"
            | b"those"
            | b"if"
            | b"because"
            | b"although"
            | b"though"
            | b"is"
            | b"was"
            | b"were"
            | b"are"
            | b"be"
            | b"been"
            | b"being"
            | b"am"
            | b"has"
            | b"had"
            | b"have"
            | b"having"
            | b"will"
            | b"would"
            | b"could"
            | b"should"
            | b"can"
            | b"may"
            | b"might"
            | b"must"
            | b"shall"
            | b"did"
            | b"do"
            | b"does"
            | b"not"
            | b"no"
            | b"the"
            | b"a"
            | b"an"
            | b"he"
            | b"she"
            | b"it"
            | b"they"
            | b"we"
            | b"i"
            | b"you"
            | b"his"
            | b"her"
            | b"its"
            | b"their"
            | b"our"
            | b"also"
            | b"again"
            | b"then"
            | b"there"
            | b"here"
            | b"now"
            | b"already"
            | b"still"
            | b"just"
            | b"only"
            | b"even"
            | b"up"
            | b"down"
            | b"out"
            | b"off"
            | b"said"
            | b"says"
            | b"say"
            | b"told"
            | b"according"
            | b"s"
            | b"all"
            | b"most"
            | b"some"
            | b"many"
            | b"none"
            | b"each"
            | b"both"
            | b"one"
    )
}

/// Nouns before "of" that time the clause rather than name a thing: "the end of 2021".
fn is_temporal_noun(w: &[u8]) -> bool {
    matches!(
        w,
        b"end"
            | b"beginning"
            | b"start"
            | b"middle"
            | b"half"
            | b"quarter"
            | b"course"
            | b"rest"
            | b"part"
            | b"spring"
            | b"summer"
            | b"autumn"
            | b"fall"
            | b"winter"
            | b"months"
            | b"weeks"
            | b"days"
            | b"years"
            | b"first"
            | b"last"
            | b"top"
            | b"early"
            | b"late"
            | b"mid"
            | b"time"
            | b"period"
            | b"month"
            | b"week"
            | b"year"
            | b"day"
            | b"night"
            | b"hours"
            | b"hour"
            | b"weekend"
            | b"morning"
            | b"evening"
            | b"afternoon"
            | b"dawn"
            | b"eve"
            | b"wake"
            | b"aftermath"
            | b"turn"
            | b"session"
            | b"season"
    )
}

/// Verbs that may follow a date plus a capitalised subject: "on May 5 Azerbaijan said".
fn is_common_verb(w: &[u8]) -> bool {
    matches!(
        w,
        b"said"
            | b"says"
            | b"told"
            | b"met"
            | b"held"
            | b"took"
            | b"gave"
            | b"made"
            | b"won"
            | b"lost"
            | b"began"
            | b"went"
            | b"came"
            | b"saw"
            | b"sent"
            | b"struck"
            | b"hit"
            | b"shot"
            | b"fired"
            | b"signs"
            | b"meets"
            | b"holds"
            | b"calls"
            | b"urges"
            | b"warns"
            | b"will"
            | b"would"
    )
}
