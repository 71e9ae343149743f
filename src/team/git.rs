//! Every save is a commit: the person as author, pressroom as committer,
//! holding only the files that action changed, never other uncommitted
//! changes of the working tree (which stay as they are, uncommitted).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use git2::{IndexEntry, IndexTime, Oid, Repository, Signature};

/// Whom pressroom commits as.
const COMMITTER: (&str, &str) = ("pressroom", "pressroom@localhost");

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "{0} is not in a git repository: the team service commits every save (run `git init` and commit the sources first)"
    )]
    NotARepository(PathBuf),
    #[error("the repository has no working tree (a bare repository?): {0}")]
    Bare(PathBuf),
    #[error("{path} is outside the repository's working tree")]
    Outside { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("git: {0}")]
    Git(#[from] git2::Error),
    #[error("git {what}: {said}")]
    Command { what: &'static str, said: String },
    #[error("git {what} did not finish in {} s: is the remote reachable from this server?", TRANSPORT_TIMEOUT.as_secs())]
    TimedOut { what: &'static str },
}

/// How long a fetch or a push may take before the sync gives up on it.
const TRANSPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// How the service reaches `[server] remote`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// The system's `git`: every transport and credential the service's
    /// account has set up (ssh keys and known_hosts, credential helpers,
    /// proxies), as Weblate reaches its remotes. It never prompts.
    System(PathBuf),
    /// libgit2, where there is no `git`: local paths and `file://` only
    /// (this build has no https or ssh in libgit2).
    Libgit2,
}

impl Transport {
    /// `git` when it runs here, else libgit2.
    pub fn detect() -> Self {
        let git = PathBuf::from("git");
        let runs = std::process::Command::new(&git)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if runs { Transport::System(git) } else { Transport::Libgit2 }
    }
}

/// Runs `git <args>` in `workdir`, never waiting on a person (no terminal
/// prompt, ssh in batch mode) nor on a dead network for long.
fn run_git(git: &Path, workdir: &Path, what: &'static str, args: &[&str]) -> Result<(), GitError> {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut command = Command::new(git);
    command
        .arg("-C")
        .arg(workdir)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if std::env::var_os("GIT_SSH_COMMAND").is_none() {
        command.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    let failed = |err: std::io::Error| GitError::Command { what, said: err.to_string() };
    let mut child = command.spawn().map_err(failed)?;
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut said = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.take(64 * 1024).read_to_string(&mut said);
        }
        said
    });
    let deadline = std::time::Instant::now() + TRANSPORT_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(failed)? {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(GitError::TimedOut { what });
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let said = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    // git's own words, its last lines (the reason comes last).
    let lines: Vec<&str> = said.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let said = lines[lines.len().saturating_sub(3)..].join(" ");
    Err(GitError::Command { what, said: if said.is_empty() { status.to_string() } else { said } })
}

/// Where the office repository stands against its remote after a sync.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum SyncState {
    /// No `[server] remote`.
    Off,
    UpToDate,
    /// Fast-forwarded to the remote's commits (the press officer's pushes).
    Pulled {
        commits: usize,
    },
    /// The service's commits sent.
    Pushed {
        commits: usize,
    },
    /// Both sides hold commits the other lacks: nothing merged, nothing
    /// lost; someone merges with git.
    Diverged {
        ours: usize,
        theirs: usize,
    },
    Failed {
        error: String,
    },
}

/// Who made a change, as a commit's author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub name: String,
    pub email: String,
}

/// The office repository; one commit at a time.
pub struct Repo {
    repo: Mutex<Repository>,
    workdir: PathBuf,
    transport: Transport,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo").field("workdir", &self.workdir).finish()
    }
}

