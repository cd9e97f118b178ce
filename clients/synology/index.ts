export * from './client';
export * from './errors';
export * from './paths';
export * from './totp';
export * from './transport';
