import { Stack, Text } from '@mantine/core';

/**
 * The server's plain-language reading of a rule: one line per severity when levels name methods
 * ("Critical alerts: call Alice now; …"), else one "All alerts: …" line. The part before the first
 * colon (「：」 in Chinese) is emphasised so the eye finds the severity.
 */
export function RuleSummary({ summary, testId, dimmed = false }: { summary: string; testId?: string; dimmed?: boolean }) {
  return (
    <Stack gap={4} data-testid={testId}>
      {summary.split('\n').map((line, i) => {
        const colon = /: |：/.exec(line)?.index ?? -1;
        return (
          <Text key={i} size="sm" c={dimmed ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
            {colon > 0 ? (
              <>
                <Text span inherit fw={700}>
                  {line.slice(0, colon + 1)}
                </Text>
                {line.slice(colon + 1)}
              </>
            ) : (
              line
            )}
          </Text>
        );
      })}
    </Stack>
  );
}
