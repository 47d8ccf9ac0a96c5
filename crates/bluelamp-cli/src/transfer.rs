//! `bluelamp export` and `bluelamp import`: the force's whole data out to files and back
//! into an empty database, one subcommand per format (JSON Lines today).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use bluelamp_app::transfer::{self, Manifest, TransferError};
use bluelamp_app::{Ctx, SystemClock};
use clap::Subcommand;

use crate::{DbArgs, database, open, os_user};

/// The formats `bluelamp export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Write every record type as JSON Lines, one file per type named after it
    /// (persons.jsonl, crimes.jsonl, ...), with manifest.json. Audited as a disclosure.
    Jsonl {
        #[command(flatten)]
        db: DbArgs,
        /// The directory to write: created if missing, refused unless empty.
        #[arg(long)]
        out: PathBuf,
    },
}

/// The formats `bluelamp import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Restore a JSON Lines export into an empty database, keeping every id and the audit
    /// chain.
    Jsonl {
        #[command(flatten)]
        db: DbArgs,
        /// The directory an export wrote (it holds manifest.json).
        #[arg(long)]
        from: PathBuf,
    },
}

/// Runs `bluelamp export ...`.
pub async fn export(command: ExportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ExportCommand::Jsonl { db, out } => {
            let app = open(&db).await?;
            let manifest = app
                .export_jsonl(&Ctx::operator(&os_user()), &out)
                .await
                .map_err(explain)?;
            println!(
                "Exported {} ({}) to {}:",
                manifest.force.name,
                manifest.force.code,
                out.display()
            );
            summary(&manifest);
            println!(
                "The audit chain in the export ends at entry {} ({}); the export itself is audited as the next entry.",
                manifest.audit_head.seq, manifest.audit_head.hash
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs `bluelamp import ...`.
pub async fn import(command: ImportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ImportCommand::Jsonl { db, from } => {
            let conn = database(&db).await?;
            let imported = transfer::import_jsonl(
                &conn,
                Arc::new(SystemClock),
                &Ctx::operator(&os_user()),
                &from,
            )
            .await
            .map_err(explain)
            .with_context(|| format!("nothing was imported from {}", from.display()))?;
            println!(
                "Imported {} ({}) from {}:",
                imported.force.name,
                imported.force.code,
                from.display()
            );
            summary(&imported.manifest);
            println!(
                "The audit chain is intact to the export's entry {}; the import is audited as entry {}.",
                imported.manifest.audit_head.seq, imported.audit_head.seq
            );
            conn.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn summary(manifest: &Manifest) {
    for f in &manifest.files {
        println!("  {:<18} {:>10} lines", f.file, f.lines);
    }
}

/// The error's own message: its causes are already in it.
fn explain(e: TransferError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}
