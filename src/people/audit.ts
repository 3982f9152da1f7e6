import type { Executor } from '../db/types.js';
import type { PageRequest } from '../db/pagination.js';
import { newId } from '../core/ids.js';
import type { Actor } from './model.js';

/** Who did something and under which request; passed to every service call that changes state. */
export interface RequestContext {
  readonly actor: Actor;
  readonly requestId: string;
}

/** One configuration change or action, with the state before and after. */
export interface AuditEntry {
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly before?: object | null;
  readonly after?: object | null;
}

export interface AuditRecord {
  readonly id: string;
  readonly actor_id: string | null;
  readonly actor_name: string;
  readonly action: string;
  readonly target_type: string;
  readonly target_id: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly request_id: string | null;
  readonly created_at: number;
}

/** Writes an audit entry; call it inside the transaction that makes the change. */
export async function recordAudit(db: Executor, ctx: RequestContext | null, now: number, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId(now),
      actor_id: ctx?.actor.person.id ?? null,
      actor_name: ctx?.actor.person.name ?? 'system',
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      before_json: entry.before ? JSON.stringify(entry.before) : null,
      after_json: entry.after ? JSON.stringify(entry.after) : null,
      request_id: ctx?.requestId ?? null,
      created_at: now,
    })
    .execute();
}

/** Newest first; the cursor carries the last id seen. */
export async function listAudit(db: Executor, page: PageRequest, filter: { targetType?: string; targetId?: string }): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (page.after) query = query.where('id', '<', page.after[1]);
  const rows = await query.orderBy('id', 'desc').limit(page.limit + 1).execute();
  return rows.map((row) => ({
    id: row.id,
    actor_id: row.actor_id,
    actor_name: row.actor_name,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    before: row.before_json ? (JSON.parse(row.before_json) as unknown) : null,
    after: row.after_json ? (JSON.parse(row.after_json) as unknown) : null,
    request_id: row.request_id,
    created_at: row.created_at,
  }));
}
