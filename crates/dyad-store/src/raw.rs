//! Inserts whose text is bound without a copy.
//!
//! rusqlite binds every string with `SQLITE_TRANSIENT`: SQLite allocates a buffer, copies the
//! string into it and frees it at the next bind. That is right for a statement whose bindings
//! may outlive the borrowed values, and it cost the writer ~250 instructions per text
//! parameter: binding the 39 parameters of an `events` row took a third of that row's insert.
//! [`Insert`] binds strings with `SQLITE_STATIC` (SQLite reads them in place) and can afford
//! to, because its one operation binds *every* parameter, steps the statement once and resets
//! it, all while the borrowed values are alive.
//!
//! Invariant: SQLite dereferences a statically bound value only while the statement is stepped.
//! [`Insert::execute`] steps only after binding every parameter from the slice it was given, so
//! a pointer left behind by an earlier call is never read; replacing or finalizing a static
//! binding does not touch the old pointer either.

use rusqlite::{ffi, Connection};
use std::ffi::{c_int, CStr};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// One parameter of an [`Insert`]: borrowed for the call that binds it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Int(v as i64)
    }
}

impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// `[Param; N]` from expressions that convert into [`Param`].
macro_rules! raw_params {
    ($($e:expr),* $(,)?) => { [$($crate::raw::Param::from($e)),*] };
}
pub(crate) use raw_params;

/// A prepared `INSERT` (or any statement that returns no rows) on a connection, executed with
/// [`Insert::execute`]. Finalized on drop; it cannot outlive its connection.
pub(crate) struct Insert<'c> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    params: usize,
    _conn: PhantomData<&'c Connection>,
}

impl<'c> Insert<'c> {
    /// Prepares `sql` (one statement) on `conn`.
    pub(crate) fn prepare(conn: &'c Connection, sql: &str) -> rusqlite::Result<Insert<'c>> {
        // SAFETY: the handle is `conn`'s, which is open and outlives the statement ('c); the
        // SQL is passed with its length, so it needs no terminating NUL.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let len = c_int::try_from(sql.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))?;
            let rc = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT as _,
                &mut stmt,
                std::ptr::null_mut(),
            );
            if rc != ffi::SQLITE_OK {
                return Err(failure(rc, Some(message(db))));
            }
            let stmt = NonNull::new(stmt).ok_or_else(|| failure(ffi::SQLITE_MISUSE, Some("empty SQL".into())))?;
            let params = ffi::sqlite3_bind_parameter_count(stmt.as_ptr()) as usize;
            Ok(Insert { stmt, db, params, _conn: PhantomData })
        }
    }

    /// Binds `params` (all of the statement's parameters, in order), runs the statement to its
    /// end and returns how many rows it changed (0 for an insert that `ON CONFLICT DO NOTHING`
    /// skipped).
    ///
    /// # Panics
    /// When `params` does not have one value per parameter of the statement: a programming
    /// error, and the guard of this module's invariant.
    pub(crate) fn execute(&mut self, params: &[Param<'_>]) -> rusqlite::Result<usize> {
        assert_eq!(params.len(), self.params, "Insert::execute: one value per parameter");
        let stmt = self.stmt.as_ptr();
        // SAFETY: `stmt` is this statement, alive until drop, used on one thread at a time
        // (`&mut self`; the type is neither Send nor Sync through its raw pointers). Strings are
        // bound SQLITE_STATIC: they are borrowed for this call, and SQLite reads them only in
        // the `sqlite3_step` below (module invariant). The statement is reset before returning,
        // on every path after the binds.
        unsafe {
            for (i, p) in params.iter().enumerate() {
                let col = i as c_int + 1;
                let rc = match *p {
                    Param::Null => ffi::sqlite3_bind_null(stmt, col),
                    Param::Int(v) => ffi::sqlite3_bind_int64(stmt, col, v),
                    Param::Real(v) => ffi::sqlite3_bind_double(stmt, col, v),
                    Param::Text(s) => {
                        let len = c_int::try_from(s.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, None))?;
                        ffi::sqlite3_bind_text(stmt, col, s.as_ptr().cast(), len, ffi::SQLITE_STATIC())
                    }
                };
                if rc != ffi::SQLITE_OK {
                    return Err(failure(rc, Some(message(self.db))));
                }
            }
            let mut rc = ffi::sqlite3_step(stmt);
            while rc == ffi::SQLITE_ROW {
                rc = ffi::sqlite3_step(stmt);
            }
            if rc != ffi::SQLITE_DONE {
                // The extended code and message of the failure, read before the reset.
                let err = failure(ffi::sqlite3_extended_errcode(self.db), Some(message(self.db)));
                ffi::sqlite3_reset(stmt);
                return Err(err);
            }
            let changed = ffi::sqlite3_changes64(self.db) as usize;
            ffi::sqlite3_reset(stmt);
            Ok(changed)
        }
    }
}

