//! The application layer of Pingshen: every use case of the desktop app and the `pingshen` CLI, as a
//! function over the store and the core that returns typed views. No Tauri, no tokio, no dialogs: the
//! desktop's commands and the CLI are adapters around it, and its unit tests run in-process.
//!
//! Use cases take a [`pingshen_store::Connection`] (and ids of [`ids`]) and return a view of [`views`] or
//! of their own module, or an [`Error`] (`{ kind, message, details }`, the message in Chinese). Every view
//! is also an IPC wire type: [`typescript_decls`] gives their TypeScript twins.

pub mod backups;
pub mod clock;
pub mod error;
pub mod experts;
pub mod handout;
pub mod ids;
pub mod overview;
pub mod packages;
pub mod panel;
pub mod paperwork;
pub mod recommendation;
pub mod reconsiderations;
pub mod rounds;
pub mod rubrics;
pub mod samples;
pub mod scorefiles;
pub mod scoring;
pub mod views;

pub use error::{Error, ErrorKind, Result};
pub use pingshen_store::Connection;

/// The TypeScript declarations of every view, error and id of this crate, in a stable order.
pub fn typescript_decls() -> Vec<String> {
    use ts_rs::TS;
    use views::*;
    let mut decls = vec![
        RoundDto::decl(),
        RoundSettingsDto::decl(),
        rounds::NewRoundInput::decl(),
        ExpertRoleDto::decl(),
        ExpertDto::decl(),
        BandDto::decl(),
        BandValueDto::decl(),
        ItemDto::decl(),
        GroupDto::decl(),
        DeductionDefDto::decl(),
        RubricDto::decl(),
        RoundDetailDto::decl(),
        SheetState::decl(),
        ApplicationStatusDto::decl(),
        FormDocDto::decl(),
        FormSectionDto::decl(),
        FormBlockDto::decl(),
        BlockContentDto::decl(),
        ScoreDto::decl(),
        DeductionDto::decl(),
        SubtotalDto::decl(),
        TotalsDto::decl(),
        ApplicationHeadDto::decl(),
        MaterialDto::decl(),
        PinDto::decl(),
        HitDto::decl(),
        ScoringDto::decl(),
        MissingDto::decl(),
        MissingKind::decl(),
        DeductionSavedDto::decl(),
        CompareSideDto::decl(),
        ScoreSavedDto::decl(),
        SetScoreArgs::decl(),
        ErrorKind::decl(),
        Error::decl(),
        PaperImportDto::decl(),
        ScoreFileSavedDto::decl(),
        ScoreFileImportDto::decl(),
        VetoEffectDto::decl(),
        VetoDefDto::decl(),
        VetoProposalDto::decl(),
        VetoSavedDto::decl(),
        OpinionRulesDto::decl(),
        RecommendationDto::decl(),
        OpinionSavedDto::decl(),
        SheetReconsiderationDto::decl(),
        SheetReconsideredDto::decl(),
    ];
    decls.extend(overview::typescript_decls());
    decls.extend(experts::typescript_decls());
    decls.extend(handout::typescript_decls());
    decls.extend(packages::typescript_decls());
    decls.extend(rubrics::typescript_decls());
    decls.extend(backups::typescript_decls());
    decls.extend(recommendation::typescript_decls());
    decls.extend(reconsiderations::typescript_decls());
    decls.extend(panel::typescript_decls());
    decls
}

#[cfg(test)]
mod tests;