impl Repo {
    /// The repository holding `root` (the project may be one of its folders).
    pub fn open(root: &Path) -> Result<Self, GitError> {
        let repo =
            Repository::discover(root).map_err(|_| GitError::NotARepository(root.to_owned()))?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| GitError::Bare(root.to_owned()))?
            .canonicalize()
            .map_err(|source| GitError::Read { path: root.to_owned(), source })?;
        Ok(Self { repo: Mutex::new(repo), workdir, transport: Transport::detect() })
    }

    /// The same repository, reaching its remote through `transport`.
    pub fn with_transport(self, transport: Transport) -> Self {
        Self { transport, ..self }
    }

    /// Commits `paths` (as they are in the working tree now; a missing file
    /// is a deletion) on top of `HEAD`, and nothing else. `None` when they
    /// are as committed already.
    pub fn commit_paths(
        &self,
        paths: &[PathBuf],
        author: &Author,
        message: &str,
    ) -> Result<Option<Oid>, GitError> {
        let repo = crate::locks::lock(&self.repo);
        let head = match repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(err) if err.code() == git2::ErrorCode::UnbornBranch => None,
            Err(err) => return Err(err.into()),
        };
        // A fresh index from HEAD's tree: the on-disk index (what someone
        // staged by hand) has no say in what this commit holds.
        let mut index = git2::Index::new()?;
        if let Some(head) = &head {
            index.read_tree(&head.tree()?)?;
        }
        let mut relative = Vec::new();
        for path in paths {
            let rel = self.relative(path)?;
            match std::fs::read(path) {
                Ok(bytes) => {
                    let mode = index.get_path(&rel, 0).map_or(0o100644, |e| e.mode);
                    let blob = repo.blob(&bytes)?;
                    index.add(&entry(&rel, mode, blob, bytes.len()))?;
                }
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    let _ = index.remove_path(&rel);
                }
                Err(source) => return Err(GitError::Read { path: path.clone(), source }),
            }
            relative.push(rel);
        }
        let tree_id = index.write_tree_to(&repo)?;
        if head.as_ref().is_some_and(|h| h.tree_id() == tree_id) {
            return Ok(None);
        }
        let tree = repo.find_tree(tree_id)?;
        let author = Signature::now(&author.name, &author.email)?;
        let committer = Signature::now(COMMITTER.0, COMMITTER.1)?;
        let parents: Vec<&git2::Commit> = head.iter().collect();
        let oid = repo.commit(Some("HEAD"), &author, &committer, message, &tree, &parents)?;
        // The on-disk index follows for these paths only, so `git status`
        // shows them clean and everything else as it was.
        let mut staged = repo.index()?;
        for rel in &relative {
            if self.workdir.join(rel).exists() {
                staged.add_path(rel)?;
            } else {
                let _ = staged.remove_path(rel);
            }
        }
        staged.write()?;
        Ok(Some(oid))
    }

    /// Brings the current branch and `remote`'s together, fast-forward
    /// only: their new commits are checked out (never over a file changed
    /// here and not committed), ours are pushed; diverged histories are
    /// left as they are, and said.
    pub fn sync(&self, remote: &str) -> SyncState {
        match self.try_sync(remote) {
            Ok(state) => state,
            Err(err) => SyncState::Failed { error: err.to_string() },
        }
    }

    fn try_sync(&self, name: &str) -> Result<SyncState, GitError> {
        let repo = crate::locks::lock(&self.repo);
        let head = repo.head()?;
        let refname = head.name().unwrap_or("HEAD").to_owned();
        let ours = head.peel_to_commit()?.id();
        match &self.transport {
            // `--`: the remote is never read as an option.
            Transport::System(git) => run_git(
                git,
                &self.workdir,
                "fetch",
                &["fetch", "--quiet", "--no-tags", "--", name, &refname],
            )?,
            Transport::Libgit2 => {
                let mut remote = repo.find_remote(name).or_else(|_| repo.remote_anonymous(name))?;
                remote.fetch(&[refname.as_str()], None, None)?;
            }
        }
        let theirs = repo.find_reference("FETCH_HEAD")?.peel_to_commit()?.id();
        let (ahead, behind) =
            if theirs == ours { (0, 0) } else { repo.graph_ahead_behind(ours, theirs)? };
        match (ahead, behind) {
            (0, 0) => Ok(SyncState::UpToDate),
            (0, behind) => {
                let commit = repo.find_commit(theirs)?;
                let mut checkout = git2::build::CheckoutBuilder::new();
                checkout.safe();
                repo.checkout_tree(commit.as_object(), Some(&mut checkout))?;
                repo.find_reference(&refname)?
                    .set_target(theirs, "pressroom: fast-forward to the remote")?;
                Ok(SyncState::Pulled { commits: behind })
            }
            (ahead, 0) => {
                match &self.transport {
                    Transport::System(git) => {
                        let spec = format!("{refname}:{refname}");
                        run_git(
                            git,
                            &self.workdir,
                            "push",
                            &["push", "--quiet", "--", name, &spec],
                        )?
                    }
                    Transport::Libgit2 => {
                        let mut remote =
                            repo.find_remote(name).or_else(|_| repo.remote_anonymous(name))?;
                        push(&mut remote, &refname)?
                    }
                }
                Ok(SyncState::Pushed { commits: ahead })
            }
            (ours, theirs) => Ok(SyncState::Diverged { ours, theirs }),
        }
    }

    fn relative(&self, path: &Path) -> Result<PathBuf, GitError> {
        let outside = || GitError::Outside { path: path.to_owned() };
        let parent = path.parent().ok_or_else(outside)?;
        let parent = parent.canonicalize().map_err(|_| outside())?;
        let rel = parent.strip_prefix(&self.workdir).map_err(|_| outside())?;
        Ok(rel.join(path.file_name().ok_or_else(outside)?))
    }
}

