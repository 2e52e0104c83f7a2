//! `isolint rules`: every rule isolint knows, as an aligned table or a JSON array.

use crate::catalog::all_rules;
use crate::cli::{ListFormat, RulesArgs};
use crate::console;
use crate::exit::Outcome;

/// Runs `isolint rules`.
pub(crate) fn run(args: &RulesArgs) -> Outcome {
    console::stdout(&listing(args.format))
}

/// The rule table, as text or JSON.
fn listing(format: ListFormat) -> String {
    match format {
        ListFormat::Text => table(),
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = all_rules()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "name": rule.name,
                        "level": rule.level.as_str(),
                        "summary": rule.summary(),
                        "targets": rule.targets,
                        "helpUri": rule.help_uri(),
                    })
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&rules).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}

fn table() -> String {
    let id_width = all_rules().map(|r| r.id.len()).max().unwrap_or(0).max(2);
    let name_width = all_rules().map(|r| r.name.len()).max().unwrap_or(0).max(4);
    let level_width = "warning".len();
    let mut out = String::new();
    let mut row = |id: &str, name: &str, level: &str, summary: &str| {
        let line = format!("{id:id_width$}  {name:name_width$}  {level:level_width$}  {summary}");
        out.push_str(line.trim_end());
        out.push('\n');
    };
    row("ID", "NAME", "LEVEL", "SUMMARY");
    for rule in all_rules() {
        row(rule.id, rule.name, rule.level.as_str(), &rule.summary());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use isolint_rules::change::CHANGE_RULES;
    use isolint_rules::{RULES, TOOL_RULES};

    #[test]
    fn the_table_lists_every_rule() {
        let table = listing(ListFormat::Text);
        assert!(table.starts_with("ID "));
        for rule in RULES.iter().chain(CHANGE_RULES).chain(TOOL_RULES) {
            assert!(table.contains(rule.id) && table.contains(rule.name));
        }
        assert!(table.find("AML301") < table.find("CHG001"));
        assert!(table.find("CHG003") < table.find("SUP001"));
        let json: serde_json::Value = serde_json::from_str(&listing(ListFormat::Json)).unwrap();
        assert_eq!(
            json.as_array().unwrap().len(),
            RULES.len() + CHANGE_RULES.len() + TOOL_RULES.len()
        );
    }
}
