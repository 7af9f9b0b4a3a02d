//! Experts (评审专家) of a panel.

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
}
