param workspaceName string = 'mlw-contoso-dev'
param location string = resourceGroup().location
param storageAccountId string
param keyVaultId string
param applicationInsightsId string

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: workspaceName
  location: location
  tags: {
    Owner: 'ml-platform@contoso.com'
    'Cost-Center': 'CC-4711'
    environment: 'dev'
  }
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
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}
