//! Persons (nominals): their details, aliases, warning markers and search keys.

use std::collections::{HashMap, HashSet};

use bluelamp_domain::access::Audience;
use bluelamp_domain::ids::{ForceId, RecordId};
use bluelamp_domain::nominal::{Candidate, PersonName};
use bluelamp_domain::partial_date::PartialDate;
use bluelamp_domain::person::{Person, WarningMarker};
use bluelamp_domain::postcode::Postcode;
use chrono::NaiveDate;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::record::{audience_binds, visible};
use crate::{Backend, Result, StoreError, Tx, decode, exec, on};

#[derive(sqlx::FromRow)]
struct PersonRow {
    forenames: String,
    surname: String,
    date_of_birth: Option<String>,
    dob_approximate: bool,
    sex: String,
    ethnicity: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AliasRow {
    forenames: String,
    surname: String,
}

#[derive(sqlx::FromRow)]
struct MarkerRow {
    kind: String,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
    note: Option<String>,
}

fn dob(raw: Option<&str>) -> Result<Option<PartialDate>> {
    raw.map(|d| decode("date of birth", d)).transpose()
}

/// Stores a new person's details and search keys. The record must be registered first.
///
/// # Errors
/// The database failed.
pub async fn insert(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    p: &Person,
    keys: &[String],
) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "INSERT INTO person (force_id, id, forenames, surname, date_of_birth, dob_approximate, sex, ethnicity)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(force.uuid()).bind(id.uuid()).bind(&p.name.forenames).bind(&p.name.surname)
        .bind(p.date_of_birth.map(|d| d.to_string())).bind(p.date_of_birth_approximate)
        .bind(p.sex.as_str()).bind(p.ethnicity.map(|e| e.as_str()))
        .execute(c).await)?;
    insert_parts(tx, force, id, p, keys).await
}

async fn insert_parts(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    p: &Person,
    keys: &[String],
) -> Result<()> {
    let (f, r) = (force.uuid(), id.uuid());
    for (i, a) in p.aliases.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO person_alias (force_id, person_id, ordinal, forenames, surname) VALUES ($1, $2, $3, $4, $5)")
            .bind(f).bind(r).bind(i as i32).bind(&a.forenames).bind(&a.surname)
            .execute(c).await)?;
    }
    for (i, m) in p.warning_markers.iter().enumerate() {
        exec!(tx, c => sqlx::query(
            "INSERT INTO warning_marker (force_id, person_id, ordinal, kind, valid_from, valid_until, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(f).bind(r).bind(i as i32).bind(m.kind.as_str()).bind(m.from).bind(m.until).bind(&m.note)
            .execute(c).await)?;
    }
    if !keys.is_empty() {
        let mut sql =
            String::from("INSERT INTO person_name_key (force_id, key, person_id) VALUES ");
        for i in 0..keys.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, ${}, $2)", i + 3));
        }
        exec!(tx, c => {
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(f).bind(r);
            for k in keys {
                q = q.bind(k);
            }
            q.execute(c).await
        })?;
    }
    Ok(())
}

