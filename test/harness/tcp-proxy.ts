/**
 * A TCP proxy a test puts between Tocsin and its database, to break the network on purpose:
 *
 *   const proxy = await TcpProxy.start(5432);
 *   proxy.reset();      // every connection, open or new, is reset (RST)
 *   proxy.blackHole();  // connections stay open but nothing gets through (a partition, a dead switch)
 *   proxy.restore();    // traffic flows again; paused connections resume where they were
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'pass' | 'reset' | 'black-hole';

interface Pair {
  readonly client: Socket;
  upstream: Socket | undefined;
}

export class TcpProxy {
  private mode: Mode = 'pass';
  private readonly pairs = new Set<Pair>();
  private server: Server | undefined;
  port = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    proxy.server = createServer((client) => proxy.accept(client));
    await new Promise<void>((resolve) => proxy.server?.listen(0, '127.0.0.1', resolve));
    proxy.port = (proxy.server.address() as AddressInfo).port;
    return proxy;
  }

  /** Resets every open connection and every new one until `restore()`. */
  reset(): void {
    this.mode = 'reset';
    for (const pair of this.pairs) this.drop(pair);
  }

  /** Holds every byte in both directions (open connections stall, new ones never reach the server). */
  blackHole(): void {
    this.mode = 'black-hole';
    for (const pair of this.pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  /** Lets traffic flow again. Connections accepted during a black hole never reached the server: they are reset. */
  restore(): void {
    this.mode = 'pass';
    for (const pair of this.pairs) {
      if (!pair.upstream) {
        this.drop(pair);
        continue;
      }
      pair.client.resume();
      pair.upstream.resume();
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: undefined };
    this.pairs.add(pair);
    client.on('error', () => undefined);
    client.on('close', () => this.drop(pair));
    if (this.mode === 'reset') return this.drop(pair);
    if (this.mode === 'black-hole') {
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    pair.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => this.drop(pair));
    client.pipe(upstream);
    upstream.pipe(client);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.resetAndDestroy();
    pair.upstream?.resetAndDestroy();
  }
}
