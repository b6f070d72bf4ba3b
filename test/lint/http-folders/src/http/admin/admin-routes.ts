export const DEFAULT_ADMIN_BODY_LIMIT = '64mb';
