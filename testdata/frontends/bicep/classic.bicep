// Quickstart-style Bicep: decorated parameters, interpolation, child resources in the three
// spellings, a loop, a condition and `environment()`.
@description('The workspace name.')
param name string = 'mlw-classic'

@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string = 'Disabled'

param deployRegistry bool = false

param computes array = [
  'cpu'
  'gpu'
]

var storageName = 'st${replace(name, '-', '')}'
var blobZone = 'privatelink.blob.${environment().suffixes.storage}'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: resourceGroup().location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
    }
  }

  resource blob 'blobServices' = {
    name: 'default'
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = if (deployRegistry) {
  name: 'cr${uniqueString(resourceGroup().id)}'
  sku: {
    name: 'Premium'
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: name
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    storageAccount: storage.id
    containerRegistry: deployRegistry ? registry.id : null
    publicNetworkAccess: publicNetworkAccess
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource clusters 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = [for (compute, i) in computes: {
  parent: workspace
  name: '${compute}-${i}'
  properties: {
    computeType: 'AmlCompute'
    properties: {
      vmSize: compute == 'gpu' ? 'STANDARD_NC6' : 'STANDARD_DS3_V2'
      enableNodePublicIp: false
    }
  }
}]

resource zone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: blobZone
  location: 'global'
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  name: '${zone.name}/link'
  location: 'global'
}
