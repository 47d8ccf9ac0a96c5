//! Export and import of a force's whole data: the store's half of `bluelamp export` and
//! `bluelamp import`.
//!
//! [`KINDS`] (in `transfer/kinds.rs`) is the one registry of what an export holds: one
//! [`Kind`] per record type, each naming its table, its columns and their types, the tables
//! whose rows nest inside its lines (a person's aliases and warning markers, a user's roles)
//! and, for records, the registry row with its restrictions and partner shares. Adding a
//! table to the export is one entry; a unit test fails while any table of the schema is
//! neither exported, derived nor deliberately skipped. Rows are read a page at a time by key
//! (keyset paging on the primary key, never `OFFSET`, one table at a time), so an export
//! holds one page in memory whatever the force's size, and written back verbatim (same ids,
//! same times) by multi-row inserts. Values cross as JSON with the columns' names: UUIDs and
//! dates as strings, times in RFC 3339 UTC.

use std::collections::{HashMap, HashSet};

use bluelamp_domain::audit::ChainHead;
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::nominal::PersonName;
use bluelamp_domain::partial_date::PartialDate;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sqlx::{AssertSqlSafe, Row};
use uuid::Uuid;

use crate::{Backend, Conn, Db, Result, StoreError, Tx, decode, exec, on};

mod kinds;

pub use kinds::{DERIVED_TABLES, KINDS, SKIPPED_TABLES};
use kinds::{RECORD_COLUMNS, RECORD_NESTED, col, opt};

/// A column's type: how it is read from either database, written as JSON and bound back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// A UUID (`UUID` on PostgreSQL, a 16-byte `BLOB` on SQLite); a string in JSON.
    Id,
    Text,
    /// A 32-bit integer (`INTEGER`).
    Int,
    /// A 64-bit integer (`BIGINT`).
    BigInt,
    Bool,
    /// A double-precision number; written with enough digits to read back exactly.
    Real,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// An instant, RFC 3339 in UTC with as many fractional digits as it has.
    Time,
}

/// One exported column: its name (also the JSON field's), its type, and whether it may be
/// null.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: Ty,
    pub nullable: bool,
}

/// A table whose rows nest, as an array, inside the line of the row they belong to.
#[derive(Debug, Clone, Copy)]
pub struct Nested {
    /// The JSON field holding the array.
    pub field: &'static str,
    pub table: &'static str,
    /// The column naming the row it belongs to (a UUID, with `force_id`).
    pub parent: &'static str,
    /// The column holding each row's place in the array, when the order is stored; rows are
    /// otherwise sorted by their JSON text.
    pub ordinal: Option<&'static str>,
    /// The columns exported. With one, the array holds plain values (`"roles": ["admin"]`);
    /// with several, objects.
    pub columns: &'static [Column],
}

/// One record type: one file of JSON Lines, one line per row of its table.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// The file's name without `.jsonl`: the record type, in the plural.
    pub name: &'static str,
    pub table: &'static str,
    /// For records (persons, locations, ...), the `record.kind` code: the line then carries
    /// the registry row, its restrictions and shares, under `"record"`.
    pub record_kind: Option<&'static str>,
    /// The columns; the first is the key by which rows are paged (a UUID or a sequence
    /// number) and to which nested rows belong.
    pub columns: &'static [Column],
    pub nested: &'static [Nested],
    /// Columns that refer to rows of the same table (an area's parent): written once all
    /// the file's rows are in, so that the order of lines does not matter.
    pub deferred: &'static [&'static str],
}

/// The most bound parameters one statement may carry: SQLite's limit (PostgreSQL allows
/// 65535).
const MAX_BINDS: usize = 32766;
/// The most rows one multi-row insert carries, whatever its width.
const MAX_ROWS_PER_INSERT: usize = 1000;
/// Rows buffered by a [`Loader`] before it should be flushed.
const LOADER_BUFFER: usize = 5000;

/// A value of one of the [`Ty`] types, null or not, ready to bind.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Id(Option<Uuid>),
    Text(Option<String>),
    Int(Option<i32>),
    BigInt(Option<i64>),
    Bool(Option<bool>),
    Real(Option<f64>),
    Date(Option<NaiveDate>),
    Time(Option<DateTime<Utc>>),
}

