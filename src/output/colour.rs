//! Colour: the `--color` choice, the `NO_COLOR` rule, and the few styles authctl
//! paints with (anstyle); [`stderr`] is an anstream stream that passes those
//! styles through or strips them.

use std::io;

use anstyle::{AnsiColor, Style};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour a stream only when it is a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    /// Always colour (even into a pipe or file).
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour a stream: `always` and `never` are what they say; `auto`
/// colours only a terminal, and never when `NO_COLOR` is set to a non-empty value
/// (<https://no-color.org>). (anstream's own `auto` also reads `CLICOLOR`,
/// `CLICOLOR_FORCE` and `TERM`, which docs/commands.md does not promise.)
pub fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Table headers.
pub const BOLD: Style = Style::new().bold();
/// Refused states, the `error:` prefix.
pub const RED: Style = AnsiColor::Red.on_default();
/// Usable states.
pub const GREEN: Style = AnsiColor::Green.on_default();
/// Lapsed states, the `warning:` prefix.
pub const YELLOW: Style = AnsiColor::Yellow.on_default();

/// `text` in `style` (then a reset) when `on`; plain otherwise.
pub fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_owned()
    }
}

/// stderr as an anstream stream: styles written to it reach the terminal when
/// `color`, and are stripped otherwise.
pub fn stderr(color: bool) -> anstream::AutoStream<io::Stderr> {
    let choice = if color {
        anstream::ColorChoice::AlwaysAnsi
    } else {
        anstream::ColorChoice::Never
    };
    anstream::AutoStream::new(io::stderr(), choice)
}

/// The prefix of an error line on stderr (`authctl: error:`), red when `color`.
pub fn error_prefix(color: bool) -> String {
    format!("authctl: {}", paint(color, RED, "error:"))
}

/// Table columns whose values are states, coloured by [`state_color`].
pub(crate) const STATE_COLUMNS: &[&str] = &["STATE", "STATUS", "RESULT"];

/// The colour of a state value: usable green, refused red, lapsed yellow (as a
/// style for the streamed table, as a comfy-table colour for the boxed one).
pub(crate) fn state_color(value: &str) -> Option<(Style, comfy_table::Color)> {
    use comfy_table::Color;
    match value {
        "active" | "success" | "allowed" => Some((GREEN, Color::Green)),
        "revoked" | "disabled" | "FAILED" | "blocked" => Some((RED, Color::Red)),
        "expired" => Some((YELLOW, Color::Yellow)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The escape sequences are those authctl always wrote (tests and scripts
    /// match them): SGR 1, 31, 32, 33 and the reset SGR 0.
    #[test]
    fn styles_render_the_same_sequences() {
        assert_eq!(paint(true, BOLD, "H"), "\x1b[1mH\x1b[0m");
        assert_eq!(paint(true, RED, "e"), "\x1b[31me\x1b[0m");
        assert_eq!(paint(true, GREEN, "a"), "\x1b[32ma\x1b[0m");
        assert_eq!(paint(true, YELLOW, "w"), "\x1b[33mw\x1b[0m");
        assert_eq!(paint(false, RED, "e"), "e");
        assert_eq!(error_prefix(true), "authctl: \x1b[31merror:\x1b[0m");
        assert_eq!(error_prefix(false), "authctl: error:");
    }

    #[test]
    fn always_and_never_ignore_the_terminal() {
        assert!(use_color(ColorChoice::Always, false));
        assert!(!use_color(ColorChoice::Never, true));
        assert!(!use_color(ColorChoice::Auto, false));
    }
}
