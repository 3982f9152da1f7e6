/**
 * A cheaper `fetch` for the page path (ADR 0070). Node's `fetch` builds WHATWG Request, Headers,
 * streams and abort plumbing around every call; at a thousand pages a second that was a quarter of
 * the server's CPU. Calls that need none of it — an absolute URL, a string body (or none), redirects
 * not followed (`redirect: 'manual'`, what every provider asks for) — go straight to the undici
 * dispatcher's `request`, and the answer is handed back as a real `Response`. Anything else goes
 * through `fetch` as before. Errors read like fetch's ("fetch failed", the cause attached).
 */
import type { Dispatcher } from 'undici';

/** Vendors answer small JSON; a larger answer is cut (only a snippet of it is ever read). */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Statuses whose Response may not have a body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

type Init = NonNullable<Parameters<typeof fetch>[1]>;

/** Whether `lightFetch` can serve this call exactly as fetch would. */
export function servesDirectly(input: Parameters<typeof fetch>[0], init: Init | undefined): boolean {
  if (!init || init.redirect !== 'manual') return false;
  if (typeof input !== 'string' && !(input instanceof URL)) return false;
  return init.body === undefined || init.body === null || typeof init.body === 'string';
}

function flatHeaders(headers: Init['headers'], hasBody: boolean): string[] {
  const flat: string[] = [];
  if (headers instanceof Headers) headers.forEach((value, name) => flat.push(name, value));
  else if (Array.isArray(headers)) for (const [name, value] of headers as [string, string][]) flat.push(name, value);
  else if (headers) for (const [name, value] of Object.entries(headers)) for (const v of typeof value === 'string' ? [value] : value) flat.push(name, v);
  // fetch labels a string body text/plain unless told otherwise; so does this.
  if (hasBody && !flat.some((v, i) => i % 2 === 0 && v.toLowerCase() === 'content-type')) flat.push('content-type', 'text/plain;charset=UTF-8');
  return flat;
}

async function readCapped(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= MAX_RESPONSE_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES);
}

/** Sends through `dispatcher` with undici's `request`; call only when `servesDirectly` says so. */
export async function lightFetch(dispatcher: Dispatcher, input: string | URL, init: Init): Promise<Response> {
  const url = typeof input === 'string' ? new URL(input) : input;
  const body = typeof init.body === 'string' ? init.body : undefined;
  let answer: Dispatcher.ResponseData;
  try {
    answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
      headers: flatHeaders(init.headers, body !== undefined),
      body,
      signal: init.signal ?? undefined,
    });
  } catch (error) {
    throw new TypeError('fetch failed', { cause: error });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  const status = answer.statusCode;
  if (NULL_BODY.has(status)) {
    answer.body.resume();
    return new Response(null, { status, headers });
  }
  const bytes = await readCapped(answer.body);
  return new Response(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { status, headers });
}