async fn delete_parts(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<()> {
    let (f, r) = (force.uuid(), id.uuid());
    exec!(tx, c => sqlx::query("DELETE FROM person_alias WHERE force_id = $1 AND person_id = $2")
        .bind(f).bind(r).execute(c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM warning_marker WHERE force_id = $1 AND person_id = $2")
        .bind(f).bind(r).execute(c).await)?;
    exec!(tx, c => sqlx::query("DELETE FROM person_name_key WHERE force_id = $1 AND person_id = $2")
        .bind(f).bind(r).execute(c).await)?;
    Ok(())
}

/// Replaces a person's details and search keys.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such person.
pub async fn update(
    tx: &mut Tx,
    force: ForceId,
    id: RecordId,
    p: &Person,
    keys: &[String],
) -> Result<()> {
    let n = exec!(tx, c => sqlx::query(
        "UPDATE person SET forenames = $3, surname = $4, date_of_birth = $5, dob_approximate = $6, sex = $7,
                ethnicity = $8 WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).bind(&p.name.forenames).bind(&p.name.surname)
        .bind(p.date_of_birth.map(|d| d.to_string())).bind(p.date_of_birth_approximate)
        .bind(p.sex.as_str()).bind(p.ethnicity.map(|e| e.as_str()))
        .execute(c).await)?;
    if n == 0 {
        return Err(crate::StoreError::NotFound);
    }
    delete_parts(tx, force, id).await?;
    insert_parts(tx, force, id, p, keys).await
}

/// Erases a person's personal data under the retention rules: the names become
/// `[erased]` and every other detail, alias, marker and search key goes.
///
/// # Errors
/// The database failed.
pub async fn erase(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<()> {
    exec!(tx, c => sqlx::query(
        "UPDATE person SET forenames = '[erased]', surname = '[erased]', date_of_birth = NULL,
                dob_approximate = FALSE, sex = 'unknown', ethnicity = NULL WHERE force_id = $1 AND id = $2")
        .bind(force.uuid()).bind(id.uuid()).execute(c).await)?;
    delete_parts(tx, force, id).await
}

/// Loads a person's details.
///
/// # Errors
/// [`crate::StoreError::NotFound`] when there is no such person.
pub async fn load(tx: &mut Tx, force: ForceId, id: RecordId) -> Result<Person> {
    let (f, r) = (force.uuid(), id.uuid());
    let row: PersonRow = on!(tx, c => sqlx::query_as(
        "SELECT forenames, surname, date_of_birth, dob_approximate, sex, ethnicity FROM person
         WHERE force_id = $1 AND id = $2")
        .bind(f).bind(r).fetch_one(c).await)?;
    let aliases: Vec<AliasRow> = on!(tx, c => sqlx::query_as(
        "SELECT forenames, surname FROM person_alias WHERE force_id = $1 AND person_id = $2 ORDER BY ordinal")
        .bind(f).bind(r).fetch_all(c).await)?;
    let markers: Vec<MarkerRow> = on!(tx, c => sqlx::query_as(
        "SELECT kind, valid_from, valid_until, note FROM warning_marker WHERE force_id = $1 AND person_id = $2
         ORDER BY ordinal")
        .bind(f).bind(r).fetch_all(c).await)?;
    Ok(Person {
        name: PersonName {
            forenames: row.forenames,
            surname: row.surname,
        },
        aliases: aliases
            .into_iter()
            .map(|a| PersonName {
                forenames: a.forenames,
                surname: a.surname,
            })
            .collect(),
        date_of_birth: dob(row.date_of_birth.as_deref())?,
        date_of_birth_approximate: row.dob_approximate,
        sex: decode("sex", &row.sex)?,
        ethnicity: row
            .ethnicity
            .as_deref()
            .map(|e| decode("ethnicity", e))
            .transpose()?,
        warning_markers: markers
            .into_iter()
            .map(|m| {
                Ok(WarningMarker {
                    kind: decode("marker", &m.kind)?,
                    from: m.valid_from,
                    until: m.valid_until,
                    note: m.note,
                })
            })
            .collect::<Result<_>>()?,
    })
}

/// One row of the candidate query, an element of the JSON array it answers: a candidate of
/// the page (its ID in hexadecimal) with its names and date of birth (absent when the person
/// row is), and at most one alias (ordinal, forenames, surname).
type CandidateRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// A search key as [`candidates`] looks it up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchKey {
    /// The key (see `bluelamp_domain::nominal::query_keys`).
    pub key: String,
    /// What sharing it adds to a person's rank.
    pub weight: i64,
    /// Whether sharing it makes a person a candidate; a key that does not only ranks the
    /// persons another key finds.
    pub fetches: bool,
}

/// The persons visible to `audience` that share a fetching search key with the query and
/// that `judge` keeps, with what `judge` made of them (a score). `judge` sees every name and
/// the date of birth; the postcodes too when `postcodes` is set, and otherwise none (see
/// [`postcodes`]). At most `limit` visible candidates are judged, those with the most weight
/// of keys shared first, then by ID; the result is in no particular order.
///
/// The work is in three steps, so that each costs as little as it can:
/// - one statement ranks every person sharing a key by the weight of the keys shared and
///   reads the names of a page of `limit` of them (the key lookup reads only the index);
/// - `judge` runs here, on the page;
/// - the need-to-know check reads the record of each candidate kept. At a million persons a
///   common forename and year alone match hundreds of people, most of whom score too low
///   to show, so checking only the kept ones spares most of the record lookups.
///
/// When the page is full, more persons may share a key, and the window must then be
/// exactly the first `limit` visible persons in rank order: every candidate of the page is
/// checked, and when some are hidden the next page makes up the number.
///
/// # Errors
/// The database failed.
pub async fn candidates<T>(
    tx: &mut Tx,
    force: ForceId,
    keys: &[SearchKey],
    audience: &Audience,
    limit: i64,
    postcodes: bool,
    mut judge: impl FnMut(&Candidate) -> Option<T>,
) -> Result<Vec<(RecordId, Candidate, T)>> {
    if !keys.iter().any(|k| k.fetches) || limit <= 0 {
        return Ok(vec![]);
    }
    // $1 force, $2 page size, $3 page offset, then each key, its weight and whether it fetches
    // (1 or 0): under a hundred parameters, so that SQLite's linear lookup of named
    // parameters costs nothing.
    //
    // The key lookup must use the (force_id, key, person_id) primary key. Written as
    // `key IN (...)`, SQLite prefers the (force_id, person_id) index for its order, which
    // suits GROUP BY person_id, and reads every key of the force (seconds at a million
    // persons); the keys are therefore a VALUES list that a CROSS JOIN puts outermost (SQLite
    // keeps the order of a CROSS JOIN; PostgreSQL plans it as any inner join). The page is
    // a materialised CTE (honoured by SQLite 3.35+ and PostgreSQL 12+) so that it drives the
    // person lookups, and the LEFT JOINs keep it outermost: written as inner joins, SQLite
    // 3.51 (and PostgreSQL without statistics) may read every person of the force and probe
    // the page. The LIMIT is a cast rather than a bare parameter: SQLite plans around a
    // bound LIMIT's value, so binding one would make it prepare the statement afresh on
    // every search.
    //
    // The rows come back as one JSON array in one row: sqlx passes rows from SQLite's thread
    // to the caller's one at a time, each a copy of its values and often a context switch,
    // which for hundreds of candidates cost more than the lookups themselves.
    let key_rows: Vec<String> = (0..keys.len())
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 4, 3 * i + 5, 3 * i + 6))
        .collect();
    let rows_json = match tx.backend() {
        Backend::Sqlite => {
            "json_group_array(json_array(hex(page.id), p.forenames, p.surname, p.date_of_birth,
                                         a.ordinal, a.forenames, a.surname))"
        }
        Backend::Postgres => {
            "CAST(json_agg(json_build_array(page.id, p.forenames, p.surname, p.date_of_birth,
                                            a.ordinal, a.forenames, a.surname)) AS text)"
        }
    };
    let sql = format!(
        "WITH page AS MATERIALIZED (
             SELECT k.person_id AS id, SUM(q.column2) AS hits
             FROM (VALUES {}) AS q CROSS JOIN person_name_key k
             WHERE k.force_id = $1 AND k.key = q.column1
             GROUP BY k.person_id HAVING MAX(q.column3) = 1
             ORDER BY SUM(q.column2) DESC, k.person_id LIMIT CAST($2 AS BIGINT) OFFSET $3)
         SELECT {rows_json}
         FROM page
         LEFT JOIN person p ON p.force_id = $1 AND p.id = page.id
         LEFT JOIN person_alias a ON a.force_id = $1 AND a.person_id = page.id",
        key_rows.join(", ")
    );
    let mut out: Vec<(RecordId, Candidate, T)> = Vec::new();
    // Visible candidates judged so far, kept or not.
    let mut judged = 0i64;
    let mut offset = 0i64;
    loop {
        let want = limit - judged;
        let (json,): (Option<String>,) = on!(tx, c => {
            let mut q = sqlx::query_as(AssertSqlSafe(sql.clone()))
                .bind(force.uuid()).bind(want).bind(offset);
            for k in keys {
                q = q.bind(&k.key).bind(k.weight).bind(i64::from(k.fetches));
            }
            q.fetch_one(c).await
        })?;
        let rows: Vec<CandidateRow> = match json {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("candidates: {e}")))?,
            None => Vec::new(),
        };
        let (ranked, mut page) = fold_candidates(rows)?;
        if postcodes {
            let ids: Vec<RecordId> = page.iter().map(|(id, _)| *id).collect();
            let mut found = self::postcodes(tx, force, &ids).await?;
            for (id, c) in &mut page {
                c.postcodes = found.remove(id).unwrap_or_default();
            }
        }
        let full = ranked == want;
        let verdicts: Vec<Option<T>> = page.iter().map(|(_, c)| judge(c)).collect();
        // A page that is not full holds every remaining person sharing a key, so only the
        // kept ones need checking; a full one is checked whole, to count the window.
        let to_check: Vec<RecordId> = page
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| full || v.is_some())
            .map(|((id, _), _)| *id)
            .collect();
        let hidden = hidden_among(tx, force, &to_check, audience).await?;
        for ((id, c), v) in page.into_iter().zip(verdicts) {
            if hidden.contains(&id) {
                continue;
            }
            judged += 1;
            if let Some(v) = v {
                out.push((id, c, v));
            }
        }
        if !full || judged >= limit {
            return Ok(out);
        }
        offset += want;
    }
}

