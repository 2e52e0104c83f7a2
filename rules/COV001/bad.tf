# The workspace comes from the Terraform registry: without `terraform init`, the module is
# not installed in .terraform/modules, and nothing it deploys is checked.
resource "azurerm_resource_group" "rg" {
  name     = "rg-contoso-dev"
  location = "westeurope"
}

module "aml" {
  source  = "Azure/avm-res-machinelearningservices-workspace/azurerm"
  version = "0.8.0"

  name                          = "mlw-contoso-dev"
  location                      = azurerm_resource_group.rg.location
  resource_group_name           = azurerm_resource_group.rg.name
  public_network_access_enabled = true
}
