//! Exact rational numbers for panel arithmetic: means of integer tenths, medians, statistics.
//!
//! A [`Ratio`] is always reduced with a positive denominator, so equal values are equal structs and
//! comparison is exact (cross-multiplication in `i128`). Display rounds half up (四舍五入) on the exact value:
//! 88.125 shows as "88.13", which binary floating point gets wrong.

use std::cmp::Ordering;
use std::fmt;

use crate::score::Tenths;

/// An exact fraction `num / den`, `den > 0`, reduced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    /// `num / den`; panics on a zero denominator (a programming error, never user input).
    pub fn new(num: i128, den: i128) -> Ratio {
        assert!(den != 0, "zero denominator");
        let g = gcd(num, den).max(1);
        let s = if den < 0 { -1 } else { 1 };
        Ratio { num: s * num / g, den: s * den / g }
    }

    /// A whole number.
    pub fn int(n: i128) -> Ratio {
        Ratio { num: n, den: 1 }
    }

    /// Points from tenths: `Tenths(45)` is 9/2.
    pub fn from_tenths(t: Tenths) -> Ratio {
        Ratio::new(t.0 as i128, 10)
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    /// The mean of some values; `None` for none.
    pub fn mean(values: &[Ratio]) -> Option<Ratio> {
        if values.is_empty() {
            return None;
        }
        let sum = values.iter().fold(Ratio::ZERO, |a, &b| a + b);
        Some(sum / values.len() as i128)
    }

    /// The median (mean of the two middle values for an even count); `None` for none.
    pub fn median(values: &[Ratio]) -> Option<Ratio> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort();
        let n = v.len();
        Some(if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2 })
    }

    pub fn abs(self) -> Ratio {
        Ratio { num: self.num.abs(), den: self.den }
    }

    /// Decimal text rounded half up (away from zero on a tie) to `places` decimals: `88.125` → `"88.13"`.
    pub fn round_half_up(self, places: u32) -> String {
        let scale = 10i128.pow(places);
        let scaled_num = self.num.abs() * scale;
        let mut q = scaled_num / self.den;
        let r = scaled_num % self.den;
        if 2 * r >= self.den {
            q += 1;
        }
        let sign = if self.num < 0 && q != 0 { "-" } else { "" };
        if places == 0 {
            return format!("{sign}{q}");
        }
        let int = q / scale;
        let frac = q % scale;
        format!("{sign}{int}.{frac:0width$}", width = places as usize)
    }

    /// A float for statistics that are not scores (never for a score or a ranking decision).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}

impl Ord for Ratio {
    fn cmp(&self, o: &Ratio) -> Ordering {
        (self.num * o.den).cmp(&(o.num * self.den))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Ratio) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl std::ops::Add for Ratio {
    type Output = Ratio;
    fn add(self, o: Ratio) -> Ratio {
        Ratio::new(self.num * o.den + o.num * self.den, self.den * o.den)
    }
}

impl std::ops::Sub for Ratio {
    type Output = Ratio;
    fn sub(self, o: Ratio) -> Ratio {
        Ratio::new(self.num * o.den - o.num * self.den, self.den * o.den)
    }
}

impl std::ops::Mul for Ratio {
    type Output = Ratio;
    fn mul(self, o: Ratio) -> Ratio {
        Ratio::new(self.num * o.num, self.den * o.den)
    }
}

impl std::ops::Div<i128> for Ratio {
    type Output = Ratio;
    // Dividing a fraction by an integer multiplies its denominator.
    #[allow(clippy::suspicious_arithmetic_impl)]
    fn div(self, d: i128) -> Ratio {
        Ratio::new(self.num, self.den * d)
    }
}

impl std::ops::Div for Ratio {
    type Output = Ratio;
    fn div(self, o: Ratio) -> Ratio {
        Ratio::new(self.num * o.den, self.den * o.num)
    }
}

impl fmt::Display for Ratio {
    /// Two decimals, half up: how scores are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.round_half_up(2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_on_the_exact_value() {
        assert_eq!(Ratio::new(88125, 1000).round_half_up(2), "88.13");
        assert_eq!(Ratio::new(257, 3).round_half_up(2), "85.67");
        assert_eq!(Ratio::new(1, 8).round_half_up(2), "0.13");
        assert_eq!(Ratio::new(-1, 8).round_half_up(2), "-0.13");
        assert_eq!(Ratio::new(865, 10).round_half_up(2), "86.50");
        assert_eq!(Ratio::new(7312, 10000).round_half_up(4), "0.7312");
        assert_eq!(Ratio::int(3).round_half_up(0), "3");
        assert_eq!(Ratio::new(1, 3).round_half_up(0), "0");
    }

    #[test]
    fn arithmetic_and_order_are_exact() {
        let a = Ratio::new(1, 10) + Ratio::new(2, 10);
        assert_eq!(a, Ratio::new(3, 10));
        assert!(Ratio::new(1, 3) < Ratio::new(34, 100));
        assert_eq!(Ratio::new(4, -8), Ratio::new(-1, 2));
        assert_eq!(Ratio::median(&[Ratio::int(1), Ratio::int(4), Ratio::int(2), Ratio::int(3)]), Some(Ratio::new(5, 2)));
        assert_eq!(Ratio::mean(&[Ratio::int(1), Ratio::int(2)]), Some(Ratio::new(3, 2)));
    }
}
