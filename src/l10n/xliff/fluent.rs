//! A translation's inline content back to Fluent: each code replaced by what
//! the source's code stands for, each term by the case whose form the
//! translator wrote, and every way the content can be damaged named.

use std::collections::BTreeMap;

use super::inline::{
    BOLD, Codes, ITALIC, Inline, LINE, LINK, LIST_ITEM, PARAGRAPH, TERM_PREFIX, TermForms,
    plain_text,
};

/// Why a translation's content cannot become Fluent.
#[derive(Debug, PartialEq, Eq)]
pub enum Damage {
    /// A code of the source is not in the translation.
    Missing(String, String),
    /// A code appears twice, or one the source does not have.
    Unexpected(String),
    /// A term's tags hold text that is none of its forms.
    NotAForm { term: String, text: String, forms: Vec<String> },
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::Missing(id, what) => write!(f, "inline code {id} ({what}) is missing"),
            Damage::Unexpected(id) => {
                write!(f, "inline code {id} is not in the source, or appears twice")
            }
            Damage::NotAForm { term, text, forms } => write!(
                f,
                "`{text}` between the tags of {term} is not one of its forms ({})",
                forms.join(", ")
            ),
        }
    }
}

/// The translation `target` as Fluent source, its codes replaced by what
/// the source's codes (`source`) stand for and its terms by the case whose
/// form the translator wrote (from `terms`, the target language's forms).
pub fn to_fluent(target: &[Inline], source: &Codes, terms: &TermForms) -> Result<String, Damage> {
    let mut used = BTreeMap::new();
    let text = write(target, source, terms, &mut used)?;
    for (id, (ctype, native)) in source {
        if !used.contains_key(id) {
            return Err(Damage::Missing(id.clone(), describe(ctype, native)));
        }
    }
    Ok(text)
}

/// A code as a translator knows it.
fn describe(ctype: &str, native: &str) -> String {
    match ctype {
        PARAGRAPH => "a paragraph break".to_owned(),
        LINE => "a line break".to_owned(),
        LIST_ITEM => format!("the list marker `{}`", native.trim_end()),
        BOLD => "the bold tags".to_owned(),
        ITALIC => "the italic tags".to_owned(),
        LINK => format!("the tags of the link to {native}"),
        _ => match ctype.strip_prefix(TERM_PREFIX) {
            Some(term) => format!("the tags of the term {term}"),
            None => format!("`{native}`"),
        },
    }
}

fn write(
    content: &[Inline],
    source: &Codes,
    terms: &TermForms,
    used: &mut BTreeMap<String, ()>,
) -> Result<String, Damage> {
    let mut out = String::new();
    for piece in content {
        match piece {
            Inline::Text(text) => {
                for c in text.chars() {
                    match c {
                        '{' => out.push_str("{\"{\"}"),
                        '}' => out.push_str("{\"}\"}"),
                        '\n' => out.push(' '),
                        c => out.push(c),
                    }
                }
            }
            Inline::Ph { id, .. } | Inline::G { id, .. } => {
                let Some((ctype, native)) = source.get(id) else {
                    return Err(Damage::Unexpected(id.clone()));
                };
                if used.insert(id.clone(), ()).is_some() {
                    return Err(Damage::Unexpected(id.clone()));
                }
                // A code keeps its kind: a placeholder stays one, a pair of
                // tags stays a pair.
                let is_pair = !ctype.starts_with("x-fluent")
                    && !matches!(ctype.as_str(), PARAGRAPH | LINE | LIST_ITEM);
                if matches!(piece, Inline::G { .. }) != is_pair {
                    return Err(Damage::Unexpected(id.clone()));
                }
                match piece {
                    Inline::Ph { .. } => out.push_str(native),
                    Inline::G { children, .. } => {
                        let inner = write(children, source, terms, used)?;
                        out.push_str(&pair(ctype, native, &inner, children, terms)?);
                    }
                    Inline::Text(_) => {}
                }
            }
        }
    }
    Ok(out)
}

/// A `<g>` pair as Fluent: markup around its content, or a term.
fn pair(
    ctype: &str,
    native: &str,
    inner: &str,
    children: &[Inline],
    terms: &TermForms,
) -> Result<String, Damage> {
    if ctype == LINK {
        return Ok(format!("[{inner}]({native})"));
    }
    if let Some(name) = ctype.strip_prefix(TERM_PREFIX) {
        let text: String = plain_text(children);
        let text = text.trim();
        let forms = terms.get(name).cloned().unwrap_or_default();
        let found = forms.iter().position(|(_, form)| form == text);
        return match found {
            Some(0) => Ok(format!("{{ {name} }}")),
            Some(i) => match &forms[i].0 {
                Some(case) => Ok(format!("{{ {name}(case: \"{case}\") }}")),
                None => Ok(format!("{{ {name} }}")),
            },
            None => Err(Damage::NotAForm {
                term: name.to_owned(),
                text: text.to_owned(),
                forms: forms.into_iter().map(|(_, f)| f).collect(),
            }),
        };
    }
    Ok(match ctype {
        BOLD => format!("**{inner}**"),
        _ => format!("*{inner}*"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::xliff::inline::{TermForms, codes, from_fluent, plain_text};

    fn terms() -> TermForms {
        let forms = vec![
            (Some("nom".to_owned()), "Европейский союз".to_owned()),
            (Some("ins".to_owned()), "Европейским союзом".to_owned()),
        ];
        TermForms::from([("-eu".to_owned(), forms)])
    }

    #[test]
    fn markup_placeables_and_terms_become_codes_and_come_back() {
        let value = "Между { -eu(case: \"ins\") } и **всеми** *нами* { $date }:\n\n- пункт [ссылка](https://eu.eu)\n- два";
        let content = from_fluent(value, &terms());
        let texts = plain_text(&content);
        assert!(texts.contains("Европейским союзом") && texts.contains("всеми"), "{texts}");
        let codes = codes(&content);
        assert_eq!(codes.len(), 9, "{codes:?}");
        assert_eq!(to_fluent(&content, &codes, &terms()).unwrap(), value);
    }

    #[test]
    fn a_translator_picks_the_case_by_writing_its_form() {
        let english =
            TermForms::from([("-eu".to_owned(), vec![(None, "European Union".to_owned())])]);
        let source = from_fluent("between the { -eu } and", &english);
        let codes = codes(&source);
        let target = vec![
            Inline::Text("между ".into()),
            Inline::G {
                id: "1".into(),
                ctype: "x-term-eu".into(),
                native: String::new(),
                children: vec![Inline::Text("Европейским союзом".into())],
            },
        ];
        assert_eq!(to_fluent(&target, &codes, &terms()).unwrap(), "между { -eu(case: \"ins\") }");
        let wrong = vec![Inline::G {
            id: "1".into(),
            ctype: "x-term-eu".into(),
            native: String::new(),
            children: vec![Inline::Text("ЕС".into())],
        }];
        assert!(matches!(to_fluent(&wrong, &codes, &terms()), Err(Damage::NotAForm { .. })));
        assert!(matches!(
            to_fluent(&[Inline::Text("x".into())], &codes, &terms()),
            Err(Damage::Missing(..))
        ));
    }
}
