//! The one keyset pager every listing uses (users, sessions, tokens, attempts,
//! audit): each page is read in its own short read transaction and handed to the
//! caller outside it; a page is read with one row more than shown, and that row
//! is the one sign that more may follow.

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

/// Walk a listing page by page. `fetch(conn, after, limit)` reads at most `limit`
/// rows after the keyset position `after` (from the start when `None`); it runs
/// inside [`DbConn::read`], one transaction per page, and `each` gets the page
/// after that transaction ended, so a slow consumer never holds a transaction (or,
/// behind a transaction-pooling PgBouncer, a server connection) open.
///
/// Without `paging.all`: one page of `paging.limit` rows, read with one row more
/// than shown — the one "more may follow" rule: when that extra row exists, the
/// last shown row's key is returned, the place to continue (`--after`/`--before`).
/// With `paging.all`: every row, in pages of `stream_page`, the next read after
/// each full page; nothing is returned. A page that fails after rows were printed
/// fails the walk saying the listing is incomplete and how many rows it printed.
pub fn walk<R, K>(
    conn: &mut DbConn,
    paging: Paging,
    stream_page: i64,
    mut after: Option<K>,
    mut fetch: impl FnMut(&mut DbConn, Option<&K>, i64) -> anyhow::Result<Vec<R>>,
    key: impl Fn(&R) -> K,
    mut each: impl FnMut(&[R]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<K>> {
    if !paging.all {
        let limit = paging.limit.max(0);
        let mut page = conn.read(|c| fetch(c, after.as_ref(), limit + 1))?;
        let more = page.len() as i64 > limit;
        page.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        each(&page)?;
        return Ok(page.last().filter(|_| more).map(key));
    }
    let mut shown: u64 = 0;
    loop {
        let page = conn.read(|c| fetch(c, after.as_ref(), stream_page));
        // A page that cannot be read after others were printed (the connection
        // lost mid-listing, a failover): the output must not pass for complete.
        let page = match page {
            Ok(page) => page,
            Err(e) if shown > 0 => {
                return Err(e.context(format!(
                    "the listing is INCOMPLETE: {shown} rows were printed before this error, \
                     the rest was not read; run it again"
                )));
            }
            Err(e) => return Err(e),
        };
        shown += page.len() as u64;
        each(&page)?;
        match page.last() {
            Some(last) if page.len() as i64 == stream_page => after = Some(key(last)),
            _ => return Ok(None),
        }
    }
}
