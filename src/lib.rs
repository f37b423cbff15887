//! verbatim: a static site generator for interview transcripts.
//!
//! The build is one pipeline, each stage a function of the one before:
//! content files --[`ingest`]--> [`model::Transcript`] --[`site`]--> [`site::Site`]
//! --[`render`]--> pages --[`output`]--> the output folder.

pub mod api;
pub mod build;
pub mod check;
pub mod cite;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod escape;
pub mod exports;
pub mod import;
pub mod ingest;
pub mod init;
pub mod leaks;
pub mod links;
pub mod live;
pub mod locale;
pub mod model;
pub mod native_writer;
pub mod new;
pub mod output;
pub mod page;
pub mod paths;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod url;
pub mod words;

pub use build::{build, BuildOptions, BuildReport};
pub use diagnostic::{Diagnostic, Diagnostics, Severity};
