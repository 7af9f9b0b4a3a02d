//! The Pingshen domain core.
//!
//! Everything here is a value: a rubric parsed from text, an application (推荐书) parsed from text, an
//! expert's sheet of scores. Nothing in this crate touches files, databases, clocks or windows; callers
//! do the IO and hand the values in. Scores are exact integer tenths ([`Tenths`]), never floats.

pub mod application;
pub mod code;
pub mod consolidation;
pub mod expert;
pub mod form;
pub mod formal;
pub mod hash;
pub mod names;
pub mod opinion;
pub mod panel;
pub mod ratio;
pub mod recommendation;
pub mod reconsideration;
pub mod recusal;
pub mod revision;
pub mod rubric;
pub mod score;
pub mod scorefile;
pub mod sheet;

pub use ratio::Ratio;
pub use score::Tenths;
