import type { Api } from '../core/api.js';
import { AppError } from '../core/errors.js';
import { parseBoundedJson } from '../core/json.js';

/**
 * JSON, plain text (AWS SNS posts JSON as text/plain) and HTML-form bodies (Nagios), each keeping
 * the raw text on `request.rawBody` for signature checks.
 */
export function installBodyParsers(app: Api): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);

  app.addContentTypeParser(['application/json', 'application/*+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    if (text.trim() === '') return done(new AppError('InvalidParameter', 'body: must not be empty', 'body'));
    const parsed = parseBoundedJson(text);
    if (parsed.ok) done(null, parsed.value);
    else done(new AppError('InvalidParameter', `body: ${parsed.reason}`, 'body'));
  });

  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    done(null, text);
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    done(null, Object.fromEntries(new URLSearchParams(text)));
  });
}