impl Val {
    fn null(ty: Ty) -> Val {
        match ty {
            Ty::Id => Val::Id(None),
            Ty::Text => Val::Text(None),
            Ty::Int => Val::Int(None),
            Ty::BigInt => Val::BigInt(None),
            Ty::Bool => Val::Bool(None),
            Ty::Real => Val::Real(None),
            Ty::Date => Val::Date(None),
            Ty::Time => Val::Time(None),
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Val::Id(v) => v.is_none(),
            Val::Text(v) => v.is_none(),
            Val::Int(v) => v.is_none(),
            Val::BigInt(v) => v.is_none(),
            Val::Bool(v) => v.is_none(),
            Val::Real(v) => v.is_none(),
            Val::Date(v) => v.is_none(),
            Val::Time(v) => v.is_none(),
        }
    }

    fn id(&self) -> Option<Uuid> {
        match self {
            Val::Id(v) => *v,
            _ => None,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Val::Id(v) => v.map_or(Value::Null, |u| Value::String(u.to_string())),
            Val::Text(v) => v.clone().map_or(Value::Null, Value::String),
            Val::Int(v) => v.map_or(Value::Null, Value::from),
            Val::BigInt(v) => v.map_or(Value::Null, Value::from),
            Val::Bool(v) => v.map_or(Value::Null, Value::Bool),
            Val::Real(v) => v
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Val::Date(v) => v.map_or(Value::Null, |d| Value::String(d.to_string())),
            Val::Time(v) => v.map_or(Value::Null, |t| {
                Value::String(t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }),
        }
    }

    /// Reads a JSON value as a value of the column's type.
    fn from_json(c: &Column, v: &Value) -> Result<Val, String> {
        if v.is_null() {
            return if c.nullable {
                Ok(Val::null(c.ty))
            } else {
                Err(format!("{}: must not be null", c.name))
            };
        }
        let wrong = |what: &str| format!("{}: must be {what}", c.name);
        Ok(match c.ty {
            Ty::Id => Val::Id(Some(
                v.as_str()
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .ok_or_else(|| wrong("a UUID"))?,
            )),
            Ty::Text => Val::Text(Some(v.as_str().ok_or_else(|| wrong("a string"))?.into())),
            Ty::Int => Val::Int(Some(
                v.as_i64()
                    .and_then(|n| i32::try_from(n).ok())
                    .ok_or_else(|| wrong("a 32-bit integer"))?,
            )),
            Ty::BigInt => Val::BigInt(Some(v.as_i64().ok_or_else(|| wrong("an integer"))?)),
            Ty::Bool => Val::Bool(Some(v.as_bool().ok_or_else(|| wrong("true or false"))?)),
            Ty::Real => Val::Real(Some(v.as_f64().ok_or_else(|| wrong("a number"))?)),
            Ty::Date => Val::Date(Some(
                v.as_str()
                    .and_then(|s| s.parse::<NaiveDate>().ok())
                    .ok_or_else(|| wrong("a date written YYYY-MM-DD"))?,
            )),
            Ty::Time => Val::Time(Some(
                v.as_str()
                    .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                    .map(|t| t.with_timezone(&Utc))
                    .ok_or_else(|| wrong("a time in RFC 3339"))?,
            )),
        })
    }
}

/// Runs a query and reads every row as values of the given types, in column order.
async fn select(tx: &mut Tx, sql: String, params: Vec<Val>, types: &[Ty]) -> Result<Vec<Vec<Val>>> {
    let rows = on!(tx, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in params {
            q = match v {
                Val::Id(x) => q.bind(x),
                Val::Text(x) => q.bind(x),
                Val::Int(x) => q.bind(x),
                Val::BigInt(x) => q.bind(x),
                Val::Bool(x) => q.bind(x),
                Val::Real(x) => q.bind(x),
                Val::Date(x) => q.bind(x),
                Val::Time(x) => q.bind(x),
            };
        }
        q.fetch_all(c).await.and_then(|rows| {
            rows.iter()
                .map(|r| {
                    types
                        .iter()
                        .enumerate()
                        .map(|(i, ty)| {
                            Ok(match ty {
                                Ty::Id => Val::Id(r.try_get(i)?),
                                Ty::Text => Val::Text(r.try_get(i)?),
                                Ty::Int => Val::Int(r.try_get(i)?),
                                Ty::BigInt => Val::BigInt(r.try_get(i)?),
                                Ty::Bool => Val::Bool(r.try_get(i)?),
                                Ty::Real => Val::Real(r.try_get(i)?),
                                Ty::Date => Val::Date(r.try_get(i)?),
                                Ty::Time => Val::Time(r.try_get(i)?),
                            })
                        })
                        .collect::<Result<Vec<Val>, sqlx::Error>>()
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })
    })?;
    Ok(rows)
}

/// Runs a statement with the given parameters.
async fn execute(tx: &mut Tx, sql: String, params: Vec<Val>) -> Result<u64> {
    Ok(exec!(tx, c => {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for v in params {
            q = match v {
                Val::Id(x) => q.bind(x),
                Val::Text(x) => q.bind(x),
                Val::Int(x) => q.bind(x),
                Val::BigInt(x) => q.bind(x),
                Val::Bool(x) => q.bind(x),
                Val::Real(x) => q.bind(x),
                Val::Date(x) => q.bind(x),
                Val::Time(x) => q.bind(x),
            };
        }
        q.execute(c).await
    })?)
}

/// Inserts rows into `table`'s `columns` (after `force_id`), as few multi-row statements
/// as the bind limit allows.
///
/// The one statement in the store whose text differs by backend, in its placeholders only:
/// SQLite finds the name of a numbered parameter (`$7`) by a linear search, so binding a
/// statement of n numbered parameters takes time in n², and a restore of a million rows
/// hours; its anonymous parameters (`?`) bind in order at no such cost. PostgreSQL has only
/// numbered ones.
async fn insert_rows(
    tx: &mut Tx,
    force: ForceId,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let numbered = tx.backend() == Backend::Postgres;
    let width = columns.len() + 1;
    let per_statement = (MAX_BINDS / width).clamp(1, MAX_ROWS_PER_INSERT);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
        let mut sql = format!(
            "INSERT INTO {table} (force_id, {}) VALUES ",
            columns.join(", ")
        );
        let mut params = Vec::with_capacity(chunk.len() * width);
        for (i, row) in chunk.into_iter().enumerate() {
            sql.push_str(if i > 0 { ", (" } else { "(" });
            for (j, v) in std::iter::once(Val::Id(Some(force.uuid())))
                .chain(row)
                .enumerate()
            {
                params.push(v);
                if j > 0 {
                    sql.push_str(", ");
                }
                if numbered {
                    sql.push_str(&format!("${}", params.len()));
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        execute(tx, sql, params).await?;
    }
    Ok(())
}

/// Begins a read-only transaction that sees one consistent state of the whole database
/// for as long as it lasts, without holding up writers: a deferred transaction on SQLite
/// (a WAL snapshot from its first read), `REPEATABLE READ READ ONLY` on PostgreSQL.
///
/// # Errors
/// The database cannot be reached.
pub async fn snapshot(db: &Db) -> Result<Tx> {
    Ok(Tx::new(match db {
        Db::Sqlite(p) => Conn::Sqlite(p.begin_with("BEGIN DEFERRED").await?),
        Db::Pg(p) => Conn::Pg(
            p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?,
        ),
    }))
}

/// When the force was configured: what the manifest keeps of the `force` row besides its
/// id, code and name.
///
/// # Errors
/// [`StoreError::NotFound`] when the force is not configured.
pub async fn force_created_at(tx: &mut Tx, force: ForceId) -> Result<DateTime<Utc>> {
    let at: DateTime<Utc> = on!(tx, c => sqlx::query_scalar("SELECT created_at FROM force WHERE id = $1")
        .bind(force.uuid()).fetch_one(c).await)?;
    Ok(at)
}

/// Every table an import writes or must find empty, in no particular order: the registry's
/// tables, the derived ones and the skipped ones.
pub fn all_tables() -> Vec<&'static str> {
    let mut seen = HashSet::new();
    let mut tables = Vec::new();
    let mut add = |t: &'static str| {
        if seen.insert(t) {
            tables.push(t);
        }
    };
    for t in DERIVED_TABLES {
        add(t);
    }
    for k in KINDS {
        add(k.table);
        for n in k.nested {
            add(n.table);
        }
        if k.record_kind.is_some() {
            add("record");
            for n in RECORD_NESTED {
                add(n.table);
            }
        }
    }
    for t in SKIPPED_TABLES {
        add(t);
    }
    tables
}

/// The first table that holds any row, if any: an import writes only into an empty
/// database.
///
/// # Errors
/// The database failed.
pub async fn first_table_with_rows(tx: &mut Tx) -> Result<Option<&'static str>> {
    for table in all_tables() {
        let sql = format!("SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) t");
        let n: i64 = on!(tx, c => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_one(c).await)?;
        if n > 0 {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

/// Sets the force's chain head to the newest restored entry.
///
/// # Errors
/// The database failed.
pub async fn set_audit_head(tx: &mut Tx, force: ForceId, head: &ChainHead) -> Result<()> {
    crate::audit::set_head(tx, force, head).await
}

impl Kind {
    /// The file this record type is exported to, such as `persons.jsonl`.
    pub fn file_name(&self) -> String {
        format!("{}.jsonl", self.name)
    }

    /// The registry entry for a file name, such as `persons.jsonl`.
    pub fn for_file(file: &str) -> Option<&'static Kind> {
        KINDS.iter().find(|k| k.file_name() == file)
    }

    fn key(&self) -> Column {
        self.columns.first().copied().unwrap_or(col("id", Ty::Id))
    }

    /// A cursor over this type's rows, from the first.
    pub fn cursor(&'static self) -> Cursor {
        Cursor {
            kind: self,
            after: None,
            done: false,
        }
    }

    /// A loader writing lines of this type for a force.
    pub fn loader(&'static self, force: ForceId) -> Loader {
        Loader {
            kind: self,
            force,
            main: Vec::new(),
            records: Vec::new(),
            nested: vec![Vec::new(); self.nested.len()],
            record_nested: vec![Vec::new(); RECORD_NESTED.len()],
            deferred: Vec::new(),
            buffered: 0,
        }
    }
}

/// Reads one record type's rows in key order, a page at a time.
#[derive(Debug)]
pub struct Cursor {
    kind: &'static Kind,
    after: Option<Val>,
    done: bool,
}

/// Nested rows read for a page, grouped by the row they belong to, each already rendered
/// as a JSON array element.
type Grouped = HashMap<Uuid, Vec<String>>;

impl Cursor {
    /// The next page of at most `limit` lines (JSON objects, without newlines), or an empty
    /// page at the end.
    ///
    /// # Errors
    /// The database failed, or a stored value does not have its column's type.
    pub async fn next_page(
        &mut self,
        tx: &mut Tx,
        force: ForceId,
        limit: i64,
    ) -> Result<Vec<String>> {
        if self.done {
            return Ok(vec![]);
        }
        let k = self.kind;
        let key = k.key();
        let types: Vec<Ty> = k.columns.iter().map(|c| c.ty).collect();
        let mut params = vec![Val::Id(Some(force.uuid()))];
        let after = match self.after.take() {
            Some(v) => {
                params.push(v);
                format!("AND {} > $2", key.name)
            }
            None => String::new(),
        };
        // One table at a time, by primary key: a join here would leave the plan to
        // statistics that a freshly restored database does not have yet.
        let sql = format!(
            "SELECT {} FROM {} WHERE force_id = $1 {after} ORDER BY {} LIMIT {}",
            k.columns
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", "),
            k.table,
            key.name,
            limit.max(1)
        );
        let rows = select(tx, sql, params, &types).await?;
        let Some(last) = rows.last() else {
            self.done = true;
            return Ok(vec![]);
        };
        self.after = last.first().cloned();
        if (rows.len() as i64) < limit {
            self.done = true;
        }
        // Registry and nested rows belong to a UUID key: fetch those of this page's range.
        let span = match (
            rows.first().and_then(|r| r.first()).and_then(Val::id),
            self.after.as_ref().and_then(Val::id),
        ) {
            (Some(first), Some(last)) => Some(Span { force, first, last }),
            _ => None,
        };
        let mut nested = Vec::with_capacity(k.nested.len());
        let mut records: HashMap<Uuid, Vec<Val>> = HashMap::new();
        let mut record_nested = Vec::with_capacity(RECORD_NESTED.len());
        if let Some(span) = span {
            for n in k.nested {
                nested.push(nested_rows(tx, span, n).await?);
            }
            if k.record_kind.is_some() {
                for row in in_range(tx, span, "record", "id", RECORD_COLUMNS, None).await? {
                    if let Some(id) = row.first().and_then(Val::id) {
                        records.insert(id, row.into_iter().skip(1).collect());
                    }
                }
                for n in RECORD_NESTED {
                    record_nested.push(nested_rows(tx, span, n).await?);
                }
            }
        }
        let mut lines = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.first().and_then(Val::id);
            let mut fields: Vec<(&str, String)> = k
                .columns
                .iter()
                .zip(&row)
                .map(|(c, v)| (c.name, v.to_json().to_string()))
                .collect();
            for (n, groups) in k.nested.iter().zip(nested.iter_mut()) {
                let items = id.and_then(|id| groups.remove(&id)).unwrap_or_default();
                fields.push((n.field, array(&items)));
            }
            if k.record_kind.is_some() {
                let registry = id.and_then(|id| records.remove(&id)).ok_or_else(|| {
                    StoreError::Corrupt(format!("{}: a row without its record", k.table))
                })?;
                let mut record: Vec<(&str, String)> = RECORD_COLUMNS
                    .iter()
                    .zip(&registry)
                    .map(|(c, v)| (c.name, v.to_json().to_string()))
                    .collect();
                for (n, groups) in RECORD_NESTED.iter().zip(record_nested.iter_mut()) {
                    let items = id.and_then(|id| groups.remove(&id)).unwrap_or_default();
                    record.push((n.field, array(&items)));
                }
                fields.push(("record", object(&record)));
            }
            lines.push(object(&fields));
        }
        Ok(lines)
    }
}

/// A JSON object from rendered values, its fields in the order given (the order of the
/// columns), where serde_json's map would sort them.
fn object(fields: &[(&str, String)]) -> String {
    let mut s = String::from("{");
    for (i, (name, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&Value::String((*name).to_string()).to_string());
        s.push(':');
        s.push_str(v);
    }
    s.push('}');
    s
}

/// A JSON array from rendered values.
fn array(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

/// The keys of one page of a force's rows, first and last: the rows that belong to them are
/// read by this range of keys, an index range scan on every table.
#[derive(Debug, Clone, Copy)]
struct Span {
    force: ForceId,
    first: Uuid,
    last: Uuid,
}

/// The rows of `table` whose `parent` column is in the span, ordered by it (then by
/// `ordinal`), each as the parent then `columns`.
async fn in_range(
    tx: &mut Tx,
    span: Span,
    table: &str,
    parent: &str,
    columns: &[Column],
    ordinal: Option<&str>,
) -> Result<Vec<Vec<Val>>> {
    let order = ordinal.map(|o| format!(", {o}")).unwrap_or_default();
    let sql = format!(
        "SELECT {parent}, {cols} FROM {table} WHERE force_id = $1 AND {parent} >= $2 AND {parent} <= $3
         ORDER BY {parent}{order}",
        cols = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", "),
    );
    let mut types = vec![Ty::Id];
    types.extend(columns.iter().map(|c| c.ty));
    let params = vec![
        Val::Id(Some(span.force.uuid())),
        Val::Id(Some(span.first)),
        Val::Id(Some(span.last)),
    ];
    select(tx, sql, params, &types).await
}

/// The rows of a nested table that belong to rows keyed `first..=last`, grouped by parent,
/// in their stored order.
async fn nested_rows(tx: &mut Tx, span: Span, n: &Nested) -> Result<Grouped> {
    let rows = in_range(tx, span, n.table, n.parent, n.columns, n.ordinal).await?;
    let mut grouped = Grouped::new();
    for row in rows {
        let Some(parent) = row.first().and_then(Val::id) else {
            continue;
        };
        let item = match n.columns {
            [_] => row
                .get(1)
                .map(Val::to_json)
                .unwrap_or(Value::Null)
                .to_string(),
            cols => object(
                &cols
                    .iter()
                    .zip(row.iter().skip(1))
                    .map(|(c, v)| (c.name, v.to_json().to_string()))
                    .collect::<Vec<_>>(),
            ),
        };
        grouped.entry(parent).or_default().push(item);
    }
    // Without a stored order, rows are sorted here rather than by the database, whose text
    // collation differs between backends and installations: the same data makes the same
    // file wherever it is exported from.
    if n.ordinal.is_none() {
        for items in grouped.values_mut() {
            items.sort_unstable();
        }
    }
    Ok(grouped)
}

/// Writes lines of one record type back into a force's tables, buffering rows and
/// inserting them many at a time. Call [`Loader::flush`] when [`Loader::is_full`], and
/// [`Loader::finish`] after the last line.
#[derive(Debug)]
pub struct Loader {
    kind: &'static Kind,
    force: ForceId,
    main: Vec<Vec<Val>>,
    records: Vec<Vec<Val>>,
    nested: Vec<Vec<Vec<Val>>>,
    record_nested: Vec<Vec<Vec<Val>>>,
    /// Values of deferred columns, by row key: set once every row is in.
    deferred: Vec<(Val, Vec<Val>)>,
    buffered: usize,
}

/// Takes a field out of a line's object.
fn field(obj: &mut Map<String, Value>, name: &str) -> Result<Value, String> {
    obj.remove(name).ok_or_else(|| format!("{name}: missing"))
}

/// Refuses fields the format does not have.
fn no_more(obj: &Map<String, Value>, within: &str) -> Result<(), String> {
    match obj.keys().next() {
        Some(extra) => Err(format!("{within}{extra}: not a field of this file")),
        None => Ok(()),
    }
}

/// Reads a nested array into rows of (parent, [ordinal], columns...).
fn nested_from_json(
    n: &Nested,
    parent: Uuid,
    v: Value,
    into: &mut Vec<Vec<Val>>,
) -> Result<(), String> {
    let Value::Array(items) = v else {
        return Err(format!("{}: must be an array", n.field));
    };
    for (i, item) in items.into_iter().enumerate() {
        let mut row = vec![Val::Id(Some(parent))];
        if n.ordinal.is_some() {
            row.push(Val::Int(Some(
                i32::try_from(i).map_err(|_| format!("{}: too many", n.field))?,
            )));
        }
        match n.columns {
            [c] => row.push(Val::from_json(c, &item).map_err(|e| format!("{}/{i}: {e}", n.field))?),
            cols => {
                let Value::Object(mut obj) = item else {
                    return Err(format!("{}/{i}: must be an object", n.field));
                };
                for c in cols {
                    let v = field(&mut obj, c.name).map_err(|e| format!("{}/{i}/{e}", n.field))?;
                    row.push(Val::from_json(c, &v).map_err(|e| format!("{}/{i}/{e}", n.field))?);
                }
                no_more(&obj, &format!("{}/{i}/", n.field))?;
            }
        }
        into.push(row);
    }
    Ok(())
}

fn nested_columns(n: &Nested) -> Vec<&'static str> {
    let mut cols = vec![n.parent];
    cols.extend(n.ordinal);
    cols.extend(n.columns.iter().map(|c| c.name));
    cols
}

