//! The sample round: the Henan rubric, the four sample applications and three demo experts, all embedded
//! in the binary at build time (see build.rs), so a fresh install has something real to score.

use pingshen_core::expert::Expert;
use pingshen_import::package_from_files;
use pingshen_store::rounds::{self, NewApplication, NewMaterial, NewRound};
use pingshen_store::Connection;

use crate::error::Result;

include!(concat!(env!("OUT_DIR"), "/samples.rs"));

/// Name of the sample round: a demonstration of the process, not a real round (its applications come from
/// several provinces).
pub const SAMPLE_ROUND_NAME: &str = "样例：市域产教联合体评审演示（多省示例申报材料）";

/// The sample round's identity, the same on every machine, so that score files of the sample round travel
/// between laptops as they do in a real round handed out from one place.
pub const SAMPLE_ROUND_UID: &str = "5a3b1e0c9d2f4e6a8b7c6d5e4f3a2b1c";

/// The demo panel.
pub fn demo_experts() -> Vec<Expert> {
    let e = |code: &str, name: &str, unit: &str, title: &str, field: &str| Expert {
        code: code.into(),
        name: name.into(),
        unit: unit.into(),
        title: title.into(),
        field: field.into(),
        phone: String::new(),
        role: Default::default(),
    };
    vec![
        e("E01", "张建国", "河南工业大学", "教授", "职业教育管理"),
        e("E02", "李文华", "浙大宁波理工学院", "教授", "产教融合"),
        e("E03", "王晓燕", "郑州市工业和信息化局", "高级工程师", "先进制造业"),
    ]
}

/// The sample round as a new round.
pub fn sample_round() -> Result<NewRound> {
    let mut applications = Vec::new();
    for (i, (name, files)) in SAMPLES.iter().enumerate() {
        let files: Vec<(String, Vec<u8>)> = files.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect();
        let p = package_from_files(name, &files)?;
        applications.push(NewApplication {
            code: format!("A{:02}", i + 1),
            application: p.application,
            materials: p
                .materials
                .into_iter()
                .map(|m| NewMaterial {
                    page_texts: pingshen_import::pdf::page_rows(&m.file, &m.content).unwrap_or_default(),
                    file: m.file,
                    title: m.title,
                    pages: m.pages,
                    content: m.content,
                })
                .collect(),
        });
    }
    Ok(NewRound {
        name: SAMPLE_ROUND_NAME.into(),
        rubric_text: HENAN_RUBRIC.into(),
        applications,
        experts: demo_experts(),
        is_sample: true,
        uid: Some(SAMPLE_ROUND_UID.into()),
    })
}

/// Creates the sample round unless there is one already; returns its id.
pub fn ensure_sample_round(conn: &mut Connection) -> Result<i64> {
    if let Some(r) = rounds::list(conn)?.into_iter().find(|r| r.is_sample) {
        return Ok(r.id);
    }
    Ok(rounds::create(conn, &sample_round()?, "样例")?)
}
