//! The `isolint` binary end to end: subcommands, usage errors, discovery and exit codes.
//! Nothing here needs a frontend to find resources; see `findings.rs` for that.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, helpers included"
)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

mod project;
use project::{isolint_in, tree};

fn isolint() -> Command {
    isolint_in(&std::env::temp_dir())
}

/// What `isolint check --list-files ARGS` prints on standard output, in `dir`.
fn listed(dir: &Path, args: &[&str]) -> Vec<String> {
    let output = isolint_in(dir)
        .args(["check", "--list-files"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Whether this process can read anything regardless of permissions (it runs as root), so
/// that `chmod 000` proves nothing.
fn reads_despite_permissions(locked: &Path) -> bool {
    if locked.is_dir() {
        fs::read_dir(locked).is_ok()
    } else {
        fs::File::open(locked).is_ok()
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

// ---------------------------------------------------------------------------------------
// Subcommands and usage errors

#[test]
fn version_prints_the_package_version() {
    isolint()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("isolint {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    isolint().assert().code(2).stderr(contains("Usage"));
}

#[test]
fn rules_lists_aml001() {
    isolint()
        .arg("rules")
        .assert()
        .success()
        .stdout(contains("ID").and(contains("SUMMARY")))
        .stdout(contains("AML001").and(contains("workspace-public-network-access")));
}

#[test]
fn rules_as_json_is_an_array_of_rules() {
    let output = isolint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let aml001 = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AML001")
        .unwrap();
    assert_eq!(aml001["name"], "workspace-public-network-access");
    assert_eq!(aml001["level"], "error");
}

#[test]
fn explain_prints_the_documentation_by_id_or_name() {
    for rule in ["AML001", "workspace-public-network-access", "aml001"] {
        isolint()
            .args(["explain", rule])
            .assert()
            .success()
            .stdout(contains("# AML001: workspace-public-network-access"))
            .stdout(contains("## What it does"))
            .stdout(contains("## How to fix"));
    }
}

#[test]
fn explain_an_unknown_rule_exits_2() {
    isolint()
        .args(["explain", "NOPE"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("unknown rule `NOPE`"))
        .stderr(contains("did you mean").not());
}

#[test]
fn explain_suggests_a_close_rule() {
    isolint()
        .args(["explain", "AML01"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `AML001`?"));
    isolint()
        .args(["explain", "workspace-public-network"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `workspace-public-network-access`?"));
}

#[test]
fn an_unknown_selected_rule_is_a_usage_error() {
    let dir = tree(&[]);
    for args in [
        &["--select", "NOPE"][..],
        &["--select", "AML001,NOPE"],
        &["--ignore", "nope"],
    ] {
        isolint_in(dir.path())
            .arg("check")
            .args(args)
            .assert()
            .code(2)
            .stderr(contains("unknown rule"));
    }
}

#[test]
fn rules_are_selected_by_id_or_name_repeated_or_comma_separated() {
    let dir = tree(&[("a.json", "{}")]);
    isolint_in(dir.path())
        .args([
            "check",
            "--select",
            "AML001,workspace-public-network-access",
        ])
        .args(["--select", "aml001", "--ignore", "AML001"])
        .assert()
        .success();
}

#[test]
fn a_bad_glob_or_value_is_a_usage_error() {
    let dir = tree(&[]);
    for args in [
        &["--exclude", "a["][..],
        &["--include", ""],
        &["--format", "xml"],
        &["--fail-level", "fatal"],
        &["--color", "sometimes"],
    ] {
        isolint_in(dir.path())
            .arg("check")
            .args(args)
            .assert()
            .code(2);
    }
}

#[test]
fn every_option_parses() {
    let parameters = r#"{
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
        "contentVersion": "1.0.0.0",
        "parameters": { "name": { "value": "ws" } }
    }"#;
    let template = r#"{
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": { "name": { "type": "string" } },
        "resources": []
    }"#;
    let dir = tree(&[("params.json", parameters), ("main.json", template)]);
    isolint_in(dir.path())
        .args(["check", ".", "--format", "compact", "--strict"])
        .args(["--fail-level", "note", "--parameters", "params.json"])
        .args(["--root", ".", "--bicep-cache", "cache"])
        .args(["--include", "*.json", "--exclude", "vendor", "--no-ignore"])
        .args(["--color", "never", "-q", "-L"])
        .assert()
        .success();
}

// ---------------------------------------------------------------------------------------
// Runs, exit codes and the summary

#[test]
fn an_empty_folder_exits_2_and_says_nothing_was_found() {
    let dir = tree(&[("README.md", "# hello")]);
    isolint_in(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "error: no file to check under `.`: isolint reads Terraform, Bicep and ARM files, filtered by ignore files",
        ));
    isolint_in(dir.path())
        .args(["report", "--no-ignore"])
        .assert()
        .code(2)
        .stderr(contains(
            "error: no file to check under `.`: isolint reads Terraform, Bicep and ARM files\n",
        ));
}

#[test]
fn include_globs_that_match_nothing_exit_2_and_are_named() {
    let dir = tree(&[("infra/main.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "--include", "*.bicep", "--exclude", "legacy", "."])
        .assert()
        .code(2)
        .stderr(contains(
            "filtered by --include `**/*.bicep`; --exclude `**/legacy`; ignore files",
        ));
    isolint_in(dir.path())
        .args(["check", "--list-files", "--include", "*.bicep"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn the_summary_counts_files_and_goes_to_stderr_only() {
    let dir = tree(&[("a.json", "{}"), ("b/c.json", "{}"), ("notes.txt", "")]);
    isolint_in(dir.path())
        .arg("check")
        .assert()
        .stderr(contains("2 files, "))
        .stdout(contains(" ms").not());
    isolint_in(dir.path())
        .args(["check", "b/c.json"])
        .assert()
        .stderr(contains("1 file, "));
}

#[test]
fn quiet_and_machine_formats_print_no_summary() {
    let dir = tree(&[("a.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "--quiet"])
        .assert()
        .stderr("");
    for format in ["compact", "json", "sarif"] {
        isolint_in(dir.path())
            .args(["check", "--format", format])
            .assert()
            .stderr("");
    }
}

#[test]
fn a_missing_path_exits_2_and_the_others_are_still_checked() {
    let dir = tree(&[("present/a.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "missing.json", "present"])
        .assert()
        .code(2)
        .stderr(contains("1 file, ").and(contains("1 I/O error")));
    isolint_in(dir.path())
        .args(["check", "--list-files", "missing.json", "present"])
        .assert()
        .code(2)
        .stdout("present/a.json\n")
        .stderr(contains("missing.json: no such file or directory"));
}

#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = tree(&[("a.json", "{}")]);
    assert_eq!(listed(dir.path(), &[".", "a.json", "./a.json"]), ["a.json"]);
}

#[test]
fn a_named_file_of_no_known_format_is_skipped_with_a_note() {
    let dir = tree(&[("README.md", "# hello"), ("a.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "README.md", "a.json"])
        .assert()
        .success()
        .stderr(contains("note: skipped `README.md`"))
        .stderr(contains("1 file"));
    // Alone, it leaves nothing to check.
    isolint_in(dir.path())
        .args(["check", "README.md"])
        .assert()
        .code(2)
        .stderr(contains("no file to check under `README.md`"));
}

#[test]
fn output_goes_to_the_file_given() {
    let dir = tree(&[("a.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "--format", "json", "--output", "report.json"])
        .assert()
        .success()
        .stdout("");
    assert!(dir.path().join("report.json").is_file());
}

#[test]
fn an_unwritable_output_file_exits_2() {
    let dir = tree(&[("a.json", "{}")]);
    isolint_in(dir.path())
        .args(["check", "--output", "no/such/folder/report.txt"])
        .assert()
        .code(2)
        .stderr(contains("cannot write `no/such/folder/report.txt`"));
}

// ---------------------------------------------------------------------------------------
// Discovery

#[test]
fn gitignore_is_honoured_outside_a_git_repository() {
    let dir = tree(&[
        (".gitignore", "ignored.json\nbuild/\n"),
        ("ignored.json", "{}"),
        ("build/out.json", "{}"),
        ("kept.json", "{}"),
    ]);
    assert!(!dir.path().join(".git").exists());
    assert_eq!(listed(dir.path(), &[]), ["kept.json"]);
    assert_eq!(
        listed(dir.path(), &["--no-ignore"]),
        ["build/out.json", "ignored.json", "kept.json"]
    );
}

#[test]
fn isolintignore_is_honoured() {
    let dir = tree(&[
        (".isolintignore", "examples/\n"),
        ("examples/a.json", "{}"),
        ("main.json", "{}"),
    ]);
    assert_eq!(listed(dir.path(), &[]), ["main.json"]);
}

#[test]
fn hidden_and_ignored_files_are_checked_when_named() {
    let dir = tree(&[
        (".gitignore", "ignored.json\n"),
        (".hidden/a.json", "{}"),
        ("ignored.json", "{}"),
        ("main.json", "{}"),
    ]);
    assert_eq!(listed(dir.path(), &[]), ["main.json"]);
    assert_eq!(
        listed(dir.path(), &[".", ".hidden/a.json", "ignored.json"]),
        [".hidden/a.json", "ignored.json", "main.json"]
    );
    assert_eq!(listed(dir.path(), &[".hidden"]), [".hidden/a.json"]);
}

#[test]
fn exclude_skips_files_and_folders() {
    let dir = tree(&[
        ("main.json", "{}"),
        ("main.parameters.json", "{}"),
        ("modules/net.json", "{}"),
        ("infra/modules/app.json", "{}"),
        ("infra/main.json", "{}"),
    ]);
    assert_eq!(
        listed(dir.path(), &["--exclude", "*.parameters.json"]),
        [
            "infra/main.json",
            "infra/modules/app.json",
            "main.json",
            "modules/net.json"
        ]
    );
    assert_eq!(
        listed(dir.path(), &["--exclude", "modules"]),
        ["infra/main.json", "main.json", "main.parameters.json"]
    );
    // A glob with a `/` is anchored at the folder walked, and `*` stops at `/`.
    assert_eq!(
        listed(
            dir.path(),
            &["--exclude", "modules/*", "--exclude", "infra/*.json"]
        ),
        [
            "infra/modules/app.json",
            "main.json",
            "main.parameters.json"
        ]
    );
    // Relative to each folder walked, not to the working directory.
    assert_eq!(
        listed(dir.path(), &["infra", "--exclude", "main.json"]),
        ["infra/modules/app.json"]
    );
}

#[test]
fn include_keeps_only_matching_files_and_never_reincludes_ignored_ones() {
    let dir = tree(&[
        (".gitignore", "infra/generated.json\n"),
        ("main.json", "{}"),
        ("infra/main.json", "{}"),
        ("infra/generated.json", "{}"),
    ]);
    assert_eq!(
        listed(dir.path(), &["--include", "infra"]),
        ["infra/main.json"]
    );
    assert_eq!(
        listed(
            dir.path(),
            &["--include", "**/*.json", "--exclude", "infra"]
        ),
        ["main.json"]
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_a_diagnostic_and_the_run_goes_on() {
    let dir = tree(&[("locked/a.json", "{}"), ("open/b.json", "{}")]);
    let locked = dir.path().join("locked");
    set_mode(&locked, 0o000);
    let root = reads_despite_permissions(&locked);
    let list = isolint_in(dir.path())
        .args(["check", "--list-files"])
        .output()
        .unwrap();
    let run = isolint_in(dir.path()).arg("check").output().unwrap();
    set_mode(&locked, 0o755);
    if root {
        eprintln!("skipped: running as root, which reads folders whatever their mode");
        return;
    }
    assert_eq!(list.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&list.stdout), "open/b.json\n");
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert!(
        stderr.contains("error[io-error]: locked: permission denied"),
        "{stderr}"
    );
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("1 file, ") && stderr.contains("1 I/O error"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_diagnostic_and_the_run_goes_on() {
    let dir = tree(&[("locked.json", "{}"), ("open.json", "{}")]);
    let locked = dir.path().join("locked.json");
    set_mode(&locked, 0o000);
    let root = reads_despite_permissions(&locked);
    let list = isolint_in(dir.path())
        .args(["check", "--list-files"])
        .output()
        .unwrap();
    set_mode(&locked, 0o644);
    if root {
        eprintln!("skipped: running as root, which reads files whatever their mode");
        return;
    }
    assert_eq!(list.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&list.stdout), "open.json\n");
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert!(
        stderr.contains("locked.json: permission denied"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_a_diagnostic_and_the_run_goes_on() {
    use std::os::unix::fs::symlink;
    let dir = tree(&[("a.json", "{}")]);
    symlink("two.json", dir.path().join("one.json")).unwrap();
    symlink("one.json", dir.path().join("two.json")).unwrap();
    isolint_in(dir.path())
        .args(["check", "--list-files"])
        .assert()
        .code(2)
        .stdout("a.json\n")
        .stderr(contains("error[io-error]: one.json: "))
        .stderr(contains("error[io-error]: two.json: "));
    isolint_in(dir.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(contains("1 file, ").and(contains("2 I/O errors")));
}

#[cfg(unix)]
#[test]
fn a_folder_link_back_up_is_a_loop_only_when_links_are_followed() {
    use std::os::unix::fs::symlink;
    let dir = tree(&[("sub/a.json", "{}")]);
    symlink("..", dir.path().join("sub/up")).unwrap();
    isolint_in(dir.path())
        .args(["check", "--list-files"])
        .assert()
        .success()
        .stdout("sub/a.json\n");
    isolint_in(dir.path())
        .args(["check", "--list-files", "--follow"])
        .assert()
        .code(2)
        .stdout("sub/a.json\n")
        .stderr(contains("sub/up: symbolic link loop"));
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_when_asked_or_named() {
    use std::os::unix::fs::symlink;
    let dir = tree(&[("real/a.json", "{}"), ("scan/b.json", "{}")]);
    symlink("../real/a.json", dir.path().join("scan/link.json")).unwrap();
    symlink("nowhere.json", dir.path().join("scan/dangling.json")).unwrap();
    assert_eq!(listed(dir.path(), &["scan"]), ["scan/b.json"]);
    assert_eq!(
        listed(dir.path(), &["scan", "--follow"]),
        ["scan/b.json", "scan/link.json"]
    );
    assert_eq!(listed(dir.path(), &["scan/link.json"]), ["scan/link.json"]);
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_a_diagnostic_not_a_hang() {
    let dir = tree(&[("a.json", "{}")]);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("pipe.json"))
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: no mkfifo");
        return;
    }
    isolint_in(dir.path())
        .args(["check", "pipe.json", "a.json"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(contains("1 file, ").and(contains("1 I/O error")));
    // Walking skips it: only regular files are read.
    assert_eq!(listed(dir.path(), &[]), ["a.json"]);
}
