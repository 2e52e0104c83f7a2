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

  managed_network {
    isolation_mode = "Disabled"
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
  subnet_resource_id            = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-dev/providers/Microsoft.Network/virtualNetworks/vnet-contoso-dev/subnets/snet-training"
  node_public_ip_enabled        = false
  local_auth_enabled            = false
  ssh_public_access_enabled     = false

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT2M"
  }
}
