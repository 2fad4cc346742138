// Integrations Hub: the resources the hub's code depends on. Storage is identity-based (no shared keys) and
// Key Vault uses RBAC; the hub's root key is an RSA key that only wraps and unwraps.
// The Flex Consumption app, its identity's role assignments and App Insights arrive with the deployment issue.
targetScope = 'resourceGroup'

@description('Name prefix for every resource.')
param name string = 'ihub'
param location string = resourceGroup().location

@description('The hub\'s Storage:Prefix (1-20 lowercase letters or digits): every table, queue and container name starts with it.')
@minLength(1)
@maxLength(20)
param storagePrefix string = 'ih'

@description('Days each audit checkpoint blob stays immutable (appendable, never rewritten or deleted); at least Audit:Retention.')
@minValue(1)
@maxValue(146000)
param auditCheckpointRetentionDays int = 2555

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

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Signed audit checkpoints (AuditChain): append blobs that someone who can write the audit tables cannot rewrite.
// Time-based immutability with protected appends lets the sealer add lines but nobody change or delete them within
// the period. Left unlocked here so the period can still be extended; lock it (az storage container
// immutability-policy lock) once the deployment is settled. Azurite ignores the policy.
resource auditCheckpoints 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: '${storagePrefix}-audit-checkpoints'
  properties: {
    publicAccess: 'None'
  }
}

resource auditCheckpointsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: auditCheckpoints
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditCheckpointRetentionDays
    allowProtectedAppendWrites: true
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
output auditCheckpointContainer string = auditCheckpoints.name
// Unversioned: KeyWrapping:KeyId. Wrap uses the current version; each wrapped KEK stores the versioned kid.
output keyWrappingKeyId string = '${vault.properties.vaultUri}keys/${rootKey.name}'
