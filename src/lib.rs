//! verbatim: a static site generator for interview transcripts.
//!
//! The build is one pipeline, each stage a function of the one before:
//! content files --[`ingest`]--> [`model::Transcript`] --[`site`]--> [`site::Site`]
//! --[`render`]--> pages --[`output`]--> the output folder.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod editor_cli;
pub mod ingest;
pub mod init;
pub mod links;
pub mod live;
pub mod model;
pub mod new;
pub mod output;
pub mod progress;
pub mod render;
pub mod serve;
pub mod site;

pub use build::{build, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
