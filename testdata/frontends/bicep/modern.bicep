// AVM-style Bicep: metadata, imports, user types, nullable parameters, `.?`, `??`, `!`,
// spread, lambdas, `::`, existing resources, pragmas and multi-line ternaries.
metadata name = 'Machine Learning workspace'
metadata description = '''
A workspace, the AVM way.
'''

import { lockType } from 'br/public:avm/utl/types/avm-common-types:0.6.0'

@export()
type managedNetworkType = {
  @description('The isolation mode.')
  isolationMode: 'AllowInternetOutbound' | 'AllowOnlyApprovedOutbound' | 'Disabled'
  *: string
}

@description('Optional. The managed network.')
param managedNetwork managedNetworkType?

param lock lockType?

param managedIdentities object = {
  systemAssigned: true
  userAssignedResourceIds: [
    '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id'
  ]
}

param keyVaultId string = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv'

func prefixed(value string) string => 'mlw-${value}'

var formattedIdentities = reduce(
  map((managedIdentities.?userAssignedResourceIds ?? []), (id) => { '${id}': {} }),
  {},
  (cur, next) => union(cur, next)
)

var identity = !empty(managedIdentities)
  ? {
      type: (managedIdentities.?systemAssigned ?? false)
        ? (!empty(managedIdentities.?userAssignedResourceIds ?? {}) ? 'SystemAssigned,UserAssigned' : 'SystemAssigned')
        : 'UserAssigned'
      userAssignedIdentities: !empty(formattedIdentities) ? formattedIdentities : null
    }
  : null

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: last(split(keyVaultId, '/'))

  resource key 'keys' existing = {
    name: 'cmk'
  }
}

#disable-next-line use-recent-api-versions
resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: prefixed('modern')
  location: resourceGroup().location
  identity: identity
  properties: {
    keyVault: vault.id
    encryptionKeyUri: '${vault::key.properties.keyUri}/v1'
    publicNetworkAccess: 'Disabled'
    managedNetwork: managedNetwork ?? {
      isolationMode: 'AllowInternetOutbound'
    }
    ...(!empty(lock) ? { friendlyName: lock!.?name } : {})
  }
}

output principalId string? = workspace.?identity.?principalId
