//! Experts (评审专家) of a panel, and the panel's 组长.

/// An expert as staff record them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expert {
    /// 专家编号, unique within a round (e.g. "E01").
    pub code: String,
    /// 姓名
    pub name: String,
    /// 单位
    pub unit: String,
    /// 职称
    pub title: String,
    /// 专业领域
    pub field: String,
    /// 手机
    pub phone: String,
    /// 组长 or 成员 (the default). A round has at most one 组长 ([`check_one_leader`]).
    pub role: Role,
}

/// An expert's role on the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// 成员
    #[default]
    Member,
    /// 组长: writes the 专家组意见 and signs the 评审意见表.
    Leader,
}

impl Role {
    /// As printed and typed in the expert list: 组长 / 成员.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Member => "成员",
            Role::Leader => "组长",
        }
    }

    /// From the expert list's 角色 cell (trimmed): 组长 or 成员; an empty cell is 成员. `None` for anything else.
    pub fn parse_zh(s: &str) -> Option<Role> {
        match s.trim() {
            "" | "成员" => Some(Role::Member),
            "组长" => Some(Role::Leader),
            _ => None,
        }
    }

    /// The stored value (`expert.role`, the round file's `role`): `member` / `leader`.
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::Leader => "leader",
        }
    }

    /// From the stored value; `None` for an unknown one.
    pub fn from_db(s: &str) -> Option<Role> {
        match s {
            "member" => Some(Role::Member),
            "leader" => Some(Role::Leader),
            _ => None,
        }
    }
}

/// More than one 组长 in one list: the codes of every 组长, in list order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("一个评审批次只能有一位组长，名单中有 {} 位：{}", .leaders.len(), .leaders.join("、"))]
pub struct TwoLeaders {
    pub leaders: Vec<String>,
}

/// The rule of the panel's roles: at most one 组长. The 组长 (if any) back.
pub fn check_one_leader(experts: &[Expert]) -> Result<Option<&Expert>, TwoLeaders> {
    let leaders: Vec<&Expert> = experts.iter().filter(|e| e.role == Role::Leader).collect();
    match leaders.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(TwoLeaders { leaders: many.iter().map(|e| format!("{} {}", e.code, e.name)).collect() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: &str, role: Role) -> Expert {
        Expert { code: code.into(), name: format!("专家{code}"), role, ..Default::default() }
    }

    #[test]
    fn a_panel_has_at_most_one_leader() {
        assert_eq!(check_one_leader(&[]).unwrap(), None);
        assert_eq!(check_one_leader(&[e("E01", Role::Member), e("E02", Role::Member)]).unwrap(), None);
        let list = [e("E01", Role::Member), e("E02", Role::Leader)];
        assert_eq!(check_one_leader(&list).unwrap().map(|x| x.code.as_str()), Some("E02"));
        let err = check_one_leader(&[e("E01", Role::Leader), e("E02", Role::Member), e("E03", Role::Leader)]).unwrap_err();
        assert_eq!(err.to_string(), "一个评审批次只能有一位组长，名单中有 2 位：E01 专家E01、E03 专家E03");
    }

    #[test]
    fn roles_read_and_write_both_ways() {
        for r in [Role::Member, Role::Leader] {
            assert_eq!(Role::parse_zh(r.zh()), Some(r));
            assert_eq!(Role::from_db(r.as_db()), Some(r));
        }
        assert_eq!(Role::parse_zh(" "), Some(Role::Member));
        assert_eq!(Role::parse_zh("副组长"), None);
        assert_eq!(Role::from_db("chair"), None);
        assert_eq!(Role::default(), Role::Member);
    }
}
