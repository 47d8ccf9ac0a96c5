//! Persons (nominals): create with likely matches, open, edit, and search the way
//! officers search.

use bluelamp_domain::access::Action;
use bluelamp_domain::audit::Operation;
use bluelamp_domain::field::{Fields, Invalid};
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::nominal::{self, Candidate, NameQuery};
use bluelamp_domain::partial_date::PartialDate;
use bluelamp_domain::person::{Person, PersonInput};
use bluelamp_domain::postcode::PostcodeSearch;
use bluelamp_domain::record::RecordKind;
use bluelamp_store::link::Link;
use bluelamp_store::record::RecordHead;
use bluelamp_store::{Tx, person as store, record};
use uuid::Uuid;

use crate::{App, Ctx, Page, Result, authorise};

/// A person as shown: their record head, details and links.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub head: RecordHead,
    pub person: Person,
    pub links: Vec<Link>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct Match {
    pub id: RecordId,
    /// 0 to 100: how well the person matches the search.
    pub score: u8,
    pub candidate: Candidate,
}

/// A page of search results.
#[derive(Debug, Clone)]
pub struct Matches {
    pub items: Vec<Match>,
    pub page: Page,
    /// How many persons matched in all (up to the candidate limit).
    pub total: usize,
}

/// A search as typed.
#[derive(Debug, Clone, Default)]
pub struct SearchInput {
    pub name: String,
    pub date_of_birth: Option<String>,
    pub postcode: Option<String>,
}

/// Matches below this score are not shown: they are noise.
pub const MIN_SCORE: u8 = 40;
/// A new person's likely duplicates: matches at or above this score.
pub const LIKELY_MATCH: u8 = 60;
/// The most candidates scored for one search by name alone.
const CANDIDATE_LIMIT: i64 = 2000;
/// The most candidates scored for one search with a date of birth, best ranked first. At a
/// million persons a common forename and a year alone match hundreds, and scoring them all
/// was most of the cost of a search. The ranking (keys shared, a pair of names counting
/// double, typo pairs lifting a misspelt surname) puts the person searched for within the
/// first 300 in all 3,000 misspelt searches of `bluelamp-bench search`; those left out share
/// one name and the year with the search, and score about 45.
const CANDIDATE_LIMIT_WITH_DOB: i64 = 300;

/// The JSON an audit entry keeps of a person's details.
pub fn person_json(p: &Person) -> serde_json::Value {
    serde_json::json!({
        "forenames": p.name.forenames,
        "surname": p.name.surname,
        "aliases": p.aliases.iter().map(|a| serde_json::json!({"forenames": a.forenames, "surname": a.surname})).collect::<Vec<_>>(),
        "date_of_birth": p.date_of_birth.map(|d| d.to_string()),
        "date_of_birth_approximate": p.date_of_birth_approximate,
        "sex": p.sex.as_str(),
        "ethnicity": p.ethnicity.map(|e| e.as_str()),
        "warning_markers": p.warning_markers.iter().map(|m| serde_json::json!({
            "kind": m.kind.as_str(), "from": m.from, "until": m.until, "note": m.note,
        })).collect::<Vec<_>>(),
    })
}

fn parse_search(input: &SearchInput) -> Result<NameQuery, Invalid> {
    let mut f = Fields::new();
    let name = f.text("/name", &input.name, 200);
    if name
        .as_deref()
        .is_some_and(|n| nominal::tokens(n).is_empty())
    {
        f.error("/name", "must contain letters");
    }
    let date_of_birth = match input.date_of_birth.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => f.check("/dob", raw.parse::<PartialDate>()),
    };
    let postcode = match input.postcode.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => f.check("/postcode", raw.parse::<PostcodeSearch>()),
    };
    f.finish(|| {
        Some(NameQuery {
            name: name?,
            date_of_birth,
            postcode,
        })
    })
}

