import type { FastifyRequest } from 'fastify';

/** Query parameters whose values authenticate someone (integration keys, tokens, signatures). */
const SECRET_PARAM = /key|token|secret|sig|password|code|auth/i;

/** Paths whose last segment is a bearer secret: signed action links and iCalendar feeds. */
const SECRET_PATHS: readonly [RegExp, string][] = [
  [/^\/a\/[^/?#]+/, '/a/***'],
  [/^\/ical\/(schedules|people)\/[^/?#]+?\.ics/, '/ical/$1/***.ics'],
];

/**
 * The URL as the request log may keep it: secret query values and path tokens replaced by `***`
 * (one integration key appeared 5 054 times in a log before this, issue 10 item 8).
 */
export function redactUrl(url: string): string {
  const [path = '', query] = splitOnce(url, '?');
  let safePath = path;
  for (const [pattern, replacement] of SECRET_PATHS) safePath = safePath.replace(pattern, replacement);
  if (query === undefined) return safePath;
  const parts = query.split('&').map((pair) => {
    const [name = '', value] = splitOnce(pair, '=');
    return value !== undefined && SECRET_PARAM.test(safeDecode(name)) ? `${name}=***` : pair;
  });
  return `${safePath}?${parts.join('&')}`;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Pino serializer of `req` for Fastify's request log: the route pattern and the redacted URL. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    route: request.routeOptions?.url ?? null,
    url: redactUrl(request.url ?? ''),
    remoteAddress: request.ip,
  };
}
