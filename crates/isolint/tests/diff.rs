//! `isolint diff --base REF` on throw-away git repositories: each change rule, a regression
//! and a fix, no change at all, a file renamed between REF and the work tree, and the bad
//! inputs (a REF that does not exist, a shallow clone, a binary file at REF).

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking, helpers included"
)]

mod git_repo;
mod project;

use git_repo::{Repo, git_available, isolint_in, workspace};

/// The rule IDs of the results of a SARIF log with their baseline states, in order.
fn states(sarif: &serde_json::Value) -> Vec<(String, String)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                r["baselineState"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn pair(rule: &str, state: &str) -> (String, String) {
    (rule.to_owned(), state.to_owned())
}

#[test]
fn enabling_a_managed_network_over_computes_names_them_with_the_plan() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("infra/main.bicep", &workspace("Disabled", true, ""));
    repo.commit("base", "2026-01-01T00:00:00Z");
    repo.write(
        "infra/main.bicep",
        &workspace("AllowOnlyApprovedOutbound", true, ""),
    );

    let text = repo.isolint(&["diff", "--base", "main"]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    assert!(text.stdout.contains("CHG001"), "{}", text.stdout);
    let json = repo
        .isolint(&["diff", "--base", "main", "--format", "json"])
        .json();
    let chg001 = &json["findings"][0];
    assert_eq!(chg001["rule"]["id"], "CHG001", "{json}");
    let message = chg001["message"].as_str().unwrap();
    assert!(
        message.contains("compute cluster `cpu-cluster` must be deleted and created again"),
        "{message}"
    );
    assert!(
        chg001["help"]
            .as_str()
            .unwrap()
            .contains("az ml compute delete")
    );
    // The managed network fixes AML002 and AML205.
    assert!(
        text.stdout.contains("Fixed since `main`"),
        "{}",
        text.stdout
    );

    let sarif = repo
        .isolint(&["diff", "--base", "main", "--format", "sarif"])
        .json();
    let states = states(&sarif);
    assert!(states.contains(&pair("CHG001", "new")), "{states:?}");
    assert!(states.contains(&pair("AML002", "absent")), "{states:?}");
    let chg001 = &sarif["runs"][0]["results"][0];
    assert_eq!(chg001["ruleId"], "CHG001");
    assert_eq!(chg001["level"], "warning");
    assert_eq!(
        chg001["properties"]["property"],
        "properties.managedNetwork.isolationMode"
    );
    assert_eq!(chg001["relatedLocations"].as_array().unwrap().len(), 1);

    let markdown = repo.isolint(&["diff", "--base", "main", "--format", "markdown"]);
    assert!(
        markdown.stdout.contains("### Migration plan"),
        "{}",
        markdown.stdout
    );

    // A workspace without computes at REF has nothing to migrate.
    let bare = Repo::new();
    bare.write("main.bicep", &workspace("Disabled", false, ""));
    bare.commit("base", "2026-01-01T00:00:00Z");
    bare.write("main.bicep", &workspace("AllowInternetOutbound", true, ""));
    let run = bare.isolint(&["diff", "--base", "main", "--format", "json"]);
    assert!(!run.stdout.contains("CHG001"), "{}", run.stdout);
}

#[test]
fn transitions_azure_refuses_are_errors() {
    if !git_available() {
        return;
    }
    for (before, after) in [
        ("AllowOnlyApprovedOutbound", "AllowInternetOutbound"),
        ("AllowInternetOutbound", "Disabled"),
        ("AllowOnlyApprovedOutbound", "Disabled"),
    ] {
        let repo = Repo::new();
        repo.write("main.bicep", &workspace(before, false, ""));
        repo.commit("base", "2026-01-01T00:00:00Z");
        repo.write("main.bicep", &workspace(after, false, ""));
        let run = repo.isolint(&["diff", "--base", "main", "--format", "json"]);
        assert_eq!(run.code, 1, "{before} -> {after}: {}", run.stderr);
        let json = run.json();
        let chg002: Vec<&serde_json::Value> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"]["id"] == "CHG002")
            .collect();
        assert_eq!(chg002.len(), 1, "{before} -> {after}: {json}");
        assert_eq!(chg002[0]["level"], "error");
        assert_eq!(chg002[0]["baselineState"], "new");
    }
    // The one-way transitions the other way are allowed.
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    repo.commit("base", "2026-01-01T00:00:00Z");
    repo.write(
        "main.bicep",
        &workspace("AllowOnlyApprovedOutbound", false, ""),
    );
    let run = repo.isolint(&["diff", "--base", "main", "--format", "json"]);
    assert!(!run.stdout.contains("CHG002"), "{}", run.stdout);
}

#[test]
fn properties_fixed_at_creation_are_errors() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    repo.commit("base", "2026-01-01T00:00:00Z");
    let changed = workspace("AllowInternetOutbound", false, "    hbiWorkspace: true")
        .replace("name: 'kv-contoso'", "name: 'kv-other'");
    repo.write("main.bicep", &changed);
    let json = repo
        .isolint(&["diff", "--base", "main", "--format", "json"])
        .json();
    let mut properties: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["id"] == "CHG003")
        .map(|f| f["property"].as_str().unwrap())
        .collect();
    properties.sort_unstable();
    assert_eq!(
        properties,
        ["properties.hbiWorkspace", "properties.keyVault"],
        "{json}"
    );

    // The same storage account under another symbolic name is no change.
    let renamed = workspace("AllowInternetOutbound", false, "")
        .replace("storage.id", "account.id")
        .replace("resource storage ", "resource account ");
    repo.write("main.bicep", &renamed);
    let run = repo.isolint(&["diff", "--base", "main", "--format", "json"]);
    assert!(!run.stdout.contains("CHG003"), "{}", run.stdout);
}

