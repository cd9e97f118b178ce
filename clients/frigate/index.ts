export * from './client';
export * from './incidents';
export type * from './types';
export * from './snapshot-wait';
