variable "name" {
  type = string
}

variable "public_network_access_enabled" {
  type    = bool
  default = false
}

resource "azurerm_storage_account" "this" {
  name                          = var.name
  resource_group_name           = "rg-contoso"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = var.public_network_access_enabled
}

output "resource_id" {
  value = azurerm_storage_account.this.id
}
