// `cedana-policy-mock/contract`: the contract suite as a library (the CLI is a layer over it).
export { runContract, renderReport, type ContractReport } from './runner.js';
export { DEFAULT_PROFILE_PATH, loadProfile, type ContractOptions, type ContractProfile } from './config.js';
