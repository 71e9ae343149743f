//! The service's own records, in one SQLite file in the state folder (never
//! among the tracked sources): accounts and their roles, API tokens and
//! sessions (kept as digests), and the audit log.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::role::Role;
use crate::secret::{decoy, digest, hash_password, random_hex, verify_password};

/// The database's file name in the state folder.
pub const DATABASE: &str = "pressroom.sqlite3";

/// A session ends after this long without a request…
pub const SESSION_IDLE: i64 = 4 * 3600;
/// …and this long after sign-in, whatever happens.
pub const SESSION_MAX: i64 = 12 * 3600;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the service's database {path}: {source}")]
    Database { path: PathBuf, source: rusqlite::Error },
    #[error("cannot make the state folder {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("there is no account `{0}`")]
    NoSuchUser(String),
    #[error("there is already an account `{0}`")]
    UserExists(String),
    #[error("`{0}` cannot be an account name: use letters, digits, `.`, `_` and `-` (up to 64)")]
    BadName(String),
    #[error("a token's scope must be roles its account holds; `{user}` does not hold `{role}`")]
    ScopeBeyondRoles { user: String, role: String },
    #[error("{0}")]
    Secret(String),
}

/// An account as `user list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

/// Who a request comes from, once its session or token is checked: the
/// roles are the account's, or a token's narrower scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
    pub roles: Vec<Role>,
}

/// A signed-in browser: its id goes into the cookie, its CSRF token into
/// the pages; the database keeps the id's digest only.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf: String,
}

/// A live session, found by its cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub person: Person,
    pub csrf: String,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// Seconds since 1970, UTC.
    pub at: i64,
    /// The account (or the name tried, for a failed sign-in).
    pub who: String,
    pub action: AuditAction,
    /// What it concerned: a release and message, a file, a reason.
    pub detail: String,
    /// The client's address, for what came over the network.
    pub address: String,
}

/// What an audit line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignOut,
    Save,
    Accept,
    Approve,
    Build,
    Sign,
    Publish,
    Pull,
    Push,
}

impl AuditAction {
    const ALL: [Self; 11] = [
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::Save,
        Self::Accept,
        Self::Approve,
        Self::Build,
        Self::Sign,
        Self::Publish,
        Self::Pull,
        Self::Push,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::SignIn => "sign-in",
            Self::SignInFailed => "sign-in-failed",
            Self::SignOut => "sign-out",
            Self::Save => "save",
            Self::Accept => "accept",
            Self::Approve => "approve",
            Self::Build => "build",
            Self::Sign => "sign",
            Self::Publish => "publish",
            Self::Pull => "pull",
            Self::Push => "push",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The open database. One connection behind a lock: the service's writes
/// are few and small.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    connection: Mutex<Connection>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    password TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS roles (
    user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user, role)
);
CREATE TABLE IF NOT EXISTS tokens (
    digest TEXT PRIMARY KEY,
    user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,
    user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created INTEGER NOT NULL,
    seen INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    address TEXT NOT NULL
);
";

