//! The ARM template functions isolint knows, with the spelling used in canonical
//! expressions and what static evaluation can do with each.

/// What static evaluation does with a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    /// Evaluated when its arguments are known.
    Evaluated,
    /// Its result exists only at deployment time (`reference`, `utcNow`, `list*`): unknown.
    Runtime,
    /// A real ARM function isolint does not evaluate: unknown.
    Unsupported,
}

/// `(canonical spelling, support)` for every ARM template function, sorted by lower-case
/// name for binary search.
static FUNCTIONS: &[(&str, Support)] = &[
    ("add", Support::Evaluated),
    ("and", Support::Evaluated),
    ("array", Support::Evaluated),
    ("base64", Support::Unsupported),
    ("base64ToJson", Support::Unsupported),
    ("base64ToString", Support::Unsupported),
    ("bool", Support::Evaluated),
    ("cidrHost", Support::Unsupported),
    ("cidrSubnet", Support::Unsupported),
    ("coalesce", Support::Evaluated),
    ("concat", Support::Evaluated),
    ("contains", Support::Evaluated),
    ("copyIndex", Support::Evaluated),
    ("createArray", Support::Evaluated),
    ("createObject", Support::Evaluated),
    ("dataUri", Support::Unsupported),
    ("dataUriToString", Support::Unsupported),
    ("dateTimeAdd", Support::Runtime),
    ("dateTimeFromEpoch", Support::Unsupported),
    ("dateTimeToEpoch", Support::Unsupported),
    ("deployer", Support::Runtime),
    ("deployment", Support::Evaluated),
    ("div", Support::Evaluated),
    ("empty", Support::Evaluated),
    ("endsWith", Support::Evaluated),
    ("environment", Support::Evaluated),
    ("equals", Support::Evaluated),
    ("extensionResourceId", Support::Evaluated),
    ("false", Support::Evaluated),
    ("filter", Support::Evaluated),
    ("first", Support::Evaluated),
    ("flatten", Support::Evaluated),
    ("float", Support::Unsupported),
    ("format", Support::Evaluated),
    ("greater", Support::Evaluated),
    ("greaterOrEquals", Support::Evaluated),
    ("groupBy", Support::Unsupported),
    ("guid", Support::Runtime),
    ("if", Support::Evaluated),
    ("indexFromEnd", Support::Evaluated),
    ("indexOf", Support::Evaluated),
    ("int", Support::Evaluated),
    ("intersection", Support::Evaluated),
    ("items", Support::Evaluated),
    ("join", Support::Evaluated),
    ("json", Support::Evaluated),
    ("lambda", Support::Evaluated),
    ("lambdaVariables", Support::Evaluated),
    ("last", Support::Evaluated),
    ("lastIndexOf", Support::Evaluated),
    ("length", Support::Evaluated),
    ("less", Support::Evaluated),
    ("lessOrEquals", Support::Evaluated),
    ("listAccountSas", Support::Runtime),
    ("listKeys", Support::Runtime),
    ("listSecrets", Support::Runtime),
    ("managementGroup", Support::Runtime),
    ("managementGroupResourceId", Support::Evaluated),
    ("map", Support::Evaluated),
    ("mapValues", Support::Evaluated),
    ("max", Support::Evaluated),
    ("min", Support::Evaluated),
    ("mod", Support::Evaluated),
    ("mul", Support::Evaluated),
    ("newGuid", Support::Runtime),
    ("not", Support::Evaluated),
    ("null", Support::Evaluated),
    ("objectKeys", Support::Evaluated),
    ("or", Support::Evaluated),
    ("padLeft", Support::Evaluated),
    ("parameters", Support::Evaluated),
    ("parseCidr", Support::Unsupported),
    ("pickZones", Support::Runtime),
    ("providers", Support::Runtime),
    ("range", Support::Evaluated),
    ("reduce", Support::Evaluated),
    ("reference", Support::Evaluated),
    ("references", Support::Runtime),
    ("replace", Support::Evaluated),
    ("resourceGroup", Support::Evaluated),
    ("resourceId", Support::Evaluated),
    ("shallowMerge", Support::Evaluated),
    ("skip", Support::Evaluated),
    ("sort", Support::Unsupported),
    ("split", Support::Evaluated),
    ("startsWith", Support::Evaluated),
    ("string", Support::Evaluated),
    ("sub", Support::Evaluated),
    ("subscription", Support::Evaluated),
    ("subscriptionResourceId", Support::Evaluated),
    ("substring", Support::Evaluated),
    ("take", Support::Evaluated),
    ("tenant", Support::Runtime),
    ("tenantResourceId", Support::Evaluated),
    ("toLogicalZone", Support::Runtime),
    ("toLower", Support::Evaluated),
    ("toObject", Support::Evaluated),
    ("toPhysicalZone", Support::Runtime),
    ("toUpper", Support::Evaluated),
    ("trim", Support::Evaluated),
    ("true", Support::Evaluated),
    ("tryGet", Support::Evaluated),
    ("tryIndexFromEnd", Support::Evaluated),
    ("union", Support::Evaluated),
    ("uniqueString", Support::Runtime),
    ("uri", Support::Unsupported),
    ("uriComponent", Support::Unsupported),
    ("uriComponentToString", Support::Unsupported),
    ("utcNow", Support::Runtime),
    ("variables", Support::Evaluated),
];

fn lookup(lower: &str) -> Option<(&'static str, Support)> {
    FUNCTIONS
        .binary_search_by(|(name, _)| {
            name.bytes()
                .map(|b| b.to_ascii_lowercase())
                .cmp(lower.bytes())
        })
        .ok()
        .map(|i| FUNCTIONS[i])
}

/// Whether `lower` (a lower-cased name) is an ARM template function. Every `list*`
/// function (`listKeys`, `listAdminKeys`, ...) is one.
pub fn is_arm_function(lower: &str) -> bool {
    lookup(lower).is_some() || lower.starts_with("list")
}

/// What static evaluation does with `lower`, if it is an ARM function.
pub fn support(lower: &str) -> Option<Support> {
    match lookup(lower) {
        Some((_, support)) => Some(support),
        None if lower.starts_with("list") => Some(Support::Runtime),
        None => None,
    }
}

/// The canonical spelling of a function name for symbolic expressions (`uniqueString`).
pub fn canonical(lower: &str) -> &str {
    lookup(lower).map_or(lower, |(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        let lower: Vec<String> = FUNCTIONS
            .iter()
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        let mut sorted = lower.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(lower, sorted);
    }

    #[test]
    fn lookups_ignore_case_and_know_list_functions() {
        assert_eq!(canonical("uniquestring"), "uniqueString");
        assert_eq!(support("listadminkeys"), Some(Support::Runtime));
        assert!(is_arm_function("resourcegroup"));
        assert!(!is_arm_function("frobnicate"));
    }
}
