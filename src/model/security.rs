//! `security:` — a repository's security features (DESIGN §12), each read and written
//! through its own endpoint (emulator/github-api/QUIRKS.md 59, 60). Only the keys written are
//! managed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The security features of a repository: `true` on, `false` off.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Secret scanning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_scanning: Option<bool>,
    /// Secret scanning push protection: pushes with secrets are blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_protection: Option<bool>,
    /// Dependabot alerts (`vulnerability-alerts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependabot_alerts: Option<bool>,
    /// Dependabot security updates (`automated-security-fixes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependabot_security_updates: Option<bool>,
    /// Private vulnerability reporting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_vulnerability_reporting: Option<bool>,
    /// Immutable releases: a published release's assets and tag cannot change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable_releases: Option<bool>,
}

/// One security feature, as the policy names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SecurityFeature {
    /// `secret_scanning`.
    SecretScanning,
    /// `push_protection`.
    PushProtection,
    /// `dependabot_alerts`.
    DependabotAlerts,
    /// `dependabot_security_updates`.
    DependabotSecurityUpdates,
    /// `private_vulnerability_reporting`.
    PrivateVulnerabilityReporting,
    /// `immutable_releases`.
    ImmutableReleases,
}

impl SecurityFeature {
    /// Every feature, in the order the policy lists them.
    pub const ALL: [Self; 6] = [
        Self::SecretScanning,
        Self::PushProtection,
        Self::DependabotAlerts,
        Self::DependabotSecurityUpdates,
        Self::PrivateVulnerabilityReporting,
        Self::ImmutableReleases,
    ];

    /// Returns the policy key.
    pub fn key(self) -> &'static str {
        match self {
            Self::SecretScanning => "secret_scanning",
            Self::PushProtection => "push_protection",
            Self::DependabotAlerts => "dependabot_alerts",
            Self::DependabotSecurityUpdates => "dependabot_security_updates",
            Self::PrivateVulnerabilityReporting => "private_vulnerability_reporting",
            Self::ImmutableReleases => "immutable_releases",
        }
    }
}

impl Security {
    /// Returns the value the section gives a feature (`None`: not managed, or not read).
    pub fn get(&self, feature: SecurityFeature) -> Option<bool> {
        match feature {
            SecurityFeature::SecretScanning => self.secret_scanning,
            SecurityFeature::PushProtection => self.push_protection,
            SecurityFeature::DependabotAlerts => self.dependabot_alerts,
            SecurityFeature::DependabotSecurityUpdates => self.dependabot_security_updates,
            SecurityFeature::PrivateVulnerabilityReporting => self.private_vulnerability_reporting,
            SecurityFeature::ImmutableReleases => self.immutable_releases,
        }
    }

    /// Sets the value of a feature.
    pub fn set(&mut self, feature: SecurityFeature, value: Option<bool>) {
        let slot = match feature {
            SecurityFeature::SecretScanning => &mut self.secret_scanning,
            SecurityFeature::PushProtection => &mut self.push_protection,
            SecurityFeature::DependabotAlerts => &mut self.dependabot_alerts,
            SecurityFeature::DependabotSecurityUpdates => &mut self.dependabot_security_updates,
            SecurityFeature::PrivateVulnerabilityReporting => {
                &mut self.private_vulnerability_reporting
            }
            SecurityFeature::ImmutableReleases => &mut self.immutable_releases,
        };
        *slot = value;
    }

    /// Returns the features the section manages, in order.
    pub fn managed(&self) -> impl Iterator<Item = (SecurityFeature, bool)> + '_ {
        SecurityFeature::ALL
            .into_iter()
            .filter_map(|feature| self.get(feature).map(|on| (feature, on)))
    }

    /// Returns a section that manages every feature (what `export` reads).
    pub fn everything() -> Self {
        let mut all = Self::default();
        for feature in SecurityFeature::ALL {
            all.set(feature, Some(false));
        }
        all
    }

    /// Returns true when the section manages nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}
