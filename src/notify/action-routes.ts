import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Api } from '../core/api.js';
import type { Clock } from '../core/clock.js';
import type { Executor } from '../db/types.js';
import { escapeHtml } from './templates.js';
import { checkActionLink, consumeActionLink, linkHolderMayAct } from './action-links.js';
import { findIncident } from '../incidents/store.js';
import { messageLocale, statusWord } from './message-words.js';
import { findPersonById } from '../people/store.js';
import type { MessageLocale } from './provider.js';

/** Performs the link's action for the person it was sent to (or as "a signed link" when none). */
export type LinkPerformer = (trx: Executor, input: { incidentId: string; action: 'ack' | 'resolve'; personId: string | null }, now: number) => Promise<void>;

/** The look of the console (Mantine defaults), inline: the page must work without the console build. */
const PAGE_CSS = [
  ':root{color-scheme:light dark;--bg:#f8f9fa;--card:#fff;--text:#212529;--muted:#495057;--border:#dee2e6;--accent:#e8590c}',
  '@media (prefers-color-scheme:dark){:root{--bg:#1a1b1e;--card:#25262b;--text:#e9ecef;--muted:#adb5bd;--border:#373a40}}',
  'body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  'main{width:min(28rem,100% - 2rem);background:var(--card);border:1px solid var(--border);border-radius:12px;padding:1.75rem;box-shadow:0 1px 3px rgba(0,0,0,.06)}',
  'header{display:flex;align-items:center;gap:.5rem;color:var(--muted);font-weight:600;margin-bottom:1rem}',
  'h1{font-size:1.35rem;margin:0 0 .5rem}p{color:var(--muted);margin:.25rem 0 1rem}',
  'button{font:inherit;font-weight:600;padding:.65rem 1.4rem;border:0;border-radius:8px;background:var(--accent);color:#fff;cursor:pointer;width:100%}',
  'button:focus-visible,a:focus-visible{outline:3px solid #228be6;outline-offset:2px}a{color:#1c7ed6}',
].join('');

const BELL =
  '<svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="#e8590c" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6"/><path d="M9 17v1a3 3 0 0 0 6 0v-1"/></svg>';

function page(reply: FastifyReply, status: number, title: string, body: string, locale: MessageLocale = 'en') {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Tocsin</title>` +
        `<link rel="icon" type="image/svg+xml" href="/favicon.svg"><style>${PAGE_CSS}</style>` +
        `</head><body><main><header>${BELL}<span>Tocsin</span></header><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`,
    );
}

/** The page's words in English and Simplified Chinese (issue 13). */
const PAGE_TEXT = {
  en: {
    notUsable: 'Link not usable',
    invalid: 'This link is not valid. It may have been mistyped or forged.',
    expired: 'This link has expired. Open the incident in Tocsin instead.',
    used: 'This link has already been used.',
    noAccess: 'This link can no longer be used: the person it was sent to is deactivated or no longer has access to this incident.',
    verb: { ack: 'Acknowledge', resolve: 'Resolve' },
    confirmTitle: (verb: string, number: string) => `${verb} incident #${number}`,
    doneTitle: { ack: 'Acknowledged', resolve: 'Resolved' },
    done: (number: string, status: string) => `Incident #${number} is now ${status}.`,
    open: 'Open it in Tocsin',
  },
  'zh-CN': {
    notUsable: '链接无法使用',
    invalid: '此链接无效，可能输入有误或被篡改。',
    expired: '此链接已过期，请在 Tocsin 中打开故障处理。',
    used: '此链接已被使用。',
    noAccess: '此链接已无法使用：收到它的人已停用，或已无权访问此故障。',
    verb: { ack: '认领', resolve: '解决' },
    confirmTitle: (verb: string, number: string) => `${verb}故障 #${number}`,
    doneTitle: { ack: '已认领', resolve: '已解决' },
    done: (number: string, status: string) => `故障 #${number} 当前状态：${status}。`,
    open: '在 Tocsin 中打开',
  },
} as const;

/**
 * The page's language: the person the link was sent to (their locale), else the browser's
 * Accept-Language (group-chat links have no person).
 */
async function pageLocale(db: Executor, personId: string | null, acceptLanguage: string | undefined): Promise<MessageLocale> {
  if (personId !== null) {
    const person = await findPersonById(db, personId);
    if (person) return messageLocale(person.locale);
  }
  return messageLocale((acceptLanguage ?? '').split(',')[0]);
}

/**
 * Signed acknowledge/resolve links from emails and IM cards. GET only shows a confirmation page (mail
 * scanners prefetch links, so a GET must never act); the button POSTs, which performs the action once.
 */
export function registerActionLinkRoutes(app: Api, deps: { db: Executor; clock: Clock; perform: LinkPerformer; publicUrl: string }): void {
  const Params = Type.Object({ token: Type.String({ maxLength: 100 }) });
  app.get('/a/:token', { config: { public: true }, schema: { hide: true, params: Params } }, async (request, reply) => {
    const check = await checkActionLink(deps.db, request.params.token, deps.clock.now());
    const locale = await pageLocale(deps.db, check.kind === 'valid' ? check.personId : null, request.headers['accept-language']);
    const text = PAGE_TEXT[locale];
    if (check.kind !== 'valid') return page(reply, check.kind === 'invalid' ? 404 : 410, text.notUsable, `<p>${text[check.kind]}</p>`, locale);
    if (!(await linkHolderMayAct(deps.db, check.personId, check.incidentId))) return page(reply, 403, text.notUsable, `<p>${text.noAccess}</p>`, locale);
    const incident = await findIncident(deps.db, check.incidentId);
    const verb = text.verb[check.action];
    return page(
      reply,
      200,
      text.confirmTitle(verb, String(incident?.number ?? '')),
      `<p>${escapeHtml(incident?.title ?? '')}</p><form method="post"><button type="submit">${verb}</button></form>`,
      locale,
    );
  });

  app.post('/a/:token', { config: { public: true }, schema: { hide: true, params: Params } }, async (request, reply) => {
    const now = deps.clock.now();
    const check = await checkActionLink(deps.db, request.params.token, now);
    const locale = await pageLocale(deps.db, check.kind === 'valid' ? check.personId : null, request.headers['accept-language']);
    const text = PAGE_TEXT[locale];
    if (check.kind !== 'valid') return page(reply, check.kind === 'invalid' ? 404 : 410, text.notUsable, `<p>${text[check.kind]}</p>`, locale);
    // Checked at use, not at sending: the recipient may have been deactivated or moved since.
    if (!(await linkHolderMayAct(deps.db, check.personId, check.incidentId))) return page(reply, 403, text.notUsable, `<p>${text.noAccess}</p>`, locale);
    const done = await deps.db.transaction().execute(async (trx) => {
      if (!(await consumeActionLink(trx, check.id, now))) return false;
      await deps.perform(trx, { incidentId: check.incidentId, action: check.action, personId: check.personId }, now);
      return true;
    });
    if (!done) return page(reply, 410, text.notUsable, `<p>${text.used}</p>`, locale);
    const incident = await findIncident(deps.db, check.incidentId);
    const status = locale === 'en' ? (incident?.status ?? '') : statusWord(locale, incident?.status ?? '');
    return page(
      reply,
      200,
      text.doneTitle[check.action],
      `<p>${escapeHtml(text.done(String(incident?.number ?? ''), status))}</p><p><a href="${escapeHtml(`${deps.publicUrl}/incidents/${check.incidentId}`)}">${text.open}</a></p>`,
      locale,
    );
  });
}
