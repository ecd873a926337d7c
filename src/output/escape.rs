//! Terminal-safe text: the one set of characters that could steer a terminal
//! ([`is_terminal_unsafe`]) and the escaping every table, CSV cell and message goes
//! through before it is printed.

use std::borrow::Cow;

/// Whether a character could change what a terminal shows or how it lays text
/// out: control characters (C0 including ESC, DEL, C1 including CSI U+009B),
/// Unicode bidirectional controls (LRM, RLM, ALM U+061C, the embeddings and
/// overrides U+202A–U+202E, the isolates U+2066–U+2069) and the line and
/// paragraph separators U+2028/U+2029. The one set of authctl: tables, CSV,
/// messages and JSON ([`super::write_json`]) escape exactly these.
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every [`is_terminal_unsafe`] character written as a Rust escape
/// (`\u{1b}`, `\u{202e}`); everything else unchanged. Escaping twice changes
/// nothing more (an escape is plain ASCII), so a value escaped by its command
/// and again where it is printed reads the same.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape_unless(s, |_| false)
}

/// [`terminal_safe`] for a message of several lines: line feeds and tabs are kept,
/// every other unsafe character is escaped. What every message on stderr goes
/// through where it is printed (errors, warnings, notes).
pub fn terminal_safe_text(s: &str) -> Cow<'_, str> {
    escape_unless(s, |c| c == '\n' || c == '\t')
}

fn escape_unless(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let unsafe_here = |c: char| is_terminal_unsafe(c) && !keep(c);
    if !s.chars().any(unsafe_here) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_here(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The set covers ALM U+061C, U+2028, U+2029, CSI, bidi overrides and
    /// isolates, ESC; ordinary letters of any script pass unchanged.
    #[test]
    fn the_unsafe_set_is_escaped_once() {
        for c in [
            '\u{61c}', '\u{2028}', '\u{2029}', '\u{9b}', '\u{202e}', '\u{2067}', '\u{1b}',
        ] {
            assert!(is_terminal_unsafe(c), "{c:?}");
            assert!(!terminal_safe(&format!("x{c}y")).contains(c), "{c:?}");
        }
        assert_eq!(terminal_safe("Zoë ناصر"), "Zoë ناصر");
        assert_eq!(terminal_safe_text("a\n\tb\u{1b}"), "a\n\tb\\u{1b}");
        assert_eq!(
            terminal_safe(&terminal_safe("\u{202e}")),
            "\\u{202e}",
            "escaping twice changes nothing more"
        );
    }
}
