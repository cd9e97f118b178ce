export * from './client';
export * from './incidents';
export type * from './types';
