//! `isolint explain`: a rule's documentation, the same text as `docs/rules/<ID>.md`.

use isolint_rules::Rule;

use crate::cli::ExplainArgs;
use crate::console;
use crate::exit::Outcome;

/// Runs `isolint explain`.
pub(crate) fn run(args: &ExplainArgs) -> Outcome {
    console::stdout(&explanation(args.rule))
}

/// A rule's documentation under a title line.
fn explanation(rule: &Rule) -> String {
    format!(
        "# {}: {} ({})\n\n{}\n\nDocumentation: {}\n",
        rule.id,
        rule.name,
        rule.level,
        rule.documentation().trim_end(),
        rule.help_uri()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_rules_are_explained() {
        let rule = crate::catalog::lookup("sup001").unwrap();
        let text = explanation(rule);
        assert!(
            text.starts_with("# SUP001: suppression-without-reason"),
            "{text}"
        );
        assert!(text.contains("docs/rules/SUP001.md"), "{text}");
    }
}
