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
  const app = await createApp(options);
  const { store } = mockLocals(app);
  const host = options.host ?? '127.0.0.1';
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
