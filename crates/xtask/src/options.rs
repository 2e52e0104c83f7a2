//! The README's table of `isolint check`'s options, from the clap `Command` that parses them:
//! every option, grouped under its `--help` heading, with its names, its value and the first
//! sentence of its help.

use clap::{Arg, ArgAction, Command};

use crate::Error;
use crate::render::cell;

/// The subcommand whose options the README lists.
const SUBCOMMAND: &str = "check";

/// The Markdown table of `check`'s options, for the README region between
/// [`BEGIN_OPTIONS`](crate::region::BEGIN_OPTIONS) and
/// [`END_OPTIONS`](crate::region::END_OPTIONS): one row per option, in `--help` order, the
/// heading named on the first row of its group.
pub fn check_options_table(cli: &Command) -> Result<String, Error> {
    let check = cli.find_subcommand(SUBCOMMAND).ok_or_else(|| {
        Error::Docs(format!(
            "the command line has no `{SUBCOMMAND}` subcommand to list the options of"
        ))
    })?;
    let mut out = String::from("\n| group | option | meaning |\n| --- | --- | --- |\n");
    for (heading, options) in grouped(&listed_options(check)) {
        for (at, option) in options.iter().enumerate() {
            let group = if at == 0 { heading } else { "" };
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                cell(group),
                cell(&names(option)),
                cell(&meaning(option))
            ));
        }
    }
    out.push('\n');
    Ok(out)
}

/// The options the table lists: all but positional arguments, hidden options and the help
/// and version flags that every command has.
pub fn listed_options(command: &Command) -> Vec<&Arg> {
    command
        .get_arguments()
        .filter(|arg| !arg.is_positional() && !arg.is_hide_set())
        .filter(|arg| {
            !matches!(
                arg.get_action(),
                ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
            )
        })
        .collect()
}

/// `options` grouped as `--help` shows them: headings in the order they are first used,
/// options without a heading under "Options" first, each group in its display order.
fn grouped<'a>(options: &[&'a Arg]) -> Vec<(&'a str, Vec<&'a Arg>)> {
    let mut groups: Vec<(&str, Vec<&Arg>)> = Vec::new();
    for option in options {
        let heading = option.get_help_heading().unwrap_or("Options");
        match groups.iter_mut().find(|(name, _)| *name == heading) {
            Some((_, members)) => members.push(option),
            None => groups.push((heading, vec![option])),
        }
    }
    // clap shows the options without a heading before every custom heading.
    groups.sort_by_key(|(name, _)| *name != "Options");
    for (_, members) in &mut groups {
        members.sort_by_key(|option| option.get_display_order());
    }
    groups
}

/// `` `-o, --output FILE` ``, `` `--format text|compact|...` ``, `` `--strict` ``.
fn names(option: &Arg) -> String {
    let mut spelled: Vec<String> = Vec::new();
    if let Some(short) = option.get_short() {
        spelled.push(format!("-{short}"));
    }
    if let Some(long) = option.get_long() {
        spelled.push(format!("--{long}"));
    }
    let mut text = spelled.join(", ");
    if option.get_action().takes_values() {
        text.push(' ');
        text.push_str(&value(option));
    }
    format!("`{text}`")
}

/// What an option's value is: its possible values when it has a fixed set, else its value
/// name (the option's ID in capitals when it has none, as `--help` shows it).
fn value(option: &Arg) -> String {
    let possible: Vec<String> = option
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| value.get_name().to_owned())
        .collect();
    if !possible.is_empty() {
        return possible.join("|");
    }
    match option.get_value_names() {
        Some(names) if !names.is_empty() => names
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        _ => option.get_id().as_str().to_uppercase(),
    }
}

