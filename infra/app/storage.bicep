// The hub's storage account: identity-based access only (no account keys, no SAS signed with them). Every table,
// queue and container the hub's code names is created here with the Storage:Prefix, so the app's identity needs no
// create rights beyond its data roles and a misspelt name fails the template test rather than at first use.
param name string
param location string
param tags object = {}

@description('Storage:Prefix: every table, queue and container name starts with it.')
@minLength(1)
@maxLength(20)
param storagePrefix string

@minLength(2)
type tableSuffix = string

@description('Table names without the prefix (HubTables).')
param tables tableSuffix[]

@description('Full queue names (Jobs:Queues:*).')
param queues string[]

@minLength(1)
type containerSuffix = string

@description('Container names without the prefix and its hyphen (lock leases, webhook bodies, outbound payloads).')
param containers containerSuffix[]

@description('The Flex Consumption deployment package container (azd uploads the app here).')
param deploymentContainerName string

@description('Days each audit checkpoint blob stays immutable; at least Audit:Retention.')
param auditCheckpointRetentionDays int

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource hubContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = [for container in containers: {
  parent: blobService
  name: '${storagePrefix}-${container}'
  properties: { publicAccess: 'None' }
}]

resource hubTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for table in tables: {
  parent: tableService
  name: '${storagePrefix}${table}'
}]

resource hubQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

// Signed audit checkpoints (AuditChain): append blobs that someone who can write the audit tables cannot rewrite.
// Time-based immutability with protected appends lets the sealer add lines but nobody change or delete them within
// the period. Left unlocked here so the period can still be extended; lock it (az storage container
// immutability-policy lock) once the deployment is settled. Azurite ignores the policy.
resource auditCheckpoints 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobService
  name: '${storagePrefix}-audit-checkpoints'
  properties: { publicAccess: 'None' }
}

resource auditCheckpointsImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2024-01-01' = {
  parent: auditCheckpoints
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditCheckpointRetentionDays
    allowProtectedAppendWrites: true
  }
}

output name string = storage.name
output id string = storage.id
output tableEndpoint string = storage.properties.primaryEndpoints.table
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
output auditCheckpointContainerName string = auditCheckpoints.name
