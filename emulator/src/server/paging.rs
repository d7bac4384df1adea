//! Pagination as GitHub does it: `per_page`/`page` and the `Link` header.

use serde_json::Value;

use super::routes::decode;

/// What a list needs to cut a page: the link base, the query and the builder's cap.
pub(crate) struct Paging<'a> {
    pub link_base: String,
    pub query: &'a str,
    pub cap: u64,
}

impl Paging<'_> {
    /// Returns a decoded query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| decode(v))
        })
    }

    /// Cuts one page out of `items` and adds the `Link` header when there is more than one.
    pub(crate) fn page(
        &self,
        items: Vec<Value>,
        default: u64,
        max: u64,
        reply_headers: &mut Vec<(String, String)>,
    ) -> Vec<Value> {
        let (start, n) = self.window(items.len(), default, max, reply_headers);
        items.into_iter().skip(start).take(n).collect()
    }

    /// Returns `(start, length)` of the page asked for among `total` items, and adds the
    /// `Link` header when there is more than one page.
    pub(crate) fn window(
        &self,
        total: usize,
        default: u64,
        max: u64,
        reply_headers: &mut Vec<(String, String)>,
    ) -> (usize, usize) {
        let per_page = self
            .param("per_page")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(default)
            .min(max)
            .min(self.cap)
            .max(1);
        let page = self
            .param("page")
            .and_then(|v| v.parse::<u64>().ok())
            .filter(|v| *v > 0)
            .unwrap_or(1);
        let total = total as u64;
        let last = total.div_ceil(per_page).max(1);
        if last > 1 {
            let link = |p: u64| {
                let mut q: Vec<String> = self
                    .query
                    .split('&')
                    .filter(|kv| {
                        !kv.is_empty() && !kv.starts_with("page=") && !kv.starts_with("per_page=")
                    })
                    .map(str::to_owned)
                    .collect();
                q.push(format!("per_page={per_page}"));
                q.push(format!("page={p}"));
                format!("<{}?{}>", self.link_base, q.join("&"))
            };
            let mut parts = Vec::new();
            if page > 1 {
                parts.push(format!("{}; rel=\"prev\"", link(page.min(last + 1) - 1)));
            }
            if page < last {
                parts.push(format!("{}; rel=\"next\"", link(page + 1)));
                parts.push(format!("{}; rel=\"last\"", link(last)));
            }
            if page > 1 {
                parts.push(format!("{}; rel=\"first\"", link(1)));
            }
            reply_headers.push(("link".into(), parts.join(", ")));
        }
        let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let n = usize::try_from(per_page).unwrap_or(usize::MAX);
        (start, n)
    }
}

impl Paging<'_> {
    /// Returns a 200 whose body is one page of `items` rendered by `render` (default 30, max
    /// 100): only the page's items are rendered.
    pub(crate) fn list_of<T>(
        &self,
        items: &[T],
        render: impl Fn(&T) -> Value,
    ) -> crate::state::Reply {
        let mut r = crate::state::Reply::json(200, Value::Null);
        let (start, n) = self.window(items.len(), 30, 100, &mut r.headers);
        let page = items.iter().skip(start).take(n).map(render).collect();
        r.body = Some(Value::Array(page));
        r
    }

    /// Returns a 200 whose body is one page of `items` (default 30, max 100).
    pub(crate) fn list(&self, items: Vec<Value>) -> crate::state::Reply {
        let mut r = crate::state::Reply::json(200, Value::Null);
        r.body = Some(Value::Array(self.page(items, 30, 100, &mut r.headers)));
        r
    }
}
