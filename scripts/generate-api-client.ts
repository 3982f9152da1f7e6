import { writeFileSync } from 'node:fs';
import { CLIENT_TYPES_PATH, generatedClientTypes } from './openapi-document.js';

// Regenerates the console's API types; test/smoke/api-client.test.ts fails when they are stale.
writeFileSync(CLIENT_TYPES_PATH, await generatedClientTypes());
console.log(`wrote ${CLIENT_TYPES_PATH}`);
