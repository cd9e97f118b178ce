#!/usr/bin/env node
import { loadConfig } from './config';
import { createServer } from './http';
import { openSqlite } from './store/sqlite';

function main(): void {
	const config = loadConfig();
	const { db, applied } = openSqlite(config.databaseFile);
	const server = createServer(config, db);
	server.listen(config.port, config.host, () => {
		console.log(
			JSON.stringify({
				msg: 'homelab-backend listening',
				url: `http://${config.host}:${config.port}`,
				db: config.databaseFile,
				applied,
			}),
		);
	});
	const shutdown = () =>
		server.close(() => {
			db.close();
			process.exit(0);
		});
	process.once('SIGTERM', shutdown);
	process.once('SIGINT', shutdown);
}

try {
	main();
} catch (error) {
	console.error(`homelab-backend: ${(error as Error).message}`);
	process.exit(1);
}
