export * from './client';
export * from './connection';
export * from './errors';
export * from './streams';
export * from './compose/errors';
export * from './compose/interpolate';
export * from './compose/model';
export * from './compose/stack';
