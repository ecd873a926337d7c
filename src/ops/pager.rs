//! The one keyset pager every listing uses (users, sessions, tokens, attempts,
//! audit): each page is read in its own short read transaction and handed to the
//! caller outside it, and a full page is the one sign that more may follow.

use crate::db::DbConn;

/// How much of a listing to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Rows in the one page shown without `all`.
    pub limit: i64,
    /// Every matching row, read in pages of the listing's own size.
    pub all: bool,
}

impl Paging {
    /// One page of `limit` rows.
    pub fn page(limit: i64) -> Self {
        Paging { limit, all: false }
    }
}

/// Walk a listing page by page. `fetch(conn, after, limit)` reads the rows after
/// the keyset position `after` (from the start when `None`); it runs inside
/// [`DbConn::read`], one transaction per page, and `each` gets the page after that
/// transaction ended, so a slow consumer never holds a transaction (or, behind a
/// transaction-pooling PgBouncer, a server connection) open.
///
/// With `paging.all` every row is visited in pages of `stream_page` rows; otherwise
/// one page of `paging.limit`. A full page means more may follow: with `all` the
/// next page is read after it; without, its last row's key is returned, the place
/// to continue (`--after`/`--before`). `None` when the listing ended.
pub fn walk<R, K>(
    conn: &mut DbConn,
    paging: Paging,
    stream_page: i64,
    mut after: Option<K>,
    mut fetch: impl FnMut(&mut DbConn, Option<&K>, i64) -> anyhow::Result<Vec<R>>,
    key: impl Fn(&R) -> K,
    mut each: impl FnMut(&[R]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<K>> {
    let limit = if paging.all {
        stream_page
    } else {
        paging.limit
    };
    loop {
        let page = conn.read(|c| fetch(c, after.as_ref(), limit))?;
        each(&page)?;
        let full = page.len() as i64 == limit;
        match page.last() {
            Some(last) if full => {
                let next = key(last);
                if !paging.all {
                    return Ok(Some(next));
                }
                after = Some(next);
            }
            _ => return Ok(None),
        }
    }
}
