//! Which releases and languages a command works on: `[ID…] --lang L…`,
//! the same for build, publish, watch and serve.

use super::Project;
use crate::diag::Diagnostics;
use crate::names::ReleaseId;

/// Release ids and language tags as the user named them; empty means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub releases: Vec<String>,
    pub languages: Vec<String>,
}

impl Selection {
    /// Everything: every release, in every language.
    pub fn all() -> Self {
        Self::default()
    }

    /// One release, in each of its languages.
    pub fn release(id: &ReleaseId) -> Self {
        Self { releases: vec![id.to_string()], languages: Vec::new() }
    }

    /// The releases it names, checked against the project (all of them when
    /// it names none); a name that is not a release is a usage error.
    pub fn release_ids(&self, project: &Project) -> Result<Vec<ReleaseId>, Diagnostics> {
        project.select_releases(&self.releases)
    }

    /// The languages it names, checked against the office's (empty when it
    /// names none: each release's own).
    pub fn checked_languages(&self, project: &Project) -> Result<Vec<String>, Diagnostics> {
        project.select_languages(&self.languages)
    }

    /// Both checked at once: every wrong name reported in one run.
    pub fn check(&self, project: &Project) -> Result<(), Diagnostics> {
        let releases = self.release_ids(project).err().unwrap_or_default();
        let languages = self.checked_languages(project).err().unwrap_or_default();
        let mut all = releases;
        all.extend(languages);
        all.into_result(())
    }

    /// Whether `lang` is among those it asks for.
    pub fn wants_language(&self, lang: &str) -> bool {
        self.languages.is_empty() || self.languages.iter().any(|l| l == lang)
    }
}
