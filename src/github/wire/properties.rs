//! Custom properties of an organisation's repositories (emulator/github-api/QUIRKS.md 57):
//! the values of every repository (`GET /orgs/{org}/properties/values`) and the properties
//! the organisation defines (`GET /orgs/{org}/properties/schema`). The repository list does
//! not reliably carry them, so they are read here and nowhere else.

use serde::Deserialize;
use serde_json::Value;

/// One item of `GET /orgs/{org}/properties/values`: a repository and its values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct RepositoryValues {
    /// The repository's name.
    pub repository_name: String,
    /// Its values; a property without a value may be left out or `null`.
    #[serde(default)]
    pub properties: Vec<PropertyValue>,
}

/// One property's value: a string, an array of strings (multi-select) or `null`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PropertyValue {
    /// The property's name.
    pub property_name: String,
    /// Its value.
    #[serde(default)]
    pub value: Value,
}

/// One item of `GET /orgs/{org}/properties/schema`: a property the organisation defines.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PropertyDefinition {
    /// The property's name.
    pub property_name: String,
    /// `string`, `single_select`, `multi_select`, `true_false` or `url`.
    pub value_type: String,
    /// The values a select property takes.
    #[serde(default)]
    pub allowed_values: Option<Vec<String>>,
}
