//! Which export a JSON document is, told by its content (never by its file name).

use isolint_json::{Json, JsonKind};
use isolint_model::Span;

/// The shapes of an export of deployed resources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `az graph query` output, `{count, data: [...], skip_token, total_records}` (the
    /// extension from 2.0), or the Resource Graph REST response
    /// `{totalRecords, count, resultTruncated, skipToken, data: [...]}`.
    ResourceGraph,
    /// A REST list response, `{value: [...], nextLink}`.
    RestList,
    /// A JSON array of resources: a PSRule for Azure `Export-AzRuleData` file (with the
    /// subscription and its resource groups beside the resources), `az resource show` with
    /// several IDs, `az graph query` before extension 2.0, or `az resource list` (which
    /// carries no properties and is refused when read).
    Array,
    /// One resource object: `az resource show --ids` with one ID.
    Resource,
}

/// The members of `az graph query` output (CLI spelling) or of the REST response that mark
/// a Resource Graph result beside its `data`.
const RESOURCE_GRAPH_MEMBERS: [&str; 6] = [
    "count",
    "total_records",
    "skip_token",
    "totalRecords",
    "skipToken",
    "resultTruncated",
];

/// The members a REST list response may have beside `value`.
const REST_LIST_MEMBERS: [&str; 5] = [
    "nextLink",
    "@odata.nextLink",
    "@odata.context",
    "@odata.count",
    "count",
];

/// Which export `json` is, or `None` when it is not one (an ARM template, a parameter
/// file, a Terraform plan, any other JSON). Cheap: it looks at the top-level shape and at
/// the elements only until one looks like a deployed resource.
pub fn detect(json: &Json) -> Option<Shape> {
    match &json.kind {
        JsonKind::Array(items) => items.iter().any(is_resource_like).then_some(Shape::Array),
        JsonKind::Object(members) => {
            let has = |key: &str| json.member(key).is_some();
            if json.get("data").and_then(Json::as_array).is_some()
                && RESOURCE_GRAPH_MEMBERS.iter().any(|key| has(key))
            {
                return Some(Shape::ResourceGraph);
            }
            if let Some(items) = json.get("value").and_then(Json::as_array) {
                let only_list_members = members.iter().all(|m| {
                    m.key.eq_ignore_ascii_case("value")
                        || REST_LIST_MEMBERS
                            .iter()
                            .any(|known| m.key.eq_ignore_ascii_case(known))
                });
                if items.iter().any(is_resource_like) || (items.is_empty() && only_list_members) {
                    return Some(Shape::RestList);
                }
            }
            is_resource_like(json).then_some(Shape::Resource)
        }
        _ => None,
    }
}

/// The elements of an export of `shape`: the array, `data`, `value`, or the one resource.
pub(crate) fn elements(json: &Json, shape: Shape) -> &[Json] {
    let list = match shape {
        Shape::ResourceGraph => json.get("data"),
        Shape::RestList => json.get("value"),
        Shape::Array => Some(json),
        Shape::Resource => return std::slice::from_ref(json),
    };
    list.and_then(Json::as_array).unwrap_or_default()
}

/// Whether `json` looks like a deployed resource: an object with a `type` and an `id`
/// that is a resource ID under a subscription.
fn is_resource_like(json: &Json) -> bool {
    let id = json.get("id").and_then(Json::as_str).unwrap_or("");
    json.get("type").and_then(Json::as_str).is_some()
        && id
            .get(..15)
            .is_some_and(|start| start.eq_ignore_ascii_case("/subscriptions/"))
}

/// What a Resource Graph result says about the records it does not hold.
#[derive(Clone, Debug)]
pub(crate) struct Paging {
    /// The records in this result.
    pub(crate) records: usize,
    /// The records the query matched, when the result says.
    pub(crate) total: Option<u64>,
    /// Where the result says more records follow (a `skip_token`, `resultTruncated`).
    pub(crate) more: Option<Span>,
}

