//! The pages, driven as a browser drives them: sign-in and sessions, CSRF defences, the
//! person forms with their error summary and likely matches, search, and the "state your
//! reason" step for restricted records. Each runs on both databases.

use axum::http::StatusCode;
use bluelamp_testkit::PASSWORD;
use serde_json::json;

use crate::on_each_backend;

fn location(res: &bluelamp_testkit::TestResponse) -> String {
    res.headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn signing_in_begins_a_fresh_secure_session_that_signing_out_ends() {
    on_each_backend(|t| async move {
        t.user("pc.page", &["call_handler"], &[], None).await;

        let anonymous = t
            .send(axum::http::Method::GET, "/persons?name=x", None, None, &[])
            .await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&anonymous), "/sign-in?next=%2Fpersons%3Fname%3Dx");

        let wrong = t
            .form_request("/sign-in", None, "username=pc.page&password=nope", &[])
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text.contains("govuk-error-summary"));
        assert!(wrong.text.contains("Enter a correct username and password"));
        assert!(wrong.text.contains("<title>Error: Sign in"));
        assert!(wrong.headers.get("set-cookie").is_none());

        let blank = t
            .form_request("/sign-in", None, "username=&password=", &[])
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            blank
                .text
                .contains("href=\"#username\">Enter your username")
        );
        assert!(
            blank
                .text
                .contains("href=\"#password\">Enter your password")
        );

        let body = format!(
            "username=pc.page&password={}&next=%2Fpersons",
            PASSWORD.replace(' ', "+")
        );
        let ok = t.form_request("/sign-in", None, &body, &[]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(location(&ok), "/persons");
        let cookie = ok
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        for attribute in [
            "__Host-bluelamp=",
            "Secure",
            "HttpOnly",
            "SameSite=Lax",
            "Path=/",
        ] {
            assert!(
                cookie.contains(attribute),
                "{attribute} missing from {cookie}"
            );
        }
        // A second sign-in gets a new session id, never the old one.
        let again = t.form_request("/sign-in", None, &body, &[]).await;
        let cookie2 = again
            .headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert_ne!(cookie.split(';').next(), cookie2.split(';').next());

        // A redirect after sign-in never leaves the site.
        let evil = format!(
            "username=pc.page&password={}&next=%2F%2Fevil.example",
            PASSWORD.replace(' ', "+")
        );
        assert_eq!(
            location(&t.form_request("/sign-in", None, &evil, &[]).await),
            "/"
        );

        let b = t.sign_in("pc.page").await;
        assert_eq!(b.get("/").await.status, StatusCode::OK);
        let out = b.submit("/sign-out", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(
            out.headers
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .contains("Max-Age=0")
        );
        // The old cookie no longer works.
        assert_eq!(b.get("/").await.status, StatusCode::SEE_OTHER);
        assert_eq!(
            t.count("web_session").await,
            3,
            "the three other sign-ins keep their sessions"
        );
    })
    .await;
}

