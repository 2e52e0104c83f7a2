# The same deployment as azuredeploy.json, written for azurerm 4.x.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "subnet_id" {
  type = string
}

locals {
  suffix = "contosodev"
}

resource "azurerm_storage_account" "st" {
  name                            = "st${local.suffix}"
  resource_group_name             = "rg-contoso-dev"
  location                        = var.location
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = false
}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-${local.suffix}"
  resource_group_name           = "rg-contoso-dev"
  location                      = var.location
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = false
}

resource "azurerm_container_registry" "acr" {
  name                = "acr${local.suffix}"
  resource_group_name = "rg-contoso-dev"
  location            = var.location
  sku                 = "Standard"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw-${local.suffix}"
  resource_group_name     = "rg-contoso-dev"
  location                = var.location
  storage_account_id      = azurerm_storage_account.st.id
  key_vault_id            = azurerm_key_vault.kv.id
  container_registry_id   = azurerm_container_registry.acr.id
  application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Insights/components/appi-contosodev"

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_endpoint" "kv" {
  name                = "pe-kv-${local.suffix}"
  resource_group_name = "rg-contoso-dev"
  location            = var.location
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "kv"
    private_connection_resource_id = azurerm_key_vault.kv.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"]
  }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = var.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.mlw.id
  vm_size                       = "STANDARD_DS3_V2"
  vm_priority                   = "Dedicated"

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 2
    scale_down_nodes_after_idle_duration = "PT15M"
  }
}
