use std::collections::BTreeSet;

use bluelamp_domain::record::RecordKind;
use serde_json::json;

use super::*;

#[test]
fn every_record_kind_has_one_file() {
    for kind in RecordKind::ALL {
        let files: Vec<&str> = KINDS
            .iter()
            .filter(|k| k.record_kind == Some(kind.as_str()))
            .map(|k| k.name)
            .collect();
        assert_eq!(files.len(), 1, "{kind}: {files:?}");
    }
}

#[test]
fn file_names_are_the_record_types() {
    let names: Vec<String> = KINDS.iter().map(Kind::file_name).collect();
    for wanted in [
        "persons.jsonl",
        "locations.jsonl",
        "objects.jsonl",
        "links.jsonl",
        "users.jsonl",
        "audit.jsonl",
    ] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
    }
    assert!(Kind::for_file("persons.jsonl").is_some_and(|k| k.table == "person"));
    assert!(Kind::for_file("manifest.json").is_none());
}

/// Every table of the schema is exported, rebuilt from what is, or deliberately left out:
/// a new table fails here until it is given an entry in [`KINDS`] or a reason to be skipped.
#[tokio::test]
async fn every_table_of_the_schema_is_exported_derived_or_skipped() {
    let db = Db::connect("sqlite::memory:")
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    db.migrate()
        .await
        .unwrap_or_else(|e| panic!("migrate: {e}"));
    let Db::Sqlite(pool) = &db else {
        panic!("not SQLite")
    };
    let schema: BTreeSet<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%'",
    )
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("tables: {e}"))
    .into_iter()
    .collect();
    let known: BTreeSet<String> = all_tables().into_iter().map(str::to_string).collect();
    assert_eq!(
        schema.difference(&known).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "tables neither exported, derived nor skipped"
    );
    assert_eq!(
        known.difference(&schema).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "tables named in the registry that the schema does not have"
    );
}

#[test]
fn values_cross_json_exactly() {
    let cases = [
        (
            col("a", Ty::Id),
            json!("0190f3a2-7b1c-7d4e-8f00-123456789abc"),
        ),
        (col("a", Ty::Text), json!("line one\nline \"two\"")),
        (col("a", Ty::Int), json!(7)),
        (col("a", Ty::BigInt), json!(9_007_199_254_740_993_i64)),
        (col("a", Ty::Bool), json!(false)),
        (col("a", Ty::Real), json!(52.636_874_123_456_79)),
        (col("a", Ty::Real), json!(-0.1)),
        (col("a", Ty::Date), json!("2024-02-29")),
        (col("a", Ty::Time), json!("2024-03-01T09:15:00.123456Z")),
        (col("a", Ty::Time), json!("2024-03-01T09:15:00.123456789Z")),
        (col("a", Ty::Time), json!("2024-03-01T09:15:00Z")),
        (opt("a", Ty::Time), json!(null)),
    ];
    for (c, v) in cases {
        let val = Val::from_json(&c, &v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(val.to_json(), v);
        // And through text, as a file holds it.
        let reread: Value = serde_json::from_str(&v.to_string()).unwrap_or_default();
        assert_eq!(Val::from_json(&c, &reread), Ok(val));
    }
}

#[test]
fn times_are_written_in_utc() {
    let c = col("at", Ty::Time);
    let val = Val::from_json(&c, &json!("2024-07-01T10:00:00+01:00")).unwrap_or(Val::Time(None));
    assert_eq!(val.to_json(), json!("2024-07-01T09:00:00Z"));
}

#[test]
fn bad_values_name_their_column() {
    let bad = [
        (col("id", Ty::Id), json!("not-a-uuid"), "id: must be a UUID"),
        (
            col("n", Ty::Int),
            json!(1_i64 << 40),
            "n: must be a 32-bit integer",
        ),
        (
            col("d", Ty::Date),
            json!("2024-02-30"),
            "d: must be a date written YYYY-MM-DD",
        ),
        (
            col("t", Ty::Time),
            json!("yesterday"),
            "t: must be a time in RFC 3339",
        ),
        (col("s", Ty::Text), json!(null), "s: must not be null"),
        (col("b", Ty::Bool), json!("yes"), "b: must be true or false"),
    ];
    for (c, v, wanted) in bad {
        assert_eq!(Val::from_json(&c, &v), Err(wanted.to_string()));
    }
}

fn person_line() -> serde_json::Value {
    json!({
        "id": "0190f3a2-7b1c-7d4e-8f00-123456789abc",
        "forenames": "Bill", "surname": "Smyth", "date_of_birth": "1971-03",
        "dob_approximate": false, "sex": "male", "ethnicity": null,
        "aliases": [{"forenames": "William", "surname": "Smith"}],
        "warning_markers": [{"kind": "violent", "valid_from": "2020-01-01", "valid_until": null, "note": null}],
        "record": {
            "restricted": false, "created_at": "2024-01-01T00:00:00Z", "created_by": null,
            "updated_at": "2024-01-01T00:00:00Z", "archived_at": null, "erased_at": null,
            "restricted_to_users": [], "restricted_to_teams": [], "shared_with": []
        }
    })
}

fn push(line: &serde_json::Value) -> Result<(), String> {
    let persons = Kind::for_file("persons.jsonl").unwrap_or_else(|| panic!("no persons"));
    persons
        .loader(ForceId::from_uuid(Uuid::nil()))
        .push(&line.to_string())
}

#[test]
fn a_line_is_read_whole_or_refused_naming_the_field() {
    assert_eq!(push(&person_line()), Ok(()));

    let mut missing = person_line();
    missing.as_object_mut().map(|o| o.remove("surname"));
    assert_eq!(push(&missing), Err("surname: missing".into()));

    let mut extra = person_line();
    extra["nickname"] = json!("Billy");
    assert_eq!(
        push(&extra),
        Err("nickname: not a field of this file".into())
    );

    let mut alias = person_line();
    alias["aliases"][0]["middle"] = json!("J");
    assert_eq!(
        push(&alias),
        Err("aliases/0/middle: not a field of this file".into())
    );

    let mut marker = person_line();
    marker["warning_markers"][0]["valid_from"] = json!("soon");
    assert_eq!(
        push(&marker),
        Err("warning_markers/0/valid_from: must be a date written YYYY-MM-DD".into())
    );

    let mut record = person_line();
    record["record"]["shared_with"] = json!([{"agency": "IDVA"}]);
    assert_eq!(
        push(&record),
        Err("record/shared_with/0/shared_at: missing".into())
    );

    assert!(push(&json!([1, 2])).is_err_and(|e| e.starts_with("not a JSON object")));
}
