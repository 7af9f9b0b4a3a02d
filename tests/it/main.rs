//! The one integration-test binary (ripgrep style): a module per area.

mod cli;
mod layering;
mod samples;
