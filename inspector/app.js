// The inspector: plain JS over the mock's /__admin routes, nothing loaded from elsewhere.
// It polls GET /__admin/version once a second and fetches a view's data only when it changed.
'use strict';

const ADMIN = '/__admin';
const TOKEN_KEY = 'cedana-mock-admin-token';
const $ = (id) => document.getElementById(id);

/** Builds an element; children are nodes or text (never parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  return el;
}

const state = {
  session: '',
  tab: 'cluster',
  version: null,
  journalSeq: 0,
  data: null,
  policies: [],
  requests: [],
  marked: new Set(),
  podStatus: new Map(),
  search: '',
  /** The addressed store's per-operation fault rates, as last read. */
  byOperation: {},
  /** Namespaces and jobs opened or closed by hand (id → open). */
  toggled: new Map(),
};

// --- talking to /__admin ------------------------------------------------------------------

async function admin(path, { method = 'GET', body, session = true, raw } = {}) {
  const headers = {};
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (session && state.session) headers['X-Mock-Session'] = state.session;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(ADMIN + path, { method, headers, body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  if (res.status === 401) {
    await askToken();
    return admin(path, { method, body, session, raw });
  }
  const json = await res.json();
  if (!res.ok) throw Object.assign(new Error(json.message || `HTTP ${res.status}`), { details: json.details || [] });
  return json;
}

let asking;
function askToken() {
  asking ??= new Promise((resolve) => {
    const dialog = $('token-dialog');
    $('token-form').addEventListener(
      'submit',
      () => {
        localStorage.setItem(TOKEN_KEY, $('token-input').value.trim());
        asking = undefined;
        resolve();
      },
      { once: true },
    );
    dialog.showModal();
  });
  return asking;
}

// --- the loop ------------------------------------------------------------------------------

async function poll() {
  try {
    const v = await admin('/version');
    $('live').className = 'live';
    $('live').textContent = v.simulating ? `● live · tick ${v.ticks}` : '● live';
    if (v.store !== state.version) {
      state.version = v.store;
      await refreshStore();
    }
    if (v.journal !== state.journalSeq) {
      await refreshRequests(v.journal < state.journalSeq);
      if (state.tab === 'coverage') await refreshCoverage();
    }
  } catch (error) {
    $('live').className = 'live off';
    $('live').textContent = '● offline';
    console.warn(error.message);
  }
  setTimeout(poll, 1000);
}

async function refreshStore() {
  const [data, policies] = await Promise.all([admin('/state'), admin('/policies')]);
  state.data = data;
  state.policies = policies;
  renderCluster();
  renderPolicies();
}

async function refreshRequests(restart) {
  if (restart) state.requests = [];
  const after = restart ? 0 : state.journalSeq;
  const fresh = await admin(`/requests?all=true&after=${after}`, { session: false });
  state.requests.push(...fresh);
  state.requests = state.requests.slice(-1000);
  const last = state.requests.at(-1);
  state.journalSeq = last ? last.seq : 0;
  renderRequests(new Set(fresh.map((r) => r.seq)));
}

// --- cluster -------------------------------------------------------------------------------

const POD_PHASES = ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'];
/** Above this many pods the namespaces start folded: one long page of chips helps nobody. */
const FOLD_ABOVE_PODS = 2000;

function renderCluster() {
  const { data } = state;
  const byNamespace = new Map(data.namespaces.map((n) => [n.id, { ns: n, jobs: [], services: [] }]));
  const jobs = new Map(data.jobs.map((j) => [j.id, { job: j, pods: [] }]));
  for (const j of jobs.values()) byNamespace.get(j.job.namespaceId)?.jobs.push(j);
  for (const pod of data.pods) {
    if (pod.jobId) jobs.get(pod.jobId)?.pods.push(pod);
    else byNamespace.get(pod.namespaceId)?.services.push(pod);
  }
  const running = data.pods.filter((p) => p.status === 'Running').length;
  $('cluster-summary').replaceChildren(
    h('b', {}, data.clusters.length),
    ' cluster(s) · ',
    h('b', {}, data.namespaces.length),
    ' namespaces · ',
    h('b', {}, data.jobs.length),
    ' jobs · ',
    h('b', {}, data.pods.length),
    ' pods (',
    h('b', {}, running),
    ' running) · seed ',
    h('b', {}, data.meta.seed),
    state.marked.size
      ? h(
          'span',
          {},
          ' · outlined: the pods of the policy you picked ',
          h(
            'button',
            {
              class: 'quiet small',
              onclick: () => {
                state.marked.clear();
                renderCluster();
              },
            },
            'clear',
          ),
        )
      : '',
  );
  const previous = state.podStatus;
  state.podStatus = new Map(data.pods.map((p) => [p.id, p.status]));
  const chip = (pod) =>
    h('span', {
      class: `pod ${pod.status}${state.marked.has(pod.id) ? ' marked' : ''}${previous.size && previous.get(pod.id) !== pod.status ? ' changed' : ''}`,
      title: `${pod.name} · ${pod.status}`,
      'data-pod': pod.id,
      'data-status': pod.status,
    });
  // Large clusters start folded (a namespace's pods are drawn when it is opened); a search or the
  // pods of a picked policy open what they match.
  const folded = data.pods.length > FOLD_ABOVE_PODS;
  const query = state.search.trim().toLowerCase();
  const hits = (...names) => query === '' || names.some((n) => n.toLowerCase().includes(query));
  const namespaceOf = (n) => {
    const entry = byNamespace.get(n.id);
    const nsHit = hits(n.name);
    const jobsShown = entry.jobs.filter(({ job, pods }) => nsHit || hits(job.name, ...pods.map((p) => p.name)));
    const servicesShown = nsHit ? entry.services : entry.services.filter((p) => hits(p.name));
    if (!nsHit && jobsShown.length === 0 && servicesShown.length === 0) return null;
    const marked = [...entry.jobs.flatMap((j) => j.pods), ...entry.services].some((p) => state.marked.has(p.id));
    const open = state.toggled.get(n.id) ?? (!folded || query !== '' || marked);
    const body = () => [
      ...jobsShown.map(({ job, pods }) =>
        h(
          'details',
          {
            class: 'job',
            'data-job': job.id,
            open: (state.toggled.get(job.id) ?? true) || undefined,
            ontoggle: (e) => state.toggled.set(job.id, e.target.open),
          },
          h(
            'summary',
            {},
            h('span', { class: 'name', title: job.id }, job.name, ' ', h('span', { class: 'prio' }, `priority ${job.priority}`)),
            h('span', { class: `badge ${job.status}` }, job.status),
          ),
          h('div', { class: 'pods' }, ...pods.map(chip)),
        ),
      ),
      servicesShown.length
        ? h(
            'div',
            { class: 'services' },
            h('div', { class: 'label' }, 'deployments & statefulsets'),
            h('div', { class: 'pods' }, ...servicesShown.map(chip)),
          )
        : null,
    ];
    const el = h(
      'details',
      { class: 'namespace', 'data-namespace': n.name, open: open || undefined },
      h(
        'summary',
        {},
        n.name,
        h(
          'span',
          { class: 'n' },
          `${entry.jobs.length} jobs · ${entry.jobs.reduce((s, j) => s + j.pods.length, 0) + entry.services.length} pods`,
        ),
      ),
      ...(open ? body() : []),
    );
    el.addEventListener('toggle', () => {
      state.toggled.set(n.id, el.open);
      if (el.open && el.children.length === 1) el.append(...body().filter(Boolean));
    });
    return el;
  };
  $('cluster-tree').replaceChildren(
    ...data.clusters.map((cluster) =>
      h(
        'div',
        { class: 'cluster' },
        h('h2', {}, cluster.name, h('span', { class: 'mono' }, cluster.id)),
        h('div', { class: 'namespaces' }, ...data.namespaces.filter((n) => n.clusterId === cluster.id).map(namespaceOf)),
      ),
    ),
  );
}

function renderLegend() {
  $('legend').replaceChildren(...POD_PHASES.map((p) => h('span', {}, h('span', { class: `pod ${p}` }), p)));
}

// --- policies ------------------------------------------------------------------------------

function renderPolicies() {
  const podName = new Map(state.data.pods.map((p) => [p.id, p]));
  $('policies-summary').replaceChildren(
    h('b', {}, state.policies.length),
    ' policies; their pods and jobs as ',
    h('code', {}, '/pods'),
    ' and ',
    h('code', {}, '/jobs'),
    ' answer now',
  );
  $('policies-table').tBodies[0].replaceChildren(
    ...state.policies.map((p) => {
      const scope =
        p.resource === 'jobs'
          ? (p.resourceIds.length ? `${p.resourceIds.length} named job(s)` : 'every job') +
            (p.jobFilter?.namespace ? ` in ${p.jobFilter.namespace}` : '') +
            (p.jobFilter?.priority != null ? ` at priority ${p.jobFilter.priority}` : '')
          : `${p.resourceIds.length} ${p.resource === 'pods' ? 'pod' : 'namespace'}(s)`;
      return h(
        'tr',
        { 'data-policy': p.id },
        h('td', {}, h('span', { class: `badge kind ${p.resource}` }, p.resource)),
        h('td', {}, p.resourceName ?? '(no name)', h('div', { class: 'sub mono' }, p.id)),
        h('td', {}, scope, h('div', { class: 'sub' }, `heartbeat ${p.heartbeatTime}s`)),
        h(
          'td',
          { class: 'pods-now' },
          h('b', {}, p.pods.length),
          ' ',
          h(
            'span',
            { class: 'pods' },
            ...p.pods
              .slice(0, 24)
              .map((id) => h('span', { class: `pod ${podName.get(id)?.status ?? 'Unknown'}`, title: podName.get(id)?.name ?? id })),
          ),
        ),
        h('td', {}, p.jobs === null ? h('span', { class: 'sub' }, '—') : h('b', {}, p.jobs.length)),
        h(
          'td',
          {},
          p.lastSync
            ? [
                h('span', { class: `badge ${p.lastSync.jobStatus ?? 'Unknown'}` }, p.lastSync.jobStatus ?? 'none'),
                ` ${p.lastSync.jobs} jobs, ${p.lastSync.pods} pods`,
                h('div', { class: 'sub' }, new Date(p.lastSync.at).toLocaleString()),
              ]
            : h('span', { class: 'sub' }, '—'),
        ),
        h('td', {}, h('button', { class: 'quiet small', onclick: () => showPods(p) }, 'show pods →')),
      );
    }),
  );
}

function showPods(policy) {
  state.marked = new Set(policy.pods);
  renderCluster();
  selectTab('cluster');
  document.querySelector('.pod.marked')?.scrollIntoView({ block: 'center' });
}

// --- requests ------------------------------------------------------------------------------

function curlOf(r) {
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const parts = ['curl'];
  if (r.method !== 'GET') parts.push('-X', r.method);
  if (r.operationId) parts.push('-H', '"Authorization: Bearer $TOKEN"');
  if (r.session) parts.push('-H', q(`X-Mock-Session: ${r.session}`));
  if (r.body !== null && r.body !== undefined) parts.push('-H', q('Content-Type: application/json'), '-d', q(r.body));
  parts.push(q(location.origin + r.path));
  return parts.join(' ');
}

function renderRequests(fresh = new Set()) {
  const sessions = [...new Set(state.requests.map((r) => r.session ?? ''))];
  fillSelect($('filter-session'), [['*', 'all'], ...sessions.map((s) => [s, s || 'default'])]);
  const ops = [...new Set(state.requests.map((r) => r.operationId).filter(Boolean))].sort();
  fillSelect($('filter-op'), [['*', 'all'], ...ops.map((o) => [o, o])]);
  const fs = $('filter-session').value,
    fo = $('filter-op').value,
    fst = $('filter-status').value;
  const shown = state.requests
    .filter(
      (r) =>
        (fs === '*' || (r.session ?? '') === fs) && (fo === '*' || r.operationId === fo) && (fst === '*' || String(r.status)[0] === fst),
    )
    .reverse();
  $('request-count').textContent = state.requests.length || '';
  $('requests-empty').className = shown.length ? 'empty hidden' : 'empty';
  $('requests-table').tBodies[0].replaceChildren(
    ...shown.slice(0, 300).flatMap((r) => {
      const detail = h(
        'tr',
        { class: 'detail', hidden: true },
        h(
          'td',
          { colspan: 8 },
          r.problem ? h('div', {}, h('b', {}, `${r.status} ApiError: `), r.problem) : null,
          r.details?.length ? h('ul', {}, ...r.details.map((d) => h('li', {}, h('code', {}, d.path), ' ', d.message))) : null,
          r.body ? h('div', { class: 'sub' }, 'body: ', h('code', {}, r.body)) : null,
          h('code', { class: 'curl' }, curlOf(r)),
        ),
      );
      const row = h(
        'tr',
        {
          class: fresh.has(r.seq) ? 'new' : '',
          'data-seq': r.seq,
          'data-status': r.status,
          onclick: () => {
            detail.hidden = !detail.hidden;
          },
        },
        h('td', { class: 'mono' }, new Date(r.time).toLocaleTimeString()),
        h('td', {}, r.session ?? h('span', { class: 'sub' }, 'default')),
        h('td', { class: 'mono' }, `${r.method} ${r.path}`),
        h('td', { class: 'mono' }, r.operationId ?? '—'),
        h('td', {}, h('span', { class: `badge s${String(r.status)[0]}` }, r.status)),
        h('td', { class: 'mono' }, r.durationMs),
        h('td', { class: 'problem' }, r.problem ?? ''),
        h(
          'td',
          {},
          h(
            'button',
            {
              class: 'quiet small',
              onclick: (e) => {
                e.stopPropagation();
                copy(curlOf(r), e.target);
              },
            },
            'copy curl',
          ),
        ),
      );
      return [row, detail];
    }),
  );
}

function copy(text, button) {
  const done = () => {
    button.textContent = 'copied';
    setTimeout(() => (button.textContent = 'copy curl'), 1200);
  };
  if (navigator.clipboard)
    navigator.clipboard.writeText(text).then(done, () => {
      button.closest('tr').nextSibling.hidden = false;
    });
  else button.closest('tr').nextSibling.hidden = false;
}

function fillSelect(select, options) {
  const value = select.value;
  const key = JSON.stringify(options);
  if (select.dataset.key === key) return;
  select.dataset.key = key;
  select.replaceChildren(...options.map(([v, label]) => h('option', { value: v }, label)));
  if (options.some(([v]) => v === value)) select.value = value;
}

// --- coverage ------------------------------------------------------------------------------

async function refreshCoverage() {
  const picked = $('coverage-session').value;
  const headers = picked ? { 'X-Mock-Session': picked } : {};
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${ADMIN}/coverage`, { headers });
  if (res.status === 401) return askToken();
  const report = await res.json();
  fillSelect($('coverage-session'), [['', 'default'], ...report.sessions.filter((s) => s !== null).map((s) => [s, s])]);
  $('coverage-table').tBodies[0].replaceChildren(
    ...report.operations.map((op) =>
      h(
        'tr',
        { 'data-operation': op.operationId },
        h('td', {}, h('div', { class: 'mono' }, op.operationId), h('div', { class: 'sub mono' }, `${op.method} ${op.path}`)),
        h(
          'td',
          {},
          h(
            'div',
            { class: 'statuses' },
            ...op.statuses.map((s) =>
              h(
                'span',
                {
                  class: `status-chip${s.received ? ' hit' : ''}${s.received && s.status >= 400 ? ' error' : ''}`,
                  title: s.description,
                  'data-status': s.status,
                  'data-received': s.received,
                },
                `${s.status}${s.received ? ` ×${s.received}` : ''}`,
              ),
            ),
          ),
        ),
        h(
          'td',
          {},
          h(
            'div',
            { class: 'fields' },
            op.fieldsNeverSent.length ? op.fieldsNeverSent.map((f) => h('code', {}, f)) : h('span', { class: 'sub' }, '—'),
          ),
        ),
      ),
    ),
  );
  $('refusals').replaceChildren(
    ...report.refusals.map((r) =>
      h(
        'li',
        {},
        h('span', { class: `badge s${String(r.status)[0]}` }, r.status),
        ' ',
        h('code', {}, r.operationId ?? '—'),
        ' ',
        r.message ?? '',
      ),
    ),
  );
}

// --- controls ------------------------------------------------------------------------------

function say(text, ok = true) {
  $('controls-status').textContent = text;
  $('controls-status').className = `status ${ok ? 'ok' : 'error'}`;
}
const failure = (e) =>
  say(`${e.message}${e.details?.length ? ` — ${e.details.map((d) => `${d.path} ${d.message}`).join('; ')}` : ''}`, false);

async function refreshControls() {
  const [c, report] = await Promise.all([admin('/controls'), admin('/coverage')]);
  $('controls-scope').textContent = state.session ? `session ${state.session}` : 'the default store';
  $('delay').value = c.delay ?? '';
  $('fail-rate').value = c.failRate.all ?? '';
  state.byOperation = { ...c.failRate.byOperation };
  const picked = $('fail-op').value;
  fillSelect(
    $('fail-op'),
    report.operations.map((op) => [op.operationId, op.operationId]),
  );
  if (picked) $('fail-op').value = picked;
  $('fail-op-rate').value = state.byOperation[$('fail-op').value] ?? '';
  const names = await admin('/sessions', { session: false });
  $('sessions-list').replaceChildren(
    ...(names.length
      ? names.map((n) => h('li', {}, h('code', {}, n), h('button', { class: 'quiet small', onclick: () => dropSession(n) }, 'drop')))
      : [h('li', { class: 'sub' }, 'none')]),
  );
  fillSelect($('session'), [['', 'default'], ...names.map((n) => [n, n])]);
}

async function dropSession(name) {
  // Polling a dropped session would bring it back: watch the default store instead.
  if (state.session === name) {
    state.session = '';
    $('session').value = '';
    state.version = null;
  }
  try {
    say((await admin(`/sessions?name=${encodeURIComponent(name)}`, { method: 'DELETE', session: false })).message);
    await refreshControls();
  } catch (e) {
    failure(e);
  }
}

function wireControls() {
  $('cluster-search').addEventListener('input', (e) => {
    state.search = e.target.value;
    if (state.data) renderCluster();
  });
  $('reset-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const seed = $('reset-seed').value;
    try {
      say((await admin('/reset', { method: 'POST', body: seed === '' ? {} : { seed: Number(seed) } })).message);
    } catch (err) {
      failure(err);
    }
  });
  $('controls-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const delay = $('delay').value.trim(),
      rate = $('fail-rate').value.trim();
    const op = $('fail-op').value,
      opRate = $('fail-op-rate').value.trim();
    const byOperation = { ...state.byOperation };
    if (opRate === '') delete byOperation[op];
    else byOperation[op] = Number(opRate);
    const failRate = { ...(rate === '' ? {} : { all: Number(rate) }), ...(Object.keys(byOperation).length ? { byOperation } : {}) };
    const body = { delay: delay === '' ? null : delay, failRate };
    try {
      // For the store picked at the top: a session's controls are its own.
      const c = await admin('/controls', { method: 'PUT', body });
      state.byOperation = { ...c.failRate.byOperation };
      const ops = Object.entries(state.byOperation).map(([id, r]) => `${id} ${r}`);
      say(
        `controls applied to ${state.session ? `session ${state.session}` : 'the default store'}: delay ${c.delay ?? 'none'}, fail rate ${c.failRate.all ?? 0}${ops.length ? `; ${ops.join(', ')}` : ''}`,
      );
    } catch (err) {
      failure(err);
    }
  });
  $('download').addEventListener('click', async () => {
    const data = await admin('/state');
    const link = h('a', {
      href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })),
      download: `mock-snapshot-seed-${data.meta.seed}.json`,
    });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  $('upload').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    try {
      say((await admin('/state', { method: 'PUT', body: await file.text(), raw: true })).message);
    } catch (err) {
      failure(err);
    }
    e.target.value = '';
  });
  $('drop-all').addEventListener('click', async () => {
    try {
      say((await admin('/sessions', { method: 'DELETE', session: false })).message);
      await refreshControls();
    } catch (err) {
      failure(err);
    }
  });
  $('clear-journal').addEventListener('click', async () => {
    await admin('/requests?all=true', { method: 'DELETE', session: false });
    state.requests = [];
    renderRequests();
  });
  $('reset-coverage').addEventListener('click', async () => {
    await admin('/coverage?all=true', { method: 'DELETE', session: false });
    await refreshCoverage();
  });
}

// --- tabs and start ------------------------------------------------------------------------

function selectTab(tab) {
  state.tab = tab;
  for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === tab);
  for (const v of document.querySelectorAll('.view')) v.classList.toggle('active', v.id === tab);
  if (location.hash !== `#${tab}`) history.replaceState(null, '', `#${tab}`);
  if (tab === 'coverage') refreshCoverage().catch(failure);
  if (tab === 'controls') refreshControls().catch(failure);
}

document.addEventListener('DOMContentLoaded', async () => {
  // With --admin-token, ask for it once, before the first call (not after a 401).
  const config = await (await fetch('config.json')).json();
  if (config.needsToken && !localStorage.getItem(TOKEN_KEY)) await askToken();
  for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => selectTab(b.dataset.tab));
  for (const id of ['filter-session', 'filter-op', 'filter-status']) $(id).addEventListener('change', () => renderRequests());
  $('coverage-session').addEventListener('change', () => refreshCoverage());
  $('session').addEventListener('change', () => {
    state.session = $('session').value;
    state.version = null;
    state.marked.clear();
    if (state.tab === 'controls') refreshControls().catch(failure);
  });
  $('fail-op').addEventListener('change', () => ($('fail-op-rate').value = state.byOperation[$('fail-op').value] ?? ''));
  wireControls();
  renderLegend();
  const fromHash = () => {
    const tab = location.hash.slice(1);
    selectTab(['cluster', 'policies', 'requests', 'coverage', 'controls'].includes(tab) ? tab : 'cluster');
  };
  window.addEventListener('hashchange', fromHash);
  fromHash();
  admin('/sessions', { session: false })
    .then((names) => fillSelect($('session'), [['', 'default'], ...names.map((n) => [n, n])]))
    .catch(() => {});
  poll();
});
