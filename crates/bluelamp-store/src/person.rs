//! Persons (nominals): their details, aliases, warning markers and search keys.

use std::collections::HashMap;

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
    id: Uuid,
    forenames: String,
    surname: String,
    date_of_birth: Option<String>,
    dob_approximate: bool,
    sex: String,
    ethnicity: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AliasRow {
    person_id: Uuid,
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
        "SELECT id, forenames, surname, date_of_birth, dob_approximate, sex, ethnicity FROM person
         WHERE force_id = $1 AND id = $2")
        .bind(f).bind(r).fetch_one(c).await)?;
    let aliases: Vec<AliasRow> = on!(tx, c => sqlx::query_as(
        "SELECT person_id, forenames, surname FROM person_alias WHERE force_id = $1 AND person_id = $2 ORDER BY ordinal")
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

/// The persons visible to `audience` that share a search key with the query, with what
/// scoring needs: every name, the date of birth and the postcodes they live at. At most
/// `limit` candidates.
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
    let key_params: Vec<String> = (0..keys.len()).map(|i| format!("${}", i + 6)).collect();
    let matched = format!(
        "SELECT k.person_id FROM person_name_key k JOIN record r ON r.force_id = k.force_id AND r.id = k.person_id
         WHERE k.force_id = $1 AND k.key IN ({}) AND {} GROUP BY k.person_id ORDER BY COUNT(*) DESC, k.person_id LIMIT $2",
        key_params.join(", "),
        visible("r", 3)
    );
    let ids: Vec<Uuid> = on!(tx, c => {
        let mut q = sqlx::query_scalar(AssertSqlSafe(matched.clone()))
            .bind(force.uuid()).bind(limit).bind(partner).bind(user).bind(agency.clone());
        for k in keys {
            q = q.bind(k);
        }
        q.fetch_all(c).await
    })?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let id_params: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 2)).collect();
    let in_ids = id_params.join(", ");
    let people_sql = format!(
        "SELECT id, forenames, surname, date_of_birth, dob_approximate, sex, ethnicity FROM person
         WHERE force_id = $1 AND id IN ({in_ids})"
    );
    let alias_sql = format!(
        "SELECT person_id, forenames, surname FROM person_alias WHERE force_id = $1 AND person_id IN ({in_ids})"
    );
    let postcode_sql = format!(
        "SELECT l.from_id, loc.postcode FROM link l JOIN location loc ON loc.force_id = l.force_id AND loc.id = l.to_id
         WHERE l.force_id = $1 AND l.role = 'lives_at' AND loc.postcode IS NOT NULL AND l.from_id IN ({in_ids})"
    );
    let people: Vec<PersonRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(people_sql)).bind(force.uuid());
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })?;
    let aliases: Vec<AliasRow> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(alias_sql)).bind(force.uuid());
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })?;
    let postcodes: Vec<(Uuid, String)> = on!(tx, c => {
        let mut q = sqlx::query_as(AssertSqlSafe(postcode_sql)).bind(force.uuid());
        for id in &ids {
            q = q.bind(*id);
        }
        q.fetch_all(c).await
    })?;
    let mut by_id: HashMap<Uuid, Candidate> = HashMap::with_capacity(people.len());
    for p in people {
        by_id.insert(
            p.id,
            Candidate {
                names: vec![PersonName {
                    forenames: p.forenames,
                    surname: p.surname,
                }],
                date_of_birth: dob(p.date_of_birth.as_deref())?,
                postcodes: vec![],
            },
        );
    }
    for a in aliases {
        if let Some(c) = by_id.get_mut(&a.person_id) {
            c.names.push(PersonName {
                forenames: a.forenames,
                surname: a.surname,
            });
        }
    }
    for (id, pc) in postcodes {
        if let (Some(c), Ok(pc)) = (by_id.get_mut(&id), pc.parse::<Postcode>()) {
            c.postcodes.push(pc);
        }
    }
    Ok(ids
        .into_iter()
        .filter_map(|id| by_id.remove(&id).map(|c| (RecordId::from_uuid(id), c)))
        .collect())
}
