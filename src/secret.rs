//! Secrets the service hands out (session ids, CSRF and API tokens) and
//! the one-way forms it keeps of them and of passwords.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the system, in hex.
pub fn random_hex(bytes: usize) -> Result<String, String> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|err| format!("no randomness: {err}"))?;
    Ok(crate::freshness::hex(&buffer))
}

/// What the database keeps of a session id or API token: a stolen copy of
/// the database signs nobody in.
pub fn digest(secret: &str) -> String {
    crate::freshness::hex(&Sha256::digest(secret.as_bytes()))
}

fn argon2() -> Argon2<'static> {
    // OWASP's first Argon2id choice: 19 MiB, two passes, one lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A password as an Argon2id PHC string (`$argon2id$v=19$…`).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|err| format!("no randomness: {err}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|err| err.to_string())?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| format!("cannot hash the password: {err}"))
}

/// Whether `password` matches `phc`. A name without an account is checked
/// against [`decoy`] so that it takes as long as a wrong password.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash no password matches, made the same way as real ones.
pub fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password(&random_hex(16).unwrap_or_default()).unwrap_or_else(|_| {
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$\
             AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                .to_owned()
        })
    })
}

/// Whether two secrets are equal, taking as long whichever byte differs.
pub fn same_secret(given: &[u8], ours: &[u8]) -> bool {
    given.len() == ours.len() && given.iter().zip(ours).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let phc = hash_password("zebra-correct-staple").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("zebra-correct-staple", &phc));
        assert!(!verify_password("zebra-correct-stapl", &phc));
        assert!(!verify_password("", decoy()));
        assert_ne!(hash_password("same").unwrap(), hash_password("same").unwrap());
    }
}
