//! The hover of a finding: what is wrong, what to write (the finding's help), why it
//! matters (the rule's summary), and the link to the rule's documentation. The text is
//! written when someone hovers, not for every finding of every analysis.

use isolint_rules::{Finding, Level, Rule};

/// What a finding's hover shows.
#[derive(Clone, Debug)]
pub(crate) struct Hover {
    rule: &'static Rule,
    level: Level,
    message: String,
    help: Option<String>,
}

impl Hover {
    /// The hover of `finding`.
    pub(crate) fn of(finding: &Finding) -> Self {
        Self {
            rule: finding.rule,
            level: finding.level,
            message: finding.message.clone(),
            help: finding.help.clone(),
        }
    }

    /// The text, in Markdown or in plain text.
    pub(crate) fn text(&self, markdown: bool) -> String {
        let rule = self.rule;
        let level = self.level.as_str();
        let mut parts = vec![if markdown {
            format!("**{}** `{}` ({level})", rule.id, rule.name)
        } else {
            format!("{} {} ({level})", rule.id, rule.name)
        }];
        parts.push(self.message.clone());
        if let Some(help) = &self.help {
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
}
