/**
 * The reference of the ingest benchmark: aedes as it comes (no authentication, no journal,
 * no pipeline) with a no-op subscriber on every device topic, in its own process like the
 * platform. Prints {"port": N} on stdout when listening.
 */
import { createServer } from 'node:net';
import { Aedes } from 'aedes';
import { ALL_DEVICE_TOPICS } from '../../shared/contracts/index.ts';

const broker = await Aedes.createBroker();
broker.subscribe(ALL_DEVICE_TOPICS, (_packet, callback) => callback(), () => {});
const server = createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
});
