//! The one JSON writer of authctl: serde_json with a formatter that also escapes
//! what serde_json leaves raw but a terminal may act on (DEL, C1, bidi controls,
//! the line/paragraph separators), so the value stays exact and cannot steer a terminal.

use std::io::{self, Write};

use serde::Serialize;

use super::is_terminal_unsafe;

/// A serde_json formatter that writes every [`is_terminal_unsafe`] character of a
/// string as `\uXXXX` (serde_json escapes C0 itself; DEL, C1 such as CSI, bidi
/// controls and U+2028/U+2029 it would leave raw).
struct TerminalSafe<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_terminal_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Write `value` as JSON (indented when `pretty`) with every character that could
/// steer a terminal escaped (see [`TerminalSafe`]).
pub fn write_json<W: Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    let result = if pretty {
        let mut ser = serde_json::Serializer::with_formatter(
            writer,
            TerminalSafe(serde_json::ser::PrettyFormatter::new()),
        );
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(
            writer,
            TerminalSafe(serde_json::ser::CompactFormatter),
        );
        value.serialize(&mut ser)
    };
    // serde_json hands back the writer's own io::Error (its kind and OS code kept).
    result.map_err(io::Error::from)
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_escapes_c1_and_bidi_but_keeps_the_value() {
        let v = serde_json::json!({"ua": "a\u{9b}31m\u{202e}b\u{1b}c é"});
        let mut out = Vec::new();
        super::write_json(&mut out, &v, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#"{"ua":"a\u009b31m\u202eb\u001bc é"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
