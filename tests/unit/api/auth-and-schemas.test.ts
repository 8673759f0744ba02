import { describe, expect, it } from 'vitest';
import { Device, DeviceState } from '../../../shared/contracts/index.ts';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { bearerToken, installAuth } from '../../../services/api/auth.ts';
import { MemoryTokenStore } from '../../support/api-fakes.ts';
import { DeviceOut, DeviceStateOut } from '../../../services/api/schemas.ts';

describe('bearerToken', () => {
  it('reads the token of a Bearer header, scheme case-insensitive', () => {
    expect(bearerToken('Bearer bp_abc')).toBe('bp_abc');
    expect(bearerToken('bearer bp_abc')).toBe('bp_abc');
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwdw==', 'Bearer a b', 'bp_abc'])('finds none in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});

describe('response schemas', () => {
  // The stripping variants must name the same fields as the shared contracts, or the API
  // would silently drop (or never send) a field the contract promises.
  it('DeviceOut and DeviceStateOut mirror the shared shapes', () => {
    expect(Object.keys(DeviceOut.shape).sort()).toEqual(Object.keys(Device.shape).sort());
    expect(Object.keys(DeviceStateOut.shape).sort()).toEqual(Object.keys(DeviceState.shape).sort());
  });
});

describe('installAuth', () => {
  it('refuses an /api route that declares no permission', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installAuth(app, new MemoryTokenStore());
    expect(() => app.get('/api/v1/forgotten', async () => 'open')).toThrow(/declares no permission/);
    app.get('/public', async () => 'fine');
    app.get('/api/v1/guarded', { config: { permission: 'devices:read' } }, async () => 'ok');
    await app.ready();
    expect((await app.inject({ url: '/public' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/guarded' })).statusCode).toBe(401);
    await app.close();
  });
});
