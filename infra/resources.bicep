// The resources of one HitlFunctions environment. Every data path uses the user-assigned identity: the storage
// account takes no shared keys, Application Insights takes no instrumentation-key-only ingestion, and secrets are
// Key Vault references resolved by the platform with the same identity.

param location string
param tags object
@description('uniqueString() of the subscription, environment and location: 13 characters.')
@minLength(13)
@maxLength(13)
param resourceToken string
param principalId string
param entraClientId string
@secure()
param entraClientSecret string
param linkSigningKeyIds string[]
@secure()
param linkSigningKey string
param emailFrom string
param smtpHost string
param smtpPort int
param smtpSecurity string
param smtpUserName string
@secure()
param smtpPassword string
param aiProvider string
param aiEndpoint string
param aiModel string
@secure()
param aiApiKey string

@description('The task hub: host.json\'s hubName, overridden here so every Durable setting of the deployed app is in this file.')
param outboundAllowed string
param taskHub string = 'HitlFunctions'

@description('Deliveries of one outbox message before it goes to the poison queue: Notifications:MaxAttempts and host.json\'s queues.maxDequeueCount, which must agree.')
param notificationMaxAttempts int = 5

@description('The most instances Flex Consumption scales the app out to.')
param maximumInstanceCount int = 40

var functionAppName = 'func-${resourceToken}'
var deploymentContainer = 'app-package-${take(functionAppName, 32)}'
var signingKeyId = last(linkSigningKeyIds)

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${resourceToken}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource blobServices 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Flex Consumption runs the package azd uploads to this container.
resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobServices
  name: deploymentContainer
}

// The Functions host (leases, secrets, the deployment package), Durable's Azure Storage provider (control and work
// item queues, history and instance tables, large payloads in blobs), the approval ledger (a table) and the
// notification outbox (a queue and a table of sent-markers) all use this account through the identity.
var storageRoles = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

resource appStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storage.id, identity.id, role)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource userStorageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: if (!empty(principalId)) {
  name: guid(storage.id, principalId, role)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Telemetry is accepted only with an Entra ID token: the app's identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).
    DisableLocalAuth: true
  }
}

resource telemetryAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource userSecretsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Only the signing key is written; keys listed before it keep the secrets earlier deployments wrote, so a rotation
// adds a key without touching the ones that still verify links in flight.
resource signingKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'link-key-${signingKeyId}'
  properties: { value: linkSigningKey }
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smtpPassword)) {
  parent: vault
  name: 'smtp-password'
  properties: { value: smtpPassword }
}

resource aiApiKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(aiApiKey)) {
  parent: vault
  name: 'ai-api-key'
  properties: { value: aiApiKey }
}

resource entraClientSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(entraClientSecret)) {
  parent: vault
  name: 'entra-client-secret'
  properties: { value: entraClientSecret }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
  dependsOn: [appStorageAccess]
}

var publicBaseUrl = 'https://${app.properties.defaultHostName}'

// Key Vault references resolve with keyVaultReferenceIdentity; an optional secret that was not given is an empty
// setting, which the options treat as unset.
var secretReference = 'SecretUri=${vault.properties.vaultUri}secrets'

// Links:SigningKeys is a list: one Id and one Secret setting per key, in the order given, so the last one signs.
var linkKeySettings = reduce(range(0, length(linkSigningKeyIds)), {}, (settings, i) => union(settings, {
  'Links__SigningKeys__${i}__Id': linkSigningKeyIds[i]
  'Links__SigningKeys__${i}__Secret': '@Microsoft.KeyVault(${secretReference}/link-key-${linkSigningKeyIds[i]})'
}))

