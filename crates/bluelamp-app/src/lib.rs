//! Application services: one function per user action.
//!
//! Each service runs in a straight line inside one transaction: authorise the actor for
//! one action, parse the input with the domain's rules, load what it needs, store the
//! change, append the audit entry, commit. Pages, the API and the CLI call the same
//! services, so they enforce the same permissions and write the same audit.

use std::sync::Arc;

use bluelamp_domain::access::{Action, Actor, Denied, Visibility};
use bluelamp_domain::audit::{AuditFacts, Channel, Operation};
use bluelamp_domain::calendar::Calendar;
use bluelamp_domain::dated::Dated;
use bluelamp_domain::duty::DutyRules;
use bluelamp_domain::field::Invalid;
use bluelamp_domain::ids::RecordId;
use bluelamp_domain::record::RecordKind;
use bluelamp_domain::thrive::{GradingRule, default_grading_rule};
use bluelamp_store::record::RecordHead;
use bluelamp_store::{Db, StoreError, Tx, force::Force};
use chrono::{DateTime, Duration, DurationRound, Utc};

/// The thread a server runs its requests on beside SQLite's (re-exported for the web layer,
/// which does not speak to the store).
pub use bluelamp_store::lane::Lane;

pub mod area;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod crime;
pub mod duty;
pub mod first_contact;
pub mod force;
pub mod home;
pub mod incident;
pub mod investigation;
pub mod link;
pub mod location;
pub mod object;
pub mod person;
pub mod record;
pub mod session;
pub mod transfer;
pub mod user;
pub mod victim;

/// Where the time comes from: the system clock in service, a fixed one in tests.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Settings a force may change.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long an API token lasts.
    pub token_lifetime: Duration,
    /// Failed sign-ins allowed for one username within `sign_in_window` before further
    /// attempts are refused until the window passes.
    pub sign_in_max_failures: i64,
    pub sign_in_window: Duration,
    /// A page session ends after this long without a request ...
    pub session_idle: Duration,
    /// ... and after this long in any case.
    pub session_lifetime: Duration,
    /// The duties engine's limits, owners and escalations (bluelamp-domain::duty).
    pub duty_rules: DutyRules,
    /// Working days: the England and Wales calendar with the force's changes.
    pub calendar: Calendar,
    /// How THRIVE proposes a response grade (issue 4 §2).
    pub grading: Dated<GradingRule>,
    /// The outcomes framework in force at each date and the outcomes needing approval.
    pub outcomes: investigation::OutcomeRules,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            token_lifetime: Duration::hours(12),
            sign_in_max_failures: 5,
            sign_in_window: Duration::minutes(15),
            session_idle: Duration::minutes(30),
            session_lifetime: Duration::hours(12),
            duty_rules: DutyRules::default(),
            calendar: Calendar::england_and_wales(),
            grading: default_grading_rule(),
            outcomes: investigation::OutcomeRules::default(),
        }
    }
}

/// Everything a service needs: the database, the force it serves, the clock, settings.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Db,
    pub force: Force,
    pub clock: Arc<dyn Clock>,
    pub config: Config,
}

/// Who is acting, how, and why: what every audit entry records about the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub channel: Channel,
    pub request_id: Option<String>,
    pub os_user: Option<String>,
    /// The reason stated for opening a restricted record.
    pub reason: Option<String>,
}

impl Ctx {
    /// A signed-in user acting through the API or the pages.
    pub fn new(actor: Actor, channel: Channel, request_id: Option<String>) -> Ctx {
        Ctx {
            actor,
            channel,
            request_id,
            os_user: None,
            reason: None,
        }
    }

    /// The operator at the machine's shell, acting through the CLI with full
    /// administrative rights (they hold the database already). Audited under their
    /// operating-system user.
    pub fn operator(os_user: &str) -> Ctx {
        Ctx {
            actor: Actor {
                user_id: bluelamp_domain::ids::UserId::from_uuid(uuid::Uuid::nil()),
                username: format!("operator:{os_user}"),
                roles: vec![bluelamp_domain::access::Role::Admin],
                teams: vec![],
                agency: None,
            },
            channel: Channel::Cli,
            request_id: None,
            os_user: Some(os_user.to_string()),
            reason: None,
        }
    }
}

