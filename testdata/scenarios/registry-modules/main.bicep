// The workspace comes from the public registry, and `bicep restore` has not run: the module
// is not in the Bicep module cache, so nothing it deploys is checked.
param location string = resourceGroup().location

module workspace 'br/public:avm/res/machine-learning-services/workspace:0.10.0' = {
  name: 'workspace'
  params: {
    name: 'mlw-contoso'
    location: location
    publicNetworkAccess: 'Enabled'
  }
}
