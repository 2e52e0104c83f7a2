// A local module in the repository is read with the values passed to it.
param location string = resourceGroup().location

module storage 'good-module.bicep' = {
  name: 'storage'
  params: {
    name: 'stcontosodev'
    location: location
  }
}
