//! The codes people read and write on paper: 专家编号 (E01, E02, …) and 申报编号 (A01, A02, …).

/// The prefix of a 专家编号.
pub const EXPERT: &str = "E";
/// The prefix of a 申报编号.
pub const APPLICATION: &str = "A";

/// The first of `{prefix}01`, `{prefix}02`, … that `taken` says is not taken yet.
pub fn next_free(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    (1..).map(|n: u32| format!("{prefix}{n:02}")).find(|c| !taken(c)).expect("some code is free")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_free_code_fills_gaps_and_goes_past_99() {
        assert_eq!(super::next_free("E", |_| false), "E01");
        assert_eq!(super::next_free("A", |c| ["A01", "A03"].contains(&c)), "A02");
        assert_eq!(super::next_free("E", |c| c.len() == 3), "E100");
    }
}
