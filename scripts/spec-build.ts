// `npm run spec:build` merges spec/fragments with spec/overlay.json into spec/openapi.json and
// generates src/spec/openapi-types.ts; `--check` fails when the committed files have drifted.
import { writeOrCheck } from './generated-files.js';
import { specFiles } from './spec-files.js';

await writeOrCheck('spec:build', specFiles);