impl App {
    /// The candidates scoring at least [`MIN_SCORE`], best first. Their postcodes are read
    /// only when the search gives a postcode to score them by; [`App::add_postcodes`] reads
    /// those of the matches about to be shown.
    async fn ranked(&self, tx: &mut Tx, ctx: &Ctx, query: &NameQuery) -> Result<Vec<Match>> {
        let fetching = nominal::query_keys(query).into_iter().map(|k| (k, true));
        let ranking = nominal::rank_keys(query).into_iter().map(|k| (k, false));
        let keys: Vec<store::SearchKey> = fetching
            .chain(ranking)
            .map(|(key, fetches)| store::SearchKey {
                weight: nominal::rank_weight(&key),
                key,
                fetches,
            })
            .collect();
        let found = store::candidates(
            tx,
            self.force.id,
            &keys,
            &ctx.actor.audience(),
            if query.date_of_birth.is_some() {
                CANDIDATE_LIMIT_WITH_DOB
            } else {
                CANDIDATE_LIMIT
            },
            query.postcode.is_some(),
            |c| Some(nominal::score(query, c)).filter(|s| *s >= MIN_SCORE),
        )
        .await?;
        let mut matches: Vec<Match> = found
            .into_iter()
            .map(|(id, candidate, score)| Match {
                id,
                score,
                candidate,
            })
            .collect();
        // Best first, then by name and ID; the keys are made once per match, not once per
        // comparison (a common name has hundreds of matches).
        matches.sort_by_cached_key(|m| {
            let name = m
                .candidate
                .names
                .first()
                .map(|n| (n.surname.to_lowercase(), n.forenames.to_lowercase()))
                .unwrap_or_default();
            (std::cmp::Reverse(m.score), name, m.id)
        });
        Ok(matches)
    }

    /// Reads the postcodes of matches about to be shown, which [`App::ranked`] leaves out
    /// unless the search scored by them: a common name has hundreds of matches, a page twenty.
    async fn add_postcodes(
        &self,
        tx: &mut Tx,
        query: &NameQuery,
        matches: &mut [Match],
    ) -> Result<()> {
        if query.postcode.is_some() || matches.is_empty() {
            return Ok(());
        }
        let ids: Vec<RecordId> = matches.iter().map(|m| m.id).collect();
        let mut found = store::postcodes(tx, self.force.id, &ids).await?;
        for m in matches {
            m.candidate.postcodes = found.remove(&m.id).unwrap_or_default();
        }
        Ok(())
    }

    /// Creates a person and answers with the likely matches already recorded, so that the
    /// officer can see a possible duplicate nominal.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `create_record`; [`crate::AppError::Invalid`]
    /// naming each bad field (nothing is written).
    pub async fn create_person(
        &self,
        ctx: &Ctx,
        input: &PersonInput,
    ) -> Result<(PersonView, Vec<Match>)> {
        authorise(ctx, Action::CreateRecord)?;
        let now = self.now();
        let person = Person::parse(input, now.date_naive())?;
        let mut tx = self.begin().await?;
        let query = NameQuery {
            name: format!("{} {}", person.name.forenames, person.name.surname),
            date_of_birth: person.date_of_birth,
            postcode: None,
        };
        let mut likely = self.ranked(&mut tx, ctx, &query).await?;
        likely.retain(|m| m.score >= LIKELY_MATCH);
        likely.truncate(10);
        self.add_postcodes(&mut tx, &query, &mut likely).await?;
        let id = RecordId::from_uuid(Uuid::now_v7());
        record::insert(
            &mut tx,
            self.force.id,
            id,
            RecordKind::Person,
            Some(ctx.actor.user_id),
            now,
        )
        .await?;
        let keys = nominal::index_keys(&person.all_names(), person.date_of_birth.as_ref());
        store::insert(&mut tx, self.force.id, id, &person, &keys).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Collection,
            "person.create",
            Some(id),
            serde_json::json!({"after": person_json(&person)}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        tx.commit().await?;
        Ok((
            PersonView {
                head,
                person,
                links: vec![],
            },
            likely,
        ))
    }

    /// Opens a person with their links. Restricted persons need a stated reason; hidden
    /// ones do not exist.
    ///
    /// # Errors
    /// [`crate::AppError::NotFound`], [`crate::AppError::ReasonRequired`],
    /// [`crate::AppError::Denied`].
    pub async fn get_person(&self, ctx: &Ctx, id: RecordId) -> Result<PersonView> {
        authorise(ctx, Action::ViewRecord)?;
        let mut tx = self.begin().await?;
        let head = self
            .open(&mut tx, ctx, id, Some(RecordKind::Person))
            .await?;
        let person = store::load(&mut tx, self.force.id, id).await?;
        let links =
            bluelamp_store::link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience())
                .await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "person.view",
            Some(id),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(PersonView {
            head,
            person,
            links,
        })
    }

