import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.js';
import type { Api } from '../core/api.js';
import { databaseFaultReason, isDatabaseUnavailable } from '../db/faults.js';

/** Seconds a sender should wait before retrying while the database is unavailable. */
const DATABASE_RETRY_AFTER_S = 5;

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/labels/host` + context → `labels.host`; a missing property names itself. */
function fieldOf(issue: ValidationIssue, context: string | undefined): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.missingProperty;
  const extra = issue.params?.additionalProperty;
  const leaf = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : '';
  const joined = [path, leaf].filter(Boolean).join('.');
  if (joined) return joined;
  return context === 'body' ? 'body' : (context ?? 'request');
}

function ruleOf(issue: ValidationIssue): string {
  if (typeof issue.params?.missingProperty === 'string') return 'is required';
  if (typeof issue.params?.additionalProperty === 'string') return 'is not a known field';
  return issue.message ?? 'is invalid';
}

function send(reply: FastifyReply, request: FastifyRequest, status: number, code: ErrorCode, message: string, field?: string) {
  return reply.code(status).send({ error: { code, message, ...(field && { field }) }, request_id: String(request.id) });
}

/** Every error leaves as the SPEC §9 envelope; nothing internal (stack, SQL) ever reaches a client. */
export function installErrorHandling(app: Api): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds) void reply.header('retry-after', String(error.retryAfterSeconds));
      return send(reply, request, error.status, error.code, error.message, error.field);
    }
    const fastifyError = error as FastifyError & { validationContext?: string };
    if (fastifyError.validation) {
      const issue = (fastifyError.validation[0] ?? {}) as ValidationIssue;
      const field = fieldOf(issue, fastifyError.validationContext);
      return send(reply, request, 400, 'InvalidParameter', `${field}: ${ruleOf(issue)}`, field);
    }
    switch (fastifyError.code) {
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, request, 400, 'InvalidContentType', `Content-Type: ${request.headers['content-type'] ?? '(none)'} is not accepted; send application/json`, 'Content-Type');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, request, 400, 'InvalidParameter', 'body: must not be empty', 'body');
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, request, 400, 'InvalidParameter', 'body: is not valid JSON', 'body');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, request, 413, 'InvalidParameter', 'body: is too large', 'body');
      default:
        break;
    }
    if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
      return send(reply, request, 400, 'InvalidParameter', 'body: is not valid JSON', 'body');
    }
    if (fastifyError.statusCode === 429) return send(reply, request, 429, 'RequestTooFrequently', error.message);
    if (isDatabaseUnavailable(error)) {
      // Not a bug and not the sender's fault: say so, with the real cause in the log, and ask senders
      // (Alertmanager, SDKs) to come back; nothing was stored, so a retry cannot duplicate.
      const reason = databaseFaultReason(error);
      request.log.error({ err: error, reason }, 'database unavailable');
      void reply.header('retry-after', String(DATABASE_RETRY_AFTER_S));
      return send(reply, request, 503, 'ServiceUnavailable', `the database is unavailable (${reason}); nothing was stored, retry in ${DATABASE_RETRY_AFTER_S} s`);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 500, 'InternalError', `internal error; quote request id ${String(request.id)} when reporting it`);
  });
}

/** 404 in the envelope for API paths. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, request, 404, 'ResourceNotFound', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
}
