// The layers run one way: spec → domain → (world) → store → operations → http → client → composition
// → integrations → cli.
// A file may import its own layer and the ones below it; nothing imports upward, nothing cycles.
// The contract suite shares the spec file with the mock and nothing else.
const layer = (name, path) => ({ name, path });
const LAYERS = [
  layer('spec', '^src/spec/'),
  layer('domain', '^src/domain/'),
  layer('world', '^src/world/'),
  layer('store', '^src/store/'),
  layer('operations', '^src/operations/'),
  layer('http', '^src/http/'),
  layer('client', '^src/client/'),
  layer('composition', '^src/(app|server|index)\\.ts$'),
  layer('integrations', '^src/integrations/'),
  layer('cli', '^src/(cli|cli-options|bin)\\.ts$'),
];

const upward = LAYERS.flatMap((from, i) =>
  LAYERS.slice(i + 1).map((to) => ({
    name: `no-${from.name}-to-${to.name}`,
    comment: `${from.name} is below ${to.name}: it may not import it`,
    severity: 'error',
    from: { path: from.path },
    to: { path: to.path },
  })),
);

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-cycles',
      comment: 'an import cycle, type-only ones included: one of its files belongs a layer lower',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    // Inside http: build-app.ts is the table of contents; errors/ is what every folder answers
    // with; admin/ and docs/ are routes beside the API's pipeline, which nothing else builds on.
    {
      name: 'http-errors-stand-alone',
      comment: 'errors/ (ApiError and its wording) imports no other part of src/http: every folder may use it',
      severity: 'error',
      from: { path: '^src/http/errors/' },
      to: { path: '^src/http/', pathNot: '^src/http/errors/' },
    },
    {
      name: 'http-admin-and-docs-only-from-build-app',
      comment: 'admin/ and docs/ are mounted by build-app.ts; no other http folder (pipeline/, controls/, logging/) imports them',
      severity: 'error',
      from: { path: '^src/http/([^/]+)/' },
      to: { path: '^src/http/(admin|docs)/', pathNot: '^src/http/$1/' },
    },
    {
      name: 'http-build-app-on-top',
      comment: 'build-app.ts is the table of contents of src/http: its folders do not import it',
      severity: 'error',
      from: { path: '^src/http/[^/]+/' },
      to: { path: '^src/http/build-app\\.ts$' },
    },
    {
      name: 'contract-suite-stands-apart',
      comment: 'the contract suite shares spec/openapi.json with the mock and nothing else',
      severity: 'error',
      from: { path: '^contract-tests/' },
      to: { path: '^src/' },
    },
    {
      name: 'rules-and-model-do-not-report',
      comment: 'rules and the model find failures; report/ renders them (console, JUnit, HTML, diff, curl): never the other way round',
      severity: 'error',
      from: { path: '^contract-tests/(rules|model)/' },
      to: { path: '^contract-tests/report/' },
    },
    {
      name: 'mock-does-not-use-the-suite',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(contract-tests|test|bench|scripts)/' },
    },
    {
      name: 'scripts-do-not-import-tests',
      severity: 'error',
      from: { path: '^(scripts|bench)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
