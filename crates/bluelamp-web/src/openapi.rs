//! The OpenAPI 3.1 document at `/api/openapi.json`, generated from the handlers'
//! annotations. The answers every operation shares (credentials, permission, malformed or
//! invalid input, unknown ids, failures) are added here once, from what each operation
//! takes, so that the document lists every status code and content type.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                Content::new(Some(Ref::from_schema_name("Problem"))),
            )
            .build(),
    )
}

fn add_shared_answers(op: &mut Operation, public: bool) {
    let r = &mut op.responses.responses;
    let mut put = |code: &str, text: &str| {
        r.entry(code.to_string()).or_insert_with(|| problem(text));
    };
    let params = op.parameters.as_deref().unwrap_or(&[]);
    let has = |where_: ParameterIn| {
        params.iter().any(|p| matches!(p, RefOr::T(p) if std::mem::discriminant(&p.parameter_in) == std::mem::discriminant(&where_)))
    };
    if !public {
        put("401", "Missing, wrong or expired bearer token");
        put(
            "403",
            "Your role does not permit this, or a restricted record needs a stated reason (type /api/problems/reason-required)",
        );
    }
    if op.request_body.is_some() {
        put("400", "The body is not well-formed JSON");
        put("415", "The body is not application/json");
        put(
            "422",
            "Invalid fields, each named by JSON Pointer; nothing was written",
        );
    }
    if has(ParameterIn::Query) {
        put("422", "Invalid query parameters, each named");
    }
    if has(ParameterIn::Path) {
        put("404", "No such record, or not visible to you");
    }
    put("500", "An unexpected failure; it has been logged");
}

/// Completes the generated document: the bearer scheme, and the shared answers.
pub fn complete(mut doc: OpenApi) -> OpenApi {
    doc.info.title = "Bluelamp API".into();
    // Our own version and licence: utoipa-axum otherwise fills in its own crate's.
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.contact = None;
    doc.info.license = Some(utoipa::openapi::License::new(env!("CARGO_PKG_LICENSE")));
    doc.info.description = Some(
        "The JSON API of Bluelamp, an operational system for police forces in England and Wales. \
         Authenticate with POST /api/v1/tokens and send the token as a bearer token. Errors are \
         application/problem+json."
            .into(),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    for (path, item) in doc.paths.paths.iter_mut() {
        let public = path == "/api/v1/tokens";
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            if !public {
                op.security = Some(vec![SecurityRequirement::new(
                    "bearer",
                    Vec::<String>::new(),
                )]);
            }
            add_shared_answers(op, public);
        }
    }
    doc
}
