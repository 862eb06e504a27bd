//! Rollups kept current by every write: directed dyad aggregates by month (`dyad_month`) and by
//! day (`dyad_day`), and the surface texts that name each actor (`actor_texts`).
//!
//! A write transaction does not touch these tables once per event. It collects the changes in a
//! [`Rollups`] — one counter per (dyad, period) and per (actor, text), added to by new events and
//! subtracted from by removed ones — and writes them with one upsert per distinct key just before
//! its commit ([`Rollups::flush`]). A batch of a few hundred news documents names a few dozen
//! dyads, so this turns thousands of B-tree updates into tens, and the tables are exactly what a
//! recount from `events` gives at every commit ([`crate::Store::check_consistency`] checks).
//!
//! Which events count: factual ones (neither negated nor hypothetical) with both a source and a
//! target key; `dyad_month` takes every event whose year and month are known, `dyad_day` those
//! dated to the day (`YYYY-MM-DD`).

use crate::dates::PartialDate;
use crate::Result;
use rusqlite::{params, Connection};
use std::collections::HashMap;

/// Event counts of one directed dyad in one period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    events: i64,
    quad: [i64; 4],
    /// Goldstein sum in thousandths (exact under addition and subtraction).
    milli: i64,
}

impl Counts {
    fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

/// Goldstein in thousandths, the unit the rollups add up.
pub(crate) fn goldstein_milli(g: f64) -> i64 {
    (g * 1000.0).round() as i64
}

/// One event's part in the rollups, as [`Rollups::event`] takes it.
pub(crate) struct EventPart<'a> {
    pub source_key: Option<&'a str>,
    pub target_key: Option<&'a str>,
    /// The event's date as stored (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `--MM-DD` or none).
    pub date: Option<&'a str>,
    pub negated: bool,
    pub hypothetical: bool,
    pub quad_class: i64,
    pub goldstein: f64,
}

/// Pending rollup changes of one write transaction.
///
/// The maps are keyed by [`join`]ed strings, built in `buf` for each lookup: an event that adds
/// to a key seen before (most do) allocates nothing.
#[derive(Default)]
pub(crate) struct Rollups {
    /// (source, target, month) → counts.
    month: HashMap<String, Counts>,
    /// (source, target, day) → counts.
    day: HashMap<String, Counts>,
    /// (actor key, text) → (kind, change of `n`).
    texts: HashMap<String, (&'static str, i64)>,
    buf: String,
}

/// Writes `parts` into `buf` as one key: each part but the last prefixed by its length and a
/// colon, so that no two lists give the same key (see [`split`]).
fn join(buf: &mut String, parts: &[&str]) {
    buf.clear();
    let (last, rest) = parts.split_last().expect("a key has parts");
    let mut digits = itoa::Buffer::new();
    for p in rest {
        // `itoa`, not `write!`, whose formatting machinery costs more than the rest of a lookup
        buf.push_str(digits.format(p.len()));
        buf.push(':');
        buf.push_str(p);
    }
    buf.push_str(last);
}

/// The `N` parts of a key that [`join`] made.
fn split<const N: usize>(mut key: &str) -> [&str; N] {
    let mut parts = [""; N];
    for part in parts.iter_mut().take(N - 1) {
        let (len, rest) = key.split_once(':').expect("a joined key");
        let len: usize = len.parse().expect("a joined key");
        (*part, key) = rest.split_at(len);
    }
    parts[N - 1] = key;
    parts
}

/// Adds `sign` times an event (its QuadClass and Goldstein) to the counts under `key`.
fn add(map: &mut HashMap<String, Counts>, key: &str, e: &EventPart<'_>, sign: i64) {
    let c = match map.get_mut(key) {
        Some(c) => c,
        None => map.entry(key.to_string()).or_default(),
    };
    c.events += sign;
    if (1..=4).contains(&e.quad_class) {
        c.quad[e.quad_class as usize - 1] += sign;
    }
    c.milli += goldstein_milli(e.goldstein) * sign;
}

impl Rollups {
    /// Adds (`sign` = 1) or removes (`sign` = -1) one event's contribution.
    pub fn event(&mut self, e: &EventPart<'_>, sign: i64) {
        let (Some(s), Some(t)) = (e.source_key, e.target_key) else { return };
        if e.negated || e.hypothetical {
            return;
        }
        let Some(date) = e.date else { return };
        let Some(d) = PartialDate::parse(date) else { return };
        // `parse` takes only the zero-padded ISO forms, so the periods are prefixes of the date:
        // `YYYY-MM` and, dated to the day, `YYYY-MM-DD`, the whole of it.
        if d.year.is_some() && d.month.is_some() {
            join(&mut self.buf, &[s, t, &date[..7]]);
            add(&mut self.month, &self.buf, e, sign);
            if d.day.is_some() {
                join(&mut self.buf, &[s, t, date]);
                add(&mut self.day, &self.buf, e, sign);
            }
        }
    }

