//! The round's rows, table by table: which rows of which table belong to a round, how they are written as
//! JSON (every column by its name, as the database holds it) and how they are inserted again with fresh
//! ids. Format: `docs/backup.md`, "The tables".

use std::collections::HashMap;

use rusqlite::types::{ToSql, ValueRef};
use rusqlite::{Connection, ErrorCode};
use serde_json::{Map, Value};

use crate::error::{malformed, BackupError, Result};

/// A row whose id other rows refer to: its id is recorded on restore and every reference replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Round,
    Expert,
    Application,
    Material,
    Sheet,
    Reconsideration,
    SiteVisit,
    SiteVisitFinding,
}

impl Key {
    fn zh(self) -> &'static str {
        match self {
            Key::Round => "评审批次",
            Key::Expert => "专家",
            Key::Application => "申报",
            Key::Material => "材料",
            Key::Sheet => "评分表",
            Key::Reconsideration => "复议",
            Key::SiteVisit => "实地考察记录",
            Key::SiteVisitFinding => "核查记录",
        }
    }
}

/// What happens to a table's `id` column on restore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Id {
    /// A fresh id, recorded as the new id of the old one (other rows refer to it).
    Kept(Key),
    /// A fresh id (nothing refers to it); rows are inserted in the order of the old ids.
    Fresh,
    /// The table has no `id` column of its own.
    None,
}

/// A table of the round.
pub(crate) struct Table {
    pub name: &'static str,
    /// The round's rows and their order: what follows `FROM <name>` (`?1` is the round's id; for
    /// `material_page`, the application's).
    pub rows: &'static str,
    pub id: Id,
    /// Columns that hold the id of a row of another table.
    pub refs: &'static [(&'static str, Key)],
}

/// The rows of `round.json`, in the order they are restored.
pub(crate) const ROUND_TABLES: &[Table] = &[
    Table { name: "round", rows: "WHERE id = ?1", id: Id::Kept(Key::Round), refs: &[] },
    Table { name: "consolidation_setting", rows: "WHERE round_id = ?1", id: Id::None, refs: &[("round_id", Key::Round)] },
    Table { name: "expert", rows: "WHERE round_id = ?1 ORDER BY id", id: Id::Kept(Key::Expert), refs: &[("round_id", Key::Round)] },
    Table {
        name: "declaration",
        rows: "WHERE expert_id IN (SELECT id FROM expert WHERE round_id = ?1) ORDER BY id",
        id: Id::Fresh,
        refs: &[("expert_id", Key::Expert)],
    },
    Table { name: "application", rows: "WHERE round_id = ?1 ORDER BY id", id: Id::Kept(Key::Application), refs: &[("round_id", Key::Round)] },
    Table {
        name: "material",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY application_id, id",
        id: Id::Kept(Key::Material),
        refs: &[("application_id", Key::Application)],
    },
    Table {
        name: "assignment",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY expert_id, application_id",
        id: Id::None,
        refs: &[("expert_id", Key::Expert), ("application_id", Key::Application)],
    },
    Table { name: "round_handout", rows: "WHERE round_id = ?1", id: Id::None, refs: &[("round_id", Key::Round), ("expert_id", Key::Expert)] },
    Table {
        name: "deduction_resolution",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Fresh,
        refs: &[("application_id", Key::Application)],
    },
    Table {
        name: "flag_settlement",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Fresh,
        refs: &[("application_id", Key::Application)],
    },
    Table {
        name: "veto_resolution",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Fresh,
        refs: &[("application_id", Key::Application)],
    },
    Table { name: "recommendation_setting", rows: "WHERE round_id = ?1", id: Id::None, refs: &[("round_id", Key::Round)] },
    Table { name: "recommendation_tie_decision", rows: "WHERE round_id = ?1 ORDER BY id", id: Id::Fresh, refs: &[("round_id", Key::Round)] },
    Table { name: "recommendation_confirmation", rows: "WHERE round_id = ?1 ORDER BY seq", id: Id::None, refs: &[("round_id", Key::Round)] },
    Table { name: "recommendation_row", rows: "WHERE round_id = ?1 ORDER BY seq, position", id: Id::None, refs: &[("round_id", Key::Round)] },
    Table {
        name: "reconsideration",
        rows: "WHERE round_id = ?1 ORDER BY id",
        id: Id::Kept(Key::Reconsideration),
        refs: &[("round_id", Key::Round), ("opened_by", Key::Expert)],
    },
    Table {
        name: "reconsideration_target",
        rows:
            "WHERE reconsideration_id IN (SELECT id FROM reconsideration WHERE round_id = ?1) ORDER BY reconsideration_id, application_id, item_code",
        id: Id::None,
        refs: &[("reconsideration_id", Key::Reconsideration), ("application_id", Key::Application)],
    },
    Table {
        name: "panel_opinion",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Fresh,
        refs: &[("application_id", Key::Application)],
    },
    Table {
        name: "site_visit",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Kept(Key::SiteVisit),
        refs: &[("application_id", Key::Application)],
    },
    Table {
        name: "site_visit_member",
        rows: "WHERE visit_id IN (SELECT v.id FROM site_visit v JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1)
               ORDER BY visit_id, position",
        id: Id::None,
        refs: &[("visit_id", Key::SiteVisit)],
    },
    Table {
        name: "site_visit_finding",
        rows: "WHERE visit_id IN (SELECT v.id FROM site_visit v JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1) ORDER BY id",
        id: Id::Kept(Key::SiteVisitFinding),
        refs: &[("visit_id", Key::SiteVisit)],
    },
    Table {
        name: "site_visit_veto",
        rows: "WHERE finding_id IN (SELECT f.id FROM site_visit_finding f JOIN site_visit v ON v.id = f.visit_id
               JOIN application a ON a.id = v.application_id WHERE a.round_id = ?1) ORDER BY finding_id, veto_code",
        id: Id::None,
        refs: &[("finding_id", Key::SiteVisitFinding)],
    },
];

