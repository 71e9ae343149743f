//! A message's history, from the git history of its file: each version of
//! its text, who committed it and when, newest first. Read with libgit2;
//! nothing is written.

use std::path::Path;

use crate::diag::SourceFile;
use crate::l10n::FtlFile;

/// Commits looked at, newest first: enough for a message's life in an
/// office's repository, bounded for a long history.
const COMMITS: usize = 2000;
/// Versions returned.
const VERSIONS: usize = 30;

/// One version of a message's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub commit: String,
    pub author: String,
    /// Seconds since 1970, UTC (the commit's author time).
    pub at: i64,
    pub summary: String,
    /// The entry's Fluent source then; `None` where the file lacked it.
    pub text: Option<String>,
}

/// The versions of message `id` in `file` (a path inside the project),
/// newest first: a version per commit that changed the message's text.
/// Empty outside a git repository.
pub fn versions(file: &Path, id: &str) -> Vec<Version> {
    let Ok(repo) = git2::Repository::discover(file.parent().unwrap_or(file)) else {
        return Vec::new();
    };
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Vec::new();
    };
    let Some(rel) = file
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.strip_prefix(&workdir).ok().map(Path::to_path_buf))
        .and_then(|p| file.file_name().map(|n| p.join(n)))
    else {
        return Vec::new();
    };
    let Ok(mut walk) = repo.revwalk() else { return Vec::new() };
    if walk.push_head().is_err() {
        return Vec::new();
    }
    // Children before parents: saves made within one second keep their order.
    let _ = walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME);
    let text_at = |commit: &git2::Commit<'_>| -> Option<String> {
        let entry = commit.tree().ok()?.get_path(&rel).ok()?;
        let blob = repo.find_blob(entry.id()).ok()?;
        let source = String::from_utf8_lossy(blob.content()).into_owned();
        let (parsed, _) = FtlFile::parse(SourceFile::new(rel.clone(), source));
        parsed.entry_source(id)
    };
    let mut found: Vec<Version> = Vec::new();
    for oid in walk.flatten().take(COMMITS) {
        let Ok(commit) = repo.find_commit(oid) else { continue };
        let text = text_at(&commit);
        // A commit changed the message if its first parent had another text.
        let before = commit.parent(0).ok().and_then(|parent| text_at(&parent));
        if text == before {
            continue;
        }
        found.push(Version {
            commit: oid.to_string(),
            author: commit.author().name().unwrap_or("").to_owned(),
            at: commit.author().when().seconds(),
            summary: commit.summary().unwrap_or("").to_owned(),
            text,
        });
        if found.len() == VERSIONS {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_commit_that_changed_the_message_is_a_version_by_its_author() {
        let dir = tempfile::tempdir().unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let file = dir.path().join("tg.ftl");
        let commit = |who: &str, text: &str, when: i64| {
            std::fs::write(&file, text).unwrap();
            let mut index = repo.index().unwrap();
            index.add_path(Path::new("tg.ftl")).unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            let sig = git2::Signature::new(who, "x@example.eu", &git2::Time::new(when, 0)).unwrap();
            let parents: Vec<git2::Commit> =
                repo.head().ok().and_then(|h| h.peel_to_commit().ok()).into_iter().collect();
            let parents: Vec<&git2::Commit> = parents.iter().collect();
            repo.commit(Some("HEAD"), &sig, &sig, "save", &tree, &parents).unwrap();
        };
        commit("nigora", "title = Якум\nbody = Матн\n", 1_000);
        commit("rustam", "title = Якум\nbody = Матни нав\n", 2_000);
        commit("nigora", "title = Дуюм\nbody = Матни нав\n", 3_000);
        let title = versions(&file, "title");
        let authors: Vec<&str> = title.iter().map(|v| v.author.as_str()).collect();
        assert_eq!(authors, ["nigora", "nigora"], "the body's change is not the title's");
        assert_eq!(title[0].text.as_deref(), Some("title = Дуюм"));
        let body = versions(&file, "body");
        let authors: Vec<&str> = body.iter().map(|v| v.author.as_str()).collect();
        assert_eq!(authors, ["rustam", "nigora"]);
    }
}
