/**
 * Bounds for JSON from the outside world. `JSON.parse` and every recursive walk after it (flattening
 * PagerDuty `custom_details`, stringifying Opsgenie `details`) recurse once per nesting level, so a
 * 10 000-deep body overflows the stack. Measuring the depth on the text first is linear and never recurses.
 */

/** Deepest nesting any accepted JSON body may have; real payloads stay below 10. */
export const JSON_MAX_DEPTH = 64;

/** The deepest `[`/`{` nesting of a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
}

/** Parses JSON text, refusing bodies nested deeper than `maxDepth`; the error says which rule broke. */
export function parseBoundedJson(text: string, maxDepth = JSON_MAX_DEPTH): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (jsonDepth(text) > maxDepth) return { ok: false, reason: `is nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'is not valid JSON' };
  }
}
