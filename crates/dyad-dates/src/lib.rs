//! Date rules for dyad: find the date expressions in a sentence and resolve them.
//!
//! An event coder needs to know *when* an event happened. News text says it in many
//! ways: `June 15, 2021`, `15/06/2021`, `on 2nd October`, `in late 2023`, `the fall of
//! 2021`, `yesterday`, `last Monday`, `two weeks ago`. This crate finds those
//! expressions with a hand-written scanner (no regex) and turns each into a
//! [`ResolvedDate`]: a year, month and day, each present only as far as the text pins
//! it down.
//!
//! # Finding dates
//!
//! [`find_dates`] takes the text and, optionally, the document date (the *anchor*):
//!
//! ```
//! use dyad_dates::{find_dates, DatePrecision};
//!
//! let text = "The trilateral statement of November 10, 2020 ended the war.";
//! let found = find_dates(text, None);
//! assert_eq!(found.len(), 1);
//! let m = &found[0];
//! assert_eq!(&text[m.start..m.end], "November 10, 2020");
//! assert_eq!(m.date.iso().as_deref(), Some("2020-11-10"));
//! assert_eq!(m.date.precision(), DatePrecision::Day);
//! ```
//!
//! Offsets are **byte** offsets into the string you passed, so slicing always works.
//!
//! # Precision
//!
//! A date is only as precise as its text. `in late 2023` is a year, `May 2023` a month.
//! A day and month without a year (`on 2nd October`) keeps the day and leaves the year
//! unknown, unless there is an anchor:
//!
//! ```
//! use dyad_dates::{find_dates, DatePrecision};
//! use chrono::NaiveDate;
//!
//! let text = "Talks resumed on 2nd October, after clashes in late 2023.";
//! let found = find_dates(text, None);
//! assert_eq!(found[0].date.iso().as_deref(), Some("--10-02"));
//! assert_eq!(found[0].date.precision(), DatePrecision::Day);
//! assert_eq!(found[1].date.iso().as_deref(), Some("2023"));
//! assert_eq!(found[1].date.precision(), DatePrecision::Year);
//!
//! // With a document date, the day-month takes the most recent year that puts it
//! // on or before the anchor plus a week: news reports what has happened.
//! let anchor = NaiveDate::from_ymd_opt(2024, 1, 20);
//! let found = find_dates(text, anchor);
//! assert_eq!(found[0].date.iso().as_deref(), Some("2023-10-02"));
//! ```
//!
//! # Relative dates
//!
//! `yesterday`, `last Monday`, `two weeks ago`, `last month`, `earlier this year` only
//! mean something against the document date; without an anchor they are skipped.
//! Mentions that came from such an expression have [`DateMention::relative`] set.
//!
//! ```
//! use dyad_dates::find_dates;
//! use chrono::NaiveDate;
//!
//! let anchor = NaiveDate::from_ymd_opt(2023, 9, 20); // a Wednesday
//! let text = "Shelling began on Monday and intensified yesterday.";
//! let found = find_dates(text, anchor);
//! let isos: Vec<_> = found.iter().map(|m| m.date.iso().unwrap()).collect();
//! assert_eq!(isos, ["2023-09-18", "2023-09-19"]);
//! assert!(found.iter().all(|m| m.relative));
//! assert!(find_dates(text, None).is_empty());
//! ```
//!
//! The conventions, all counted from the anchor *A*:
//!
//! | expression | resolves to | precision |
//! |---|---|---|
//! | `today`, `tonight`, `this morning` | *A* | day |
//! | `yesterday` / `tomorrow` | *A* ∓ 1 day | day |
//! | `the day before yesterday` / `the day after tomorrow` | *A* ∓ 2 days | day |
//! | `Monday`, `on Monday`, `this Monday` | the most recent Monday **on or before** *A* (past-tense news) | day |
//! | `last Monday` / `next Monday` | the Monday strictly before / after *A* | day |
//! | `this week` / `last week` / `next week` | the Monday of *A*'s ISO week / of the week before / after | day |
//! | `this month` / `last month` / `earlier this month` | *A*'s month / the previous month | month |
//! | `this year` / `last year` / `next year` / `later this year` | *A*'s year ± 1 | year |
//! | `3 days ago`, `two weeks ago` | *A* − 3 days, *A* − 14 days | day |
//! | `a month ago`, `three years ago` | *A*'s month − 1, *A*'s year − 3 | month, year |
//! | `in two weeks`, `in 3 days` | *A* + 14 days, *A* + 3 days | day |
//! | `in June` (bare month after in/since/during/early/late/mid) | the most recent June starting on or before *A* + 7 days | month |
//!
//! The bare-weekday rule is a guess that suits reports of past events; a preview
//! ("talks will open on Monday") gets the previous Monday. `the last week` (the past
//! seven days) is not resolved at all.
//!
//! # Attributive dates
//!
//! Some dates name a thing instead of timing the clause: *the 2023 earthquake*, *the
//! April 1 Israeli attack*, *the agreement of November 10, 2020*. An event coder
//! should not take those as the date of the sentence's event, so each mention carries
//! [`DateMention::attributive`]:
//!
//! ```
//! use dyad_dates::find_dates;
//!
//! let text = "Survivors of the 2023 earthquake protested in 2024.";
//! let found = find_dates(text, None);
//! assert!(found[0].attributive);   // the 2023 earthquake
//! assert!(!found[1].attributive);  // in 2024
//! ```
//!
//! # What is not a date
//!
//! Numbers are only years when they look like one and are not counted things:
//! `2000 soldiers`, `$2020 million`, `2020%`, `1,000`, `No. 2021`, `555-2020`, `the
//! 44-day war`, `12th century`, `COVID-19`, `F-16`, `G20` all yield nothing. The
//! month-words `may`, `march` and `august` must be capitalised and next to a day or
//! year (`Azerbaijan may soon reopen` is not a date).
//!
//! ```
//! use dyad_dates::find_dates;
//!
//! assert!(find_dates("Some 2000 soldiers may march 44 km during the 44-day war.", None).is_empty());
//! ```
//!
//! # Speed
//!
//! A text without digits and without an anchor returns at once; with an anchor, a
//! digit-free text is first checked for a relative keyword or month name before it
//! is tokenised. Everything else is a single tokenising pass plus a walk that looks at
//! each token once (rules only look a few tokens ahead).

