import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import { type Api, ErrorBody } from '../core/api.js';
import type { SchedulesService } from './service.js';

const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128, description: 'the secret token of the feed URL' }) });

function sendCalendar(reply: FastifyReply, text: string) {
  // Calendar apps poll; a shared cache must never keep a secret-URL response.
  return reply
    .type('text/calendar; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('content-disposition', 'inline; filename="on-call.ics"')
    .send(text);
}

/**
 * The iCalendar (RFC 5545) feeds behind secret token URLs, for Google Calendar, Outlook and Apple
 * Calendar subscriptions. Public: the token is the credential; an unknown token is a 404.
 */
export function registerIcalRoutes(app: Api, deps: { schedules: SchedulesService }): void {
  const { schedules } = deps;
  const tags = ['schedules'];

  app.get(
    '/ical/schedules/:token.ics',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A schedule's final timeline as an iCalendar feed (7 days back to 60 ahead)",
        params: TokenParams,
        response: { 404: ErrorBody },
        security: [],
      },
    },
    async (request, reply) => sendCalendar(reply, await schedules.scheduleFeed(request.params.token)),
  );

  app.get(
    '/ical/people/:token.ics',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A person's shifts across every schedule as an iCalendar feed (7 days back to 60 ahead)",
        params: TokenParams,
        response: { 404: ErrorBody },
        security: [],
      },
    },
    async (request, reply) => sendCalendar(reply, await schedules.personFeed(request.params.token)),
  );
}
