variable "pna" {
  type    = bool
  default = true
}

variable "mode" {
  type    = string
  default = "Disabled"
}

variable "name" {
  type    = string
  default = "mlw-default"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = var.name
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
  public_network_access_enabled = var.pna

  managed_network {
    isolation_mode = var.mode
  }

  identity {
    type = "SystemAssigned"
  }
}
