import { describe, expect, it } from 'vitest';
import { normalizeFieldDefinition, normalizeFieldValue, parseFieldFilter, readFieldValue, type FieldDefinition } from './fields-model.js';

const region: FieldDefinition = { id: 'f1', name: 'region', label: 'Region', kind: 'multi_select', options: ['eu', 'us'] };
const tier: FieldDefinition = { id: 'f2', name: 'tier', label: 'Tier', kind: 'select', options: ['gold'] };
const facing: FieldDefinition = { id: 'f3', name: 'facing', label: 'Facing', kind: 'checkbox', options: [] };
const ticket: FieldDefinition = { id: 'f4', name: 'ticket', label: 'Ticket', kind: 'text', options: [] };

describe('custom fields', () => {
  it('validates definitions, reporting every broken field', () => {
    expect(normalizeFieldDefinition({ name: 'Bad Name', label: '', kind: 'dropdown', options: [] })).toEqual({
      ok: false,
      errors: [
        { field: 'name', message: 'must be 1–40 characters: a lower-case letter, then letters, digits or _' },
        { field: 'label', message: 'must be 1–100 characters' },
        { field: 'kind', message: 'must be one of text, select, multi_select, checkbox' },
      ],
    });
    expect(normalizeFieldDefinition({ name: 'tier', label: 'Tier', kind: 'select', options: ['a', 'a'] })).toMatchObject({ ok: false, errors: [{ field: 'options', message: 'must not repeat a choice' }] });
    expect(normalizeFieldDefinition({ name: 'x', label: 'X', kind: 'checkbox', options: ['a'] })).toMatchObject({ ok: false, errors: [{ field: 'options' }] });
    expect(normalizeFieldDefinition({ name: 'tier', label: ' Tier ', kind: 'select', options: [' gold '] })).toEqual({ ok: true, value: { name: 'tier', label: 'Tier', kind: 'select', options: ['gold'] } });
  });

  it('validates values per kind and stores them as strings; null and empties clear', () => {
    expect(normalizeFieldValue(region, ['us', 'eu', 'us'], 'cf')).toEqual({ ok: true, stored: ['us', 'eu'] });
    expect(normalizeFieldValue(region, ['apac'], 'cf')).toMatchObject({ ok: false, error: { field: 'cf' } });
    expect(normalizeFieldValue(tier, 'gold', 'cf')).toEqual({ ok: true, stored: ['gold'] });
    expect(normalizeFieldValue(tier, ['gold'], 'cf')).toMatchObject({ ok: false });
    expect(normalizeFieldValue(facing, 'true', 'cf')).toMatchObject({ ok: false });
    expect(normalizeFieldValue(facing, false, 'cf')).toEqual({ ok: true, stored: ['false'] });
    expect(normalizeFieldValue(ticket, '  ', 'cf')).toEqual({ ok: true, stored: [] });
    expect(normalizeFieldValue(ticket, null, 'cf')).toEqual({ ok: true, stored: [] });
  });

  it('reads stored strings back as the kind’s value, multi-select in option order', () => {
    expect(readFieldValue(region, ['us', 'eu'])).toEqual(['eu', 'us']);
    expect(readFieldValue(facing, ['false'])).toBe(false);
    expect(readFieldValue(facing, [])).toBeNull();
    expect(readFieldValue(ticket, ['OPS-1'])).toBe('OPS-1');
  });

  it('parses list filters against the defined fields', () => {
    expect(parseFieldFilter('region=eu', [region])).toEqual({ ok: true, value: { fieldId: 'f1', value: 'eu' } });
    expect(parseFieldFilter('ticket=a=b', [ticket])).toEqual({ ok: true, value: { fieldId: 'f4', value: 'a=b' } });
    expect(parseFieldFilter('facing=maybe', [facing])).toMatchObject({ ok: false, error: { field: 'custom_field' } });
    expect(parseFieldFilter('colour=red', [region])).toMatchObject({ ok: false });
  });
});
