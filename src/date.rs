//! Dates and moments, the clock, and every way pressroom writes a date: as
//! a PDF date, as parts of a UTC timestamp, and as CLDR's long date in a
//! language. The ground floor: the only place that reads the clock.

use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::input::{Date as IcuDate, DateTime, Time};
use icu_locale::Locale;

use crate::diag::Diagnostic;

/// A calendar date.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// 1970-01-01, where Unix time starts.
    pub const EPOCH: Self = Self { year: 1970, month: 1, day: 1 };

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard
    /// Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Self { year: i32::try_from(year).ok()?, month, day })
    }

    /// Days from 1970-01-01 to this date.
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), i64::from(self.month), i64::from(self.day))
    }

    /// `2015-03-11`, as HTML's `<time datetime>` and sitemaps write it.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A moment with its UTC offset, as an embargo is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Moment {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    /// Offset from UTC in minutes.
    pub offset_minutes: i32,
}

impl Moment {
    /// The point in time it names.
    pub fn timestamp(self) -> Timestamp {
        let local = self.date.days_since_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60;
        Timestamp(local - i64::from(self.offset_minutes) * 60)
    }

    /// `2015-03-11T10:00:00+05:00` (RFC 3339).
    pub fn rfc3339(self) -> String {
        let offset = self.offset_minutes.unsigned_abs();
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        format!(
            "{}T{:02}:{:02}:00{sign}{:02}:{:02}",
            self.date.iso(),
            self.hour,
            self.minute,
            offset / 60,
            offset % 60
        )
    }
}

