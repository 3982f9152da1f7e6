import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOrSkip } from './requirements.js';

export const ALERTMANAGER = process.env.TOCSIN_ALERTMANAGER ?? '/usr/bin/prometheus-alertmanager';

/** Whether the real Prometheus Alertmanager binary is installed (Debian: prometheus-alertmanager). */
export function alertmanagerAvailable(): boolean {
  return requireOrSkip('Prometheus Alertmanager', existsSync(ALERTMANAGER), `${ALERTMANAGER} not found; apt-get install prometheus-alertmanager`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A real Alertmanager on 127.0.0.1 whose only receiver posts to `webhookUrl`. */
export class Alertmanager {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(webhookUrl: string, options: { groupWait?: string; groupInterval?: string; groupBy?: string[] } = {}): Promise<Alertmanager> {
    const dir = mkdtempSync(join(tmpdir(), 'tocsin-am-'));
    const port = await freePort();
    const config = [
      'route:',
      "  receiver: tocsin",
      `  group_by: [${(options.groupBy ?? ['alertname']).map((g) => `'${g}'`).join(', ')}]`,
      `  group_wait: ${options.groupWait ?? '1s'}`,
      `  group_interval: ${options.groupInterval ?? '1s'}`,
      '  repeat_interval: 4h',
      'receivers:',
      '  - name: tocsin',
      '    webhook_configs:',
      `      - url: '${webhookUrl}'`,
      '        send_resolved: true',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'alertmanager.yml'), config);
    const child = spawn(
      ALERTMANAGER,
      [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return new Alertmanager(url, child, dir);
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`Alertmanager did not start: ${stderr}`);
  }

  /** Posts alerts as Prometheus would (API v2). */
  async fire(alerts: { labels: Record<string, string>; annotations?: Record<string, string>; endsAt?: string; startsAt?: string }[]): Promise<void> {
    const response = await fetch(`${this.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!response.ok) throw new Error(`Alertmanager refused alerts: ${response.status} ${await response.text()}`);
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
