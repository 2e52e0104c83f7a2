# The workspace comes from the Terraform registry, and `terraform init` has not run.
module "aml" {
  source  = "Azure/avm-res-machinelearningservices-workspace/azurerm"
  version = "0.8.0"

  name                          = "mlw-contoso"
  location                      = "westeurope"
  resource_group_name           = "rg-contoso"
  public_network_access_enabled = true
}
