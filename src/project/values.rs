//! What `pressroom.toml` values become on a page or in an e-mail header
//! must be what they claim: a web address is http(s), an e-mail address is
//! an addr-spec, `List-Unsubscribe` is as RFC 2369 and RFC 8058 say. A value
//! that is not is refused at load, at its place in the file, so that no
//! `javascript:` link and no extra header line ever reaches a reader.

/// An `http://` or `https://` address with a host, and nothing in it that
/// would end an attribute or a header.
pub fn check_url(value: &str) -> Result<(), String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or("must be an http:// or https:// address")?;
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("holds {}, which no address has", shown(c)));
    }
    if let Some(c) = value.chars().find(|c| matches!(c, '<' | '>' | '"' | '\\' | '`')) {
        return Err(format!("holds `{c}`, which no address has"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err("names no host".to_owned());
    }
    Ok(())
}

/// A web origin as browsers send it in `Origin`: scheme, host and an
/// optional port, nothing after (`https://press.example.eu`).
pub fn check_origin(value: &str) -> Result<(), String> {
    check_url(value)?;
    let rest = value.split_once("://").map_or("", |(_, rest)| rest);
    if rest.contains(['/', '?', '#', '@']) {
        return Err("must be scheme, host and port only, without a path (no `/` at the end)".into());
    }
    if !rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
    {
        return Err("must name its host in ASCII letters (punycode for others)".into());
    }
    Ok(())
}

/// An e-mail address as RFC 5322's addr-spec (the dot-atom form every
/// office address takes): `local@domain`.
pub fn check_email(value: &str) -> Result<(), String> {
    if let Some(c) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("holds {}, which no e-mail address has", shown(c)));
    }
    let (local, domain) = value.rsplit_once('@').ok_or("has no `@`")?;
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom = |s: &str, ok: &dyn Fn(char) -> bool| {
        !s.is_empty() && s.split('.').all(|part| !part.is_empty() && part.chars().all(ok))
    };
    if !dot_atom(local, &atext) {
        return Err(format!("`{local}` before the `@` is not a mailbox name"));
    }
    let label = |c: char| c.is_ascii_alphanumeric() || c == '-';
    if !dot_atom(domain, &label)
        || domain.split('.').any(|l| l.starts_with('-') || l.ends_with('-'))
    {
        return Err(format!("`{domain}` after the `@` is not a domain"));
    }
    Ok(())
}

/// `List-Unsubscribe` (RFC 2369): one or more `<URI>`, comma-separated,
/// each a `mailto:` or an http(s) address.
pub fn check_list_unsubscribe(value: &str) -> Result<(), String> {
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(format!("holds {}, which would start another header", shown(c)));
    }
    for part in value.split(',') {
        let uri = part
            .trim()
            .strip_prefix('<')
            .and_then(|p| p.strip_suffix('>'))
            .ok_or_else(|| format!("`{}` is not an address in angle brackets", part.trim()))?;
        if let Some(mailto) = uri.strip_prefix("mailto:") {
            let address = mailto.split('?').next().unwrap_or_default();
            check_email(address).map_err(|why| format!("`{uri}`: the address {why}"))?;
            if uri.contains(['<', '>', ' ']) {
                return Err(format!("`{uri}` is not one address"));
            }
        } else {
            check_url(uri).map_err(|why| format!("`{uri}` {why}"))?;
        }
    }
    Ok(())
}

/// `List-Unsubscribe-Post` (RFC 8058): exactly `List-Unsubscribe=One-Click`,
/// and only beside an https address to post to.
pub fn check_one_click(value: &str, unsubscribe: Option<&str>) -> Result<(), String> {
    if value != "List-Unsubscribe=One-Click" {
        return Err("must be exactly \"List-Unsubscribe=One-Click\" (RFC 8058)".to_owned());
    }
    if !unsubscribe.is_some_and(|u| u.contains("<https://")) {
        return Err("needs an https:// address in `list-unsubscribe` to post to".to_owned());
    }
    Ok(())
}

fn shown(c: char) -> String {
    match c {
        '\n' => "a line break".to_owned(),
        '\r' => "a carriage return".to_owned(),
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        c => format!("the control character U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_what_they_claim() {
        assert!(check_url("https://www.facebook.com/EUinTajikistan").is_ok());
        assert!(check_url("http://eeas.europa.eu/delegations/tajikistan/index_en.htm").is_ok());
        for bad in
            ["javascript:alert(1)", "https://", "https://a b", "https://x\"onclick=", "ftp://x"]
        {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert!(check_email("Mahbuba.Abdullaeva@eeas.europa.eu").is_ok());
        for bad in ["a@b\nBcc: c@d", "no-at", "a@", "@b", "a..b@c", "a@-b.c", "a b@c"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_list_unsubscribe("<mailto:a@b.eu?subject=unsubscribe>").is_ok());
        assert!(check_list_unsubscribe("<mailto:a@b.eu>, <https://b.eu/u?x=1>").is_ok());
        for bad in ["mailto:a@b.eu", "<mailto:a@b.eu>\r\nBcc: x@y", "<javascript:x>", "<>"] {
            assert!(check_list_unsubscribe(bad).is_err(), "{bad}");
        }
        assert!(check_one_click("List-Unsubscribe=One-Click", Some("<https://b.eu/u>")).is_ok());
        assert!(check_one_click("List-Unsubscribe=One-Click", Some("<mailto:a@b.eu>")).is_err());
        assert!(check_one_click("yes", Some("<https://b.eu/u>")).is_err());
    }
}
