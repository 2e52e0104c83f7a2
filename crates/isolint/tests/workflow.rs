//! The team workflow end to end: configuration files, `isolint init`, suppressions,
//! baselines, the GitHub and Markdown formats, and the pre-commit hook.

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
use project::{isolint_in, repo};

/// A workspace that accepts public traffic: AML001 on line 8 (`publicNetworkAccess`).
const PUBLIC: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "mlw-public",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "Enabled" }
    }
  ]
}
"#;

/// The same workspace under another name, for "a new finding".
fn public_named(name: &str) -> String {
    PUBLIC.replace("mlw-public", name)
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

// --- configuration ----------------------------------------------------------------------

#[test]
fn the_configuration_is_found_from_the_scanned_path_upward() {
    let dir = repo(&[
        (
            "isolint.toml",
            "select = [\"AML001\"]\n[rules]\nAML001 = \"note\"\n",
        ),
        ("infra/ws/main.json", PUBLIC),
    ]);
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "infra/ws"])
        .assert()
        .code(0)
        .stdout(contains("note[AML001 workspace-public-network-access]"));
    // From inside the folder too, and with the dotted name.
    fs::rename(
        dir.path().join("isolint.toml"),
        dir.path().join(".isolint.toml"),
    )
    .unwrap();
    isolint_in(&dir.path().join("infra"))
        .args(["check", "--format", "compact", "ws/main.json"])
        .assert()
        .code(0)
        .stdout(contains("note[AML001"));
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let outer = repo(&[("isolint.toml", "[rules]\nAML001 = \"off\"\n")]);
    let inner = outer.path().join("project");
    fs::create_dir_all(inner.join(".git")).unwrap();
    fs::write(inner.join("main.json"), PUBLIC).unwrap();
    isolint_in(&inner)
        .args(["check", "--select", "AML001", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains("error[AML001"));
}

#[test]
fn config_names_another_file() {
    let dir = repo(&[
        ("isolint.toml", "[rules]\nAML001 = \"off\"\n"),
        (
            "ci.toml",
            "select = [\"AML001\"]\nfail_level = \"error\"\n[rules]\nAML001 = \"warning\"\n",
        ),
        ("main.json", PUBLIC),
    ]);
    isolint_in(dir.path())
        .args(["check", "--config", "ci.toml", "--format", "compact", "."])
        .assert()
        .code(0)
        .stdout(contains("warning[AML001"));
    // The command line's --fail-level wins over the file's.
    isolint_in(dir.path())
        .args([
            "check",
            "--config",
            "ci.toml",
            "--fail-level",
            "warning",
            ".",
        ])
        .assert()
        .code(1);
}

#[test]
fn a_rule_set_off_does_not_run() {
    let dir = repo(&[
        (
            "isolint.toml",
            "select = [\"AML001\", \"AML002\"]\n[rules]\nworkspace-public-network-access = \"off\"\n",
        ),
        ("main.json", PUBLIC),
    ]);
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "."])
        .assert()
        .stdout(contains("AML001").not())
        .stdout(contains("AML002"));
}

#[test]
fn unknown_keys_are_usage_errors_with_line_and_column() {
    let dir = repo(&[
        ("isolint.toml", "strict = true\nfail_levle = \"error\"\n"),
        ("main.json", PUBLIC),
    ]);
    isolint_in(dir.path())
        .args(["check", "."])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "error: isolint.toml:2:1: unknown field `fail_levle`, expected one of",
        ));
}

