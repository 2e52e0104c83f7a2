param publicNetworkAccess string = 'Enabled'
param storageAccountId string

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-modules'
  properties: {
    storageAccount: storageAccountId
    publicNetworkAccess: publicNetworkAccess
  }
}

output id string = workspace.id
