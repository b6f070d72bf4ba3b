export const STEP = 'respond';
