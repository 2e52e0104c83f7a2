resource "azurerm_storage_account" "st" {
  name                     = "stinsecure"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "rules" {
  storage_account_id = azurerm_storage_account.st.id
  default_action     = "Allow"
}

resource "azurerm_key_vault" "kv" {
  name                = "kvinsecure"
  location            = "westeurope"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_container_registry" "acr" {
  name                = "acrinsecure"
  location            = "westeurope"
  resource_group_name = "rg"
  sku                 = "Basic"
  admin_enabled       = true
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw-insecure"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id            = azurerm_key_vault.kv.id
  storage_account_id      = azurerm_storage_account.st.id
  container_registry_id   = azurerm_container_registry.acr.id

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_ai_foundry" "hub" {
  name                    = "hub-insecure"
  location                = "westeurope"
  resource_group_name     = "rg"
  storage_account_id      = azurerm_storage_account.st.id
  key_vault_id            = azurerm_key_vault.kv.id

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_ai_foundry_project" "project" {
  name               = "project-insecure"
  location           = "westeurope"
  ai_services_hub_id = azurerm_ai_foundry.hub.id

  identity {
    type = "SystemAssigned"
  }
}
