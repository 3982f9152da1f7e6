import { Type } from 'typebox';
import { type Api, errorResponses } from '../core/api.js';
import { forbidden } from '../core/errors.js';
import { isAdmin } from '../people/model.js';
import { contextOf } from '../people/request-context.js';
import type { DemoResult } from './demo.js';

const DemoSummary = Type.Object({
  teams: Type.Integer(),
  people: Type.Integer(),
  channels: Type.Integer(),
  incidents: Type.Integer(),
});

/** The console's "Explore with demo data" button: seeds the demo organisation as the admin who asked. */
export function registerDemoRoutes(app: Api, deps: { seed: (actorId: string) => Promise<DemoResult> }): void {
  app.post(
    '/api/v1/demo',
    {
      schema: {
        tags: ['system'],
        summary: 'Seed a demo organisation (admins): two teams, four people, schedules, three channels, rules and four days of incidents; nobody is paged',
        response: { 201: DemoSummary, ...errorResponses },
      },
    },
    async (request, reply) => {
      const context = contextOf(request);
      if (!isAdmin(context.actor)) throw forbidden('only administrators can seed the demo');
      const result = await deps.seed(context.actor.person.id);
      return reply.code(201).send({ teams: result.teams, people: result.people, channels: result.channels, incidents: result.incidents });
    },
  );
}
