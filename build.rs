//! Embeds `migrations/<backend>/*/{up,down}.sql` into the binary as a sorted list.
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    println!("cargo:rerun-if-changed=migrations");
    let mut out = String::new();
    for (konst, dir) in [("POSTGRES", "postgres"), ("SQLITE", "sqlite")] {
        let base = root.join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&base)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", base.display()))
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        writeln!(out, "pub static {konst}: &[Migration] = &[").unwrap();
        for name in names {
            let up = base.join(&name).join("up.sql");
            let down = base.join(&name).join("down.sql");
            assert!(up.is_file(), "{} has no up.sql", name);
            assert!(down.is_file(), "{} has no down.sql", name);
            println!("cargo:rerun-if-changed={}", up.display());
            println!("cargo:rerun-if-changed={}", down.display());
            writeln!(
                out,
                "    Migration {{ name: {name:?}, up: include_str!({:?}), down: include_str!({:?}) }},",
                up.display().to_string(),
                down.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_migrations.rs");
    std::fs::write(dest, out).unwrap();
}
