//! `authctl config`: the resolved configuration and where each value came from.

use serde_json::json;

use crate::cli::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<()> {
    let config = ctx.config()?;
    let rows = config.rows();
    let json: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .map(|(k, v, s)| (k.to_string(), json!({ "value": v, "source": s })))
        .collect();
    let table: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(k, v, s)| vec![k.to_owned(), v, s])
        .collect();
    ctx.out
        .records(&["SETTING", "VALUE", "SOURCE"], &table, &json)?;
    Ok(())
}