    /// Replaces a person's details; the audit entry keeps the before and after.
    ///
    /// # Errors
    /// As [`App::get_person`], and [`crate::AppError::Invalid`].
    pub async fn update_person(
        &self,
        ctx: &Ctx,
        id: RecordId,
        input: &PersonInput,
    ) -> Result<PersonView> {
        authorise(ctx, Action::EditRecord)?;
        let now = self.now();
        let person = Person::parse(input, now.date_naive())?;
        let mut tx = self.begin().await?;
        let head = self
            .open(&mut tx, ctx, id, Some(RecordKind::Person))
            .await?;
        if head.erased_at.is_some() {
            return Err(crate::AppError::Conflict(
                "this person's data has been erased".into(),
            ));
        }
        let before = store::load(&mut tx, self.force.id, id).await?;
        let keys = nominal::index_keys(&person.all_names(), person.date_of_birth.as_ref());
        store::update(&mut tx, self.force.id, id, &person, &keys).await?;
        record::touch(&mut tx, self.force.id, id, now).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Alteration,
            "person.update",
            Some(id),
            serde_json::json!({"before": person_json(&before), "after": person_json(&person)}),
        )
        .await?;
        let head = record::head(&mut tx, self.force.id, id).await?;
        let links =
            bluelamp_store::link::of_record(&mut tx, self.force.id, id, &ctx.actor.audience())
                .await?;
        tx.commit().await?;
        Ok(PersonView {
            head,
            person,
            links,
        })
    }

    /// Searches nominals by name, with an optional date of birth and postcode (whole, or its
    /// district such as `LE1` or sector such as `LE1 5`, matching the persons living at an
    /// address in it): ranked by score, a page at a time, never showing a record hidden from
    /// the actor. The search and its terms are audited.
    ///
    /// # Errors
    /// [`crate::AppError::Denied`] without `search_persons`; [`crate::AppError::Invalid`]
    /// for a blank name or a bad date of birth or postcode.
    pub async fn search_persons(
        &self,
        ctx: &Ctx,
        input: &SearchInput,
        page: Page,
    ) -> Result<Matches> {
        authorise(ctx, Action::SearchPersons)?;
        let query = parse_search(input)?;
        let mut tx = self.begin().await?;
        let all = self.ranked(&mut tx, ctx, &query).await?;
        let total = all.len();
        let mut items: Vec<Match> = all
            .into_iter()
            .skip(page.offset())
            .take(page.size as usize)
            .collect();
        self.add_postcodes(&mut tx, &query, &mut items).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "person.search",
            None,
            serde_json::json!({
                "name": query.name,
                "dob": query.date_of_birth.map(|d| d.to_string()),
                "postcode": query.postcode.as_ref().map(|p| p.to_string()),
                "page": page.number,
                "results": items.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(Matches { items, page, total })
    }
}

impl App {
    /// The people already recorded who may be the person about to be recorded: what the
    /// pages show before a new nominal is created, so that duplicates are not made. The
    /// details are checked as [`App::create_person`] would check them; nothing is written
    /// but the audit of the search.
    ///
    /// # Errors
    /// As [`App::create_person`].
    pub async fn likely_matches(&self, ctx: &Ctx, input: &PersonInput) -> Result<Vec<Match>> {
        authorise(ctx, Action::CreateRecord)?;
        let person = Person::parse(input, self.now().date_naive())?;
        let query = NameQuery {
            name: format!("{} {}", person.name.forenames, person.name.surname),
            date_of_birth: person.date_of_birth,
            postcode: None,
        };
        let mut tx = self.begin().await?;
        let mut likely = self.ranked(&mut tx, ctx, &query).await?;
        likely.retain(|m| m.score >= LIKELY_MATCH);
        likely.truncate(10);
        self.add_postcodes(&mut tx, &query, &mut likely).await?;
        self.audit(
            &mut tx,
            ctx,
            Operation::Consultation,
            "person.likely_matches",
            None,
            serde_json::json!({
                "name": query.name,
                "dob": query.date_of_birth.map(|d| d.to_string()),
                "results": likely.iter().map(|m| m.id.to_string()).collect::<Vec<_>>(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(likely)
    }
}
