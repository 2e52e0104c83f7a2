// Local modules (Bicep and JSON), a registry module, and `main.bicepparam` beside.
param access string = 'Enabled'

module storage 'modules/storage.json' = {
  name: 'storage'
  params: {
    name: 'stmodules'
  }
}

module workspace 'modules/workspace.bicep' = {
  name: 'workspace'
  params: {
    publicNetworkAccess: access
    storageAccountId: storage.outputs.id
  }
}

module endpoint 'br/public:avm/res/network/private-endpoint:0.10.1' = {
  name: 'endpoint'
  params: {
    privateLinkServiceId: workspace.outputs.id
  }
}
