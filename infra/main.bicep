// HitlFunctions on Azure: one resource group with the Functions app (Flex Consumption) and everything it uses.
// Plain resources in local modules only, so the template builds with no network (no registry modules).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment name; it names the resource group and seeds the resources\' unique names.')
param environmentName string

@minLength(1)
@description('The region of every resource. Flex Consumption is offered in a subset of regions.')
param location string

@description('The deploying user\'s object id (azd sets it): granted data access to storage and Key Vault for troubleshooting and key rotation. Empty grants nothing.')
param principalId string = ''

@minLength(1)
@description('The client (application) id of the Microsoft Entra ID app registration that App Service Authentication signs people in with.')
param entraClientId string

@secure()
@description('The app registration\'s client secret, for the sign-in code flow; empty uses the ID token flow only.')
param entraClientSecret string = ''

@minLength(1)
@description('Ids of the link signing keys, comma-separated, oldest first; the last one signs, every one verifies.')
param linkSigningKeyIds string = 'k1'

@secure()
@minLength(44)
@description('The secret of the last key in linkSigningKeyIds: base64 of 32 random bytes (openssl rand -base64 32). Stored in Key Vault.')
param linkSigningKey string

@description('The sender of approval emails.')
param emailFrom string = 'HitlFunctions <approvals@example.com>'

@description('The SMTP server. Empty: emails are written to a pickup folder in the instance\'s temporary storage (a trial only).')
param smtpHost string = ''

@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@allowed(['StartTls', 'SslOnConnect', 'Auto'])
@description('StartTls for port 587, SslOnConnect for 465.')
param smtpSecurity string = 'StartTls'

param smtpUserName string = ''

@secure()
@description('The SMTP password. Stored in Key Vault.')
param smtpPassword string = ''

@description('The destination action webhooks, monitor checks and remediation may call, as scheme://host:port (https and port 443 when left out); empty: none. Add more as Outbound__Allowed__1 and on.')
param outboundAllowed string = ''

@allowed(['Offline', 'OpenAI', 'AzureOpenAI', 'Ollama'])
param aiProvider string = 'Offline'

param aiEndpoint string = ''

param aiModel string = ''

@secure()
@description('The chat model\'s API key. Stored in Key Vault.')
param aiApiKey string = ''

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: group
  params: {
    location: location
    tags: tags
    resourceToken: toLower(uniqueString(subscription().id, environmentName, location))
    principalId: principalId
    entraClientId: entraClientId
    entraClientSecret: entraClientSecret
    linkSigningKeyIds: split(linkSigningKeyIds, ',')
    linkSigningKey: linkSigningKey
    emailFrom: emailFrom
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUserName: smtpUserName
    smtpPassword: smtpPassword
    aiProvider: aiProvider
    aiEndpoint: aiEndpoint
    aiModel: aiModel
    aiApiKey: aiApiKey
    outboundAllowed: outboundAllowed
  }
}

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output SERVICE_API_URI string = resources.outputs.publicBaseUrl