#[test]
fn bad_values_are_usage_errors_with_line_and_column() {
    for (text, expected) in [
        (
            "[rules]\nAML001 = \"critical\"\n",
            "isolint.toml:2:10: unknown variant `critical`",
        ),
        (
            "ignore = [\"AML01\"]\n",
            "isolint.toml:1:11: unknown rule `AML01`; did you mean `AML001`?",
        ),
        (
            "exclude = [\"a[\"]\n",
            "isolint.toml:1:12: invalid glob `a[`",
        ),
        (
            "[[exceptions]]\nrule = \"AML001\"\npath = \"*\"\nuntil = \"2027-13-01\"\n",
            "isolint.toml:4:9: `2027-13-01` is not a day of the calendar",
        ),
        (
            "[[exceptions]]\nrule = \"AML001\"\n",
            "isolint.toml:1:1: missing field `path`",
        ),
    ] {
        let dir = repo(&[("isolint.toml", text), ("main.json", PUBLIC)]);
        isolint_in(dir.path())
            .args(["check", "."])
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
}

#[test]
fn include_and_exclude_are_relative_to_the_configuration() {
    let dir = repo(&[
        (
            "isolint.toml",
            "select = [\"AML001\"]\ninclude = [\"infra\"]\nexclude = [\"infra/legacy\"]\n",
        ),
        ("infra/main.json", PUBLIC),
        ("infra/legacy/old.json", PUBLIC),
        ("app/other.json", PUBLIC),
    ]);
    let listed = stdout_of(isolint_in(dir.path()).args(["check", "--list-files", "."]));
    assert_eq!(listed, "infra/main.json\n");
    // They apply to files named on the command line too (pre-commit names every file),
    // and from a subfolder.
    let named = stdout_of(isolint_in(&dir.path().join("infra")).args([
        "check",
        "--list-files",
        "main.json",
        "legacy/old.json",
    ]));
    assert_eq!(named, "main.json\n");
}

#[test]
fn strict_and_required_tags_come_from_the_configuration() {
    let dir = repo(&[
        (
            "isolint.toml",
            "select = [\"AML301\"]\nrequired_tags = [\"owner\"]\n",
        ),
        ("main.json", PUBLIC),
    ]);
    isolint_in(dir.path())
        .args(["check", "--format", "compact", "."])
        .assert()
        .stdout(contains("AML301"));
}

#[test]
fn init_writes_a_valid_commented_starter() {
    let dir = repo(&[("main.json", PUBLIC)]);
    isolint_in(dir.path())
        .arg("init")
        .assert()
        .code(0)
        .stderr(contains("wrote `isolint.toml`"));
    let text = fs::read_to_string(dir.path().join("isolint.toml")).unwrap();
    assert!(text.contains("# [[exceptions]]"), "{text}");
    // Valid as written, and it changes nothing.
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "."])
        .assert()
        .code(1);
    // Never over an existing file without --force.
    isolint_in(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(contains("exists; use --force"));
    isolint_in(dir.path())
        .args(["init", "--force", ".isolint.toml"])
        .assert()
        .code(0);
}

// --- suppressions -----------------------------------------------------------------------

/// A template with one suppression of each kind.
const SUPPRESSED: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    // isolint-ignore AML001 reason="a public demo workspace" until=2099-12-31
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "demo",
      "location": "westeurope",
      "properties": { "publicNetworkAccess": "Enabled" }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "old",
      "location": "westeurope",
      "metadata": { "isolint-ignore": [{ "rule": "AML001", "reason": "retired", "until": "2020-01-31" }] },
      "properties": { "publicNetworkAccess": "Enabled" }
    },
    {
      "type": "Microsoft.MachineLearningServices/workspaces",
      "apiVersion": "2024-10-01",
      "name": "quiet",
      "location": "westeurope",
      "properties": {
        // isolint-ignore workspace-public-network-access
        "publicNetworkAccess": "Enabled"
      }
    }
  ]
}
"#;

#[test]
fn inline_and_metadata_suppressions() {
    let dir = repo(&[("main.json", SUPPRESSED)]);
    let compact = stdout_of(isolint_in(dir.path()).args([
        "check",
        "--select",
        "AML001,SUP001,SUP002,SUP003",
        "--format",
        "compact",
        ".",
    ]));
    assert_eq!(
        compact,
        "main.json:18:40: warning[SUP002 suppression-expired] the suppression of AML001 expired on 2020-01-31: its findings are reported again\n\
         main.json:19:46: error[AML001 workspace-public-network-access] workspace `old` accepts public network traffic: `publicNetworkAccess` is `Enabled`\n\
         main.json:27:9: warning[SUP001 suppression-without-reason] the suppression of AML001 gives no reason\n"
    );
    // SARIF keeps the suppressed findings, with their justification.
    let sarif: serde_json::Value = serde_json::from_str(&stdout_of(isolint_in(dir.path()).args([
        "check",
        "--select",
        "AML001,SUP001,SUP002,SUP003",
        "--format",
        "sarif",
        ".",
    ])))
    .unwrap();
    let suppressions: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("suppressions"))
        .map(|s| format!("{} {}", s[0]["kind"], s[0]["justification"]))
        .collect();
    assert_eq!(
        suppressions,
        [
            "\"inSource\" \"a public demo workspace (until 2099-12-31)\"",
            "\"inSource\" \"no reason given\""
        ]
    );
    // --show-suppressed shows them in text formats.
    isolint_in(dir.path())
        .args([
            "check",
            "--select",
            "AML001",
            "--show-suppressed",
            "--format",
            "compact",
            ".",
        ])
        .assert()
        .stdout(contains(
            "[suppressed: a public demo workspace (until 2099-12-31)]",
        ));
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "."])
        .assert()
        .stderr(contains(
            "note: 2 findings suppressed (--show-suppressed shows them)",
        ));
}

