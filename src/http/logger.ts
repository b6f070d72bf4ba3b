/** Where the mock's lines go. The CLI prints them; tests keep them or drop them. */
export interface Logger {
  /** One line per request: method, path, status, duration, and the problem if there was one. */
  request(line: string): void;
  /** Something that is our fault (a response the spec forbids, an unexpected exception). */
  error(line: string): void;
}

export const silentLogger: Logger = { request() {}, error() {} };

export const consoleLogger: Logger = {
  request: (line) => console.log(line),
  error: (line) => console.error(line),
};