/// Seconds since 1970, now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn is_account_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl Store {
    /// Opens (or makes) the database in `state`, a folder only the service
    /// reads: made owner-only.
    pub fn open(state: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(state)
            .map_err(|source| StoreError::Folder { path: state.to_owned(), source })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(state, std::fs::Permissions::from_mode(0o700));
        }
        let path = state.join(DATABASE);
        let fail = |source| StoreError::Database { path: path.clone(), source };
        let connection = Connection::open(&path).map_err(fail)?;
        connection.busy_timeout(std::time::Duration::from_secs(5)).map_err(fail)?;
        connection.execute_batch(SCHEMA).map_err(fail)?;
        Ok(Self { path, connection: Mutex::new(connection) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let mut connection = crate::locks::lock(&self.connection);
        work(&mut connection)
            .map_err(|source| StoreError::Database { path: self.path.clone(), source })
    }

    fn user_id(&self, name: &str) -> Result<i64, StoreError> {
        self.with(|c| {
            c.query_row("SELECT id FROM users WHERE name = ?1", [name], |r| r.get(0)).optional()
        })?
        .ok_or_else(|| StoreError::NoSuchUser(name.to_owned()))
    }

    pub fn add_user(
        &self,
        name: &str,
        email: &str,
        roles: &[Role],
        password: &str,
    ) -> Result<(), StoreError> {
        if !is_account_name(name) {
            return Err(StoreError::BadName(name.to_owned()));
        }
        let hash = hash_password(password).map_err(StoreError::Secret)?;
        let added = self.with(|c| {
            let tx = c.transaction()?;
            let exists: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1)", [name], |r| {
                    r.get(0)
                })?;
            if exists {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO users (name, email, password, created) VALUES (?1, ?2, ?3, ?4)",
                params![name, email, hash, now()],
            )?;
            let id = tx.last_insert_rowid();
            for role in roles {
                tx.execute(
                    "INSERT OR IGNORE INTO roles (user, role) VALUES (?1, ?2)",
                    params![id, role.to_string()],
                )?;
            }
            tx.commit()?;
            Ok(true)
        })?;
        if added { Ok(()) } else { Err(StoreError::UserExists(name.to_owned())) }
    }

    pub fn remove_user(&self, name: &str) -> Result<(), StoreError> {
        let id = self.user_id(name)?;
        self.with(|c| c.execute("DELETE FROM users WHERE id = ?1", [id]).map(drop))
    }

    /// A new password ends every session the account had.
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), StoreError> {
        let id = self.user_id(name)?;
        let hash = hash_password(password).map_err(StoreError::Secret)?;
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute("UPDATE users SET password = ?1 WHERE id = ?2", params![hash, id])?;
            tx.execute("DELETE FROM sessions WHERE user = ?1", [id])?;
            tx.commit()
        })
    }

    fn roles_of(c: &Connection, id: i64) -> rusqlite::Result<Vec<Role>> {
        let mut statement = c.prepare("SELECT role FROM roles WHERE user = ?1 ORDER BY role")?;
        let names: Vec<String> =
            statement.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(names.iter().filter_map(|n| Role::parse(n).ok()).collect())
    }

    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        self.with(|c| {
            let mut statement = c.prepare("SELECT id, name, email FROM users ORDER BY name")?;
            let rows: Vec<(i64, String, String)> = statement
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            rows.into_iter()
                .map(|(id, name, email)| Ok(User { name, email, roles: Self::roles_of(c, id)? }))
                .collect()
        })
    }

    /// The person `name` is if `password` is theirs. An unknown name costs
    /// the same hashing as a wrong password, so timing tells neither.
    pub fn check_password(&self, name: &str, password: &str) -> Result<Option<Person>, StoreError> {
        let found: Option<(i64, String, String)> = self.with(|c| {
            c.query_row("SELECT id, email, password FROM users WHERE name = ?1", [name], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
        })?;
        let hash = found.as_ref().map_or(decoy(), |(_, _, hash)| hash.as_str());
        let matches = verify_password(password, hash);
        match found {
            Some((id, email, _)) if matches => {
                let roles = self.with(|c| Self::roles_of(c, id))?;
                Ok(Some(Person { name: name.to_owned(), email, roles }))
            }
            _ => Ok(None),
        }
    }

    /// A new session for `name` (a new id at every sign-in).
    pub fn start_session(&self, name: &str) -> Result<NewSession, StoreError> {
        let id = self.user_id(name)?;
        let session = NewSession {
            id: random_hex(32).map_err(StoreError::Secret)?,
            csrf: random_hex(32).map_err(StoreError::Secret)?,
        };
        let at = now();
        self.with(|c| {
            c.execute(
                "INSERT INTO sessions (digest, user, csrf, created, seen) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![digest(&session.id), id, session.csrf, at],
            )
            .map(drop)
        })?;
        Ok(session)
    }

    /// The live session a cookie names, marked as seen `at`; an expired
    /// one is ended and is no session.
    pub fn session(&self, id: &str, at: i64) -> Result<Option<Session>, StoreError> {
        let key = digest(id);
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "DELETE FROM sessions WHERE digest = ?1 AND (seen < ?2 OR created < ?3)",
                params![key, at - SESSION_IDLE, at - SESSION_MAX],
            )?;
            let found: Option<(i64, String, String, String)> = tx
                .query_row(
                    "SELECT u.id, u.name, u.email, s.csrf FROM sessions s JOIN users u ON u.id = s.user \
                     WHERE s.digest = ?1",
                    [&key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let session = match found {
                Some((user, name, email, csrf)) => {
                    tx.execute("UPDATE sessions SET seen = ?1 WHERE digest = ?2", params![at, key])?;
                    let roles = Self::roles_of(&tx, user)?;
                    Some(Session { person: Person { name, email, roles }, csrf })
                }
                None => None,
            };
            tx.commit()?;
            Ok(session)
        })
    }

    pub fn end_session(&self, id: &str) -> Result<(), StoreError> {
        self.with(|c| c.execute("DELETE FROM sessions WHERE digest = ?1", [digest(id)]).map(drop))
    }

    /// A new API token for `name`, limited to `scope` (roles the account
    /// holds; all of them when empty), valid for `days`. Shown once: only
    /// its digest is kept.
    pub fn add_token(&self, name: &str, scope: &[Role], days: u32) -> Result<String, StoreError> {
        let id = self.user_id(name)?;
        let held = self.with(|c| Self::roles_of(c, id))?;
        if let Some(role) = scope.iter().find(|r| !held.contains(r)) {
            return Err(StoreError::ScopeBeyondRoles {
                user: name.to_owned(),
                role: role.to_string(),
            });
        }
        let scope = if scope.is_empty() { held } else { scope.to_vec() };
        let token = format!("prt_{}", random_hex(32).map_err(StoreError::Secret)?);
        let scope: Vec<String> = scope.iter().map(Role::to_string).collect();
        let at = now();
        self.with(|c| {
            c.execute(
                "INSERT INTO tokens (digest, user, scope, created, expires) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![digest(&token), id, scope.join(" "), at, at + i64::from(days) * 86_400],
            )
            .map(drop)
        })?;
        Ok(token)
    }

    /// Who an API token speaks for, with its scope's roles only (and only
    /// those the account still holds), if it is live `at`.
    pub fn token(&self, token: &str, at: i64) -> Result<Option<Person>, StoreError> {
        let found: Option<(i64, String, String, String)> = self.with(|c| {
            c.query_row(
                "SELECT u.id, u.name, u.email, t.scope FROM tokens t JOIN users u ON u.id = t.user \
                 WHERE t.digest = ?1 AND t.expires > ?2",
                params![digest(token), at],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
        })?;
        let Some((id, name, email, scope)) = found else { return Ok(None) };
        let held = self.with(|c| Self::roles_of(c, id))?;
        let roles = scope
            .split_whitespace()
            .filter_map(|r| Role::parse(r).ok())
            .filter(|r| held.contains(r))
            .collect();
        Ok(Some(Person { name, email, roles }))
    }

    pub fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit (at, who, action, detail, address) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![entry.at, entry.who, entry.action.name(), entry.detail, entry.address],
            )
            .map(drop)
        })
    }

    /// The audit log from `since` (seconds since 1970) on, oldest first.
    pub fn audit_log(&self, since: i64) -> Result<Vec<AuditEntry>, StoreError> {
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT at, who, action, detail, address FROM audit WHERE at >= ?1 ORDER BY id",
            )?;
            let rows = statement.query_map([since], |r| {
                let action: String = r.get(2)?;
                Ok(AuditEntry {
                    at: r.get(0)?,
                    who: r.get(1)?,
                    action: AuditAction::parse(&action).unwrap_or(AuditAction::Save),
                    detail: r.get(3)?,
                    address: r.get(4)?,
                })
            })?;
            rows.collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("state")).unwrap();
        (dir, store)
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let (_dir, store) = store();
        store.add_user("nigora", "n@example.eu", &[Role::Translator("tg".into())], "pw").unwrap();
        let session = store.start_session("nigora").unwrap();
        let at = now();
        assert!(store.session(&session.id, at).unwrap().is_some());
        // Seen a moment ago: still live; idle past the limit: gone for good.
        assert!(store.session(&session.id, at + SESSION_IDLE - 10).unwrap().is_some());
        assert!(store.session(&session.id, at + 2 * SESSION_IDLE + 10).unwrap().is_none());
        assert!(store.session(&session.id, at).unwrap().is_none());
        // Busy all day: over the absolute limit all the same.
        let busy = store.start_session("nigora").unwrap();
        let mut t = at;
        while t + SESSION_IDLE / 2 < at + SESSION_MAX - 10 {
            t += SESSION_IDLE / 2;
            assert!(store.session(&busy.id, t).unwrap().is_some(), "at +{}", t - at);
        }
        assert!(store.session(&busy.id, at + SESSION_MAX - 10).unwrap().is_some());
        assert!(store.session(&busy.id, at + SESSION_MAX + 2).unwrap().is_none());
    }

    #[test]
    fn unknown_names_and_wrong_passwords_look_alike() {
        let (_dir, store) = store();
        store.add_user("nigora", "n@example.eu", &[Role::Viewer], "right").unwrap();
        assert!(store.check_password("nigora", "right").unwrap().is_some());
        assert!(store.check_password("nigora", "wrong").unwrap().is_none());
        assert!(store.check_password("nobody", "right").unwrap().is_none());
        assert!(matches!(
            store.add_user("nigora", "x@example.eu", &[], "pw"),
            Err(StoreError::UserExists(_))
        ));
        assert!(matches!(
            store.add_user("../x", "x@example.eu", &[], "pw"),
            Err(StoreError::BadName(_))
        ));
    }

    #[test]
    fn tokens_carry_their_scope_until_they_expire() {
        let (_dir, store) = store();
        let roles = [Role::Translator("tg".into()), Role::Reviewer("tg".into())];
        store.add_user("nigora", "n@example.eu", &roles, "pw").unwrap();
        let token = store.add_token("nigora", &roles[..1], 30).unwrap();
        let person = store.token(&token, now()).unwrap().unwrap();
        assert_eq!(person.roles, roles[..1]);
        assert!(store.token(&token, now() + 31 * 86_400).unwrap().is_none());
        assert!(store.token("prt_0000", now()).unwrap().is_none());
        assert!(matches!(
            store.add_token("nigora", &[Role::Office], 30),
            Err(StoreError::ScopeBeyondRoles { .. })
        ));
        let mut raw = std::fs::read(store.path()).unwrap();
        raw.extend(std::fs::read(store.path().with_extension("sqlite3-wal")).unwrap_or_default());
        assert!(!raw.windows(token.len()).any(|w| w == token.as_bytes()), "the token is stored");
    }

    #[test]
    fn a_new_password_ends_sessions() {
        let (_dir, store) = store();
        store.add_user("nigora", "n@example.eu", &[Role::Viewer], "old").unwrap();
        let session = store.start_session("nigora").unwrap();
        store.set_password("nigora", "new").unwrap();
        assert!(store.session(&session.id, now()).unwrap().is_none());
        assert!(store.check_password("nigora", "old").unwrap().is_none());
        assert!(store.check_password("nigora", "new").unwrap().is_some());
    }
}
