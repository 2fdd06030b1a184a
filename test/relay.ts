/**
 * A TCP relay in front of a real upstream, for tests of an upstream that goes away while the
 * portal runs: `cut()` closes the listener and every connection through it, so from then on
 * nothing listens where the portal reaches the upstream — as when the upstream is stopped — while
 * the upstream itself stays up for the other tests.
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface Relay {
  /** http://127.0.0.1:<port>, where the portal is pointed. */
  url: string;
  cut(): Promise<void>;
}

export async function relayTo(upstream: URL): Promise<Relay> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const target = createConnection({ host: upstream.hostname, port: Number(upstream.port) });
    track(client);
    track(target);
    client.pipe(target).pipe(client);
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
