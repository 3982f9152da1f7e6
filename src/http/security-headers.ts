import type { Api } from '../core/api.js';

/**
 * The console's Content-Security-Policy. Scripts only from our own origin (the built console has no
 * inline script); styles also inline, because Mantine writes its CSS variables into a <style> element
 * and components set style attributes. Images may come from alert sources (https:, data:). No page may
 * frame the console (clickjacking on acknowledge/resolve buttons).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The interactive API reference (/docs) runs Swagger UI, whose page starts it with an inline script;
 * it gets the same policy with inline scripts allowed, and nothing else.
 */
const DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");

/**
 * Security headers on every response, API and console alike: no MIME sniffing, no framing, no
 * Referer leaving the site (action-link and iCalendar URLs carry secrets), and the CSP on HTML.
 */
export function installSecurityHeaders(app: Api): void {
  app.addHook('onSend', async (request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      const docs = (request.routeOptions.url ?? '').startsWith('/docs');
      void reply.header('content-security-policy', docs ? DOCS_POLICY : CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
}
