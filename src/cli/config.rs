//! `authctl config`: every resolved value and where it came from.

use serde_json::json;

use crate::cli::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<()> {
    let config = ctx.config()?;
    let actor = ctx.actor_sourced()?;
    let rows = config.rows(&actor);
    let json: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .map(|r| {
            (
                r.key.to_owned(),
                json!({ "value": r.value, "source": r.source, "rank": r.rank.name() }),
            )
        })
        .collect();
    let table: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| vec![r.key.to_owned(), r.value, r.source])
        .collect();
    ctx.out
        .records(&["SETTING", "VALUE", "SOURCE"], &table, &json)?;
    Ok(())
}
