import { downloadTaskAction } from '../common';

export const { description, execute } = downloadTaskAction('resume');
