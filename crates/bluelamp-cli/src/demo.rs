//! The demo's users: one per role, created on the first run with random passwords that are
//! kept beside the demo database and printed on every run.

use std::path::Path;

use anyhow::Context;
use bluelamp_app::user::UserInput;
use bluelamp_app::{App, Ctx};
use bluelamp_domain::access::Role;
use rand::Rng;
use rand::distr::Alphanumeric;

/// The file in the demo's data directory that keeps the demo users' passwords.
pub const USERS_FILE: &str = "demo-users.txt";

/// The demo partner's agency.
const PARTNER_AGENCY: &str = "Leicester IDVA Service";

/// The demo users with their passwords, creating them on the first run.
///
/// # Errors
/// The file cannot be read or written, or a user cannot be added.
pub async fn users(app: &App, data: &Path, os_user: &str) -> anyhow::Result<Vec<(String, String)>> {
    let path = data.join(USERS_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return Ok(text
            .lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(u, p)| (u.to_string(), p.to_string()))
            .collect());
    }
    let ctx = Ctx::operator(os_user);
    let mut made = Vec::new();
    for role in Role::ALL {
        let username = format!("demo.{}", role.as_str().replace('_', "-"));
        let password: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(16)
            .map(char::from)
            .collect();
        let input = UserInput {
            username: username.clone(),
            display_name: Some(format!("Demo {}", role.as_str().replace('_', " "))),
            password: Some(password.clone()),
            roles: vec![role.as_str().to_string()],
            teams: vec![],
            areas: vec![],
            agency: (*role == Role::Partner).then(|| PARTNER_AGENCY.to_string()),
        };
        app.add_user(&ctx, &input).await.map_err(|e| {
            anyhow::anyhow!(
                "cannot add demo user {username}: {e} (if {} was lost, remove {} and start again)",
                path.display(),
                data.display()
            )
        })?;
        made.push((username, password));
    }
    let text: String = made.iter().map(|(u, p)| format!("{u} {p}\n")).collect();
    write_private(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(made)
}

/// Writes a file only its owner can read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}
