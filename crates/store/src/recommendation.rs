//! The 推荐名单 of a round: its line (名额, 最低分数线) and 公示 settings, the panel's decisions on a tie at the
//! places line, and the confirmations of the list (each frozen as it was confirmed, until reopened with a
//! reason). The rules are `pingshen_core::recommendation`; every decision here is logged.

use pingshen_core::recommendation::{Line, TieDecision};
use pingshen_core::{Ratio, Tenths};
use rusqlite::{params, Connection, OptionalExtension};

use crate::{audit, Result, StoreError};

/// The order of the 公示名单.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PublicityOrder {
    /// By rank.
    #[default]
    Rank,
    /// By 推荐单位, then rank.
    Recommender,
}

impl PublicityOrder {
    pub fn token(self) -> &'static str {
        match self {
            PublicityOrder::Rank => "rank",
            PublicityOrder::Recommender => "recommender",
        }
    }

    pub fn parse(token: &str) -> PublicityOrder {
        if token == "recommender" {
            PublicityOrder::Recommender
        } else {
            PublicityOrder::Rank
        }
    }
}

/// The 公示 settings the staff type in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publicity {
    pub order: PublicityOrder,
    /// 公示期 start and end, 'YYYY-MM-DD' or empty.
    pub start: String,
    pub end: String,
    /// 联系人
    pub contact: String,
    /// 联系电话
    pub phone: String,
    /// The unit that publishes the notice (e.g. 河南省教育厅).
    pub publisher: String,
}

/// The line of a round (none set: both `None`).
pub fn line(conn: &Connection, round_id: i64) -> Result<Line> {
    let row: Option<(Option<u32>, Option<i64>)> = conn
        .query_row("SELECT places, min_tenths FROM recommendation_setting WHERE round_id = ?1", [round_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(places, min)| Line { places, min_score: min.map(Tenths) }).unwrap_or_default())
}

/// The 公示 settings of a round (defaults: by rank, nothing typed in).
pub fn publicity(conn: &Connection, round_id: i64) -> Result<Publicity> {
    let row = conn
        .query_row(
            "SELECT publicity_order, notice_start, notice_end, contact, phone, publisher FROM recommendation_setting WHERE round_id = ?1",
            [round_id],
            |r| {
                Ok(Publicity {
                    order: PublicityOrder::parse(&r.get::<_, String>(0)?),
                    start: r.get(1)?,
                    end: r.get(2)?,
                    contact: r.get(3)?,
                    phone: r.get(4)?,
                    publisher: r.get(5)?,
                })
            },
        )
        .optional()?;
    Ok(row.unwrap_or_default())
}

/// Sets the line; refused while a confirmed list is in force, and for a line the rules refuse.
pub fn set_line(conn: &Connection, round_id: i64, l: &Line, actor: &str) -> Result<()> {
    if confirmed(conn, round_id)?.is_some() {
        return Err(StoreError::ListConfirmed { what: "修改推荐名额或最低分数线" });
    }
    if let Err(problems) = l.check() {
        return Err(StoreError::ListNotConfirmable { problems });
    }
    conn.execute(
        "INSERT INTO recommendation_setting (round_id, places, min_tenths) VALUES (?1, ?2, ?3)
         ON CONFLICT (round_id) DO UPDATE SET places = excluded.places, min_tenths = excluded.min_tenths",
        params![round_id, l.places, l.min_score.map(|t| t.0)],
    )?;
    audit::append(conn, actor, audit::Action::RecommendationLine, &format!("round:{round_id}"), &l.describe_zh())
}

/// Sets the 公示 settings (allowed on a confirmed list: they do not change who is on it).
pub fn set_publicity(conn: &Connection, round_id: i64, p: &Publicity, actor: &str) -> Result<()> {
    for d in [&p.start, &p.end] {
        if !d.is_empty() {
            crate::rounds::check_date(d.trim())?;
        }
    }
    conn.execute(
        "INSERT INTO recommendation_setting (round_id, publicity_order, notice_start, notice_end, contact, phone, publisher)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (round_id) DO UPDATE SET publicity_order = excluded.publicity_order, notice_start = excluded.notice_start,
             notice_end = excluded.notice_end, contact = excluded.contact, phone = excluded.phone, publisher = excluded.publisher",
        params![round_id, p.order.token(), p.start.trim(), p.end.trim(), p.contact.trim(), p.phone.trim(), p.publisher.trim()],
    )?;
    let order = match p.order {
        PublicityOrder::Rank => "按名次",
        PublicityOrder::Recommender => "按推荐单位",
    };
    let detail = format!("公示名单{order}排列；公示期 {}至{}；联系人 {} {}；发布单位 {}", p.start, p.end, p.contact, p.phone, p.publisher);
    audit::append(conn, actor, audit::Action::RecommendationPublicity, &format!("round:{round_id}"), &detail)
}

