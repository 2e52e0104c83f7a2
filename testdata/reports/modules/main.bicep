// One module called twice: two workspaces from one declaration, each named by the name its
// caller passes, each judged with its caller's values.
module teamA 'workspace.bicep' = {
  name: 'team-a'
  params: {
    workspaceName: 'mlw-team-a'
  }
}

module teamB 'workspace.bicep' = {
  name: 'team-b'
  params: {
    workspaceName: 'mlw-team-b'
    publicNetworkAccess: 'Enabled'
  }
}
