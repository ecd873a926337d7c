//! `authctl sessions` (being written).

use crate::cli::Context;

#[derive(Debug, clap::Subcommand)]
pub enum Command {}

pub fn run(_ctx: &Context, cmd: Command) -> anyhow::Result<()> {
    match cmd {}
}
