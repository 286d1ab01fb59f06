/** Types of network-guard.js (plain JavaScript, so Node children can load it without a TypeScript loader). */
export declare class BlockedConnectionError extends Error {}
/** Hosts the guard refused since the last check (the runner's afterEach empties it). */
export declare const blockedConnections: string[];
export declare const BLOCKED_EXIT_CODE: number;
export declare function hostOf(args: unknown[]): string | undefined;
