module "storage" {
  source = "./storage"
  name   = "stfrommodule"
  public = false
}

module "registry" {
  source  = "Azure/avm-res-containerregistry-registry/azurerm"
  version = "0.4.0"
  name    = "acrfromregistry"
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-modules"
  location                      = "westeurope"
  resource_group_name           = "rg"
  application_insights_id       = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/components/appi"
  key_vault_id                  = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  storage_account_id            = module.storage.id
  container_registry_id         = module.registry.resource_id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}
