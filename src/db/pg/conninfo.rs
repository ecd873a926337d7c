//! The libpq FFI authctl needs beyond Diesel: libpq's own connection-string parser
//! (`PQconninfoParse`) and its defaults from this process's `PG*` variables
//! (`PQconndefaults`), plus the values libpq would refuse only when connecting.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;

/// Copy the (keyword, value) pairs with a value out of a libpq option array, then
/// free the array.
///
/// # Safety
/// `ptr` must be a non-NULL array returned by `PQconninfoParse` or
/// `PQconndefaults`, not yet freed; it is freed here and must not be used after.
unsafe fn take_options(ptr: *mut pq_sys::PQconninfoOption) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut p = ptr;
    // SAFETY: per the contract above, `ptr` is a libpq option array, terminated by
    // an entry with a NULL keyword; every non-NULL keyword and value is a NUL-
    // terminated string owned by the array, copied out before the array is freed
    // exactly once with libpq's own deallocator.
    unsafe {
        while !(*p).keyword.is_null() {
            if !(*p).val.is_null() {
                out.push((
                    CStr::from_ptr((*p).keyword).to_string_lossy().into_owned(),
                    CStr::from_ptr((*p).val).to_string_lossy().into_owned(),
                ));
            }
            p = p.add(1);
        }
        pq_sys::PQconninfoFree(ptr);
    }
    out
}

/// `PQconninfoParse`: the options a connection string sets (keyword, value), or
/// libpq's error (e.g. `invalid URI query parameter: "sslmod"`).
pub fn parse(conninfo: &str) -> Result<Vec<(String, String)>, String> {
    let c = CString::new(conninfo).map_err(|_| "it contains a NUL byte".to_owned())?;
    let mut err: *mut c_char = std::ptr::null_mut();
    // SAFETY: `c` is a NUL-terminated string that outlives the call, and `err` a
    // valid place for libpq to store an error message pointer.
    let ptr = unsafe { pq_sys::PQconninfoParse(c.as_ptr(), &mut err) };
    if !ptr.is_null() {
        // SAFETY: a non-NULL array just returned by PQconninfoParse, used nowhere else.
        return Ok(unsafe { take_options(ptr) });
    }
    if err.is_null() {
        return Err("libpq could not parse it (out of memory)".to_owned());
    }
    // SAFETY: on failure libpq set `err` to a NUL-terminated message it allocated;
    // it is copied, then freed once with libpq's deallocator and not used again.
    let message = unsafe {
        let m = CStr::from_ptr(err).to_string_lossy().trim().to_owned();
        pq_sys::PQfreemem(err.cast());
        m
    };
    Err(message)
}

/// `PQconndefaults`: the values libpq uses when the connection string sets none
/// (from `PGPASSWORD`, `PGSSLMODE`, `PGPASSFILE`, `PGSSLCERT` … of this process).
pub fn defaults() -> Vec<(String, String)> {
    // SAFETY: PQconndefaults takes no arguments; it returns a new array or NULL.
    let ptr = unsafe { pq_sys::PQconndefaults() };
    if ptr.is_null() {
        return Vec::new();
    }
    // SAFETY: a non-NULL array just returned by PQconndefaults, used nowhere else.
    unsafe { take_options(ptr) }
}

/// The keywords whose values are secrets: `password` and `sslpassword`, and every
/// other option this libpq marks as a password field (`dispchar` `"*"` in
/// `PQconndefaults`), asked once. Their values are never shown.
pub fn secret_keywords() -> &'static [String] {
    static KEYWORDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYWORDS.get_or_init(|| {
        let mut out = vec!["password".to_owned(), "sslpassword".to_owned()];
        // SAFETY: PQconndefaults takes no arguments; it returns a new array or NULL.
        let ptr = unsafe { pq_sys::PQconndefaults() };
        if ptr.is_null() {
            return out;
        }
        // SAFETY: a non-NULL option array just returned by PQconndefaults, terminated
        // by an entry with a NULL keyword; keyword and dispchar are NUL-terminated
        // strings owned by the array, copied before it is freed once here.
        unsafe {
            let mut p = ptr;
            while !(*p).keyword.is_null() {
                if !(*p).dispchar.is_null() && CStr::from_ptr((*p).dispchar).to_bytes() == b"*" {
                    let k = CStr::from_ptr((*p).keyword).to_string_lossy().into_owned();
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
                p = p.add(1);
            }
            pq_sys::PQconninfoFree(ptr);
        }
        out
    })
}

/// libpq's complaint about a value it would refuse when connecting, if any.
pub fn invalid_value(key: &str, value: &str) -> Option<String> {
    let choices: &[&str] = match key {
        "sslmode" => &[
            "disable",
            "allow",
            "prefer",
            "require",
            "verify-ca",
            "verify-full",
        ],
        "gssencmode" => &["disable", "prefer", "require"],
        "channel_binding" => &["disable", "prefer", "require"],
        "target_session_attrs" => &[
            "any",
            "read-write",
            "read-only",
            "primary",
            "standby",
            "prefer-standby",
        ],
        "load_balance_hosts" => &["disable", "random"],
        "sslnegotiation" => &["postgres", "direct"],
        "sslcertmode" => &["disable", "allow", "require"],
        "connect_timeout"
        | "keepalives"
        | "keepalives_idle"
        | "keepalives_interval"
        | "keepalives_count"
        | "tcp_user_timeout" => {
            return value
                .trim()
                .parse::<i32>()
                .is_err()
                .then(|| format!("invalid integer value {value:?} for {key}"));
        }
        "port" => {
            return value
                .split(',')
                .any(|p| !p.is_empty() && !matches!(p.trim().parse::<u16>(), Ok(1..)))
                .then(|| format!("invalid port number {value:?}"));
        }
        _ => return None,
    };
    (!choices.contains(&value)).then(|| {
        format!(
            "invalid {key} value {} (expected {})",
            crate::email::printable(value),
            choices.join(", ")
        )
    })
}
