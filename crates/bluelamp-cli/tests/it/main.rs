//! Integration tests of the `bluelamp` binary itself, run as a child process on SQLite and,
//! when `BLUELAMP_TEST_DATABASE_URL` is set, on PostgreSQL: migrate, user add, audit
//! verify and checkpoint, and that a `kill -9` of the server loses nothing it acknowledged.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};

use bluelamp_testkit::{Backend, PASSWORD, backends, fresh_database_url, i64_at, sql_at};

/// `synth`: a synthetic force, generated once and audited once.
mod synth;
/// `export` and `import`: the round trip, its audit and its refusals.
mod transfer;

/// Runs `bluelamp ARGS --database-url URL`, feeding `stdin`.
fn bluelamp(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bluelamp"))
        .args(args)
        .env("BLUELAMP_DATABASE_URL", url)
        .env("USER", "ops-test")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bluelamp: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("bluelamp did not finish: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

async fn each_backend<F, Fut>(scenario: F)
where
    F: Fn(Backend, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for b in backends() {
        let url = fresh_database_url(&b).await;
        scenario(b, url).await;
    }
}

/// The statements that let a tamperer edit the log behind the application's back.
fn disable_guards(backend: &Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;"
        }
        Backend::Postgres(_) => "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only;",
    }
}

#[tokio::test]
async fn migrate_configures_the_force_once_and_user_add_is_audited_with_the_os_user() {
    each_backend(|_, url| async move {
        let out = bluelamp(&url, &["migrate", "--force-name", "Testshire Police", "--force-code", "tst"], "");
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("Testshire Police (TST)"), "{}", text(&out));

        // Running it again only migrates; another force on the same database is refused.
        let again = bluelamp(&url, &["migrate"], "");
        assert!(again.status.success(), "{}", text(&again));
        assert!(text(&again).contains("Testshire Police (TST)"));
        let other = bluelamp(&url, &["migrate", "--force-name", "Elsewhere", "--force-code", "ELS"], "");
        assert!(!other.status.success());
        assert!(text(&other).contains("already serves Testshire Police"), "{}", text(&other));

        let add = bluelamp(
            &url,
            &["user", "add", "--username", "dc.jones", "--role", "investigator", "--role", "supervisor", "--team", "CID North", "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        assert!(add.status.success(), "{}", text(&add));
        assert!(text(&add).contains("investigator, supervisor"), "{}", text(&add));
        assert_eq!(
            i64_at(&url, "SELECT COUNT(*) FROM audit_event WHERE channel = 'cli' AND os_user = 'ops-test' AND operation = 'administration'").await,
            1
        );

        // Bad input names the field and adds nobody.
        let bad = bluelamp(&url, &["user", "add", "--username", "x", "--role", "sheriff", "--password-stdin"], "pw-long-enough-1\n");
        assert!(!bad.status.success());
        assert!(text(&bad).contains("roles"), "{}", text(&bad));
        assert_eq!(i64_at(&url, "SELECT COUNT(*) FROM app_user").await, 1);

        let empty = bluelamp(&url, &["user", "add", "--username", "y", "--role", "analyst", "--password-stdin"], "");
        assert!(!empty.status.success());
        assert!(text(&empty).contains("password"), "{}", text(&empty));
    })
    .await;
}

#[tokio::test]
async fn audit_verify_names_the_first_edited_or_deleted_entry() {
    each_backend(|backend, url| async move {
        for name in ["a.one", "a.two", "a.three"] {
            let add = bluelamp(
                &url,
                &[
                    "user",
                    "add",
                    "--username",
                    name,
                    "--role",
                    "analyst",
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            );
            assert!(add.status.success(), "{}", text(&add));
        }
        let ok = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
        assert!(text(&ok).contains("intact"));

        sql_at(&url, disable_guards(&backend)).await;
        sql_at(
            &url,
            "UPDATE audit_event SET username = 'nobody' WHERE seq = 2",
        )
        .await;
        let edited = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(edited.status.code(), Some(2), "{}", text(&edited));
        assert!(text(&edited).contains("entry 2"), "{}", text(&edited));

        sql_at(&url, "DELETE FROM audit_event WHERE seq = 2").await;
        let deleted = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(deleted.status.code(), Some(2), "{}", text(&deleted));
        assert!(text(&deleted).contains("entry 2"), "{}", text(&deleted));
    })
    .await;
}

#[tokio::test]
async fn a_checkpoint_kept_elsewhere_catches_truncation_of_the_newest_entries() {
    each_backend(|backend, url| async move {
        let add = |name: &str| bluelamp(&url, &["user", "add", "--username", name, "--role", "analyst", "--password-stdin"], &format!("{PASSWORD}\n"));
        assert!(add("b.one").status.success());
        assert!(add("b.two").status.success());
        let cp = std::env::temp_dir().join(format!("bluelamp-checkpoint-{}.json", uuid_like()));
        let cp_arg = cp.display().to_string();
        let written = bluelamp(&url, &["audit", "checkpoint", "--out", &cp_arg], "");
        assert!(written.status.success(), "{}", text(&written));
        assert!(add("b.three").status.success());

        let intact = bluelamp(&url, &["audit", "verify", "--checkpoint", &cp_arg], "");
        assert_eq!(intact.status.code(), Some(0), "{}", text(&intact));

        // Deleting the newest entries leaves a chain that verifies on its own ...
        sql_at(&url, disable_guards(&backend)).await;
        let newest = i64_at(&url, "SELECT MAX(seq) FROM audit_event").await;
        sql_at(&url, &format!("DELETE FROM audit_event WHERE seq >= {}", newest - 1)).await;
        sql_at(&url, &format!("UPDATE audit_head SET seq = {}, hash = (SELECT hash FROM audit_event WHERE seq = {})", newest - 2, newest - 2)).await;
        let alone = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(alone.status.code(), Some(0), "{}", text(&alone));
        // ... but not against the checkpoint.
        let truncated = bluelamp(&url, &["audit", "verify", "--checkpoint", &cp_arg], "");
        assert_eq!(truncated.status.code(), Some(2), "{}", text(&truncated));
        assert!(text(&truncated).contains("checkpoint"), "{}", text(&truncated));
        let _ = std::fs::remove_file(&cp);
    })
    .await;
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    )
}

/// One HTTP/1.1 request on a fresh connection; answers the status and body.
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes())
        .unwrap_or_else(|e| panic!("write: {e}"));
    let mut resp = String::new();
    s.read_to_string(&mut resp)
        .unwrap_or_else(|e| panic!("read: {e}"));
    let status = resp.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = resp
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Starts `bluelamp serve` on a free port, answering the child and its address.
fn serve(url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bluelamp"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("BLUELAMP_DATABASE_URL", url)
        .env("BLUELAMP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run bluelamp serve: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("serve said nothing: {e}"));
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "unexpected banner: {line}");
    (child, addr)
}

