//! A stable, fast fuzzing smoke test for `cargo test`: random text and random JSON-ish and
//! expression-ish structures go through the JSON reader, the expression parser and a whole
//! template analysis, which must return (a value or a diagnostic) without panicking, with
//! every diagnostic located inside its file. The long runs are `cargo fuzz` (see `fuzz/`).

#![expect(clippy::expect_used, reason = "test helpers fail the test loudly")]

use std::path::Path;

use isolint_arm::expression::{self, Placement};
use isolint_model::{FileId, SourceMap, Span};
use proptest::prelude::*;

/// ARM function names, a few misspelled or unknown, to call in generated expressions.
const FUNCTIONS: &[&str] = &[
    "concat",
    "format",
    "createArray",
    "createObject",
    "union",
    "intersection",
    "shallowMerge",
    "coalesce",
    "if",
    "equals",
    "not",
    "and",
    "or",
    "empty",
    "length",
    "toLower",
    "replace",
    "split",
    "join",
    "substring",
    "padLeft",
    "string",
    "json",
    "int",
    "add",
    "div",
    "mod",
    "range",
    "first",
    "last",
    "skip",
    "take",
    "flatten",
    "items",
    "tryGet",
    "contains",
    "indexOf",
    "parameters",
    "variables",
    "copyIndex",
    "resourceId",
    "reference",
    "resourceGroup",
    "subscription",
    "environment",
    "uniqueString",
    "guid",
    "listKeys",
    "map",
    "filter",
    "reduce",
    "toObject",
    "lambda",
    "lambdaVariables",
    "ns.helper",
    "frobnicate",
];

/// Names that generated templates declare, and generated expressions refer to.
const NAMES: &[&str] = &["a", "b", "loop", "p", "q", "x", "acc"];

/// Object keys that mean something in a template.
const KEYS: &[&str] = &[
    "type",
    "apiVersion",
    "name",
    "properties",
    "condition",
    "copy",
    "count",
    "input",
    "resources",
    "dependsOn",
    "parameters",
    "variables",
    "defaultValue",
    "value",
    "template",
    "templateLink",
    "relativePath",
    "expressionEvaluationOptions",
    "scope",
    "outputs",
    "existing",
    "publicNetworkAccess",
    "a",
    "b",
    "p",
];

/// Resource types, a nested deployment among them.
const TYPES: &[&str] = &[
    "Microsoft.Storage/storageAccounts",
    "Microsoft.MachineLearningServices/workspaces",
    "Microsoft.Resources/deployments",
    "Microsoft.Network/privateEndpoints",
    "computes",
];

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(options)
}

/// ARM expression text (without the brackets): calls, strings, small numbers, property
/// reads and indexes, sometimes cut short or with a stray character.
fn expression_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-z' ]{0,6}".prop_map(|s| format!("'{}'", s.replace('\'', "''"))),
        (-3i64..12).prop_map(|i| i.to_string()),
        Just("1000000000".to_owned()),
        pick(NAMES).prop_map(|n| format!("'{n}'")),
        Just("true".to_owned()),
        Just("null".to_owned()),
    ];
    let tree = leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (pick(FUNCTIONS), prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), pick(NAMES)).prop_map(|(e, m)| format!("{e}.{m}")),
            (inner.clone(), inner.clone()).prop_map(|(e, i)| format!("{e}[{i}]")),
            inner.prop_map(|e| format!("({e})")),
        ]
    });
    (tree, 0usize..64, prop::option::of("[()\\[\\]',. ]")).prop_map(|(text, cut, stray)| {
        // Sometimes cut the text short, sometimes add a stray character.
        let mut text = text;
        if cut < 4 {
            let at = text.len() * cut / 4;
            text.truncate(at);
        }
        if let Some(stray) = stray {
            text.push_str(&stray);
        }
        text
    })
}

/// A JSON value of a template: scalars, expression strings, arrays and objects whose keys
/// are mostly template keywords.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        (-2i64..5).prop_map(|i| i.to_string()),
        Just("1000000000".to_owned()),
        Just("1.5e3".to_owned()),
        "[a-zA-Z ]{0,8}".prop_map(|s| quote(&s)),
        expression_text().prop_map(|e| quote(&format!("[{e}]"))),
        pick(TYPES).prop_map(quote),
    ];
    leaf.prop_recursive(4, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec((pick(KEYS), inner), 0..6).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("{}: {v}", quote(k)))
                    .collect();
                format!("{{{}}}", members.join(", "))
            }),
        ]
    })
}

