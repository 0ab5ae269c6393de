//! The state database of scheduled runs (`--state STATE.db`): what each input was when it was
//! last converted, so the next run converts only what is new or changed.
//!
//! An embedded SQLite database (WAL journal) with one row per input path:
//!
//! | column | what |
//! |---|---|
//! | `path` | the input's relative path, as in `source.path` (primary key) |
//! | `key` | the path's 63-bit blake3 key, used by `--shard` ([`shard_key`]) |
//! | `size`, `mtime_ns` | the file's size and modification time when last looked at |
//! | `hash` | blake3 of the file's bytes (32 bytes) |
//! | `rules` | the [`rules_version`] that converted it |
//! | `outcome` | `converted`, `skipped` or `failed:<kind>` |
//! | `seen` | the number of the last run that walked it |
//!
//! A file is *unchanged*, and not converted again, when its row has the current rules version
//! and either the same size and modification time or, failing that, the same content hash
//! (a `touch` does not reconvert). Files that failed with kind `io` are always retried.
//!
//! **Crash safety.** One run is one write transaction, committed by [`State::commit`] only
//! after every output file of the run has been synced and renamed into place. A run killed at
//! any moment therefore leaves the state as the previous run left it, and the run started
//! again redoes exactly what the killed one would have done.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::config::Shard;

/// The version of the conversion rules: a file converted under another version is converted
/// again. It changes with the crate version, the record layout version and the sources and
/// rule data of the build (`GONGWEN_RULES_HASH`, see `build.rs`).
pub fn rules_version() -> String {
    format!(
        "gongwen {} record {} rules {}",
        env!("CARGO_PKG_VERSION"),
        crate::record::SCHEMA_VERSION,
        env!("GONGWEN_RULES_HASH")
    )
}

/// The 63-bit key of a relative path: the first 8 bytes of its blake3 hash, little-endian,
/// shifted right once so that it fits SQLite's signed integers.
pub fn shard_key(rel: &str) -> i64 {
    let hash = blake3::hash(rel.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    (u64::from_le_bytes(first) >> 1) as i64
}

/// What a file was when last looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub size: u64,
    pub mtime_ns: i64,
    pub hash: [u8; 32],
}

/// An input's row from the previous runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Previous {
    pub fingerprint: Fingerprint,
    pub rules: String,
    pub outcome: String,
}

impl Previous {
    /// Whether the previous outcome stands for a file of this size and modification time
    /// (`None` when only the content hash can tell).
    pub fn current_by_stat(&self, rules: &str, size: u64, mtime_ns: i64) -> Option<bool> {
        if !self.reusable(rules) {
            return Some(false);
        }
        if self.fingerprint.size == size && self.fingerprint.mtime_ns == mtime_ns {
            Some(true)
        } else if self.fingerprint.size != size {
            Some(false)
        } else {
            None
        }
    }

    /// Whether the previous outcome stands for a file with this content hash.
    pub fn current_by_hash(&self, rules: &str, hash: &[u8; 32]) -> bool {
        self.reusable(rules) && &self.fingerprint.hash == hash
    }

    fn reusable(&self, rules: &str) -> bool {
        self.rules == rules && !TRANSIENT.contains(&self.outcome.as_str())
    }
}

/// Outcomes that say more about the run than about the file (a read error, a worker's time or
/// memory limit, a worker that died): such a file is converted again by the next run.
const TRANSIENT: [&str; 4] = [
    "failed:io",
    "failed:timeout",
    "failed:out_of_memory",
    "failed:crashed",
];

/// Why the state database could not be used (the run stops: exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("state database")]
pub struct StateError(#[from] rusqlite::Error);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS files (
    path     TEXT PRIMARY KEY,
    key      INTEGER NOT NULL,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash     BLOB NOT NULL,
    rules    TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    seen     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
";

/// The run's write side: one transaction, committed at the end of a successful run.
pub struct State {
    conn: Connection,
    run: i64,
}

impl State {
    /// Open (creating if need be) the database at `path` and start this run's transaction.
    ///
    /// # Errors
    /// When the file cannot be opened or is not a gongwen state database.
    pub fn open(path: &Path) -> Result<State, StateError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=FULL;")?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let last: Option<i64> = conn
            .query_row("SELECT value FROM meta WHERE name = 'run'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let run = last.unwrap_or(0) + 1;
        conn.execute(
            "INSERT INTO meta (name, value) VALUES ('run', ?1)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            params![run],
        )?;
        Ok(State { conn, run })
    }

    /// Record what a file is now and how its conversion ended.
    ///
    /// # Errors
    /// A database error.
    pub fn record(
        &mut self,
        rel: &str,
        fp: &Fingerprint,
        rules: &str,
        outcome: &str,
    ) -> Result<(), StateError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO files (path, key, size, mtime_ns, hash, rules, outcome, seen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(path) DO UPDATE SET size = excluded.size,
                 mtime_ns = excluded.mtime_ns, hash = excluded.hash, rules = excluded.rules,
                 outcome = excluded.outcome, seen = excluded.seen",
        )?;
        stmt.execute(params![
            rel,
            shard_key(rel),
            fp.size as i64,
            fp.mtime_ns,
            &fp.hash[..],
            rules,
            outcome,
            self.run
        ])?;
        Ok(())
    }

    /// Mark an unchanged file as seen by this run (its modification time may have moved).
    ///
    /// # Errors
    /// A database error.
    pub fn touch(&mut self, rel: &str, mtime_ns: i64) -> Result<(), StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE files SET seen = ?2, mtime_ns = ?3 WHERE path = ?1")?;
        stmt.execute(params![rel, self.run, mtime_ns])?;
        Ok(())
    }

    /// Every file of `shard` that this run did not see, in path order, handed to `each` with
    /// its last content hash, then dropped from the state.
    ///
    /// # Errors
    /// A database error, or the first error `each` returns.
    pub fn take_deleted<E: From<StateError>>(
        &mut self,
        shard: Shard,
        mut each: impl FnMut(&str, &[u8]) -> Result<(), E>,
    ) -> Result<u64, E> {
        let filter = "seen < ?1 AND key % ?2 = ?3";
        let args = params![self.run, shard.count as i64, shard.index as i64];
        let mut n = 0;
        {
            let mut stmt = self
                .conn
                .prepare(&format!(
                    "SELECT path, hash FROM files WHERE {filter} ORDER BY path"
                ))
                .map_err(StateError::from)?;
            let mut rows = stmt.query(args).map_err(StateError::from)?;
            while let Some(row) = rows.next().map_err(StateError::from)? {
                let path: String = row.get(0).map_err(StateError::from)?;
                let hash: Vec<u8> = row.get(1).map_err(StateError::from)?;
                each(&path, &hash)?;
                n += 1;
            }
        }
        self.conn
            .execute(&format!("DELETE FROM files WHERE {filter}"), args)
            .map_err(StateError::from)?;
        Ok(n)
    }

    /// Commit this run's changes.
    ///
    /// # Errors
    /// A database error; the state then stays as the previous run left it.
    pub fn commit(self) -> Result<(), StateError> {
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }
}

