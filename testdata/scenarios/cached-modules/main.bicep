// The storage account comes from the public registry, restored into the module cache: it is
// checked with the values passed here, and a finding inside it points at the argument.
module storage 'br/public:avm/res/storage/storage-account:0.11.0' = {
  name: 'storage'
  params: {
    name: 'stcontosobicep'
    location: 'westeurope'
    publicNetworkAccess: 'Enabled'
  }
}

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-contoso-bicep'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    storageAccount: storage.outputs.resourceId
    publicNetworkAccess: 'Disabled'
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
    }
  }
}
