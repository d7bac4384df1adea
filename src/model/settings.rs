//! Repository-wide switches (DESIGN §12): the merge settings (`settings:`), the security
//! features (`security:`) and the Actions permissions (`actions:`). Each section is managed
//! only when present, and inside it only the keys written: these are switches of one
//! repository, not resources replaced whole. The live side is the same type with every key
//! the reader could read.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MergeMethod;

/// `settings:` — how pull requests merge (`GET`/`PATCH /repos/{o}/{r}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RepositorySettings {
    /// The merge methods allowed (`merge`, `squash`, `rebase`); the others are off. A set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("minItems" = 1, "x-message" = "at least one merge method must stay allowed (GitHub refuses to turn all three off)"))]
    pub merge_methods: Option<BTreeSet<MergeMethod>>,
    /// Pull requests may be set to merge automatically once their requirements are met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_merge: Option<bool>,
    /// Head branches are deleted when their pull request merges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_branch_on_merge: Option<bool>,
    /// A pull request's branch can be updated from its base even when not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_update_branch: Option<bool>,
    /// The default title and message of squash merge commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub squash_commit: Option<SquashCommit>,
    /// The default title and message of merge commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_commit: Option<MergeCommit>,
    /// Commits made in the web interface must be signed off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_commit_signoff_required: Option<bool>,
}

/// The default squash merge commit, in GitHub's enum values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SquashCommit {
    /// `PR_TITLE` or `COMMIT_OR_PR_TITLE`.
    pub title: SquashTitle,
    /// `PR_BODY`, `COMMIT_MESSAGES` or `BLANK`.
    pub message: SquashMessage,
}

/// The default merge commit, in GitHub's enum values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCommit {
    /// `PR_TITLE` or `MERGE_MESSAGE`.
    pub title: MergeTitle,
    /// `PR_BODY`, `PR_TITLE` or `BLANK`.
    pub message: MergeMessage,
}

/// Declares an enum of GitHub's values with an `Unknown` kept as written: a value GitHub
/// sends that gh-policy does not know is never in sync with a known one, and a policy cannot
/// write it (the schema lists the known ones).
macro_rules! github_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
            /// A value GitHub sent that gh-policy does not know, as written.
            #[serde(untagged)]
            #[schemars(skip)]
            Unknown(String),
        }

        impl $name {
            /// Returns the value GitHub names so, an unknown one kept as written.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            /// Returns the value as GitHub writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Unknown(other) => other,
                }
            }
        }
    };
}
pub(crate) use github_enum;

github_enum!(
    /// The default title of a squash merge commit.
    SquashTitle {
        /// The pull request's title.
        PrTitle = "PR_TITLE",
        /// The commit's title for a single commit, else the pull request's.
        CommitOrPrTitle = "COMMIT_OR_PR_TITLE",
    }
);

github_enum!(
    /// The default message of a squash merge commit.
    SquashMessage {
        /// The pull request's description.
        PrBody = "PR_BODY",
        /// The messages of the commits.
        CommitMessages = "COMMIT_MESSAGES",
        /// No message.
        Blank = "BLANK",
    }
);

github_enum!(
    /// The default title of a merge commit.
    MergeTitle {
        /// The pull request's title.
        PrTitle = "PR_TITLE",
        /// `Merge pull request #N from BRANCH`.
        MergeMessage = "MERGE_MESSAGE",
    }
);

github_enum!(
    /// The default message of a merge commit.
    MergeMessage {
        /// The pull request's description.
        PrBody = "PR_BODY",
        /// The pull request's title.
        PrTitle = "PR_TITLE",
        /// No message.
        Blank = "BLANK",
    }
);

impl RepositorySettings {
    /// Returns a section that manages every key (what `export` reads).
    pub fn everything() -> Self {
        Self {
            merge_methods: Some(BTreeSet::new()),
            auto_merge: Some(false),
            delete_branch_on_merge: Some(false),
            allow_update_branch: Some(false),
            squash_commit: Some(SquashCommit {
                title: SquashTitle::PrTitle,
                message: SquashMessage::PrBody,
            }),
            merge_commit: Some(MergeCommit {
                title: MergeTitle::PrTitle,
                message: MergeMessage::PrBody,
            }),
            web_commit_signoff_required: Some(false),
        }
    }

    /// Returns true when the section manages nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
