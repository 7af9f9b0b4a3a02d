//! Rounds (评审批次): the list, one round with its experts and rubric, the sample round, and the round's
//! life cycle on the staff machine: 新建评审批次 with a rubric of the library, its settings, 结束评审 and
//! reopening, and deletion.

use std::collections::BTreeMap;

use pingshen_store::{declarations, experts, rounds, Connection};
use serde::Deserialize;
use ts_rs::TS;

use crate::error::Result;
use crate::ids::RoundId;
use crate::overview::STAFF;
use crate::rubrics::RubricRef;
use crate::views::{ExpertDto, RoundDetailDto, RoundDto, RoundSettingsDto};

/// Every round on this machine.
pub fn list(conn: &Connection) -> Result<Vec<RoundDto>> {
    Ok(rounds::list(conn)?.into_iter().map(RoundDto::from).collect())
}

/// A round with its experts (and who signed their declaration), its rubric, and where it came from.
pub fn get(conn: &Connection, round: RoundId) -> Result<RoundDetailDto> {
    let list = experts::list(conn, round.0)?;
    let mut declared = BTreeMap::new();
    for e in &list {
        if let Some(d) = declarations::latest(conn, e.id)? {
            declared.insert(e.id, d.signed_at);
        }
    }
    Ok(RoundDetailDto {
        round: rounds::get(conn, round.0)?.into(),
        handout: pingshen_store::handout::get(conn, round.0)?.map(Into::into),
        declared,
        experts: list.into_iter().map(ExpertDto::from).collect(),
        rubric: (&rounds::rubric(conn, round.0)?).into(),
    })
}

/// The sample round, created unless there is one already.
pub fn sample(conn: &mut Connection) -> Result<RoundDto> {
    let id = crate::samples::ensure_sample_round(conn)?;
    Ok(rounds::get(conn, id)?.into())
}

/// What 新建评审批次 asks for.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewRoundInput {
    pub settings: RoundSettingsDto,
    /// The rubric, frozen into the round now.
    pub rubric: RubricRef,
}

/// 新建评审批次: an empty round (applications come by import, experts by the expert list) with the
/// chosen rubric frozen into it.
pub fn create(conn: &mut Connection, input: &NewRoundInput) -> Result<RoundDto> {
    let rubric_text = crate::rubrics::text(conn, &input.rubric)?;
    let settings = input.settings.to_store();
    let new =
        rounds::NewRound { name: settings.name.clone(), rubric_text, applications: Vec::new(), experts: Vec::new(), is_sample: false, uid: None };
    let id = rounds::create_with_settings(conn, &new, &settings, STAFF)?;
    Ok(rounds::get(conn, id)?.into())
}

/// Changes a round's name and settings; once a round file was handed out, only with a reason (logged).
pub fn update(conn: &Connection, round: RoundId, settings: &RoundSettingsDto, reason: &str) -> Result<RoundDto> {
    rounds::update(conn, round.0, &settings.to_store(), reason, STAFF)?;
    Ok(rounds::get(conn, round.0)?.into())
}

/// 结束评审: the round becomes read-only; paperwork can still be printed.
pub fn close(conn: &Connection, round: RoundId) -> Result<RoundDto> {
    rounds::close(conn, round.0, STAFF)?;
    Ok(rounds::get(conn, round.0)?.into())
}

/// Opens a closed round again, with the reason (logged).
pub fn reopen(conn: &Connection, round: RoundId, reason: &str) -> Result<RoundDto> {
    rounds::reopen(conn, round.0, reason, STAFF)?;
    Ok(rounds::get(conn, round.0)?.into())
}

/// Deletes a round without submitted sheets (or the sample), its name typed to confirm.
pub fn delete(conn: &Connection, round: RoundId, typed_name: &str) -> Result<()> {
    Ok(rounds::delete(conn, round.0, typed_name, STAFF)?)
}
