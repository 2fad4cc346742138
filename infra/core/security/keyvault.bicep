// Key Vault for the hub's root key and its admin key. RBAC only (no access policies), soft delete with purge
// protection: a deleted vault or key can be recovered, never purged early, because losing the root key loses every
// sealed secret.
param name string
param location string
param tags object = {}

@description('Name of the RSA-HSM key that wraps the hub\'s key-encryption keys (KeyWrapping:KeyId).')
param rootKeyName string

@description('Name of the secret that holds Hub:AdminKey.')
param adminKeySecretName string

@secure()
@description('Hub:AdminKey: at least 32 characters.')
param adminKey string

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'premium' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

// Wrap and unwrap only: the hub never encrypts data with it, signs with it or exports it.
resource rootKey 'Microsoft.KeyVault/vaults/keys@2024-11-01' = {
  parent: vault
  name: rootKeyName
  properties: {
    kty: 'RSA-HSM'
    keySize: 3072
    keyOps: [ 'wrapKey', 'unwrapKey' ]
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2024-11-01' = {
  parent: vault
  name: adminKeySecretName
  properties: {
    value: adminKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
output rootKeyName string = rootKey.name
// Unversioned: KeyWrapping:KeyId. Wrap uses the current version; each wrapped KEK stores the versioned kid.
output rootKeyId string = '${vault.properties.vaultUri}keys/${rootKey.name}'
output adminKeySecretName string = adminKeySecret.name
// Unversioned, so the app picks up a new secret version (Key Vault references refresh within a day, or on restart).
output adminKeySecretUri string = adminKeySecret.properties.secretUri
