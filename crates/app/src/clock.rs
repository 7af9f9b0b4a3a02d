//! The clock of what the app stamps itself (score-file exports, the date printed on paperwork) and the
//! Beijing time (UTC+8) that paper shows for the store's UTC timestamps. The only module that reads the
//! system clock.

use time::macros::{format_description, offset};
use time::{OffsetDateTime, UtcOffset};

const BEIJING: UtcOffset = offset!(+8);

/// Now, UTC, as ISO 8601 to the second ("2026-11-23T13:05:00Z").
pub fn now_iso() -> String {
    iso(OffsetDateTime::now_utc())
}

fn iso(t: OffsetDateTime) -> String {
    t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z")).expect("a UTC time formats")
}

/// Today's date in China as documents print it: "2026年11月23日".
pub fn today_zh() -> String {
    date_zh(OffsetDateTime::now_utc())
}

fn date_zh(t: OffsetDateTime) -> String {
    let d = t.to_offset(BEIJING).date();
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// A UTC timestamp of the store ("2024-05-20T02:30:05.123Z") as Beijing time to the second
/// ("2024-05-20 10:30:05"), as Chinese offices write it; text that is not such a timestamp (UTC, `Z`) is
/// printed as it is.
pub fn beijing_time(utc: &str) -> String {
    let parsed = utc.ends_with('Z').then(|| OffsetDateTime::parse(utc, &time::format_description::well_known::Rfc3339));
    match parsed {
        Some(Ok(t)) => {
            t.to_offset(BEIJING).format(format_description!("[year]-[month]-[day] [hour]:[minute]:[second]")).expect("a Beijing time formats")
        }
        _ => utc.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_timestamps_print_in_beijing_time() {
        assert_eq!(beijing_time("2024-05-20T02:30:05.123Z"), "2024-05-20 10:30:05");
        assert_eq!(beijing_time("2023-12-31T16:00:00Z"), "2024-01-01 00:00:00");
        assert_eq!(beijing_time("2024-02-28T20:00:00.000Z"), "2024-02-29 04:00:00");
        assert_eq!(beijing_time("2023-02-28T20:00:00.000Z"), "2023-03-01 04:00:00");
        assert_eq!(beijing_time("1970-01-01T00:00:00Z"), "1970-01-01 08:00:00");
        for odd in ["", "昨天", "2024-05-20 10:00:00", "2024-13-01T00:00:00Z", "2024-05-20T02:30:05.Z", "2024-05-20T02:30:05+08:00"] {
            assert_eq!(beijing_time(odd), odd);
        }
    }

    #[test]
    fn dates_are_beijing_dates_without_leading_zeros() {
        let t = OffsetDateTime::from_unix_timestamp(1_704_038_400).unwrap(); // 2023-12-31T16:00:00Z
        assert_eq!(date_zh(t), "2024年1月1日");
        assert_eq!(iso(t), "2023-12-31T16:00:00Z");
        let t = OffsetDateTime::from_unix_timestamp(1_709_150_400).unwrap(); // 2024-02-28T20:00:00Z
        assert_eq!(date_zh(t), "2024年2月29日");
    }
}
