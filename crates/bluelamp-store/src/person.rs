//! Persons (nominals): their details, aliases, warning markers and search keys.

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
use crate::{Result, Tx, decode, exec, on};

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

/// One row of the candidate query: a candidate with at most one alias and one address.
#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: Uuid,
    forenames: String,
    surname: String,
    date_of_birth: Option<String>,
    alias_ordinal: Option<i32>,
    alias_forenames: Option<String>,
    alias_surname: Option<String>,
    link_id: Option<Uuid>,
    postcode: Option<String>,
}

/// The persons visible to `audience` that share a search key with the query, with what
/// scoring needs: every name, the date of birth and the postcodes they live at. At most
/// `limit` candidates, those sharing the most keys first (then by ID).
///
/// One statement does it all, so that the work stays inside the database: the key lookup,
/// the need-to-know filter, the ranking and limit, then each candidate's person row, aliases
/// and addresses, joined (one row per alias and address pair, folded together here).
///
/// # Errors
/// The database failed.
pub async fn candidates(
    tx: &mut Tx,
    force: ForceId,
    keys: &[String],
    audience: &Audience,
    limit: i64,
) -> Result<Vec<(RecordId, Candidate)>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let (partner, user, agency) = audience_binds(audience);
    // $1 force, $2 limit, $3..$5 audience, then the keys.
    //
    // Each step is a materialised CTE so that it is planned on its own. Above all, the key
    // lookup must use the (force_id, key, person_id) primary key: folded into the grouped
    // query, SQLite prefers the (force_id, person_id) index for its order, which suits
    // GROUP BY person_id, and reads every key of the force (seconds at a million persons).
    // MATERIALIZED is honoured by SQLite (3.35+) and PostgreSQL (12+) alike.
    let key_params: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 6)).collect();
    let sql = format!(
        "WITH m AS MATERIALIZED (
             SELECT k.person_id FROM person_name_key k WHERE k.force_id = $1 AND k.key IN ({})),
         top AS MATERIALIZED (
             SELECT m.person_id AS id, COUNT(*) AS hits FROM m
             JOIN record r ON r.force_id = $1 AND r.id = m.person_id
             WHERE {} GROUP BY m.person_id ORDER BY COUNT(*) DESC, m.person_id LIMIT $2)
         SELECT top.id, p.forenames, p.surname, p.date_of_birth,
                a.ordinal AS alias_ordinal, a.forenames AS alias_forenames, a.surname AS alias_surname,
                l.id AS link_id, loc.postcode
         FROM top
         JOIN person p ON p.force_id = $1 AND p.id = top.id
         LEFT JOIN person_alias a ON a.force_id = $1 AND a.person_id = top.id
         LEFT JOIN link l ON l.force_id = $1 AND l.from_id = top.id AND l.role = 'lives_at'
         LEFT JOIN location loc ON loc.force_id = l.force_id AND loc.id = l.to_id
         ORDER BY top.hits DESC, top.id, a.ordinal, l.id",
        key_params.join(", "),
        visible("r", 3)
    );
    let rows: Vec<CandidateRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(sql))
            .bind(force.uuid()).bind(limit).bind(partner).bind(user).bind(agency.clone());
        for k in keys {
            q = q.bind(k);
        }
        q.fetch_all(c).await
    })?;
    let mut out: Vec<(RecordId, Candidate)> = Vec::new();
    // What the current candidate already has, to fold the alias-by-address product.
    let mut aliases_seen: Vec<i32> = Vec::new();
    let mut links_seen: Vec<Uuid> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|(id, _)| id.uuid() != row.id) {
            aliases_seen.clear();
            links_seen.clear();
            out.push((
                RecordId::from_uuid(row.id),
                Candidate {
                    names: vec![PersonName {
                        forenames: row.forenames,
                        surname: row.surname,
                    }],
                    date_of_birth: dob(row.date_of_birth.as_deref())?,
                    postcodes: vec![],
                },
            ));
        }
        let Some((_, c)) = out.last_mut() else {
            continue;
        };
        if let (Some(ordinal), Some(forenames), Some(surname)) =
            (row.alias_ordinal, row.alias_forenames, row.alias_surname)
            && !aliases_seen.contains(&ordinal)
        {
            aliases_seen.push(ordinal);
            c.names.push(PersonName { forenames, surname });
        }
        if let Some(link) = row.link_id
            && !links_seen.contains(&link)
        {
            links_seen.push(link);
            if let Some(pc) = row.postcode.and_then(|p| p.parse::<Postcode>().ok()) {
                c.postcodes.push(pc);
            }
        }
    }
    Ok(out)
}
