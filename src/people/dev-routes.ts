import { Type } from 'typebox';
import { type Api, errorResponses } from '../core/api.js';
import { forbidden, notFound } from '../core/errors.js';
import { isAdmin } from './model.js';
import { contextOf } from './request-context.js';
import type { DevCodeBox } from './dev-codes.js';

/** Dev mode only: lets an administrator read a verification code that could not be delivered. */
export function registerDevRoutes(app: Api, deps: { codes: DevCodeBox; devMode: boolean }): void {
  if (!deps.devMode) return;
  app.get(
    '/api/v1/dev/verification-codes/:person_id/:kind',
    {
      schema: {
        tags: ['dev'],
        summary: 'Last verification code sent to a person (dev mode, admins)',
        params: Type.Object({ person_id: Type.String({ maxLength: 64 }), kind: Type.Union([Type.Literal('email'), Type.Literal('phone')]) }),
        response: { 200: Type.Object({ kind: Type.String(), target: Type.String(), code: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      if (!isAdmin(contextOf(request).actor)) throw forbidden('only administrators may read verification codes');
      const found = deps.codes.codeFor(request.params.person_id, request.params.kind);
      if (!found) throw notFound('verification code');
      return found;
    },
  );
}
