//! Rounds (评审批次): creation with a frozen rubric, listing, and the rubric of a round.

use pingshen_core::application::{write_application, Application};
use pingshen_core::expert::Expert;
use pingshen_core::opinion::OpinionRules;
use pingshen_core::rubric::{self, Rubric};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{applications, audit, experts, search, Result, StoreError};

/// A round as listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundRow {
    pub id: i64,
    /// The round's stable identity (批次标识, 32 hex digits), the same on every machine that holds the round.
    pub uid: String,
    pub name: String,
    pub rubric_id: String,
    pub rubric_title: String,
    pub rubric_hash: String,
    pub is_sample: bool,
    pub created_at: String,
    pub applications: i64,
    pub experts: i64,
    /// What staff set besides the rubric (name included).
    pub settings: RoundSettings,
    /// When the round was closed (结束评审); `None` while it is open.
    pub closed_at: Option<String>,
    /// A round file of it was written ([`handed_out`]).
    pub handed_out: bool,
}

/// What staff set on a round besides its rubric.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoundSettings {
    /// e.g. 2024年河南省市域产教联合体遴选
    pub name: String,
    /// 组织单位, e.g. 河南省教育厅职业教育与成人教育处
    pub organiser: String,
    pub year: Option<i32>,
    /// The application deadline, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// At most this many applications per 推荐单位.
    pub quota: Option<u32>,
    /// 提交前须填写推荐意见 / 综合意见, and the 综合意见's length limit (all off by default, as for rounds made
    /// before these existed; 新建评审批次 starts with both on).
    pub opinions: OpinionRules,
}

/// A material file of an application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewMaterial {
    pub file: String,
    pub title: String,
    pub pages: u32,
    pub content: Vec<u8>,
    /// The text of its pages, `(page from 1, text, scanned)`, as `pingshen_import::pdf::page_rows` reads
    /// them; stored in `material_page` and indexed for search. Empty: the material is not searchable.
    pub page_texts: Vec<(u32, String, bool)>,
}

/// An application to add: its 申报编号, the structured 推荐书 and its materials.
#[derive(Clone, Debug, PartialEq)]
pub struct NewApplication {
    pub code: String,
    pub application: Application,
    pub materials: Vec<NewMaterial>,
}

/// Everything a new round holds.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRound {
    pub name: String,
    /// The rubric's text as written; it is frozen into the round.
    pub rubric_text: String,
    pub applications: Vec<NewApplication>,
    pub experts: Vec<Expert>,
    pub is_sample: bool,
    /// The round's identity: `None` for a new round (a random one is made), `Some` for a round that exists
    /// elsewhere and is set up here under the same identity (e.g. on an expert's laptop).
    pub uid: Option<String>,
}

/// Creates a round in one transaction: rubric frozen, applications, experts, and every expert assigned to
/// every application. Returns the round id. The rubric must parse (the caller has validated it; a rubric
/// that does not is refused here too).
pub fn create(conn: &mut Connection, new: &NewRound, actor: &str) -> Result<i64> {
    crate::transaction(conn, |tx| create_in(tx, new, actor))
}

/// Creates a round with its settings (新建评审批次), in one transaction; `settings.name` names it.
pub fn create_with_settings(conn: &mut Connection, new: &NewRound, settings: &RoundSettings, actor: &str) -> Result<i64> {
    crate::transaction(conn, |tx| {
        let id = create_in(tx, &NewRound { name: settings.name.trim().to_string(), ..new.clone() }, actor)?;
        set_settings_in(tx, id, settings)?;
        Ok(id)
    })
}