impl Loader {
    /// Parses one line and buffers its rows. Nothing is written until [`Loader::flush`].
    ///
    /// # Errors
    /// What is wrong with the line, naming the field: not JSON, a field missing or unknown,
    /// a value not of its column's type.
    pub fn push(&mut self, line: &str) -> Result<(), String> {
        let k = self.kind;
        let mut obj: Map<String, Value> =
            serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
        let mut row = Vec::with_capacity(k.columns.len());
        let mut deferred = Vec::new();
        for c in k.columns {
            let v = Val::from_json(c, &field(&mut obj, c.name)?)?;
            if k.deferred.contains(&c.name) {
                deferred.push(v);
                row.push(Val::null(c.ty));
            } else {
                row.push(v);
            }
        }
        let key = row.first().cloned().unwrap_or(Val::Id(None));
        let id = key.id();
        let mut nested: Vec<Vec<Vec<Val>>> = vec![Vec::new(); k.nested.len()];
        for (n, into) in k.nested.iter().zip(nested.iter_mut()) {
            let parent =
                id.ok_or_else(|| format!("{}: rows nest only under a UUID key", n.field))?;
            nested_from_json(n, parent, field(&mut obj, n.field)?, into)?;
        }
        let mut record_row = Vec::new();
        let mut record_nested: Vec<Vec<Vec<Val>>> = vec![Vec::new(); RECORD_NESTED.len()];
        if let Some(kind) = k.record_kind {
            let id = id.ok_or("id: must be a UUID")?;
            let Value::Object(mut rec) = field(&mut obj, "record")? else {
                return Err("record: must be an object".into());
            };
            record_row.push(Val::Id(Some(id)));
            record_row.push(Val::Text(Some(kind.to_string())));
            for c in RECORD_COLUMNS {
                let v = field(&mut rec, c.name).map_err(|e| format!("record/{e}"))?;
                record_row.push(Val::from_json(c, &v).map_err(|e| format!("record/{e}"))?);
            }
            for (n, into) in RECORD_NESTED.iter().zip(record_nested.iter_mut()) {
                let v = field(&mut rec, n.field).map_err(|e| format!("record/{e}"))?;
                nested_from_json(n, id, v, into).map_err(|e| format!("record/{e}"))?;
            }
            no_more(&rec, "record/")?;
        }
        no_more(&obj, "")?;

        // The line is whole: buffer its rows.
        self.buffered += 1;
        if !deferred.iter().all(Val::is_null) {
            self.deferred.push((key, deferred));
        }
        self.main.push(row);
        if !record_row.is_empty() {
            self.records.push(record_row);
        }
        for (into, rows) in self.nested.iter_mut().zip(nested) {
            self.buffered += rows.len();
            into.extend(rows);
        }
        for (into, rows) in self.record_nested.iter_mut().zip(record_nested) {
            self.buffered += rows.len();
            into.extend(rows);
        }
        Ok(())
    }

