# The storage account comes from the Terraform registry, installed by `terraform init` in
# .terraform/modules: it is checked with the values passed here.
module "st" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.2.0"

  name                          = "stcontosotf"
  public_network_access_enabled = true
}

resource "azurerm_machine_learning_workspace" "mlw" {
  name                          = "mlw-contoso-tf"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso"
  application_insights_id       = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.Insights/components/appi-contoso"
  key_vault_id                  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso/providers/Microsoft.KeyVault/vaults/kv-contoso"
  storage_account_id            = module.st.resource_id
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
