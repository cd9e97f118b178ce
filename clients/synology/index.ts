export * from './client';
export { summarizeDownloadTask } from './download-station';
export * from './errors';
export * from './paths';
export * from './totp';
export * from './transport';
export * from './types';
