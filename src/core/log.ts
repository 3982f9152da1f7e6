/** The slice of pino's logger the domains use, so they do not depend on the logging library. */
export interface Log {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
