//! How each language writes dates. CLDR's long date is the default
//! (`11 March 2015`, `11 марта 2015 г.`); a language's translators can write
//! their own usage as messages in its `office.ftl`, as Tajik does
//! (`11 марти 2015`, where CLDR says `11 Март 2015`):
//!
//! - `date-long`: a date, from the numbers `$day`, `$month` (1–12), `$year`;
//! - `date-time`: a date with a time (an embargo), from `$date` (formatted as
//!   above), `$time` (`10:00`) and `$offset` (`UTC+05:00`).
//!
//! They belong to each language alone: the source language need not have
//! them, and they are never missing, obsolete or stale.

use fluent_bundle::{FluentArgs, FluentValue};

use super::{DateFormat, Localizer};
use crate::date::{Date, Moment};
use crate::diag::{Diagnostic, Diagnostics};

pub const DATE: &str = "date-long";
pub const DATE_TIME: &str = "date-time";

/// Messages a language may define for itself alone.
pub fn is_own_format(id: &str) -> bool {
    id == DATE || id == DATE_TIME
}

impl Localizer {
    /// `date` as this language writes it: its `date-long`, else CLDR's.
    pub fn date(
        &self,
        cldr: &DateFormat,
        date: Date,
        diags: &mut Diagnostics,
    ) -> Result<String, String> {
        if !self.has_message(DATE) {
            return cldr.date(date);
        }
        let mut args = FluentArgs::new();
        args.set("day", FluentValue::from(date.day));
        args.set("month", FluentValue::from(date.month));
        args.set("year", FluentValue::from(date.year));
        Ok(self.format(DATE, None, Some(&args), diags).unwrap_or_default())
    }

    /// A date and time with its UTC offset: `date-time` (or `date, time
    /// (offset)`) when the language writes its own dates, else CLDR's.
    pub fn moment(
        &self,
        cldr: &DateFormat,
        moment: Moment,
        diags: &mut Diagnostics,
    ) -> Result<String, String> {
        if !self.has_message(DATE) && !self.has_message(DATE_TIME) {
            return cldr.moment(moment);
        }
        let date = self.date(cldr, moment.date, diags)?;
        let time = format!("{:02}:{:02}", moment.hour, moment.minute);
        let sign = if moment.offset_minutes < 0 { '-' } else { '+' };
        let offset = moment.offset_minutes.abs();
        let offset = format!("UTC{sign}{:02}:{:02}", offset / 60, offset % 60);
        if !self.has_message(DATE_TIME) {
            return Ok(format!("{date}, {time} ({offset})"));
        }
        let mut args = FluentArgs::new();
        args.set("date", FluentValue::from(date));
        args.set("time", FluentValue::from(time));
        args.set("offset", FluentValue::from(offset));
        Ok(self.format(DATE_TIME, None, Some(&args), diags).unwrap_or_default())
    }
}