/// A point in time, in seconds since 1970-01-01 UTC.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Now: `SOURCE_DATE_EPOCH` when set (reproducible builds), else the
    /// system clock.
    pub fn now() -> Result<Self, Diagnostic> {
        Ok(source_date_epoch()?.unwrap_or_else(Self::clock))
    }

    /// The system clock, whatever `SOURCE_DATE_EPOCH` says.
    pub fn clock() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self(secs)
    }

    /// A PDF date (`D:20150311100000+05'00'`, as a signature's /M holds
    /// it), its offset applied; `None` when it is not one.
    pub fn from_pdf_date(text: &str) -> Option<Self> {
        let digits = text.strip_prefix("D:").unwrap_or(text);
        let field = |at: usize, len: usize| digits.get(at..at + len)?.parse::<i64>().ok();
        let (year, month, day) = (field(0, 4)?, field(4, 2).unwrap_or(1), field(6, 2).unwrap_or(1));
        let (hour, minute, second) =
            (field(8, 2).unwrap_or(0), field(10, 2).unwrap_or(0), field(12, 2).unwrap_or(0));
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let offset = match digits.get(14..15) {
            Some(sign @ ("+" | "-")) => {
                let hours = digits.get(15..17)?.parse::<i64>().ok()?;
                let minutes = digits.get(18..20).and_then(|m| m.parse::<i64>().ok()).unwrap_or(0);
                let total = hours * 3600 + minutes * 60;
                if sign == "+" { total } else { -total }
            }
            _ => 0,
        };
        let days = days_from_civil(year, month, day);
        Some(Self(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    /// The UTC date, hour, minute and second.
    pub fn utc(self) -> (Date, u8, u8, u8) {
        let date = Date::from_days_since_epoch(self.0.div_euclid(86_400)).unwrap_or(Date::EPOCH);
        let secs = self.0.rem_euclid(86_400);
        (date, (secs / 3600) as u8, (secs % 3600 / 60) as u8, (secs % 60) as u8)
    }

    pub fn date(self) -> Date {
        self.utc().0
    }

    /// `2015-03-11T05:00:00Z` (RFC 3339, UTC).
    pub fn rfc3339(self) -> String {
        let (d, h, m, s) = self.utc();
        format!("{}T{h:02}:{m:02}:{s:02}Z", d.iso())
    }

    /// Reads `2015-03-11T10:00:00+05:00` or `…Z` (RFC 3339, seconds optional).
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let (date, rest) = text.trim().split_once(['T', 't', ' '])?;
        let mut parts = date.split('-');
        let year: i64 = parts.next()?.parse().ok()?;
        let month: i64 = parts.next()?.parse().ok()?;
        let day: i64 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
            (time, 0)
        } else {
            let at = rest.rfind(['+', '-'])?;
            let (time, zone) = rest.split_at(at);
            let (hours, minutes) = zone[1..].split_once(':')?;
            let total = hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60;
            (time, if zone.starts_with('-') { -total } else { total })
        };
        let mut clock = time.split(':');
        let hour: i64 = clock.next()?.parse().ok()?;
        let minute: i64 = clock.next()?.parse().ok()?;
        let second: i64 = match clock.next() {
            Some(s) => s.split('.').next()?.parse().ok()?,
            None => 0,
        };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(Self(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    /// As a PDF date (`D:20150311100000+00'00'`), e.g. for a signature's /M.
    pub fn pdf_date(self) -> String {
        let (d, h, m, s) = self.utc();
        format!("D:{:04}{:02}{:02}{h:02}{m:02}{s:02}+00'00'", d.year, d.month, d.day)
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, the inverse of [`Date::from_days_since_epoch`]).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `SOURCE_DATE_EPOCH`, the reproducible-builds convention for "when".
pub fn source_date_epoch() -> Result<Option<Timestamp>, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => value.trim().parse().map(|s| Some(Timestamp(s))).map_err(|_| {
            Diagnostic::error("environment", format!("SOURCE_DATE_EPOCH=`{value}` is not a number of seconds"))
                .hint("set it to seconds since 1970-01-01 UTC, e.g. SOURCE_DATE_EPOCH=1426032000, or unset it")
        }),
        _ => Ok(None),
    }
}

/// Formats dates for one locale with CLDR's long date pattern:
/// `11 March 2015`, `11 марта 2015 г.`, `11 Март 2015`.
pub struct DateFormat {
    date: DateTimeFormatter<YMD>,
    date_time: DateTimeFormatter<icu_datetime::fieldsets::YMDT>,
}

impl DateFormat {
    pub fn new(locale: &str) -> Result<Self, String> {
        let locale: Locale =
            locale.parse().map_err(|_| format!("`{locale}` is not a CLDR locale"))?;
        let date = DateTimeFormatter::try_new(locale.clone().into(), YMD::long())
            .map_err(|err| format!("no CLDR date data for `{locale}`: {err}"))?;
        let date_time =
            DateTimeFormatter::try_new(locale.clone().into(), YMD::long().with_time_hm())
                .map_err(|err| format!("no CLDR date data for `{locale}`: {err}"))?;
        Ok(Self { date, date_time })
    }

    pub fn date(&self, date: Date) -> Result<String, String> {
        let date = iso_date(date)?;
        Ok(self.date.format(&date).to_string())
    }

    /// A date and time with its UTC offset: `11 March 2015, 10:00 (UTC+05:00)`.
    pub fn moment(&self, moment: Moment) -> Result<String, String> {
        let time = Time::try_new(moment.hour, moment.minute, 0, 0)
            .map_err(|_| "the time of day is out of range".to_owned())?;
        let value = DateTime { date: iso_date(moment.date)?, time };
        let sign = if moment.offset_minutes < 0 { '-' } else { '+' };
        let offset = moment.offset_minutes.abs();
        Ok(format!(
            "{} (UTC{sign}{:02}:{:02})",
            self.date_time.format(&value),
            offset / 60,
            offset % 60
        ))
    }
}

fn iso_date(date: Date) -> Result<IcuDate<icu_calendar::Iso>, String> {
    IcuDate::try_new_iso(date.year, date.month, date.day)
        .map_err(|_| format!("{}-{:02}-{:02} is not a date", date.year, date.month, date.day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_become_dates() {
        let date = |days| Date::from_days_since_epoch(days).map(|d| (d.year, d.month, d.day));
        assert_eq!(date(0), Some((1970, 1, 1)));
        assert_eq!(date(16_505), Some((2015, 3, 11)));
        assert_eq!(date(-1), Some((1969, 12, 31)));
        assert_eq!(date(11_016), Some((2000, 2, 29)));
    }

    #[test]
    fn timestamps_become_pdf_dates_and_back() {
        assert_eq!(Timestamp(1_426_068_000).pdf_date(), "D:20150311100000+00'00'");
        assert_eq!(Timestamp(0).pdf_date(), "D:19700101000000+00'00'");
        for t in [0, 1_426_068_000, 951_782_400, 4_102_444_799] {
            assert_eq!(Timestamp::from_pdf_date(&Timestamp(t).pdf_date()), Some(Timestamp(t)));
        }
        assert_eq!(
            Timestamp::from_pdf_date("D:20150311150000+05'00'"),
            Some(Timestamp(1_426_068_000))
        );
        assert_eq!(Timestamp::from_pdf_date("yesterday"), None);
    }

    #[test]
    fn long_dates_follow_cldr() {
        // CLDR keeps `г.` with the year by a narrow no-break space.
        let date = Date { year: 2015, month: 3, day: 11 };
        assert_eq!(DateFormat::new("en-GB").unwrap().date(date).unwrap(), "11 March 2015");
        assert_eq!(DateFormat::new("ru").unwrap().date(date).unwrap(), "11 марта 2015\u{202f}г.");
        assert_eq!(DateFormat::new("tg").unwrap().date(date).unwrap(), "11 Март 2015");
    }
}
