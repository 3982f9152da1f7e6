/** A response as tests look at it. */
export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

type Json = Record<string, unknown> | unknown[] | null;

/**
 * An HTTP client that behaves like the console: keeps cookies, and echoes the CSRF cookie as
 * X-CSRF-Token on writes (unless told not to). With `apiKey` it behaves like a script instead.
 */
export class ApiClient {
  private readonly cookies = new Map<string, string>();
  sendCsrf = true;

  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  /** A client that authenticates with an API key and no cookies. */
  withApiKey(key: string): ApiClient {
    return new ApiClient(this.baseUrl, key);
  }

  get<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path);
  }
  post<T = Record<string, unknown>>(path: string, body?: Json): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }
  patch<T = Record<string, unknown>>(path: string, body: Json): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body);
  }
  put<T = Record<string, unknown>>(path: string, body: Json): Promise<ApiResponse<T>> {
    return this.request<T>('PUT', path, body);
  }
  delete<T = Record<string, unknown>>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>('DELETE', path);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The status of a GET whose body may never end (Server-Sent Events): the request is dropped once the headers arrive. */
  async streamStatus(path: string): Promise<number> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const controller = new AbortController();
    const response = await fetch(`${this.baseUrl}${path}`, { headers, signal: controller.signal });
    controller.abort();
    return response.status;
  }

  async request<T>(method: string, path: string, body?: Json, extraHeaders: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('tocsin_csrf');
    if (this.sendCsrf && csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    const text = await response.text();
    const parsed = text && (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as T) : (text as unknown as T);
    return { status: response.status, body: parsed, headers: response.headers };
  }
}
