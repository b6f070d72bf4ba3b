export { createApp, mockLocals, type AppOptions, type MockLocals } from './app.js';
export { startServer, type RunningServer, type ServerOptions } from './server.js';
export { seedData, DEFAULT_SEED, DEFAULT_SIZES } from './world/seed.js';
export { openStore, StoreOpenError } from './store/open-store.js';
export { createLogger, type Logger, type LogFormat } from './http/logging/logger.js';
export type { StoreData, SeedSizes } from './domain/model.js';
export { connectMock, type ConnectOptions, type MockClient } from './client/connect-mock.js';
export { MockAdminError } from './client/mock-admin-error.js';
export type {
  ApiErrorBody,
  ControlsBody,
  ControlsChange,
  CoverageReport,
  FailRates,
  JournalEntry,
  ResetAnswer,
  ResetBody,
  StateAnswer,
} from './http/admin/admin-api.js';
/** The API's types, generated from the spec by openapi-typescript (for openapi-fetch: `createClient<paths>`). */
export type { paths, components, operations } from './spec/openapi-types.js';
