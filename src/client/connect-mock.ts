import type {
  ControlsBody,
  ControlsChange,
  CoverageReport,
  JournalEntry,
  ResetAnswer,
  ResetBody,
  Snapshot,
  StateAnswer,
} from '../http/admin/admin-api.js';
import { MockAdminError } from './mock-admin-error.js';

export interface ConnectOptions {
  /** The mock's `--admin-token`, when it has one. */
  adminToken?: string | undefined;
  /** Address this session (`X-Mock-Session`) rather than the default store. */
  session?: string | undefined;
  /** The fetch to call (default: the global one); e.g. the msw integration's in-process one. */
  fetch?: typeof fetch | undefined;
}

/** A typed client of `/__admin`, for the default store or one session. Plain fetch: it runs in Node and in browsers. */
export interface MockClient {
  /** The mock's base URL. */
  readonly url: string;
  /** The session this client addresses; null for the default store. */
  readonly sessionName: string | null;
  /** The headers the app under test sends to land in this client's session (`{}` for the default store). */
  readonly headers: Readonly<Record<string, string>>;
  /** Back to the start-up seed and sizes, or `{seed, sizes}` (`{sizes: {policies: 0}}`: no policies). */
  reset(body?: ResetBody): Promise<ResetAnswer>;
  state(): Promise<Snapshot>;
  setState(snapshot: Snapshot): Promise<StateAnswer>;
  /** The delay and fault rates in force for this store. */
  controls(): Promise<ControlsBody>;
  /** Changes them for this store only: `{failRate: {byOperation: {policy_list: 1}}}`. */
  setControls(change: ControlsChange): Promise<ControlsBody>;
  /** The journal of this client's store (`all: true`: of every store). */
  requests(filter?: { limit?: number; after?: number; all?: boolean }): Promise<JournalEntry[]>;
  /** Forgets this store's journal entries (`all: true`: every store's). */
  clearRequests(options?: { all?: boolean }): Promise<void>;
  coverage(): Promise<CoverageReport>;
  /** Forgets this store's client coverage (`all: true`: every client's). */
  clearCoverage(options?: { all?: boolean }): Promise<void>;
  /** The same client for session `name` (a fresh unique name when left out). */
  session(name?: string): MockClient;
  /** Lets go of what this handle holds: a session client drops its session. */
  close(): Promise<void>;
}

/** A client of the mock at `url` (e.g. `http://127.0.0.1:4010`). */
export function connectMock(url: string, options: ConnectOptions = {}): MockClient {
  const base = url.replace(/\/+$/, '');
  const session = options.session ?? null;
  const headers: Record<string, string> = session === null ? {} : { 'X-Mock-Session': session };
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await (options.fetch ?? fetch)(`${base}/__admin${route}`, {
      method,
      headers: {
        ...headers,
        ...(options.adminToken === undefined ? {} : { Authorization: `Bearer ${options.adminToken}` }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    const json: unknown = text === '' ? undefined : parse(text);
    if (!res.ok) {
      const apiError = isApiError(json) ? json : { message: text || res.statusText, code: String(res.status), details: [] };
      throw new MockAdminError(res.status, apiError, `${method} /__admin${route}`);
    }
    return json as T;
  };
  return {
    url: base,
    sessionName: session,
    headers,
    reset: (body) => call('POST', '/reset', body),
    state: () => call('GET', '/state'),
    setState: (snapshot) => call('PUT', '/state', snapshot),
    controls: () => call('GET', '/controls'),
    setControls: (change) => call('PUT', '/controls', change),
    requests: (filter = {}) => {
      const query = new URLSearchParams(Object.entries(filter).map(([k, v]): [string, string] => [k, String(v)])).toString();
      return call('GET', `/requests${query ? `?${query}` : ''}`);
    },
    clearRequests: ({ all = false } = {}) => call('DELETE', `/requests${all ? '?all=true' : ''}`),
    coverage: () => call('GET', '/coverage'),
    clearCoverage: ({ all = false } = {}) => call('DELETE', `/coverage${all ? '?all=true' : ''}`),
    session: (name = `s-${globalThis.crypto.randomUUID()}`) => connectMock(base, { ...options, session: name }),
    close: async () => {
      if (session === null) return;
      try {
        await call('DELETE', `/sessions?name=${encodeURIComponent(session)}`);
      } catch (error) {
        // Never used, or already dropped (idle): nothing to let go of.
        if (!(error instanceof MockAdminError && error.status === 404)) throw error;
      }
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isApiError(value: unknown): value is MockAdminError['apiError'] {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