#[tokio::test]
async fn an_idle_session_expires() {
    on_each_backend(|t| async move {
        t.user("pc.idle", &["call_handler"], &[], None).await;
        let b = t.sign_in("pc.idle").await;
        t.clock.advance(chrono::Duration::minutes(20));
        assert_eq!(
            b.get("/").await.status,
            StatusCode::OK,
            "20 minutes idle is within the limit"
        );
        t.clock.advance(chrono::Duration::minutes(31));
        let res = b.get("/").await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(location(&res).starts_with("/sign-in"));
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_session_token_or_from_another_site_are_refused_and_change_nothing() {
    on_each_backend(|t| async move {
        t.user("pc.csrf", &["investigator"], &[], None).await;
        let b = t.sign_in("pc.csrf").await;
        let no_token = b
            .submit_raw(
                "/persons/new",
                "forenames=A&surname=Forged&confirmed=yes",
                &[("sec-fetch-site", "same-origin")],
            )
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let body = format!("csrf={}&forenames=A&surname=Forged&confirmed=yes", b.csrf);
        let cross = b
            .submit_raw("/persons/new", &body, &[("sec-fetch-site", "cross-site")])
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        let origin = b
            .submit_raw(
                "/persons/new",
                &body,
                &[
                    ("origin", "https://evil.example"),
                    ("host", "bluelamp.example"),
                ],
            )
            .await;
        assert_eq!(origin.status, StatusCode::FORBIDDEN);
        assert_eq!(t.count("person").await, 0);
        // The same form from this site's page succeeds.
        let ok = b
            .submit(
                "/persons/new",
                &[
                    ("forenames", "A"),
                    ("surname", "Genuine"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        assert_eq!(t.count("person").await, 1);
    })
    .await;
}

#[tokio::test]
async fn recording_a_person_shows_errors_against_fields_then_likely_matches_then_the_record() {
    on_each_backend(|t| async move {
        let token = t.user("dc.form", &["investigator"], &[], None).await;
        t.person(&token, "William", "Smith", Some("1971-03-09"))
            .await;
        let b = t.sign_in("dc.form").await;

        let form = b.get("/persons/new").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.text
                .contains("<label class=\"govuk-label\" for=\"surname\">Surname</label>")
        );

        let bad = b
            .submit(
                "/persons/new",
                &[
                    ("forenames", "Bill"),
                    ("surname", ""),
                    ("date_of_birth", "1971-13"),
                    ("warning_markers-0-kind", "violent"),
                    ("warning_markers-0-from", "yesterday"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text.contains("<title>Error: Record a person"));
        assert!(
            bad.text
                .contains("href=\"#surname\">Surname must not be blank"),
            "{}",
            bad.text
        );
        assert!(bad.text.contains("href=\"#date_of_birth\">Date of birth"));
        assert!(
            bad.text
                .contains("href=\"#warning_markers-0-from\">Warning marker 1 start date")
        );
        assert!(bad.text.contains("id=\"surname-error\""));
        assert!(
            bad.text.contains("value=\"Bill\""),
            "what was typed is kept"
        );
        assert_eq!(t.count("person").await, 1, "nothing was written");

        let likely = b
            .submit(
                "/persons/new",
                &[
                    ("forenames", "Bill"),
                    ("surname", "Smyth"),
                    ("date_of_birth", "1971"),
                ],
            )
            .await;
        assert_eq!(likely.status, StatusCode::OK);
        assert!(likely.text.contains("Is this one of these people?"));
        assert!(likely.text.contains("SMITH, William"));
        assert!(likely.text.contains("name=\"surname\" value=\"Smyth\""));
        assert_eq!(
            t.count("person").await,
            1,
            "nothing is written before the user confirms"
        );

        let made = b
            .submit(
                "/persons/new",
                &[
                    ("forenames", "Bill"),
                    ("surname", "Smyth"),
                    ("date_of_birth", "1971"),
                    ("aliases-0-forenames", "Billy"),
                    ("aliases-0-surname", "Smyth"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER);
        let page = b.get(&location(&made)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text
                .contains("<h1 class=\"govuk-heading-l\">Bill SMYTH</h1>")
        );
        assert!(page.text.contains("Billy SMYTH"));
        assert!(page.text.contains("The record was created"));

        let search = b.get("/persons?name=smyth+william&dob=1971").await;
        assert_eq!(search.status, StatusCode::OK);
        assert!(search.text.contains("2 people match"), "{}", search.text);
        assert!(search.text.contains("bl-score"));

        let bad_search = b.get("/persons?name=&dob=not-a-date").await;
        assert_eq!(bad_search.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad_search
                .text
                .contains("href=\"#name\">Name must not be blank")
        );
        assert!(bad_search.text.contains("href=\"#dob\">Date of birth"));
    })
    .await;
}

#[tokio::test]
async fn editing_a_person_on_the_page_keeps_rows_and_is_audited() {
    on_each_backend(|t| async move {
        let token = t.user("dc.edit", &["investigator"], &[], None).await;
        let id = t.person(&token, "Sam", "Jones", None).await;
        let b = t.sign_in("dc.edit").await;
        let form = b.get(&format!("/persons/{id}/edit")).await;
        assert!(form.text.contains("value=\"Jones\""));
        let saved = b
            .submit(
                &format!("/persons/{id}/edit"),
                &[
                    ("forenames", "Samuel"),
                    ("surname", "Jones"),
                    ("sex", "male"),
                    ("ethnicity", "A1"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text);
        let page = b.get(&format!("/persons/{id}")).await;
        assert!(page.text.contains("Samuel JONES"));
        assert!(page.text.contains("Asian or Asian British: Indian (A1)"));
        let log = t.get(&format!("/api/v1/audit?record={id}"), &t.admin).await;
        let entries = log.body.as_array().cloned().unwrap_or_default();
        assert!(
            entries
                .iter()
                .any(|e| e["action"] == "person.update" && e["channel"] == "page"),
            "{}",
            log.text
        );
    })
    .await;
}

#[tokio::test]
async fn a_restricted_person_is_absent_for_others_and_opens_after_a_stated_reason() {
    on_each_backend(|t| async move {
        let soc = t
            .user("soc.page", &["soc_officer"], &["Serious Crime"], None)
            .await;
        t.user("soc.team", &["soc_officer"], &["Serious Crime"], None)
            .await;
        t.user("pc.other", &["investigator"], &[], None).await;
        let id = t.person(&soc, "Hidden", "Informant", Some("1980")).await;
        let r = t
            .put(
                &format!("/api/v1/records/{id}/restriction"),
                &soc,
                json!({"teams": ["Serious Crime"]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        let other = t.sign_in("pc.other").await;
        let hidden = other.get(&format!("/persons/{id}")).await;
        assert_eq!(hidden.status, StatusCode::NOT_FOUND);
        assert!(!hidden.text.contains("Informant"));
        let search = other.get("/persons?name=hidden+informant").await;
        assert!(search.text.contains("0 people match"));
        assert!(!search.text.contains("Informant"));
        // Not even the reason step reveals it.
        let sneak = other
            .submit(
                &format!("/records/{id}/reason"),
                &[("reason", "curious"), ("next", &format!("/persons/{id}"))],
            )
            .await;
        assert_eq!(
            other.get(&format!("/persons/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            sneak.text
        );

        let team = t.sign_in("soc.team").await;
        let ask = team.get(&format!("/persons/{id}")).await;
        assert_eq!(ask.status, StatusCode::SEE_OTHER);
        let step = location(&ask);
        assert!(
            step.starts_with(&format!("/records/{id}/reason?next=")),
            "{step}"
        );
        let form = team.get(&step).await;
        assert!(form.text.contains("State your reason"));
        let blank = team
            .submit(
                &format!("/records/{id}/reason"),
                &[("reason", " "), ("next", &format!("/persons/{id}"))],
            )
            .await;
        assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            blank
                .text
                .contains("href=\"#reason\">Your reason must not be blank")
        );
        let stated = team
            .submit(
                &format!("/records/{id}/reason"),
                &[
                    ("reason", "Operation Nightjar briefing"),
                    ("next", &format!("/persons/{id}")),
                ],
            )
            .await;
        assert_eq!(location(&stated), format!("/persons/{id}"));
        let open = team.get(&format!("/persons/{id}")).await;
        assert_eq!(open.status, StatusCode::OK);
        assert!(open.text.contains("Hidden INFORMANT"));
        assert!(open.text.contains("This record is restricted"));

        let log = t.get(&format!("/api/v1/audit?record={id}"), &t.admin).await;
        let entries = log.body.as_array().cloned().unwrap_or_default();
        assert!(
            entries.iter().any(|e| e["action"] == "person.view"
                && e["reason"] == "Operation Nightjar briefing"
                && e["username"] == "soc.team"),
            "{}",
            log.text
        );
    })
    .await;
}

#[tokio::test]
async fn locations_objects_and_links_on_the_pages() {
    on_each_backend(|t| async move {
        t.user("pc.pole", &["neighbourhood"], &[], None).await;
        let b = t.sign_in("pc.pole").await;
        let bad = b
            .submit(
                "/locations/new",
                &[
                    ("address_lines", ""),
                    ("postcode", "NOT A POSTCODE"),
                    ("latitude", "north"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text
                .contains("href=\"#latitude\">Latitude must be a number"),
            "{}",
            bad.text
        );
        assert_eq!(t.count("location").await, 0);
        let bad = b
            .submit(
                "/locations/new",
                &[("address_lines", ""), ("postcode", "NOT A POSTCODE")],
            )
            .await;
        assert!(
            bad.text.contains("href=\"#postcode\">Postcode"),
            "{}",
            bad.text
        );

        let loc = b
            .submit(
                "/locations/new",
                &[
                    ("address_lines", "1 High Street\nLeicester"),
                    ("postcode", "le1 5aa"),
                ],
            )
            .await;
        assert_eq!(loc.status, StatusCode::SEE_OTHER, "{}", loc.text);
        let loc_page = b.get(&location(&loc)).await;
        assert!(loc_page.text.contains("1 High Street"));
        assert!(loc_page.text.contains("LE1 5AA"));
        let loc_id = location(&loc)
            .trim_start_matches("/locations/")
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();

        let bad_obj = b
            .submit("/objects/new", &[("kind", ""), ("description", "")])
            .await;
        assert_eq!(bad_obj.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_obj.text.contains("href=\"#kind\">Kind"));
        let obj = b
            .submit(
                "/objects/new",
                &[
                    ("kind", "vehicle"),
                    ("identifier", "ab12 cde"),
                    ("description", "Silver Ford Focus"),
                ],
            )
            .await;
        assert_eq!(obj.status, StatusCode::SEE_OTHER, "{}", obj.text);
        let obj_path = location(&obj)
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        let obj_id = obj_path.trim_start_matches("/objects/").to_string();

        let linked = b
            .submit(
                &format!("/records/{obj_id}/links"),
                &[
                    ("other", &loc_id),
                    ("role", "found_at"),
                    ("direction", "from"),
                    ("back", &obj_path),
                ],
            )
            .await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.text);
        let obj_page = b.get(&obj_path).await;
        assert!(obj_page.text.contains("AB12CDE"));
        assert!(obj_page.text.contains("Found at it"));
        assert!(obj_page.text.contains("1 High Street, Leicester, LE1 5AA"));

        let wrong = b
            .submit(
                &format!("/records/{obj_id}/links"),
                &[
                    ("other", &loc_id),
                    ("role", "lives_at"),
                    ("direction", "from"),
                    ("back", &obj_path),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::CONFLICT);
        assert!(wrong.text.contains("The records were not linked"));
    })
    .await;
}

#[tokio::test]
async fn the_audit_page_is_for_admins_and_unknown_pages_say_so() {
    on_each_backend(|t| async move {
        t.user("pc.noaudit", &["investigator"], &[], None).await;
        let b = t.sign_in("pc.noaudit").await;
        assert_eq!(b.get("/audit").await.status, StatusCode::FORBIDDEN);
        let nav = b.get("/").await;
        assert!(
            !nav.text.contains("href=\"/audit\""),
            "the menu offers only what the roles allow"
        );

        let admin = t.sign_in("admin").await;
        let log = admin.get("/audit").await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.text.contains("session.begin"));
        assert!(log.text.contains("user.create"), "{}", log.text);
        let bad = admin.get("/audit?record=nonsense").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text
                .contains("href=\"#record\">Record must be a reference")
        );

        let missing = admin.get("/no/such/page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.text.contains("Page not found"));
        assert!(
            missing
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .starts_with("text/html")
        );
        let css = admin.get("/static/bluelamp.css").await;
        assert_eq!(css.status, StatusCode::OK);
        assert!(!css.text.contains("GDS Transport"), "no GOV.UK brand font");
    })
    .await;
}

#[tokio::test]
async fn a_supervisor_restricts_and_shares_a_record_from_its_page() {
    on_each_backend(|t| async move {
        let sup = t.user("sgt.page", &["supervisor"], &[], None).await;
        let pc = t.user("pc.notnamed", &["investigator"], &[], None).await;
        let idva = t
            .user("idva.page", &["partner"], &[], Some("Leicester IDVA"))
            .await;
        let id = t.person(&sup, "Dana", "Victim", Some("1990")).await;
        let b = t.sign_in("sgt.page").await;
        let page = b.get(&format!("/persons/{id}")).await;
        assert!(
            page.text
                .contains("Restrict this record to named people or teams")
        );
        assert!(page.text.contains("Open to everyone in the force"));

        let unknown = b
            .submit(
                &format!("/records/{id}/restriction"),
                &[
                    ("users", "nobody.here"),
                    ("back", &format!("/persons/{id}")),
                ],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .text
                .contains("Users 1 must be an existing username"),
            "{}",
            unknown.text
        );
        assert_eq!(
            t.get(&format!("/api/v1/persons/{id}"), &pc).await.status,
            StatusCode::OK,
            "a refused restriction changes nothing"
        );

        let done = b
            .submit(
                &format!("/records/{id}/restriction"),
                &[
                    ("users", "sgt.page"),
                    ("teams", ""),
                    ("back", &format!("/persons/{id}")),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
        assert_eq!(
            t.get(&format!("/api/v1/persons/{id}"), &pc).await.status,
            StatusCode::NOT_FOUND
        );

        assert!(
            location(&done).ends_with("done=restricted"),
            "{}",
            location(&done)
        );
        // Lifting it means opening a restricted record: the supervisor states a reason first.
        let lift = [("users", ""), ("teams", ""), ("back", "/persons/ID")];
        let lift: Vec<(&str, String)> = lift
            .iter()
            .map(|(k, v)| (*k, v.replace("ID", &id)))
            .collect();
        let lift: Vec<(&str, &str)> = lift.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let asked = b.submit(&format!("/records/{id}/restriction"), &lift).await;
        assert!(
            location(&asked).starts_with(&format!("/records/{id}/reason")),
            "{}",
            location(&asked)
        );
        b.submit(
            &format!("/records/{id}/reason"),
            &[
                ("reason", "Victim consents to IDVA referral"),
                ("next", &format!("/persons/{id}")),
            ],
        )
        .await;
        let lifted = b.submit(&format!("/records/{id}/restriction"), &lift).await;
        assert!(
            location(&lifted).ends_with("done=restricted"),
            "{}",
            location(&lifted)
        );
        assert_eq!(
            t.get(&format!("/api/v1/persons/{id}"), &pc).await.status,
            StatusCode::OK
        );
        assert_eq!(
            t.get(&format!("/api/v1/persons/{id}"), &idva).await.status,
            StatusCode::NOT_FOUND
        );
        let shared = b
            .submit(
                &format!("/records/{id}/shares"),
                &[
                    ("agency", "Leicester IDVA"),
                    ("back", &format!("/persons/{id}")),
                ],
            )
            .await;
        assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.text);
        assert_eq!(
            t.get(&format!("/api/v1/persons/{id}"), &idva).await.status,
            StatusCode::OK
        );
        assert!(
            b.get(&format!("/persons/{id}"))
                .await
                .text
                .contains("Shared with Leicester IDVA")
        );

        let pc_page = t
            .sign_in("pc.notnamed")
            .await
            .get(&format!("/persons/{id}"))
            .await;
        assert!(
            !pc_page.text.contains("Restrict this record"),
            "only roles that may restrict see the form"
        );
    })
    .await;
}

#[tokio::test]
async fn admins_add_users_on_a_page_and_others_cannot() {
    on_each_backend(|t| async move {
        t.user("pc.nousers", &["investigator"], &[], None).await;
        assert_eq!(
            t.sign_in("pc.nousers").await.get("/users/new").await.status,
            StatusCode::FORBIDDEN
        );

        let admin = t.sign_in("admin").await;
        let bad = admin
            .submit(
                "/users/new",
                &[
                    ("username", "dc.short"),
                    ("password", "short"),
                    ("teams", "CID"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text
                .contains("href=\"#roles\">Roles must list at least one role"),
            "{}",
            bad.text
        );
        assert!(
            bad.text.contains("href=\"#password\">Password"),
            "{}",
            bad.text
        );
        assert!(
            !bad.text.contains("value=\"short\""),
            "a password is never sent back"
        );
        let before = t.count("app_user").await;

        let ok = admin
            .submit(
                "/users/new",
                &[
                    ("username", "dc.page"),
                    ("display_name", "DC 99 Page"),
                    ("password", PASSWORD),
                    ("role-investigator", "yes"),
                    ("role-supervisor", "yes"),
                    ("teams", "CID North"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.text);
        assert_eq!(t.count("app_user").await, before + 1);
        let list = admin.get("/users?done=added").await;
        assert!(list.text.contains("dc.page"));
        assert!(list.text.contains("investigator, supervisor"));
        assert!(list.text.contains("CID North"));
        let again = admin
            .submit(
                "/users/new",
                &[
                    ("username", "dc.page"),
                    ("password", PASSWORD),
                    ("role-analyst", "yes"),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.text.contains("href=\"#username\">Username"),
            "{}",
            again.text
        );
        // The new user signs in with the password the admin set.
        assert_eq!(
            t.sign_in("dc.page").await.get("/").await.status,
            StatusCode::OK
        );
    })
    .await;
}