/// [`create`] inside the caller's transaction (e.g. a round opened from a round file, which writes more
/// in the same transaction). Nothing is committed here; on an error the caller's transaction is to be
/// rolled back.
pub fn create_in(tx: &Transaction<'_>, new: &NewRound, actor: &str) -> Result<i64> {
    let rubric = parse_rubric(&new.rubric_text)?;
    if let Some(uid) = &new.uid {
        check_uid(tx, uid)?;
    }
    tx.execute(
        "INSERT INTO round (name, rubric_id, rubric_title, rubric_toml, rubric_hash, is_sample, uid)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, lower(hex(randomblob(16)))))",
        params![new.name, rubric.id, rubric.title, new.rubric_text, rubric.hash(), new.is_sample, new.uid],
    )?;
    let round_id = tx.last_insert_rowid();
    for a in &new.applications {
        let id = applications::insert(tx, round_id, &a.code, &write_application(&a.application), &a.application.cover.name, &a.materials)?;
        search::index_application(tx, id)?;
    }
    for e in &new.experts {
        experts::insert(tx, round_id, e)?;
    }
    tx.execute(
        "INSERT INTO assignment (expert_id, application_id)
         SELECT e.id, a.id FROM expert e JOIN application a ON a.round_id = e.round_id WHERE e.round_id = ?1",
        [round_id],
    )?;
    audit::append(
        tx,
        actor,
        audit::Action::CreateRound,
        &format!("round:{round_id}"),
        &format!(
            "创建评审批次「{}」：评分标准 {}（校验码 {}），申报 {} 项，专家 {} 人",
            new.name,
            rubric.title,
            rubric::fingerprint(&rubric.hash()),
            new.applications.len(),
            new.experts.len()
        ),
    )?;
    Ok(round_id)
}

