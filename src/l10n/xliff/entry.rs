//! A Fluent entry's text: its value and attributes as written (dedented),
//! and writing a new value or attribute back without touching the rest of
//! the file.

/// One message as written: its value and its attributes, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts {
    pub value: Option<String>,
    pub attrs: Vec<(String, String)>,
}

/// Splits an entry's text (`id = …` and what follows) into its parts.
pub fn parts(entry: &str) -> Parts {
    let mut parts = Parts::default();
    let mut current: Option<(Option<String>, Vec<String>)> = None;
    let finish = |current: Option<(Option<String>, Vec<String>)>, parts: &mut Parts| {
        if let Some((name, lines)) = current {
            let text = join(&lines);
            match name {
                None => parts.value = (!text.is_empty()).then_some(text),
                Some(name) => parts.attrs.push((name, text)),
            }
        }
    };
    for (i, line) in entry.trim_end_matches('\n').split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i == 0 {
            let rest = line.split_once('=').map_or("", |(_, r)| r);
            current = Some((None, vec![rest.trim().to_owned()]));
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(attr) = trimmed.strip_prefix('.')
            && let Some((name, rest)) = attr.split_once('=')
            && name.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            finish(current.take(), &mut parts);
            current = Some((Some(name.trim().to_owned()), vec![rest.trim().to_owned()]));
            continue;
        }
        if let Some((_, lines)) = current.as_mut() {
            lines.push(line.to_owned());
        }
    }
    finish(current, &mut parts);
    parts
}

/// A value's lines joined as Fluent reads them: the first line's text,
/// then the continuation lines with their common indentation removed.
fn join(lines: &[String]) -> String {
    let first = lines[0].clone();
    let rest = &lines[1..];
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    if !first.is_empty() {
        out.push(first);
    }
    out.extend(
        rest.iter()
            .map(|l| if l.trim().is_empty() { String::new() } else { l[indent..].to_owned() }),
    );
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    while out.first().is_some_and(|l| l.is_empty()) {
        out.remove(0);
    }
    out.join("\n")
}

/// `name = value` as Fluent, indented by `indent` spaces; a value of
/// several lines starts on the next line.
fn render(name: &str, value: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    if !value.contains('\n') {
        return format!("{pad}{name} = {value}\n");
    }
    let inner = " ".repeat(indent + 4);
    let mut out = format!("{pad}{name} =\n");
    for line in value.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("{inner}{line}\n"));
        }
    }
    out
}

/// The entry `id` with these parts, as Fluent.
pub fn render_entry(id: &str, parts: &Parts) -> String {
    let mut out = match &parts.value {
        Some(value) => render(id, value, 0),
        None => format!("{id} =\n"),
    };
    for (name, value) in &parts.attrs {
        out.push_str(&render(&format!(".{name}"), value, 4));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_round_trip() {
        let entry = "body =\n    First.\n\n    - one\n    - two\n    .role = Officer\n";
        let p = parts(entry);
        assert_eq!(p.value.as_deref(), Some("First.\n\n- one\n- two"));
        assert_eq!(p.attrs, [("role".to_owned(), "Officer".to_owned())]);
        assert_eq!(render_entry("body", &p), entry);
        let text = format!("# c\n{entry}\nnext = x\n");
        let r = crate::l10n::ftl::entry_range(&text, 4);
        assert_eq!(&text[r], entry.trim_end_matches('\n').to_owned() + "\n");
    }
}
