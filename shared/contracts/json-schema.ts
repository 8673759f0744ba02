/** JSON Schema (draft 2020-12) of every device payload, for device makers who don't use TypeScript. */
import { z } from 'zod';
import { Device } from './fleet.ts';
import { COMMAND_CHANNEL, COMMAND_SCHEMA, DEVICE_CHANNELS, DEVICE_CHANNEL_NAMES, TOPIC_ROOT } from './topics.ts';

export interface SchemaDocument {
  /** File name under docs/contracts/. */
  file: string;
  schema: Record<string, unknown>;
}

const fileFor = (channel: string): string => `${channel.replaceAll('/', '-')}.schema.json`;

function document(name: string, topic: string, description: string, schema: z.ZodType): SchemaDocument {
  return {
    file: fileFor(name),
    schema: {
      $id: `https://binpulse.dev/contracts/v1/${fileFor(name)}`,
      title: name,
      description: `${description}. Topic: ${topic}`,
      ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }),
    },
  };
}

export function contractSchemaDocuments(): SchemaDocument[] {
  const channels = DEVICE_CHANNEL_NAMES.map((channel) => {
    const spec = DEVICE_CHANNELS[channel];
    const retained = spec.retained ? ', retained' : '';
    return document(
      channel,
      `${TOPIC_ROOT}/<deviceId>/${channel} (published by: ${spec.publishers.join(', ')}${retained})`,
      spec.summary,
      spec.schema,
    );
  });
  return [
    ...channels,
    document(COMMAND_CHANNEL, `${TOPIC_ROOT}/<deviceId>/${COMMAND_CHANNEL} (the device subscribes)`, 'A command sent to a device', COMMAND_SCHEMA),
    document('device', 'fleet registry record (HTTP API)', 'A provisioned device', Device),
  ];
}
