//! Where a password comes from — never argv: a hidden prompt, the first line of
//! stdin, the first line of a file, a named environment variable, or generated.

use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::config::Environment;
use crate::error::{Error, ExitCode};

/// A password held in memory that is wiped on drop and never printed by `Debug`.
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(s: String) -> Self {
        Secret(Zeroizing::new(s))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The chosen password source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// Hidden interactive prompt with confirmation (needs a terminal).
    Prompt,
    /// First line of standard input, newline stripped.
    Stdin,
    /// First line of a file, newline stripped.
    File(PathBuf),
    /// The value of a named environment variable (or `.env` entry).
    Env(String),
    /// A random password, printed once.
    Generate,
}

impl PasswordSource {
    /// Pick exactly one source from the flags; with none, prompt when stdin is a
    /// terminal, else it is a usage error with a hint.
    pub fn choose(
        stdin: bool,
        file: Option<&Path>,
        env: Option<&str>,
        generate: bool,
    ) -> Result<Self, Error> {
        let mut chosen = Vec::new();
        if stdin {
            chosen.push(PasswordSource::Stdin);
        }
        if let Some(f) = file {
            chosen.push(PasswordSource::File(f.to_path_buf()));
        }
        if let Some(v) = env {
            chosen.push(PasswordSource::Env(v.to_owned()));
        }
        if generate {
            chosen.push(PasswordSource::Generate);
        }
        match chosen.len() {
            0 if std::io::stdin().is_terminal() => Ok(PasswordSource::Prompt),
            0 => Err(Error::usage(
                "no password source and no terminal to prompt on: use --password-stdin, \
                 --password-file PATH, --password-env VAR or --generate-password",
            )),
            1 => Ok(chosen.remove(0)),
            _ => Err(Error::usage(
                "give only one of --password-stdin, --password-file, --password-env, --generate-password",
            )),
        }
    }

    /// Read the password. Non-UTF-8 input is rejected (a data error) rather than
    /// altered: the exact UTF-8 bytes are what gets hashed.
    pub fn read(&self, env: &Environment) -> Result<Secret, Error> {
        match self {
            PasswordSource::Prompt => prompt_checked(|_| Ok(())),
            PasswordSource::Stdin => {
                if std::io::stdin().is_terminal() {
                    return Err(Error::usage(
                        "--password-stdin reads a piped password, but stdin is a terminal (typing it would echo it): \
                         pipe it in (`… --password-stdin < file`), or leave out --password-stdin to be asked \
                         with a hidden prompt",
                    ));
                }
                let mut buf = Zeroizing::new(Vec::new());
                std::io::stdin()
                    .lock()
                    .take(MAX_INPUT_BYTES as u64 + 1)
                    .read_until(b'\n', &mut buf)
                    .map_err(|e| {
                        Error::data(format!("cannot read the password from stdin: {e}"))
                    })?;
                if buf.is_empty() {
                    return Err(Error::data("no password on stdin (it was empty)"));
                }
                first_line(&buf, "stdin")
            }
            PasswordSource::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| {
                    Error::new(
                        ExitCode::NoInput,
                        format!("cannot read password file {}: {e}", path.display()),
                    )
                })?;
                let mut buf = Zeroizing::new(Vec::new());
                file.take(MAX_INPUT_BYTES as u64 + 1)
                    .read_to_end(&mut buf)
                    .map_err(|e| {
                        Error::new(
                            ExitCode::NoInput,
                            format!("cannot read password file {}: {e}", path.display()),
                        )
                    })?;
                first_line(&buf, &format!("password file {}", path.display()))
            }
            PasswordSource::Env(var) => {
                // The name is echoed only when it looks like a conventional
                // variable name: a password passed by mistake as the name must not
                // reach an error message (or cron's mail).
                let shown = if var
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    && var.bytes().next().is_some_and(|b| !b.is_ascii_digit())
                {
                    var.clone()
                } else {
                    "named by --password-env (not shown: it does not look like a variable name — was the password itself given?)".into()
                };
                // Every copy of the value is a Secret, wiped when dropped.
                let value = match std::env::var_os(var) {
                    Some(v) => Secret::new(v.into_string().map_err(|_| {
                        Error::data(format!("environment variable {shown} is not valid UTF-8"))
                    })?),
                    None => env.secret(var).map(|v| v.value).ok_or_else(|| {
                        Error::usage(format!("environment variable {shown} is not set"))
                    })?,
                };
                // One rule for every source: the first line, its line end removed
                // (a Kubernetes secret mounted as a variable often ends in one).
                first_line(
                    value.expose().as_bytes(),
                    &format!("environment variable {shown}"),
                )
            }
            PasswordSource::Generate => Ok(Secret::new(generate_password())),
        }
    }
}

