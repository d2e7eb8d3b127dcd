//! Wall-clock time as milliseconds and as RFC 3339 UTC text (no time-zone database needed).

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_millis() as u64)
        .unwrap_or(0)
}

/// `2026-11-30T15:04:05.123Z` for a millisecond timestamp.
pub fn rfc3339(millis: u64) -> String {
    let seconds = millis / 1000;
    let (days, of_day) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
        millis % 1000
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (UTC) or plain epoch milliseconds.
pub fn parse_instant(text: &str) -> Option<u64> {
    if let Ok(millis) = text.parse::<u64>() {
        return Some(millis);
    }
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once(['T', ' '])?;
    let mut date_parts = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (
        date_parts.next()?.ok()?,
        date_parts.next()?.ok()?,
        date_parts.next()?.ok()?,
    );
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let mut clock_parts = clock.split(':').map(str::parse::<u64>);
    let (hour, minute, second) = (
        clock_parts.next()?.ok()?,
        clock_parts.next()?.ok()?,
        clock_parts.next()?.ok()?,
    );
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let millis_text: String = fraction.chars().chain("000".chars()).take(3).collect();
    let millis: u64 = millis_text.parse().ok()?;
    if year > MAX_YEAR {
        // Later than any clock can show: the end of time.
        return Some(u64::MAX);
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(seconds.saturating_mul(1000).saturating_add(millis))
}

/// Years past this are read as "the end of time" (their milliseconds do not fit in 64 bits
/// long before the calendar arithmetic would overflow).
const MAX_YEAR: i64 = 500_000_000;

// Howard Hinnant's civil-calendar algorithms.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_and_parsing_round_trip() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        let millis = 1_796_050_245_123; // 2026-11-30
        let text = rfc3339(millis);
        assert_eq!(text, "2026-11-30T14:50:45.123Z");
        assert_eq!(parse_instant(&text), Some(millis));
        assert_eq!(parse_instant("2026-11-30T14:50:45Z"), Some(millis - 123));
        assert_eq!(parse_instant("42"), Some(42));
        assert_eq!(parse_instant("yesterday"), None);
        assert_eq!(parse_instant("2026-13-01T00:00:00Z"), None);
        assert_eq!(parse_instant("584556020-01-01T00:00:00Z"), Some(u64::MAX));
        assert_eq!(
            parse_instant("499999999-12-31T23:59:59.999Z").map(|ms| ms > 1 << 62),
            Some(true)
        );
        assert_eq!(
            parse_instant("9223372036854775807-01-01T00:00:00Z"),
            Some(u64::MAX)
        );
    }
}
