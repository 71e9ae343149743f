//! CLDR data via ICU4X: each language's alphabet, and plural rules for
//! languages fluent-bundle's own (older) plural data does not know. (CLDR
//! dates are in [`crate::date`].)

use icu_locale::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use intl_pluralrules::{PluralRuleType, PluralRules as FluentPluralRules};
use unic_langid::LanguageIdentifier;

/// The letters a language is written with (CLDR's main exemplar set, in
/// both cases): what a font must have to set that language.
pub fn letters(lang: &str) -> Vec<char> {
    let Ok(locale) = lang.parse::<Locale>() else {
        return Vec::new();
    };
    let Ok(set) = icu_locale::exemplar_chars::ExemplarCharacters::try_new_main(&(&locale).into())
    else {
        return Vec::new();
    };
    let mut letters: Vec<char> = set
        .code_points()
        .iter_chars()
        .flat_map(|c| std::iter::once(c).chain(c.to_uppercase()))
        .filter(|c| c.is_alphabetic())
        .collect();
    letters.sort_unstable();
    letters.dedup();
    letters
}

/// A language tag taken apart for a layout: language and region subtags,
/// and the writing direction CLDR gives the language (with its likely
/// script: `fa` is Arabic script, so `rtl`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageParts {
    pub lang: String,
    pub region: Option<String>,
    pub rtl: bool,
    /// The comma a layout puts between two texts: `،` in the Arabic
    /// script (CLDR's likely script for the language), else `,`.
    pub comma: &'static str,
}

pub fn language_parts(tag: &str) -> LanguageParts {
    let Ok(locale) = tag.parse::<Locale>() else {
        return LanguageParts { lang: tag.to_owned(), region: None, rtl: false, comma: "," };
    };
    let id = &locale.id;
    let rtl = icu_locale::LocaleDirectionality::new_extended().is_right_to_left(id);
    let mut likely = id.clone();
    icu_locale::LocaleExpander::new_extended().maximize(&mut likely);
    let arabic = likely.script.is_some_and(|s| s.as_str() == "Arab");
    LanguageParts {
        lang: id.language.as_str().to_owned(),
        region: id.region.map(|r| r.as_str().to_owned()),
        rtl,
        comma: if arabic { "،" } else { "," },
    }
}

/// `n` in the locale's digits and grouping (CLDR): `1,234`, `1 234`, `۱٬۲۳۴`.
pub fn format_number(locale: &str, n: u64) -> String {
    let formatter = locale
        .parse::<Locale>()
        .ok()
        .and_then(|l| icu_decimal::DecimalFormatter::try_new((&l).into(), Default::default()).ok());
    match formatter {
        Some(formatter) => formatter.format(&icu_decimal::input::Decimal::from(n)).to_string(),
        None => n.to_string(),
    }
}

/// A locale as Open Graph writes it, language and territory: `ru_RU`,
/// `tg_TJ`, `en_GB` (CLDR's likely territory where the tag names none).
pub fn underscored_locale(tag: &str) -> String {
    let Ok(locale) = tag.parse::<Locale>() else { return tag.replace('-', "_") };
    let mut likely = locale.id.clone();
    icu_locale::LocaleExpander::new_extended().maximize(&mut likely);
    match likely.region {
        Some(region) => format!("{}_{}", likely.language.as_str(), region.as_str()),
        None => likely.language.as_str().to_owned(),
    }
}

/// The plural category names a Fluent variant key may use.
pub fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The cardinal plural categories CLDR (via ICU4X) gives `lang`.
pub fn plural_categories(lang: &str) -> Vec<&'static str> {
    let Some(rules) = icu_rules(lang) else {
        return vec!["other"];
    };
    rules.categories().map(category_name).collect()
}

fn icu_rules(lang: &str) -> Option<PluralRules> {
    let locale: Locale = lang.parse().ok()?;
    PluralRules::try_new_cardinal(locale.into()).ok()
}

/// Numbers on which two plural rule sets must agree to count as the same.
fn samples() -> impl Iterator<Item = u64> {
    (0..=1000).chain([1001, 10_000, 100_000, 1_000_000, 1_000_001])
}

/// The locale whose plural rules fluent-bundle should use for `lang`.
///
/// fluent-bundle selects plural variants with CLDR 37 data, which lacks some
/// languages (Tajik among them) and then silently applies English rules. This
/// returns `lang` itself when fluent-bundle's rules agree with current CLDR
/// (ICU4X), otherwise a locale fluent-bundle knows whose rules agree on every
/// sample number (for `tg`, `one: i = 0 or n = 1`, as in Persian).
pub fn plural_locale(lang: &str) -> LanguageIdentifier {
    let fallback: LanguageIdentifier = lang.parse().unwrap_or_default();
    let Some(icu) = icu_rules(lang) else {
        return fallback;
    };
    let expected: Vec<&str> = samples().map(|n| category_name(icu.category_for(n))).collect();
    let agrees = |candidate: &LanguageIdentifier| {
        let Ok(rules) = FluentPluralRules::create(candidate.clone(), PluralRuleType::CARDINAL)
        else {
            return false;
        };
        samples().zip(&expected).all(|(n, want)| {
            rules.select(n).map(|c| fluent_category_name(c) == *want).unwrap_or(false)
        })
    };
    let known = FluentPluralRules::get_locales(PluralRuleType::CARDINAL);
    if known.iter().any(|l| l.language == fallback.language) && agrees(&fallback) {
        return fallback;
    }
    known.into_iter().find(|candidate| agrees(candidate)).unwrap_or(fallback)
}

fn fluent_category_name(category: intl_pluralrules::PluralCategory) -> &'static str {
    use intl_pluralrules::PluralCategory as C;
    match category {
        C::ZERO => "zero",
        C::ONE => "one",
        C::TWO => "two",
        C::FEW => "few",
        C::MANY => "many",
        C::OTHER => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tajik_letters_come_from_cldr() {
        let tg = letters("tg");
        for c in ['ғ', 'Ғ', 'ӣ', 'қ', 'ӯ', 'ҳ', 'ҷ', 'Ҷ'] {
            assert!(tg.contains(&c), "{c}");
        }
        assert!(letters("ru").contains(&'ё'));
        assert!(!letters("en").contains(&'ё'));
    }

    #[test]
    fn tajik_plurals_come_from_current_cldr() {
        assert_eq!(plural_categories("tg"), ["one", "other"]);
        assert_eq!(plural_categories("ru"), ["one", "few", "many", "other"]);
        let tg = plural_locale("tg");
        let rules = FluentPluralRules::create(tg, PluralRuleType::CARDINAL).unwrap();
        // CLDR: tg one = `i = 0 or n = 1`; English rules would say "other" for 0.
        assert_eq!(fluent_category_name(rules.select(0).unwrap()), "one");
        assert_eq!(fluent_category_name(rules.select(1).unwrap()), "one");
        assert_eq!(fluent_category_name(rules.select(2).unwrap()), "other");
        assert_eq!(plural_locale("ru").to_string(), "ru");
    }
}
