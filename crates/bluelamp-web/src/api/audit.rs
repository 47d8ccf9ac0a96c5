//! `/api/v1/audit`: the audit log, by record or by user.

use axum::Json;
use axum::extract::State;
use bluelamp_app::App;
use bluelamp_domain::audit::AuditEntry;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};

/// Which entries to read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// A record's id.
    pub record: Option<String>,
    /// A user's id.
    pub user: Option<String>,
    /// Entries before this sequence number (for the next page).
    pub before: Option<i64>,
    /// 1 to 500; 100 by default.
    pub limit: Option<u32>,
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub user_id: Option<Uuid>,
    pub username: String,
    /// `api`, `page` or `cli`.
    pub channel: String,
    pub os_user: Option<String>,
    /// `collection`, `alteration`, `consultation`, `disclosure`, `combination`, `erasure`,
    /// `archiving`, `authentication` or `administration`.
    pub operation: String,
    pub action: String,
    pub record_id: Option<Uuid>,
    pub reason: Option<String>,
    pub request_id: Option<String>,
    /// What changed, what was searched, what was disclosed; `null` once erased.
    pub details: Option<serde_json::Value>,
    pub hash: String,
    pub prev_hash: String,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        AuditEntryView {
            seq: e.seq,
            at: e.at,
            user_id: e.user_id.map(|u| u.uuid()),
            username: e.username,
            channel: e.channel.as_str().into(),
            os_user: e.os_user,
            operation: e.operation.as_str().into(),
            action: e.action,
            record_id: e.record_id.map(|r| r.uuid()),
            reason: e.reason,
            request_id: e.request_id,
            details: e.details.and_then(|d| serde_json::from_str(&d).ok()),
            hash: e.hash,
            prev_hash: e.prev_hash,
        }
    }
}

/// Reads the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams),
    responses((status = 200, description = "Entries, newest first", body = Vec<AuditEntryView>, content_type = "application/json")))]
pub async fn list(
    State(app): State<App>,
    Caller(ctx): Caller,
    ApiQuery(q): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntryView>>> {
    let record = q
        .record
        .map(|r| {
            r.parse()
                .map_err(|_| ApiError::invalid_field("/record", "must be a record id"))
        })
        .transpose()?;
    let user = q
        .user
        .map(|u| {
            u.parse()
                .map_err(|_| ApiError::invalid_field("/user", "must be a user id"))
        })
        .transpose()?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid_field(
            "/limit",
            "must be between 1 and 500",
        ));
    }
    let entries = app.list_audit(&ctx, record, user, q.before, limit).await?;
    Ok(Json(
        entries.into_iter().map(AuditEntryView::from).collect(),
    ))
}