#[test]
fn terraform_replacements_of_the_workspace_are_errors() {
    if !git_available() {
        return;
    }
    let workspace = |registry: &str| {
        format!(
            r#"resource "azurerm_machine_learning_workspace" "ws" {{
  name                          = "mlw-tf"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  container_registry_id         = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/{registry}"
  public_network_access_enabled = false
  identity {{
    type = "SystemAssigned"
  }}
  managed_network {{
    isolation_mode = "AllowOnlyApprovedOutbound"
  }}
}}
"#
        )
    };
    let repo = Repo::new();
    repo.write("tf/main.tf", &workspace("acrone"));
    repo.commit("base", "2026-01-01T00:00:00Z");
    repo.write("tf/main.tf", &workspace("acrtwo"));
    let run = repo.isolint(&["diff", "--base", "main", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let json = run.json();
    let chg003 = &json["findings"][0];
    assert_eq!(chg003["rule"]["id"], "CHG003", "{json}");
    assert_eq!(chg003["property"], "properties.containerRegistry");
    let message = chg003["message"].as_str().unwrap();
    assert!(
        message.contains("from `acrone` at the base revision to `acrtwo`"),
        "{message}"
    );
    assert!(
        message.contains("Terraform replaces the resource"),
        "{message}"
    );
}

#[test]
fn regressions_are_new_and_fixes_are_counted() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    repo.commit("base", "2026-01-01T00:00:00Z");

    // A regression: public network access opened.
    repo.write(
        "main.bicep",
        &workspace("AllowInternetOutbound", false, "").replacen(
            "publicNetworkAccess: 'Disabled'",
            "publicNetworkAccess: 'Enabled'",
            1,
        ),
    );
    let sarif = repo.isolint(&["diff", "--base", "main", "--format", "sarif"]);
    assert_eq!(sarif.code, 1);
    let states = states(&sarif.json());
    assert!(states.contains(&pair("AML001", "new")), "{states:?}");
    assert!(
        states
            .iter()
            .all(|(_, s)| s == "new" || s == "unchanged" || s == "absent")
    );

    // The regression committed, then fixed in the work tree: AML001 is fixed; closing the
    // public endpoint makes the missing private endpoint (AML003) a new finding.
    repo.commit("regression", "2026-01-02T00:00:00Z");
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    let text = repo.isolint(&["diff", "--base", "HEAD"]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout.contains("Fixed since `HEAD`"),
        "{}",
        text.stdout
    );
    let json = repo
        .isolint(&["diff", "--base", "HEAD", "--format", "json"])
        .json();
    assert_eq!(json["summary"]["new"], 1, "{json}");
    assert_eq!(json["findings"][0]["rule"]["id"], "AML003");
    assert_eq!(json["absent"][0]["rule"]["id"], "AML001");
    assert_eq!(json["absent"][0]["baselineState"], "absent");
    // Only new findings fail the run: at the error level, AML003 (a warning) does not.
    let lenient = repo.isolint(&["diff", "--base", "HEAD", "--fail-level", "error"]);
    assert_eq!(lenient.code, 0, "{}{}", lenient.stdout, lenient.stderr);
}

#[test]
fn a_module_named_alone_is_judged_at_ref_through_the_callers_ref_had() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    let caller = "module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stcontoso'
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso'
  location: 'westeurope'
  properties: {
    storageAccount: storage.outputs.resourceId
    publicNetworkAccess: 'Disabled'
  }
}
";
    repo.write(
        "infra/modules/storage.bicep",
        project::PUBLIC_STORAGE_MODULE,
    );
    repo.write("infra/main.bicep", caller);
    repo.commit("base", "2026-01-01T00:00:00Z");
    // The workspace is gone from the work tree; the module stays, as pre-commit names it.
    repo.git(&["rm", "-q", "infra/main.bicep"]);
    let json = repo
        .isolint(&[
            "diff",
            "--base",
            "main",
            "--format",
            "json",
            "infra/modules/storage.bicep",
        ])
        .json();
    // At `main`, main.bicep linked the storage account to a workspace: its public access
    // (AML101) was a finding there, and is none in the work tree.
    let absent: Vec<&str> = json["absent"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|finding| finding["rule"]["id"].as_str())
        .collect();
    assert!(absent.contains(&"AML101"), "{json}");
    assert_eq!(json["summary"]["new"], 0, "{json}");
}

