//! Lab time as calendar time.
//!
//! The core counts simulated seconds from the lab's start; responses show
//! them as dates, as AWS does. Lab time 0 is [`LAB_EPOCH`], a fixed date, so
//! the same commands always print the same timestamps.

/// Lab time 0: 2026-01-05 09:00:00 UTC, as Unix seconds.
pub const LAB_EPOCH: u64 = 1_767_603_600;

/// (year, month, day, hour, minute, second) of lab time `seconds`.
fn civil(seconds: u64) -> (i64, u32, u32, u64, u64, u64) {
    let unix = LAB_EPOCH + seconds;
    let days = (unix / 86_400) as i64;
    let rest = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rest / 3600, rest % 3600 / 60, rest % 60)
}

/// `2026-01-05T09:00:30+00:00`: how the AWS CLI v2 prints a timestamp.
pub fn iso8601(seconds: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+00:00")
}

/// `2026-01-05T09:00:30.000Z`: an AMI's `CreationDate` string.
pub fn iso8601_millis(seconds: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z")
}

/// `2026-01-05 09:00:30 GMT`: the date in a `StateTransitionReason`.
pub fn gmt(seconds: u64) -> String {
    let (y, mo, d, h, mi, s) = civil(seconds);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_time_reads_as_dates() {
        assert_eq!(iso8601(0), "2026-01-05T09:00:00+00:00");
        assert_eq!(iso8601(86_400 * 30 + 61), "2026-02-04T09:01:01+00:00");
        assert_eq!(gmt(90), "2026-01-05 09:01:30 GMT");
        assert_eq!(iso8601_millis(0), "2026-01-05T09:00:00.000Z");
    }
}
