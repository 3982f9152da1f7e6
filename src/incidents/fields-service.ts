import type { Clock } from '../core/clock.js';
import { conflict, forbidden, notFound, throwIfInvalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Executor } from '../db/types.js';
import { isUniqueViolation } from '../db/types.js';
import { isAdmin, type Actor } from '../people/model.js';
import { recordAudit, type RequestContext } from '../people/audit.js';
import { FIELDS_MAX, normalizeFieldDefinition, type FieldDefinition, type FieldDefinitionInput, type FieldKind } from './fields-model.js';
import * as actionsStore from './actions-store.js';

/** Every custom field definition, oldest first. */
export async function fieldDefinitions(db: Executor): Promise<FieldDefinition[]> {
  return (await actionsStore.listFields(db)).map((r) => ({ id: r.id, name: r.name, label: r.label, kind: r.kind as FieldKind, options: JSON.parse(r.options_json) as string[] }));
}

/** Custom incident fields: everyone signed in reads them, admins define them (Settings → Custom fields). */
export function createFieldsService(deps: { db: Executor; clock: Clock }) {
  const { db, clock } = deps;

  function mustBeAdmin(actor: Actor): void {
    if (!isAdmin(actor)) throw forbidden('only admins define custom fields');
  }

  async function guardUnique<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('name', 'another custom field has this name');
      throw error;
    }
  }

  return {
    list: (): Promise<FieldDefinition[]> => fieldDefinitions(db),

    async create(ctx: RequestContext, input: FieldDefinitionInput): Promise<FieldDefinition> {
      mustBeAdmin(ctx.actor);
      const normalized = normalizeFieldDefinition(input);
      if (!normalized.ok) throwIfInvalid(normalized.errors);
      const value = (normalized as { ok: true; value: Omit<FieldDefinition, 'id'> }).value;
      const now = clock.now();
      return guardUnique(
        db.transaction().execute(async (trx) => {
          if ((await actionsStore.listFields(trx)).length >= FIELDS_MAX) throw conflict('name', `at most ${FIELDS_MAX} custom fields`);
          const row = { id: newId(now), name: value.name, label: value.label, kind: value.kind, options_json: JSON.stringify(value.options), created_at: now, updated_at: now };
          await actionsStore.insertField(trx, row);
          await recordAudit(trx, ctx, now, { action: 'custom_field.create', targetType: 'custom_field', targetId: row.id, after: value });
          return { id: row.id, ...value };
        }),
      );
    },

    /** Changes label or options (kind stays: stored values would not fit another kind); values of removed options go. */
    async update(ctx: RequestContext, id: string, input: Pick<FieldDefinitionInput, 'label' | 'options' | 'name'>): Promise<FieldDefinition> {
      mustBeAdmin(ctx.actor);
      const now = clock.now();
      return guardUnique(
        db.transaction().execute(async (trx) => {
          const before = (await fieldDefinitions(trx)).find((f) => f.id === id);
          if (!before) throw notFound('custom field');
          const normalized = normalizeFieldDefinition({ name: input.name ?? before.name, label: input.label ?? before.label, kind: before.kind, options: input.options ?? before.options });
          if (!normalized.ok) throwIfInvalid(normalized.errors);
          const value = (normalized as { ok: true; value: Omit<FieldDefinition, 'id'> }).value;
          await actionsStore.updateField(trx, id, { name: value.name, label: value.label, options_json: JSON.stringify(value.options), updated_at: now });
          if (value.kind === 'select' || value.kind === 'multi_select') await actionsStore.deleteFieldValuesNotIn(trx, id, value.options);
          await recordAudit(trx, ctx, now, { action: 'custom_field.update', targetType: 'custom_field', targetId: id, before, after: value });
          return { id, ...value };
        }),
      );
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      mustBeAdmin(ctx.actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const before = await actionsStore.findField(trx, id);
        if (!before) throw notFound('custom field');
        await actionsStore.deleteField(trx, id);
        await recordAudit(trx, ctx, now, { action: 'custom_field.delete', targetType: 'custom_field', targetId: id, before: { name: before.name } });
      });
    },
  };
}

export type FieldsService = ReturnType<typeof createFieldsService>;
