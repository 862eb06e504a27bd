//! Small helpers shared by the exporters: field cleaning, date and timestamp parsing, URL hosts,
//! XML escaping.

use std::borrow::Cow;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};

/// Replaces tabs, line feeds and carriage returns by spaces, so a field cannot break a TSV line.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        Cow::Owned(s.replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// [`clean`] for an optional field; `None` is the empty string.
pub(crate) fn clean_opt(s: &Option<String>) -> Cow<'_, str> {
    s.as_deref().map(clean).unwrap_or(Cow::Borrowed(""))
}

/// A date as dyad writes it, with whatever precision it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PartialDate {
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
    /// `--MM-DD`: month and day of an unknown year.
    MonthDay(u32, u32),
}

/// Parses `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `--MM-DD`; anything else (or an impossible date) is
/// `None`.
pub(crate) fn parse_partial(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let num = |t: &str| -> Option<u32> {
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    if let Some(md) = s.strip_prefix("--") {
        let (m, d) = md.split_once('-')?;
        let (m, d) = (num(m)?, num(d)?);
        // Validate against a leap year so that --02-29 is accepted.
        NaiveDate::from_ymd_opt(2000, m, d)?;
        return Some(PartialDate::MonthDay(m, d));
    }
    let mut parts = s.splitn(3, '-');
    let y = parts.next().filter(|y| y.len() == 4).and_then(num)? as i32;
    match (parts.next(), parts.next()) {
        (None, _) => Some(PartialDate::Year(y)),
        (Some(m), None) => {
            let m = num(m).filter(|m| (1..=12).contains(m))?;
            Some(PartialDate::Month(y, m))
        }
        (Some(m), Some(d)) => NaiveDate::from_ymd_opt(y, num(m)?, num(d)?).map(PartialDate::Day),
    }
}

/// Parses a store timestamp: RFC 3339 (converted to UTC), or `YYYY-MM-DD[T ]HH:MM:SS` taken as
/// UTC, or a bare `YYYY-MM-DD` taken as midnight UTC.
pub(crate) fn parse_timestamp(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc).naive_utc());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t);
        }
    }
    match parse_partial(s) {
        Some(PartialDate::Day(d)) => d.and_hms_opt(0, 0, 0),
        _ => None,
    }
}

/// `YYYYMMDDHHMMSS`, GDELT's timestamp format.
pub(crate) fn gdelt_timestamp(t: NaiveDateTime) -> String {
    format!("{:04}{:02}{:02}{:02}{:02}{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// A store timestamp as `YYYYMMDDHHMMSS`, or the empty string when it cannot be parsed.
pub(crate) fn gdelt_timestamp_str(s: &str) -> String {
    parse_timestamp(s).map(gdelt_timestamp).unwrap_or_default()
}

/// Escapes a string for XML text or a double-quoted attribute value.
///
/// `&`, `<`, `>`, `"` and `'` become entities; tab, line feed and carriage return become
/// character references (so attribute values keep them instead of being normalised to spaces);
/// other control characters, which XML 1.0 does not allow at all, become U+FFFD.
pub(crate) fn xml_escape(s: &str) -> Cow<'_, str> {
    let needs = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || is_xml_special(c);
    if !s.contains(needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_special(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Characters that need more than copying in XML: tab/LF/CR, and the characters XML 1.0 forbids
/// (C0 controls, U+FFFE, U+FFFF).
fn is_xml_special(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates() {
        assert_eq!(parse_partial("2024-03-05"), Some(PartialDate::Day(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())));
        assert_eq!(parse_partial("2024-03"), Some(PartialDate::Month(2024, 3)));
        assert_eq!(parse_partial("2024"), Some(PartialDate::Year(2024)));
        assert_eq!(parse_partial("--02-29"), Some(PartialDate::MonthDay(2, 29)));
        assert_eq!(parse_partial("2023-02-29"), None);
        assert_eq!(parse_partial("2024-13"), None);
        assert_eq!(parse_partial("soon"), None);
        assert_eq!(parse_partial(""), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(gdelt_timestamp_str("2024-03-06T10:15:07Z"), "20240306101507");
        assert_eq!(gdelt_timestamp_str("2024-03-06T01:15:07+02:00"), "20240305231507");
        assert_eq!(gdelt_timestamp_str("2024-03-06T10:15:07.123456Z"), "20240306101507");
        assert_eq!(gdelt_timestamp_str("2024-03-06 10:15:07"), "20240306101507");
        assert_eq!(gdelt_timestamp_str("2024-03-06"), "20240306000000");
        assert_eq!(gdelt_timestamp_str("yesterday"), "");
    }

    #[test]
    fn xml() {
        assert_eq!(xml_escape("plain"), "plain");
        assert_eq!(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(xml_escape("a\tb\nc\u{1}"), "a&#9;b&#10;c\u{FFFD}");
    }
}