    /// Adds (`sign` = 1) or removes (`sign` = -1) one naming of `key` by `text`.
    pub fn text(&mut self, key: &str, text: &str, kind: &'static str, sign: i64) {
        join(&mut self.buf, &[key, text]);
        let e = match self.texts.get_mut(self.buf.as_str()) {
            Some(e) => e,
            None => self.texts.entry(self.buf.clone()).or_insert(("", 0)),
        };
        if !kind.is_empty() {
            e.0 = kind;
        }
        e.1 += sign;
    }

    /// Writes every pending change (one upsert per key whose net change is not zero; rows left
    /// with no events are deleted) and empties `self`.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        for (table, period, map) in [("dyad_month", "month", &mut self.month), ("dyad_day", "day", &mut self.day)] {
            let upsert = format!(
                "INSERT INTO {table} (source_key, target_key, {period}, events, q1, q2, q3, q4, goldstein_sum,
                    goldstein_milli)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 / 1000.0, ?9)
                 ON CONFLICT (source_key, target_key, {period}) DO UPDATE SET
                    events = events + excluded.events, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2,
                    q3 = q3 + excluded.q3, q4 = q4 + excluded.q4,
                    goldstein_sum = (goldstein_milli + excluded.goldstein_milli) / 1000.0,
                    goldstein_milli = goldstein_milli + excluded.goldstein_milli"
            );
            let delete = format!(
                "DELETE FROM {table} WHERE source_key = ?1 AND target_key = ?2 AND {period} = ?3 AND events <= 0"
            );
            for (k, c) in map.drain() {
                if c.is_zero() {
                    continue;
                }
                let [s, t, p] = split::<3>(&k);
                conn.prepare_cached(&upsert)?
                    .execute(params![s, t, p, c.events, c.quad[0], c.quad[1], c.quad[2], c.quad[3], c.milli])?;
                if c.events < 0 {
                    conn.prepare_cached(&delete)?.execute(params![s, t, p])?;
                }
            }
        }
        for (k, (kind, n)) in self.texts.drain() {
            if n == 0 {
                continue;
            }
            let [key, text] = split::<2>(&k);
            conn.prepare_cached(
                "INSERT INTO actor_texts (key, text, kind, n) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key, text) DO UPDATE SET n = n + excluded.n",
            )?
            .execute(params![key, text, kind, n])?;
            if n < 0 {
                conn.prepare_cached("DELETE FROM actor_texts WHERE key = ?1 AND text = ?2 AND n <= 0")?
                    .execute(params![key, text])?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_keys_split_back_and_never_collide() {
        let mut buf = String::new();
        let lists: [&[&str]; 5] = [
            &["AZE", "ARM", "2021-06"],
            &["AZ", "EARM", "2021-06"],
            &["", "", ""],
            &["a:1", "2:b", "c:"],
            &["é", "ü:", "x"],
        ];
        let mut seen = std::collections::HashSet::new();
        for parts in lists {
            join(&mut buf, parts);
            assert!(seen.insert(buf.clone()), "{parts:?} collides");
            assert_eq!(split::<3>(&buf), parts);
        }
        join(&mut buf, &["USA", "Washington"]);
        assert_eq!(split::<2>(&buf), ["USA", "Washington"]);
        let long = "x".repeat(1234);
        join(&mut buf, &[&long, "y"]);
        assert!(buf.starts_with("1234:x"));
        assert_eq!(split::<2>(&buf), [long.as_str(), "y"]);
    }
}
