//! Files a reader must see whole or not at all (node_exporter's textfile
//! collector): the checks made before connecting, and the atomic replace through
//! `tempfile` (temp file beside the target, fsync, rename, fsync the directory).

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use crate::error::Error;

/// Refuse a target that cannot be written as a file (a directory, or a file in a
/// missing directory) before anything else is done.
pub fn check_target(flag: &str, path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        return Err(Error::usage(format!("{flag} {} is a directory", path.display())).into());
    }
    let dir = parent_dir(path);
    if !dir.is_dir() {
        return Err(Error::usage(format!(
            "{flag}: directory {} does not exist",
            dir.display()
        ))
        .into());
    }
    Ok(())
}

/// Write `text` to `path` so a reader sees the old file or the new one, never a
/// part: a temp file in the same directory (a dot name ending `.tmp`, so
/// node_exporter, which reads only `*.prom`, ignores it), fsync, mode 0644 (the
/// collector often runs as another user), rename over `path`, fsync the directory.
/// The temp file is removed on failure.
pub fn write_atomic(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} names no file", path.display())))?;
    let write = || -> std::io::Result<()> {
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{}.", name.to_string_lossy()))
            .suffix(".tmp")
            .permissions(std::fs::Permissions::from_mode(0o644))
            .tempfile_in(dir)?;
        // The umask may have narrowed the mode.
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
        tmp.write_all(text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        std::fs::File::open(dir)?.sync_all()
    };
    write().map_err(|e| {
        anyhow::Error::new(e).context(format!("writing {} atomically", path.display()))
    })
}

/// The directory `path` is in (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_with_mode_0644_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.prom");
        std::fs::write(&path, "old\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
        assert_eq!(names_in(dir.path()), ["x.prom"]);
    }

    #[test]
    fn a_failed_rename_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty directory where the file should go: the rename fails.
        let path = dir.path().join("x.prom");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "").unwrap();
        let e = write_atomic(&path, "new\n").unwrap_err();
        assert!(format!("{e:#}").contains("atomically"), "{e:#}");
        assert_eq!(names_in(dir.path()), ["x.prom"]);
    }

    fn names_in(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn a_directory_or_a_missing_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_target("--textfile", dir.path()).is_err());
        assert!(check_target("--textfile", &dir.path().join("no/x.prom")).is_err());
        assert!(check_target("--textfile", &dir.path().join("x.prom")).is_ok());
    }
}
