//! RFC 5545 values written digit by digit: date-times and durations.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, Timelike, Utc};

/// `20240415T170000`: wall-clock time, read with the TZID parameter. Written digit by
/// digit: chrono's `format` parses its pattern on every call, which made dates the largest
/// cost of writing an event.
pub(crate) fn push_civil(line: &mut String, time: NaiveDateTime) {
    let Ok(year @ 0..=9999) = u32::try_from(time.year()) else {
        // chrono's sign and width for the years it writes with more than four digits.
        let _ = write!(line, "{}", time.format("%Y%m%dT%H%M%S"));
        return;
    };
    push_digits(line, year, 4);
    push_digits(line, time.month(), 2);
    push_digits(line, time.day(), 2);
    line.push('T');
    push_digits(line, time.hour(), 2);
    push_digits(line, time.minute(), 2);
    // chrono keeps a leap second in the nanoseconds and writes it as second 60.
    push_digits(line, time.second() + time.nanosecond() / 1_000_000_000, 2);
}

/// `20240101T000000Z`
pub(crate) fn utc(time: DateTime<Utc>) -> String {
    let mut text = String::with_capacity(16);
    push_utc(&mut text, time);
    text
}

pub(crate) fn push_utc(line: &mut String, time: DateTime<Utc>) {
    push_civil(line, time.naive_utc());
    line.push('Z');
}

/// The last `width` decimal digits of `value`, zero-padded.
pub(crate) fn push_digits(line: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        line.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

/// `PT12H`, `PT1H30M`: an RFC 5545 duration of whole minutes.
pub(crate) fn duration(span: TimeDelta) -> String {
    let minutes = span.num_minutes();
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (hours, minutes) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let dates = [
            (1, 1, 1),
            (99, 12, 31),
            (999, 2, 3),
            (2024, 4, 15),
            (9999, 12, 31),
        ];
        let beyond = [(10000, 1, 1), (-1, 6, 30), (-12345, 7, 8)];
        for (year, month, day) in dates.into_iter().chain(beyond) {
            let date = chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a date");
            for (hour, minute, nano) in [(0, 0, 0), (9, 5, 999_999_999), (23, 59, 1_500_000_000)] {
                let time = chrono::NaiveTime::from_hms_nano_opt(hour, minute, 59, nano)
                    .expect("a time, or a leap second");
                let at = date.and_time(time);
                let mut text = String::new();
                push_civil(&mut text, at);
                assert_eq!(text, at.format("%Y%m%dT%H%M%S").to_string());
                assert_eq!(utc(at.and_utc()), at.format("%Y%m%dT%H%M%SZ").to_string());
            }
        }
    }
}
