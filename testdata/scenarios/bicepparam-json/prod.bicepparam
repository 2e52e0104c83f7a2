// A `.bicepparam` file may name a JSON template: it is read as ARM.
using './main.json'

param workspaceName = 'mlw-contoso-prod'
param publicNetworkAccess = 'Enabled'
