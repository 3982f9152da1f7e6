import { useTranslation } from 'react-i18next';
import { asEscalationSpec } from '../../api/specs';
import type { EscalationRule } from '../../api/types';
import { localRuleSummary } from './localSummary';
import { useTargetOptions } from './useTargetOptions';

/**
 * A rule in plain language. In English it is the server's own summary (the check that the saved rule
 * says what was meant); in another language the console composes the same reading from the saved spec,
 * with the names it knows.
 */
export function useRuleSummary(rule: EscalationRule | null): string {
  const { i18n } = useTranslation('escalation');
  const options = useTargetOptions();
  if (!rule) return '';
  if (i18n.language === 'en') return rule.summary;
  // Until the names are known the reading would show ids; it appears once they are.
  if (options.loading) return '…';
  const names = new Map([...options.people, ...options.teams, ...options.schedules, ...options.groupChats].map((o) => [o.value, o.label]));
  return localRuleSummary(asEscalationSpec(rule.spec), (id) => names.get(id));
}
