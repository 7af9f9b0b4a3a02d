//! The one integration-test binary (ripgrep style): a module per area.

mod cli;
mod consolidation;
mod e2e;
mod layering;
mod samples;
