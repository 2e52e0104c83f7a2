#!/usr/bin/env bash
# Whole-process timings of the isolint binary, as a pre-commit hook and CI see them:
#
#   scripts/bench.sh [CORPUS_DIR]
#
# Builds the release binary, then times with hyperfine (wall clock, min of many runs):
#   - `isolint check --format compact` on every .json file of the corpus (default
#     ../shared/corpus, or $ISOLINT_CORPUS),
#   - the same on one file (an Azure Machine Learning workspace template of the corpus),
#   - `isolint check --format compact` on every .tf file of the corpus (the Terraform
#     roots and their modules),
#   - the same on 500 generated .tf files in 50 module folders (workspaces, storage
#     accounts, key vaults, registries, Application Insights, networks and private
#     endpoints; half isolated, half not), written to a temporary folder,
#   - `isolint --version` (process start-up, the floor of any run),
# measures peak RSS of the corpus runs with GNU time, and prints a summary against the
# targets: JSON and Terraform corpus under 50 ms, one file under 5 ms, 500 Terraform files
# under 200 ms (medians), peak RSS under 50 MB.
#
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`). `isolint check`
# exits 1 when it finds problems, so the timed commands ignore exit codes (-i).
# Exit 0 when every target is met, 1 when one is missed, 2 on usage or tool errors.
set -euo pipefail

die() {
    printf 'bench: %s\n' "$*" >&2
    exit 2
}

cd "$(dirname "$0")/.."
readonly corpus="${1:-${ISOLINT_CORPUS:-../shared/corpus}}"
readonly binary=target/release/isolint
readonly runs="${BENCH_RUNS:-30}"

command -v hyperfine >/dev/null 2>&1 || die "hyperfine is required (apt-get install -y hyperfine)"
[ -x /usr/bin/time ] || die "GNU time is required (apt-get install -y time)"
[ -d "$corpus" ] || die "no corpus at $corpus (give its folder as the first argument)"

mapfile -t files < <(find "$corpus" -type f -name '*.json' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || die "no .json files under $corpus"
for file in "${files[@]}"; do
    case "$file" in *[[:space:]]*) die "hyperfine -N cannot take paths with spaces: $file" ;; esac
done
mapfile -t tf_files < <(find "$corpus" -type f -name '*.tf' | LC_ALL=C sort)
[ "${#tf_files[@]}" -gt 0 ] || die "no .tf files under $corpus"
for file in "${tf_files[@]}"; do
    case "$file" in *[[:space:]]*) die "hyperfine -N cannot take paths with spaces: $file" ;; esac
done
single="$(grep -l 'Microsoft.MachineLearningServices/workspaces' "${files[@]}" | head -n 1)"
[ -n "$single" ] || single="${files[0]}"
bytes="$(cat "${files[@]}" | wc -c)"

# Writes 500 .tf files into $1: 50 folders of 10 files, each folder one root module with a
# workspace and its dependencies, every other folder isolated.
generate_terraform() {
    local root="$1" i dir public isolation
    for i in $(seq -w 0 49); do
        dir="$root/team$i"
        mkdir -p "$dir"
        if [ $((10#$i % 2)) -eq 0 ]; then public=false isolation=AllowOnlyApprovedOutbound
        else public=true isolation=Disabled; fi
        cat >"$dir/versions.tf" <<EOF
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}
EOF
        cat >"$dir/variables.tf" <<EOF
variable "location" {
  type    = string
  default = "westeurope"
}

variable "prefix" {
  type    = string
  default = "team$i"
}

variable "public_network_access_enabled" {
  type    = bool
  default = $public
}

variable "tags" {
  type = map(string)
  default = {
    owner       = "team$i"
    cost_center = "cc-$i"
  }
}
EOF
        cat >"$dir/locals.tf" <<EOF
locals {
  name = "\${var.prefix}-ml"
  private_zones = {
    blob  = "privatelink.blob.core.windows.net"
    vault = "privatelink.vaultcore.azure.net"
    acr   = "privatelink.azurecr.io"
    aml   = "privatelink.api.azureml.ms"
  }
}
EOF
        cat >"$dir/network.tf" <<EOF
resource "azurerm_resource_group" "rg" {
  name     = "rg-\${local.name}"
  location = var.location
  tags     = var.tags
}

resource "azurerm_virtual_network" "vnet" {
  name                = "vnet-\${local.name}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  address_space       = ["10.$((10#$i)).0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.rg.name
  virtual_network_name = azurerm_virtual_network.vnet.name
  address_prefixes     = ["10.$((10#$i)).1.0/24"]
}

resource "azurerm_private_dns_zone" "zone" {
  for_each            = local.private_zones
  name                = each.value
  resource_group_name = azurerm_resource_group.rg.name
}
EOF
        cat >"$dir/storage.tf" <<EOF
resource "azurerm_storage_account" "st" {
  name                            = "st\${var.prefix}ml"
  location                        = azurerm_resource_group.rg.location
  resource_group_name             = azurerm_resource_group.rg.name
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  public_network_access_enabled   = var.public_network_access_enabled
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = $public

  network_rules {
    default_action = var.public_network_access_enabled ? "Allow" : "Deny"
    bypass         = ["AzureServices"]
  }
}
EOF
        cat >"$dir/keyvault.tf" <<EOF
resource "azurerm_key_vault" "kv" {
  name                          = "kv-\${local.name}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = var.public_network_access_enabled

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}
EOF
        cat >"$dir/registry.tf" <<EOF
resource "azurerm_container_registry" "acr" {
  name                          = "acr\${var.prefix}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = var.public_network_access_enabled
}

resource "azurerm_application_insights" "appi" {
  name                       = "appi-\${local.name}"
  location                   = azurerm_resource_group.rg.location
  resource_group_name        = azurerm_resource_group.rg.name
  application_type           = "web"
  internet_ingestion_enabled = var.public_network_access_enabled
  internet_query_enabled     = var.public_network_access_enabled
}
EOF
        cat >"$dir/workspace.tf" <<EOF
resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-\${local.name}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = azurerm_application_insights.appi.id
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = azurerm_storage_account.st.id
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = var.public_network_access_enabled
  image_build_compute_name      = "cpu-cluster"
  tags                          = var.tags

  managed_network {
    isolation_mode = "$isolation"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = azurerm_resource_group.rg.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.mlw.id
  vm_priority                   = "LowPriority"
  vm_size                       = "Standard_DS3_v2"
  node_public_ip_enabled        = var.public_network_access_enabled
  local_auth_enabled            = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT30M"
  }

  identity {
    type = "SystemAssigned"
  }
}
EOF
        cat >"$dir/endpoints.tf" <<EOF
locals {
  endpoints = {
    st   = { id = azurerm_storage_account.st.id, group = "blob", zone = "blob" }
    kv   = { id = azurerm_key_vault.kv.id, group = "vault", zone = "vault" }
    acr  = { id = azurerm_container_registry.acr.id, group = "registry", zone = "acr" }
    mlw  = { id = azurerm_machine_learning_workspace.mlw.id, group = "amlworkspace", zone = "aml" }
  }
}

resource "azurerm_private_endpoint" "pe" {
  for_each            = var.public_network_access_enabled ? {} : local.endpoints
  name                = "pe-\${each.key}-\${local.name}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "psc-\${each.key}"
    private_connection_resource_id = each.value.id
    subresource_names              = [each.value.group]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.zone[each.value.zone].id]
  }
}
EOF
        cat >"$dir/outputs.tf" <<EOF
output "workspace_id" {
  value = azurerm_machine_learning_workspace.mlw.id
}

output "private_endpoints" {
  value = { for k, pe in azurerm_private_endpoint.pe : k => pe.id }
}
EOF
    done
}

printf 'building %s (release)...\n' "$binary" >&2
cargo build --release --quiet -p isolint

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
generate_terraform "$work/tf500"
mapfile -t tf500 < <(find "$work/tf500" -type f -name '*.tf' | LC_ALL=C sort)
[ "${#tf500[@]}" -eq 500 ] || die "generated ${#tf500[@]} .tf files instead of 500"

# -N: no shell between hyperfine and the binary, which matters at millisecond scale.
hyperfine -N -i --warmup 5 --min-runs "$runs" --style basic \
    --export-csv "$work/times.csv" \
    -n corpus "$binary check --format compact ${files[*]}" \
    -n single "$binary check --format compact $single" \
    -n tf-corpus "$binary check --format compact ${tf_files[*]}" \
    -n tf-500 "$binary check --format compact ${tf500[*]}" \
    -n version "$binary --version" >&2

# Peak RSS in KB of `isolint check --format compact FILES...`.
peak_rss() {
    /usr/bin/time -f '%M' -o "$work/rss" "$binary" check --format compact "$@" \
        >/dev/null 2>&1 || true
    tail -n 1 "$work/rss"
}
rss_kb="$(peak_rss "${files[@]}")"
tf_rss_kb="$(peak_rss "${tf_files[@]}")"
tf500_rss_kb="$(peak_rss "${tf500[@]}")"

# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
summary="$(awk -F, -v rss_kb="$rss_kb" -v tf_rss_kb="$tf_rss_kb" -v tf500_rss_kb="$tf500_rss_kb" '
    function rss(name, kb,    mb, verdict) {
        mb = kb / 1024
        verdict = mb < 50 ? "ok" : "MISSED"
        if (verdict == "MISSED") missed = 1
        printf "peak RSS (%s run) %.1f MB   target < 50 MB  %s\n", name, mb, verdict
    }
    NR == 1 { next }
    {
        target = ($1 == "corpus" || $1 == "tf-corpus") ? 50 : ($1 == "single") ? 5 \
            : ($1 == "tf-500") ? 200 : 0
        mean = $2 * 1000; sd = $3 * 1000; median = $4 * 1000; min = $7 * 1000
        verdict = target == 0 ? "" : (median < target ? "ok" : "MISSED")
        if (verdict == "MISSED") missed = 1
        printf "%-9s median %7.2f ms   mean %7.2f ± %5.2f ms   min %7.2f ms   target %s%s\n",
            $1, median, mean, sd, min,
            target == 0 ? "-" : sprintf("median < %d ms", target), verdict == "" ? "" : "  " verdict
    }
    END {
        rss("corpus", rss_kb)
        rss("tf-corpus", tf_rss_kb)
        rss("tf-500", tf500_rss_kb)
        exit missed
    }' "$work/times.csv")" && status=0 || status=$?

printf '\nisolint %s, %d JSON files (%s bytes) and %d .tf files from %s; single file: %s\n' \
    "$("$binary" --version | awk '{ print $2 }')" "${#files[@]}" "$bytes" "${#tf_files[@]}" \
    "$corpus" "$single"
printf 'tf-500: %d generated .tf files (%s bytes) in 50 folders\n' \
    "${#tf500[@]}" "$(cat "${tf500[@]}" | wc -c)"
printf '%s\n' "$summary"
exit "$status"