mod lex;
mod rules;

use chrono::{Datelike, NaiveDate};

pub use dyad_core::DatePrecision;

/// A date as far as the text pins it down.
///
/// Each part is `None` when the text does not say it. The useful combinations are
/// year-month-day, year-month, year, and month-day (a day and month with no year and
/// no anchor to supply one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolvedDate {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl ResolvedDate {
    /// A full date.
    pub fn ymd(year: i32, month: u32, day: u32) -> Self {
        ResolvedDate { year: Some(year), month: Some(month), day: Some(day) }
    }
    /// A month of a year.
    pub fn ym(year: i32, month: u32) -> Self {
        ResolvedDate { year: Some(year), month: Some(month), day: None }
    }
    /// A year.
    pub fn y(year: i32) -> Self {
        ResolvedDate { year: Some(year), month: None, day: None }
    }
    /// A day of a month, year unknown.
    pub fn md(month: u32, day: u32) -> Self {
        ResolvedDate { year: None, month: Some(month), day: Some(day) }
    }
    /// A full date from a chrono date.
    pub fn from_date(d: NaiveDate) -> Self {
        ResolvedDate::ymd(d.year(), d.month(), d.day())
    }

    /// How precise the date is.
    ///
    /// [`DatePrecision::Day`] when the day is known (with or without a year),
    /// [`DatePrecision::Month`] for a month and year, [`DatePrecision::Year`] for a year
    /// alone, [`DatePrecision::None`] otherwise.
    ///
    /// ```
    /// use dyad_dates::{ResolvedDate, DatePrecision};
    /// assert_eq!(ResolvedDate::md(10, 2).precision(), DatePrecision::Day);
    /// assert_eq!(ResolvedDate::ym(2023, 5).precision(), DatePrecision::Month);
    /// assert_eq!(ResolvedDate::y(2023).precision(), DatePrecision::Year);
    /// ```
    pub fn precision(&self) -> DatePrecision {
        match (self.year, self.month, self.day) {
            (_, _, Some(_)) => DatePrecision::Day,
            (Some(_), Some(_), None) => DatePrecision::Month,
            (Some(_), None, None) => DatePrecision::Year,
            _ => DatePrecision::None,
        }
    }

    /// ISO 8601 form: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `--MM-DD` for a day and month
    /// without a year. `None` when nothing useful is known.
    ///
    /// ```
    /// use dyad_dates::ResolvedDate;
    /// assert_eq!(ResolvedDate::ymd(2021, 6, 15).iso().as_deref(), Some("2021-06-15"));
    /// assert_eq!(ResolvedDate::ym(2021, 6).iso().as_deref(), Some("2021-06"));
    /// assert_eq!(ResolvedDate::y(2021).iso().as_deref(), Some("2021"));
    /// assert_eq!(ResolvedDate::md(6, 15).iso().as_deref(), Some("--06-15"));
    /// ```
    pub fn iso(&self) -> Option<String> {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
            (Some(y), None, _) => Some(format!("{y:04}")),
            (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
            _ => None,
        }
    }

    /// The calendar date, when year, month and day are all known.
    pub fn to_naive_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }
}

