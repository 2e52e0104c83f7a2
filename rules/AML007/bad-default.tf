terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.20"
    }
  }
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-contoso-dev"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "crmlcontosodev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  sku                           = "Premium"
  admin_enabled                 = false
  public_network_access_enabled = false
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Insights/components/appi-contoso-dev"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Storage/storageAccounts/stcontosodev"
  container_registry_id         = azurerm_container_registry.acr.id
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "Disabled"
  }

  identity {
    type = "SystemAssigned"
  }
}
