//! A generated live estate for the benchmark and the `estate` example: Azure Resource
//! Graph pages (`az graph query ... --first 1000`, pretty-printed as the CLI prints them)
//! over ten subscriptions of ten resource groups each. Machine Learning stacks (workspace,
//! compute, storage account, key vault, container registry, Application Insights, and a
//! private endpoint in the network resource group) are spread evenly among virtual
//! machines, which stand for the resources no rule checks.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Resources per page, Resource Graph's maximum.
const PAGE: usize = 1000;
/// Resources in one Machine Learning stack.
const STACK: usize = 7;
const TENANT: &str = "00000000-0000-0000-0000-0000000000ff";

/// Writes an estate of `resources` resources, of which about `ml_share` (0 to 1) belong
/// to Machine Learning stacks, as Resource Graph pages in `dir`; returns the pages.
pub(crate) fn write_estate(
    dir: &Path,
    resources: usize,
    ml_share: f64,
) -> std::io::Result<Vec<PathBuf>> {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "a share of a count that fits in memory"
    )]
    let stacks = ((resources as f64 * ml_share) as usize / STACK).min(resources / STACK);
    let fillers = resources - stacks * STACK;
    // Interleave: after every `gap` virtual machines comes one whole stack.
    let gap = fillers.checked_div(stacks).unwrap_or(fillers).max(1);
    let mut elements: Vec<String> = Vec::with_capacity(PAGE);
    let mut pages = Vec::new();
    let (mut stack, mut filler) = (0, 0);
    let mut written = 0;
    while written < resources {
        let take_stack = stack < stacks && (filler >= fillers || filler >= (stack + 1) * gap);
        if take_stack {
            elements.extend(ml_stack(stack));
            stack += 1;
        } else {
            elements.push(virtual_machine(filler));
            filler += 1;
        }
        written = stack * STACK + filler;
        if elements.len() >= PAGE || written >= resources {
            let last = written >= resources;
            pages.push(write_page(dir, pages.len(), &elements, resources, last)?);
            elements.clear();
        }
    }
    Ok(pages)
}

fn write_page(
    dir: &Path,
    number: usize,
    elements: &[String],
    total: usize,
    last: bool,
) -> std::io::Result<PathBuf> {
    let path = dir.join(format!("resources-page-{number:03}.json"));
    let token = if last {
        "null".to_owned()
    } else {
        format!("\"token-{number}\"")
    };
    let text = format!(
        "{{\n  \"count\": {},\n  \"data\": [\n{}\n  ],\n  \"skip_token\": {token},\n  \"total_records\": {total}\n}}\n",
        elements.len(),
        elements.join(",\n")
    );
    std::fs::write(&path, text)?;
    Ok(path)
}

/// The subscription and resource group of the `n`th stack or machine.
fn scope(n: usize) -> (String, String) {
    (
        format!("00000000-0000-0000-0000-{:012x}", n % 10 + 1),
        format!("rg-{:02}", n / 10 % 10),
    )
}

fn id(sub: &str, rg: &str, provider_path: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider_path}")
}

/// One Resource Graph row, but for the columns every row has alike.
struct Row<'a> {
    id: &'a str,
    name: &'a str,
    ty: &'a str,
    sub: &'a str,
    rg: &'a str,
    kind: &'a str,
    sku: &'a str,
    properties: &'a str,
}

/// One Resource Graph row as the CLI prints it.
fn row(row: &Row<'_>) -> String {
    let Row {
        id,
        name,
        ty,
        sub,
        rg,
        kind,
        sku,
        properties,
    } = row;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"    {{
      "extendedLocation": null,
      "id": "{id}",
      "identity": {{
        "principalId": "00000000-0000-0000-0000-0000000000c1",
        "tenantId": "{TENANT}",
        "type": "SystemAssigned"
      }},
      "kind": "{kind}",
      "location": "westeurope",
      "managedBy": "",
      "name": "{name}",
      "plan": null,
      "properties": {properties},
      "resourceGroup": "{rg}",
      "sku": {sku},
      "subscriptionId": "{sub}",
      "tags": {{
        "costCenter": "cc-{rg}",
        "env": "prod"
      }},
      "tenantId": "{TENANT}",
      "type": "{ty}",
      "zones": null
    }}"#
    );
    out
}

