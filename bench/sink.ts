import { createServer, type Server } from 'node:http';

/** A webhook receiver on 127.0.0.1 that notes when each notification arrived, by path and incident title. */
export class ArrivalSink {
  readonly arrivals = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<ArrivalSink> {
    const holder: { sink?: ArrivalSink } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const at = Date.now();
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { incident?: { title?: string } };
          const key = `${request.url ?? ''}|${body.incident?.title ?? ''}`;
          if (!holder.sink?.arrivals.has(key)) holder.sink?.arrivals.set(key, at);
        } catch {
          // not a notification; ignore
        }
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    holder.sink = new ArrivalSink(server, `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    return holder.sink;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
