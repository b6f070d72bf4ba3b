import { mockGlobalSetup } from 'cedana-policy-mock/vitest'; // or 'cedana-policy-mock/jest'

// Starts the mock once for the run; the tests find it through CEDANA_MOCK_URL.
export default mockGlobalSetup({ seed: 7 });
