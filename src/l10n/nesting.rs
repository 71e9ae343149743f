//! Fluent text nested deeper than anyone writes is refused before any
//! parser sees it. fluent-syntax parses placeables (and call arguments)
//! by recursion: 200,000 nested `{` overflow the stack and abort the
//! process — `serve` with every tab's unsaved text, `check` without naming
//! the file. So every parse in pressroom passes this scan first.
//!
//! The count errs on the safe side: every `{` counts, and a `}` counts only
//! outside a string literal (`{ "}" }`), so no arrangement of quotes hides
//! depth from it; inside a placeable, `(` counts like `{`.

/// How deep placeables (and calls inside them) may nest.
pub const MAX_DEPTH: usize = 64;

/// Where the text first nests deeper than [`MAX_DEPTH`]: the byte offset
/// of the opening that does.
pub fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' | '\n' => in_string = false,
                '{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(at);
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            '{' => depth += 1,
            '(' if depth > 0 => depth += 1,
            '}' | ')' if depth > 0 => depth -= 1,
            '"' if depth > 0 => in_string = true,
            _ => continue,
        }
        if depth > MAX_DEPTH {
            return Some(at);
        }
    }
    None
}

/// The finding for text nested too deep at `at`, for `file`.
pub fn diagnostic(file: &crate::diag::SourceFile, at: usize) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::error(
        "fluent-nesting",
        format!(
            "placeables are nested more than {MAX_DEPTH} deep here: pressroom reads no further"
        ),
    )
    .at(file, at..at + 1)
    .hint("a `{` opens a placeable; close each with `}` (no message needs more than a few levels)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_found_whatever_hides_it() {
        assert_eq!(too_deep("title = { -eu } and { $n -> [one] { $n } *[other] x }\n"), None);
        assert_eq!(too_deep(&"{".repeat(MAX_DEPTH)), None);
        assert_eq!(too_deep(&"{".repeat(200_000)), Some(MAX_DEPTH));
        // Closing braces inside a string literal do not count.
        let hidden = format!("x = {{ \"{}\" {}", "}".repeat(100), "{".repeat(100));
        assert!(too_deep(&hidden).is_some());
        // Calls nest too.
        assert!(too_deep(&format!("x = {{ {}", "F(".repeat(100))).is_some());
        // Parentheses in plain text are text.
        assert_eq!(too_deep(&format!("x = {}", "(".repeat(100))), None);
    }
}
