//! Partial dates as the coder writes them, and the compatibility rule used by dedup.

use dyad_core::DatePrecision;

/// A date with possibly unknown parts: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `--MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct PartialDate {
    pub year: Option<u16>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

fn num<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl PartialDate {
    /// Parses the ISO forms the coder emits; anything else is `None`.
    ///
    /// ```
    /// use dyad_store::PartialDate;
    /// let d = PartialDate::parse("--10-02").unwrap();
    /// assert_eq!((d.year, d.month, d.day), (None, Some(10), Some(2)));
    /// assert!(PartialDate::parse("2021-6").is_none());
    /// ```
    pub fn parse(s: &str) -> Option<PartialDate> {
        let d = if let Some(md) = s.strip_prefix("--") {
            let (m, d) = md.split_once('-')?;
            PartialDate { year: None, month: Some(num(m, 2)?), day: Some(num(d, 2)?) }
        } else {
            let mut parts = s.split('-');
            let y = num(parts.next()?, 4)?;
            let m = match parts.next() {
                Some(m) => Some(num::<u8>(m, 2)?),
                None => None,
            };
            let d = match parts.next() {
                Some(d) => Some(num::<u8>(d, 2)?),
                None => None,
            };
            if parts.next().is_some() {
                return None;
            }
            PartialDate { year: Some(y), month: m, day: d }
        };
        if d.month.is_some_and(|m| !(1..=12).contains(&m)) || d.day.is_some_and(|x| !(1..=31).contains(&x)) {
            return None;
        }
        Some(d)
    }

    fn known(&self) -> [bool; 3] {
        [self.year.is_some(), self.month.is_some(), self.day.is_some()]
    }

    /// How many parts are known.
    pub fn specificity(&self) -> usize {
        self.known().iter().filter(|k| **k).count()
    }

    /// `self` says nothing that `other` does not: every known part of `self` is known and equal
    /// in `other` (`2021-06` generalises `2021-06-15`; `--10-02` generalises `2021-10-02`).
    pub fn generalises(&self, other: &PartialDate) -> bool {
        (self.year.is_none() || self.year == other.year)
            && (self.month.is_none() || self.month == other.month)
            && (self.day.is_none() || self.day == other.day)
    }

    /// Dedup compatibility: one date is a prefix of the other at its precision.
    pub fn compatible(&self, other: &PartialDate) -> bool {
        self.generalises(other) || other.generalises(self)
    }

    /// The more precise of two compatible dates.
    pub fn refine(&self, other: &PartialDate) -> PartialDate {
        PartialDate { year: self.year.or(other.year), month: self.month.or(other.month), day: self.day.or(other.day) }
    }

    /// `YYYY-MM` when year and month are known.
    pub fn month_key(&self) -> Option<String> {
        Some(format!("{:04}-{:02}", self.year?, self.month?))
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.year, self.month, self.day) {
            (_, _, Some(_)) => DatePrecision::Day,
            (Some(_), Some(_), None) => DatePrecision::Month,
            (Some(_), None, None) => DatePrecision::Year,
            _ => DatePrecision::None,
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => write!(f, "{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => write!(f, "{y:04}-{m:02}"),
            (Some(y), None, _) => write!(f, "{y:04}"),
            (None, Some(m), Some(d)) => write!(f, "--{m:02}-{d:02}"),
            (None, Some(m), None) => write!(f, "--{m:02}"),
            (None, None, _) => Ok(()),
        }
    }
}

pub(crate) fn precision_from_str(s: &str) -> DatePrecision {
    match s {
        "day" => DatePrecision::Day,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        _ => DatePrecision::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn compatibility() {
        assert!(p("2021-06").compatible(&p("2021-06-15")));
        assert!(p("2021-06-15").compatible(&p("2021-06")));
        assert!(p("2021").compatible(&p("2021-06-15")));
        assert!(p("--10-02").compatible(&p("2021-10-02")));
        assert!(!p("--10-02").compatible(&p("2021-10")));
        assert!(!p("2021-06").compatible(&p("2021-07-01")));
        assert!(!p("2021-06-15").compatible(&p("2021-06-16")));
        assert_eq!(p("2021-06").refine(&p("2021-06-15")).to_string(), "2021-06-15");
        assert_eq!(p("--10-02").refine(&p("2021-10-02")).to_string(), "2021-10-02");
        for s in ["2021", "2021-06", "2021-06-15", "--10-02"] {
            assert_eq!(p(s).to_string(), s);
        }
        assert!(PartialDate::parse("2021-13").is_none());
        assert!(PartialDate::parse("yesterday").is_none());
    }
}