/// The sheets of the round (`s`), for the tables of `sheets.json`.
macro_rules! round_sheets {
    () => {
        "sheet_id IN (SELECT s.id FROM sheet s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1)"
    };
}

/// The rows of `sheets.json`, in the order they are restored.
pub(crate) const SHEETS_TABLES: &[Table] = &[
    Table {
        name: "sheet",
        rows: "WHERE application_id IN (SELECT id FROM application WHERE round_id = ?1) ORDER BY id",
        id: Id::Kept(Key::Sheet),
        refs: &[("expert_id", Key::Expert), ("application_id", Key::Application)],
    },
    Table {
        name: "score",
        rows: concat!("WHERE ", round_sheets!(), " ORDER BY sheet_id, item_code"),
        id: Id::None,
        refs: &[("sheet_id", Key::Sheet)],
    },
    Table { name: "deduction", rows: concat!("WHERE ", round_sheets!(), " ORDER BY sheet_id"), id: Id::None, refs: &[("sheet_id", Key::Sheet)] },
    Table {
        name: "sheet_version",
        rows: concat!("WHERE ", round_sheets!(), " ORDER BY sheet_id, version"),
        id: Id::None,
        refs: &[("sheet_id", Key::Sheet)],
    },
    Table {
        name: "evidence",
        rows: concat!("WHERE ", round_sheets!(), " ORDER BY id"),
        id: Id::Fresh,
        refs: &[("sheet_id", Key::Sheet), ("material_id", Key::Material)],
    },
    Table {
        name: "sheet_veto",
        rows: concat!("WHERE ", round_sheets!(), " ORDER BY sheet_id, veto_code"),
        id: Id::None,
        refs: &[("sheet_id", Key::Sheet)],
    },
    Table {
        name: "reconsideration_change",
        rows: concat!("WHERE ", round_sheets!(), " ORDER BY id"),
        id: Id::Fresh,
        refs: &[("reconsideration_id", Key::Reconsideration), ("sheet_id", Key::Sheet)],
    },
];

/// The rows of a `pages/<application id>.json` entry (`?1` is the application's id).
pub(crate) const PAGES_TABLE: Table = Table {
    name: "material_page",
    rows: "WHERE material_id IN (SELECT id FROM material WHERE application_id = ?1) ORDER BY material_id, page",
    id: Id::None,
    refs: &[("material_id", Key::Material)],
};

/// The table of `audit.json` (its rows are `pingshen_store::audit::for_round`; `entity` names rows by id).
pub(crate) const AUDIT_TABLE: &str = "audit_log";

/// Columns that are not in the JSON: a material's bytes are an entry of their own.
const SKIPPED: &[(&str, &str)] = &[("material", "content")];

/// Tables that are not a round's: the app's settings, the rubric library (not a round's: its rubrics are
/// frozen into the rounds), and the search index (rebuilt on restore).
#[cfg(test)]
pub(crate) const NOT_A_ROUNDS: &[&str] = &["app_setting", "rubric_library", "search_index"];

/// A row: its columns by name, in table order.
pub(crate) type Row = Vec<(String, Value)>;

