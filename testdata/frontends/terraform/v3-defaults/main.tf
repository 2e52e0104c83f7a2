terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 3.90, < 4.0"
    }
  }
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                    = "mlw-v3"
  location                = "westeurope"
  resource_group_name     = "rg"
  application_insights_id = var.appi_id
  key_vault_id            = var.kv_id
  storage_account_id      = var.st_id

  identity {
    type = "SystemAssigned"
  }
}

variable "appi_id" {}
variable "kv_id" {}
variable "st_id" {}