/// Folds a page's rows (one per alias, in any order) into candidates, and answers how many
/// persons the page ranked (with those whose person row is missing, which are left out).
fn fold_candidates(rows: Vec<CandidateRow>) -> Result<(i64, Vec<(RecordId, Candidate)>)> {
    // Each person's rows together, aliases in order (sorting the small keys, not the rows).
    let mut order = rows
        .iter()
        .enumerate()
        .map(|(i, row)| Ok((decode::<Uuid>("candidate ID", &row.0)?, row.4, i)))
        .collect::<Result<Vec<_>>>()?;
    order.sort_unstable();
    let mut rows: Vec<Option<CandidateRow>> = rows.into_iter().map(Some).collect();
    let rows = order
        .into_iter()
        .filter_map(|(id, _, i)| Some((id, rows.get_mut(i)?.take()?)));
    let mut out: Vec<(RecordId, Candidate)> = Vec::new();
    let mut ranked = 0i64;
    let mut current: Option<Uuid> = None;
    // Whether the current person is in `out` (their person row was there).
    let mut kept = false;
    for (id, (_, forenames, surname, date_of_birth, _, alias_forenames, alias_surname)) in rows {
        if current != Some(id) {
            ranked += 1;
            current = Some(id);
            kept = false;
            if let (Some(forenames), Some(surname)) = (forenames, surname) {
                out.push((
                    RecordId::from_uuid(id),
                    Candidate {
                        names: vec![PersonName { forenames, surname }],
                        date_of_birth: dob(date_of_birth.as_deref())?,
                        postcodes: vec![],
                    },
                ));
                kept = true;
            }
        }
        if kept
            && let (Some(forenames), Some(surname)) = (alias_forenames, alias_surname)
            && let Some((_, c)) = out.last_mut()
        {
            c.names.push(PersonName { forenames, surname });
        }
    }
    Ok((ranked, out))
}

