// One module, two calls: each call's finding says which call it belongs to.
module dev 'workspace.bicep' = {
  name: 'workspace-dev'
  params: {
    name: 'mlw-contoso-dev'
    publicNetworkAccess: 'Enabled'
  }
}

module prod 'workspace.bicep' = {
  name: 'workspace-prod'
  params: {
    name: 'mlw-contoso-prod'
    publicNetworkAccess: 'Enabled'
  }
}
