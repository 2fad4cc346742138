// Integrations Hub: the resources the hub's code depends on. Storage is identity-based (no shared keys) and
// Key Vault uses RBAC; the hub's root key is an RSA key that only wraps and unwraps.
// The Flex Consumption app, its identity's role assignments and App Insights arrive with the deployment issue.
targetScope = 'resourceGroup'

@description('Name prefix for every resource.')
param name string = 'ihub'
param location string = resourceGroup().location

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${name}${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${name}-kv-${uniqueString(resourceGroup().id)}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'premium' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
  }
}

resource rootKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: 'hub-root'
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
  }
}

output storageTableUri string = storage.properties.primaryEndpoints.table
output storageQueueUri string = storage.properties.primaryEndpoints.queue
output storageBlobUri string = storage.properties.primaryEndpoints.blob
// Unversioned: KeyWrapping:KeyId. Wrap uses the current version; each wrapped KEK stores the versioned kid.
output keyWrappingKeyId string = '${vault.properties.vaultUri}keys/${rootKey.name}'
