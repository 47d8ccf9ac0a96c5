//! Export and import of the force's whole data as JSON Lines: the force's own copy of its
//! records, and its backup.
//!
//! An export is a directory holding one file per record type, named after it
//! (`persons.jsonl`, `crimes.jsonl`, ...: the registry is `bluelamp_store::transfer::KINDS`),
//! one JSON object a line, and `manifest.json`: the format and its version, the force, and
//! for each file its number of lines and SHA-256, with the head of the audit chain the
//! export holds. Every file is read from one consistent snapshot of the database.
//!
//! The export is audited as one disclosure, appended once the files are written, so that the
//! entry names the SHA-256 of every file disclosed, and an export that fails records nothing
//! (its files are removed). The export therefore does not hold its own disclosure entry: its
//! chain ends at the manifest's head, and the next entry in the source database is that
//! disclosure. A database restored from the export carries the chain to the same head,
//! followed by the entry auditing the import, which names the export it came from.
//!
//! An import writes only into an empty database, all or nothing, in one transaction, after
//! checking every file against the manifest. It keeps every id and time, restores the audit
//! entries verbatim and checks that the restored chain verifies and ends at the manifest's
//! head, rebuilds the nominal search keys, and appends its own entry. File I/O here is
//! blocking: these services run from the command line, not in the server.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::{ChainHead, ChainVerifier, Operation};
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::nominal;
use bluelamp_store::force::Force;
use bluelamp_store::transfer::{self as store, KINDS, Kind};
use bluelamp_store::{Db, StoreError, Tx};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{App, AppError, Clock, Config, Ctx, authorise};

/// The name of the format, as the manifest states it.
pub const FORMAT: &str = "bluelamp-jsonl";
/// The version of the format this build writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's file name.
pub const MANIFEST: &str = "manifest.json";

/// Rows read per page when exporting.
const PAGE: i64 = 2000;
/// Persons whose search keys are rebuilt together (some 25 keys each, inserted sorted).
const KEYS_PAGE: i64 = 10_000;
/// Audit entries read per page when verifying the restored chain.
const CHAIN_PAGE: i64 = 5000;

/// What an export holds, written last into its directory as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    pub version: u32,
    pub force: ManifestForce,
    pub exported_at: DateTime<Utc>,
    /// The newest audit entry in `audit.jsonl`.
    pub audit_head: ManifestHead,
    /// Every file, in the order an import reads them.
    pub files: Vec<ManifestFile>,
}

/// The force whose data this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestForce {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// An audit chain's newest entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestHead {
    pub seq: i64,
    pub hash: String,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Its name, such as `persons.jsonl`.
    pub file: String,
    /// How many lines (records) it holds.
    pub lines: u64,
    /// The SHA-256 of its bytes, in hex.
    pub sha256: String,
}

/// What an import restored.
#[derive(Debug, Clone)]
pub struct Imported {
    pub force: Force,
    pub manifest: Manifest,
    /// The chain's head after the import's own entry.
    pub audit_head: ChainHead,
}

