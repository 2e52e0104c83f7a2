resource "azapi_resource" "mlw" {
  type      = "Microsoft.MachineLearningServices/workspaces@2024-04-01"
  name      = "mlw-azapi"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  location  = "westeurope"

  body = {
    kind = "Default"
    sku  = { name = "Basic" }
    properties = {
      publicNetworkAccess = "Disabled"
      storageAccount      = azapi_resource.st.id
      managedNetwork = {
        isolationMode = "AllowInternetOutbound"
      }
    }
  }
}

resource "azapi_resource" "st" {
  type      = "Microsoft.Storage/storageAccounts@2023-01-01"
  name      = "stazapi"
  parent_id = "/subscriptions/s/resourceGroups/rg"
  location  = "westeurope"
  body = jsonencode({
    kind = "StorageV2"
    sku  = { name = "Standard_LRS" }
    properties = {
      publicNetworkAccess = "Enabled"
    }
  })
}

resource "azapi_resource" "rule" {
  type      = "Microsoft.MachineLearningServices/workspaces/outboundRules@2024-04-01"
  name      = "allow-pypi"
  parent_id = azapi_resource.mlw.id
  body = {
    properties = {
      type        = "FQDN"
      destination = "pypi.org"
    }
  }
}
