//! Rounds (评审批次): the list, one round with its experts and rubric, and the sample round.

use std::collections::BTreeMap;

use pingshen_store::{declarations, experts, rounds, Connection};

use crate::error::Result;
use crate::ids::RoundId;
use crate::views::{ExpertDto, RoundDetailDto, RoundDto};

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