    /// Whether enough rows are buffered to be worth a flush.
    pub fn is_full(&self) -> bool {
        self.buffered >= LOADER_BUFFER
    }

    /// Inserts the buffered rows: the registry rows first, then the table's, then the
    /// nested ones.
    ///
    /// # Errors
    /// The database refused a row (a duplicate key, a reference to a row that is not there).
    pub async fn flush(&mut self, tx: &mut Tx) -> Result<()> {
        let k = self.kind;
        let f = self.force;
        let mut record_cols = vec!["id", "kind"];
        record_cols.extend(RECORD_COLUMNS.iter().map(|c| c.name));
        insert_rows(
            tx,
            f,
            "record",
            &record_cols,
            std::mem::take(&mut self.records),
        )
        .await?;
        let cols: Vec<&str> = k.columns.iter().map(|c| c.name).collect();
        insert_rows(tx, f, k.table, &cols, std::mem::take(&mut self.main)).await?;
        for (n, rows) in k.nested.iter().zip(self.nested.iter_mut()) {
            insert_rows(tx, f, n.table, &nested_columns(n), std::mem::take(rows)).await?;
        }
        for (n, rows) in RECORD_NESTED.iter().zip(self.record_nested.iter_mut()) {
            insert_rows(tx, f, n.table, &nested_columns(n), std::mem::take(rows)).await?;
        }
        self.buffered = 0;
        Ok(())
    }