/// The panel's tie decisions of a round, oldest first.
pub fn decisions(conn: &Connection, round_id: i64) -> Result<Vec<TieDecision>> {
    let mut st = conn.prepare(
        "SELECT tied, final_num, final_den, places_left, chosen, by_tiebreak, votes_for, votes_against, reason
         FROM recommendation_tie_decision WHERE round_id = ?1 ORDER BY id",
    )?;
    let split = |s: String| s.split(',').filter(|x| !x.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let rows = st.query_map([round_id], |r| {
        Ok(TieDecision {
            tied: split(r.get(0)?),
            final_score: Ratio::new(r.get::<_, i64>(1)? as i128, r.get::<_, i64>(2)? as i128),
            places_left: r.get(3)?,
            chosen: split(r.get(4)?),
            by_tiebreak: r.get(5)?,
            votes_for: r.get(6)?,
            votes_against: r.get(7)?,
            reason: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records a tie decision (already checked by `pingshen_core::recommendation::decide`) and logs it in words;
/// refused while a confirmed list is in force.
pub fn record_decision(conn: &Connection, round_id: i64, d: &TieDecision, actor: &str) -> Result<()> {
    if confirmed(conn, round_id)?.is_some() {
        return Err(StoreError::ListConfirmed { what: "更改同分的专家组决定" });
    }
    conn.execute(
        "INSERT INTO recommendation_tie_decision
             (round_id, tied, final_num, final_den, places_left, chosen, by_tiebreak, votes_for, votes_against, reason, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            round_id,
            d.tied.join(","),
            d.final_score.numer() as i64,
            d.final_score.denom() as i64,
            d.places_left,
            d.chosen.join(","),
            d.by_tiebreak,
            d.votes_for,
            d.votes_against,
            d.reason,
            actor
        ],
    )?;
    let detail = pingshen_core::recommendation::decision_zh(d);
    audit::append(conn, actor, audit::Action::RecommendationTie, &format!("round:{round_id}"), &detail)
}

/// One frozen row of a confirmed list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRow {
    pub rank: Option<u32>,
    pub code: String,
    pub name: String,
    /// 推荐单位
    pub recommender: String,
    pub lead_school: String,
    pub lead_enterprise: String,
    pub final_score: Option<Ratio>,
    pub recommended: bool,
    /// Why not recommended (`pingshen_core::recommendation::Reason::token`), empty when recommended.
    pub reason: String,
}

/// A confirmation of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub seq: u32,
    pub line: Line,
    /// The tie decision in force, in words ('' when none).
    pub decision: String,
    pub actor: String,
    pub at: String,
    pub rows: Vec<ListRow>,
}

/// The confirmed list in force, if any.
pub fn confirmed(conn: &Connection, round_id: i64) -> Result<Option<Confirmation>> {
    let head = conn
        .query_row(
            "SELECT seq, places, min_tenths, decision, actor, confirmed_at FROM recommendation_confirmation
             WHERE round_id = ?1 AND reopened_at IS NULL ORDER BY seq DESC LIMIT 1",
            [round_id],
            |r| {
                Ok(Confirmation {
                    seq: r.get(0)?,
                    line: Line { places: r.get(1)?, min_score: r.get::<_, Option<i64>>(2)?.map(Tenths) },
                    decision: r.get(3)?,
                    actor: r.get(4)?,
                    at: r.get(5)?,
                    rows: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut c) = head else { return Ok(None) };
    let mut st = conn.prepare(
        "SELECT rank, code, name, recommender, lead_school, lead_enterprise, final_num, final_den, recommended, reason
         FROM recommendation_row WHERE round_id = ?1 AND seq = ?2 ORDER BY position",
    )?;
    let rows = st.query_map(params![round_id, c.seq], |r| {
        let num: Option<i64> = r.get(6)?;
        let den: Option<i64> = r.get(7)?;
        Ok(ListRow {
            rank: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            recommender: r.get(3)?,
            lead_school: r.get(4)?,
            lead_enterprise: r.get(5)?,
            final_score: num.zip(den).map(|(n, d)| Ratio::new(n as i128, d as i128)),
            recommended: r.get(8)?,
            reason: r.get(9)?,
        })
    })?;
    c.rows = rows.collect::<rusqlite::Result<_>>()?;
    Ok(Some(c))
}

/// Confirms the list: the rows are stored as given (the caller made them from a confirmable proposal) and the
/// confirmation logged. Refused while a confirmed list is in force.
pub fn confirm(conn: &Connection, round_id: i64, l: &Line, decision: &str, rows: &[ListRow], actor: &str) -> Result<u32> {
    if confirmed(conn, round_id)?.is_some() {
        return Err(StoreError::ListConfirmed { what: "再次确认" });
    }
    let seq: u32 =
        conn.query_row("SELECT coalesce(max(seq), 0) + 1 FROM recommendation_confirmation WHERE round_id = ?1", [round_id], |r| r.get(0))?;
    conn.execute(
        "INSERT INTO recommendation_confirmation (round_id, seq, places, min_tenths, decision, actor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![round_id, seq, l.places, l.min_score.map(|t| t.0), decision, actor],
    )?;
    let mut st = conn.prepare(
        "INSERT INTO recommendation_row (round_id, seq, position, rank, code, name, recommender, lead_school, lead_enterprise,
             final_num, final_den, recommended, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (i, r) in rows.iter().enumerate() {
        st.execute(params![
            round_id,
            seq,
            i as i64,
            r.rank,
            r.code,
            r.name,
            r.recommender,
            r.lead_school,
            r.lead_enterprise,
            r.final_score.map(|f| f.numer() as i64),
            r.final_score.map(|f| f.denom() as i64),
            r.recommended,
            r.reason
        ])?;
    }
    let chosen: Vec<&str> = rows.iter().filter(|r| r.recommended).map(|r| r.code.as_str()).collect();
    let mut detail = format!("第 {seq} 次确认；{}；推荐 {} 项：{}", l.describe_zh(), chosen.len(), chosen.join("、"));
    if !decision.is_empty() {
        detail.push_str(&format!("；专家组决定：{decision}"));
    }
    audit::append(conn, actor, audit::Action::ConfirmRecommendation, &format!("round:{round_id}"), &detail)?;
    Ok(seq)
}

/// Reopens the confirmed list with a reason (logged); the frozen rows stay on record.
pub fn reopen(conn: &Connection, round_id: i64, reason: &str, actor: &str) -> Result<()> {
    let Some(c) = confirmed(conn, round_id)? else { return Err(StoreError::ListNotConfirmed) };
    if reason.trim().is_empty() {
        return Err(StoreError::ReasonRequired { what: "重新打开推荐名单" });
    }
    conn.execute(
        "UPDATE recommendation_confirmation SET reopened_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), reopen_reason = ?3, reopened_by = ?4
         WHERE round_id = ?1 AND seq = ?2",
        params![round_id, c.seq, reason.trim(), actor],
    )?;
    audit::append(
        conn,
        actor,
        audit::Action::ReopenRecommendation,
        &format!("round:{round_id}"),
        &format!("重新打开第 {} 次确认的推荐名单；理由：{}", c.seq, reason.trim()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Connection, i64) {
        let mut conn = crate::open_in_memory().unwrap();
        let new = crate::rounds::NewRound {
            name: "测试批次".into(),
            rubric_text: include_str!("../../../rubrics/henan-2023/rubric.toml").into(),
            applications: vec![],
            experts: vec![],
            is_sample: false,
            uid: None,
        };
        let id = crate::rounds::create(&mut conn, &new, "staff").unwrap();
        (conn, id)
    }

    fn row(code: &str, recommended: bool) -> ListRow {
        ListRow {
            rank: Some(1),
            code: code.into(),
            name: format!("{code} 联合体"),
            final_score: Some(Ratio::new(1713, 20)),
            recommended,
            ..ListRow::default()
        }
    }

    #[test]
    fn confirm_freezes_and_reopen_needs_a_reason() {
        let (conn, id) = setup();
        let l = Line { places: Some(1), min_score: Some(Tenths(800)) };
        set_line(&conn, id, &l, "staff").unwrap();
        assert_eq!(line(&conn, id).unwrap(), l);
        let seq = confirm(&conn, id, &l, "", &[row("A01", true), row("A02", false)], "staff").unwrap();
        assert_eq!(seq, 1);
        let c = confirmed(&conn, id).unwrap().unwrap();
        assert_eq!(c.rows.len(), 2);
        assert_eq!(c.rows[0].final_score, Some(Ratio::new(1713, 20)));
        assert!(c.rows[0].recommended && !c.rows[1].recommended);

        let err = set_line(&conn, id, &Line { places: Some(2), min_score: None }, "staff").unwrap_err();
        assert_eq!(err.to_string(), "推荐名单已确认，不能修改推荐名额或最低分数线；如需修改，请先重新打开名单（须写明理由）");
        assert_eq!(line(&conn, id).unwrap(), l, "a refused change changes nothing");
        let d = TieDecision {
            tied: vec!["A01".into(), "A02".into()],
            final_score: Ratio::int(85),
            places_left: 1,
            chosen: vec!["A01".into()],
            by_tiebreak: false,
            votes_for: 3,
            votes_against: 2,
            reason: "r".into(),
        };
        assert!(matches!(record_decision(&conn, id, &d, "staff"), Err(StoreError::ListConfirmed { .. })));
        assert!(matches!(confirm(&conn, id, &l, "", &[row("A01", true)], "staff"), Err(StoreError::ListConfirmed { .. })));
        // A frozen row is never updated, even by hand.
        let e = conn.execute("UPDATE recommendation_row SET recommended = 0", []).unwrap_err();
        assert!(matches!(StoreError::from(e), StoreError::ListConfirmed { .. }));

        assert_eq!(reopen(&conn, id, "  ", "staff").unwrap_err().to_string(), "重新打开推荐名单须写明理由");
        reopen(&conn, id, "专家组复核后调整名额", "staff").unwrap();
        assert!(confirmed(&conn, id).unwrap().is_none());
        assert!(matches!(reopen(&conn, id, "x", "staff"), Err(StoreError::ListNotConfirmed)));
        set_line(&conn, id, &Line { places: Some(2), min_score: None }, "staff").unwrap();
        record_decision(&conn, id, &d, "staff").unwrap();
        assert_eq!(decisions(&conn, id).unwrap(), vec![d]);
        assert_eq!(confirm(&conn, id, &l, "x", &[row("A01", true)], "staff").unwrap(), 2);

        let log = crate::audit::for_round(&conn, id).unwrap();
        let actions: Vec<String> = log.iter().map(|e| e.action.clone()).collect();
        for a in ["recommendation_line", "confirm_recommendation", "reopen_recommendation", "recommendation_tie"] {
            assert!(actions.iter().any(|x| x == a), "{a} not logged: {actions:?}");
        }
        assert!(log.iter().any(|e| e.detail.contains("专家组复核后调整名额")));
    }

    #[test]
    fn publicity_settings_round_trip_and_bad_dates_are_refused() {
        let (conn, id) = setup();
        let p = Publicity {
            order: PublicityOrder::Recommender,
            start: "2026-12-04".into(),
            end: "2026-12-10".into(),
            contact: "李老师".into(),
            phone: "0371-12345678".into(),
            publisher: "河南省教育厅".into(),
        };
        set_publicity(&conn, id, &p, "staff").unwrap();
        assert_eq!(publicity(&conn, id).unwrap(), p);
        let bad = Publicity { start: "12月4日".into(), ..p.clone() };
        assert!(matches!(set_publicity(&conn, id, &bad, "staff"), Err(StoreError::BadDate { .. })));
        assert_eq!(publicity(&conn, id).unwrap(), p);
        // The line and the publicity live in one row without overwriting each other.
        set_line(&conn, id, &Line { places: Some(3), min_score: None }, "staff").unwrap();
        assert_eq!(publicity(&conn, id).unwrap(), p);
    }

    #[test]
    fn a_closed_round_refuses_changes_to_the_list() {
        let (conn, id) = setup();
        crate::rounds::close(&conn, id, "staff").unwrap();
        assert!(matches!(set_line(&conn, id, &Line { places: Some(3), min_score: None }, "staff"), Err(StoreError::RoundClosed)));
        assert!(matches!(confirm(&conn, id, &Line::default(), "", &[], "staff"), Err(StoreError::RoundClosed)));
    }
}
