// Types for scripts/static-server.mjs (imported from TypeScript by tests/e2e/browser.ts).
export declare const MIME_TYPES: Readonly<Record<string, string>>;
export declare function mimeType(file: string): string;
export interface StaticServer {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}
export declare function startStaticServer(options: {
  root: string;
  host?: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<StaticServer>;
