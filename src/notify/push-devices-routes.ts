import { Type } from 'typebox';
import { type Api, errorResponses, IdParams, NoContent } from '../core/api.js';
import { contextOf } from '../people/request-context.js';
import type { PushDevicesService } from './push-devices-service.js';

const DeviceSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  endpoint_origin: Type.String({ description: 'the push service (https://fcm.googleapis.com, …); the full endpoint never leaves the server' }),
  created_at: Type.Integer(),
  last_success_at: Type.Union([Type.Integer(), Type.Null()]),
});

/** App push on my devices: the key to subscribe with, and my registered devices. */
export function registerPushDeviceRoutes(app: Api, deps: { pushDevices: PushDevicesService }): void {
  const { pushDevices } = deps;

  app.get(
    '/api/v1/me/push/config',
    {
      schema: {
        tags: ['me'],
        summary: 'The VAPID public key the console subscribes this browser with, or why app push is unavailable',
        response: { 200: Type.Object({ available: Type.Boolean(), public_key: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      contextOf(request);
      return pushDevices.config();
    },
  );

  app.get(
    '/api/v1/me/push-devices',
    { schema: { tags: ['me'], summary: 'My devices registered for app push', response: { 200: Type.Object({ data: Type.Array(DeviceSchema) }), ...errorResponses } } },
    async (request) => ({ data: await pushDevices.list(contextOf(request).actor) }),
  );

  app.post(
    '/api/v1/me/push-devices',
    {
      schema: {
        tags: ['me'],
        summary: "Register this browser for app push (the Push API's subscription JSON); the same endpoint again updates it",
        body: Type.Object({
          endpoint: Type.String({ minLength: 1, maxLength: 1024 }),
          keys: Type.Object({ p256dh: Type.String({ maxLength: 128 }), auth: Type.String({ maxLength: 64 }) }),
          expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
          label: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: DeviceSchema, 201: DeviceSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { device, created } = await pushDevices.register(contextOf(request), request.body, request.headers['user-agent']);
      return reply.code(created ? 201 : 200).send(device);
    },
  );

  app.delete(
    '/api/v1/me/push-devices/:id',
    { schema: { tags: ['me'], summary: 'Remove one of my devices from app push', params: IdParams, response: { 204: NoContent, ...errorResponses } } },
    async (request, reply) => {
      await pushDevices.remove(contextOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/push-devices/:id/test',
    {
      schema: {
        tags: ['me'],
        summary: 'Send a test notification to one of my devices now; a device the push service reports gone is removed',
        params: IdParams,
        response: { 200: Type.Object({ status: Type.Union([Type.Literal('sent'), Type.Literal('failed')]), error: Type.Union([Type.String(), Type.Null()]), removed: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) => pushDevices.test(contextOf(request).actor, request.params.id),
  );
}
