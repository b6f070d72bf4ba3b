// The admin routes' bodies and answers as the routes make and check them: the typed admin client
// (src/client) takes its types from here, so the two cannot drift apart.
import type { StoreData } from '../../domain/model.js';
import type { ControlsBody } from '../controls/runtime-controls.js';
import type { Coverage } from '../logging/coverage.js';

export type { ControlsBody } from '../controls/runtime-controls.js';
export type { FailRates } from '../controls/response-control.js';
export type { JournalEntry } from '../logging/journal.js';
export type { ResetBody } from './reset-body.js';
export type { ApiErrorBody } from '../errors/api-error.js';
export type { StoreData } from '../../domain/model.js';

/** What `PUT /__admin/controls` takes: any of the controls; null turns one off, a field left out is kept. */
export type ControlsChange = { [K in keyof ControlsBody]?: ControlsBody[K] | null };

/** `POST /__admin/reset`'s answer. */
export interface ResetAnswer {
  message: string;
  seed: number;
}

/** `PUT /__admin/state`'s answer. */
export interface StateAnswer {
  message: string;
  policies: number;
  pods: number;
}

/** `GET /__admin/coverage`: the addressed session's report, and every client seen. */
export type CoverageReport = ReturnType<Coverage['report']> & { sessions: Array<string | null> };

/** What a snapshot is, for `setState`. */
export type Snapshot = StoreData;
