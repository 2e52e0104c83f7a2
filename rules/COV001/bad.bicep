// The workspace comes from the public registry: without `bicep restore`, the module is not
// in the Bicep module cache, and nothing it deploys is checked.
param location string = resourceGroup().location

module workspace 'br/public:avm/res/machine-learning-services/workspace:0.10.0' = {
  name: 'workspace'
  params: {
    name: 'mlw-contoso-dev'
    location: location
    sku: 'Basic'
    publicNetworkAccess: 'Enabled'
  }
}
