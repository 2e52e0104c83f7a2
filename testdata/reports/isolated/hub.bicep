// An AI Foundry hub, closed and with a managed network, and a project that inherits it.
param location string = resourceGroup().location

resource hub 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'hub-research'
  location: location
  kind: 'Hub'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}

resource project 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'proj-vision'
  location: location
  kind: 'Project'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    hubResourceId: hub.id
  }
}
