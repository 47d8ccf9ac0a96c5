//! Repository automation: `cargo xtask test` runs the whole test suite, says plainly
//! which databases it ran on, then runs the end-to-end browser tests (`e2e/run.sh`) when
//! Chromium and Node.js are installed, saying plainly when it skips them; `cargo test -p
//! xtask` runs the tidy checks that keep the house style (every file opens with a `//!`
//! paragraph; no ignored or should-panic tests).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask test [-- cargo test arguments]");
            ExitCode::from(2)
        }
    }
}

/// Runs `cargo test --workspace`, telling whether the PostgreSQL half runs.
fn test(extra: &[String]) -> ExitCode {
    let pg = std::env::var("BLUELAMP_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let banner = match &pg {
        Some(url) => format!("Database tests run on SQLite and on PostgreSQL ({}).", redact(url)),
        None => "Database tests run on SQLite only: PostgreSQL SKIPPED (set BLUELAMP_TEST_DATABASE_URL=postgres://... to run them too).".to_string(),
    };
    println!("{banner}");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["test", "--workspace"])
        .args(extra)
        .status();
    println!("{banner}");
    match status {
        Ok(s) if s.success() && extra.is_empty() => end_to_end(),
        Ok(s) if s.success() => {
            println!(
                "End-to-end browser tests SKIPPED: cargo test arguments were given (run e2e/run.sh for them)."
            );
            ExitCode::SUCCESS
        }
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `e2e/run.sh` (pages in headless Chromium, checked with axe-core) when Chromium and
/// Node.js are installed; otherwise says plainly that they were skipped and why.
/// `BLUELAMP_E2E=skip` skips them too (`.ci/run` sets it and runs `e2e/run.sh` itself, which
/// installs what is missing).
fn end_to_end() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let chromium = std::env::var("CHROMIUM_BIN")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let why_not = if std::env::var("BLUELAMP_E2E").is_ok_and(|v| v == "skip") {
        Some("BLUELAMP_E2E=skip is set".to_string())
    } else if !Path::new(&chromium).is_file() {
        Some(format!(
            "no Chromium at {chromium} (apt-get install chromium, or run e2e/run.sh, which installs it)"
        ))
    } else if !node {
        Some("Node.js is not installed (node was not found)".to_string())
    } else {
        None
    };
    if let Some(why) = why_not {
        println!("End-to-end browser tests SKIPPED: {why}.");
        return ExitCode::SUCCESS;
    }
    println!("End-to-end browser tests: running e2e/run.sh (headless Chromium, axe-core).");
    match Command::new("bash").arg(root.join("e2e/run.sh")).status() {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => {
            eprintln!("End-to-end browser tests FAILED.");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot run e2e/run.sh: {e}");
            ExitCode::FAILURE
        }
    }
}

fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_string(),
    }
}

/// Every Rust source file in the repository, outside `target`.
#[cfg_attr(not(test), allow(dead_code))]
fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            if p.is_dir() {
                if name != "target" && name != "node_modules" && !name.starts_with('.') {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tidy {
    use super::*;

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// Files that are test modules of a parent (`#[cfg(test)] mod tests;`) are documented
    /// by their parent.
    fn is_test_module(p: &Path) -> bool {
        p.file_name().is_some_and(|n| n == "tests.rs")
    }

    #[test]
    fn every_file_says_what_it_owns() {
        let missing: Vec<String> = rust_files(&root())
            .into_iter()
            .filter(|p| !is_test_module(p))
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                !text.trim_start().starts_with("//!")
            })
            .map(|p| p.display().to_string())
            .collect();
        assert!(
            missing.is_empty(),
            "files without a //! paragraph: {missing:#?}"
        );
    }

    #[test]
    fn no_ignored_or_should_panic_tests() {
        let (ignore, should_panic) = (["#[", "ignore"].concat(), ["#[", "should_panic"].concat());
        let offenders: Vec<String> = rust_files(&root())
            .into_iter()
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                text.contains(&ignore) || text.contains(&should_panic)
            })
            .map(|p| p.display().to_string())
            .collect();
        assert!(
            offenders.is_empty(),
            "ignored or should_panic tests: {offenders:#?}"
        );
    }
}
