use proptest::prelude::*;

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
}

fn valid() -> PersonInput {
    PersonInput {
        forenames: "John Paul".into(),
        surname: "Smith".into(),
        date_of_birth: Some("1971-03".into()),
        sex: Some("male".into()),
        ethnicity: Some("w1".into()),
        ..PersonInput::default()
    }
}

#[test]
fn parses_a_valid_person() {
    let p = Person::parse(&valid(), today());
    let p = p.as_ref().map_err(|e| e.to_string());
    assert_eq!(
        p.map(|p| (p.name.surname.as_str(), p.ethnicity, p.date_of_birth)),
        Ok((
            "Smith",
            Some(Ethnicity::W1),
            Some(PartialDate::YearMonth(1971, 3))
        ))
    );
}

#[test]
fn names_every_bad_field_at_once() {
    let input = PersonInput {
        forenames: "  ".into(),
        surname: "Smith".into(),
        date_of_birth: Some("1971-02-30".into()),
        sex: Some("m".into()),
        ethnicity: Some("Z1".into()),
        aliases: vec![NameInput {
            forenames: "Jo".into(),
            surname: String::new(),
        }],
        warning_markers: vec![MarkerInput {
            kind: "violent".into(),
            from: "2020-01-02".into(),
            until: Some("2019-01-01".into()),
            note: None,
        }],
        ..PersonInput::default()
    };
    let fields: Vec<String> = match Person::parse(&input, today()) {
        Err(Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
        Ok(_) => vec![],
    };
    assert_eq!(
        fields,
        [
            "/forenames",
            "/aliases/0/surname",
            "/date_of_birth",
            "/sex",
            "/ethnicity",
            "/warning_markers/0/until"
        ]
    );
}

#[test]
fn a_date_of_birth_in_the_future_is_refused() {
    let input = PersonInput {
        date_of_birth: Some("2027".into()),
        ..valid()
    };
    assert!(
        matches!(Person::parse(&input, today()), Err(Invalid(e)) if e[0].field == "/date_of_birth")
    );
    let input = PersonInput {
        date_of_birth: Some("2026".into()),
        ..valid()
    };
    assert!(Person::parse(&input, today()).is_ok());
}

#[test]
fn there_are_eighteen_ethnicities_plus_not_stated() {
    assert_eq!(Ethnicity::ALL.len(), 19);
    assert_eq!("NS".parse::<Ethnicity>(), Ok(Ethnicity::NotStated));
}

proptest! {
    #[test]
    fn never_panics_on_any_text(fore in "\\PC{0,120}", sur in "\\PC{0,120}", dob in "\\PC{0,12}", sex in "\\PC{0,8}") {
        let input = PersonInput { forenames: fore, surname: sur, date_of_birth: Some(dob), sex: Some(sex), ..PersonInput::default() };
        let _ = Person::parse(&input, today());
    }
}
