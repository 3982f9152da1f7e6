/**
 * Per-channel template overrides (SPEC §8.3): storage, the use case of editing them (channel managers
 * only, audited), a live preview against a real recent incident of the channel, and rendering a
 * message with the channel's override — falling back to the default, with a timeline note, when the
 * override fails at render time (e.g. it would produce more than the renderer's output cap).
 */
import type { Clock } from '../core/clock.js';
import { invalid, throwIfInvalid } from '../core/errors.js';
import { cachedRows } from '../db/precompiled.js';
import type { Executor } from '../db/types.js';
import type { ChannelsService } from '../channels/service.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import type { Actor } from '../people/model.js';
import { insertTimeline, type IncidentRow } from '../incidents/store.js';
import { incidentViewOf } from './incident-view.js';
import type { MessageDraft, NotificationMethod, OutboundMessage, RenderedContent } from './provider.js';
import { defaultTemplates, renderContent, renderMessage, sampleIncident, validateTemplates, type MethodTemplates } from './templates.js';

export const TEMPLATE_METHODS: readonly NotificationMethod[] = ['sms', 'voice', 'email', 'push', 'im', 'webhook'];

export interface ChannelTemplate {
  readonly method: NotificationMethod;
  readonly override: Partial<MethodTemplates>;
  readonly defaults: MethodTemplates;
  readonly updatedAt: number | null;
}

function overrideOf(row: { subject: string | null; text: string | null; html: string | null } | undefined): Partial<MethodTemplates> {
  if (!row) return {};
  return { ...(row.subject !== null ? { subject: row.subject } : {}), ...(row.text !== null ? { text: row.text } : {}), ...(row.html !== null ? { html: row.html } : {}) };
}

/** The stored override of `method` for a channel ({} when none). */
export async function findOverride(db: Executor, channelId: string, method: string): Promise<Partial<MethodTemplates>> {
  const [row] = await cachedRows(db, 'channel_templates:override', [channelId, method], () =>
    db.selectFrom('channel_templates').select(['subject', 'text', 'html']).where('channel_id', '=', channelId).where('method', '=', method),
  );
  return overrideOf(row);
}

/**
 * Renders a delivery's message with its channel's override and the provider's limit. A failing
 * override falls back to the default and says so on the incident's timeline.
 */
export async function renderForChannel(
  db: Executor,
  draft: MessageDraft,
  incident: IncidentRow,
  maxTextLength: number | undefined,
  now: number,
  readOverride: (channelId: string, method: string) => Promise<Partial<MethodTemplates>> = (channelId, method) => findOverride(db, channelId, method),
): Promise<OutboundMessage> {
  const overrides = draft.kind === 'verification' || draft.kind === 'bundle' ? {} : await readOverride(incident.channel_id, draft.method);
  const { message, errors } = renderMessage(draft, { overrides, ...(maxTextLength ? { textLimit: { unit: 'chars', max: maxTextLength } } : {}) });
  if (errors.length > 0) await insertTimeline(db, incident.id, now, 'template_fallback', { method: draft.method, errors: errors.map((e) => `${e.field}: ${e.message}`) });
  return message;
}

function isMethod(value: string): value is NotificationMethod {
  return (TEMPLATE_METHODS as readonly string[]).includes(value);
}

/** Editing and previewing a channel's templates. */
export function createChannelTemplatesService(deps: { db: Executor; clock: Clock; channels: ChannelsService; publicUrl: string }) {
  const { db } = deps;
  const method = (value: string): NotificationMethod => {
    if (!isMethod(value)) throw invalid('method', `must be one of ${TEMPLATE_METHODS.join(', ')}`);
    return value;
  };

  return {
    /** Every method's override and default for a channel the actor can see. */
    async list(actor: Actor, channelId: string): Promise<ChannelTemplate[]> {
      await deps.channels.get(actor, channelId);
      const rows = await db.selectFrom('channel_templates').selectAll().where('channel_id', '=', channelId).execute();
      return TEMPLATE_METHODS.map((m) => {
        const row = rows.find((r) => r.method === m);
        return { method: m, override: overrideOf(row), defaults: defaultTemplates(m), updatedAt: row ? Number(row.updated_at) : null };
      });
    },

    /** Stores an override (channel managers); an empty part means "use the default". */
    async put(ctx: RequestContext, channelId: string, methodName: string, input: Partial<Record<'subject' | 'text' | 'html', string>>): Promise<ChannelTemplate> {
      // Who may change it first: a caller who may not learns nothing from validation errors.
      await deps.channels.getManageable(ctx.actor, channelId);
      const m = method(methodName);
      const parts = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')) as Partial<MethodTemplates>;
      throwIfInvalid(validateTemplates(m, parts, 'templates'));
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await deps.channels.getManageable(ctx.actor, channelId, trx);
        const before = await findOverride(trx, channelId, m);
        await trx.deleteFrom('channel_templates').where('channel_id', '=', channelId).where('method', '=', m).execute();
        if (Object.keys(parts).length > 0)
          await trx
            .insertInto('channel_templates')
            .values({ channel_id: channelId, method: m, subject: parts.subject ?? null, text: parts.text ?? null, html: parts.html ?? null, updated_at: now, updated_by: ctx.actor.person.id })
            .execute();
        await recordAudit(trx, ctx, now, { action: 'channel.template_update', targetType: 'channel', targetId: channelId, before: { method: m, ...before }, after: { method: m, ...parts } });
      });
      return { method: m, override: parts, defaults: defaultTemplates(m), updatedAt: Object.keys(parts).length > 0 ? now : null };
    },

    /**
     * Renders unsaved templates against the channel's most recent incident (a sample when it has none),
     * as a trigger message: what the next page would look like, and the errors that would fall back.
     */
    async preview(actor: Actor, channelId: string, methodName: string, input: Partial<Record<'subject' | 'text' | 'html', string>>) {
      const m = method(methodName);
      await deps.channels.get(actor, channelId);
      const parts = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')) as Partial<MethodTemplates>;
      const problems = validateTemplates(m, parts, 'templates');
      const recent = await db.selectFrom('incidents').selectAll().where('channel_id', '=', channelId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      const view = recent ? await incidentViewOf(db, deps.publicUrl, recent as IncidentRow) : sampleIncident(deps.publicUrl);
      const draft: MessageDraft = { id: 'preview', idempotencyKey: 'preview', method: m, recipient: { kind: 'person', personId: actor.person.id, name: actor.person.name, address: '' }, kind: 'trigger', incident: view, escalationLevel: 1 };
      const { content, errors } = renderContent(draft, problems.length > 0 ? {} : { overrides: parts });
      const rendered: RenderedContent = content;
      return { incident_id: recent?.id ?? null, content: rendered, errors: [...problems, ...errors] };
    },
  };
}

export type ChannelTemplatesService = ReturnType<typeof createChannelTemplatesService>;