/// Problems with a language's own date messages, found by writing a date in
/// every month: an unknown variable, a day or year left out, a month that
/// falls through to another month's name.
pub fn check(localizer: &Localizer, cldr: &DateFormat) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let locate = |d: Diagnostic| match localizer.locate(DATE) {
        Some((file, span)) => d.at(&file.source, span).language(&localizer.lang),
        None => d.language(&localizer.lang),
    };
    if localizer.has_message(DATE) {
        let mut written: Vec<String> = Vec::new();
        for month in 1..=12u8 {
            let date = Date { year: 2015, month, day: 11 };
            let text = localizer.date(cldr, date, &mut diags).unwrap_or_default();
            if !text.contains("11") || !text.contains("2015") {
                diags.push(
                    locate(Diagnostic::error(
                        "date-format",
                        format!("`{DATE}` writes 11 of month {month} 2015 as `{text}`"),
                    ))
                    .hint("use $day, $month and $year, e.g. `{ $day } { $month -> … } { $year }`"),
                );
                break;
            }
            if let Some(same) = written.iter().position(|w| *w == text) {
                diags.push(
                    locate(Diagnostic::error(
                        "date-format",
                        format!(
                            "`{DATE}` writes months {} and {month} the same: `{text}`",
                            same + 1
                        ),
                    ))
                    .hint("give each month its own variant: `[1] …` to `[12] …`"),
                );
                break;
            }
            written.push(text);
        }
    }
    if localizer.has_message(DATE_TIME) {
        let moment = Moment {
            date: Date { year: 2015, month: 3, day: 11 },
            hour: 10,
            minute: 0,
            offset_minutes: 300,
        };
        let text = localizer.moment(cldr, moment, &mut diags).unwrap_or_default();
        if !text.contains("10:00") {
            let mut d = Diagnostic::error(
                "date-format",
                format!("`{DATE_TIME}` leaves out the time: `{text}`"),
            )
            .language(&localizer.lang)
            .hint("use $date, $time and $offset, e.g. `{ $date }, { $time } ({ $offset })`");
            if let Some((file, span)) = localizer.locate(DATE_TIME) {
                d = d.at(&file.source, span);
            }
            diags.push(d);
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::l10n::FtlFile;

    fn shipped(lang: &str) -> Localizer {
        let path = format!("{}/locales/{lang}/office.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let (file, errors) = FtlFile::parse(SourceFile::new("office.ftl", text));
        assert!(errors.is_empty());
        Localizer::new(lang, Some(file), None, Default::default()).0
    }

    #[test]
    fn tajik_writes_every_month_with_the_izofa() {
        let tg = shipped("tg");
        let cldr = DateFormat::new("tg").unwrap();
        let months = [
            "январи",
            "феврали",
            "марти",
            "апрели",
            "майи",
            "июни",
            "июли",
            "августи",
            "сентябри",
            "октябри",
            "ноябри",
            "декабри",
        ];
        let mut diags = Diagnostics::default();
        for (i, name) in months.iter().enumerate() {
            let date = Date { year: 2015, month: i as u8 + 1, day: 11 };
            assert_eq!(tg.date(&cldr, date, &mut diags).unwrap(), format!("11 {name} 2015"));
        }
        let date = |month, day| Date { year: 2015, month, day };
        assert_eq!(tg.date(&cldr, date(5, 5), &mut diags).unwrap(), "5 майи 2015");
        assert_eq!(tg.date(&cldr, date(11, 1), &mut diags).unwrap(), "1 ноябри 2015");
        let embargo = Moment { date: date(3, 11), hour: 10, minute: 0, offset_minutes: 300 };
        assert_eq!(
            tg.moment(&cldr, embargo, &mut diags).unwrap(),
            "11 марти 2015, соати 10:00 (UTC+05:00)"
        );
        assert!(diags.is_empty());
        assert!(check(&tg, &cldr).is_empty());
    }

    #[test]
    fn languages_without_their_own_format_follow_cldr() {
        let ru = shipped("ru");
        let cldr = DateFormat::new("ru").unwrap();
        let date = Date { year: 2015, month: 3, day: 11 };
        let mut diags = Diagnostics::default();
        assert_eq!(ru.date(&cldr, date, &mut diags).unwrap(), "11 марта 2015\u{202f}г.");
    }

    #[test]
    fn a_month_missing_from_the_selector_is_an_error() {
        let ftl =
            "date-long = { $day } { $month ->\n    [1] январи\n   *[other] марти\n} { $year }\n";
        let (file, _) = FtlFile::parse(SourceFile::new("office.ftl", ftl.to_owned()));
        let tg = Localizer::new("tg", Some(file), None, Default::default()).0;
        let found = check(&tg, &DateFormat::new("tg").unwrap());
        assert_eq!(found.0.len(), 1);
        assert!(found.iter().all(|d| d.message.contains("months 2 and 3")), "{:?}", found.0);
    }
}
