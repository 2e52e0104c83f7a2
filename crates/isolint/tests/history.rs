//! `isolint report --history` on throw-away git repositories with fixed commit dates: when
//! each finding opened and closed, the MTTR, the age of open findings (at
//! `SOURCE_DATE_EPOCH`, 2026-03-01), `--since`, and commits that change no infrastructure.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking, helpers included"
)]

mod git_repo;

use git_repo::{Repo, git_available, workspace};

const DAY: i64 = 86_400;
/// 2026-03-01T00:00:00Z, the `SOURCE_DATE_EPOCH` of every run.
const NOW: i64 = 1_772_323_200;
/// 2026-01-05T00:00:00Z.
const JANUARY_5: i64 = 1_767_571_200;

/// A repository whose workspace opens AML001 on January 1st, closes it on the 5th (which
/// opens AML003), and gets a managed network on the 11th; a commit of the 3rd changes only
/// the README.
fn remediated() -> Repo {
    let repo = Repo::new();
    let public = workspace("Disabled", false, "").replacen("'Disabled'", "'Enabled'", 1);
    repo.write("infra/main.bicep", &public);
    repo.write("README.md", "one\n");
    repo.commit("a public workspace", "2026-01-01T00:00:00Z");
    repo.write("README.md", "two\n");
    repo.commit("documentation only", "2026-01-03T00:00:00Z");
    repo.write("infra/main.bicep", &workspace("Disabled", false, ""));
    repo.commit("close the public endpoint", "2026-01-05T00:00:00Z");
    repo.write(
        "infra/main.bicep",
        &workspace("AllowInternetOutbound", false, ""),
    );
    repo.commit("a managed network", "2026-01-11T00:00:00Z");
    repo
}

fn records<'a>(
    workspace: &'a serde_json::Value,
    list: &str,
    rule: &str,
) -> Vec<&'a serde_json::Value> {
    workspace[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"]["id"] == rule)
        .collect()
}

#[test]
fn findings_open_close_and_make_the_mttr() {
    if !git_available() {
        return;
    }
    let repo = remediated();
    let run = repo.isolint(&["report", "--history", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["history"]["commits"], 4);
    assert_eq!(
        json["history"]["analysed"], 3,
        "the README commit is skipped: {json}"
    );
    let workspace = &json["workspaces"][0];
    assert_eq!(workspace["workspace"], "mlw-contoso");

    let aml001 = records(workspace, "remediated", "AML001");
    assert_eq!(aml001.len(), 1, "{workspace}");
    assert_eq!(aml001[0]["opened"]["date"], "2026-01-01");
    assert_eq!(aml001[0]["closed"]["date"], "2026-01-05");
    assert_eq!(aml001[0]["seconds"], 4 * DAY);
    let aml002 = records(workspace, "remediated", "AML002");
    assert_eq!(aml002[0]["seconds"], 10 * DAY);

    // The MTTR is the mean over every remediated finding.
    let remediated: Vec<i64> = workspace["remediated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["seconds"].as_i64().unwrap())
        .collect();
    assert!(remediated.len() >= 2);
    let mean = remediated.iter().sum::<i64>() / i64::try_from(remediated.len()).unwrap();
    assert_eq!(workspace["mttrSeconds"], mean);
    assert_eq!(json["mttrSeconds"], mean);

    // Closing the public endpoint opened AML003, still open, aged at SOURCE_DATE_EPOCH.
    let aml003 = records(workspace, "open", "AML003");
    assert_eq!(aml003.len(), 1, "{workspace}");
    assert_eq!(aml003[0]["opened"]["date"], "2026-01-05");
    assert_eq!(aml003[0]["seconds"], NOW - JANUARY_5);
    assert_eq!(aml003[0]["closed"], serde_json::Value::Null);

    let text = repo.isolint(&["report", "--history"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains("workspace mlw-contoso: MTTR"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("closed 2026-01-05"), "{}", text.stdout);
    assert!(text.stdout.contains("55 d 0 h old"), "{}", text.stdout);
    let markdown = repo.isolint(&["report", "--history", "--format", "markdown"]);
    assert!(
        markdown.stdout.contains("| `mlw-contoso` |"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn since_starts_the_window_and_leaves_earlier_openings_out_of_the_mttr() {
    if !git_available() {
        return;
    }
    let repo = remediated();
    let run = repo.isolint(&[
        "report",
        "--history",
        "--since",
        "2026-01-04",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["history"]["commits"], 2);
    assert_eq!(json["history"]["since"], "2026-01-04");
    let workspace = &json["workspaces"][0];
    let aml002 = records(workspace, "remediated", "AML002");
    assert_eq!(aml002[0]["openedBeforeWindow"], true);
    // Every finding remediated in the window was there when it started: no MTTR.
    assert_eq!(workspace["mttrSeconds"], serde_json::Value::Null);
    assert!(records(workspace, "remediated", "AML001").is_empty());

    let bad = repo.isolint(&["report", "--history", "--since", "January"]);
    assert_eq!(bad.code, 2);
    let without = repo.isolint(&["report", "--since", "2026-01-04"]);
    assert_eq!(without.code, 2, "--since needs --history");
}

#[test]
fn a_branch_without_infrastructure_has_no_history_of_findings() {
    if !git_available() {
        return;
    }
    let repo = Repo::new();
    repo.write("README.md", "nothing here\n");
    repo.commit("docs", "2026-01-01T00:00:00Z");
    let run = repo.isolint(&["report", "--history"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("No finding in any workspace"),
        "{}",
        run.stdout
    );
}