/// Why a service refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input fields are invalid; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(#[from] Invalid),
    /// No valid credentials.
    #[error("sign in first")]
    Unauthenticated,
    /// Too many failed sign-ins for this username.
    #[error("too many failed sign-ins: try again later")]
    Throttled { retry_after_seconds: i64 },
    /// The actor's roles do not allow the action.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The record is restricted: the actor may open it but must state why.
    #[error("this record is restricted: state your reason for opening it")]
    ReasonRequired,
    /// Unknown, or not visible to this actor.
    #[error("not found")]
    NotFound,
    /// The change conflicts with what is stored (a duplicate, a wrong state).
    #[error("{0}")]
    Conflict(String),
    /// Something failed that the user cannot fix.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(c) => AppError::Conflict(c),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// The result of a service.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// One page of a list: which page, how big, and whether there are more.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    /// Page 1 of 20.
    pub const FIRST: Page = Page {
        number: 1,
        size: 20,
    };

    /// A page from query values, with defaults and bounds (1 to 100 per page).
    ///
    /// # Errors
    /// [`Invalid`] when either is out of range.
    pub fn new(number: Option<u32>, size: Option<u32>) -> Result<Page, Invalid> {
        let number = number.unwrap_or(1);
        let size = size.unwrap_or(20);
        if number == 0 {
            return Err(Invalid::one("/page", "must be 1 or more"));
        }
        if !(1..=100).contains(&size) {
            return Err(Invalid::one("/per_page", "must be between 1 and 100"));
        }
        Ok(Page { number, size })
    }

    /// Rows to skip.
    pub fn offset(&self) -> usize {
        (self.number as usize - 1) * self.size as usize
    }
}

impl App {
    /// Now, truncated to microseconds: the precision both databases keep, so that an audit
    /// entry's hash is computed over exactly what is stored.
    pub fn now(&self) -> DateTime<Utc> {
        let now = self.clock.now();
        now.duration_trunc(Duration::microseconds(1)).unwrap_or(now)
    }

    /// Begins the one transaction of a user action.
    ///
    /// # Errors
    /// The database cannot be reached.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.db.begin().await?)
    }

    /// Appends the audit entry for an action in its transaction.
    ///
    /// # Errors
    /// The database failed.
    pub async fn audit(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        operation: Operation,
        action: &str,
        record_id: Option<RecordId>,
        details: serde_json::Value,
    ) -> Result<()> {
        let facts = AuditFacts {
            at: self.now(),
            // The operator at the shell has no account: their OS user identifies them.
            user_id: Some(ctx.actor.user_id).filter(|u| !u.uuid().is_nil()),
            username: ctx.actor.username.clone(),
            channel: ctx.channel,
            os_user: ctx.os_user.clone(),
            operation,
            action: action.to_string(),
            record_id,
            reason: ctx.reason.clone(),
            request_id: ctx.request_id.clone(),
            details: details.to_string(),
        };
        bluelamp_store::audit::append(tx, self.force.id, facts).await?;
        Ok(())
    }

    /// Opens a record for an actor: `NotFound` when it does not exist, is of another kind,
    /// or is hidden from them; `ReasonRequired` when it is restricted to them and no reason
    /// was given.
    ///
    /// # Errors
    /// As above.
    pub async fn open(
        &self,
        tx: &mut Tx,
        ctx: &Ctx,
        id: RecordId,
        kind: Option<RecordKind>,
    ) -> Result<RecordHead> {
        let head =
            bluelamp_store::optional(bluelamp_store::record::head(tx, self.force.id, id).await)?
                .ok_or(AppError::NotFound)?;
        if kind.is_some_and(|k| k != head.kind) {
            return Err(AppError::NotFound);
        }
        match head.access.visibility(&ctx.actor) {
            Visibility::Hidden => Err(AppError::NotFound),
            Visibility::ReasonRequired
                if ctx.reason.as_deref().is_none_or(|r| r.trim().is_empty()) =>
            {
                Err(AppError::ReasonRequired)
            }
            Visibility::ReasonRequired | Visibility::Open => Ok(head),
        }
    }
}

/// Checks the actor may take the action: the first step of every service.
///
/// # Errors
/// [`AppError::Denied`].
pub fn authorise(ctx: &Ctx, action: Action) -> Result<()> {
    Ok(ctx.actor.authorise(action)?)
}

/// The stored shapes services answer with, re-exported so that the web layer needs no
/// dependency on the store.
pub mod views {
    pub use bluelamp_domain::duty::Duty;
    pub use bluelamp_store::area::Area;
    pub use bluelamp_store::duty_queue::Queued;
    pub use bluelamp_store::first_contact::{
        AttendanceRow, Closure, Decision, IncidentState, QueueItem, StoredAssessment,
    };
    pub use bluelamp_store::first_contact_review::{
        DutyCounts, Measures, Period, Review, ReviewLine,
    };
    pub use bluelamp_store::investigation_review::InvestigationMeasures;
    pub use bluelamp_store::link::Link;
    pub use bluelamp_store::record::RecordHead;
    pub use bluelamp_store::user::User;
    pub use bluelamp_store::victim::{LoggedContact, Victim};
}
