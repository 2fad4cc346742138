// Azure Monitor log alert rules over the hub's Application Insights telemetry. The metric names are the hub's
// OpenTelemetry instruments (meter Integrations.Hub), which the Azure Monitor exporter writes to customMetrics with
// their tags in customDimensions; requests come from the HTTP server spans. The hub raises the same conditions as hub
// events through its outbound pipeline, for users who do not watch Azure Monitor.
param namePrefix string
param location string
param tags object = {}
param applicationInsightsId string

@description('Email address that receives the alerts; empty for none (the rules still fire and show in the portal).')
param alertEmail string = ''

@description('How often each rule runs.')
param evaluationFrequency string = 'PT5M'

@description('The window each rule looks back over.')
param windowSize string = 'PT15M'

@description('Failed connection health checks (hub.connection.checks, outcome=failed) in a window that raise an alert.')
@minValue(1)
param connectionFailureThreshold int

@description('401 and 403 responses in a window that raise an alert (a credential-stuffing or misconfigured-client burst).')
@minValue(1)
param authFailureThreshold int

@description('Failed OAuth token refreshes of one provider in a window (hub.oauth.token_refreshes, outcome=failure) that raise an alert.')
@minValue(1)
param tokenRefreshFailureThreshold int

@description('Messages in one poison queue (hub.queue.poison_messages) that raise an alert.')
@minValue(1)
param poisonQueueDepthThreshold int

@description('Percent of requests answered with a 5xx in a window that raises an alert.')
@minValue(1)
@maxValue(100)
param serverErrorPercentThreshold int

@description('Fewest requests in a window for the 5xx rate to count (one failure of two requests is not an outage).')
@minValue(1)
param serverErrorMinimumRequests int

var actionGroupName = '${namePrefix}-alerts'
var actionGroups = empty(alertEmail) ? [] : [ resourceId('Microsoft.Insights/actionGroups', actionGroupName) ]

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'ihub'
    enabled: true
    emailReceivers: [
      {
        name: 'hub-operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var rules = [
  {
    name: 'connection-failures'
    displayName: 'Integrations Hub: connection health checks failing'
    description: 'Connection health checks failed (hub.connection.checks, outcome=failed): a provider credential was revoked or a provider is down.'
    severity: 2
    query: 'customMetrics | where name == "hub.connection.checks" and tostring(customDimensions.outcome) == "failed" | project timestamp, failures = valueSum'
    timeAggregation: 'Total'
    metricMeasureColumn: 'failures'
    dimensions: []
    threshold: connectionFailureThreshold
  }
  {
    name: 'auth-failures'
    displayName: 'Integrations Hub: burst of 401/403 responses'
    description: 'Many requests were refused as unauthenticated or forbidden: a leaked or revoked key in use, or someone guessing.'
    severity: 2
    query: 'requests | where resultCode in ("401", "403") | summarize denied = count() by bin(timestamp, 1m)'
    timeAggregation: 'Total'
    metricMeasureColumn: 'denied'
    dimensions: []
    threshold: authFailureThreshold
  }
  {
    name: 'token-refresh-failures'
    displayName: 'Integrations Hub: OAuth token refreshes failing'
    description: 'Token refreshes failed for a provider (hub.oauth.token_refreshes, outcome=failure): connections of that provider will stop working when their access tokens expire.'
    severity: 2
    query: 'customMetrics | where name == "hub.oauth.token_refreshes" and tostring(customDimensions.outcome) == "failure" | extend provider = tostring(customDimensions.provider) | project timestamp, provider, failures = valueSum'
    timeAggregation: 'Total'
    metricMeasureColumn: 'failures'
    dimensions: [ { name: 'provider', operator: 'Include', values: [ '*' ] } ]
    threshold: tokenRefreshFailureThreshold
  }
  {
    name: 'poison-queue-depth'
    displayName: 'Integrations Hub: messages in a poison queue'
    description: 'A job queue\'s poison queue holds messages (hub.queue.poison_messages): jobs failed every attempt and need a look (ihub jobs, or the replay endpoints).'
    severity: 2
    query: 'customMetrics | where name == "hub.queue.poison_messages" | extend queue = tostring(customDimensions.queue) | project timestamp, queue, depth = valueMax'
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'depth'
    dimensions: [ { name: 'queue', operator: 'Include', values: [ '*' ] } ]
    threshold: poisonQueueDepthThreshold
  }
  {
    name: 'server-errors'
    displayName: 'Integrations Hub: 5xx rate'
    description: 'The share of requests answered with a 5xx is above the threshold.'
    severity: 1
    query: 'requests | summarize total = count(), failed = countif(toint(resultCode) >= 500) | where total >= ${serverErrorMinimumRequests} | extend failedPercent = 100.0 * failed / total'
    timeAggregation: 'Maximum'
    metricMeasureColumn: 'failedPercent'
    dimensions: []
    threshold: serverErrorPercentThreshold
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [for rule in rules: {
  name: '${namePrefix}-${rule.name}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: rule.displayName
    description: rule.description
    severity: rule.severity
    enabled: true
    scopes: [ applicationInsightsId ]
    evaluationFrequency: evaluationFrequency
    windowSize: windowSize
    criteria: {
      allOf: [
        {
          query: rule.query
          timeAggregation: rule.timeAggregation
          metricMeasureColumn: rule.metricMeasureColumn
          dimensions: rule.dimensions
          operator: 'GreaterThanOrEqual'
          threshold: rule.threshold
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: actionGroups
    }
  }
  dependsOn: [ actionGroup ]
}]

output ruleNames string[] = [for (rule, i) in rules: alertRules[i].name]
output actionGroupId string = empty(alertEmail) ? '' : actionGroup.id
