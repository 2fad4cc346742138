// Integrations Hub on Azure: `azd up` provisions this and deploys src/Integrations.Functions to it.
// Laid out as the Azure Functions Flex Consumption azd templates are: a subscription-scoped main.bicep that creates the
// resource group, app/ for this app's own modules and core/ for generic ones.
//   - a Flex Consumption (FC1) function app running as a user-assigned managed identity;
//   - Storage with identity-based access only, holding every table, queue and container the hub uses (named with
//     Storage:Prefix), the deployment package container and the immutable audit-checkpoint container;
//   - Key Vault (RBAC, purge protection) with the RSA-HSM root key and the admin key secret;
//   - Log Analytics + Application Insights, and alert rules over the hub's telemetry;
//   - the identity's roles, each on the narrowest scope (app/rbac.bicep lists them).
// tests/Integrations.Infra.Tests builds and lints this file and checks the compiled template against the app's code.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource; it must offer Flex Consumption.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group name; empty for rg-{environmentName}.')
param resourceGroupName string = ''

@description('The hub\'s Storage:Prefix (1-20 lowercase letters or digits, starting with a letter): every table, queue and container name starts with it.')
@minLength(1)
@maxLength(20)
param storagePrefix string = 'ih'

@secure()
@minLength(32)
@description('Hub:AdminKey (at least 32 characters), stored in Key Vault; azd generates one and keeps it in the environment.')
@metadata({ azd: { type: 'generate', config: { length: 48, noSpecial: true } } })
param hubAdminKey string

@description('Memory per Flex Consumption instance (MB).')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Days each audit checkpoint blob stays immutable (appendable, never rewritten or deleted); at least Audit:Retention.')
@minValue(1)
@maxValue(146000)
param auditCheckpointRetentionDays int = 2555

@description('Audit:Retention (days): how long audit records are kept; at most the checkpoint immutability period.')
@minValue(365)
@maxValue(3650)
param auditRetentionDays int = 2555

@description('KeyWrapping:RotationSchedule: when the hub rotates its key-encryption key (NCRONTAB, six fields, UTC; default quarterly); empty for manual rotation only.')
param keyRotationSchedule string = '0 0 3 1 1,4,7,10 *'

@description('Schedules (six-field cron, UTC) by setting name, replacing the defaults below.')
param scheduleOverrides object = {}

@description('Days Log Analytics keeps telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Accept only Entra ID authenticated telemetry in Application Insights (every exporter must send with the app identity).')
param appInsightsDisableLocalAuth bool = false

@description('Email address for alerts; empty for none.')
param alertEmail string = ''

@description('Failed connection health checks in 15 minutes that raise an alert.')
@minValue(1)
param connectionFailureThreshold int = 1

@description('401/403 responses in 15 minutes that raise an alert.')
@minValue(1)
param authFailureThreshold int = 50

@description('Failed OAuth token refreshes of one provider in 15 minutes that raise an alert.')
@minValue(1)
param tokenRefreshFailureThreshold int = 3

@description('Messages in one poison queue that raise an alert.')
@minValue(1)
param poisonQueueDepthThreshold int = 1

@description('Percent of requests answered with a 5xx in 15 minutes that raises an alert.')
@minValue(1)
@maxValue(100)
param serverErrorPercentThreshold int = 5

@description('Fewest requests in 15 minutes for the 5xx rate to count.')
@minValue(1)
param serverErrorMinimumRequests int = 20

var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var functionAppName = 'func-ihub-${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 12)}'
// Names known before deployment (not module outputs), so role assignments and What-If can be computed up front.
var identityName = 'id-ihub-${resourceToken}'
var storageAccountName = 'stihub${resourceToken}'
var keyVaultName = 'kv-ihub-${take(resourceToken, 13)}'
var rootKeyName = 'hub-root'
var adminKeySecretName = 'hub-admin-key'
var applicationInsightsName = 'appi-ihub-${resourceToken}'

// What the hub's code names (tests/Integrations.Infra.Tests derives the same lists from the code and compares):
// HubTables (prefix + name), JobQueues (Jobs:Queues:*, default {prefix}-{id}) and the blob containers
// ({prefix}-locks, TableWebhookEventStore, TableOutboundStore; the audit checkpoint container is created apart).
var hubTables = [
  'secrets', 'keys', 'tenancy', 'apikeys', 'audit', 'auditchain', 'rotations', 'jobfailures', 'oauthstates'
  'connections', 'events', 'providers', 'refreshdue', 'webhookevents', 'webhooksources', 'counters'
  'webhookendpoints', 'webhookmessages', 'outboundsends', 'users', 'memberships', 'recoverytokens'
  'invitations'
]
var jobQueues = {
  KeyRotation: '${storagePrefix}-key-rotation'
  DevicePolling: '${storagePrefix}-device-polling'
  WebhookDelivery: '${storagePrefix}-webhook-delivery'
  OutboundSend: '${storagePrefix}-outbound-send'
}
var hubContainers = [ 'locks', 'webhook-events', 'webhook-messages' ]