impl Paging {
    /// The paging of a Resource Graph result (CLI and REST spellings).
    pub(crate) fn of(json: &Json) -> Paging {
        let member = |keys: [&str; 2]| keys.into_iter().find_map(|key| json.member(key));
        let total = member(["total_records", "totalRecords"]).and_then(|m| match &m.value.kind {
            JsonKind::Number(n) => n.parse().ok(),
            _ => None,
        });
        let token = member(["skip_token", "skipToken"])
            .filter(|m| m.value.as_str().is_some_and(|token| !token.is_empty()));
        let truncated = member(["resultTruncated", "result_truncated"]).filter(|m| {
            matches!(&m.value.kind, JsonKind::Bool(true))
                || m.value
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case("true"))
        });
        Paging {
            records: elements(json, Shape::ResourceGraph).len(),
            total,
            more: token.or(truncated).map(|m| m.key_span.to(m.value.span)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use isolint_json as json;
    use isolint_model::SourceMap;

    use super::*;

    const RESOURCE: &str = r#"{"id": "/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", "type": "microsoft.keyvault/vaults", "properties": {}}"#;

    fn shape_of(text: &str) -> Option<Shape> {
        let sources = SourceMap::new();
        let file = sources.add(Path::new("export.json"), text.into());
        detect(&json::parse(&file).expect("valid JSON"))
    }

    #[test]
    fn every_export_shape_is_recognised() {
        let cases = [
            (
                format!(
                    r#"{{"count": 1, "data": [{RESOURCE}], "skip_token": null, "total_records": 1}}"#
                ),
                Shape::ResourceGraph,
            ),
            (
                r#"{"count": 0, "data": [], "skip_token": null, "total_records": 0}"#.to_owned(),
                Shape::ResourceGraph,
            ),
            (
                format!(
                    r#"{{"totalRecords": 1, "count": 1, "resultTruncated": "false", "data": [{RESOURCE}], "facets": []}}"#
                ),
                Shape::ResourceGraph,
            ),
            (
                format!(r#"{{"value": [{RESOURCE}], "nextLink": null}}"#),
                Shape::RestList,
            ),
            (r#"{"value": []}"#.to_owned(), Shape::RestList),
            (format!("[{RESOURCE}]"), Shape::Array),
            (format!(r#"[42, {{"a": 1}}, {RESOURCE}]"#), Shape::Array),
            (RESOURCE.to_owned(), Shape::Resource),
        ];
        for (text, expected) in cases {
            assert_eq!(shape_of(&text), Some(expected), "{text}");
        }
    }

    #[test]
    fn other_json_is_not_an_export() {
        for text in [
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}"#,
            r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {"value": {"value": []}}}"#,
            r#"[{"type": "Microsoft.KeyVault/vaults", "apiVersion": "2024-11-01", "name": "kv"}]"#,
            r#"{"format_version": "1.2", "planned_values": {}, "resource_changes": []}"#,
            r#"{"Modules": [{"Key": "", "Source": "", "Dir": "."}]}"#,
            r#"{"count": 1, "data": {"columns": [], "rows": []}}"#,
            r#"{"value": [], "parameters": {}}"#,
            r#"{"value": ["a"]}"#,
            r#"{"data": []}"#,
            "[]",
            "42",
        ] {
            assert_eq!(shape_of(text), None, "{text}");
        }
    }

    #[test]
    fn a_graph_result_says_whether_records_follow() {
        let paging = |text: &str| {
            let sources = SourceMap::new();
            let file = sources.add(Path::new("page.json"), text.into());
            Paging::of(&json::parse(&file).expect("valid JSON"))
        };
        let last = paging(r#"{"count": 0, "data": [], "skip_token": null, "total_records": 3}"#);
        assert!(last.more.is_none());
        assert_eq!(last.total, Some(3));
        let first = paging(r#"{"count": 0, "data": [], "skip_token": "x", "total_records": 3}"#);
        assert!(first.more.is_some());
        let truncated = paging(r#"{"count": 0, "data": [], "resultTruncated": "true"}"#);
        assert!(truncated.more.is_some() && truncated.total.is_none());
    }
}
