terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.19"
    }
  }
}

variable "prefix" {
  type    = string
  default = "contoso"
}

variable "subnet_id" {
  type = string
}

locals {
  name     = "${var.prefix}-${local.env}"
  env      = "prod"
  storage  = replace(lower("st${var.prefix}${local.env}"), "-", "")
  dns_zones = {
    blob  = "privatelink.blob.core.windows.net"
    vault = "privatelink.vaultcore.azure.net"
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-${local.name}"
  location = "westeurope"
}

resource "azurerm_storage_account" "st" {
  name                          = local.storage
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
  allow_nested_items_to_be_public = false

  network_rules {
    default_action = "Deny"
    bypass         = ["AzureServices"]
  }
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-${local.name}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  public_network_access_enabled = false

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
  }
}

resource "azurerm_container_registry" "acr" {
  name                          = "acr${var.prefix}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_application_insights" "appi" {
  name                       = "appi-${local.name}"
  location                   = azurerm_resource_group.rg.location
  resource_group_name        = azurerm_resource_group.rg.name
  application_type           = "web"
  internet_ingestion_enabled = false
  internet_query_enabled     = false
}

data "azurerm_client_config" "current" {}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-${local.name}"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = azurerm_application_insights.appi.id
  key_vault_id                  = azurerm_key_vault.kv.id
  storage_account_id            = azurerm_storage_account.st.id
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false
  image_build_compute_name      = "image-builder"

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_dns_zone" "zones" {
  for_each            = local.dns_zones
  name                = each.value
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_endpoint" "pe" {
  for_each            = { blob = azurerm_storage_account.st.id, vault = azurerm_key_vault.kv.id }
  name                = "pe-${each.key}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "psc-${each.key}"
    private_connection_resource_id = each.value
    subresource_names              = [each.key]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.zones[each.key].id]
  }
}

resource "azurerm_private_endpoint" "ws" {
  name                = "pe-mlw"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "psc-mlw"
    private_connection_resource_id = azurerm_machine_learning_workspace.mlw.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = true
    request_message                = "please"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  count                         = 2
  name                          = "cpu-${count.index}"
  location                      = azurerm_resource_group.rg.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.mlw.id
  vm_size                       = "STANDARD_DS2_V2"
  vm_priority                   = "Dedicated"
  node_public_ip_enabled        = false
  local_auth_enabled            = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 1
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}

resource "azurerm_machine_learning_compute_instance" "ci" {
  name                          = "ci-1"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.mlw.id
  virtual_machine_size          = "STANDARD_DS2_V2"

  ssh {
    public_key = "ssh-rsa AAAA"
  }
}

resource "azurerm_machine_learning_workspace_network_outbound_rule_fqdn" "pypi" {
  name             = "pypi"
  workspace_id     = azurerm_machine_learning_workspace.mlw.id
  destination_fqdn = "pypi.org"
}
