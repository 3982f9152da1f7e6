/** Placeholder replaced below. */
import type { Bundle } from './model.js';
import { VendorError, type VendorFetch, type Json } from './vendor-http.js';

export async function readGrafanaOncall(http: VendorFetch): Promise<Json> {
  return http.get('/');
}

export function grafanaOncallBundle(_account: Json, _now: number): Bundle {
  throw new VendorError('importing from this tool is not available yet');
}
