import '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { type Api, errorResponses, NoContent, PageParams } from '../core/api.js';
import { pageLoaded, pageRequest } from '../db/pagination.js';
import type { AuthService, IssuedSession } from './auth-service.js';
import type { PeopleService } from './service.js';
import type { TeamsService } from './teams-service.js';
import { ApiKeySchema, MeSchema, presentPerson } from './present.js';
import { clientOf, contextOf, CSRF_COOKIE, SESSION_COOKIE } from './request-context.js';
import type { Person } from './model.js';

export interface AuthRoutesDeps {
  readonly auth: AuthService;
  readonly people: PeopleService;
  readonly teams: TeamsService;
  /** Send cookies only over HTTPS when the public URL is HTTPS. */
  readonly secureCookies: boolean;
}

const Credentials = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 256 }),
});

const SignedIn = Type.Object({ user: MeSchema, csrf_token: Type.String() });

/** Sign-in, first-run setup and the caller's own account ("me"). */
export function registerAuthRoutes(app: Api, deps: AuthRoutesDeps): void {
  const { auth, people, teams } = deps;

  async function presentMe(person: Person) {
    return { ...presentPerson(person), teams: await teams.teamsOf(person.id) };
  }

  function setSessionCookies(reply: FastifyReply, session: IssuedSession): void {
    // Max-Age, not Expires: the browser counts from its own clock, so server/client clock skew cannot expire it early.
    const maxAge = Math.max(0, Math.floor((session.expiresAt - session.issuedAt) / 1000));
    const common = { path: '/', sameSite: 'lax' as const, secure: deps.secureCookies, maxAge };
    reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
    reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
  }

  app.get(
    '/api/v1/setup',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Whether the first administrator must still be created', response: { 200: Type.Object({ needs_setup: Type.Boolean() }) } } },
    async () => ({ needs_setup: await auth.needsSetup() }),
  );

  app.post(
    '/api/v1/setup',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Create the first administrator (only while none exists) and sign in',
        body: Type.Object({
          email: Type.String({ maxLength: 254 }),
          name: Type.String({ maxLength: 100 }),
          password: Type.String({ maxLength: 256 }),
          // The language chosen on the setup page (the browser's by default), so the console keeps speaking it after sign-in.
          locale: Type.Optional(Type.String({ maxLength: 16 })),
        }),
        response: { 201: SignedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await auth.setup(request.body, clientOf(request));
      setSessionCookies(reply, session);
      return reply.code(201).send({ user: await presentMe(session.person), csrf_token: session.csrfToken });
    },
  );

  app.post(
    '/api/v1/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign in with email and password', body: Credentials, response: { 200: SignedIn, ...errorResponses } } },
    async (request, reply) => {
      const session = await auth.login(request.body, clientOf(request));
      setSessionCookies(reply, session);
      return { user: await presentMe(session.person), csrf_token: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'End the current session', response: { 204: NoContent } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token && request.auth?.sessionId) await auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get('/api/v1/me', { schema: { tags: ['me'], summary: 'The signed-in person', response: { 200: MeSchema, ...errorResponses } } }, async (request) =>
    presentMe((await people.get(contextOf(request).actor.person.id))),
  );

  app.patch(
    '/api/v1/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Update my profile; a changed phone must be verified again',
        body: Type.Object({
          name: Type.Optional(Type.String({ maxLength: 100 })),
          phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 32 })])),
          time_zone: Type.Optional(Type.String({ maxLength: 64 })),
          locale: Type.Optional(Type.String({ maxLength: 16 })),
        }),
        response: { 200: MeSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { name, phone, time_zone, locale } = request.body;
      return presentMe(await people.updateProfile(contextOf(request), { name, phone: phone === '' ? null : phone, timeZone: time_zone, locale }));
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['me'],
        summary: 'Change my password (signs out my other sessions)',
        body: Type.Object({ current_password: Type.String({ maxLength: 256 }), new_password: Type.String({ maxLength: 256 }) }),
        response: { 204: NoContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      await auth.changePassword(contextOf(request), request.auth?.sessionId, request.body.current_password, request.body.new_password);
      return reply.code(204).send(null);
    },
  );

  const ContactKind = Type.Union([Type.Literal('email'), Type.Literal('phone')]);

  app.post(
    '/api/v1/me/verifications',
    {
      schema: {
        tags: ['me'],
        summary: 'Send a one-time code to my email or phone',
        body: Type.Object({ kind: ContactKind }),
        response: { 202: Type.Object({ kind: ContactKind, expires_at: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await people.startVerification(contextOf(request), request.body.kind)),
  );

  app.post(
    '/api/v1/me/verifications/confirm',
    {
      schema: {
        tags: ['me'],
        summary: 'Confirm a contact with the code that was sent',
        body: Type.Object({ kind: ContactKind, code: Type.String({ maxLength: 16 }) }),
        response: { 200: MeSchema, ...errorResponses },
      },
    },
    async (request) => presentMe(await people.confirmVerification(contextOf(request), request.body.kind, request.body.code)),
  );

  app.get(
    '/api/v1/me/api-keys',
    {
      schema: {
        tags: ['me'],
        summary: 'My API keys (never the secret)',
        querystring: PageParams,
        response: { 200: Type.Object({ data: Type.Array(ApiKeySchema), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => pageLoaded(await auth.listApiKeys(contextOf(request).actor.person.id), pageRequest(request.query.limit, request.query.cursor), (k) => k, (k) => k.id),
  );

  app.post(
    '/api/v1/me/api-keys',
    {
      schema: {
        tags: ['me'],
        summary: 'Create an API key (not with an API key); the key is shown in this response only',
        body: Type.Object({
          name: Type.String({ maxLength: 100 }),
          scope: Type.Optional(Type.Union([Type.Literal('full'), Type.Literal('read')], { description: "full (default): the owner's rights; read: GET requests only" })),
          expires_at: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'unix ms after which the key stops working; absent or null = never' })),
        }),
        response: { 201: Type.Object({ ...ApiKeySchema.properties, key: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const { name, scope, expires_at } = request.body;
      return reply.code(201).send(await auth.createApiKey(ctx, ctx.actor.person.id, name, { scope, expiresAt: expires_at }));
    },
  );

  app.delete(
    '/api/v1/me/api-keys/:id',
    { schema: { tags: ['me'], summary: 'Revoke one of my API keys', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await auth.revokeApiKey(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
