import type { FastifyRequest } from 'fastify';
import type { Api } from '../core/api.js';
import { forbidden, unauthorized } from '../core/errors.js';
import { constantTimeEqual } from '../core/secrets.js';
import type { AuthService } from '../people/auth-service.js';
import { CSRF_HEADER, SESSION_COOKIE, type AuthState } from '../people/request-context.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** What the credentials of a request prove: a caller, nobody (none sent), or why they were refused. */
type Resolution = { readonly auth: AuthState } | { readonly none: true } | { readonly refused: Error };

async function resolveCaller(request: FastifyRequest, auth: AuthService): Promise<Resolution> {
  const bearer = bearerOf(request);
  if (bearer) {
    const key = await auth.authenticateApiKey(bearer);
    if (!key) return { refused: unauthorized('the API key is invalid, expired or revoked') };
    if (key.readOnly && !SAFE_METHODS.has(request.method)) return { refused: forbidden('this API key is read-only; it may only read (GET)') };
    return { auth: { actor: key.actor, apiKeyId: key.id, readOnly: key.readOnly } };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return { none: true };
  const session = await auth.authenticateSession(token);
  if (!session) return { refused: unauthorized('your session has expired; sign in again') };
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !constantTimeEqual(sent, session.csrfToken)) {
      return { refused: forbidden('X-CSRF-Token header is missing or does not match this session') };
    }
  }
  return { auth: { actor: session.actor, sessionId: session.sessionId } };
}

/**
 * Resolves the caller of every route from an API key (Bearer) or the session cookie. Which routes
 * need a caller is decided by the route's own configuration (`config.public`), never by its URL: a
 * route is private unless it says otherwise, so a new route cannot be exposed by a path typo.
 * Cookie-authenticated writes must echo the session's CSRF token in X-CSRF-Token, which a cross-site
 * form cannot do. On public routes (sign-in, ingest with its own keys, action links) credentials are
 * optional and bad ones are ignored: an integration key sent as `Bearer` is not an API key.
 */
export function installAuthentication(app: Api, auth: AuthService): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    // Unknown paths fall through to the not-found handler (the console's page fallback, or a 404).
    if (request.is404) return;
    const isPublic = request.routeOptions.config.public === true;
    const resolution = await resolveCaller(request, auth);
    if ('auth' in resolution) {
      request.auth = resolution.auth;
      return;
    }
    if (isPublic) return;
    if ('refused' in resolution) throw resolution.refused;
    throw unauthorized();
  });
}

/** Marks every route registered in `scope` public (third-party plugins such as the API reference UI). */
export function markRoutesPublic(scope: Api): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
}
