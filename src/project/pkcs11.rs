//! `[signing] pkcs11`: which PKCS#11 module, token and key sign, as a table
//! or an RFC 7512 `pkcs11:` URI.

use std::path::PathBuf;

/// Where the key is: `[signing] pkcs11 = { module, token, key-label }`, or
/// the same from an RFC 7512 `pkcs11:` URI.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenConfig {
    pub module: PathBuf,
    pub token: String,
    pub key_label: String,
    /// Where pressroom.toml names the module, for errors about it.
    pub span: std::ops::Range<usize>,
}

impl TokenConfig {
    /// Reads `pkcs11:token=Press%20Office;object=press-officer?module-path=/usr/lib/…`.
    pub fn from_uri(uri: &str) -> Result<Self, String> {
        let rest = uri.strip_prefix("pkcs11:").ok_or("a PKCS#11 URI starts with `pkcs11:`")?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut config = Self::default();
        let attributes = path.split(';').chain(query.split('&')).filter(|a| !a.is_empty());
        for attribute in attributes {
            let (name, value) =
                attribute.split_once('=').ok_or_else(|| format!("`{attribute}` has no value"))?;
            let value = percent_decode(value)?;
            match name {
                "token" => config.token = value,
                "object" => config.key_label = value,
                "module-path" => config.module = PathBuf::from(value),
                // Other attributes narrow the search; the label and token suffice here.
                _ => {}
            }
        }
        let missing: Vec<&str> = [
            ("module-path", config.module.as_os_str().is_empty()),
            ("token", config.token.is_empty()),
            ("object", config.key_label.is_empty()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        if !missing.is_empty() {
            return Err(format!("the PKCS#11 URI lacks {}", missing.join(", ")));
        }
        Ok(config)
    }
}

fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex =
                text.get(i + 1..i + 3).ok_or_else(|| format!("a broken %-escape in `{text}`"))?;
            out.push(
                u8::from_str_radix(hex, 16)
                    .map_err(|_| format!("a broken %-escape in `{text}`"))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("`{text}` is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::TokenConfig;

    #[test]
    fn pkcs11_uris_name_module_token_and_key() {
        let config = TokenConfig::from_uri(
            "pkcs11:token=Press%20Office;object=press-officer;type=private?module-path=/usr/lib/softhsm/libsofthsm2.so",
        )
        .unwrap();
        assert_eq!(config.token, "Press Office");
        assert_eq!(config.key_label, "press-officer");
        assert_eq!(config.module.to_str(), Some("/usr/lib/softhsm/libsofthsm2.so"));
        let missing = TokenConfig::from_uri("pkcs11:token=Press%20Office").unwrap_err();
        assert!(missing.contains("module-path") && missing.contains("object"), "{missing}");
        assert!(TokenConfig::from_uri("token=x").is_err());
    }
}
