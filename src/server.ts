import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { createApp, mockLocals, type AppOptions } from './http/create-app.js';
import type { Store } from './store/store.js';

export interface ServerOptions extends AppOptions {
  /** 0 picks a free port (the default, for tests). */
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  app: Express;
  store: Store;
  server: Server;
  /** Stops accepting, ends open connections, and flushes the store. */
  close(): Promise<void>;
}

/** createApp + listen: the mock on a real port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.adminToken === undefined) {
    // /__admin can replace every byte of the store: never open it to a network unguarded.
    throw new Error(`refusing to listen on ${host} without an admin token (--admin-token): /__admin would be open to the network`);
  }
  const app = await createApp(options);
  const { store } = mockLocals(app);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    app,
    store,
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.persist();
    },
  };
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
