import { Agent, request } from 'node:http';

/** A bounded, concurrent HTTP load generator for 127.0.0.1 targets; it stops by itself. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface LoadRequest {
  readonly url: string;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * One POST over a keep-alive agent; resolves with the status (0 on a network error). node:http is
 * used rather than fetch: on a 2-core machine the generator shares the CPU with the server under
 * test, and fetch costs several times more per request.
 */
export function post(agent: Agent, url: URL, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { agent, method: 'POST', hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Sends `total` requests built by `make(i)` with `concurrency` in flight over keep-alive connections; 2xx counts as success. */
export async function runLoad(total: number, concurrency: number, make: (i: number) => LoadRequest): Promise<LoadResult> {
  const target = new URL(make(0).url);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') throw new Error('load tests only target this machine');
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < total) {
      const i = next;
      next += 1;
      const r = make(i);
      const t0 = performance.now();
      const status = await post(agent, new URL(r.url), r.body, r.headers);
      if (status < 200 || status >= 300) errors += 1;
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    errors,
    seconds: Math.round(seconds * 1000) / 1000,
    perSecond: Math.round((total - errors) / seconds),
    p50Ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99Ms: Math.round(percentile(latencies, 99) * 100) / 100,
  };
}
