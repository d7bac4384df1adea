//! A connection's page (`pageInfo { hasNextPage } nodes { … }`, or `edges` where what is
//! asked lives on the edge), as every part of the answer reads it.

use serde::Deserialize;

/// `pageInfo { hasNextPage }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// More items than the page holds.
    pub has_next_page: bool,
}

/// A connection's page: whether it is whole, and its items (each may be null).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// Whether more follow.
    pub page_info: PageInfo,
    /// The items.
    pub nodes: Vec<Option<T>>,
}

impl<T> Page<T> {
    /// Returns the items when the page holds them all and none is null.
    pub fn whole(&self) -> Option<Vec<&T>> {
        if self.page_info.has_next_page {
            return None;
        }
        self.nodes.iter().map(Option::as_ref).collect()
    }
}

/// A connection's page read through its edges (`pageInfo { hasNextPage } edges { … }`),
/// where what is asked lives on the edge (a collaborator's permission).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Edges<T> {
    /// Whether more follow.
    pub page_info: PageInfo,
    /// The edges (null when the connection has none to give).
    pub edges: Option<Vec<Option<T>>>,
}

impl<T> Edges<T> {
    /// Returns the edges when the page holds them all and none is null.
    pub fn whole(&self) -> Option<Vec<&T>> {
        if self.page_info.has_next_page {
            return None;
        }
        self.edges.as_ref()?.iter().map(Option::as_ref).collect()
    }
}
