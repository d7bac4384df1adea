//! `plan --format sarif|junit`: the reports for CI tools, and what they need beside the
//! plan — where each change is declared (the policy file relative to the repository root,
//! and a line) and which resources each repository's policy manages.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::PlanFormat;
use crate::error::Error;
use crate::model::{OrgPolicy, RepoSettings};
use crate::org::run::Target;
use crate::plan::diff::managed_resources;
use crate::plan::{Plan, RepositoryError};
use crate::policy::{Layers, SourceMap};
use crate::render;
use crate::render::junit::{self, Suite};
use crate::render::sarif::{self, LocatedPlan, Location};

/// The formats meant for a CI tool rather than a person, which need the policy file beside
/// the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for test reports.
    Junit,
}

/// What `plan --format` asks for: the plan, for a person or a script, or a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The plan itself: text, JSON or Markdown.
    Plan(render::Format),
    /// A report for a CI tool.
    Report(Report),
}

impl Output {
    /// Returns what the format asks for.
    pub fn of(format: PlanFormat) -> Self {
        match format {
            PlanFormat::Text => Self::Plan(render::Format::Text),
            PlanFormat::Json => Self::Plan(render::Format::Json),
            PlanFormat::Markdown => Self::Plan(render::Format::Markdown),
            PlanFormat::Sarif => Self::Report(Report::Sarif),
            PlanFormat::Junit => Self::Report(Report::Junit),
        }
    }
}

/// The policy file a run planned, and where its keys are written.
pub struct PolicySource<'a> {
    /// The file as given (`-p`), relative to `cwd` or absolute.
    pub path: &'a Path,
    /// Where its keys are written.
    pub map: &'a SourceMap,
    /// The directory the command runs in.
    pub cwd: &'a Path,
}

/// One repository's plan, the policy it was planned from, and the layers of the file that
/// policy comes from.
pub struct Reported<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// The repository's policy (an organisation policy's merged one).
    pub settings: &'a RepoSettings,
    /// Where the policy file declares its settings.
    pub layers: Layers,
}

impl<'a> Reported<'a> {
    /// A repository policy's plan.
    pub fn repository(plan: &'a Plan, settings: &'a RepoSettings) -> Self {
        Self {
            plan,
            settings,
            layers: Layers::repository(),
        }
    }

    /// The plan of one repository of an organisation policy.
    pub fn organization(plan: &'a Plan, target: &'a Target, policy: &OrgPolicy) -> Self {
        // A repository policy applied with `--org` is built in code and written at the top
        // level of its file.
        let layers = if policy.written.is_null() {
            Layers::repository()
        } else {
            Layers::organization(policy, &target.repo.name, &target.groups())
        };
        Self {
            plan,
            settings: &target.settings,
            layers,
        }
    }
}

/// Writes the plans (and, for JUnit, the repositories that could not be planned) as a CI
/// report. `category` tells code scanning's result sets apart (a shard's own).
pub fn write(
    report: Report,
    reported: &[Reported<'_>],
    errors: &[RepositoryError],
    source: &PolicySource<'_>,
    category: &str,
    out: &mut dyn Write,
) -> Result<(), Error> {
    match report {
        Report::Sarif => {
            let uri = repository_relative(source.path, source.cwd);
            let located: Vec<LocatedPlan<'_>> = reported
                .iter()
                .map(|one| LocatedPlan {
                    plan: one.plan,
                    locations: one
                        .plan
                        .changes
                        .iter()
                        .map(|change| {
                            let (line, column) =
                                one.layers.resource(source.map, &change.address.to_string());
                            Location {
                                uri: uri.clone(),
                                line,
                                column,
                            }
                        })
                        .collect(),
                })
                .collect();
            sarif::render(&located, category, out)?;
        }
        Report::Junit => {
            let managed: Vec<_> = reported
                .iter()
                .map(|one| managed_resources(one.settings))
                .collect();
            let suites: Vec<Suite<'_>> = reported
                .iter()
                .zip(&managed)
                .map(|(one, managed)| Suite {
                    plan: one.plan,
                    managed,
                })
                .collect();
            junit::render(&suites, errors, out)?;
        }
    }
    Ok(())
}

/// The code scanning category of a run: one set of results per organisation shard.
pub fn category(organization: Option<&str>, shard: Option<(u32, u32)>) -> String {
    let mut category = "gh-policy/".to_owned();
    if let Some(organization) = organization {
        category.push_str(organization);
        category.push('/');
    }
    if let Some((index, count)) = shard {
        let _ = write!(category, "shard-{index}-of-{count}/");
    }
    category
}

/// Returns the policy file's path relative to the root of the git repository it is in (the
/// nearest directory above it with a `.git`), with `/` separators, as code scanning locates
/// files. Outside a repository, or for standard input, the path as given.
fn repository_relative(path: &Path, cwd: &Path) -> String {
    let given = || path.to_string_lossy().replace('\\', "/");
    let Ok(file) = cwd.join(path).canonicalize() else {
        return given();
    };
    let Some(root) = repository_root(&file) else {
        return given();
    };
    file.strip_prefix(&root).map_or_else(
        |_| given(),
        |relative| {
            relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        },
    )
}

/// The nearest directory above `file` holding `.git` (a directory, or a file in a worktree).
fn repository_root(file: &Path) -> Option<PathBuf> {
    file.ancestors()
        .skip(1)
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_is_located_relative_to_its_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("infra/github")).unwrap();
        std::fs::write(root.join("infra/github/policy.yaml"), "version: 1\n").unwrap();
        let cwd = root.join("infra");
        assert_eq!(
            repository_relative(Path::new("github/policy.yaml"), &cwd),
            "infra/github/policy.yaml"
        );
        assert_eq!(
            repository_relative(&root.join("infra/github/policy.yaml"), Path::new("/")),
            "infra/github/policy.yaml"
        );
        // Not a file (standard input): as given.
        assert_eq!(repository_relative(Path::new("-"), &cwd), "-");
    }

    #[test]
    fn shards_and_organisations_have_categories_of_their_own() {
        assert_eq!(category(None, None), "gh-policy/");
        assert_eq!(category(Some("acme"), None), "gh-policy/acme/");
        assert_eq!(
            category(Some("acme"), Some((2, 4))),
            "gh-policy/acme/shard-2-of-4/"
        );
    }
}
