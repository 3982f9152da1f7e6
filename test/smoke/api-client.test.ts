import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_PATH, generatedClientTypes } from '../../scripts/openapi-document.js';

describe('the console API client', () => {
  it('is generated from the current OpenAPI document (run `npm run api:generate` after API changes)', async () => {
    expect(readFileSync(CLIENT_TYPES_PATH, 'utf8')).toBe(await generatedClientTypes());
  });
});