/// How many times the prompt asks for a password — typed the same twice and
/// accepted by the policy — before the command gives up (with the last reason,
/// exit 65).
pub const PROMPT_ATTEMPTS: usize = 3;

impl PasswordSource {
    /// [`read`](Self::read), then `check` the password (policy, hashability). At
    /// the prompt a refused password is asked again — the reason shown on the
    /// terminal — up to [`PROMPT_ATTEMPTS`] times; every other source is read and
    /// checked once.
    pub fn read_checked(
        &self,
        env: &Environment,
        check: impl Fn(&Secret) -> Result<(), Error>,
    ) -> Result<Secret, Error> {
        if *self != PasswordSource::Prompt {
            let secret = self.read(env)?;
            check(&secret)?;
            return Ok(secret);
        }
        prompt_checked(check)
    }
}

/// The hidden prompt, typed twice, then `check`ed: a mismatch and a refusal are
/// both failed attempts, each shown with its reason; after [`PROMPT_ATTEMPTS`] the
/// last reason ends the command (a mismatch: 65, bad data, as a refusal).
fn prompt_checked(check: impl Fn(&Secret) -> Result<(), Error>) -> Result<Secret, Error> {
    let tty = prompt_terminal()?;
    let mut attempt = 1;
    loop {
        let refused = match tty.password().map_err(prompt_error)? {
            Some(pw) => {
                let secret = Secret::new(pw);
                match check(&secret) {
                    Ok(()) => return Ok(secret),
                    Err(e) => e,
                }
            }
            None => Error::data("the passwords do not match"),
        };
        if attempt >= PROMPT_ATTEMPTS {
            return Err(Error::new(
                refused.kind,
                format!("{} (after {PROMPT_ATTEMPTS} attempts)", refused.message),
            ));
        }
        tty.say(&format!(
            "{}; try again ({} of {PROMPT_ATTEMPTS} attempts left)",
            refused.message,
            PROMPT_ATTEMPTS - attempt
        ));
        attempt += 1;
    }
}

/// The terminal for the password prompt (see [`crate::output::prompt`]).
fn prompt_terminal() -> Result<crate::output::prompt::PromptTerm, Error> {
    crate::output::prompt::terminal().ok_or_else(|| {
        Error::usage(
            "no terminal to prompt on for the password: use --password-stdin, --password-file PATH, \
             --password-env VAR or --generate-password",
        )
    })
}

fn prompt_error(e: std::io::Error) -> Error {
    Error::usage(format!("cannot read the password from the terminal: {e}"))
}

/// The most bytes read from a password source: the policy's longest password
/// (1024 characters of up to 4 bytes) plus a line end. Reading stops there, so an
/// endless source (`/dev/zero`) is refused instead of filling memory.
pub const MAX_INPUT_BYTES: usize = 1024 * 4 + 2;

/// The first line of `bytes` with its `\n` / `\r\n` removed, as UTF-8.
fn first_line(bytes: &[u8], what: &str) -> Result<Secret, Error> {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    if end > MAX_INPUT_BYTES - 2 {
        return Err(Error::data(format!(
            "the password from {what} is longer than {} bytes (the longest password accepted is 1024 characters)",
            MAX_INPUT_BYTES - 2
        )));
    }
    let mut line = &bytes[..end];
    if line.last() == Some(&b'\r') {
        line = &line[..line.len() - 1];
    }
    let s = std::str::from_utf8(line)
        .map_err(|_| Error::data(format!("the password from {what} is not valid UTF-8")))?;
    Ok(Secret::new(s.to_owned()))
}

/// Characters of generated passwords: letters and digits without look-alikes.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
/// Length of generated passwords (24 × log2(57) ≈ 140 bits).
pub const GENERATED_LEN: usize = 24;

/// A random password from the OS CSPRNG, without modulo bias.
pub fn generate_password() -> String {
    let mut out = String::with_capacity(GENERATED_LEN);
    let limit = 256 - (256 % ALPHABET.len());
    while out.len() < GENERATED_LEN {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
        for b in buf {
            if (b as usize) < limit && out.len() < GENERATED_LEN {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_rules() {
        assert_eq!(first_line(b"abc\nrest", "x").unwrap().expose(), "abc");
        assert_eq!(first_line(b"abc\r\n", "x").unwrap().expose(), "abc");
        assert_eq!(
            first_line(b"  spaced  \n", "x").unwrap().expose(),
            "  spaced  "
        );
        assert_eq!(
            first_line(b"no newline", "x").unwrap().expose(),
            "no newline"
        );
        assert!(first_line(b"\xff\xfe\n", "x").is_err());
    }

    #[test]
    fn generated_passwords() {
        let a = generate_password();
        assert_eq!(a.chars().count(), GENERATED_LEN);
        assert!(a.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(a, generate_password());
        assert_eq!(format!("{:?}", Secret::new(a)), "Secret(***)");
    }
}