// Every timer trigger binds %<setting>% and the host resolves it from app settings only: each must be set.
var defaultSchedules = {
  Audit__SealSchedule: '0 */5 * * * *'
  Audit__CleanupSchedule: '0 30 3 * * *'
  KeyWrapping__RotationCheckSchedule: '0 10 * * * *'
  Hub__ApiKeyCleanupSchedule: '0 45 3 * * *'
  Vault__PurgeSchedule: '0 45 3 * * *'
  Vault__ExpiryCheckSchedule: '0 0 4 * * *'
  OAuth__StateCleanupSchedule: '0 */15 * * * *'
  OAuth__RefreshAheadSchedule: '0 */5 * * * *'
  OAuth__ClientSecretExpiryCheckSchedule: '0 15 4 * * *'
  Counters__CleanupSchedule: '0 50 3 * * *'
  Connections__HealthCheckSchedule: '0 0 5 * * *'
  Webhooks__CleanupSchedule: '0 20 4 * * *'
  Webhooks__PoisonDrainSchedule: '0 * * * * *'
  Webhooks__FanOutRecoverySchedule: '30 * * * * *'
  Auth__SessionCleanupSchedule: '0 40 4 * * *'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    storagePrefix: storagePrefix
    tables: hubTables
    queues: map(items(jobQueues), q => q.value)
    containers: hubContainers
    deploymentContainerName: deploymentContainerName
    auditCheckpointRetentionDays: auditCheckpointRetentionDays
  }
}

module vault 'core/security/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    rootKeyName: rootKeyName
    adminKeySecretName: adminKeySecretName
    adminKey: hubAdminKey
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-ihub-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    disableLocalAuth: appInsightsDisableLocalAuth
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    identityName: identityName
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
    rootKeyName: rootKeyName
    adminKeySecretName: adminKeySecretName
    applicationInsightsName: applicationInsightsName
  }
  dependsOn: [ storage, vault, monitoring ]
}

module api 'core/host/functions-flexconsumption.bicep' = {
  name: 'api'
  scope: rg
  params: {
    planName: 'plan-ihub-${resourceToken}'
    appName: functionAppName
    location: location
    tags: tags
    serviceName: 'api'
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    deploymentBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    identityId: identity.outputs.id
    publicBaseUrlSetting: 'Hub__PublicBaseUrl'
    // Flex Consumption sets the runtime in functionAppConfig: FUNCTIONS_WORKER_RUNTIME and
    // FUNCTIONS_EXTENSION_VERSION are not allowed here. ':' in a setting name is spelt '__'.
    appSettings: union(defaultSchedules, scheduleOverrides, {
      // The Functions host's own storage, by identity.
      AzureWebJobsStorage__accountName: storage.outputs.name
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.outputs.clientId
      // Telemetry, sent with the app identity (Monitoring Metrics Publisher on the component).
      APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.outputs.clientId};Authorization=AAD'
      // DefaultAzureCredential (the Key Vault root wrapper) picks the user-assigned identity by this.
      AZURE_CLIENT_ID: identity.outputs.clientId
      // The hub's storage (StorageOptions), by identity. The queue triggers' Connection = "Storage" reads the same
      // section: Storage__queueServiceUri, Storage__credential, Storage__clientId (setting names are case-insensitive).
      Storage__TableServiceUri: storage.outputs.tableEndpoint
      Storage__QueueServiceUri: storage.outputs.queueEndpoint
      Storage__BlobServiceUri: storage.outputs.blobEndpoint
      Storage__ClientId: identity.outputs.clientId
      Storage__credential: 'managedidentity'
      Storage__Prefix: storagePrefix
      Jobs__Queues__KeyRotation: jobQueues.KeyRotation
      Jobs__Queues__DevicePolling: jobQueues.DevicePolling
      Jobs__Queues__WebhookDelivery: jobQueues.WebhookDelivery
      Jobs__Queues__OutboundSend: jobQueues.OutboundSend
      // The root key in Key Vault, never a local root key in Azure.
      KeyWrapping__Provider: 'KeyVault'
      KeyWrapping__KeyId: vault.outputs.rootKeyId
      KeyWrapping__RotationSchedule: keyRotationSchedule
      Hub__AdminKey: '@Microsoft.KeyVault(SecretUri=${vault.outputs.adminKeySecretUri})'
      Audit__Retention: '${auditRetentionDays}.00:00:00'
    })
  }
  // The roles first: the host reaches storage and Key Vault as soon as it starts.
  dependsOn: [ rbac ]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    namePrefix: 'ihub-${resourceToken}'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    alertEmail: alertEmail
    connectionFailureThreshold: connectionFailureThreshold
    authFailureThreshold: authFailureThreshold
    tokenRefreshFailureThreshold: tokenRefreshFailureThreshold
    poisonQueueDepthThreshold: poisonQueueDepthThreshold
    serverErrorPercentThreshold: serverErrorPercentThreshold
    serverErrorMinimumRequests: serverErrorMinimumRequests
  }
}

// azd prints these and keeps them in the environment (.azure/<env>/.env).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output HUB_PUBLIC_BASE_URL string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output AZURE_KEY_VAULT_ENDPOINT string = vault.outputs.uri
output KEYWRAPPING_KEY_ID string = vault.outputs.rootKeyId
output HUB_ADMIN_KEY_SECRET_URI string = vault.outputs.adminKeySecretUri
output AUDIT_CHECKPOINT_CONTAINER string = storage.outputs.auditCheckpointContainerName
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsName
