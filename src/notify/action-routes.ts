import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import { escapeHtml } from './templates.js';
import { checkActionLink, consumeActionLink, linkHolderMayAct, type LinkCheck } from './action-links.js';
import { findIncident } from '../incidents/store.js';

/** Performs the link's action for the person it was sent to (or as "a signed link" when none). */
export type LinkPerformer = (trx: Executor, input: { incidentId: string; action: 'ack' | 'resolve'; personId: string | null }, now: number) => Promise<void>;

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Tocsin</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:10vh auto;padding:0 1rem;color:#1f2328}h1{font-size:1.4rem}button{font-size:1rem;padding:.7rem 1.4rem;border:0;border-radius:.4rem;background:#d9480f;color:#fff;cursor:pointer}</style>` +
        `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

const PROBLEMS: Record<Exclude<LinkCheck['kind'], 'valid'>, string> = {
  invalid: 'This link is not valid. It may have been mistyped or forged.',
  expired: 'This link has expired. Open the incident in Tocsin instead.',
  used: 'This link has already been used.',
};

const NO_ACCESS = 'This link can no longer be used: the person it was sent to is deactivated or no longer has access to this incident.';

/**
 * Signed acknowledge/resolve links from emails and IM cards. GET only shows a confirmation page (mail
 * scanners prefetch links, so a GET must never act); the button POSTs, which performs the action once.
 */
export function registerActionLinkRoutes(app: Api, deps: { db: Executor; clock: Clock; perform: LinkPerformer; publicUrl: string }): void {
  const Params = Type.Object({ token: Type.String({ maxLength: 100 }) });
  const verb = (action: 'ack' | 'resolve') => (action === 'ack' ? 'Acknowledge' : 'Resolve');

  app.get('/a/:token', { config: { public: true }, schema: { hide: true, params: Params } }, async (request, reply) => {
    const check = await checkActionLink(deps.db, request.params.token, deps.clock.now());
    if (check.kind !== 'valid') return page(reply, check.kind === 'invalid' ? 404 : 410, 'Link not usable', `<p>${PROBLEMS[check.kind]}</p>`);
    if (!(await linkHolderMayAct(deps.db, check.personId, check.incidentId))) return page(reply, 403, 'Link not usable', `<p>${NO_ACCESS}</p>`);
    const incident = await findIncident(deps.db, check.incidentId);
    const title = `${verb(check.action)} incident #${incident?.number ?? ''}`;
    return page(
      reply,
      200,
      title,
      `<p>${escapeHtml(incident?.title ?? '')}</p><form method="post"><button type="submit">${verb(check.action)}</button></form>`,
    );
  });

  app.post('/a/:token', { config: { public: true }, schema: { hide: true, params: Params } }, async (request, reply) => {
    const now = deps.clock.now();
    const check = await checkActionLink(deps.db, request.params.token, now);
    if (check.kind !== 'valid') return page(reply, check.kind === 'invalid' ? 404 : 410, 'Link not usable', `<p>${PROBLEMS[check.kind]}</p>`);
    // Checked at use, not at sending: the recipient may have been deactivated or moved since.
    if (!(await linkHolderMayAct(deps.db, check.personId, check.incidentId))) return page(reply, 403, 'Link not usable', `<p>${NO_ACCESS}</p>`);
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await consumeActionLink(trx, check.id, now))) return false;
      await deps.perform(trx, { incidentId: check.incidentId, action: check.action, personId: check.personId }, now);
      return true;
    });
    if (!done) return page(reply, 410, 'Link not usable', `<p>${PROBLEMS.used}</p>`);
    const incident = await findIncident(deps.db, check.incidentId);
    return page(reply, 200, check.action === 'ack' ? 'Acknowledged' : 'Resolved', `<p>Incident #${incident?.number ?? ''} is now ${escapeHtml(incident?.status ?? '')}.</p><p><a href="${escapeHtml(`${deps.publicUrl}/incidents/${check.incidentId}`)}">Open it in Tocsin</a></p>`);
  });
}
