import { Badge, type MantineColor } from '@mantine/core';
import type { IncidentStatus } from '../api/types';

/** Severity colours used everywhere: the badge, the list's colour bar, the timeline. */
export const SEVERITY_COLORS: Record<string, MantineColor> = { Critical: 'red', Warning: 'orange', Info: 'blue', Ok: 'teal' };

export function severityColor(severity: string): MantineColor {
  return SEVERITY_COLORS[severity] ?? 'gray';
}

export function SeverityBadge({ severity, size = 'sm' }: { severity: string; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color={severityColor(severity)} variant="light" size={size} data-testid="severity-badge">
      {severity}
    </Badge>
  );
}

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = { triggered: 'Triggered', processing: 'Processing', closed: 'Closed' };
const STATUS_COLORS: Record<IncidentStatus, MantineColor> = { triggered: 'red', processing: 'yellow', closed: 'gray' };

export function IncidentStatusBadge({ status, size = 'sm' }: { status: IncidentStatus; size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'closed' ? 'outline' : 'filled'} size={size} data-testid="incident-status-badge">
      {INCIDENT_STATUS_LABELS[status]}
    </Badge>
  );
}

/** An alert's condition: recovered, or its severity, plus silenced / inhibited / flapping marks. */
export function AlertStateBadges({ status, state, flapping }: { status: string; state: string; flapping: boolean }) {
  return (
    <>
      {status === 'Ok' ? (
        <Badge color="teal" variant="light" size="sm">
          Recovered
        </Badge>
      ) : (
        <SeverityBadge severity={status} />
      )}
      {state === 'silenced' && (
        <Badge color="gray" variant="outline" size="sm">
          Silenced
        </Badge>
      )}
      {state === 'inhibited' && (
        <Badge color="violet" variant="outline" size="sm">
          Inhibited
        </Badge>
      )}
      {flapping && (
        <Badge color="pink" variant="outline" size="sm">
          Flapping
        </Badge>
      )}
    </>
  );
}