/// A table's columns with their declared types, in table order.
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<(String, String)>> {
    let mut st = conn.prepare(&format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid"))?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The rows of `t` that belong to the round (or, for `material_page`, the application) `param`, every
/// column but the skipped ones, as JSON values: `null`, integers and strings. A floating-point value or
/// bytes cannot be written ([`BackupError::Unbackupable`]).
pub(crate) fn dump(conn: &Connection, t: &Table, param: i64) -> Result<Vec<Row>> {
    let cols: Vec<String> = columns(conn, t.name)?.into_iter().map(|(c, _)| c).filter(|c| !SKIPPED.contains(&(t.name, c.as_str()))).collect();
    let sql = format!("SELECT {} FROM {} {}", cols.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", "), quoted(t.name), t.rows);
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut row = Vec::with_capacity(cols.len());
        for (i, c) in cols.iter().enumerate() {
            row.push((c.clone(), json_value(t.name, c, r.get_ref(i)?)?));
        }
        out.push(row);
    }
    Ok(out)
}

/// A stored value as JSON.
pub(crate) fn json_value(table: &str, column: &str, v: ValueRef<'_>) -> Result<Value> {
    let unbackupable = |kind| BackupError::Unbackupable { table: table.to_string(), column: column.to_string(), kind };
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::from(n),
        ValueRef::Text(t) => Value::String(String::from_utf8(t.to_vec()).map_err(|_| unbackupable("不是 UTF-8 编码的文字"))?),
        ValueRef::Real(_) => return Err(unbackupable("小数")),
        ValueRef::Blob(_) => return Err(unbackupable("二进制数据")),
    })
}

/// An entry of tables as written: one line of compact JSON, `{"<table>":[{"<column>":value,…},…],…}`, the
/// tables in the order given and each row's columns in table order, then `\n`.
pub(crate) fn encode(tables: &[(&str, &[Row])]) -> Vec<u8> {
    fn put<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
        serde_json::to_writer(&mut *out, v).expect("strings and JSON values always serialize");
    }
    let mut out = vec![b'{'];
    for (i, (name, rows)) in tables.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        put(&mut out, *name);
        out.extend_from_slice(b":[");
        for (j, row) in rows.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.push(b'{');
            for (k, (column, value)) in row.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                put(&mut out, column.as_str());
                out.push(b':');
                put(&mut out, value);
            }
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}\n");
    out
}

/// An entry of tables read back: a JSON object whose members are tables of `expected` (a table left out
/// has no rows), each an array of objects. Returns the rows of each table of `expected`, in that order.
pub(crate) fn decode(bytes: &[u8], entry: &str, expected: &[&str]) -> Result<Vec<Vec<Map<String, Value>>>> {
    let bad = |what: String| malformed(format!("{entry} {what}"));
    let text = std::str::from_utf8(bytes).map_err(|_| bad("不是 UTF-8 编码的文本".into()))?;
    let value: Value = serde_json::from_str(text).map_err(|e| bad(format!("不是有效的 JSON（{e}）")))?;
    let Value::Object(mut tables) = value else {
        return Err(bad("不是一个 JSON 对象".into()));
    };
    if let Some(unknown) = tables.keys().find(|k| !expected.contains(&k.as_str())) {
        return Err(bad(format!("中有本软件不认识的表“{unknown}”")));
    }
    let mut out = Vec::with_capacity(expected.len());
    for name in expected {
        let rows = match tables.remove(*name) {
            None => Vec::new(),
            Some(Value::Array(rows)) => rows
                .into_iter()
                .map(|r| match r {
                    Value::Object(m) => Ok(m),
                    _ => Err(bad(format!("中 {name} 表的一行不是 JSON 对象"))),
                })
                .collect::<Result<_>>()?,
            Some(_) => return Err(bad(format!("中 {name} 表不是数组"))),
        };
        out.push(rows);
    }
    Ok(out)
}

/// The new id of every kept row, by its old id.
#[derive(Debug, Default)]
pub(crate) struct Maps(HashMap<Key, HashMap<i64, i64>>);

impl Maps {
    /// The new id of the row that had `old`.
    pub(crate) fn get(&self, key: Key, old: i64) -> Option<i64> {
        self.0.get(&key).and_then(|m| m.get(&old)).copied()
    }

    /// The new id of the row that had `old`, or the refusal that names what is missing.
    pub(crate) fn new_id(&self, key: Key, old: i64, table: &str) -> Result<i64> {
        self.get(key, old).ok_or_else(|| malformed(format!("{table} 表引用了备份中没有的{}（编号 {old}）", key.zh())))
    }

    fn insert(&mut self, key: Key, old: i64, new: i64, table: &str) -> Result<()> {
        if self.0.entry(key).or_default().insert(old, new).is_some() {
            return Err(malformed(format!("{table} 表中编号 {old} 出现了两次")));
        }
        Ok(())
    }
}

