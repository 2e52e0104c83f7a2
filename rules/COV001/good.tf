# Resources declared in the module itself are read; so are local modules, and registry
# modules once `terraform init` has installed them in .terraform/modules.
resource "azurerm_resource_group" "rg" {
  name     = "rg-contoso-dev"
  location = "westeurope"
}

resource "azurerm_storage_account" "st" {
  name                          = "stcontosodev"
  resource_group_name           = azurerm_resource_group.rg.name
  location                      = azurerm_resource_group.rg.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
}