/// A read-only view of the state as the previous run committed it, for the walker.
pub struct Lookup {
    conn: Connection,
}

impl Lookup {
    /// Open a second connection to the database [`State::open`] has opened.
    ///
    /// # Errors
    /// When the database cannot be opened.
    pub fn open(path: &Path) -> Result<Lookup, StateError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        Ok(Lookup { conn })
    }

    /// The previous runs' row for `rel`, if any.
    ///
    /// # Errors
    /// A database error.
    pub fn get(&self, rel: &str) -> Result<Option<Previous>, StateError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT size, mtime_ns, hash, rules, outcome FROM files WHERE path = ?1",
        )?;
        let row = stmt
            .query_row(params![rel], |r| {
                let hash: Vec<u8> = r.get(2)?;
                let mut h = [0u8; 32];
                if hash.len() == 32 {
                    h.copy_from_slice(&hash);
                }
                Ok(Previous {
                    fingerprint: Fingerprint {
                        size: r.get::<_, i64>(0)? as u64,
                        mtime_ns: r.get(1)?,
                        hash: h,
                    },
                    rules: r.get(3)?,
                    outcome: r.get(4)?,
                })
            })
            .optional()?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(size: u64, mtime_ns: i64, byte: u8) -> Fingerprint {
        Fingerprint {
            size,
            mtime_ns,
            hash: [byte; 32],
        }
    }

    #[test]
    fn uncommitted_runs_leave_the_state_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.db");
        let mut s = State::open(&db).unwrap();
        s.record("a.html", &fp(1, 1, 1), "r1", "converted").unwrap();
        s.commit().unwrap();
        let mut s = State::open(&db).unwrap();
        s.record("b.html", &fp(2, 2, 2), "r1", "converted").unwrap();
        drop(s);
        let l = Lookup::open(&db).unwrap();
        assert!(l.get("a.html").unwrap().is_some());
        assert!(l.get("b.html").unwrap().is_none());
    }

    #[test]
    fn files_not_seen_by_a_run_are_handed_back_as_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("state.db");
        let mut s = State::open(&db).unwrap();
        s.record("a", &fp(1, 1, 1), "r", "converted").unwrap();
        s.record("b", &fp(1, 1, 2), "r", "converted").unwrap();
        s.commit().unwrap();
        let mut s = State::open(&db).unwrap();
        s.touch("a", 5).unwrap();
        let mut gone = Vec::new();
        let n = s
            .take_deleted::<StateError>(Shard::ALL, |p, h| {
                gone.push((p.to_string(), h.to_vec()));
                Ok(())
            })
            .unwrap();
        s.commit().unwrap();
        assert_eq!(n, 1);
        assert_eq!(gone, vec![("b".to_string(), vec![2u8; 32])]);
        let l = Lookup::open(&db).unwrap();
        assert!(l.get("b").unwrap().is_none());
        assert_eq!(l.get("a").unwrap().unwrap().fingerprint.mtime_ns, 5);
    }

    #[test]
    fn a_new_rules_version_or_a_transient_failure_is_never_current() {
        let p = Previous {
            fingerprint: fp(3, 4, 9),
            rules: "r1".into(),
            outcome: "converted".into(),
        };
        assert_eq!(p.current_by_stat("r1", 3, 4), Some(true));
        assert_eq!(p.current_by_stat("r1", 3, 5), None);
        assert_eq!(p.current_by_stat("r1", 2, 4), Some(false));
        assert_eq!(p.current_by_stat("r2", 3, 4), Some(false));
        assert!(p.current_by_hash("r1", &[9; 32]));
        for transient in [
            "failed:io",
            "failed:timeout",
            "failed:out_of_memory",
            "failed:crashed",
        ] {
            let failed = Previous {
                outcome: transient.into(),
                ..p.clone()
            };
            assert_eq!(
                failed.current_by_stat("r1", 3, 4),
                Some(false),
                "{transient}"
            );
        }
        let malformed = Previous {
            outcome: "failed:malformed".into(),
            ..p
        };
        assert_eq!(malformed.current_by_stat("r1", 3, 4), Some(true));
    }

    #[test]
    fn shard_keys_are_stable_and_non_negative() {
        assert_eq!(shard_key("html/a.html"), shard_key("html/a.html"));
        assert!((0..1000).all(|i| shard_key(&format!("f{i}")) >= 0));
    }
}
