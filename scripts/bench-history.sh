#!/usr/bin/env bash
# Times `isolint report --history` on a generated repository of 1,000 commits (the target:
# under a minute):
#
#   scripts/bench-history.sh [COMMITS] [WORKSPACES]
#
# The repository (made with `git fast-import` in a temporary folder) holds WORKSPACES
# (default 20) Bicep files, each a workspace with its storage account, key vault and a
# compute cluster. Each commit changes one file: two commits in three edit a workspace (a
# comment each time, so that every one of them is analysed; its public network access and
# managed network every 20 commits, so findings open and close), the third only the README
# (a commit whose infrastructure is unchanged). Commits are a day apart.
# Builds the release binary first; `isolint` itself never runs git.
set -euo pipefail
cd "$(dirname "$0")/.."

commits=${1:-1000}
workspaces=${2:-20}

cargo build --release --locked -q -p isolint
isolint=$PWD/target/release/isolint

repo=$(mktemp -d)
trap 'rm -rf "$repo"' EXIT
git -C "$repo" init -q -b main

workspace() { # NAME ACCESS MODE COMMIT
    cat <<EOF
// revision $4
param location string = resourceGroup().location

resource workspace 'Microsoft.MachineLearningServices/workspaces@2024-10-01' = {
  name: 'mlw-$1'
  location: location
  properties: {
    publicNetworkAccess: '$2'
    storageAccount: storage.id
    keyVault: vault.id
    managedNetwork: { isolationMode: '$3' }
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st$1'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: { publicNetworkAccess: 'Disabled' }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-$1'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    publicNetworkAccess: 'Disabled'
  }
}

resource cluster 'Microsoft.MachineLearningServices/workspaces/computes@2024-10-01' = {
  parent: workspace
  name: 'cpu'
  location: location
  properties: {
    computeType: 'AmlCompute'
    disableLocalAuth: true
    properties: { enableNodePublicIp: false, vmSize: 'Standard_DS3_v2' }
  }
}
EOF
}

# The commits, as a fast-import stream (contents inline).
{
    start=1735689600 # 2025-01-01
    for ((i = 0; i < commits; i++)); do
        ws=$((i % workspaces))
        when=$((start + i * 86400))
        printf 'commit refs/heads/main\ncommitter Bench <bench@example.com> %d +0000\n' "$when"
        message="commit $i"
        printf 'data %d\n%s\n' "${#message}" "$message"
        if ((i < workspaces)); then
            text=$(workspace "$ws" Enabled Disabled "$i")
        elif ((i % 3 == 2)); then
            text="readme $i"
            printf 'M 100644 inline README.md\ndata %d\n%s\n' "${#text}" "$text"
            continue
        elif ((i / workspaces % 2)); then
            text=$(workspace "$ws" Disabled AllowInternetOutbound "$i")
        else
            text=$(workspace "$ws" Enabled Disabled "$i")
        fi
        printf 'M 100644 inline infra/ws%d.bicep\ndata %d\n%s\n' "$ws" "${#text}" "$text"
    done
} | git -C "$repo" fast-import --quiet
git -C "$repo" checkout -q main

echo "repository: $commits commits, $workspaces workspaces ($(git -C "$repo" count-objects -vH | awk '/size-pack/ {print $2 $3}') packed)"
cd "$repo"
begin=$(date +%s%N)
"$isolint" report --history --format json --output history.json
end=$(date +%s%N)
echo "isolint report --history: $(((end - begin) / 1000000)) ms"
"$isolint" report --history | head -2
if command -v /usr/bin/time >/dev/null; then
    /usr/bin/time -f "peak RSS: %M KB" "$isolint" report --history >/dev/null
fi
