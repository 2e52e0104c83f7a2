param location string = resourceGroup().location
param storageAccountId string
param keyVaultId string
param applicationInsightsId string
param imageBuildCompute string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'crmlcontosodev'
  location: location
  sku: {
    name: 'Premium'
  }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
  }
}

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
    containerRegistry: registry.id
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'Disabled'
    }
    imageBuildCompute: imageBuildCompute
  }
}
