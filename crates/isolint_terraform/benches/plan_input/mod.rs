//! A generated Terraform plan at scale, as `terraform show -json` writes it (one line): a
//! root module calling a team module with `count`, each instance holding ten resources
//! (a resource group, storage account, key vault, container registry, Application
//! Insights, workspace, two private endpoints, a compute cluster and a role assignment),
//! created by the plan, so that every ID is unknown and every link goes through the
//! configuration's references and the module's variables.

use std::fmt::Write as _;

/// The resources in one module instance.
pub(crate) const RESOURCES_PER_INSTANCE: usize = 10;

const AZURERM: &str = "registry.terraform.io/hashicorp/azurerm";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000000";

/// One resource of an instance: type, name, planned values, `after_unknown`, and the
/// configuration's expressions (module-relative), all as JSON text. `{i}` in a value is
/// the instance index.
struct Template {
    ty: &'static str,
    name: &'static str,
    values: &'static str,
    unknown: &'static str,
    expressions: &'static str,
}

const TEMPLATES: [Template; RESOURCES_PER_INSTANCE] = [
    Template {
        ty: "azurerm_resource_group",
        name: "rg",
        values: r#"{"location":"westeurope","managed_by":null,"name":"rg-team-{i}","tags":null,"timeouts":null}"#,
        unknown: r#"{"id":true}"#,
        expressions: r#"{"location":{"references":["var.location"]},"name":{"references":["var.name"]}}"#,
    },
    Template {
        ty: "azurerm_storage_account",
        name: "st",
        values: r#"{"access_tier":"Hot","account_kind":"StorageV2","account_replication_type":"ZRS","account_tier":"Standard","allow_nested_items_to_be_public":false,"allowed_copy_scope":null,"azure_files_authentication":[],"cross_tenant_replication_enabled":false,"custom_domain":[],"customer_managed_key":[],"default_to_oauth_authentication":false,"dns_endpoint_type":"Standard","edge_zone":null,"https_traffic_only_enabled":true,"identity":[],"immutability_policy":[],"infrastructure_encryption_enabled":false,"is_hns_enabled":false,"local_user_enabled":true,"location":"westeurope","min_tls_version":"TLS1_2","name":"stteam{i}","nfsv3_enabled":false,"public_network_access_enabled":false,"queue_encryption_key_type":"Service","resource_group_name":"rg-team-{i}","routing":[],"sas_policy":[],"sftp_enabled":false,"shared_access_key_enabled":false,"static_website":[],"table_encryption_key_type":"Service","tags":null,"timeouts":null}"#,
        unknown: r#"{"azure_files_authentication":[],"blob_properties":true,"custom_domain":[],"customer_managed_key":[],"id":true,"identity":[],"immutability_policy":[],"large_file_share_enabled":true,"network_rules":true,"primary_access_key":true,"primary_blob_endpoint":true,"primary_connection_string":true,"queue_properties":true,"routing":[],"sas_policy":[],"share_properties":true,"static_website":[]}"#,
        expressions: r#"{"account_replication_type":{"constant_value":"ZRS"},"account_tier":{"constant_value":"Standard"},"allow_nested_items_to_be_public":{"constant_value":false},"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.index"]},"public_network_access_enabled":{"constant_value":false},"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"shared_access_key_enabled":{"constant_value":false}}"#,
    },
    Template {
        ty: "azurerm_key_vault",
        name: "kv",
        values: r#"{"enabled_for_deployment":false,"enabled_for_disk_encryption":false,"enabled_for_template_deployment":false,"location":"westeurope","name":"kv-team-{i}","network_acls":[{"bypass":"AzureServices","default_action":"Deny","ip_rules":null,"virtual_network_subnet_ids":null}],"public_network_access_enabled":false,"purge_protection_enabled":true,"resource_group_name":"rg-team-{i}","sku_name":"standard","soft_delete_retention_days":90,"tags":null,"tenant_id":"00000000-0000-0000-0000-000000000000","timeouts":null}"#,
        unknown: r#"{"access_policy":true,"contact":true,"id":true,"network_acls":[{}],"rbac_authorization_enabled":true,"vault_uri":true}"#,
        expressions: r#"{"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.index"]},"network_acls":[{"bypass":{"constant_value":"AzureServices"},"default_action":{"constant_value":"Deny"}}],"public_network_access_enabled":{"constant_value":false},"purge_protection_enabled":{"constant_value":true},"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"sku_name":{"constant_value":"standard"},"tenant_id":{"constant_value":"00000000-0000-0000-0000-000000000000"}}"#,
    },
    Template {
        ty: "azurerm_container_registry",
        name: "acr",
        values: r#"{"admin_enabled":false,"anonymous_pull_enabled":false,"data_endpoint_enabled":false,"export_policy_enabled":true,"georeplications":[],"identity":[],"location":"westeurope","name":"acrteam{i}","network_rule_bypass_option":"AzureServices","public_network_access_enabled":false,"quarantine_policy_enabled":false,"resource_group_name":"rg-team-{i}","retention_policy_in_days":7,"sku":"Premium","tags":null,"timeouts":null,"trust_policy_enabled":false,"zone_redundancy_enabled":false}"#,
        unknown: r#"{"admin_password":true,"admin_username":true,"data_endpoint_host_names":true,"encryption":true,"georeplications":[],"id":true,"identity":[],"login_server":true,"network_rule_set":true}"#,
        expressions: r#"{"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.index"]},"public_network_access_enabled":{"constant_value":false},"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"sku":{"constant_value":"Premium"}}"#,
    },
    Template {
        ty: "azurerm_application_insights",
        name: "appi",
        values: r#"{"application_type":"web","daily_data_cap_notifications_disabled":false,"disable_ip_masking":false,"force_customer_storage_for_profiler":false,"internet_ingestion_enabled":false,"internet_query_enabled":false,"local_authentication_disabled":true,"location":"westeurope","name":"appi-team-{i}","resource_group_name":"rg-team-{i}","retention_in_days":90,"sampling_percentage":100,"tags":null,"timeouts":null}"#,
        unknown: r#"{"app_id":true,"connection_string":true,"daily_data_cap_in_gb":true,"id":true,"instrumentation_key":true,"workspace_id":true}"#,
        expressions: r#"{"application_type":{"constant_value":"web"},"internet_ingestion_enabled":{"constant_value":false},"internet_query_enabled":{"constant_value":false},"local_authentication_disabled":{"constant_value":true},"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.index"]},"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]}}"#,
    },
    Template {
        ty: "azurerm_machine_learning_workspace",
        name: "ws",
        values: r#"{"description":null,"encryption":[],"feature_store":[],"friendly_name":null,"high_business_impact":null,"identity":[{"identity_ids":null,"type":"SystemAssigned"}],"image_build_compute_name":"cpu-image","kind":"Default","location":"westeurope","managed_network":[{"isolation_mode":"AllowOnlyApprovedOutbound","provision_on_creation_enabled":false}],"name":"mlw-team-{i}","primary_user_assigned_identity":null,"public_network_access_enabled":false,"resource_group_name":"rg-team-{i}","serverless_compute":[],"sku_name":"Basic","tags":null,"timeouts":null,"v1_legacy_mode_enabled":false}"#,
        unknown: r#"{"application_insights_id":true,"container_registry_id":true,"discovery_url":true,"encryption":[],"feature_store":[],"id":true,"identity":[{"principal_id":true,"tenant_id":true}],"key_vault_id":true,"managed_network":[{}],"serverless_compute":[],"storage_account_id":true,"workspace_id":true}"#,
        expressions: r#"{"application_insights_id":{"references":["azurerm_application_insights.appi.id","azurerm_application_insights.appi"]},"container_registry_id":{"references":["azurerm_container_registry.acr.id","azurerm_container_registry.acr"]},"identity":[{"type":{"constant_value":"SystemAssigned"}}],"image_build_compute_name":{"constant_value":"cpu-image"},"key_vault_id":{"references":["azurerm_key_vault.kv.id","azurerm_key_vault.kv"]},"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"managed_network":[{"isolation_mode":{"constant_value":"AllowOnlyApprovedOutbound"}}],"name":{"references":["var.name"]},"public_network_access_enabled":{"references":["var.public_network_access_enabled"]},"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"storage_account_id":{"references":["azurerm_storage_account.st.id","azurerm_storage_account.st"]}}"#,
    },
    Template {
        ty: "azurerm_private_endpoint",
        name: "ws",
        values: r#"{"custom_network_interface_name":null,"ip_configuration":[],"location":"westeurope","name":"pe-mlw-team-{i}","private_dns_zone_group":[{"name":"aml","private_dns_zone_ids":["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms","/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.notebooks.azure.net"]}],"private_service_connection":[{"is_manual_connection":false,"name":"mlw","private_connection_resource_alias":null,"request_message":null,"subresource_names":["amlworkspace"]}],"resource_group_name":"rg-team-{i}","subnet_id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe","tags":null,"timeouts":null}"#,
        unknown: r#"{"custom_dns_configs":true,"id":true,"ip_configuration":[],"network_interface":true,"private_dns_zone_configs":true,"private_dns_zone_group":[{"id":true,"private_dns_zone_ids":[false,false]}],"private_service_connection":[{"private_connection_resource_id":true,"private_ip_address":true,"subresource_names":[false]}]}"#,
        expressions: r#"{"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.name"]},"private_dns_zone_group":[{"name":{"constant_value":"aml"},"private_dns_zone_ids":{"references":["var.dns_zone_ids"]}}],"private_service_connection":[{"is_manual_connection":{"constant_value":false},"name":{"constant_value":"mlw"},"private_connection_resource_id":{"references":["azurerm_machine_learning_workspace.ws.id","azurerm_machine_learning_workspace.ws"]},"subresource_names":{"constant_value":["amlworkspace"]}}],"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"subnet_id":{"references":["var.subnet_id"]}}"#,
    },
    Template {
        ty: "azurerm_private_endpoint",
        name: "st",
        values: r#"{"custom_network_interface_name":null,"ip_configuration":[],"location":"westeurope","name":"pe-st-team-{i}","private_dns_zone_group":[],"private_service_connection":[{"is_manual_connection":false,"name":"blob","private_connection_resource_alias":null,"request_message":null,"subresource_names":["blob"]}],"resource_group_name":"rg-team-{i}","subnet_id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe","tags":null,"timeouts":null}"#,
        unknown: r#"{"custom_dns_configs":true,"id":true,"ip_configuration":[],"network_interface":true,"private_dns_zone_configs":true,"private_dns_zone_group":[],"private_service_connection":[{"private_connection_resource_id":true,"private_ip_address":true,"subresource_names":[false]}]}"#,
        expressions: r#"{"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"name":{"references":["var.name"]},"private_service_connection":[{"is_manual_connection":{"constant_value":false},"name":{"constant_value":"blob"},"private_connection_resource_id":{"references":["azurerm_storage_account.st.id","azurerm_storage_account.st"]},"subresource_names":{"constant_value":["blob"]}}],"resource_group_name":{"references":["azurerm_resource_group.rg.name","azurerm_resource_group.rg"]},"subnet_id":{"references":["var.subnet_id"]}}"#,
    },
    Template {
        ty: "azurerm_machine_learning_compute_cluster",
        name: "cpu",
        values: r#"{"description":null,"identity":[],"local_auth_enabled":false,"location":"westeurope","name":"cpu-{i}","node_public_ip_enabled":false,"scale_settings":[{"max_node_count":4,"min_node_count":0,"scale_down_nodes_after_idle_duration":"PT15M"}],"ssh":[],"ssh_public_access_enabled":false,"subnet_resource_id":null,"tags":null,"timeouts":null,"vm_priority":"Dedicated","vm_size":"STANDARD_DS3_V2"}"#,
        unknown: r#"{"id":true,"identity":[],"machine_learning_workspace_id":true,"scale_settings":[{}],"ssh":[]}"#,
        expressions: r#"{"local_auth_enabled":{"constant_value":false},"location":{"references":["azurerm_resource_group.rg.location","azurerm_resource_group.rg"]},"machine_learning_workspace_id":{"references":["azurerm_machine_learning_workspace.ws.id","azurerm_machine_learning_workspace.ws"]},"name":{"references":["var.index"]},"node_public_ip_enabled":{"constant_value":false},"scale_settings":[{"max_node_count":{"constant_value":4},"min_node_count":{"constant_value":0},"scale_down_nodes_after_idle_duration":{"constant_value":"PT15M"}}],"vm_priority":{"constant_value":"Dedicated"},"vm_size":{"constant_value":"STANDARD_DS3_V2"}}"#,
    },
    Template {
        ty: "azurerm_role_assignment",
        name: "ra",
        values: r#"{"condition":null,"condition_version":null,"delegated_managed_identity_resource_id":null,"description":null,"principal_id":"11111111-1111-1111-1111-111111111111","role_definition_name":"AzureML Data Scientist","skip_service_principal_aad_check":false,"timeouts":null}"#,
        unknown: r#"{"id":true,"name":true,"principal_type":true,"role_definition_id":true,"scope":true}"#,
        expressions: r#"{"principal_id":{"constant_value":"11111111-1111-1111-1111-111111111111"},"role_definition_name":{"constant_value":"AzureML Data Scientist"},"scope":{"references":["azurerm_machine_learning_workspace.ws.id","azurerm_machine_learning_workspace.ws"]}}"#,
    },
];