// Every setting the app reads, in one place; HitlFunctions.Tests.Deployment checks that each option the code binds
// is named here.
var appSettings = {
  // The Functions host, Durable's Azure Storage provider, the ledger and the outbox: identity-based storage.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'

  // host.json's Durable and queue settings, so they are changed here rather than in the package.
  AzureFunctionsJobHost__extensions__durableTask__hubName: taskHub
  AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval: '00:00:01'
  AzureFunctionsJobHost__extensions__queues__maxDequeueCount: string(notificationMaxAttempts)
  Ledger__TableName: '${taskHub}Approvals'

  // App Service Authentication strips client-sent X-MS-CLIENT-PRINCIPAL headers and sets them for signed-in users,
  // so here, and only here, the app may believe them.
  Identity__EasyAuth__Enabled: 'true'

  // Sign-in by emailed link remembers used links in process memory: one instance only, so not on a scaled-out app.
  // People sign in through Easy Auth here.
  Identity__SignIn__Enabled: 'false'

  // OpenTelemetry: the app's traces and metrics to Application Insights, sent with the identity's Entra ID token.
  Telemetry__Exporters: 'AzureMonitor'
  Telemetry__ServiceName: 'HitlFunctions'
  Telemetry__OtlpEndpoint: ''
  Telemetry__OtlpProtocol: 'Grpc'
  Telemetry__AzureMonitor__ConnectionString: insights.properties.ConnectionString
  Telemetry__AzureMonitor__Credential: 'managedidentity'
  Telemetry__AzureMonitor__ClientId: identity.properties.clientId
  Telemetry__PendingRefreshInterval: '00:00:30'

  Workflows__Folder: 'Workflows'
  // Settings that may be shown to people and models (none by default); the others are used only in shipped URLs.
  Workflows__PublicSettings__0: ''
  // The outbound allowlist; an empty entry allows nothing.
  Outbound__Allowed__0: outboundAllowed

  AI__Provider: aiProvider
  AI__Endpoint: aiEndpoint
  AI__Model: aiModel
  AI__ApiKey: empty(aiApiKey) ? '' : '@Microsoft.KeyVault(${secretReference}/ai-api-key)'

  Links__PublicBaseUrl: publicBaseUrl
  Links__ExpiryGrace: '3.00:00:00'
  Links__FormLifetime: '12:00:00'
  Links__MaxFailuresPerWindow: '20'
  Links__FailureWindow: '00:10:00'
  Links__RefusalFloor: '00:00:00.100'
  // The Functions host relays each request to the worker over loopback and appends the front end's view of the
  // client to X-Forwarded-For: that right-most entry, and nothing a client wrote left of it, is the client.
  ForwardedHeaders__KnownProxies__0: '127.0.0.1'
  ForwardedHeaders__KnownProxies__1: '::1'

  // The timer function that raises recorded but undelivered decisions again (NCRONTAB with seconds).
  Approvals__RedeliverySchedule: '*/30 * * * * *'

  Notifications__Queue: 'AzureStorage'
  // Empty: the outbox uses AzureWebJobsStorage, i.e. the identity-based settings above.
  Notifications__ConnectionString: ''
  Notifications__QueueName: 'hitl-notifications'
  Notifications__SentTableName: 'HitlNotificationsSent'
  Notifications__MaxAttempts: string(notificationMaxAttempts)
  Notifications__SendAttempts: '3'
  Notifications__SendRetryDelay: '00:00:01'
  Notifications__MaxPerRecipient: '30'
  Notifications__RecipientWindow: '01:00:00'

  // Flood limits, checked when a workflow or monitor starts.
  Limits__MinReminderInterval: '00:15:00'
  Limits__MinLevelTimeout: '00:05:00'
  Limits__MaxApproversPerLevel: '25'
  Limits__MaxLevels: '5'
  Limits__MaxNotificationsPerWorkflow: '200'

  Email__Delivery: empty(smtpHost) ? 'Pickup' : 'Smtp'
  Email__From: emailFrom
  Email__PickupFolder: '/tmp/hitl-mail'
  Email__TemplateFolder: 'EmailTemplates'
  Email__Smtp__Host: smtpHost
  Email__Smtp__Port: string(smtpPort)
  Email__Smtp__Security: smtpSecurity
  Email__Smtp__UserName: smtpUserName
  Email__Smtp__Password: empty(smtpPassword) ? '' : '@Microsoft.KeyVault(${secretReference}/smtp-password)'
  Email__Smtp__Timeout: '00:00:30'

  MICROSOFT_PROVIDER_AUTHENTICATION_SECRET: empty(entraClientSecret) ? '' : '@Microsoft.KeyVault(${secretReference}/entra-client-secret)'
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(appSettings, linkKeySettings)
  dependsOn: [secretsAccess, signingKey, smtpPasswordSecret, aiApiKeySecret, entraClientSecretSecret, telemetryAccess]
}

// App Service Authentication with Microsoft Entra ID. Unauthenticated requests still reach the app: emailed links
// carry their own signed token, and each API route decides what it requires; the platform only vouches for who is
// signed in.
resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
      forwardProxy: { convention: 'NoProxy' }
    }
    login: {
      tokenStore: { enabled: false }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          clientSecretSettingName: empty(entraClientSecret) ? null : 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [entraClientId, 'api://${entraClientId}']
        }
      }
    }
  }
}

output functionAppName string = app.name
output keyVaultName string = vault.name
output publicBaseUrl string = publicBaseUrl
