export { createApp, mockLocals, type AppOptions, type MockLocals } from './app.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
export { seedData, DEFAULT_SEED, DEFAULT_SIZES } from './world/seed.js';
export { openStore, StoreOpenError } from './store/open-store.js';
export { createLogger, type Logger, type LogFormat } from './http/logger.js';
export type { StoreData, SeedSizes } from './domain/model.js';