/// A plan of `instances` module instances ([`RESOURCES_PER_INSTANCE`] resources each).
pub(crate) fn plan(instances: usize) -> String {
    let mut planned = String::new();
    let mut changes = String::new();
    for i in 0..instances {
        let module = format!("module.team[{i}]");
        if i > 0 {
            planned.push(',');
        }
        let _ = write!(planned, r#"{{"address":"{module}","resources":["#);
        for (n, template) in TEMPLATES.iter().enumerate() {
            let address = format!("{module}.{}.{}", template.ty, template.name);
            let values = template.values.replace("{i}", &i.to_string());
            if n > 0 {
                planned.push(',');
            }
            let _ = write!(
                planned,
                r#"{{"address":"{address}","mode":"managed","type":"{}","name":"{}","provider_name":"{AZURERM}","schema_version":0,"values":{values},"sensitive_values":{{}}}}"#,
                template.ty, template.name
            );
            if !changes.is_empty() {
                changes.push(',');
            }
            let _ = write!(
                changes,
                r#"{{"address":"{address}","module_address":"{module}","mode":"managed","type":"{}","name":"{}","provider_name":"{AZURERM}","change":{{"actions":["create"],"before":null,"after":{values},"after_unknown":{},"before_sensitive":false,"after_sensitive":{{}}}}}}"#,
                template.ty, template.name, template.unknown
            );
        }
        planned.push_str("]}");
    }
    let mut resources = String::new();
    for (n, template) in TEMPLATES.iter().enumerate() {
        if n > 0 {
            resources.push(',');
        }
        let _ = write!(
            resources,
            r#"{{"address":"{}.{}","mode":"managed","type":"{}","name":"{}","provider_config_key":"team:azurerm","expressions":{},"schema_version":0}}"#,
            template.ty, template.name, template.ty, template.name, template.expressions
        );
    }
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{{"root_module":{{"child_modules":[{planned}]}}}},"resource_changes":[{changes}],"configuration":{{"provider_config":{{"azurerm":{{"name":"azurerm","full_name":"{AZURERM}","version_constraint":"~> 4.20"}}}},"root_module":{{"module_calls":{{"team":{{"source":"./modules/team","expressions":{{"dns_zone_ids":{{"constant_value":["/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms","/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.notebooks.azure.net"]}},"index":{{"references":["count.index"]}},"location":{{"constant_value":"westeurope"}},"name":{{"references":["count.index"]}},"public_network_access_enabled":{{"constant_value":false}},"subnet_id":{{"constant_value":"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-pe"}}}},"count_expression":{{"constant_value":{instances}}},"module":{{"resources":[{resources}],"variables":{{"dns_zone_ids":{{}},"index":{{}},"location":{{}},"name":{{}},"public_network_access_enabled":{{"default":true}},"subnet_id":{{}}}}}}}}}}}}}},"applyable":true,"complete":true,"errored":false}}"#
    )
}
