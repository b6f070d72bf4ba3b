/** The store cannot be opened (a file that is not a store, a corrupt log, a lock held): the mock does not start. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}
