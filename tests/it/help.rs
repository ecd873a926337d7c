//! `--help` of every command and subcommand, compared with its snapshot in
//! `tests/it/snapshots/help/` so a changed flag or text is a visible diff. The
//! commands come from the clap definition, so a new subcommand is covered at once;
//! `AUTHCTL_UPDATE_SNAPSHOTS=1` rewrites the snapshots from the built binary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::common;

/// The terminal width the help is wrapped at.
const COLUMNS: &str = "100";

/// Every command path under `cmd`: `[]` for authctl itself, `["users", "list"]`, …
fn command_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    out.push(prefix.to_vec());
    for sub in cmd.get_subcommands() {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_owned());
        command_paths(sub, &path, out);
    }
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots/help")
}

/// `authctl.users.list.txt` for `["users", "list"]`.
fn snapshot_name(path: &[String]) -> String {
    let mut name = String::from("authctl");
    for part in path {
        name.push('.');
        name.push_str(part);
    }
    name + ".txt"
}

#[test]
fn help_of_every_command_matches_its_snapshot() {
    let mut paths = Vec::new();
    command_paths(&authctl::cli::Cli::command(), &[], &mut paths);
    assert!(paths.len() > 20, "too few commands found: {paths:?}");
    let update = std::env::var("AUTHCTL_UPDATE_SNAPSHOTS").as_deref() == Ok("1");
    let dir = snapshot_dir();
    if update {
        std::fs::create_dir_all(&dir).expect("create the snapshot directory");
    }
    let mut differ = Vec::new();
    let mut expected_files = BTreeSet::new();
    for path in &paths {
        let r = common::run(
            common::authctl()
                .env("COLUMNS", COLUMNS)
                .args(path)
                .arg("--help"),
        );
        assert_eq!(r.code, 0, "authctl {} --help\n{r}", path.join(" "));
        assert_eq!(r.stderr, "", "authctl {} --help\n{r}", path.join(" "));
        let name = snapshot_name(path);
        let file = dir.join(&name);
        expected_files.insert(name);
        if update {
            std::fs::write(&file, &r.stdout).expect("write the snapshot");
            continue;
        }
        let stored = std::fs::read_to_string(&file).unwrap_or_default();
        if stored != r.stdout {
            differ.push(format!(
                "authctl {} --help differs from {}:\n{}",
                path.join(" "),
                file.display(),
                line_diff(&stored, &r.stdout)
            ));
        }
    }
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the snapshot directory")
        .map(|e| {
            e.expect("read_dir")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| !expected_files.contains(name))
        .collect();
    if update {
        for name in &stale {
            std::fs::remove_file(dir.join(name)).expect("remove a stale snapshot");
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "snapshots of commands that no longer exist: {stale:?} \
         (AUTHCTL_UPDATE_SNAPSHOTS=1 removes them)"
    );
    assert!(
        differ.is_empty(),
        "{}\n\n{} help text(s) changed; if intended, rerun with AUTHCTL_UPDATE_SNAPSHOTS=1 \
         and review the diff of tests/it/snapshots/help/",
        differ.join("\n\n"),
        differ.len()
    );
}

/// The lines only in `old` (`-`) and only in `new` (`+`), in order: enough to see
/// what changed without a diff library.
fn line_diff(old: &str, new: &str) -> String {
    let old_lines: BTreeSet<&str> = old.lines().collect();
    let new_lines: BTreeSet<&str> = new.lines().collect();
    let mut out = String::new();
    for l in old.lines().filter(|l| !new_lines.contains(l)) {
        out.push_str(&format!("- {l}\n"));
    }
    for l in new.lines().filter(|l| !old_lines.contains(l)) {
        out.push_str(&format!("+ {l}\n"));
    }
    if old.is_empty() {
        out.insert_str(0, "(no snapshot yet)\n");
    }
    out
}
