//! The statement hook: every connection authctl opens can report connecting,
//! statements and transaction boundaries to one subscriber ([`subscribe`]), which
//! the output layer installs for `-v`. Nothing here prints.

use std::num::NonZeroU32;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use diesel::connection::{Instrumentation, InstrumentationEvent};

/// What a connection reports. Connection URLs (they may hold a password) and bound
/// values (hashes, tokens) are never part of an event.
#[derive(Debug)]
pub enum Event<'a> {
    /// Connecting ended, successfully or not (`failed`), after `elapsed`.
    Connected { elapsed: Duration, failed: bool },
    /// A statement starts.
    Statement(Statement<'a>),
    /// The statement ended, successfully or not (`failed`), after `elapsed`.
    StatementDone { elapsed: Duration, failed: bool },
    /// `BEGIN`, `COMMIT` or `ROLLBACK` at a transaction depth.
    Transaction {
        boundary: &'static str,
        depth: NonZeroU32,
    },
}

/// A statement about to run; its text is built only when asked for.
#[derive(Debug)]
pub struct Statement<'a>(&'a dyn diesel::connection::DebugQuery);

impl Statement<'_> {
    /// The statement's SQL ([`statement_text`]).
    pub fn text(&self) -> String {
        statement_text(&self.0.to_string())
    }
}

/// A statement as it is reported: its SQL on one line, without the bound values
/// diesel's debug form appends (they may be hashes or tokens), at most 400
/// characters.
pub fn statement_text(debug: &str) -> String {
    let sql = debug.split(" -- binds: ").next().unwrap_or_default();
    let mut one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 400 {
        one_line = one_line.chars().take(400).collect::<String>() + "…";
    }
    one_line
}

/// Receives the [`Event`]s of every connection.
pub type Subscriber = fn(&Event<'_>);

static SUBSCRIBER: OnceLock<Subscriber> = OnceLock::new();

/// Hand the events of every connection opened from now on to `subscriber` (once
/// per process: a later call changes nothing).
pub fn subscribe(subscriber: Subscriber) {
    if SUBSCRIBER.set(subscriber).is_err() {
        return;
    }
    fn make() -> Option<Box<dyn Instrumentation>> {
        let subscriber = *SUBSCRIBER.get()?;
        Some(Box::new(Hook {
            subscriber,
            connect: None,
            query: None,
        }))
    }
    let _ = diesel::connection::set_default_instrumentation(make);
}

/// The hook of one connection: diesel's events, timed, as [`Event`]s.
struct Hook {
    subscriber: Subscriber,
    connect: Option<Instant>,
    query: Option<Instant>,
}

fn since(t: Option<Instant>) -> Duration {
    t.map(|t| t.elapsed()).unwrap_or_default()
}

impl Instrumentation for Hook {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        use InstrumentationEvent as E;
        let event = match event {
            E::StartEstablishConnection { .. } => {
                self.connect = Some(Instant::now());
                return;
            }
            E::FinishEstablishConnection { error, .. } => Event::Connected {
                elapsed: since(self.connect),
                failed: error.is_some(),
            },
            E::StartQuery { query, .. } => {
                self.query = Some(Instant::now());
                Event::Statement(Statement(query))
            }
            E::FinishQuery { error, .. } => Event::StatementDone {
                elapsed: since(self.query),
                failed: error.is_some(),
            },
            E::BeginTransaction { depth, .. } => Event::Transaction {
                boundary: "BEGIN",
                depth,
            },
            E::CommitTransaction { depth, .. } => Event::Transaction {
                boundary: "COMMIT",
                depth,
            },
            E::RollbackTransaction { depth, .. } => Event::Transaction {
                boundary: "ROLLBACK",
                depth,
            },
            _ => return,
        };
        (self.subscriber)(&event);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn statement_text_drops_the_bound_values() {
        assert_eq!(
            super::statement_text(
                "SELECT *\n  FROM users WHERE email = $1 -- binds: [\"$2b$12$secret\"]"
            ),
            "SELECT * FROM users WHERE email = $1"
        );
    }
}
