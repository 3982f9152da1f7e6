import { Code, ScrollArea } from '@mantine/core';

/** Pretty-prints JSON text; anything else (form bodies, plain text) is shown as received. */
export function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

export function JsonBlock({ payload, maxHeight = 320 }: { payload: string; maxHeight?: number }) {
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" offsetScrollbars>
      <Code block fz="xs" style={{ whiteSpace: 'pre' }}>
        {prettyPayload(payload)}
      </Code>
    </ScrollArea.Autosize>
  );
}
