//! `authctl tokens`: list and revoke refresh tokens — `authctl sessions` over the
//! `refresh_tokens` table (arguments, output and JSON fields are described there).

use crate::cli::Context;
use crate::cli::sessions::{ListArgs, RevokeArgs, list, revoke};
use crate::ops::credentials::Tokens;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List refresh tokens, newest expiry first (active ones unless --state says otherwise)
    List(ListArgs),
    /// Revoke refresh tokens: by id, by a leaked token on stdin, every active one of a user, or every active one
    Revoke(RevokeArgs),
}

/// Run `authctl tokens …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list::<Tokens>(ctx, args),
        Command::Revoke(args) => revoke::<Tokens>(ctx, args),
    }
}
