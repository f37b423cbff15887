//! verbatim: a static site generator for interview transcripts.
//!
//! The build is one pipeline, each stage a function of the one before:
//! content files --[`ingest`]--> [`model::Transcript`] --[`site`]--> [`site::Site`]
//! --[`render`]--> pages --[`output`]--> the output folder.

pub mod build;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod ingest;
pub mod model;
pub mod output;
pub mod paths;
pub mod render;
pub mod site;

pub use build::{build, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
