//! Exact score values: integer tenths of a point.
//!
//! Every score, maximum, step and cap is a [`Tenths`]. Text such as `"4.5"` parses exactly; there is no
//! floating point anywhere on the way, so `0.1 + 0.2` is `0.3` here.

use std::fmt;

/// A number of tenths of a point: `Tenths(45)` is 4.5 points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tenths(pub i64);

/// Why a text is not a score value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseTenthsError {
    #[error("“{0}”不是数字")]
    NotANumber(String),
    #[error("“{0}”最多只能有一位小数")]
    TooPrecise(String),
    #[error("“{0}”太大")]
    TooLarge(String),
}

impl Tenths {
    pub const ZERO: Tenths = Tenths(0);

    /// Whole points: `Tenths::points(5)` is 5.0.
    pub const fn points(p: i64) -> Tenths {
        Tenths(p * 10)
    }

    /// Parses `"5"`, `"4.5"`, `"-1.0"`, `" 3 "`; at most one decimal digit that is not zero
    /// (`"4.50"` is accepted, `"4.55"` is not).
    pub fn parse(text: &str) -> Result<Tenths, ParseTenthsError> {
        let t = text.trim();
        let bad = || ParseTenthsError::NotANumber(text.trim().to_string());
        let (neg, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(t)),
        };
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if body.ends_with('.') && frac.is_empty() && int.is_empty() {
            return Err(bad());
        }
        let frac_trimmed = frac.trim_end_matches('0');
        if frac_trimmed.len() > 1 {
            return Err(ParseTenthsError::TooPrecise(t.to_string()));
        }
        if int.len() > 15 {
            return Err(ParseTenthsError::TooLarge(t.to_string()));
        }
        let whole: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
        let tenth: i64 = frac_trimmed.parse().unwrap_or(0);
        let v = whole * 10 + tenth;
        Ok(Tenths(if neg { -v } else { v }))
    }

    /// True when `self` is a whole multiple of `step` (a zero step divides nothing).
    pub fn is_multiple_of(self, step: Tenths) -> bool {
        step.0 > 0 && self.0 % step.0 == 0
    }

    /// `self` as a percentage of `max`, rounded down to a whole percent (exact integer arithmetic).
    pub fn percent_of_floor(self, max: Tenths) -> i64 {
        if max.0 == 0 {
            return 0;
        }
        (self.0 * 100).div_euclid(max.0)
    }
}

impl fmt::Display for Tenths {
    /// `45` → `4.5`, `50` → `5`, `-5` → `-0.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        if a.is_multiple_of(10) {
            write!(f, "{sign}{}", a / 10)
        } else {
            write!(f, "{sign}{}.{}", a / 10, a % 10)
        }
    }
}

impl std::ops::Add for Tenths {
    type Output = Tenths;
    fn add(self, o: Tenths) -> Tenths {
        Tenths(self.0 + o.0)
    }
}

impl std::ops::Sub for Tenths {
    type Output = Tenths;
    fn sub(self, o: Tenths) -> Tenths {
        Tenths(self.0 - o.0)
    }
}

impl std::iter::Sum for Tenths {
    fn sum<I: Iterator<Item = Tenths>>(iter: I) -> Tenths {
        Tenths(iter.map(|t| t.0).sum())
    }
}

impl serde::Serialize for Tenths {
    /// As its decimal text ("4.5"), so canonical forms and reports never see a float.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_exactly() {
        for (text, tenths, shown) in [
            ("5", 50, "5"),
            ("4.5", 45, "4.5"),
            ("4.50", 45, "4.5"),
            ("0.1", 1, "0.1"),
            (".5", 5, "0.5"),
            ("-1.5", -15, "-1.5"),
            (" 12 ", 120, "12"),
            ("100", 1000, "100"),
        ] {
            let t = Tenths::parse(text).unwrap();
            assert_eq!(t, Tenths(tenths), "{text}");
            assert_eq!(t.to_string(), shown);
        }
    }

    #[test]
    fn refuses_what_is_not_a_tenth() {
        assert!(matches!(Tenths::parse("4.55"), Err(ParseTenthsError::TooPrecise(_))));
        for bad in ["", "abc", "4,5", "1e2", ".", "--1", "4.5.1", "五"] {
            assert!(Tenths::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn multiples_and_percent() {
        assert!(Tenths(45).is_multiple_of(Tenths(5)));
        assert!(!Tenths(43).is_multiple_of(Tenths(5)));
        assert!(!Tenths(10).is_multiple_of(Tenths(0)));
        assert_eq!(Tenths(29).percent_of_floor(Tenths(50)), 58);
        assert_eq!(Tenths(30).percent_of_floor(Tenths(50)), 60);
    }
}
