//! The hover text of a finding: what is wrong, what to write (the finding's help), why it
//! matters (the rule's summary), and the link to the rule's documentation.

use isolint_rules::Finding;

/// The hover of `finding`, in Markdown or in plain text.
pub(crate) fn text(finding: &Finding, markdown: bool) -> String {
    let rule = finding.rule;
    let mut parts = Vec::new();
    if markdown {
        parts.push(format!(
            "**{}** `{}` ({})",
            rule.id,
            rule.name,
            finding.level.as_str()
        ));
    } else {
        parts.push(format!(
            "{} {} ({})",
            rule.id,
            rule.name,
            finding.level.as_str()
        ));
    }
    parts.push(finding.message.clone());
    if let Some(help) = &finding.help {
        parts.push(if markdown {
            format!("**How to fix:** {help}")
        } else {
            format!("How to fix: {help}")
        });
    }
    let summary = rule.summary();
    if !summary.is_empty() {
        parts.push(summary);
    }
    let uri = rule.help_uri();
    parts.push(if markdown {
        format!("[{} documentation]({uri})", rule.id)
    } else {
        format!("Documentation: {uri}")
    });
    parts.join("\n\n")
}