#[test]
fn nothing_changed_is_exit_zero_and_no_results() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    // Findings there are, but they were there at REF already.
    repo.write(
        "main.bicep",
        &workspace("Disabled", true, "").replacen("'Disabled'", "'Enabled'", 1),
    );
    repo.write("README.md", "infrastructure\n");
    repo.commit("base", "2026-01-01T00:00:00Z");
    repo.write("README.md", "only the documentation changed\n");
    let text = repo.isolint(&["diff", "--base", "main"]);
    assert_eq!(text.code, 0, "{}{}", text.stdout, text.stderr);
    assert!(
        text.stdout
            .contains("No change to the infrastructure files since `main`")
    );
    let sarif = repo.isolint(&["diff", "--base", "main", "--format", "sarif"]);
    assert_eq!(sarif.code, 0);
    assert!(states(&sarif.json()).is_empty());
    let json = repo
        .isolint(&["diff", "--base", "main", "--format", "json"])
        .json();
    assert_eq!(json["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn a_file_renamed_since_ref_keeps_its_findings() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    let public = workspace("Disabled", true, "").replacen("'Disabled'", "'Enabled'", 1);
    repo.write("infra/old.bicep", &public);
    repo.commit("base", "2026-01-01T00:00:00Z");
    std::fs::create_dir_all(repo.path().join("infra/new")).unwrap();
    repo.git(&["mv", "infra/old.bicep", "infra/new/workspace.bicep"]);
    // And an edit that moves every line.
    repo.write(
        "infra/new/workspace.bicep",
        &format!("// moved\n\n{public}"),
    );
    let json = repo
        .isolint(&["diff", "--base", "main", "--format", "json"])
        .json();
    assert_eq!(json["summary"]["new"], 0, "{json}");
    assert_eq!(json["summary"]["absent"], 0, "{json}");
    assert!(
        json["summary"]["unchanged"].as_u64().unwrap() >= 3,
        "{json}"
    );
    // REF is read from the repository, whichever folder the run starts in.
    let from_below = isolint_in(
        &repo.path().join("infra"),
        &["diff", "--base", "main", "--format", "json", "."],
    );
    assert_eq!(
        from_below.json()["summary"]["new"],
        0,
        "{}",
        from_below.stderr
    );
}

#[test]
fn a_ref_that_does_not_exist_is_a_clear_error() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("Disabled", false, ""));
    repo.commit("base", "2026-01-01T00:00:00Z");
    let run = repo.isolint(&["diff", "--base", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the revision `no-such-branch` cannot be read"),
        "{}",
        run.stderr
    );

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("main.bicep"), "").unwrap();
    let run = isolint_in(outside.path(), &["diff", "--base", "main"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not in a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_shallow_clone_says_how_to_fetch_the_history() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("Disabled", false, ""));
    repo.commit("one", "2026-01-01T00:00:00Z");
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    repo.commit("two", "2026-01-02T00:00:00Z");
    let (_keep, clone) = repo.shallow_clone();
    let run = isolint_in(&clone, &["diff", "--base", "HEAD~1"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let history = isolint_in(&clone, &["report", "--history"]);
    assert_eq!(history.code, 2, "{}", history.stdout);
    assert!(
        history.stderr.contains("shallow clone"),
        "{}",
        history.stderr
    );
}

#[test]
fn a_binary_file_at_ref_is_a_note_and_the_rest_compares() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("main.bicep", &workspace("AllowInternetOutbound", false, ""));
    repo.write_bytes("data.json", &[0xff, 0xfe, 0x00, 0x01, 0x80]);
    repo.commit("base", "2026-01-01T00:00:00Z");
    repo.write("data.json", "{}");
    let run = repo.isolint(&["diff", "--base", "main"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("not valid UTF-8 at `main`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_action_compares_a_pull_request_with_its_base() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let action = std::fs::read_to_string(root.join("action.yml")).unwrap();
    for needle in [
        "github.event.pull_request.base.sha",
        "isolint diff --base \"$ISOLINT_BASE\" --format markdown",
        "$GITHUB_STEP_SUMMARY",
    ] {
        assert!(action.contains(needle), "{needle}:\n{action}");
    }
    let workflow =
        std::fs::read_to_string(root.join("docs/examples/isolint-workflow.yml")).unwrap();
    assert!(workflow.contains("fetch-depth: 0"), "{workflow}");
}