fn virtual_machine(n: usize) -> String {
    let (sub, rg) = scope(n);
    let name = format!("vm-{n:06}");
    let nic = id(
        &sub,
        &rg,
        &format!("Microsoft.Network/networkInterfaces/nic-{n:06}"),
    );
    let disk = id(&sub, &rg, &format!("Microsoft.Compute/disks/osdisk-{n:06}"));
    let properties = format!(
        r#"{{
        "hardwareProfile": {{
          "vmSize": "Standard_D2s_v5"
        }},
        "networkProfile": {{
          "networkInterfaces": [
            {{
              "id": "{nic}"
            }}
          ]
        }},
        "osProfile": {{
          "adminUsername": "azureuser",
          "computerName": "{name}",
          "linuxConfiguration": {{
            "disablePasswordAuthentication": true,
            "provisionVMAgent": true
          }}
        }},
        "provisioningState": "Succeeded",
        "storageProfile": {{
          "imageReference": {{
            "offer": "ubuntu-24_04-lts",
            "publisher": "Canonical",
            "sku": "server",
            "version": "latest"
          }},
          "osDisk": {{
            "caching": "ReadWrite",
            "createOption": "FromImage",
            "diskSizeGB": 30,
            "managedDisk": {{
              "id": "{disk}",
              "storageAccountType": "Premium_LRS"
            }},
            "name": "osdisk-{n:06}",
            "osType": "Linux"
          }}
        }},
        "timeCreated": "2026-01-01T00:00:00.0000000Z",
        "vmId": "00000000-0000-0000-0000-{n:012}"
      }}"#
    );
    row(&Row {
        id: &id(
            &sub,
            &rg,
            &format!("Microsoft.Compute/virtualMachines/{name}"),
        ),
        name: &name,
        ty: "microsoft.compute/virtualmachines",
        sub: &sub,
        rg: &rg,
        kind: "",
        sku: "null",
        properties: &properties,
    })
}

