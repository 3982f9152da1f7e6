import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../core/errors.js';
import type { Actor } from './model.js';
import type { RequestContext } from './audit.js';

/** What the auth hook found out about the caller. */
export interface AuthState {
  readonly actor: Actor;
  readonly sessionId?: string | undefined;
  /** Set when an API key authenticated the request. */
  readonly apiKeyId?: string | undefined;
  /** A read-scoped API key: only safe methods pass the auth hook. */
  readonly readOnly?: boolean | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthState | null;
  }
}

/** The signed-in caller and request id, or a 401 for anonymous callers. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.auth) throw unauthorized();
  return { actor: request.auth.actor, requestId: String(request.id) };
}

/** Client details recorded with a new session. */
export function clientOf(request: FastifyRequest): { userAgent: string; ip: string } {
  return { userAgent: request.headers['user-agent'] ?? '', ip: request.ip };
}

/** The HttpOnly session cookie, and the readable cookie the console echoes as X-CSRF-Token. */
export const SESSION_COOKIE = 'tocsin_session';
export const CSRF_COOKIE = 'tocsin_csrf';
export const CSRF_HEADER = 'x-csrf-token';
