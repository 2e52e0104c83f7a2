param location string = resourceGroup().location
param storageAccountId string
param keyVaultId string
param applicationInsightsId string
param containerRegistryId string
param privateEndpointSubnetId string

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso-dev'
  location: location
  sku: {
    name: 'Basic'
    tier: 'Basic'
  }
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    friendlyName: 'Contoso ML (dev)'
    storageAccount: storageAccountId
    keyVault: keyVaultId
    applicationInsights: applicationInsightsId
    containerRegistry: containerRegistryId
    publicNetworkAccess: 'Disabled'
  }
}

resource apiZone 'Microsoft.Network/privateDnsZones@2020-06-01' existing = {
  name: 'privatelink.api.azureml.ms'
}

resource notebooksZone 'Microsoft.Network/privateDnsZones@2020-06-01' existing = {
  name: 'privatelink.notebooks.azure.net'
}

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2023-11-01' = {
  name: 'pe-mlw-contoso-dev'
  location: location
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-mlw-contoso-dev'
        properties: {
          privateLinkServiceId: workspace.id
          groupIds: [
            'amlworkspace'
          ]
        }
      }
    ]
  }
}