    /// Flushes what is left, then sets the deferred columns.
    ///
    /// # Errors
    /// As [`Loader::flush`].
    pub async fn finish(mut self, tx: &mut Tx) -> Result<()> {
        self.flush(tx).await?;
        let k = self.kind;
        let key = k.key();
        for (row_key, values) in std::mem::take(&mut self.deferred) {
            let sets: Vec<String> = k
                .deferred
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", i + 3))
                .collect();
            let sql = format!(
                "UPDATE {} SET {} WHERE force_id = $1 AND {} = $2",
                k.table,
                sets.join(", "),
                key.name
            );
            let mut params = vec![Val::Id(Some(self.force.uuid())), row_key];
            params.extend(values);
            execute(tx, sql, params).await?;
        }
        Ok(())
    }
}

/// A page of persons, by id after `after`, whose nominal search keys a restore rebuilds:
/// every name (their own, then their aliases in order) and the date of birth. Erased
/// persons have no search keys and are left out (a page may so hold fewer than `limit`);
/// `None` at the end.
///
/// # Errors
/// The database failed, or a stored date of birth does not parse.
pub async fn persons_to_index(
    tx: &mut Tx,
    force: ForceId,
    after: Option<RecordId>,
    limit: i64,
) -> Result<
    Option<(
        RecordId,
        Vec<(RecordId, Vec<PersonName>, Option<PartialDate>)>,
    )>,
