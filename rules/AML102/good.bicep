param location string = resourceGroup().location
param privateEndpointSubnetId string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stcontosodev'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    publicNetworkAccess: 'Disabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Deny'
    }
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso-dev'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    storageAccount: storage.id
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'Disabled'
    }
  }
}

@description('One private endpoint per storage sub-resource.')
resource storageEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for group in [
  'blob'
  'file'
]: {
  name: 'pe-${storage.name}-${group}'
  location: location
  properties: {
    subnet: {
      id: privateEndpointSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: 'pe-${storage.name}-${group}'
        properties: {
          privateLinkServiceId: storage.id
          groupIds: [
            group
          ]
        }
      }
    ]
  }
}]