#[test]
fn configuration_exceptions_and_unused_suppressions() {
    let dir = repo(&[
        (
            "isolint.toml",
            "select = [\"AML001\", \"SUP001\", \"SUP002\", \"SUP003\"]\n\n\
             [[exceptions]]\nrule = \"AML001\"\npath = \"infra/**\"\nresource = \"mlw-*\"\n\
             reason = \"demo\"\napproved_by = \"secops\"\nuntil = \"2099-01-01\"\n\n\
             [[exceptions]]\nrule = \"AML001\"\npath = \"nowhere/**\"\nreason = \"stale\"\n",
        ),
        ("infra/main.json", PUBLIC),
        ("infra/other.json", &public_named("other")),
    ]);
    let compact = stdout_of(isolint_in(dir.path()).args(["check", "--format", "compact", "."]));
    assert_eq!(
        compact,
        "infra/other.json:10:46: error[AML001 workspace-public-network-access] workspace `other` accepts public network traffic: `publicNetworkAccess` is `Enabled`\n\
         isolint.toml:11:1: note[SUP003 suppression-unused] the suppression of AML001 matched no finding\n"
    );
    let sarif: serde_json::Value = serde_json::from_str(&stdout_of(
        isolint_in(dir.path()).args(["check", "--format", "sarif", "."]),
    ))
    .unwrap();
    let suppressed = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("suppressions").is_some())
        .unwrap()
        .clone();
    assert_eq!(suppressed["suppressions"][0]["kind"], "external");
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "demo (approved by secops) (until 2099-01-01)"
    );
}

#[test]
fn bicep_and_terraform_comments_suppress() {
    let bicep = "// isolint-ignore AML001 reason=\"demo\"\n\
        resource ws 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {\n\
        \x20 name: 'mlw-bicep'\n\
        \x20 location: 'westeurope'\n\
        \x20 properties: {\n\
        \x20   // isolint-ignore workspace-public-network-access until=2020-02-02\n\
        \x20   publicNetworkAccess: 'Enabled'\n\
        \x20 }\n\
        }\n";
    let terraform = "# isolint-ignore AML001 reason=\"demo\" until=2099-01-01\n\
        resource \"azurerm_machine_learning_workspace\" \"ws\" {\n\
        \x20 name                    = \"mlw-tf\"\n\
        \x20 location                = \"westeurope\"\n\
        \x20 resource_group_name     = \"rg\"\n\
        \x20 application_insights_id = \"x\"\n\
        \x20 key_vault_id            = \"y\"\n\
        \x20 storage_account_id      = \"z\"\n\
        \x20 identity {\n\
        \x20   type = \"SystemAssigned\"\n\
        \x20 }\n\
        }\n";
    let dir = repo(&[("b/main.bicep", bicep), ("t/main.tf", terraform)]);
    let compact = stdout_of(isolint_in(dir.path()).args([
        "check",
        "--select",
        "AML001,SUP001,SUP002,SUP003",
        "--format",
        "compact",
        ".",
    ]));
    // The resource-level comments hide both findings; the property-level one has expired
    // (the resource-level one still holds) and gives no reason.
    assert_eq!(
        compact
            .lines()
            .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        [
            "b/main.bicep:6:5: warning[SUP001",
            "b/main.bicep:6:5: warning[SUP002"
        ],
        "{compact}"
    );
    let shown = stdout_of(isolint_in(dir.path()).args([
        "check",
        "--select",
        "AML001",
        "--show-suppressed",
        "--format",
        "compact",
        ".",
    ]));
    assert!(
        shown.contains("[suppressed: demo (until 2099-01-01)]"),
        "{shown}"
    );
    assert!(shown.contains("[suppressed: demo]"), "{shown}");
}