impl Drop for Insert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is this value's and is finalized once, here, while its
        // connection is still open (the lifetime 'c).
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The rusqlite error for result code `rc`, as rusqlite reports a failure of its own calls.
fn failure(rc: c_int, msg: Option<String>) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), msg)
}

/// The connection's current error message.
///
/// # Safety
/// `db` must be an open connection.
unsafe fn message(db: *mut ffi::sqlite3) -> String {
    let m = ffi::sqlite3_errmsg(db);
    if m.is_null() {
        String::new()
    } else {
        CStr::from_ptr(m).to_string_lossy().into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_every_kind_and_counts_changes() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, i INTEGER, r REAL, n TEXT)").unwrap();
        let mut ins = Insert::prepare(&conn, "INSERT INTO t VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING").unwrap();
        for (k, i) in [("a", 1i64), ("bé", 2), ("a", 3)] {
            let key = format!("{k}-{i}"); // a temporary, dropped after each call
            let changed = ins.execute(&raw_params![&key[..k.len()], i, 0.5 * i as f64, None::<&str>]).unwrap();
            assert_eq!(changed, usize::from(i != 3), "{k} {i}");
        }
        let rows: Vec<(String, i64, f64, Option<String>)> = conn
            .prepare("SELECT k, i, r, n FROM t ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, vec![("a".into(), 1, 0.5, None), ("bé".into(), 2, 1.0, None)]);
    }

    #[test]
    fn a_failed_step_reports_sqlites_code_and_message_and_the_statement_runs_again() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)").unwrap();
        let mut ins = Insert::prepare(&conn, "INSERT INTO t VALUES (?1, ?2)").unwrap();
        ins.execute(&raw_params!["x", "1"]).unwrap();
        match ins.execute(&raw_params!["x", "2"]) {
            Err(rusqlite::Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation);
                assert!(msg.contains("UNIQUE"), "{msg}");
            }
            other => panic!("expected a constraint failure, got {other:?}"),
        }
        match ins.execute(&raw_params!["y", None::<&str>]) {
            Err(rusqlite::Error::SqliteFailure(e, Some(msg))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation);
                assert!(msg.contains("NOT NULL"), "{msg}");
            }
            other => panic!("expected a NOT NULL failure, got {other:?}"),
        }
        assert_eq!(ins.execute(&raw_params!["y", "3"]).unwrap(), 1);
        let n: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 2);
    }

    #[test]
    fn a_bad_statement_fails_to_prepare_with_sqlites_message() {
        let conn = Connection::open_in_memory().unwrap();
        let err = Insert::prepare(&conn, "INSERT INTO missing VALUES (?1)").err().expect("no such table");
        assert!(err.to_string().contains("no such table"), "{err}");
    }

    #[test]
    #[should_panic(expected = "one value per parameter")]
    fn too_few_values_panic_before_anything_is_bound() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a, b)").unwrap();
        let mut ins = Insert::prepare(&conn, "INSERT INTO t VALUES (?1, ?2)").unwrap();
        let _ = ins.execute(&raw_params![1i64]);
    }
}
