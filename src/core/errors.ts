/** Stable error codes of the API envelope (SPEC §3.1, §9). */
export type ErrorCode =
  | 'InvalidParameter'
  | 'InvalidContentType'
  | 'Unauthorized'
  | 'AccessDenied'
  | 'ResourceNotFound'
  | 'Conflict'
  | 'Unroutable'
  | 'PayloadTooLarge'
  | 'RequestTooFrequently'
  | 'InternalError'
  | 'ServiceUnavailable';

const statusOf: Record<ErrorCode, number> = {
  InvalidParameter: 400,
  InvalidContentType: 400,
  Unauthorized: 401,
  AccessDenied: 403,
  ResourceNotFound: 404,
  Conflict: 409,
  Unroutable: 422,
  PayloadTooLarge: 413,
  RequestTooFrequently: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
};

/** An error a user can act on: a stable code, an HTTP status, a message, and the field at fault. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusOf[code];
  }
}

/** One field's broken rule, as returned by every `normalize()`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** 400 naming the field and the rule it broke. */
export function invalid(field: string, rule: string): AppError {
  return new AppError('InvalidParameter', `${field}: ${rule}`, field);
}

/** Throws the first of `errors` as an InvalidParameter (all of them are listed in the message). */
export function throwIfInvalid(errors: readonly FieldError[]): void {
  const [first] = errors;
  if (!first) return;
  const message = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  throw new AppError('InvalidParameter', message, first.field);
}

/** 404 that never says whether the thing exists but is hidden. */
export function notFound(what: string): AppError {
  return new AppError('ResourceNotFound', `${what} not found`);
}

export function forbidden(message: string): AppError {
  return new AppError('AccessDenied', message);
}

export function unauthorized(message = 'sign in or send a valid API key'): AppError {
  return new AppError('Unauthorized', message);
}

export function conflict(field: string, message: string): AppError {
  return new AppError('Conflict', `${field}: ${message}`, field);
}
