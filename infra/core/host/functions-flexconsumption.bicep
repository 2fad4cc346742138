// A Flex Consumption (FC1) plan and a Linux function app on it, running as a user-assigned identity: the deployment
// package, the host's storage and Key Vault references all authenticate with that identity, never with a key.
param planName string
param appName string
param location string
param tags object = {}

@description('The azd service this app deploys (azure.yaml services.<name>).')
param serviceName string

param runtimeName string
param runtimeVersion string

@description('Memory per instance (MB): 512, 2048 or 4096.')
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int

@description('Most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Blob endpoint of the storage account that holds the deployment container.')
param deploymentBlobEndpoint string
param deploymentContainerName string

param identityId string

@description('App settings, all but the public base URL.')
param appSettings object

@description('The setting that receives https://{the app\'s default host name} (Hub__PublicBaseUrl).')
param publicBaseUrlSetting string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references (Hub:AdminKey) resolve with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${deploymentBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
}

// No publishing with user names and passwords: azd deploys through the deployment container with Entra ID.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: { allow: false }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: { allow: false }
}

// A separate resource because the public URL is the app's own default host name (Flex Consumption apps get a unique
// one, not always <name>.azurewebsites.net), which the site cannot reference in its own definition.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(appSettings, { '${publicBaseUrlSetting}': 'https://${app.properties.defaultHostName}' })
}

output name string = app.name
output id string = app.id
output defaultHostName string = app.properties.defaultHostName
output uri string = 'https://${app.properties.defaultHostName}'
output planName string = plan.name
