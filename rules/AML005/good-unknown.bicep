param location string = resourceGroup().location
param storageAccountId string
param keyVaultId string
param applicationInsightsId string
param containerRegistryId string

@allowed([
  'AllowInternetOutbound'
  'AllowOnlyApprovedOutbound'
])
param isolationMode string

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
    managedNetwork: {
      isolationMode: isolationMode
      outboundRules: {
        'allow-pypi': {
          type: 'FQDN'
          destination: 'pypi.org'
          category: 'UserDefined'
        }
      }
    }
  }
}