/// The seven resources of the `n`th Machine Learning stack; every other one is public.
fn ml_stack(n: usize) -> Vec<String> {
    let (sub, rg) = scope(n);
    let access = if n.is_multiple_of(2) {
        "Enabled"
    } else {
        "Disabled"
    };
    let ws_name = format!("mlw-{n:05}");
    let ws = id(
        &sub,
        &rg,
        &format!("Microsoft.MachineLearningServices/workspaces/{ws_name}"),
    );
    let st = id(
        &sub,
        &rg,
        &format!("Microsoft.Storage/storageAccounts/st{n:05}"),
    );
    let kv = id(&sub, &rg, &format!("Microsoft.KeyVault/vaults/kv-{n:05}"));
    let cr = id(
        &sub,
        &rg,
        &format!("Microsoft.ContainerRegistry/registries/cr{n:05}"),
    );
    let appi = id(
        &sub,
        &rg,
        &format!("Microsoft.Insights/components/appi-{n:05}"),
    );
    let pe = id(
        &sub,
        "rg-network",
        &format!("Microsoft.Network/privateEndpoints/pe-{ws_name}"),
    );
    let basic = r#"{
        "name": "Basic",
        "tier": "Basic"
      }"#;
    let workspace = format!(
        r#"{{
        "applicationInsights": "{appi}",
        "containerRegistry": "{cr}",
        "friendlyName": "{ws_name}",
        "hbiWorkspace": false,
        "keyVault": "{kv}",
        "managedNetwork": {{
          "isolationMode": "Disabled",
          "status": {{
            "sparkReady": false,
            "status": "Inactive"
          }}
        }},
        "privateEndpointConnections": [
          {{
            "id": "{ws}/privateEndpointConnections/pe-{ws_name}",
            "properties": {{
              "privateEndpoint": {{
                "id": "{pe}"
              }},
              "privateLinkServiceConnectionState": {{
                "actionsRequired": "None",
                "description": "Auto-Approved",
                "status": "Approved"
              }},
              "provisioningState": "Succeeded"
            }}
          }}
        ],
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "{access}",
        "storageAccount": "{st}",
        "v1LegacyMode": false
      }}"#
    );
    let compute = r#"{
        "computeLocation": "westeurope",
        "computeType": "AmlCompute",
        "disableLocalAuth": false,
        "isAttachedCompute": false,
        "properties": {
          "enableNodePublicIp": true,
          "isolatedNetwork": false,
          "osType": "Linux",
          "remoteLoginPortPublicAccess": "NotSpecified",
          "scaleSettings": {
            "maxNodeCount": 4,
            "minNodeCount": 0,
            "nodeIdleTimeBeforeScaleDown": "PT2M"
          },
          "subnet": null,
          "vmPriority": "Dedicated",
          "vmSize": "STANDARD_DS3_V2"
        },
        "provisioningState": "Succeeded"
      }"#;
    let storage = format!(
        r#"{{
        "allowBlobPublicAccess": false,
        "minimumTlsVersion": "TLS1_2",
        "networkAcls": {{
          "bypass": "AzureServices",
          "defaultAction": "Allow",
          "ipRules": [],
          "virtualNetworkRules": []
        }},
        "privateEndpointConnections": [],
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "{access}",
        "supportsHttpsTrafficOnly": true
      }}"#
    );
    let vault = format!(
        r#"{{
        "enableRbacAuthorization": true,
        "networkAcls": {{
          "bypass": "AzureServices",
          "defaultAction": "Allow",
          "ipRules": [],
          "virtualNetworkRules": []
        }},
        "privateEndpointConnections": [],
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "{access}",
        "tenantId": "{TENANT}",
        "vaultUri": "https://kv-{n:05}.vault.azure.net/"
      }}"#
    );
    let registry = format!(
        r#"{{
        "adminUserEnabled": false,
        "loginServer": "cr{n:05}.azurecr.io",
        "networkRuleBypassOptions": "AzureServices",
        "networkRuleSet": null,
        "privateEndpointConnections": [],
        "provisioningState": "Succeeded",
        "publicNetworkAccess": "{access}"
      }}"#
    );
    let insights = format!(
        r#"{{
        "Application_Type": "web",
        "provisioningState": "Succeeded",
        "publicNetworkAccessForIngestion": "{access}",
        "publicNetworkAccessForQuery": "{access}"
      }}"#
    );
    let endpoint = format!(
        r#"{{
        "customDnsConfigs": [],
        "manualPrivateLinkServiceConnections": [],
        "privateLinkServiceConnections": [
          {{
            "name": "pe-{ws_name}",
            "properties": {{
              "groupIds": [
                "amlworkspace"
              ],
              "privateLinkServiceConnectionState": {{
                "actionsRequired": "None",
                "description": "Auto-Approved",
                "status": "Approved"
              }},
              "privateLinkServiceId": "{ws}"
            }}
          }}
        ],
        "provisioningState": "Succeeded",
        "subnet": {{
          "id": "{}"
        }}
      }}"#,
        id(
            &sub,
            "rg-network",
            "Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"
        )
    );
    let standard = r#"{
        "name": "Standard_LRS",
        "tier": "Standard"
      }"#;
    let compute_id = format!("{ws}/computes/cpu-cluster");
    let names = [
        ws_name.clone(),
        "cpu-cluster".to_owned(),
        format!("st{n:05}"),
        format!("kv-{n:05}"),
        format!("cr{n:05}"),
        format!("appi-{n:05}"),
        format!("pe-{ws_name}"),
    ];
    let rows: [(&str, &str, &str, &str, &str, &str); 7] = [
        (
            &ws,
            "microsoft.machinelearningservices/workspaces",
            &rg,
            "Default",
            basic,
            &workspace,
        ),
        (
            &compute_id,
            "microsoft.machinelearningservices/workspaces/computes",
            &rg,
            "",
            "null",
            compute,
        ),
        (
            &st,
            "microsoft.storage/storageaccounts",
            &rg,
            "StorageV2",
            standard,
            &storage,
        ),
        (&kv, "microsoft.keyvault/vaults", &rg, "", "null", &vault),
        (
            &cr,
            "microsoft.containerregistry/registries",
            &rg,
            "",
            basic,
            &registry,
        ),
        (
            &appi,
            "microsoft.insights/components",
            &rg,
            "web",
            "null",
            &insights,
        ),
        (
            &pe,
            "microsoft.network/privateendpoints",
            "rg-network",
            "",
            "null",
            &endpoint,
        ),
    ];
    rows.iter()
        .zip(&names)
        .map(|(&(id, ty, rg, kind, sku, properties), name)| {
            row(&Row {
                id,
                name,
                ty,
                sub: &sub,
                rg,
                kind,
                sku,
                properties,
            })
        })
        .collect()
}