/// All rounds, newest first.
pub fn list(conn: &Connection) -> Result<Vec<RoundRow>> {
    let mut st = conn.prepare(
        "SELECT r.id, r.uid, r.name, r.rubric_id, r.rubric_title, r.rubric_hash, r.is_sample, r.created_at,
                (SELECT count(*) FROM application a WHERE a.round_id = r.id),
                (SELECT count(*) FROM expert e WHERE e.round_id = r.id),
                r.organiser, r.year, r.deadline, r.quota, r.closed_at,
                EXISTS (SELECT 1 FROM audit_log l WHERE l.action = 'export_round_file' AND l.entity = 'round:' || r.id),
                r.require_recommendation, r.require_opinion, r.opinion_max_chars
         FROM round r ORDER BY r.id DESC",
    )?;
    let rows = st.query_map([], |r| {
        Ok(RoundRow {
            id: r.get(0)?,
            uid: r.get(1)?,
            name: r.get(2)?,
            rubric_id: r.get(3)?,
            rubric_title: r.get(4)?,
            rubric_hash: r.get(5)?,
            is_sample: r.get(6)?,
            created_at: r.get(7)?,
            applications: r.get(8)?,
            experts: r.get(9)?,
            settings: RoundSettings {
                name: r.get(2)?,
                organiser: r.get(10)?,
                year: r.get(11)?,
                deadline: r.get(12)?,
                quota: r.get(13)?,
                opinions: OpinionRules { require_recommendation: r.get(16)?, require_opinion: r.get(17)?, opinion_max_chars: r.get(18)? },
            },
            closed_at: r.get(14)?,
            handed_out: r.get(15)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a round file of the round was written (handed out): its settings then change only with a reason.
pub fn handed_out(conn: &Connection, round_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = ?1 AND entity = 'round:' || ?2)",
        params![audit::Action::ExportRoundFile.as_str(), round_id],
        |r| r.get(0),
    )?)
}

/// A date as staff type it: `YYYY-MM-DD`, a real calendar date.
pub fn check_date(text: &str) -> Result<()> {
    let bad = || StoreError::BadDate { text: text.to_string() };
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| text.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse::<u32>().ok());
    let (y, m, d) = (num(0..4).ok_or_else(bad)?, num(5..7).ok_or_else(bad)?, num(8..10).ok_or_else(bad)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > days[m as usize - 1] || !(1900..=2999).contains(&y) {
        return Err(bad());
    }
    Ok(())
}

/// Writes a round's settings (name, organiser, year, deadline, quota) inside the caller's transaction, for
/// a round being created; nothing is logged (the creation is).
pub fn set_settings_in(conn: &Connection, round_id: i64, s: &RoundSettings) -> Result<()> {
    if s.name.trim().is_empty() {
        return Err(StoreError::EmptyField { field: "评审批次名称" });
    }
    if let Some(d) = &s.deadline {
        check_date(d)?;
    }
    if s.opinions.opinion_max_chars == Some(0) {
        return Err(StoreError::EmptyField { field: "综合意见字数上限（须大于 0，或不设上限）" });
    }
    conn.execute(
        "UPDATE round SET name = ?2, organiser = ?3, year = ?4, deadline = ?5, quota = ?6,
             require_recommendation = ?7, require_opinion = ?8, opinion_max_chars = ?9 WHERE id = ?1",
        params![
            round_id,
            s.name.trim(),
            s.organiser.trim(),
            s.year,
            s.deadline,
            s.quota,
            s.opinions.require_recommendation,
            s.opinions.require_opinion,
            s.opinions.opinion_max_chars
        ],
    )?;
    Ok(())
}

/// The round's rules for the experts' 推荐意见 and 综合意见.
pub fn opinion_rules(conn: &Connection, round_id: i64) -> Result<OpinionRules> {
    conn.query_row("SELECT require_recommendation, require_opinion, opinion_max_chars FROM round WHERE id = ?1", [round_id], |r| {
        Ok(OpinionRules { require_recommendation: r.get(0)?, require_opinion: r.get(1)?, opinion_max_chars: r.get(2)? })
    })
    .optional()?
    .ok_or(StoreError::NotFound { entity: "评审批次", id: round_id })
}

/// Sets the round's opinion rules inside the caller's transaction, unlogged (a round opened from a round file
/// takes them from the file, a new round from its dialog).
pub fn set_opinion_rules_in(conn: &Connection, round_id: i64, o: &OpinionRules) -> Result<()> {
    conn.execute(
        "UPDATE round SET require_recommendation = ?2, require_opinion = ?3, opinion_max_chars = ?4 WHERE id = ?1",
        params![round_id, o.require_recommendation, o.require_opinion, o.opinion_max_chars],
    )?;
    Ok(())
}

/// Changes a round's name and settings (logged, old → new). Refused on a closed round; once a round file
/// was handed out, only with a reason.
pub fn update(conn: &Connection, round_id: i64, s: &RoundSettings, reason: &str, actor: &str) -> Result<()> {
    let old = get(conn, round_id)?;
    if old.closed_at.is_some() {
        return Err(StoreError::RoundClosed);
    }
    if handed_out(conn, round_id)? && reason.trim().is_empty() {
        return Err(StoreError::ReasonRequired { what: "评审包已下发，修改评审批次" });
    }
    crate::atomically(conn, || {
        set_settings_in(conn, round_id, s)?;
        let new = get(conn, round_id)?.settings;
        let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "（无）".into());
        let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_else(|| "（无）".into());
        let mut changes = Vec::new();
        let o = &old.settings;
        if o.name != new.name {
            changes.push(format!("名称「{}」→「{}」", o.name, new.name));
        }
        if o.organiser != new.organiser {
            changes.push(format!("组织单位「{}」→「{}」", o.organiser, new.organiser));
        }
        if o.year != new.year {
            changes.push(format!("年度 {} → {}", num(o.year.map(i64::from)), num(new.year.map(i64::from))));
        }
        if o.deadline != new.deadline {
            changes.push(format!("申报截止日期 {} → {}", text(&o.deadline), text(&new.deadline)));
        }
        if o.quota != new.quota {
            changes.push(format!("每个推荐单位限报 {} → {}", num(o.quota.map(i64::from)), num(new.quota.map(i64::from))));
        }
        let on = |b: bool| if b { "是" } else { "否" };
        let (oo, no) = (&o.opinions, &new.opinions);
        if oo.require_recommendation != no.require_recommendation {
            changes.push(format!("提交前须填写推荐意见 {} → {}", on(oo.require_recommendation), on(no.require_recommendation)));
        }
        if oo.require_opinion != no.require_opinion {
            changes.push(format!("提交前须填写综合意见 {} → {}", on(oo.require_opinion), on(no.require_opinion)));
        }
        if oo.opinion_max_chars != no.opinion_max_chars {
            let n = |v: Option<u32>| v.map(|n| format!("{n} 字")).unwrap_or_else(|| "不限".into());
            changes.push(format!("综合意见字数上限 {} → {}", n(oo.opinion_max_chars), n(no.opinion_max_chars)));
        }
        if changes.is_empty() {
            return Ok(());
        }
        let why = if reason.trim().is_empty() { String::new() } else { format!("；理由：{}", reason.trim()) };
        audit::append(conn, actor, audit::Action::UpdateRound, &format!("round:{round_id}"), &format!("{}{why}", changes.join("，")))
    })
}

/// 结束评审: the round becomes read-only (the database refuses every change to it); paperwork can still be
/// printed.
pub fn close(conn: &Connection, round_id: i64, actor: &str) -> Result<()> {
    if get(conn, round_id)?.closed_at.is_some() {
        return Err(StoreError::AlreadyClosed);
    }
    crate::atomically(conn, || {
        conn.execute("UPDATE round SET closed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1", [round_id])?;
        audit::append(conn, actor, audit::Action::CloseRound, &format!("round:{round_id}"), "结束评审，本批次只读")
    })
}

/// Opens a closed round again, with the reason (logged).
pub fn reopen(conn: &Connection, round_id: i64, reason: &str, actor: &str) -> Result<()> {
    if reason.trim().is_empty() {
        return Err(StoreError::ReasonRequired { what: "重新开启评审" });
    }
    if get(conn, round_id)?.closed_at.is_none() {
        return Err(StoreError::NotClosed);
    }
    crate::atomically(conn, || {
        conn.execute("UPDATE round SET closed_at = NULL WHERE id = ?1", [round_id])?;
        audit::append(conn, actor, audit::Action::ReopenRound, &format!("round:{round_id}"), &format!("重新开启评审，理由：{}", reason.trim()))
    })
}

/// Deletes a round that holds no submitted sheet (or the sample round), with its name typed to confirm;
/// everything of it goes, the audit log keeps the deletion.
pub fn delete(conn: &Connection, round_id: i64, typed_name: &str, actor: &str) -> Result<()> {
    let r = get(conn, round_id)?;
    if typed_name.trim() != r.name {
        return Err(StoreError::NameMismatch { name: r.name });
    }
    let submitted: i64 = conn.query_row(
        "SELECT count(*) FROM sheet s JOIN application a ON a.id = s.application_id WHERE a.round_id = ?1 AND s.version > 0",
        [round_id],
        |r| r.get(0),
    )?;
    if submitted > 0 && !r.is_sample {
        return Err(StoreError::RoundHasSheets { submitted });
    }
    crate::atomically(conn, || {
        conn.execute("UPDATE round SET closed_at = NULL WHERE id = ?1", [round_id])?;
        let apps: Vec<i64> =
            conn.prepare("SELECT id FROM application WHERE round_id = ?1")?.query_map([round_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        for a in apps {
            search::remove_application(conn, a)?;
        }
        conn.execute("DELETE FROM round WHERE id = ?1", [round_id])?;
        audit::append(
            conn,
            actor,
            audit::Action::DeleteRound,
            &format!("round:{round_id}"),
            &format!("删除评审批次「{}」（批次标识 {}，申报 {} 项，专家 {} 人）", r.name, r.uid, r.applications, r.experts),
        )
    })
}

/// One round.
pub fn get(conn: &Connection, id: i64) -> Result<RoundRow> {
    list(conn)?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound { entity: "评审批次", id })
}

/// The round with this identity on this machine, if any.
pub fn find_by_uid(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT id FROM round WHERE uid = ?1", [uid], |r| r.get(0)).optional()?)
}

/// A given identity must look like the ones this app makes (32 lower-case hex digits) and must not be
/// taken on this machine already.
fn check_uid(conn: &Connection, uid: &str) -> Result<()> {
    if uid.len() != 32 || !uid.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        return Err(StoreError::BadRoundUid { uid: uid.to_string() });
    }
    if let Some(id) = find_by_uid(conn, uid)? {
        let name: String = conn.query_row("SELECT name FROM round WHERE id = ?1", [id], |r| r.get(0))?;
        return Err(StoreError::RoundExists { name, uid: uid.to_string() });
    }
    Ok(())
}

/// The round's frozen rubric, checked against the hash recorded at creation.
pub fn rubric(conn: &Connection, round_id: i64) -> Result<Rubric> {
    let (text, hash): (String, String) = conn
        .query_row("SELECT rubric_toml, rubric_hash FROM round WHERE id = ?1", [round_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NotFound { entity: "评审批次", id: round_id })?;
    let r = parse_rubric(&text)?;
    if r.hash() != hash {
        return Err(StoreError::RubricTampered);
    }
    Ok(r)
}

fn parse_rubric(text: &str) -> Result<Rubric> {
    rubric::parse(text).map_err(|e| StoreError::RubricUnreadable(e.problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；")))
}

#[cfg(test)]
mod lifecycle_tests {
    use super::*;
    use crate::sheets;
    use pingshen_core::application::Application;
    use pingshen_core::Tenths;

    const HENAN: &str = include_str!("../../../rubrics/henan-2023/rubric.toml");

    fn round(conn: &mut Connection) -> (i64, i64) {
        let mut app = Application::default();
        app.cover.name = "甲联合体".into();
        let id = create(
            conn,
            &NewRound {
                name: "2024年评审".into(),
                rubric_text: HENAN.into(),
                applications: vec![NewApplication { code: "A01".into(), application: app, materials: vec![] }],
                experts: vec![Expert { code: "E01".into(), name: "张三".into(), ..Default::default() }],
                is_sample: false,
                uid: None,
            },
            "统分人",
        )
        .unwrap();
        let sheet = sheets::open(conn, experts::list(conn, id).unwrap()[0].id, applications::list(conn, id).unwrap()[0].id).unwrap();
        (id, sheet)
    }

    fn settings() -> RoundSettings {
        RoundSettings {
            name: "2024年河南省市域产教联合体遴选".into(),
            organiser: "河南省教育厅职业教育与成人教育处".into(),
            year: Some(2024),
            deadline: Some("2024-05-31".into()),
            quota: Some(2),
            opinions: OpinionRules::default(),
        }
    }

    #[test]
    fn the_opinion_rules_are_round_settings_logged_when_changed() {
        let mut conn = crate::open_in_memory().unwrap();
        let (id, _) = round(&mut conn);
        assert_eq!(opinion_rules(&conn, id).unwrap(), OpinionRules::default(), "a round made by the store requires nothing");
        let rules = OpinionRules { require_recommendation: true, require_opinion: false, opinion_max_chars: Some(500) };
        update(&conn, id, &RoundSettings { opinions: rules, ..settings() }, "", "统分人").unwrap();
        assert_eq!(opinion_rules(&conn, id).unwrap(), rules);
        assert_eq!(get(&conn, id).unwrap().settings.opinions, rules);
        let detail = audit::for_round(&conn, id).unwrap().last().unwrap().detail.clone();
        assert!(detail.contains("提交前须填写推荐意见 否 → 是") && detail.contains("综合意见字数上限 不限 → 500 字"), "{detail}");
        assert!(!detail.contains("提交前须填写综合意见"), "{detail}");
        let zero = OpinionRules { opinion_max_chars: Some(0), ..rules };
        assert!(update(&conn, id, &RoundSettings { opinions: zero, ..settings() }, "", "统分人").is_err());
    }

    #[test]
    fn settings_change_freely_before_the_handout_and_only_with_a_reason_after() {
        let mut conn = crate::open_in_memory().unwrap();
        let (id, _) = round(&mut conn);
        update(&conn, id, &settings(), "", "统分人").unwrap();
        let r = get(&conn, id).unwrap();
        assert_eq!((r.name.as_str(), &r.settings), ("2024年河南省市域产教联合体遴选", &settings()));
        let log = audit::for_round(&conn, id).unwrap();
        assert!(log.last().unwrap().detail.contains("每个推荐单位限报 （无） → 2"), "{log:?}");

        audit::append(&conn, "统分人", audit::Action::ExportRoundFile, &format!("round:{id}"), "导出评审包").unwrap();
        assert!(handed_out(&conn, id).unwrap());
        let quota3 = RoundSettings { quota: Some(3), ..settings() };
        let err = update(&conn, id, &quota3, " ", "统分人").unwrap_err();
        assert_eq!(err.to_string(), "评审包已下发，修改评审批次须写明理由");
        update(&conn, id, &quota3, "厅领导同意增加名额", "统分人").unwrap();
        assert!(audit::for_round(&conn, id).unwrap().last().unwrap().detail.ends_with("理由：厅领导同意增加名额"));
        for bad in ["2024-02-30", "2024/05/31", "24-05-31", "2024-13-01", ""] {
            let s = RoundSettings { deadline: Some(bad.into()), ..settings() };
            assert!(matches!(update(&conn, id, &s, "x", "统分人"), Err(StoreError::BadDate { .. })), "{bad}");
        }
        assert!(check_date("2024-02-29").is_ok() && check_date("2023-02-29").is_err());
        let empty = RoundSettings { name: " ".into(), ..settings() };
        assert!(matches!(update(&conn, id, &empty, "x", "统分人"), Err(StoreError::EmptyField { .. })));
    }

    #[test]
    fn a_closed_round_refuses_every_change_until_reopened_with_a_reason() {
        let mut conn = crate::open_in_memory().unwrap();
        let (id, sheet) = round(&mut conn);
        let rubric = rubric(&conn, id).unwrap();
        sheets::set_score(&conn, &rubric, sheet, "1.1", Some(Tenths(30))).unwrap();
        close(&conn, id, "统分人").unwrap();
        assert!(matches!(close(&conn, id, "统分人"), Err(StoreError::AlreadyClosed)));
        let err = sheets::set_score(&conn, &rubric, sheet, "1.1", Some(Tenths(40))).unwrap_err();
        assert!(matches!(err, StoreError::RoundClosed), "{err:?}");
        assert!(err.to_string().starts_with("本评审批次已结束评审"));
        let newcomer = Expert { code: "E02".into(), name: "李四".into(), unit: "乙学院".into(), ..Default::default() };
        let err = experts::add(&mut conn, id, &newcomer, "统分人").unwrap_err();
        assert!(matches!(err, StoreError::RoundClosed), "{err:?}");
        assert!(sheets::submit(&conn, sheet, "专家").is_err());
        assert!(matches!(update(&conn, id, &settings(), "x", "统分人"), Err(StoreError::RoundClosed)));
        assert_eq!(sheets::load(&conn, sheet).unwrap().scores.iter().find(|s| s.item == "1.1").unwrap().value, Some(Tenths(30)));

        assert!(matches!(reopen(&conn, id, "", "统分人"), Err(StoreError::ReasonRequired { .. })));
        reopen(&conn, id, "发现 1.1 录入错误", "统分人").unwrap();
        sheets::set_score(&conn, &rubric, sheet, "1.1", Some(Tenths(40))).unwrap();
        assert!(matches!(reopen(&conn, id, "x", "统分人"), Err(StoreError::NotClosed)));
        let actions: Vec<String> = audit::for_round(&conn, id).unwrap().into_iter().map(|e| e.action).collect();
        assert!(actions.ends_with(&["close_round".to_string(), "reopen_round".to_string()]), "{actions:?}");
    }

    #[test]
    fn a_round_is_deleted_only_without_submitted_sheets_and_with_its_name_typed() {
        let mut conn = crate::open_in_memory().unwrap();
        let (id, sheet) = round(&mut conn);
        let rubric = rubric(&conn, id).unwrap();
        for item in rubric.items() {
            sheets::set_score(&conn, &rubric, sheet, &item.code, Some(item.points)).unwrap();
        }
        sheets::submit(&conn, sheet, "专家").unwrap();
        assert!(matches!(delete(&conn, id, "2024年", "统分人"), Err(StoreError::NameMismatch { .. })));
        let err = delete(&conn, id, "2024年评审", "统分人").unwrap_err();
        assert!(matches!(err, StoreError::RoundHasSheets { submitted: 1 }), "{err:?}");

        let (other, _) = round(&mut conn);
        close(&conn, other, "统分人").unwrap();
        delete(&conn, other, " 2024年评审 ", "统分人").unwrap();
        assert!(get(&conn, other).is_err());
        assert_eq!(list(&conn).unwrap().len(), 1);
        let hits: i64 =
            conn.query_row("SELECT count(*) FROM search_index WHERE application_id NOT IN (SELECT id FROM application)", [], |r| r.get(0)).unwrap();
        assert_eq!(hits, 0, "the deleted round's search rows are gone");
        let log = audit::list(&conn).unwrap();
        assert_eq!(log.last().unwrap().action, "delete_round");
        let ok: String = conn.query_row("PRAGMA foreign_key_check", [], |r| r.get(0)).unwrap_or_else(|_| "ok".into());
        assert_eq!(ok, "ok");
    }
}