/// The first sentence of the option's help, and its default value when it has one.
fn meaning(option: &Arg) -> String {
    let help = option
        .get_help()
        .or_else(|| option.get_long_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut text = first_sentence(&help);
    let defaults: Vec<String> = option
        .get_default_values()
        .iter()
        .map(|value| format!("`{}`", value.to_string_lossy()))
        .collect();
    if !defaults.is_empty() {
        text.push_str(&format!(" Default: {}.", defaults.join(", ")));
    }
    text
}

/// The first sentence of `help`'s first paragraph, ending with a period: it ends at a period
/// followed by a space and a capital letter, outside parentheses and code spans.
pub fn first_sentence(help: &str) -> String {
    let paragraph = help.split("\n\n").next().unwrap_or_default();
    let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut depth = 0_usize;
    let mut in_code = false;
    let mut end = paragraph.len();
    for (at, c) in paragraph.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '(' | '[' if !in_code => depth += 1,
            ')' | ']' if !in_code => depth = depth.saturating_sub(1),
            '.' if !in_code && depth == 0 => {
                let rest = &paragraph[at + 1..];
                if rest.starts_with(' ') && rest[1..].starts_with(char::is_uppercase) {
                    end = at;
                    break;
                }
            }
            _ => {}
        }
    }
    let mut sentence = paragraph[..end].trim_end().to_owned();
    if !sentence.is_empty() && !sentence.ends_with(['.', '!', '?']) {
        sentence.push('.');
    }
    sentence
}

#[cfg(test)]
mod tests {
    use clap::{Args, Parser, ValueEnum};

    use super::*;

    #[test]
    fn first_sentences() {
        let cases = [
            ("Output format", "Output format."),
            ("Ends here.", "Ends here."),
            (
                "A Terraform variable (repeatable), applied last. VALUE is read as a literal",
                "A Terraform variable (repeatable), applied last.",
            ),
            (
                "A tag (repeatable; rule AML301. Off without any). Names compare",
                "A tag (repeatable; rule AML301. Off without any).",
            ),
            ("Reads `a. B` first. Then", "Reads `a. B` first."),
            ("See e.g. the docs. More", "See e.g. the docs."),
            ("Two\nlines. Second", "Two lines."),
            ("First paragraph\n\nSecond paragraph", "First paragraph."),
            ("", ""),
        ];
        for (help, expected) in cases {
            assert_eq!(first_sentence(help), expected, "{help:?}");
        }
    }

    /// A small command line with every kind of option the table renders.
    #[derive(Debug, Parser)]
    #[command(name = "tool")]
    struct Tool {
        #[command(subcommand)]
        command: Sub,
    }

    #[derive(Debug, clap::Subcommand)]
    enum Sub {
        Check(CheckArgs),
    }

    #[derive(Debug, Args)]
    struct CheckArgs {
        /// Files to read.
        paths: Vec<String>,
        /// The format. It has values.
        #[arg(long, value_enum, default_value_t = Colour::Red, help_heading = "Output")]
        colour: Colour,
        /// Write to FILE | elsewhere.
        #[arg(short, long, value_name = "FILE", help_heading = "Output")]
        output: Option<String>,
        /// Be strict.
        #[arg(long)]
        strict: bool,
        /// Not shown.
        #[arg(long, hide = true)]
        secret: bool,
        /// Pick a rule.
        #[arg(long, help_heading = "Rules")]
        rule: Vec<String>,
    }

    #[derive(Clone, Copy, Debug, ValueEnum)]
    enum Colour {
        Red,
        Blue,
    }

    #[test]
    fn renders_groups_names_values_and_defaults() {
        use clap::CommandFactory;
        let table = check_options_table(&Tool::command()).unwrap();
        assert_eq!(
            table,
            "\n| group | option | meaning |\n| --- | --- | --- |\n\
             | Options | `--strict` | Be strict. |\n\
             | Output | `--colour red\\|blue` | The format. Default: `red`. |\n\
             |  | `-o, --output FILE` | Write to FILE \\| elsewhere. |\n\
             | Rules | `--rule RULE` | Pick a rule. |\n\n"
        );
    }

    #[test]
    fn a_command_line_without_check_is_an_error() {
        let error = check_options_table(&Command::new("tool")).unwrap_err();
        assert!(
            error.to_string().contains("no `check` subcommand"),
            "{error}"
        );
    }

    #[test]
    fn every_option_of_isolint_check_is_listed() {
        let cli = isolint::command();
        let table = check_options_table(&cli).unwrap();
        let check = cli.find_subcommand("check").unwrap();
        let mut count = 0;
        for option in check.get_arguments().filter(|arg| !arg.is_positional()) {
            let long = option.get_long().unwrap();
            if long == "help" {
                continue;
            }
            let listed = [format!("--{long}`"), format!("--{long} ")];
            assert!(
                listed
                    .iter()
                    .any(|spelled| table.contains(spelled.as_str())),
                "--{long} is not listed"
            );
            count += 1;
        }
        assert!(count >= 20, "only {count} options");
        assert_eq!(table.matches("\n| ").count() - 2, count);
    }
}
