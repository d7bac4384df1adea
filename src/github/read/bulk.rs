//! Reading an organisation's repositories in bulk through GraphQL (DESIGN §16), before the
//! run plans them: the queries `graphql` describes, sent through the reader, their answers
//! gathered into a [`Bulk`].

use std::collections::BTreeMap;

use futures::future::join_all;
use serde_json::Value;

use crate::github::graphql::{Bulk, first_message, query};
use crate::github::rest::RestReader;
use crate::model::names::RepoName;

/// Names repositories for a message: each one, comma separated.
fn named(repos: &[&RepoName]) -> String {
    repos
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads `repos` in bulk, `query::BATCH` to a query. The first query goes alone: when
/// the server has no GraphQL or refuses it, nothing more is asked and every read goes
/// through REST. Then the rest go at once (the client bounds how many are in flight),
/// as many as the points left allow: GraphQL's points are never spent to the last, and the
/// repositories of the queries not sent are read through REST. Under `-v`, each part read
/// through REST instead is named, with why.
pub async fn prefetch(github: &RestReader, repos: &[RepoName]) -> Bulk {
    let bulk = prefetch_quietly(github, repos).await;
    for fallback in &bulk.fallbacks {
        github.note(&format!("read through REST, not GraphQL: {fallback}"));
    }
    bulk
}

async fn prefetch_quietly(github: &RestReader, repos: &[RepoName]) -> Bulk {
    let mut by_owner: BTreeMap<&str, Vec<&RepoName>> = BTreeMap::new();
    for repo in repos {
        by_owner.entry(repo.owner.as_str()).or_default().push(repo);
    }
    let batches: Vec<Vec<&RepoName>> = by_owner
        .values()
        .flat_map(|repos| repos.chunks(query::BATCH).map(<[_]>::to_vec))
        .collect();
    let mut bulk = Bulk::default();
    let Some((first, rest)) = batches.split_first() else {
        return bulk;
    };
    match ask(github, first).await {
        Ok(answer) => bulk.take(first, &answer),
        Err(why) => {
            bulk.fall_back(format!(
                "every repository ({}): every part: {why}",
                repos.len()
            ));
            return bulk;
        }
    }
    // Points each query costs, from the first; stop before what is left runs out.
    let cost = bulk.points.max(1);
    let affordable = bulk
        .remaining
        .map_or(0, |left| usize::try_from(left / cost).unwrap_or(usize::MAX));
    let (sent, unsent) = rest.split_at(rest.len().min(affordable));
    if !unsent.is_empty() {
        let unsent_repos: Vec<&RepoName> = unsent.iter().flatten().copied().collect();
        let why = match bulk.remaining {
            Some(left) => format!(
                "GraphQL has {left} points left until {}, too few for {} more queries of {cost}",
                bulk.reset_at
                    .as_deref()
                    .map_or("its reset".into(), crate::output::untrusted::escape),
                unsent.len()
            ),
            None => "GraphQL did not say how many points are left".to_owned(),
        };
        bulk.fall_back(format!("{}: every part: {why}", named(&unsent_repos)));
    }
    let answers = join_all(sent.iter().map(|batch| ask(github, batch))).await;
    for (batch, answer) in sent.iter().zip(answers) {
        match answer {
            Ok(answer) => bulk.take(batch, &answer),
            Err(why) => bulk.fall_back(format!("{}: every part: {why}", named(batch))),
        }
    }
    bulk
}

/// Sends one query; `Err` says why its repositories are read through REST.
async fn ask(github: &RestReader, repos: &[&RepoName]) -> Result<Value, String> {
    let text = query::text(repos.len());
    match github.graphql(&text, &query::variables(repos)).await {
        Ok(Some(answer)) if answer.get("data").is_some_and(Value::is_object) => Ok(answer),
        Ok(Some(answer)) => Err(format!(
            "GraphQL refused the query{}",
            first_message(answer.get("errors").and_then(Value::as_array))
        )),
        Ok(None) => Err("the server has no GraphQL API (POST /graphql answered 404)".into()),
        Err(err) => Err(format!("GraphQL failed ({err})")),
    }
}
