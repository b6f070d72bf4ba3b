// `npm run fixtures:build` regenerates fixtures/ from the default seed; `--check` fails on drift.
import { fixtureFiles } from './fixture-files.js';
import { writeOrCheck } from './generated-files.js';

await writeOrCheck('fixtures:build', fixtureFiles);
