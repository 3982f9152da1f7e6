import type { FastifyRequest } from 'fastify';
import type { Api } from '../core/api.js';
import { forbidden, unauthorized } from '../core/errors.js';
import { constantTimeEqual } from '../core/secrets.js';
import type { AuthService } from '../people/auth-service.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../people/request-context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the caller on /api/ paths: an API key (Bearer) or the session cookie. Cookie-authenticated
 * writes must echo the session's CSRF token in X-CSRF-Token, which a cross-site form cannot do.
 */
export function installAuthentication(app: Api, auth: AuthService): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const isPublic = request.routeOptions.config.public === true;
    const bearer = bearerOf(request);
    if (bearer) {
      const actor = await auth.authenticateApiKey(bearer);
      if (!actor) throw unauthorized('the API key is invalid or revoked');
      request.auth = { actor };
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    const session = token ? await auth.authenticateSession(token) : undefined;
    if (session) {
      if (!SAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !constantTimeEqual(sent, session.csrfToken)) {
          throw forbidden('X-CSRF-Token header is missing or does not match this session');
        }
      }
      request.auth = { actor: session.actor, sessionId: session.sessionId };
      return;
    }
    if (!isPublic) throw unauthorized(token ? 'your session has expired; sign in again' : undefined);
  });
}