/// The IDs among `ids` of the records `audience` may not see (or that do not exist).
///
/// Hidden records are few, so the answer is usually empty: asking for the visible ones
/// instead would send a row per candidate from SQLite's thread to the caller's, each a
/// context switch when SQLite produces them one by one.
async fn hidden_among(
    tx: &mut Tx,
    force: ForceId,
    ids: &[RecordId],
    audience: &Audience,
) -> Result<HashSet<RecordId>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2..$4 audience, $5 the IDs. The need-to-know check is a correlated
    // subquery, run once per ID by primary key; it is NULL for a missing record.
    let sql = format!(
        "SELECT j.id FROM ({}) AS j
         WHERE NOT COALESCE((SELECT {} FROM record r WHERE r.force_id = $1 AND r.id = j.id), FALSE)",
        id_rows(tx, 5),
        visible("r", 2)
    );
    let found: Vec<(Uuid,)> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(partner).bind(user).bind(agency)
        .bind(id_array(ids))
        .fetch_all(c).await)?;
    Ok(found
        .into_iter()
        .map(|(id,)| RecordId::from_uuid(id))
        .collect())
}

/// The postcodes of the addresses each of `ids` lives at (absent for those living nowhere
/// recorded).
///
/// # Errors
/// The database failed.
pub async fn postcodes(
    tx: &mut Tx,
    force: ForceId,
    ids: &[RecordId],
) -> Result<HashMap<RecordId, Vec<Postcode>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT l.from_id, loc.postcode FROM link l
         JOIN location loc ON loc.force_id = l.force_id AND loc.id = l.to_id
         WHERE l.force_id = $1 AND l.role = 'lives_at' AND l.from_id IN ({})
         ORDER BY l.from_id, l.id",
        id_rows(tx, 2)
    );
    let rows: Vec<(Uuid, Option<String>)> = on!(tx, c => sqlx::query_as(AssertSqlSafe(sql))
        .bind(force.uuid()).bind(id_array(ids))
        .fetch_all(c).await)?;
    let mut out: HashMap<RecordId, Vec<Postcode>> = HashMap::new();
    for (id, postcode) in rows {
        let entry = out.entry(RecordId::from_uuid(id)).or_default();
        if let Some(pc) = postcode.and_then(|p| p.parse::<Postcode>().ok()) {
            entry.push(pc);
        }
    }
    Ok(out)
}

/// A subquery of one row per ID, in a column `id`, from a list of IDs bound as one
/// parameter `$n`: a JSON array of hexadecimal IDs (see [`id_array`]). One parameter rather
/// than one per ID, because SQLite looks named parameters up in a list searched from the
/// start (quadratic in their number), and each count would be a statement of its own for
/// sqlx to prepare.
fn id_rows(tx: &Tx, n: usize) -> String {
    crate::id_rows(tx, n)
}

/// The value to bind for [`id_rows`].
fn id_array(ids: &[RecordId]) -> String {
    crate::uuid_array(ids.iter().map(RecordId::uuid))
}

#[cfg(test)]
mod tests;
