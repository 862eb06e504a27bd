//! Query-string parsing and validation. Every parameter arrives as text and is checked here, so
//! a bad value gets a 400 that names the parameter, what it got and what it accepts.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The query string parsed into `T` (a struct of `Option<String>` fields with
/// `deny_unknown_fields`): unknown or repeated parameters are a 400.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str::<T>(q)
            .map(Params)
            .map_err(|e| ApiError::bad_request(format!("bad query string: {e}")))
    }
}

/// Longest accepted text parameter (`text`, `q`), in characters.
pub const MAX_TEXT: usize = 500;
/// Deepest page reachable with `offset`: deeper pages should narrow the filters instead.
pub const MAX_OFFSET: usize = 1_000_000;

fn shown(v: &str) -> String {
    let mut s: String = v.chars().take(60).collect();
    if v.chars().count() > 60 {
        s.push('…');
    }
    format!("{s:?}")
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real calendar date.
pub fn date(name: &str, v: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let bad = || {
        ApiError::bad_request(format!(
            "{name} must be a date YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021, 2021-06, 2021-06-15), got {}",
            shown(v)
        ))
    };
    let parts: Vec<&str> = v.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if digits(y, 4) => {}
        [y, m] if digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)) => {}
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
                return Err(bad());
            }
        }
        _ => return Err(bad()),
    }
    Ok(Some(v.clone()))
}

/// `since` and `until`, each a date, `since` not after `until`.
pub fn range(since: Option<&String>, until: Option<&String>) -> Result<(Option<String>, Option<String>), ApiError> {
    let s = date("since", since)?;
    let u = date("until", until)?;
    if let (Some(a), Some(b)) = (&s, &u) {
        // Compare on the common prefix: since=2021-06 until=2021 is a valid (one-year) range.
        let n = a.len().min(b.len());
        if a[..n] > b[..n] {
            return Err(ApiError::bad_request(format!("since ({a}) is after until ({b})")));
        }
    }
    Ok((s, u))
}

/// An actor key: ISO alpha-3 country (`ARM`), organisation id (`EU`, `OSCE`) or actor code.
pub fn key(name: &str, v: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let ok = !v.is_empty() && v.len() <= 40 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if !ok {
        return Err(ApiError::bad_request(format!(
            "{name} must be an actor key (1-40 letters, digits, '_', '.', '-'; e.g. ARM, EU), got {}",
            shown(v)
        )));
    }
    Ok(Some(v.clone()))
}

/// An actor key that must be present.
pub fn required_key(name: &str, v: Option<&String>) -> Result<String, ApiError> {
    key(name, v)?.ok_or_else(|| ApiError::bad_request(format!("{name} is required (an actor key such as ARM)")))
}

/// An integer in `min..=max`, or `default` when absent.
pub fn int(name: &str, v: Option<&String>, default: usize, min: usize, max: usize) -> Result<usize, ApiError> {
    let Some(v) = v else { return Ok(default) };
    match v.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(format!("{name} must be an integer from {min} to {max}, got {}", shown(v)))),
    }
}

/// `true`/`false` (also `1`/`0`), or `default` when absent.
pub fn boolean(name: &str, v: Option<&String>, default: bool) -> Result<bool, ApiError> {
    match v.map(String::as_str) {
        None => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => Err(ApiError::bad_request(format!("{name} must be true or false, got {}", shown(other)))),
    }
}

/// Free text for full-text matching, 1..=[`MAX_TEXT`] characters.
pub fn text(name: &str, v: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    let n = v.chars().count();
    if n == 0 || n > MAX_TEXT || v.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "{name} must be 1 to {MAX_TEXT} characters of text without control characters, got {n} characters"
        )));
    }
    Ok(Some(v.clone()))
}

