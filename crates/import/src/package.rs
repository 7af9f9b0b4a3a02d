//! Packages as they arrive (placeholder while being written).
