import { describe, expect, it } from 'vitest';
import type { Log } from '../core/log.js';
import { DevCodeBox } from './dev-codes.js';

function recordingLog(): { log: Log; lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (_fields: unknown, message?: string) => void lines.push({ level, message: message ?? '' });
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } as unknown as Log;
  return { log, lines };
}

const message = { person: { id: 'p1', name: 'Ada' }, kind: 'email' as const, target: 'ada@example.com', code: '123456' };

describe('DevCodeBox', () => {
  it('keeps and logs the code in dev mode', async () => {
    const { log, lines } = recordingLog();
    const box = new DevCodeBox(true, log);
    await box.sender(message as Parameters<DevCodeBox['sender']>[0]);
    expect(box.codeFor('p1', 'email')?.code).toBe('123456');
    expect(lines).toEqual([{ level: 'info', message: 'verification code issued (dev mode)' }]);
  });

  it('says nothing outside dev mode: the notification layer delivers the code and warns itself when it cannot', async () => {
    const { log, lines } = recordingLog();
    const box = new DevCodeBox(false, log);
    await box.sender(message as Parameters<DevCodeBox['sender']>[0]);
    expect(box.codeFor('p1', 'email')).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
