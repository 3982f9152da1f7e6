import type { Integration } from '../../api/types';
import { sourceInfo } from '../../lib/sources';

/**
 * A copy-paste command that fires a test alert through an integration, or null when the source
 * has no HTTP form (email) or the viewer cannot see the key.
 */
export function testAlertCommand(integration: Integration): string | null {
  const url = integration.push_url;
  const key = integration.integration_key;
  if (!url || !key) return null;
  if (integration.source === 'prometheus') {
    return `curl -sS -X POST '${url}' -H 'Content-Type: application/json' -d '{
  "version": "4", "status": "firing", "receiver": "tocsin", "groupKey": "{}:{alertname=\\"TocsinTest\\"}",
  "alerts": [{
    "status": "firing", "fingerprint": "tocsin-test-1",
    "labels": {"alertname": "TocsinTest", "severity": "critical", "instance": "db-01:9100"},
    "annotations": {"summary": "Test alert from the Tocsin console"},
    "startsAt": "${new Date().toISOString()}"
  }]
}'`;
  }
  if (integration.source === 'standard') {
    return `curl -sS -X POST '${url}' -H 'Content-Type: application/json' -d '{
  "title_rule": "Test alert from the Tocsin console",
  "event_status": "Critical",
  "alert_key": "tocsin-test-1",
  "labels": {"resource": "db-01", "check": "test"}
}'`;
  }
  const snippet = sourceInfo(integration.source).snippet?.({ pushUrl: url, key });
  return snippet && snippet.language === 'sh' ? snippet.code : null;
}
