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

resource "azurerm_application_insights" "appi" {
  name                       = "appi-contoso-dev"
  location                   = azurerm_resource_group.rg.location
  resource_group_name        = azurerm_resource_group.rg.name
  workspace_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.OperationalInsights/workspaces/log-contoso-dev"
  application_type           = "web"
  internet_ingestion_enabled = true
  internet_query_enabled     = true
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = azurerm_application_insights.appi.id
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Storage/storageAccounts/stcontosodev"
  container_registry_id         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.ContainerRegistry/registries/crcontosodev"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
