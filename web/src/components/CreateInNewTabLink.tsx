import { Anchor } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import type { ReactNode } from 'react';

/**
 * For a picker whose choices do not exist yet and take a whole page to create (a schedule in an
 * escalation rule): opens that page in a new tab, so the form in this one keeps its draft. The
 * picker's list refreshes when the person comes back (queries refetch on window focus).
 */
export function CreateInNewTabLink({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  return (
    <Anchor href={to} target="_blank" rel="noopener" size="xs" data-testid={testId} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
      {children}
      <IconExternalLink size={12} aria-hidden />
    </Anchor>
  );
}
