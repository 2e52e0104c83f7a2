terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

variable "tags" {
  type        = map(string)
  description = "The workspace's tags."
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-contoso-dev"
  location = "westeurope"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Insights/components/appi-contoso-dev"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Storage/storageAccounts/stcontosodev"
  container_registry_id         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.ContainerRegistry/registries/crcontosodev"
  public_network_access_enabled = false
  tags = var.tags

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
