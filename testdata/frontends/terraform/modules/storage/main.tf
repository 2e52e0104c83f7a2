variable "name" {
  type = string
}

variable "public" {
  type    = bool
  default = true
}

resource "azurerm_storage_account" "this" {
  name                          = var.name
  resource_group_name           = "rg"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = var.public
}

output "id" {
  value = azurerm_storage_account.this.id
}