/// One date expression found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct DateMention {
    /// Byte offset of the first byte of the expression in the text given to [`find_dates`].
    pub start: usize,
    /// Byte offset one past the expression. `&text[start..end]` is the expression,
    /// e.g. `"June 15, 2021"`, `"late 2023"`, `"the fall of 2021"`, `"two weeks ago"`.
    /// Leading prepositions (`on`, `in`, `since`) are not part of it.
    pub end: usize,
    /// What the expression resolves to.
    pub date: ResolvedDate,
    /// Came from a relative expression ("yesterday", "last Monday"), resolved against the anchor.
    pub relative: bool,
    /// The date modifies a noun rather than timing the clause: "the 2023 earthquake",
    /// "the January 2023 terrorist attack", "the April 1 Israeli attack", "the
    /// trilateral agreement of November 10, 2020".
    ///
    /// Heuristic: preceded by a determiner or possessive (the, a, its, their, this,
    /// that, 's...) and followed by a noun-ish word (capitalised words such as
    /// "Israeli" are skipped on the way to it; function words and verbs do not count),
    /// or directly preceded by "of" after a noun that is not itself a time word
    /// ("the end of 2021" times the clause). Always `false` for relative mentions.
    pub attributive: bool,
}

/// Find and resolve every date expression in `text` (a sentence or a paragraph).
///
/// `anchor` is the document date. Relative expressions need it (without it they are
/// skipped), and a day-month without a year takes its year from it: the most recent
/// year that puts the date on or before `anchor + 7 days` (news reports past events;
/// the week of slack covers announced dates in the near future). Without an anchor a
/// day-month keeps an unknown year (`--MM-DD`).
///
/// Mentions come back in text order and never overlap.
///
/// ```
/// use dyad_dates::find_dates;
///
/// let text = "Fighting from 1999 to 2008 displaced thousands.";
/// let years: Vec<_> = find_dates(text, None).iter().map(|m| m.date.year.unwrap()).collect();
/// assert_eq!(years, [1999, 2008]);
/// ```
pub fn find_dates(text: &str, anchor: Option<NaiveDate>) -> Vec<DateMention> {
    if !text.bytes().any(|b| b.is_ascii_digit()) && (anchor.is_none() || !lex::has_dateless_keyword(text)) {
        return Vec::new();
    }
    let mut toks = Vec::with_capacity(text.len() / 5 + 4);
    lex::tokenize(text, &mut toks);
    let mut out = Vec::new();
    rules::Scanner::new(text, &toks, anchor).run(&mut out);
    out
}

