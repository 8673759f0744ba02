/** Payloads published by street camera points (智慧探头). */
import { z } from 'zod';
import { DETECTION_TYPES } from '../vocabulary.ts';
import { EventId, Timestamp } from './common.ts';

export { DETECTION_TYPES };

export const CameraHeartbeat = z.strictObject({
  ts: Timestamp,
  streamOk: z.boolean(),
  frameRate: z.number().min(0).max(120),
  uptimeS: z.int().min(0),
});
export type CameraHeartbeat = z.infer<typeof CameraHeartbeat>;

export const DetectionType = z.enum(DETECTION_TYPES);
export type DetectionType = z.infer<typeof DetectionType>;

/**
 * One observed case. A camera sends phase 'start' once, 'update' while it persists and
 * 'end' when it is gone, all with the same eventId.
 */
export const CameraDetection = z.strictObject({
  ts: Timestamp,
  eventId: EventId,
  phase: z.enum(['start', 'update', 'end']),
  type: DetectionType,
  confidence: z.number().min(0).max(1),
  zone: z.string().min(1).max(64),
  snapshotRef: z.string().min(1).max(256),
});
export type CameraDetection = z.infer<typeof CameraDetection>;
