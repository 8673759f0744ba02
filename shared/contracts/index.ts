export * from './common.ts';
export * from './box.ts';
export * from './camera.ts';
export * from './device.ts';
export * from './topics.ts';
export * from './fleet.ts';
export * from './api.ts';
export * from './alerts.ts';
