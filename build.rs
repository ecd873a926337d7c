//! Embeds the migrations into the binary as sorted lists:
//! `migrations/<backend>/<name>/{up,down}.sql` (authctl's own, recorded in diesel's
//! ledger) and `migrations/<backend>/app/<version>/{up,down}.sql` (the application's
//! auth steps, recorded in the application's ledger `schema_migrations`).
use std::fmt::Write as _;
use std::path::Path;

fn embed(out: &mut String, konst: &str, base: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(base)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", base.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n != "app")
        .collect();
    names.sort();
    writeln!(out, "pub static {konst}: &[Migration] = &[").unwrap();
    for name in names {
        let up = base.join(&name).join("up.sql");
        let down = base.join(&name).join("down.sql");
        assert!(up.is_file(), "{name} has no up.sql");
        assert!(down.is_file(), "{name} has no down.sql");
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

fn main() {
    let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("migrations");
    println!("cargo:rerun-if-changed=migrations");
    let mut out = String::new();
    for (konst, dir) in [("POSTGRES", "postgres"), ("SQLITE", "sqlite")] {
        embed(&mut out, konst, &root.join(dir));
        embed(
            &mut out,
            &format!("{konst}_APP"),
            &root.join(dir).join("app"),
        );
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded_migrations.rs");
    std::fs::write(dest, out).unwrap();
}