/// The target database's columns of a table (name → declared type), for checking the rows.
pub(crate) struct Target(HashMap<String, HashMap<String, String>>);

impl Target {
    pub(crate) fn new() -> Target {
        Target(HashMap::new())
    }

    fn columns(&mut self, conn: &Connection, table: &str) -> Result<&HashMap<String, String>> {
        if !self.0.contains_key(table) {
            let cols = columns(conn, table)?.into_iter().map(|(n, t)| (n, t.to_ascii_uppercase())).collect();
            self.0.insert(table.to_string(), cols);
        }
        Ok(&self.0[table])
    }
}

/// Columns set on insert instead of what a row has (or in addition to it): `(column, value)`.
pub(crate) type Fixed = Vec<(&'static str, Box<dyn ToSql>)>;

/// What [`insert`] sets for a row besides its own columns.
pub(crate) type FixedFor<'a> = &'a dyn Fn(&Map<String, Value>) -> Result<Fixed>;

/// The integer `id` a row of a table with ids must have.
pub(crate) fn row_id(t: &str, row: &Map<String, Value>) -> Result<i64> {
    row.get("id").and_then(Value::as_i64).ok_or_else(|| malformed(format!("{t} 表的一行没有编号（id）")))
}

/// Inserts the rows of `t`: every column the row has (each one the target table has, of its declared type:
/// an integer or `null` for `INTEGER`, a string or `null` for `TEXT`), references replaced by the new ids,
/// the table's own id left to the database (and recorded, for a kept id), `fixed` columns set as given
/// instead (`fixed(row)`). Returns the new rowid of each row, in order.
pub(crate) fn insert(
    conn: &Connection,
    target: &mut Target,
    t: &Table,
    rows: &[Map<String, Value>],
    maps: &mut Maps,
    fixed: FixedFor<'_>,
) -> Result<Vec<i64>> {
    let cols = target.columns(conn, t.name)?.clone();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let own = match t.id {
            Id::None => None,
            Id::Kept(_) | Id::Fresh => Some(row_id(t.name, row)?),
        };
        let fixed = fixed(row)?;
        let mut names = Vec::new();
        let mut values: Vec<Box<dyn ToSql>> = Vec::new();
        for (column, value) in row {
            if own.is_some() && column == "id" {
                continue;
            }
            let Some(decl) = cols.get(column).filter(|_| !SKIPPED.contains(&(t.name, column.as_str()))) else {
                return Err(malformed(format!("{} 表中有本机数据库没有的列“{column}”", t.name)));
            };
            if fixed.iter().any(|(c, _)| c == column) {
                continue;
            }
            let v: Box<dyn ToSql> = match (value, t.refs.iter().find(|(c, _)| c == column)) {
                (Value::Null, _) => Box::new(rusqlite::types::Null),
                (Value::Number(n), Some((_, key))) => {
                    let old = n.as_i64().ok_or_else(|| malformed(format!("{} 表的 {column} 不是整数", t.name)))?;
                    Box::new(maps.new_id(*key, old, t.name)?)
                }
                (Value::Number(n), None) if decl == "INTEGER" => {
                    Box::new(n.as_i64().ok_or_else(|| malformed(format!("{} 表的 {column} 不是整数", t.name)))?)
                }
                (Value::String(s), None) if decl == "TEXT" => Box::new(s.clone()),
                _ => return Err(malformed(format!("{} 表的 {column} 的值类型不对", t.name))),
            };
            names.push(quoted(column));
            values.push(v);
        }
        for (column, v) in fixed {
            if !cols.contains_key(column) {
                return Err(malformed(format!("本机数据库的 {} 表没有“{column}”列", t.name)));
            }
            names.push(quoted(column));
            values.push(v);
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(t.name),
            names.join(", "),
            (1..=values.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        let params: Vec<&dyn ToSql> = values.iter().map(|v| v.as_ref()).collect();
        conn.execute(&sql, params.as_slice()).map_err(|e| refused_row(t.name, e))?;
        let new = conn.last_insert_rowid();
        if let (Id::Kept(key), Some(old)) = (t.id, own) {
            maps.insert(key, old, new, t.name)?;
        }
        out.push(new);
    }
    Ok(out)
}

/// A row the database refuses (a constraint, a type) is a malformed backup; anything else (the disk) is not.
pub(crate) fn refused_row(table: &str, e: rusqlite::Error) -> BackupError {
    match e.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation | ErrorCode::TypeMismatch) => malformed(format!("{table} 表的数据无法写入本机数据库（{e}）")),
        _ => e.into(),
    }
}

/// No fixed columns.
pub(crate) fn nothing_fixed(_: &Map<String, Value>) -> Result<Fixed> {
    Ok(Vec::new())
}
