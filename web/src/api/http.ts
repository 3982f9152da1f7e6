/**
 * The one place that talks HTTP to the Tocsin API: a typed openapi-fetch client (paths, params
 * and bodies checked against schema.d.ts) plus the CSRF header, and `call()`, which turns the
 * server's error envelope into a typed ApiError.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

const CSRF_COOKIE = 'tocsin_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

/** Error codes the server promises in `error.code`, plus NetworkError for an unreachable server. */
export type ApiErrorCode =
  | 'InvalidParameter'
  | 'Unauthorized'
  | 'AccessDenied'
  | 'ResourceNotFound'
  | 'Conflict'
  | 'RequestTooFrequently'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'NetworkError';

/** A failed API call, carrying what the server said about it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | (string & {});
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(init: { status: number; code: string; message: string; field?: string | undefined; requestId?: string | undefined }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.requestId = init.requestId;
  }
}

/** True when `error` is an ApiError, optionally with the given HTTP status. */
export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/**
 * Registers what happens when a session expires mid-use. Kept as a callback so this module
 * stays free of routing and React.
 */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

// The CSRF cookie is the source of truth, but the token returned by login/setup is kept too:
// a browser that hides the cookie from JS still gets a working session.
let csrfFromResponse: string | null = null;

/** Remembers the CSRF token the server returned with a new session. */
export function rememberCsrfToken(token: string | null): void {
  csrfFromResponse = token;
}

function readCsrfToken(): string | null {
  const prefix = `${CSRF_COOKIE}=`;
  for (const part of document.cookie.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return decodeURIComponent(trimmed.slice(prefix.length));
  }
  return csrfFromResponse;
}

/** The server refuses any state-changing request without the CSRF token (403). */
const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    if (request.method === 'GET' || request.method === 'HEAD') return request;
    const token = readCsrfToken();
    if (token) request.headers.set(CSRF_HEADER, token);
    return request;
  },
};

/** The typed API client. Paths are the full server paths, e.g. `/api/v1/channels`. */
export const api = createClient<paths>({ credentials: 'same-origin', headers: { Accept: 'application/json' } });
api.use(csrfMiddleware);

/**
 * Server-written sentences (an incident's timeline) come in the console's language: the person's
 * chosen locale, which may differ from the browser's own Accept-Language.
 */
const languageMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', document.documentElement.lang || 'en');
    return request;
  },
};
api.use(languageMiddleware);

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; field?: unknown };
  request_id?: unknown;
}

function asOptionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toApiError(response: Response, body: unknown): ApiError {
  // A proxy or a crash may answer with HTML or nothing; fall back to the status line then.
  const envelope: ErrorEnvelope = typeof body === 'object' && body !== null ? (body as ErrorEnvelope) : {};
  return new ApiError({
    status: response.status,
    code: asOptionalString(envelope.error?.code) ?? (response.status >= 500 ? 'InternalError' : 'InvalidParameter'),
    message: asOptionalString(envelope.error?.message) ?? `${response.status} ${response.statusText || 'Request failed'}`,
    field: asOptionalString(envelope.error?.field),
    requestId: asOptionalString(envelope.request_id),
  });
}

export interface CallOptions {
  /** Set for calls where a 401 is an expected answer (sign-in, "who am I"), not an expired session. */
  allowUnauthorized?: boolean;
}

/** What every openapi-fetch call resolves to, reduced to the parts `call` reads. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an `api.GET/POST/...` call and returns its data (undefined for 204), or throws ApiError.
 * Usage: `call(api.GET('/api/v1/channels/{id}', { params: { path: { id } } }))`.
 */
export async function call<T>(pending: Promise<FetchResult<T>>, options: CallOptions = {}): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'NetworkError', message: 'Cannot reach the Tocsin server. Check your connection.' });
  }
  if (!result.response.ok) {
    const error = toApiError(result.response, result.error);
    if (error.status === 401 && !options.allowUnauthorized) unauthorizedListener?.();
    throw error;
  }
  return result.data as T;
}

/** Empty strings mean "no filter" in the console; the API wants the parameter left out. */
export function optional(value: string | null | undefined): string | undefined {
  return value ? value : undefined;
}
