import { i18next } from '../i18n';
import { useTranslation } from 'react-i18next';
import { Badge, type MantineColor } from '@mantine/core';
import type { IncidentStatus } from '../api/types';

/** Severity colours used everywhere: the badge, the list's colour bar, the timeline. */
export const SEVERITY_COLORS: Record<string, MantineColor> = { Critical: 'red', Warning: 'orange', Info: 'blue', Ok: 'teal' };

export function severityColor(severity: string): MantineColor {
  return SEVERITY_COLORS[severity] ?? 'gray';
}

const SEVERITIES = ['Critical', 'Warning', 'Info', 'Ok'];

/** "Critical" → 严重 in Chinese; unknown values are shown as they are. */
export function severityLabel(severity: string): string {
  return SEVERITIES.includes(severity) ? i18next.t(`common:severity.${severity}`) : severity;
}

export function SeverityBadge({ severity, size = 'sm' }: { severity: string; size?: 'xs' | 'sm' | 'md' }) {
  useTranslation(); // re-render in the new language
  return (
    <Badge color={severityColor(severity)} variant="light" size={size} data-testid="severity-badge" data-severity={severity}>
      {severityLabel(severity)}
    </Badge>
  );
}

/** Read at render time (getters), so the labels follow the console's language. */
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  get triggered() {
    return i18next.t('common:incidentStatus.triggered');
  },
  get processing() {
    return i18next.t('common:incidentStatus.processing');
  },
  get closed() {
    return i18next.t('common:incidentStatus.closed');
  },
};
const STATUS_COLORS: Record<IncidentStatus, MantineColor> = { triggered: 'red', processing: 'yellow', closed: 'gray' };

export function IncidentStatusBadge({ status, size = 'sm' }: { status: IncidentStatus; size?: 'xs' | 'sm' | 'md' }) {
  useTranslation(); // re-render in the new language
  return (
    <Badge color={STATUS_COLORS[status]} variant={status === 'closed' ? 'outline' : 'filled'} size={size} data-testid="incident-status-badge">
      {INCIDENT_STATUS_LABELS[status]}
    </Badge>
  );
}

/** An alert's condition: recovered, or its severity, plus silenced / inhibited / flapping marks. */
export function AlertStateBadges({ status, state, flapping }: { status: string; state: string; flapping: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {status === 'Ok' ? (
        <Badge color="teal" variant="light" size="sm">
          {t('alertState.recovered')}
        </Badge>
      ) : (
        <SeverityBadge severity={status} />
      )}
      {state === 'silenced' && (
        <Badge color="gray" variant="outline" size="sm">
          {t('alertState.silenced')}
        </Badge>
      )}
      {state === 'inhibited' && (
        <Badge color="violet" variant="outline" size="sm">
          {t('alertState.inhibited')}
        </Badge>
      )}
      {flapping && (
        <Badge color="pink" variant="outline" size="sm">
          {t('alertState.flapping')}
        </Badge>
      )}
    </>
  );
}
