//! The word ledger balances for every real file of `../shared/corpus/`,
//! `../shared/corpus-next/` and the seed: the words of speech each reader
//! kept are the words on the site, and every word it left out is in a
//! warning that says why. A table per file is printed
//! (`cargo test --test ledger -- --nocapture`).

mod common;

use common::{corpus_files, shared};
use verbatim::ingest::{self, ledger::Ledger, IngestOptions};

#[test]
fn the_ledger_balances_for_every_real_file() {
    let files = corpus_files();
    assert!(files.len() >= 30, "only {} files", files.len());
    let mut unbalanced = Vec::new();
    let mut read = 0;
    println!("| file | in the source | on the site | left out | unexplained |");
    println!("|---|---|---|---|---|");
    for path in &files {
        let display = path
            .strip_prefix(shared())
            .unwrap()
            .to_string_lossy()
            .to_string();
        let (t, warnings) = match ingest::load(path, &display, &IngestOptions::default()) {
            Ok(r) => r,
            Err(e) => {
                println!("| {display} | not read: {} | | | |", e[0].message);
                continue;
            }
        };
        read += 1;
        let ledger = Ledger::of(&t, &warnings);
        assert!(
            ledger.read.is_some(),
            "{display}: an import has no count of words read"
        );
        println!(
            "| {display} | {} | {} | {} | {} |",
            ledger.in_source(),
            ledger.on_site,
            ledger.left_out_words(),
            ledger.unexplained()
        );
        if !ledger.balances() {
            unbalanced.push(format!(
                "{display}: {} words unexplained",
                ledger.unexplained()
            ));
        }
    }
    assert!(read >= 30, "only {read} files read");
    assert!(
        unbalanced.is_empty(),
        "the ledger does not balance:\n{}",
        unbalanced.join("\n")
    );
}
