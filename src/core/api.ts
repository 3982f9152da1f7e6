import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';

/**
 * What every routes.ts file shares: the typed Fastify instance and the common schemas. Types and
 * data only; the HTTP setup itself lives in http/.
 */
export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The body exactly as received (for webhook signature checks). */
    rawBody?: string;
  }
}

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable error code, e.g. InvalidParameter' }),
      message: Type.String({ description: 'what is wrong, naming the field and the rule' }),
      field: Type.Optional(Type.String({ description: 'the field at fault, dotted (labels.host)' })),
    }),
    request_id: Type.String(),
  },
  { description: 'Error envelope' },
);

/** The error responses most endpoints can give, for the OpenAPI description. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
} as const;

export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'page size, default 50' })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'case-insensitive substring search' })),
});

/** `{data: [...], next_cursor}` of a list endpoint. */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ data: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const NoContent = Type.Null({ description: 'No content' });

/** `?limit=&cursor=` of a list without search. */
export const PageParams = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'page size, default 50' })),
  cursor: Type.Optional(Type.String({ description: 'next_cursor of the previous page' })),
});