/// CAMEO roots: a comma-separated list of two-digit roots `01`..`20`.
pub fn roots(v: Option<&String>) -> Result<Vec<String>, ApiError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    v.split(',')
        .map(|r| {
            let r = r.trim();
            let ok =
                r.len() == 2 && r.bytes().all(|b| b.is_ascii_digit()) && (1..=20).contains(&r.parse().unwrap_or(0));
            if ok {
                Ok(r.to_string())
            } else {
                Err(ApiError::bad_request(format!(
                    "root must be CAMEO roots 01 to 20, comma-separated (e.g. 14,19), got {}",
                    shown(v)
                )))
            }
        })
        .collect()
}

/// A CAMEO code or code prefix: 2 to 4 digits.
pub fn code(v: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    if !(2..=4).contains(&v.len()) || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(format!(
            "code must be a CAMEO code or prefix of 2 to 4 digits (e.g. 05, 057), got {}",
            shown(v)
        )));
    }
    Ok(Some(v.clone()))
}

/// A PLOVER event type (`CONSULT`, `ASSAULT`); case-insensitive, returned upper-case.
pub fn plover(v: Option<&String>) -> Result<Option<String>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    if v.is_empty() || v.len() > 32 || !v.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
        return Err(ApiError::bad_request(format!(
            "plover must be a PLOVER event type such as CONSULT or ASSAULT, got {}",
            shown(v)
        )));
    }
    Ok(Some(v.to_ascii_uppercase()))
}

/// One of a fixed set of words.
pub fn choice<'a>(name: &str, v: Option<&String>, default: &'a str, allowed: &[&'a str]) -> Result<&'a str, ApiError> {
    let Some(v) = v else { return Ok(default) };
    allowed
        .iter()
        .find(|a| **a == v.as_str())
        .copied()
        .ok_or_else(|| ApiError::bad_request(format!("{name} must be one of {}, got {}", allowed.join(", "), shown(v))))
}

/// A path id (event id, document id): 1..=512 characters, no control characters.
pub fn path_id(what: &str, v: &str) -> Result<(), ApiError> {
    if v.is_empty() || v.chars().count() > 512 || v.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!("{what} must be 1 to 512 characters without control characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn dates() {
        for ok in ["2021", "2021-06", "2021-06-15", "2024-02-29"] {
            assert_eq!(date("since", s(ok).as_ref()).unwrap().as_deref(), Some(ok));
        }
        for bad in ["21", "2021-13", "2021-6", "2021-02-30", "2023-02-29", "2021-06-15T00", "x", "", "２０２１"] {
            let e = date("since", s(bad).as_ref()).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
            assert!(e.message.starts_with("since must be a date"), "{}", e.message);
        }
        assert!(range(s("2021-06").as_ref(), s("2021").as_ref()).is_ok());
        assert!(range(s("2022").as_ref(), s("2021-12").as_ref()).is_err());
    }

    #[test]
    fn keys_ints_and_lists() {
        assert_eq!(key("actor", s("ARM").as_ref()).unwrap().as_deref(), Some("ARM"));
        for bad in ["", "A B", "'; DROP TABLE events; --", "../x", "Ä"] {
            assert!(key("actor", s(bad).as_ref()).is_err(), "{bad}");
        }
        assert_eq!(int("limit", None, 50, 1, 1000).unwrap(), 50);
        for bad in ["0", "1001", "-1", "1e3", "abc", " 5"] {
            assert!(int("limit", s(bad).as_ref(), 50, 1, 1000).is_err(), "{bad}");
        }
        assert_eq!(roots(s("14, 19").as_ref()).unwrap(), vec!["14", "19"]);
        assert!(roots(s("21").as_ref()).is_err());
        assert!(roots(s("1").as_ref()).is_err());
        assert_eq!(plover(s("consult").as_ref()).unwrap().as_deref(), Some("CONSULT"));
        assert!(code(s("0571x").as_ref()).is_err());
        assert!(boolean("negated", s("yes").as_ref(), false).is_err());
        assert_eq!(choice("by", s("week").as_ref(), "month", &["day", "week", "month"]).unwrap(), "week");
        assert!(choice("by", s("hour").as_ref(), "month", &["day", "week", "month"]).is_err());
        assert!(text("text", s(&"x".repeat(501)).as_ref()).is_err());
        assert!(path_id("document id", "a\u{0}b").is_err());
    }
}