#[test]
fn a_malformed_suppression_warns_and_suppresses_nothing() {
    let text = PUBLIC.replace(
        "      \"properties\"",
        "      // isolint-ignore AML001 until=2027-02-30\n      \"properties\"",
    );
    let dir = repo(&[("main.json", &text)]);
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "--format", "compact", "."])
        .assert()
        .code(1)
        .stdout(contains(
            "main.json:10:7: warning[invalid-suppression] invalid suppression, it suppresses nothing: `2027-02-30` is not a day of the calendar",
        ))
        .stdout(contains("error[AML001"));
}

/// Rules run once, strictly, and `check` drops the notes about unsettled values unless
/// `--strict`: a suppression that covers only such a note hides it under `--strict` and is
/// unused (SUP003) without it, as when the rules ran without `--strict`.
#[test]
fn a_suppression_of_an_unsettled_value_is_used_only_under_strict() {
    let text = PUBLIC
        .replace(
            "\"resources\"",
            "\"parameters\": { \"access\": { \"type\": \"string\" } },\n  \"resources\"",
        )
        .replace(
            "      \"properties\": { \"publicNetworkAccess\": \"Enabled\" }",
            "      // isolint-ignore AML001 reason=\"set per environment\"\n      \"properties\": { \"publicNetworkAccess\": \"[parameters('access')]\" }",
        );
    let dir = repo(&[("main.json", &text)]);
    let run = |strict: bool| {
        let mut cmd = isolint_in(dir.path());
        cmd.args(["check", "--select", "AML001,SUP003", "--format", "compact"]);
        if strict {
            cmd.arg("--strict");
        }
        stdout_of(cmd.arg("."))
    };
    let lenient = run(false);
    assert!(
        lenient.contains(
            "note[SUP003 suppression-unused] the suppression of AML001 matched no finding"
        ),
        "{lenient}"
    );
    assert!(!lenient.contains("AML001 workspace"), "{lenient}");
    assert_eq!(
        run(true),
        "",
        "the note is suppressed, and the suppression used"
    );
}

// --- baselines --------------------------------------------------------------------------

#[test]
fn a_baseline_round_trip_reports_only_new_findings() {
    let dir = repo(&[("main.json", PUBLIC)]);
    isolint_in(dir.path())
        .args([
            "check",
            "--select",
            "AML001",
            "--write-baseline",
            "baseline.json",
            ".",
        ])
        .assert()
        .code(0)
        .stderr(contains("wrote 1 finding to the baseline `baseline.json`"));
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("baseline.json")).unwrap())
            .unwrap();
    assert_eq!(written["isolint_baseline"], 1);
    assert_eq!(written["findings"][0]["rule"], "AML001");
    assert_eq!(written["findings"][0]["path"], "main.json");

    // Moving the finding to another line keeps its fingerprint.
    fs::write(dir.path().join("main.json"), format!("\n\n{PUBLIC}")).unwrap();
    isolint_in(dir.path())
        .args([
            "check",
            "--select",
            "AML001",
            "--baseline",
            "baseline.json",
            "--format",
            "compact",
            ".",
        ])
        .assert()
        .code(0)
        .stdout("");
    // A new finding is reported.
    fs::write(dir.path().join("new.json"), public_named("mlw-new")).unwrap();
    isolint_in(dir.path())
        .args([
            "check",
            "--select",
            "AML001",
            "--baseline",
            "baseline.json",
            "--format",
            "compact",
            ".",
        ])
        .assert()
        .code(1)
        .stdout(contains("new.json"))
        .stdout(contains("main.json").not());
}

#[test]
fn a_file_that_is_not_a_baseline_is_a_usage_error() {
    let dir = repo(&[
        ("main.json", PUBLIC),
        ("broken.json.txt", "{ \"isolint_baseline\": 1, "),
        ("other.txt", "{ \"findings\": [] }"),
        (
            "future.txt",
            "{ \"isolint_baseline\": 7, \"findings\": [] }",
        ),
    ]);
    for (file, reason) in [
        (
            "broken.json.txt",
            "is not an isolint baseline: invalid JSON at line 1",
        ),
        (
            "other.txt",
            "is not an isolint baseline: it has no `isolint_baseline` version",
        ),
        ("future.txt", "version 7 is not supported"),
        ("missing.txt", "cannot read baseline `missing.txt`"),
    ] {
        isolint_in(dir.path())
            .args(["check", "--baseline", file, "."])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(reason));
    }
}

