//! Auth0 bulk user import (`POST /api/v2/jobs/users-imports`): a JSON array of
//! users with `email`, `email_verified`, `name`, `blocked`, `app_metadata.role`
//! and either `password_hash` (bcrypt) or `custom_password_hash` (`algorithm`,
//! `hash.value`). Export writes the same shape, so a file round-trips.

use serde_json::{Value, json};

use super::{Fields, Incoming, json_records};
use crate::error::Error;
use crate::repo::User;

pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Incoming>, Error> {
    let records = json_records(bytes, "Auth0 users")?;
    Ok(records
        .iter()
        .enumerate()
        .map(|(i, obj)| {
            let mut f = Fields::new(obj);
            let mut r = Incoming {
                at: format!("record {}", i + 1),
                email: f.str("email"),
                verified: f.bool("email_verified").unwrap_or(false),
                blocked: f.bool("blocked").unwrap_or(false),
                role: f.str("app_metadata.role"),
                ..Default::default()
            };
            r.name = f.str("name").or_else(|| {
                let given = f.str("given_name");
                let family = f.str("family_name");
                let parts: Vec<String> = given.into_iter().chain(family).collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            });
            let plain = f.str("password_hash");
            if f.value("custom_password_hash").is_some() {
                if plain.is_some() && f.problem.is_none() {
                    f.problem = Some(
                        "both password_hash and custom_password_hash (Auth0 allows only one)"
                            .into(),
                    );
                }
                r.scheme = f.str("custom_password_hash.algorithm");
                r.hash = f.str("custom_password_hash.hash.value");
                if r.scheme.is_none() && f.problem.is_none() {
                    f.problem = Some("custom_password_hash has no algorithm".into());
                }
            } else {
                r.hash = plain;
            }
            r.problem = f.problem;
            r
        })
        .collect())
}

pub(super) fn to_json(u: &User, hash: Option<&str>) -> Value {
    let mut v = json!({
        "user_id": u.id,
        "email": u.email,
        "email_verified": u.email_verified.unwrap_or(false),
        "app_metadata": { "role": u.role() },
    });
    let o = v.as_object_mut().expect("an object");
    if let Some(name) = &u.name {
        o.insert("name".into(), json!(name));
    }
    if crate::password::is_disabled(&u.password_hash) {
        o.insert("blocked".into(), json!(true));
    }
    if let Some(h) = hash {
        o.insert("password_hash".into(), json!(h));
    }
    v
}
