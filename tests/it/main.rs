//! The one integration-test binary (ripgrep style): a module per area.

mod cli;
mod consolidation;
mod crash;
mod e2e;
mod e2e_consolidation;
mod e2e_evidence;
mod e2e_handout;
mod e2e_packages;
mod e2e_panel;
mod e2e_recusal;
mod e2e_round_lifecycle;
mod e2e_rounds;
mod e2e_score_files;
mod e2e_vetoes;
mod e2e_workflow;
mod expert_sheets;
mod experts;
mod export;
mod layering;
mod package_cli;
mod packages;
mod round_files;
mod rubric_xlsx;
mod samples;
mod score_files;
