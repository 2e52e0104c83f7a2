//! Help text in the syntax of the file a finding is in: what to write, once per syntax.

use isolint_model::Syntax;

/// What to write to fix a finding, once per syntax.
///
/// A rule lists every `Help` it can give in [`Rule::help`](crate::Rule::help), so the
/// findings, the generated docs and the tests read the same texts. A text may hold slots,
/// `{name}` for a name in [`SLOTS`], that the rule fills in from the finding
/// (`{groups}`: the private endpoint groups that are missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Help {
    /// ARM JSON.
    pub arm: &'static str,
    /// Bicep.
    pub bicep: &'static str,
    /// Terraform with the azurerm provider.
    pub terraform: &'static str,
    /// Terraform with the azapi provider (an ARM body in HCL).
    pub azapi: &'static str,
}

/// Every syntax help is written for, in the order documentation shows them.
const SYNTAXES: [Syntax; 4] = [Syntax::Bicep, Syntax::Arm, Syntax::Terraform, Syntax::Azapi];

impl Help {
    /// The same text in every syntax, for a fix that names nothing a template spells
    /// (the suppression rules: suppressions read alike in every format).
    pub const fn everywhere(text: &'static str) -> Self {
        Self {
            arm: text,
            bicep: text,
            terraform: text,
            azapi: text,
        }
    }

    /// The text for `syntax`.
    pub fn for_syntax(&self, syntax: Syntax) -> &'static str {
        match syntax {
            Syntax::Arm => self.arm,
            Syntax::Bicep => self.bicep,
            Syntax::Terraform => self.terraform,
            Syntax::Azapi => self.azapi,
        }
    }

    /// Every syntax with its text: Bicep, ARM JSON, Terraform (azurerm), Terraform (azapi),
    /// the order documentation shows them in.
    pub fn texts(&self) -> [(Syntax, &'static str); 4] {
        SYNTAXES.map(|syntax| (syntax, self.for_syntax(syntax)))
    }

    /// Whether the text is the same in every syntax ([`Help::everywhere`]).
    pub fn is_everywhere(&self) -> bool {
        self.texts().iter().all(|(_, text)| *text == self.arm)
    }

    /// The name documentation gives a syntax: `ARM JSON`, `Terraform (azapi)`.
    pub fn syntax_name(syntax: Syntax) -> &'static str {
        match syntax {
            Syntax::Arm => "ARM JSON",
            Syntax::Bicep => "Bicep",
            Syntax::Terraform => "Terraform (azurerm)",
            Syntax::Azapi => "Terraform (azapi)",
        }
    }

    /// The names of the slots `text` holds, in order: `add {zones} to ...` gives `zones`.
    /// A brace followed by anything but lowercase letters and a closing brace is text
    /// (`{ "defaultAction": "Deny" }`).
    pub fn slots(text: &str) -> impl Iterator<Item = &str> {
        text.split('{').skip(1).filter_map(|rest| {
            let (name, _) = rest.split_once('}')?;
            (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase())).then_some(name)
        })
    }
}

/// A slot that help texts may hold, filled in from the finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The name between the braces (`groups` for `{groups}`).
    pub name: &'static str,
    /// What the rule puts there, for the docs.
    pub meaning: &'static str,
}

/// Every slot a help text may hold.
pub static SLOTS: &[Slot] = &[
    Slot {
        name: "file",
        meaning: "the Bicep file whose modules `bicep restore` fetches",
    },
    Slot {
        name: "folder",
        meaning: "the Terraform root module in which `terraform init` installs modules",
    },
    Slot {
        name: "groups",
        meaning: "the private endpoint group IDs that are missing, quoted as the format quotes strings",
    },
    Slot {
        name: "tags",
        meaning: "each required tag that is missing, with a placeholder value",
    },
    Slot {
        name: "zones",
        meaning: "the private DNS zones that are missing, quoted as the format quotes strings",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RULES, TOOL_RULES};

    #[test]
    fn every_rule_gives_help_in_every_syntax() {
        for rule in RULES.iter().chain(TOOL_RULES) {
            assert!(!rule.help.is_empty(), "{}: no help", rule.id);
            for help in rule.help {
                for (syntax, text) in help.texts() {
                    assert!(
                        !text.trim().is_empty(),
                        "{}: empty help for {}",
                        rule.id,
                        Help::syntax_name(syntax)
                    );
                }
            }
        }
    }

    #[test]
    fn every_slot_is_declared_and_used() {
        let used: Vec<&str> = RULES
            .iter()
            .chain(TOOL_RULES)
            .flat_map(|rule| rule.help)
            .flat_map(Help::texts)
            .flat_map(|(_, text)| Help::slots(text))
            .collect();
        for name in &used {
            assert!(
                SLOTS.iter().any(|slot| slot.name == *name),
                "`{{{name}}}` is not in SLOTS"
            );
        }
        for slot in SLOTS {
            assert!(
                used.contains(&slot.name),
                "no help uses `{{{}}}`",
                slot.name
            );
        }
    }

    #[test]
    fn slots_are_lowercase_names_in_braces() {
        let text = r#"set "networkAcls": { "defaultAction": "Deny" } for {groups} and {zones}{}"#;
        assert_eq!(Help::slots(text).collect::<Vec<_>>(), ["groups", "zones"]);
        assert_eq!(Help::slots("`managed_network { x }`").count(), 0);
    }

    #[test]
    fn texts_come_in_documentation_order() {
        let help = Help {
            arm: "a",
            bicep: "b",
            terraform: "t",
            azapi: "z",
        };
        assert_eq!(
            help.texts(),
            [
                (Syntax::Bicep, "b"),
                (Syntax::Arm, "a"),
                (Syntax::Terraform, "t"),
                (Syntax::Azapi, "z")
            ]
        );
        assert!(!help.is_everywhere());
        assert!(Help::everywhere("x").is_everywhere());
    }
}