/// Pushes `refname` to the same name; a refusal the remote gives for that
/// reference (not fast-forward, protected) is an error, not a silent no.
fn push(remote: &mut git2::Remote<'_>, refname: &str) -> Result<(), GitError> {
    let refused = std::cell::RefCell::new(None::<String>);
    let mut callbacks = git2::RemoteCallbacks::new();
    callbacks.push_update_reference(|reference, status| {
        if let Some(status) = status {
            *refused.borrow_mut() = Some(format!("{reference}: {status}"));
        }
        Ok(())
    });
    let mut options = git2::PushOptions::new();
    options.remote_callbacks(callbacks);
    remote.push(&[format!("{refname}:{refname}")], Some(&mut options))?;
    drop(options);
    match refused.into_inner() {
        Some(why) => {
            Err(GitError::Git(git2::Error::from_str(&format!("the remote refused {why}"))))
        }
        None => Ok(()),
    }
}

fn entry(rel: &Path, mode: u32, id: Oid, size: usize) -> IndexEntry {
    let path = rel.to_string_lossy().replace('\\', "/").into_bytes();
    IndexEntry {
        ctime: IndexTime::new(0, 0),
        mtime: IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(size).unwrap_or(u32::MAX),
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_holds_only_the_named_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let repo = Repository::init(root).unwrap();
        std::fs::write(root.join("a.ftl"), "a = 1\n").unwrap();
        std::fs::write(root.join("b.ftl"), "b = 1\n").unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("a.ftl")).unwrap();
        index.add_path(Path::new("b.ftl")).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let me = Signature::now("setup", "setup@example.eu").unwrap();
        repo.commit(Some("HEAD"), &me, &me, "start", &tree, &[]).unwrap();

        std::fs::write(root.join("a.ftl"), "a = 2\n").unwrap();
        std::fs::write(root.join("b.ftl"), "b = 2, not saved by pressroom\n").unwrap();
        let ours = Repo::open(root).unwrap();
        let author = Author { name: "Nigora".into(), email: "nigora@example.eu".into() };
        let oid = ours.commit_paths(&[root.join("a.ftl")], &author, "tg: a — x").unwrap().unwrap();
        let commit = repo.find_commit(oid).unwrap();
        assert_eq!(commit.author().name(), Some("Nigora"));
        assert_eq!(commit.committer().name(), Some("pressroom"));
        let tree = commit.tree().unwrap();
        let blob = |name: &str| {
            let entry = tree.get_name(name).unwrap();
            String::from_utf8(repo.find_blob(entry.id()).unwrap().content().to_vec()).unwrap()
        };
        assert_eq!(blob("a.ftl"), "a = 2\n");
        assert_eq!(blob("b.ftl"), "b = 1\n");
        let statuses = repo.statuses(None).unwrap();
        let changed: Vec<String> =
            statuses.iter().map(|s| s.path().unwrap_or_default().to_owned()).collect();
        assert_eq!(changed, ["b.ftl"]);
        // Nothing new: no commit.
        assert_eq!(ours.commit_paths(&[root.join("a.ftl")], &author, "again").unwrap(), None);
    }

    fn commit_file(repo: &Repository, name: &str, text: &str, message: &str) {
        let root = repo.workdir().unwrap();
        std::fs::write(root.join(name), text).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new(name)).unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let me = Signature::now("office", "office@example.eu").unwrap();
        let parents: Vec<git2::Commit> =
            repo.head().ok().and_then(|h| h.peel_to_commit().ok()).into_iter().collect();
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &me, &me, message, &tree, &parents).unwrap();
    }

    fn push_head(repo: &Repository) {
        let head = repo.head().unwrap().name().unwrap().to_owned();
        let mut remote = repo.find_remote("origin").unwrap();
        push(&mut remote, &head).unwrap();
    }

    /// Both ways to the remote: libgit2, and the system's git where there is one.
    fn transports() -> Vec<Transport> {
        let mut all = vec![Transport::Libgit2];
        if let found @ Transport::System(_) = Transport::detect() {
            all.push(found);
        }
        all
    }

    #[test]
    fn sync_pulls_fast_forward_pushes_ours_and_says_when_histories_diverge() {
        for transport in transports() {
            sync_through(transport);
        }
    }

    fn sync_through(transport: Transport) {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("office.git");
        Repository::init_bare(&bare).unwrap();
        let service = Repository::init(dir.path().join("service")).unwrap();
        commit_file(&service, "en.ftl", "title = One\n", "start");
        service.remote("origin", bare.to_str().unwrap()).unwrap();
        push_head(&service);
        let ours = Repo::open(service.workdir().unwrap()).unwrap().with_transport(transport);
        assert_eq!(ours.sync("origin"), SyncState::UpToDate);

        // The press officer pushes new English: it arrives.
        let officer =
            Repository::clone(bare.to_str().unwrap(), dir.path().join("officer")).unwrap();
        commit_file(&officer, "en.ftl", "title = Two\n", "en: title");
        push_head(&officer);
        assert_eq!(ours.sync("origin"), SyncState::Pulled { commits: 1 });
        let workdir = service.workdir().unwrap().to_owned();
        assert_eq!(std::fs::read_to_string(workdir.join("en.ftl")).unwrap(), "title = Two\n");

        // A save here is pushed.
        std::fs::write(workdir.join("tg.ftl"), "title = Ду\n").unwrap();
        let author = Author { name: "nigora".into(), email: "nigora@example.eu".into() };
        ours.commit_paths(&[workdir.join("tg.ftl")], &author, "tg: title — x").unwrap();
        assert_eq!(ours.sync("origin"), SyncState::Pushed { commits: 1 });
        let remote_head = Repository::open_bare(&bare).unwrap().head().unwrap().target().unwrap();
        assert_eq!(remote_head, service.head().unwrap().target().unwrap());

        // Both sides commit: neither is lost, and it is said.
        std::fs::write(workdir.join("tg.ftl"), "title = Се\n").unwrap();
        ours.commit_paths(&[workdir.join("tg.ftl")], &author, "tg: title — x").unwrap();
        let other = Repository::clone(bare.to_str().unwrap(), dir.path().join("other")).unwrap();
        commit_file(&other, "en.ftl", "title = Three\n", "en: title");
        push_head(&other);
        let ahead = service.head().unwrap().target().unwrap();
        assert_eq!(ours.sync("origin"), SyncState::Diverged { ours: 1, theirs: 1 });
        assert_eq!(service.head().unwrap().target().unwrap(), ahead, "ours kept");
        assert_eq!(std::fs::read_to_string(workdir.join("tg.ftl")).unwrap(), "title = Се\n");
    }

    /// A remote named like an option is a (strange) remote, never an
    /// option; an unreachable one fails with git's words, without waiting.
    #[test]
    fn the_system_git_takes_the_remote_as_a_remote_and_never_prompts() {
        let Transport::System(git) = Transport::detect() else { return };
        let dir = tempfile::tempdir().unwrap();
        let service = Repository::init(dir.path().join("service")).unwrap();
        commit_file(&service, "en.ftl", "title = One\n", "start");
        let ours =
            Repo::open(service.workdir().unwrap()).unwrap().with_transport(Transport::System(git));
        let planted = dir.path().join("planted");
        let option = format!("--upload-pack=touch {}", planted.display());
        let SyncState::Failed { error } = ours.sync(&option) else {
            panic!("synced with {option}")
        };
        assert!(error.starts_with("git fetch: "), "{error}");
        assert!(!planted.exists(), "the remote ran as an option");
        // Nothing listens on port 9: refused at once, said in git's words.
        let started = std::time::Instant::now();
        let SyncState::Failed { error } = ours.sync("http://127.0.0.1:9/office.git") else {
            panic!("synced with nothing")
        };
        assert!(error.contains("127.0.0.1"), "{error}");
        assert!(started.elapsed() < TRANSPORT_TIMEOUT / 2, "no prompt, no long wait");
    }
}
