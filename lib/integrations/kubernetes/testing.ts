/**
 * For the adapters' integration tests (never imported by the product): the local platform's
 * settings, and servers that misbehave the way a real upstream can.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';

/** Loads the local platform's stack.env (`npm run stack -- up` writes it); variables already set win. */
export function loadStackEnv(): void {
  const file = process.env.PORTAL_ENV_FILE ?? path.resolve(import.meta.dirname, '../../../.data/stack/stack.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** A setting the test cannot run without; missing, the test fails naming the component. */
export function requireSetting(name: string, component: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${component}: ${name} is not set — start the local platform (npm run stack -- up) or set it to a real ${component}`);
  return value;
}

export interface SilentServer {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Accepts connections and never answers (not even a TLS handshake): an upstream that hangs. */
export async function silentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on which nothing listens. */
export async function closedPort(): Promise<number> {
  const server = await silentServer();
  await server.close();
  return server.port;
}
