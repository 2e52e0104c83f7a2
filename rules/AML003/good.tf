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

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-dev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Insights/components/appi-contoso-dev"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev"
  storage_account_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Storage/storageAccounts/stcontosodev"
  container_registry_id         = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.ContainerRegistry/registries/crcontosodev"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_dns_zone" "api" {
  name                = "privatelink.api.azureml.ms"
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_dns_zone" "notebooks" {
  name                = "privatelink.notebooks.azure.net"
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_private_endpoint" "mlw" {
  name                = "pe-mlw-contoso-dev"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Network/virtualNetworks/vnet-contoso-dev/subnets/snet-pe"

  private_service_connection {
    name                           = "pe-mlw-contoso-dev"
    private_connection_resource_id = azurerm_machine_learning_workspace.mlw.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.api.id, azurerm_private_dns_zone.notebooks.id]
  }
}