// --- formats ----------------------------------------------------------------------------

#[test]
fn github_and_markdown_formats() {
    let dir = repo(&[("main.json", PUBLIC)]);
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "--format", "github", "."])
        .assert()
        .code(1)
        .stdout(
            "::error file=main.json,line=10,col=46,title=AML001 workspace-public-network-access::workspace `mlw-public` accepts public network traffic: `publicNetworkAccess` is `Enabled`\n",
        );
    isolint_in(dir.path())
        .args(["check", "--select", "AML001", "--format", "markdown", "."])
        .assert()
        .code(1)
        .stdout(contains(
            "1 file checked: **1 finding** (1 error, 0 warnings, 0 notes).",
        ))
        .stdout(contains("### AML001 workspace-public-network-access (1)"))
        // The pull-request summary carries the KPIs of `isolint report`.
        .stdout(contains("\n### Network isolation report\n"))
        .stdout(contains("| Not isolated | 1 |"));
}

// --- pre-commit -------------------------------------------------------------------------

#[test]
fn the_hook_and_the_action_are_declared() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let hooks = fs::read_to_string(root.join(".pre-commit-hooks.yaml")).unwrap();
    for needle in [
        "- id: isolint",
        "language: rust",
        "entry: isolint-pre-commit check",
    ] {
        assert!(hooks.contains(needle), "{needle}:\n{hooks}");
    }
    // The hook's binary is the package at the repository root (`cargo install --path .`).
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"isolint-pre-commit\""));
    let action = fs::read_to_string(root.join("action.yml")).unwrap();
    for needle in [
        "using: composite",
        "cargo install",
        "--format sarif",
        "github/codeql-action/upload-sarif",
    ] {
        assert!(action.contains(needle), "{needle}:\n{action}");
    }
}

/// `pre-commit try-repo` against this repository, when `ISOLINT_PRE_COMMIT_TEST` is set and
/// `pre-commit` is on the `PATH` (`.ci/run` installs it from `PyPI` and sets the variable). The
/// working tree (tracked and untracked files, as `git ls-files` lists them) is committed
/// into a scratch repository first, because `try-repo` sees only tracked files. It builds
/// isolint in release mode, so it takes minutes.
#[test]
fn pre_commit_try_repo() {
    let available = std::process::Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available || std::env::var_os("ISOLINT_PRE_COMMIT_TEST").is_none() {
        eprintln!("skipped: set ISOLINT_PRE_COMMIT_TEST=1 with `pre-commit` on the PATH");
        return;
    }
    let git = |dir: &Path, args: &[&str]| {
        let output = std::process::Command::new("git")
            .args([
                "-c",
                "user.name=isolint",
                "-c",
                "user.email=isolint@invalid",
            ])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
        output.stdout
    };

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let hook_repo = tempfile::tempdir().unwrap();
    let listed = git(
        &root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    );
    for name in listed.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let name = std::str::from_utf8(name).unwrap();
        let from = root.join(name);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let to = hook_repo.path().join(name);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(&from, &to).unwrap();
    }
    git(hook_repo.path(), &["init", "-q"]);
    git(hook_repo.path(), &["add", "-A"]);
    git(hook_repo.path(), &["commit", "-q", "-m", "snapshot"]);

    let project = tempfile::tempdir().unwrap();
    git(project.path(), &["init", "-q"]);
    fs::write(project.path().join("main.json"), PUBLIC).unwrap();
    fs::write(
        project.path().join("isolint.toml"),
        "select = [\"AML001\"]\n",
    )
    .unwrap();
    git(project.path(), &["add", "."]);
    let output = std::process::Command::new("pre-commit")
        .args([
            "try-repo",
            hook_repo.path().to_str().unwrap(),
            "isolint",
            "--all-files",
        ])
        .current_dir(project.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("- hook id: isolint"), "{stdout}");
    assert!(
        stdout.contains("AML001") && stdout.contains("workspace-public-network-access"),
        "{stdout}"
    );
}
