//! Ory Kratos identities (admin API / `kratos import identities`): `traits.email`,
//! `traits.name` (text, or `{first, last}`), `state` (`inactive` is created
//! disabled), `verifiable_addresses[]` (`verified`, `verified_at` of the entry
//! for the email), `credentials.password.config.hashed_password`,
//! `metadata_public.role`, `created_at`.

use serde_json::{Value, json};

use super::{Fields, Incoming, json_records};
use crate::error::Error;
use crate::repo::User;

pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Incoming>, Error> {
    let records = json_records(bytes, "Kratos identities")?;
    Ok(records
        .iter()
        .enumerate()
        .map(|(i, obj)| {
            let mut f = Fields::new(obj);
            let email = f.str("traits.email");
            let name = match f.value("traits.name") {
                Some(Value::Object(_)) => {
                    let parts: Vec<String> =
                        [f.str("traits.name.first"), f.str("traits.name.last")]
                            .into_iter()
                            .flatten()
                            .collect();
                    (!parts.is_empty()).then(|| parts.join(" "))
                }
                _ => f.str("traits.name"),
            };
            let state = f.str("state");
            let mut r = Incoming {
                at: format!("record {}", i + 1),
                name,
                role: f.str("metadata_public.role"),
                hash: f.str("credentials.password.config.hashed_password"),
                created_at: f.time("created_at"),
                blocked: state.as_deref() == Some("inactive"),
                ..Default::default()
            };
            if let Some(addresses) = f.value("verifiable_addresses").and_then(Value::as_array) {
                let wanted = email.as_deref().map(|e| e.trim().to_ascii_lowercase());
                for a in addresses.iter().filter_map(Value::as_object) {
                    let mut af = Fields::new(a);
                    let value = af.str("value").map(|v| v.trim().to_ascii_lowercase());
                    if value.is_some() && value == wanted {
                        r.verified = af.bool("verified").unwrap_or(false);
                        r.verified_at = af.time("verified_at");
                        if f.problem.is_none() {
                            f.problem = af.problem.map(|p| format!("verifiable_addresses: {p}"));
                        }
                    }
                }
            }
            r.email = email;
            r.problem = f.problem;
            r
        })
        .collect())
}

pub(super) fn to_json(u: &User, hash: Option<&str>) -> Value {
    let verified = u.email_verified.unwrap_or(false);
    let mut address = json!({
        "value": u.email,
        "verified": verified,
        "via": "email",
        "status": if verified { "completed" } else { "pending" },
    });
    if let (true, Some(at)) = (verified, u.email_verified_at) {
        address["verified_at"] = json!(at);
    }
    let mut traits = json!({ "email": u.email });
    if let Some(name) = &u.name {
        traits["name"] = json!(name);
    }
    let disabled = crate::password::is_disabled(&u.password_hash);
    let mut v = json!({
        "id": u.id,
        "schema_id": "default",
        "state": if disabled { "inactive" } else { "active" },
        "traits": traits,
        "verifiable_addresses": [address],
        "metadata_public": { "role": u.role() },
    });
    if let Some(at) = u.created_at {
        v["created_at"] = json!(at);
    }
    if let Some(h) = hash {
        v["credentials"] = json!({
            "password": {
                "type": "password",
                "identifiers": [u.email],
                "config": { "hashed_password": h },
            }
        });
    }
    v
}
