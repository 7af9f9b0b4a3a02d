//! The error of every use case, as the UI receives it: `{ kind, message, details }`, the message in Chinese
//! and actionable, `details` the items of a list the UI shows one by one (a refused submit's problems).

use pingshen_store::StoreError;
use serde::Serialize;
use ts_rs::TS;

/// What went wrong, for the UI to branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
pub enum ErrorKind {
    NotFound,
    InvalidScore,
    Locked,
    InvalidInput,
    Rubric,
    Package,
    Spreadsheet,
    /// A sheet cannot be submitted yet; `details` lists what is missing.
    NotReady,
    Io,
    Database,
    /// A round file (评审包) was refused: changed, foreign, unsafe or not a round file.
    RoundFile,
    /// The user cancelled a long operation; nothing was changed.
    Cancelled,
    /// A backup (备份) or an automatic database snapshot was refused: changed, damaged, foreign or newer.
    Backup,
    /// Not available on this operating system; the message says what to do instead.
    Unsupported,
}

/// A use case's error. The desktop commands return it as it is (`CommandError` in TypeScript).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[ts(rename = "CommandError")]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    /// The items of what `message` sums up, when it is a list (e.g. every problem that stops a submit).
    pub details: Vec<String>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), details: Vec::new() }
    }

    /// An error whose message sums up a list, and the list.
    pub fn with_details(kind: ErrorKind, message: impl Into<String>, details: Vec<String>) -> Self {
        Error { kind, message: message.into(), details }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::NotFound, message)
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }
}

/// `Result` of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        use StoreError as S;
        let kind = match &e {
            S::NotFound { .. } => ErrorKind::NotFound,
            S::Score(_) => ErrorKind::InvalidScore,
            S::Locked => ErrorKind::Locked,
            S::NotReady { problems } => return Error::with_details(ErrorKind::NotReady, e.to_string(), problems.clone()),
            S::ExpertRefused { problems }
            | S::ExpertListRefused { problems }
            | S::DeclarationRefused { problems }
            | S::PaperScoresRefused { problems }
            | S::ListNotConfirmable { problems }
            | S::OpinionRefused { problems }
            | S::VisitRefused { problems } => return Error::with_details(ErrorKind::InvalidInput, e.to_string(), problems.clone()),
            S::RubricTampered | S::RubricUnreadable(_) => ErrorKind::Rubric,
            S::ApplicationUnreadable { .. } => ErrorKind::Package,
            // The request was refused by a rule of the round; the message says what to do.
            S::NotAssigned
            | S::Recused { .. }
            | S::RecusalAfterSubmission
            | S::RecusalAfterScoring { .. }
            | S::NotSubmitted
            | S::ReasonRequired { .. }
            | S::EmptyField { .. }
            | S::NameRequired
            | S::BadRoundUid { .. }
            | S::RoundExists { .. }
            | S::RoundHasSubmissions
            | S::ScoringStarted { .. }
            | S::DuplicateCode { .. }
            | S::DuplicateApplication { .. }
            | S::MaterialTooLarge { .. }
            | S::TooManyPages
            | S::ForeignMaterial
            | S::NoSuchPage { .. }
            | S::UnknownFormField { .. }
            | S::ExpertCodeInUse { .. }
            | S::ExpertHasSheets { .. }
            | S::ExpertScoresHere { .. }
            | S::NotHandedOut
            | S::ExpertNotInRound
            | S::IdentityInUse { .. }
            | S::IdentityNotChosen
            | S::AnotherExpert { .. }
            | S::DeclarationNotSigned
            | S::ResolutionNotPassed { .. }
            | S::VetoVoteUpholds { .. }
            | S::NoLeader
            | S::Proposal(_)
            | S::FindingProposed { .. }
            | S::ProposalExists { .. }
            | S::NothingSubmitted { .. }
            | S::ScoreFile(_)
            | S::ScoreFileRefused(_)
            | S::BadDate { .. }
            | S::AlreadyClosed
            | S::NotClosed
            | S::RoundHasSheets { .. }
            | S::NameMismatch { .. }
            | S::RubricInUse { .. }
            | S::RubricExists { .. }
            | S::ListConfirmed { .. }
            | S::ListNotConfirmed
            | S::TieDecision(_)
            | S::Reconsideration(_)
            | S::ReconsiderationOpen => ErrorKind::InvalidInput,
            S::RoundClosed => ErrorKind::Locked,
            S::Open { .. } | S::Sql(_) | S::TooNew { .. } | S::Migration { .. } => ErrorKind::Database,
            S::SnapshotIo { .. } => ErrorKind::Io,
            S::SnapshotNotDatabase { .. } | S::SnapshotNotPingshen { .. } | S::SnapshotDamaged { .. } | S::SnapshotTooNew { .. } => ErrorKind::Backup,
            _ => ErrorKind::Database,
        };
        Error::new(kind, e.to_string())
    }
}

impl From<pingshen_import::ImportError> for Error {
    fn from(e: pingshen_import::ImportError) -> Self {
        Error::new(ErrorKind::Package, e.to_string())
    }
}

impl From<pingshen_report::ReportError> for Error {
    fn from(e: pingshen_report::ReportError) -> Self {
        Error::new(ErrorKind::InvalidInput, format!("无法生成文书：{e}"))
    }
}

impl From<pingshen_handout::HandoutError> for Error {
    fn from(e: pingshen_handout::HandoutError) -> Self {
        use pingshen_handout::HandoutError;
        let kind = match &e {
            HandoutError::Io { .. } => ErrorKind::Io,
            HandoutError::Cancelled => ErrorKind::Cancelled,
            HandoutError::Store(_) => ErrorKind::Database,
            _ => ErrorKind::RoundFile,
        };
        Error::new(kind, e.to_string())
    }
}
