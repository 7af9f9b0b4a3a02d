//! Numbered, append-only schema migrations tracked in `PRAGMA user_version`.
//!
//! Never edit or remove an entry of [`MIGRATIONS`] once it has shipped: databases in the field are at every
//! level, and the test `every_level_upgrades` opens a database made at each of them. The shipped texts are
//! pinned by hash in that test, so an edit fails it.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// The migrations, in order; `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_init.sql"),
    include_str!("../migrations/002_app_setting.sql"),
    include_str!("../migrations/003_round_uid.sql"),
    include_str!("../migrations/004_consolidation.sql"),
    include_str!("../migrations/005_handout_declarations.sql"),
    include_str!("../migrations/006_packages_search_evidence.sql"),
    include_str!("../migrations/007_round_lifecycle_vetoes.sql"),
    include_str!("../migrations/008_recommendation_list.sql"),
    include_str!("../migrations/009_sheet_opinions.sql"),
    include_str!("../migrations/010_panel_opinion_site_visit.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn to_latest(conn: &mut Connection) -> Result<()> {
    to_version(conn, MIGRATIONS.len())
}

/// Refuses a database whose schema is newer than this build knows.
pub(crate) fn refuse_newer(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: current, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Applies the migrations up to `target` (tests build old databases with this).
pub fn to_version(conn: &mut Connection, target: usize) -> Result<()> {
    refuse_newer(conn)?;
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current as usize) {
        tx.execute_batch(sql).map_err(|e| StoreError::Migration { version: i + 1, source: e })?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 of every shipped migration. Append a line when you add a migration; never change one.
    const SHIPPED: &[&str] = &[
        "b11aa88f2dfef1e1386379c5e347c87ffd4d4aad5a273094c4ee4b6220e78961",
        "b012fe3ca06a192d01a1739ebbc297e569e4ad469647ed01e01d2b5def7df6a7",
        "7e083a90bef11ebd9da21fcb46d0c1af7d9bb7edbb3206d3af58e6e2b655c0b6",
        "010fec923e4fe737d85116d403ee52b4b91641911c219fca28717dfa99928004",
        "495963a051f3a984a9615aa496a3bdf0b132de2de9d4363417e2f72f1b6f4441",
        "878549bcbc649f7cfb84f1b1c2c1169986ff82f4da27a081042deee186dfb2b6",
        "71a4bb889d402d5818b1bfeb8c2fd70dfe9233703a07949de086e3bb2555ea4f",
        "e23f877bf8386a6475a4e1f275c9d66c588dfa58d6c900b0faf1fd714a466e7f",
        "2845ebc61c678ee836319cdeb4ae481159d9dd753a8d6b18a8de84c359f68693",
        "376c225df635642c367c2af49db4ea06c2d388645553f5a5989a483da0a28c11",
    ];

    fn sha(s: &str) -> String {
        pingshen_core::hash::sha256_hex(s.as_bytes())
    }

    #[test]
    fn shipped_migrations_are_never_edited() {
        for (i, pinned) in SHIPPED.iter().enumerate() {
            assert_eq!(&sha(MIGRATIONS[i]), pinned, "migration {} was edited after it shipped; add a new one instead", i + 1);
        }
        assert_eq!(SHIPPED.len(), MIGRATIONS.len(), "pin the new migration's hash in SHIPPED");
    }

    #[test]
    fn every_level_upgrades() {
        let dir = tempfile::tempdir().unwrap();
        for level in 0..=MIGRATIONS.len() {
            let path = dir.path().join(format!("v{level}.db"));
            {
                let mut c = Connection::open(&path).unwrap();
                to_version(&mut c, level).unwrap();
                if level >= 1 {
                    c.execute(
                        "INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash) VALUES ('旧批次', 'x', 'x', 'x', 'x')",
                        [],
                    )
                    .unwrap();
                }
            }
            let c = crate::open(&path).unwrap();
            let v: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(v, SCHEMA_VERSION);
            let ok: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
            assert_eq!(ok, "ok");
            let rounds: i64 = c.query_row("SELECT count(*) FROM round", [], |r| r.get(0)).unwrap();
            assert_eq!(rounds, if level >= 1 { 1 } else { 0 }, "data survives the upgrade from level {level}");
        }
    }

    #[test]
    fn migrating_twice_is_a_no_op_and_newer_databases_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        crate::open(&path).unwrap();
        crate::open(&path).unwrap();
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
            c.pragma_update(None, "journal_mode", "DELETE").unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = crate::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
        assert!(err.to_string().contains("请升级评审台"));
        assert!(std::fs::read(&path).unwrap() == before, "a newer database is left exactly as it was");
    }
}
