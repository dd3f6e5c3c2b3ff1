/** What `bench:e2e` and the engine's process (`engine-process.ts`) say to each other over IPC. */
export type EngineStep = 'full' | 'incremental' | 'restore';
export type EngineRequest = { readonly step: EngineStep } | { readonly step: 'close' };
export type EngineReply = { readonly ready: true } | { readonly seconds: number } | { readonly closed: true } | { readonly error: string };

/** Strata's default `backup_compression_level`, which every run of the bench uses. */
export const ZSTD_LEVEL = 1;