/// Why an export or an import did not happen. Nothing was written to the database, and a
/// failed export leaves none of its files behind.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} already holds files: export into a new or empty directory")]
    DirectoryNotEmpty(PathBuf),
    #[error("{MANIFEST}: {0}")]
    Manifest(String),
    #[error("{file} does not match the manifest ({what}): the export has been altered or damaged")]
    Altered { file: String, what: &'static str },
    #[error("the database is not empty: table {table} has rows; import only into a new database")]
    NotEmpty { table: String },
    #[error("{file}, line {line}: {message}")]
    Line {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: the database refused a row: {message}")]
    Refused { file: String, message: String },
    #[error("the audit chain in audit.jsonl {0}")]
    Chain(String),
}

impl From<StoreError> for TransferError {
    fn from(e: StoreError) -> Self {
        TransferError::App(e.into())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TransferError + '_ {
    move |source| TransferError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes one file's lines, counting them and hashing its bytes as they go.
struct LineWriter {
    path: PathBuf,
    out: BufWriter<File>,
    sha: Sha256,
    lines: u64,
}

impl LineWriter {
    fn create(path: PathBuf) -> Result<LineWriter, TransferError> {
        let file = create_private(&path)?;
        Ok(LineWriter {
            path,
            out: BufWriter::with_capacity(1 << 20, file),
            sha: Sha256::new(),
            lines: 0,
        })
    }

    fn line(&mut self, line: &str) -> Result<(), TransferError> {
        self.sha.update(line.as_bytes());
        self.sha.update(b"\n");
        self.lines += 1;
        self.out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(io(&self.path))
    }

    /// Flushes the file to disk and describes it for the manifest.
    fn finish(self) -> Result<ManifestFile, TransferError> {
        let LineWriter {
            path,
            out,
            sha,
            lines,
        } = self;
        let file = out.into_inner().map_err(|e| TransferError::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(io(&path))?;
        Ok(ManifestFile {
            file: file_name(&path),
            lines,
            sha256: hex::encode(sha.finalize()),
        })
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Creates a file of the export, readable by its owner only (on Unix): it holds personal
/// data and password hashes.
fn create_private(path: &Path) -> Result<File, TransferError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(io(path))
}

/// Creates the export's directory (for its owner only, on Unix), or checks that it is
/// empty.
fn prepare(dir: &Path) -> Result<(), TransferError> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(TransferError::DirectoryNotEmpty(dir.to_path_buf()));
        }
        Ok(())
    } else {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(io(dir))
    }
}

/// Removes what a failed export wrote (best effort: the error being reported matters more).
fn discard(dir: &Path) {
    for kind in KINDS {
        let _ = std::fs::remove_file(dir.join(kind.file_name()));
    }
    let _ = std::fs::remove_file(dir.join(MANIFEST));
}

impl App {
    /// Exports the force's whole data into `dir` (created if missing, refused unless
    /// empty): one JSON Lines file per record type and `manifest.json`, all from one
    /// snapshot. Audited as one disclosure naming every file with its SHA-256.
    ///
    /// # Errors
    /// [`AppError::Denied`] without `export_data`; [`TransferError::DirectoryNotEmpty`];
    /// a file could not be written, or the disclosure could not be audited (the files are
    /// then removed).
    pub async fn export_jsonl(&self, ctx: &Ctx, dir: &Path) -> Result<Manifest, TransferError> {
        authorise(ctx, Action::ExportData)?;
        prepare(dir)?;
        let manifest = match self.write_jsonl(dir).await {
            Ok(m) => m,
            Err(e) => {
                discard(dir);
                return Err(e);
            }
        };
        let details = serde_json::json!({
            "format": "jsonl",
            "directory": std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()).display().to_string(),
            "audit_head": manifest.audit_head,
            "files": manifest.files,
        });
        let audited = async {
            let mut tx = self.begin().await?;
            self.audit(
                &mut tx,
                ctx,
                Operation::Disclosure,
                "data.export",
                None,
                details,
            )
            .await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(e) = audited {
            discard(dir);
            return Err(e.into());
        }
        Ok(manifest)
    }

    async fn write_jsonl(&self, dir: &Path) -> Result<Manifest, TransferError> {
        let force = self.force.id;
        let mut tx = store::snapshot(&self.db).await?;
        let created_at = store::force_created_at(&mut tx, force).await?;
        let head = bluelamp_store::audit::head(&mut tx, force).await?;
        let mut files = Vec::with_capacity(KINDS.len());
        for kind in KINDS {
            let started = std::time::Instant::now();
            let mut out = LineWriter::create(dir.join(kind.file_name()))?;
            let mut cursor = kind.cursor();
            loop {
                let page = cursor.next_page(&mut tx, force, PAGE).await?;
                if page.is_empty() {
                    break;
                }
                for line in &page {
                    out.line(line)?;
                }
            }
            let written = out.finish()?;
            tracing::info!(file = %written.file, lines = written.lines, seconds = started.elapsed().as_secs_f64(), "exported");
            files.push(written);
        }
        tx.commit().await?;
        let manifest = Manifest {
            format: FORMAT.to_string(),
            version: VERSION,
            force: ManifestForce {
                id: force.uuid(),
                code: self.force.code.clone(),
                name: self.force.name.clone(),
                created_at,
            },
            exported_at: self.now(),
            audit_head: ManifestHead {
                seq: head.seq,
                hash: head.hash,
            },
            files,
        };
        let path = dir.join(MANIFEST);
        let text = serde_json::to_string_pretty(&manifest)
            .map_err(|e| TransferError::Manifest(e.to_string()))?;
        let mut file = create_private(&path)?;
        file.write_all(format!("{text}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(io(&path))?;
        Ok(manifest)
    }
}

/// Reads and checks an export's manifest: its format and version, and that it lists only
/// files this build knows, each once.
///
/// # Errors
/// [`TransferError::Manifest`] saying what is wrong.
pub fn read_manifest(dir: &Path) -> Result<Manifest, TransferError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let m: Manifest =
        serde_json::from_str(&text).map_err(|e| TransferError::Manifest(e.to_string()))?;
    if m.format != FORMAT {
        return Err(TransferError::Manifest(format!(
            "the format is {:?}, not {FORMAT:?}",
            m.format
        )));
    }
    if m.version != VERSION {
        return Err(TransferError::Manifest(format!(
            "this export is version {} of the format; this bluelamp reads version {VERSION}",
            m.version
        )));
    }
    for (i, f) in m.files.iter().enumerate() {
        if Kind::for_file(&f.file).is_none() {
            return Err(TransferError::Manifest(format!(
                "it lists {}, which this bluelamp does not know",
                f.file
            )));
        }
        if m.files[..i].iter().any(|g| g.file == f.file) {
            return Err(TransferError::Manifest(format!(
                "it lists {} twice",
                f.file
            )));
        }
    }
    Ok(m)
}

/// Reads a file line by line (a line ends at `\n`, or at the end of the file), hashing
/// every byte.
struct LineReader {
    path: PathBuf,
    input: BufReader<File>,
    sha: Sha256,
    lines: u64,
    buf: Vec<u8>,
}

impl LineReader {
    fn open(path: PathBuf) -> Result<LineReader, TransferError> {
        let file = File::open(&path).map_err(io(&path))?;
        Ok(LineReader {
            path,
            input: BufReader::with_capacity(1 << 20, file),
            sha: Sha256::new(),
            lines: 0,
            buf: Vec::new(),
        })
    }

    /// The next line's bytes without its `\n`, or `None` at the end.
    fn next_line(&mut self) -> Result<Option<&[u8]>, TransferError> {
        self.buf.clear();
        let n = self
            .input
            .read_until(b'\n', &mut self.buf)
            .map_err(io(&self.path))?;
        if n == 0 {
            return Ok(None);
        }
        self.sha.update(&self.buf);
        self.lines += 1;
        Ok(Some(self.buf.strip_suffix(b"\n").unwrap_or(&self.buf)))
    }

    /// What was read, as a manifest lists it.
    fn describe(self) -> ManifestFile {
        ManifestFile {
            file: file_name(&self.path),
            lines: self.lines,
            sha256: hex::encode(self.sha.finalize()),
        }
    }

    /// Checks what was read against the manifest's entry.
    fn check(self, entry: &ManifestFile) -> Result<(), TransferError> {
        let read = self.describe();
        let altered = |what| TransferError::Altered {
            file: entry.file.clone(),
            what,
        };
        if read.sha256 != entry.sha256.to_ascii_lowercase() {
            return Err(altered("SHA-256"));
        }
        if read.lines != entry.lines {
            return Err(altered("number of lines"));
        }
        Ok(())
    }
}

/// Describes a file as a manifest lists it: its name, number of lines and SHA-256.
///
/// # Errors
/// It cannot be read.
pub fn digest(path: &Path) -> Result<ManifestFile, TransferError> {
    let mut r = LineReader::open(path.to_path_buf())?;
    while r.next_line()?.is_some() {}
    Ok(r.describe())
}

/// Checks every file an export lists against its manifest entry, reading each whole.
///
/// # Errors
/// [`TransferError::Altered`] naming the first file that differs; a file cannot be read.
pub fn check_files(dir: &Path, manifest: &Manifest) -> Result<(), TransferError> {
    for entry in &manifest.files {
        let mut r = LineReader::open(dir.join(&entry.file))?;
        while r.next_line()?.is_some() {}
        r.check(entry)?;
    }
    Ok(())
}

/// Restores the export in `dir` into `db`, which must be migrated and empty: the force, its
/// users, areas, teams, records, links and audit log, keeping every id and time. All or
/// nothing, in one transaction, checking every file against the manifest first; then the
/// restored chain is verified against the manifest's head, the nominal search keys are
/// rebuilt, and the import is audited at the end of the restored chain. Files of record
/// types that the manifest does not list (written before those types existed) restore as
/// empty.
///
/// # Errors
/// [`AppError::Denied`] without `import_data`; [`TransferError::Manifest`],
/// [`TransferError::Altered`], [`TransferError::Line`] for a bad export;
/// [`TransferError::NotEmpty`] naming the first table that has rows;
/// [`TransferError::Chain`] when the restored audit chain does not verify or does not end
/// at the manifest's head.
pub async fn import_jsonl(
    db: &Db,
    clock: Arc<dyn Clock>,
    ctx: &Ctx,
    dir: &Path,
) -> Result<Imported, TransferError> {
    authorise(ctx, Action::ImportData)?;
    let manifest = read_manifest(dir)?;
    check_files(dir, &manifest)?;

    let mut tx = db.begin().await?;
    if let Some(table) = store::first_table_with_rows(&mut tx).await? {
        return Err(TransferError::NotEmpty {
            table: table.to_string(),
        });
    }
    let force = Force {
        id: ForceId::from_uuid(manifest.force.id),
        code: manifest.force.code.clone(),
        name: manifest.force.name.clone(),
    };
    bluelamp_store::force::insert(&mut tx, &force, manifest.force.created_at).await?;
    for kind in KINDS {
        if let Some(entry) = manifest.files.iter().find(|f| f.file == kind.file_name()) {
            let started = std::time::Instant::now();
            load(&mut tx, force.id, kind, dir, entry).await?;
            tracing::info!(file = %entry.file, lines = entry.lines, seconds = started.elapsed().as_secs_f64(), "restored");
        }
    }

    let started = std::time::Instant::now();
    let head = verify_chain(&mut tx, force.id).await?;
    tracing::info!(
        entries = head.seq,
        seconds = started.elapsed().as_secs_f64(),
        "audit chain verified"
    );
    if head.seq != manifest.audit_head.seq || head.hash != manifest.audit_head.hash {
        return Err(TransferError::Chain(format!(
            "ends at entry {}, but the manifest's head is entry {}",
            head.seq, manifest.audit_head.seq
        )));
    }
    store::set_audit_head(&mut tx, force.id, &head).await?;
    let started = std::time::Instant::now();
    rebuild_name_keys(&mut tx, force.id).await?;
    tracing::info!(
        seconds = started.elapsed().as_secs_f64(),
        "search keys rebuilt"
    );

    let app = App {
        db: db.clone(),
        force: force.clone(),
        clock,
        config: Config::default(),
    };
    let details = serde_json::json!({
        "format": "jsonl",
        "directory": std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()).display().to_string(),
        "exported_at": manifest.exported_at,
        "audit_head": manifest.audit_head,
        "files": manifest.files,
    });
    app.audit(
        &mut tx,
        ctx,
        Operation::Administration,
        "data.import",
        None,
        details,
    )
    .await?;
    let audit_head = bluelamp_store::audit::head(&mut tx, force.id).await?;
    tx.commit().await?;
    Ok(Imported {
        force,
        manifest,
        audit_head,
    })
}

/// Loads one file, checking it again against the manifest as it goes (it may have changed
/// since it was first checked); the caller's transaction is abandoned on any error.
async fn load(
    tx: &mut Tx,
    force: ForceId,
    kind: &'static Kind,
    dir: &Path,
    entry: &ManifestFile,
) -> Result<(), TransferError> {
    let mut reader = LineReader::open(dir.join(&entry.file))?;
    let mut loader = kind.loader(force);
    let refused = |e: StoreError| TransferError::Refused {
        file: entry.file.clone(),
        message: e.to_string(),
    };
    let mut line = 0;
    while let Some(bytes) = reader.next_line()? {
        line += 1;
        let pushed = std::str::from_utf8(bytes)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(|text| loader.push(text));
        if let Err(message) = pushed {
            return Err(TransferError::Line {
                file: entry.file.clone(),
                line,
                message,
            });
        }
        if loader.is_full() {
            loader.flush(tx).await.map_err(refused)?;
        }
    }
    loader.finish(tx).await.map_err(refused)?;
    reader.check(entry)
}

/// Walks the restored chain in order, recomputing every hash.
async fn verify_chain(tx: &mut Tx, force: ForceId) -> Result<ChainHead, TransferError> {
    let mut verifier = ChainVerifier::new(None);
    let mut after = 0;
    loop {
        let batch = bluelamp_store::audit::in_order(tx, force, after, CHAIN_PAGE).await?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        for e in &batch {
            verifier
                .feed(e)
                .map_err(|b| TransferError::Chain(format!("is broken: {b}")))?;
        }
    }
    verifier
        .finish()
        .map_err(|b| TransferError::Chain(format!("is broken: {b}")))
}

/// Recomputes every person's nominal search keys, as creating or editing them would.
async fn rebuild_name_keys(tx: &mut Tx, force: ForceId) -> Result<(), TransferError> {
    let mut after: Option<RecordId> = None;
    loop {
        let Some((last, page)) = store::persons_to_index(tx, force, after, KEYS_PAGE).await? else {
            break;
        };
        after = Some(last);
        let keys: Vec<(RecordId, Vec<String>)> = page
            .iter()
            .map(|(id, names, dob)| (*id, nominal::index_keys(names, dob.as_ref())))
            .collect();
        store::insert_name_keys(tx, force, &keys).await?;
    }
    Ok(())
}
