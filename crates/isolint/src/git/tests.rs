//! Tests of reading revisions: listings, the size limit, binary blobs, discovery over a
//! listing. Repositories are made with the `git` program when it is installed.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use isolint_model::SourceMap;

use super::snapshot::{Reader, Unreadable};
use super::*;

/// A repository in `dir` with `files` committed; `None` without a `git` program.
fn repository(dir: &Path, files: &[(&str, &[u8])]) -> Option<Repository> {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !git(&["init", "-q", "-b", "main"]) {
        eprintln!("git is not installed: the test is skipped");
        return None;
    }
    for (path, bytes) in files {
        let full = dir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
    }
    assert!(git(&["add", "-A"]) && git(&["commit", "-q", "-m", "one"]));
    Some(Repository::discover(dir).unwrap())
}

fn is_template(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "json" || e == "bicep")
}

#[test]
fn a_listing_keeps_what_a_run_reads_and_blobs_stop_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![b' '; 4096];
    let Some(repo) = repository(
        dir.path(),
        &[
            ("infra/main.bicep", b"param x string"),
            ("infra/big.json", &big),
            ("infra/binary.json", &[0xff, 0x00, 0xfe]),
            ("docs/readme.md", b"# docs"),
        ],
    ) else {
        return;
    };
    let head = repo.head().unwrap();
    assert_eq!(head.summary, "one");
    let mut reader = Reader::new(&repo, is_template).with_limit(1024);
    let listing = reader.list(head.tree).unwrap();
    let paths: Vec<&Path> = listing.iter().map(|t| t.path.as_path()).collect();
    assert_eq!(
        paths,
        [
            Path::new("infra/big.json"),
            Path::new("infra/binary.json"),
            Path::new("infra/main.bicep")
        ]
    );
    // The same tree is listed once: the second listing is the first.
    assert!(Arc::ptr_eq(&listing, &reader.list(head.tree).unwrap()));

    assert!(matches!(
        reader.text(listing[0].blob),
        Err(Unreadable::TooLarge(4096))
    ));
    assert!(matches!(
        reader.text(listing[1].blob),
        Err(Unreadable::NotText(0))
    ));
    assert_eq!(&*reader.text(listing[2].blob).unwrap(), "param x string");

    let (texts, problems) = reader.texts(&listing, is_template, "main");
    let sources = texts.serve(SourceMap::new());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().all(|p| p.message.contains("at `main`")));
    let main = repo.work_tree().join("infra/main.bicep");
    assert!(sources.is_file(&main));
    assert!(!sources.is_file(&repo.work_tree().join("infra/big.json")));
    assert!(
        sources.files().is_empty(),
        "offered texts join the map when read"
    );
    assert_eq!(&*sources.read(&main).unwrap().text, "param x string");
}

#[test]
fn a_revision_that_names_no_commit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let Some(repo) = repository(dir.path(), &[("main.bicep", b"")]) else {
        return;
    };
    let head = repo.head().unwrap();
    assert!(
        repo.resolve(&head.tree.to_string())
            .unwrap_err()
            .contains("names no commit")
    );
    assert!(repo.resolve("main~5").is_err());
    assert!(!repo.is_shallow());
    assert_eq!(repo.commit(head.id).unwrap().unwrap().id, head.id);
    assert!(head.parent.is_none());
}