/// A resource declaration, sometimes with a copy loop or a condition.
fn resource() -> impl Strategy<Value = String> {
    (
        pick(TYPES),
        prop_oneof![
            "[a-z]{1,6}".prop_map(|s| quote(&s)),
            expression_text().prop_map(|e| quote(&format!("[{e}]")))
        ],
        json_value(),
        prop::option::of(prop_oneof![
            Just("3".to_owned()),
            Just("1000000000".to_owned()),
            expression_text().prop_map(|e| quote(&format!("[{e}]"))),
        ]),
        prop::option::of(json_value()),
    )
        .prop_map(|(ty, name, properties, count, condition)| {
            let mut members = vec![
                format!("\"type\": {}", quote(ty)),
                "\"apiVersion\": \"2024-01-01\"".to_owned(),
                format!("\"name\": {name}"),
                format!("\"properties\": {properties}"),
            ];
            if let Some(count) = count {
                members.push(format!(
                    "\"copy\": {{ \"name\": \"loop\", \"count\": {count} }}"
                ));
            }
            if let Some(condition) = condition {
                members.push(format!("\"condition\": {condition}"));
            }
            format!("{{ {} }}", members.join(", "))
        })
}

/// A whole template, sometimes cut short.
fn template() -> impl Strategy<Value = String> {
    let declarations = |wrap: bool| {
        prop::collection::vec((pick(NAMES), json_value()), 0..4).prop_map(move |members| {
            let members: Vec<String> = members
                .into_iter()
                .map(|(name, value)| {
                    let value = if wrap {
                        format!("{{ \"type\": \"string\", \"defaultValue\": {value} }}")
                    } else {
                        value
                    };
                    format!("{}: {value}", quote(name))
                })
                .collect();
            format!("{{{}}}", members.join(", "))
        })
    };
    (
        declarations(true),
        declarations(false),
        prop::collection::vec(resource(), 0..4),
        declarations(false),
        0usize..16,
    )
        .prop_map(|(parameters, variables, resources, outputs, cut)| {
            let mut text = format!(
                r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {parameters},
  "variables": {variables},
  "resources": [{}],
  "outputs": {outputs}
}}"#,
                resources.join(",\n")
            );
            if cut == 0 {
                let mut at = text.len() / 2;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
            text
        })
}

fn quote(text: &str) -> String {
    let mut out = String::from('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn placement() -> Placement {
    Placement {
        file: FileId(0),
        string_span: Span::new(FileId(0), 0, 0),
        text_start: Some(1),
    }
}

/// Reads `text` as a file and parses it; a diagnostic must lie inside the file.
fn read_json(text: &str) {
    let sources = SourceMap::new();
    let file = sources.add(Path::new("fuzz.json"), text.into());
    if let Err(diagnostic) = isolint_json::parse(&file) {
        let span = diagnostic.span.expect("a parse error is located");
        assert!(span.end as usize <= text.len(), "{diagnostic:?}");
        let _ = file.position(span.start);
    }
}

/// Analyses `text` as a template through `isolint_deploy::analyze_files`. There is no entry point
/// that takes text, so the text is preloaded into the source map, which reads it instead of
/// the (non-existent) file.
fn analyze_text(text: &str) {
    let sources = SourceMap::new();
    let path = Path::new("/nonexistent/isolint-smoke/azuredeploy.json");
    sources.preload(path, text.into());
    let analysis = isolint_deploy::analyze_files(
        &[path.to_path_buf()],
        &sources,
        &isolint_deploy::Options::default(),
    );
    for diagnostic in &analysis.diagnostics {
        if let Some(span) = diagnostic.span {
            let file = sources.get(span.file).expect("a file of the map");
            assert!(span.end as usize <= file.text.len(), "{diagnostic:?}");
            let _ = file.position(span.start);
        }
    }
    for resource in &analysis.resources {
        let _ = resource.body.render();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_json_reader_never_panics_on_any_text(text in any::<String>()) {
        read_json(&text);
    }

    #[test]
    fn the_json_reader_never_panics_on_json_ish_text(text in json_value()) {
        read_json(&text);
    }

    #[test]
    fn the_expression_parser_never_panics_on_any_text(text in any::<String>()) {
        let _ = expression::parse(&text, 1, placement());
    }

    #[test]
    fn the_expression_parser_never_panics_on_expression_ish_text(text in expression_text()) {
        if let Err(error) = expression::parse(&text, 1, placement()) {
            // Errors point inside the text (offset 1 for the `[`).
            prop_assert!(error.span.end as usize <= text.len() + 2, "{error:?}");
        }
    }

    #[test]
    fn analysis_never_panics_on_any_text(text in any::<String>()) {
        analyze_text(&text);
    }

    #[test]
    fn analysis_never_panics_on_template_ish_text(text in template()) {
        analyze_text(&text);
    }
}