/// A date given as an offset from the last date the story named: "the next day", "two days
/// later", "the day before", "later that day", "two months later", "a year earlier". Found by
/// [`narrative_offset`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NarrativeOffset {
    /// Byte offset of the expression's first byte.
    pub start: usize,
    /// Byte offset one past the expression.
    pub end: usize,
    /// Days after (negative: before) the story's last date; 0 when the offset is in months.
    pub days: i64,
    /// Calendar months after (negative: before) the story's last date ("a year later": 12);
    /// 0 when the offset is in days.
    pub months: i64,
    /// How precise the moved date can be: [`DatePrecision::Day`] for an offset in days ("two
    /// days later", "later that day"), [`DatePrecision::Month`] for one in months or counted
    /// years ("two months later", "the following month", "later that month", "a year later"),
    /// [`DatePrecision::Year`] for "the following year", "later that year".
    pub precision: DatePrecision,
}

impl NarrativeOffset {
    /// `date` moved by the offset, as precise as both allow.
    ///
    /// An offset in days needs a day to count from and gives a day. An offset in months gives
    /// a month from a month or a day ("two months later" than 10 March is May, the day is not
    /// known), and a year from a year when it is whole years. "The following year" and "later
    /// that year" give a year. `None` otherwise, or when the result is not a date.
    ///
    /// ```
    /// use dyad_dates::{narrative_offset, ResolvedDate};
    ///
    /// let later = |text: &str, from: ResolvedDate| narrative_offset(text)?.shift(&from)?.iso();
    /// assert_eq!(later("Two days later, talks resumed.", ResolvedDate::ymd(2020, 12, 31)).as_deref(), Some("2021-01-02"));
    /// assert_eq!(later("Two days later, talks resumed.", ResolvedDate::ym(2020, 12)), None);
    /// assert_eq!(later("Two months later, talks resumed.", ResolvedDate::ymd(2022, 11, 30)).as_deref(), Some("2023-01"));
    /// assert_eq!(later("The following month, talks resumed.", ResolvedDate::ym(2022, 12)).as_deref(), Some("2023-01"));
    /// assert_eq!(later("A year earlier, talks had stalled.", ResolvedDate::y(2021)).as_deref(), Some("2020"));
    /// assert_eq!(later("Six months later, talks resumed.", ResolvedDate::y(2021)), None);
    /// assert_eq!(later("Later that year, talks resumed.", ResolvedDate::ymd(2023, 5, 2)).as_deref(), Some("2023"));
    /// assert_eq!(later("The next year, talks resumed.", ResolvedDate::ym(2023, 5)).as_deref(), Some("2024"));
    /// ```
    pub fn shift(&self, date: &ResolvedDate) -> Option<ResolvedDate> {
        match self.precision {
            DatePrecision::Day => {
                let day = date.to_naive_date()?.checked_add_signed(chrono::Duration::days(self.days))?;
                Some(ResolvedDate::from_date(day))
            }
            DatePrecision::Year => Some(ResolvedDate::y(i32::try_from(i64::from(date.year?) + self.months / 12).ok()?)),
            _ => match (date.year, date.month) {
                (Some(y), Some(m)) => {
                    let total = i64::from(y) * 12 + i64::from(m) - 1 + self.months;
                    Some(ResolvedDate::ym(i32::try_from(total.div_euclid(12)).ok()?, total.rem_euclid(12) as u32 + 1))
                }
                (Some(y), None) if self.months % 12 == 0 => {
                    Some(ResolvedDate::y(i32::try_from(i64::from(y) + self.months / 12).ok()?))
                }
                _ => None,
            },
        }
    }
}

