// A local module whose file is not there (renamed, or not committed).
param location string = resourceGroup().location

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'stcontosodev'
    location: location
  }
}
