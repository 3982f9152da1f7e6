/**
 * The one place that talks HTTP to the Tocsin API: adds the CSRF header, speaks JSON,
 * and turns the server's error envelope into a typed ApiError.
 */

export const API_BASE = '/api/v1';

const CSRF_COOKIE = 'tocsin_csrf';
const CSRF_HEADER = 'X-CSRF-Token';

/** Error codes the server promises in `error.code`; anything else is kept as a plain string. */
export type ApiErrorCode =
  | 'InvalidParameter'
  | 'Unauthorized'
  | 'AccessDenied'
  | 'ResourceNotFound'
  | 'Conflict'
  | 'RequestTooFrequently'
  | 'InternalError'
  | 'NetworkError';

/** A failed API call, carrying what the server said about it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode | (string & {});
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(init: { status: number; code: string; message: string; field?: string; requestId?: string }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.requestId = init.requestId;
  }
}

/** True when `error` is an ApiError with the given HTTP status. */
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
// a browser that blocks the cookie from JS (unusual, but possible) still gets a working session.
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

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Set for calls where a 401 is an expected answer (sign-in, "who am I"), not an expired session. */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; field?: unknown };
  request_id?: unknown;
}

function asOptionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function toApiError(response: Response): Promise<ApiError> {
  let envelope: ErrorEnvelope = {};
  try {
    envelope = (await response.json()) as ErrorEnvelope;
  } catch {
    // A proxy or a crash may answer with HTML; fall back to the status line below.
  }
  const field = asOptionalString(envelope.error?.field);
  const requestId = asOptionalString(envelope.request_id);
  return new ApiError({
    status: response.status,
    code: asOptionalString(envelope.error?.code) ?? (response.status >= 500 ? 'InternalError' : 'InvalidParameter'),
    message: asOptionalString(envelope.error?.message) ?? `${response.status} ${response.statusText || 'Request failed'}`,
    ...(field !== undefined ? { field } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  });
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const token = readCsrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'NetworkError', message: 'Cannot reach the Tocsin server. Check your connection.' });
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (error.status === 401 && !options.allowUnauthorized) unauthorizedListener?.();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
