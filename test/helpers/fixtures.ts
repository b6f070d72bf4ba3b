import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../fixtures/', import.meta.url);

export const readFixture = <T = unknown>(relative: string): T => JSON.parse(readFileSync(new URL(relative, root), 'utf8')) as T;

/** What an invalid body of fixtures/requests/invalid/ gets (fixtures/requests/invalid-expected.json). */
export interface InvalidExpectation {
  status: number;
  message: string;
}

/** name → parsed file, for every JSON file of a fixtures folder. */
export function fixtureFolder<T>(folder: string): Array<[string, T]> {
  return readdirSync(new URL(`${folder}/`, root))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), readFixture<T>(`${folder}/${f}`)]);
}