#[tokio::test]
async fn a_killed_server_loses_nothing_it_acknowledged() {
    each_backend(|_, url| async move {
        let add = bluelamp(
            &url,
            &[
                "user",
                "add",
                "--username",
                "pc.kill",
                "--role",
                "call_handler",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert!(add.status.success(), "{}", text(&add));
        let (mut server, addr) = serve(&url);
        let (status, body) = http(
            &addr,
            "POST",
            "/api/v1/tokens",
            None,
            &format!(r#"{{"username":"pc.kill","password":"{PASSWORD}"}}"#),
        );
        assert_eq!(status, 201, "{body}");
        let token = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["token"].as_str().map(str::to_string))
            .unwrap_or_default();

        let mut acknowledged = Vec::new();
        for i in 0..25 {
            let (status, body) = http(
                &addr,
                "POST",
                "/api/v1/persons",
                Some(&token),
                &format!(
                    r#"{{"forenames":"Durable","surname":"Person{i}","date_of_birth":"1980"}}"#
                ),
            );
            assert_eq!(status, 201, "{body}");
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_string))
                .unwrap_or_default();
            acknowledged.push(id);
        }
        // SIGKILL: no graceful shutdown, no chance to flush anything not already durable.
        server.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = server.wait();

        assert_eq!(
            i64_at(
                &url,
                "SELECT COUNT(*) FROM person WHERE forenames = 'Durable'"
            )
            .await,
            25
        );
        let (mut again, addr) = serve(&url);
        for id in &acknowledged {
            let (status, body) = http(
                &addr,
                "GET",
                &format!("/api/v1/persons/{id}"),
                Some(&token),
                "",
            );
            assert_eq!(status, 200, "{id}: {body}");
        }
        again.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = again.wait();
        let verify = bluelamp(&url, &["audit", "verify"], "");
        assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    })
    .await;
}
