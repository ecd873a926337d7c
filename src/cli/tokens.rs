//! `authctl tokens`: list and revoke refresh tokens — `authctl sessions` over the
//! `refresh_tokens` table (arguments, output and JSON fields are described there).

use crate::cli::Context;
use crate::cli::sessions::{ListArgs, RevokeArgs, list, revoke};
use crate::ops::credentials::Kind;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List refresh tokens in id order (active ones unless --state says otherwise)
    List(ListArgs),
    /// Revoke refresh tokens: by id, every active one of a user, or every active one
    Revoke(RevokeArgs),
}

/// Run `authctl tokens …`.
pub fn run(ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::List(args) => list(ctx, Kind::Token, args),
        Command::Revoke(args) => revoke(ctx, Kind::Token, args),
    }
}
