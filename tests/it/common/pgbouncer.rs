//! A real PgBouncer (Debian package `pgbouncer`) in front of the test PostgreSQL
//! server, started per test with a configuration written here, on a free loopback
//! port, and stopped when dropped.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// PgBouncer's pool modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    Session,
    Transaction,
}

impl PoolMode {
    fn as_str(self) -> &'static str {
        match self {
            PoolMode::Session => "session",
            PoolMode::Transaction => "transaction",
        }
    }
}

/// A running PgBouncer.
pub struct PgBouncer {
    pub port: u16,
    pub mode: PoolMode,
    child: Child,
    dir: tempfile::TempDir,
}

fn binary() -> Option<PathBuf> {
    ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

impl PgBouncer {
    /// Start PgBouncer in `mode` in front of the server of `AUTHCTL_TEST_POSTGRES_URL`.
    /// `None` (test skipped) when PostgreSQL tests are skipped; when they are required
    /// (`AUTHCTL_TEST_REQUIRE_POSTGRES=1`) a missing PgBouncer fails the test.
    pub fn start(mode: PoolMode) -> Option<PgBouncer> {
        Self::start_with(mode, &[])
    }

    /// [`PgBouncer::start`] with some `[pgbouncer]` settings changed or added
    /// (`("default_pool_size", "1")`).
    pub fn start_with(mode: PoolMode, settings: &[(&str, &str)]) -> Option<PgBouncer> {
        let admin = super::pg_admin_url()?;
        let Some(bin) = binary() else {
            if std::env::var("AUTHCTL_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!(
                    "pgbouncer is not installed (apt-get install pgbouncer); .ci/run installs it"
                );
            }
            eprintln!("NOTE: pgbouncer is not installed: PgBouncer tests are SKIPPED");
            return None;
        };
        let url = url::Url::parse(&admin).expect("AUTHCTL_TEST_POSTGRES_URL is a URL");
        let host = url.host_str().unwrap_or("127.0.0.1").to_owned();
        let server_port = url.port().unwrap_or(5432);
        let user = if url.username().is_empty() {
            "postgres".to_owned()
        } else {
            url.username().to_owned()
        };
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .expect("free port")
                .port();
            let dir = tempfile::tempdir().expect("tempdir");
            let d = dir.path();
            let ini = d.join("pgbouncer.ini");
            let users = d.join("users.txt");
            std::fs::write(&users, format!("\"{user}\" \"\"\n")).unwrap();
            let mut config: Vec<(String, String)> = [
                ("listen_addr", "127.0.0.1".to_owned()),
                ("listen_port", port.to_string()),
                ("unix_socket_dir", String::new()),
                ("auth_type", "trust".into()),
                ("auth_file", users.display().to_string()),
                ("pool_mode", mode.as_str().into()),
                ("default_pool_size", "10".into()),
                ("max_client_conn", "200".into()),
                ("server_reset_query", "DISCARD ALL".into()),
                ("ignore_startup_parameters", "extra_float_digits".into()),
                ("logfile", d.join("pgbouncer.log").display().to_string()),
                ("pidfile", d.join("pgbouncer.pid").display().to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            for (key, value) in settings {
                match config.iter_mut().find(|(k, _)| k == key) {
                    Some(entry) => entry.1 = (*value).to_owned(),
                    None => config.push(((*key).to_owned(), (*value).to_owned())),
                }
            }
            let mut f = std::fs::File::create(&ini).unwrap();
            writeln!(
                f,
                "[databases]\n* = host={host} port={server_port}\n[pgbouncer]"
            )
            .unwrap();
            for (key, value) in &config {
                writeln!(f, "{key} = {value}").unwrap();
            }
            drop(f);
            let mut cmd;
            // PgBouncer refuses to run as root: drop to the postgres user.
            if unsafe { libc::geteuid() } == 0 {
                let status = Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(d)
                    .status()
                    .expect("chown");
                assert!(status.success());
                cmd = Command::new("setpriv");
                cmd.args([
                    "--reuid=postgres",
                    "--regid=postgres",
                    "--init-groups",
                    "--",
                ])
                .arg(&bin);
            } else {
                cmd = Command::new(&bin);
            }
            let child = cmd
                .arg(&ini)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start pgbouncer");
            let mut b = PgBouncer {
                port,
                mode,
                child,
                dir,
            };
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = b.child.try_wait() {
                    break; // port taken meanwhile, or a bad config: retry
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return Some(b);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            eprintln!("pgbouncer did not start on port {port}:\n{}", b.log());
        }
        panic!("pgbouncer did not start");
    }

    /// A URL for `db` through this PgBouncer.
    pub fn url(&self, db: &str) -> String {
        let admin = super::pg_admin_url().expect("postgres url");
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.port)).unwrap();
        url.set_path(&format!("/{db}"));
        url.to_string()
    }

    /// PgBouncer's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pgbouncer.log")).unwrap_or_default()
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