/// The first expression in `text` that dates it relative to the date the story named last
/// rather than to the document: "The next day, …" is the day after the previous sentence's
/// date. [`find_dates`] leaves these alone (they have no anchor of their own); the caller adds
/// [`NarrativeOffset::days`] to the date it carries from earlier sentences.
///
/// ```
/// use dyad_dates::narrative_offset;
///
/// let text = "Two days later, Orbán visited Tbilisi.";
/// let o = narrative_offset(text).unwrap();
/// assert_eq!((&text[o.start..o.end], o.days), ("Two days later", 2));
/// assert_eq!(narrative_offset("The day before, talks stalled.").unwrap().days, -1);
/// assert_eq!(narrative_offset("Two months later, Herzog visited Baku.").unwrap().months, 2);
/// assert_eq!(narrative_offset("A year earlier, talks had stalled.").unwrap().months, -12);
/// assert_eq!(narrative_offset("The following month, Aliyev visited Ankara.").unwrap().months, 1);
/// assert!(narrative_offset("The following weeks were tense.").is_none());
/// assert_eq!(narrative_offset("Later that day, the ministers met.").unwrap().days, 0);
/// assert!(narrative_offset("Talks lasted two days.").is_none());
/// // counted from a named event, not from the story's last date
/// assert!(narrative_offset("Two days after the election, Orbán visited Tbilisi.").is_none());
/// ```
pub fn narrative_offset(text: &str) -> Option<NarrativeOffset> {
    use lex::{Kind, Lex, TimeUnit};
    let mut toks = Vec::with_capacity(text.len() / 5 + 4);
    lex::tokenize(text, &mut toks);
    let lex_at = |k: usize| toks.get(k).map_or(Lex::NotWord, |t| t.lex);
    // a word the lexer has no class for
    let word = |k: usize, w: &str| {
        toks.get(k).is_some_and(|t| t.kind == Kind::Word && text[t.start..t.end].eq_ignore_ascii_case(w))
    };
    let day = |k: usize| lex_at(k) == Lex::Unit(TimeUnit::Day, false);
    // "the day before" ends the phrase (a comma, the sentence's end, or "that"): "the day before
    // the vote" counts from the vote, which need not be the story's last date
    let closed = |k: usize| {
        toks.get(k + 1).is_none_or(|t| matches!(t.kind, Kind::Punct(b',' | b'.' | b';'))) || word(k + 1, "that")
    };
    // "two days later", "a week earlier", "10 days after that", "two months later", "a year
    // earlier": (days, months, precision)
    let counted = |k: usize| -> Option<(i64, i64, DatePrecision)> {
        let n = match (toks.get(k)?, lex_at(k)) {
            (t, _) if t.kind == Kind::Num && t.digits <= 2 && (1..=60).contains(&t.val) => t.val as i64,
            (_, Lex::A) => 1,
            (_, Lex::NumWord(n)) => n as i64,
            _ => return None,
        };
        let (days, months) = match lex_at(k + 1) {
            Lex::Unit(TimeUnit::Day, _) => (1, 0),
            Lex::Unit(TimeUnit::Week, _) => (7, 0),
            Lex::Unit(TimeUnit::Month, _) => (0, 1),
            Lex::Unit(TimeUnit::Year, _) => (0, 12),
            _ => return None,
        };
        let sign = match lex_at(k + 2) {
            Lex::Later => 1,
            Lex::Earlier => -1,
            Lex::After if closed(k + 2) => 1,
            Lex::Before if closed(k + 2) => -1,
            _ if word(k + 2, "afterwards") => 1,
            _ => return None,
        };
        let precision = if days != 0 { DatePrecision::Day } else { DatePrecision::Month };
        Some((sign * n * days, sign * n * months, precision))
    };
    // "the following month", "the year before", "later that year": a calendar unit, one step
    // (or none) from the story's last date
    let unit = |k: usize| -> Option<(i64, DatePrecision)> {
        match lex_at(k) {
            Lex::Unit(TimeUnit::Day, false) => Some((1, DatePrecision::Day)),
            Lex::Unit(TimeUnit::Month, false) => Some((1, DatePrecision::Month)),
            Lex::Unit(TimeUnit::Year, false) => Some((12, DatePrecision::Year)),
            _ => None,
        }
    };
    let step = |k: usize, sign: i64| -> Option<(i64, i64, DatePrecision)> {
        let (n, p) = unit(k)?;
        Some(if p == DatePrecision::Day { (sign, 0, p) } else { (0, sign * n, p) })
    };
    (0..toks.len()).find_map(|k| {
        let (days, months, precision) = match (lex_at(k), lex_at(k + 1), lex_at(k + 2)) {
            (Lex::The, Lex::Next, _) => step(k + 2, 1),
            (Lex::The, _, _) if word(k + 1, "following") => step(k + 2, 1),
            (Lex::The, _, _) if word(k + 1, "previous") || word(k + 1, "preceding") => step(k + 2, -1),
            (Lex::The, _, Lex::After) if closed(k + 2) => step(k + 1, 1),
            (Lex::The, _, Lex::Before) if closed(k + 2) => step(k + 1, -1),
            (Lex::Later | Lex::Earlier, Lex::The, _) if day(k + 2) => step(k + 2, 0),
            (Lex::Later | Lex::Earlier, _, _) if word(k + 1, "that") => step(k + 2, 0),
            (Lex::The, _, _) if word(k + 1, "same") => step(k + 2, 0),
            _ => counted(k),
        }?;
        Some(NarrativeOffset { start: toks[k].start, end: toks[k + 2].end, days, months, precision })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    /// (surface, iso) of every mention.
    fn find(text: &str, anchor: Option<NaiveDate>) -> Vec<(String, String)> {
        find_dates(text, anchor)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.date.iso().unwrap_or_default()))
            .collect()
    }

    fn one(text: &str, anchor: Option<NaiveDate>) -> (String, String) {
        let v = find(text, anchor);
        assert_eq!(v.len(), 1, "{text:?} -> {v:?}");
        v.into_iter().next().unwrap()
    }

    #[test]
    fn tokenizer_numbers() {
        let mut t = Vec::new();
        lex::tokenize("1,000 15th 2021-06 $5 2.5", &mut t);
        assert_eq!(t[0].kind, lex::Kind::Num);
        assert!(t[0].grouped);
        assert!(t[1].ordinal && t[1].val == 15);
        assert_eq!(t[2].val, 2021);
        assert_eq!(t[3].kind, lex::Kind::Punct(b'-'));
        assert_eq!(t[5].kind, lex::Kind::Punct(b'$'));
    }

    #[test]
    fn tokenizer_unicode() {
        let mut t = Vec::new();
        let s = "Erdoğan\u{a0}2021–2022 ’s €5";
        lex::tokenize(s, &mut t);
        assert_eq!(&s[t[0].start..t[0].end], "Erdoğan");
        assert_eq!(t[1].val, 2021);
        assert_eq!(t[2].kind, lex::Kind::Punct(b'-'));
        assert_eq!(t[4].kind, lex::Kind::Punct(b'\''));
        assert_eq!(t[6].kind, lex::Kind::Punct(b'$'));
    }

    #[test]
    fn classify_keywords() {
        assert_eq!(lex::classify(b"Sept"), lex::Lex::Month(9, lex::MonthKind::Abbr));
        assert_eq!(lex::classify(b"MAY"), lex::Lex::Month(5, lex::MonthKind::Ambiguous));
        assert_eq!(lex::classify(b"Wednesday"), lex::Lex::Weekday(2));
        assert_eq!(lex::classify(b"Nagorno"), lex::Lex::Other);
    }

    #[test]
    fn precision_and_iso() {
        let none = ResolvedDate { year: None, month: None, day: None };
        assert_eq!(none.precision(), DatePrecision::None);
        assert_eq!(none.iso(), None);
        let month_only = ResolvedDate { year: None, month: Some(3), day: None };
        assert_eq!(month_only.precision(), DatePrecision::None);
        assert_eq!(ResolvedDate::ymd(987, 1, 2).iso().as_deref(), Some("0987-01-02"));
        assert_eq!(ResolvedDate::ymd(2021, 2, 3).to_naive_date(), d(2021, 2, 3));
    }

    #[test]
    fn fast_path() {
        assert!(find_dates("Azerbaijan may soon reopen the border.", None).is_empty());
        assert!(find_dates("Azerbaijan may soon reopen the border.", d(2024, 1, 1)).is_empty());
        assert!(!lex::has_dateless_keyword("No keyword here at all"));
        assert!(lex::has_dateless_keyword("It happened yesterday"));
    }

    #[test]
    fn explicit_forms() {
        assert_eq!(one("on June 15, 2021 at noon", None), ("June 15, 2021".into(), "2021-06-15".into()));
        assert_eq!(one("Sept. 15, 2021", None), ("Sept. 15, 2021".into(), "2021-09-15".into()));
        assert_eq!(one("the 5th of May, 2021", None), ("the 5th of May, 2021".into(), "2021-05-05".into()));
        assert_eq!(one("June 15-16, 2021", None).1, "2021-06-15");
        assert_eq!(one("15-16 June 2021", None).1, "2021-06-15");
        assert_eq!(one("mid-June", d(2021, 8, 1)), ("mid-June".into(), "2021-06".into()));
    }

    #[test]
    fn invalid_days_are_dropped() {
        // The impossible day is dropped; the year still stands on its own.
        assert_eq!(find("June 31, 2021", None), vec![("2021".to_string(), "2021".to_string())]);
        assert!(find("30.02.2021", None).is_empty());
        assert!(find("February 30", None).is_empty());
        assert_eq!(one("February 29", d(2023, 3, 1)).1, "2020-02-29");
    }

    #[test]
    fn weekday_arithmetic() {
        // 2023-09-20 is a Wednesday.
        let a = d(2023, 9, 20);
        assert_eq!(one("on Wednesday", a).1, "2023-09-20");
        assert_eq!(one("last Wednesday", a).1, "2023-09-13");
        assert_eq!(one("next Wednesday", a).1, "2023-09-27");
        assert_eq!(one("next Thursday", a).1, "2023-09-21");
        assert_eq!(one("last Thursday", a).1, "2023-09-14");
        assert_eq!(one("on Thursday", a).1, "2023-09-14");
    }

    #[test]
    fn month_arithmetic_wraps_years() {
        let a = d(2024, 1, 10);
        assert_eq!(one("last month", a).1, "2023-12");
        assert_eq!(one("two months ago", a).1, "2023-11");
        assert_eq!(one("14 months ago", a).1, "2022-11");
        assert_eq!(one("next month", d(2023, 12, 5)).1, "2024-01");
    }

    #[test]
    fn anchor_year_window() {
        // Within a week after the anchor: still this year.
        assert_eq!(one("on December 30", d(2023, 12, 26)).1, "2023-12-30");
        // Turn of the year: "January 2" written on 28 December is next year.
        assert_eq!(one("on January 2", d(2023, 12, 28)).1, "2024-01-02");
        // Later in the year than anchor + 7 days: last year.
        assert_eq!(one("on October 2", d(2024, 3, 1)).1, "2023-10-02");
    }

    #[test]
    fn proper_nouns_are_not_relative() {
        let a = d(2023, 9, 20);
        assert!(find("Bloody Sunday is remembered", a).is_empty());
        assert!(find("according to USA Today", a).is_empty());
    }

    #[test]
    fn weekday_before_explicit_date() {
        let a = d(2023, 9, 20);
        assert_eq!(find("Monday, June 15, 2021", a), vec![("June 15, 2021".to_string(), "2021-06-15".to_string())]);
    }
}