> {
    let mut params = vec![Val::Id(Some(force.uuid()))];
    let bound = match after {
        Some(a) => {
            params.push(Val::Id(Some(a.uuid())));
            "AND id > $2"
        }
        None => "",
    };
    let sql = format!(
        "SELECT id, forenames, surname, date_of_birth FROM person
         WHERE force_id = $1 {bound} ORDER BY id LIMIT {}",
        limit.max(1)
    );
    let rows = select(tx, sql, params, &[Ty::Id, Ty::Text, Ty::Text, Ty::Text]).await?;
    let ids: Vec<Uuid> = rows
        .iter()
        .filter_map(|r| r.first().and_then(Val::id))
        .collect();
    let (Some(first), Some(last)) = (ids.first().copied(), ids.last().copied()) else {
        return Ok(None);
    };
    let span = Span { force, first, last };
    let name = [col("forenames", Ty::Text), col("surname", Ty::Text)];
    let mut aliases: HashMap<Uuid, Vec<PersonName>> = HashMap::new();
    for a in in_range(
        tx,
        span,
        "person_alias",
        "person_id",
        &name,
        Some("ordinal"),
    )
    .await?
    {
        if let [
            Val::Id(Some(p)),
            Val::Text(Some(fore)),
            Val::Text(Some(sur)),
        ] = a.as_slice()
        {
            aliases
                .entry(*p)
                .or_default()
                .push(PersonName::new(fore.clone(), sur.clone()));
        }
    }
    let erased: HashSet<Uuid> = in_range(
        tx,
        span,
        "record",
        "id",
        &[opt("erased_at", Ty::Time)],
        None,
    )
    .await?
    .into_iter()
    .filter(|r| r.get(1).is_some_and(|e| !e.is_null()))
    .filter_map(|r| r.first().and_then(Val::id))
    .collect();
    let mut page = Vec::with_capacity(rows.len());
    for r in rows {
        let [
            Val::Id(Some(id)),
            Val::Text(Some(fore)),
            Val::Text(Some(sur)),
            Val::Text(dob),
        ] = r.as_slice()
        else {
            return Err(StoreError::Corrupt("person: a null name".into()));
        };
        if erased.contains(id) {
            continue;
        }
        let mut names = vec![PersonName::new(fore.clone(), sur.clone())];
        names.extend(aliases.remove(id).unwrap_or_default());
        let dob = dob
            .as_deref()
            .map(|d| decode("date of birth", d))
            .transpose()?;
        page.push((RecordId::from_uuid(*id), names, dob));
    }
    Ok(Some((RecordId::from_uuid(last), page)))
}

/// Stores persons' nominal search keys, many at a time, in the order of the table's primary
/// key: a restore writes millions, and sorted they land page by page rather than all over
/// the index.
///
/// # Errors
/// The database failed.
pub async fn insert_name_keys(
    tx: &mut Tx,
    force: ForceId,
    keys: &[(RecordId, Vec<String>)],
) -> Result<()> {
    let mut pairs: Vec<(&str, Uuid)> = keys
        .iter()
        .flat_map(|(id, ks)| ks.iter().map(move |k| (k.as_str(), id.uuid())))
        .collect();
    pairs.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
    let rows: Vec<Vec<Val>> = pairs
        .into_iter()
        .map(|(k, id)| vec![Val::Text(Some(k.to_string())), Val::Id(Some(id))])
        .collect();
    insert_rows(tx, force, "person_name_key", &["key", "person_id"], rows).await
}

#[cfg(test)]
mod tests;
