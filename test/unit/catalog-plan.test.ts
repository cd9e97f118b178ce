import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { planCommand } from '../../backend/src/catalog/command';
import type { Plan } from '../../backend/src/catalog/plan';
import { BASE_CATALOG, BASE_SECRETS, CatalogFixtures, writeCatalog } from '../helpers/catalog';

const fixtures = new CatalogFixtures();
after(() => fixtures.cleanup());

const CLI = path.join(__dirname, '../../backend/dist/backend/src/cli.js');

/** planCommand in-process: exit code and what it printed */
async function plan(args: string[]) {
	let stdout = '';
	let stderr = '';
	const code = await planCommand(args, {
		stdout: (text) => (stdout += text),
		stderr: (text) => (stderr += text),
		env: {},
	});
	return { code, stdout, stderr };
}

function git(cwd: string, ...args: string[]): string {
	return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
		cwd,
		stdio: ['ignore', 'pipe', 'pipe'],
	})
		.toString()
		.trim();
}

const changedWeb = {
	'services/web/compose.yaml': BASE_CATALOG['services/web/compose.yaml'].replace('nginx:1.27', 'nginx:1.28'),
};
const addedCache = {
	'services/cache/service.yaml': 'host: mini\nexpose: [{ hostname: cache, service: redis, port: 6379 }]\n',
	'services/cache/compose.yaml': "services:\n  redis:\n    image: redis:7\n    ports: ['6379:6379']\n",
};

describe('homelab plan --offline', async () => {
	it('the CLI exits 2 with changes, 0 without, 1 on an invalid catalog or a bad option', async () => {
		assert.ok(existsSync(CLI), 'scripts/test.sh builds the backend first');
		const secrets = fixtures.secrets();
		const dir = fixtures.catalog();
		const run = (...args: string[]) =>
			spawnSync(process.execPath, [CLI, 'plan', ...args], {
				encoding: 'utf8',
				env: { ...process.env, HOMELAB_SECRETS_FILE: secrets },
			});

		const fresh = run('--offline', '--catalog', dir);
		assert.equal(fresh.status, 2, fresh.stderr);
		assert.match(fresh.stdout, /^\+ service web \(infra, on nas\)$/m);
		assert.match(fresh.stdout, /^ {4}\+ route web\.lab\.test$/m);
		assert.match(fresh.stdout, /Plan: 2 service\(s\) to add, 0 to change, 0 to remove, 0 unchanged\./);

		const same = run('--offline', '--catalog', dir, '--base', fixtures.catalog());
		assert.equal(same.status, 0, same.stderr);
		assert.match(same.stdout, /No changes: 2 service\(s\) match the base\./);

		const invalid = run(
			'--offline',
			'--catalog',
			fixtures.catalog({ 'services/web/service.yaml': 'host: nass\n' }),
		);
		assert.equal(invalid.status, 1);
		assert.equal(invalid.stdout, '');
		assert.match(
			invalid.stderr,
			/services\/web\/service\.yaml:1:7: host "nass" is not in homelab\.yaml hosts\. Did you mean "nas"\?/,
		);

		const typo = run('--ofline', '--catalog', dir);
		assert.equal(typo.status, 1);
		assert.match(typo.stderr, /unknown option --ofline\. Did you mean "--offline"\?/);
	});

	it('--json: adds, changes and removes per service, route and record; secrets masked', async () => {
		const base = fixtures.catalog({
			'services/db/service.yaml': null,
			'services/db/compose.yaml': null,
			...{},
		});
		// base: web only, exposed as "site"; current: web renamed route, db added, new image
		writeCatalog(base, {
			'services/web/service.yaml': BASE_CATALOG['services/web/service.yaml']
				.replace('hostname: web', 'hostname: site')
				.replace('depends_on: [db]\n', ''),
			'services/old/service.yaml': 'host: mini\n',
			'services/old/compose.yaml': 'services:\n  old:\n    image: busybox:1\n',
		});
		const current = fixtures.catalog(changedWeb);
		const result = await plan([
			'--offline',
			'--catalog',
			current,
			'--base',
			base,
			'--json',
			'--secrets',
			fixtures.secrets(),
		]);
		assert.equal(result.code, 2, result.stderr);
		for (const secret of Object.values(BASE_SECRETS)) assert.ok(!result.stdout.includes(secret), secret);
		const json = JSON.parse(result.stdout) as Plan;
		assert.deepEqual(json.summary, { add: 1, change: 1, remove: 1, unchanged: 0 });
		const byName = Object.fromEntries(json.services.map((service) => [service.name, service]));
		assert.equal(byName.db.action, 'add');
		assert.equal(byName.old.action, 'remove');
		assert.equal(byName.web.action, 'change');
		const web = Object.fromEntries(
			byName.web.resources.map((change) => [`${change.action} ${change.kind} ${change.id}`, change]),
		);
		assert.deepEqual(Object.keys(web).sort(), [
			'add certificate web.lab.test',
			'add record web.lab.test',
			'add route web.lab.test',
			'change docs docs/services/web.md',
			'change stack web',
			'remove certificate site.lab.test',
			'remove record site.lab.test',
			'remove route site.lab.test',
		]);
		assert.deepEqual(web['change stack web'].changed, ['images', 'compose', 'configHash']);
		assert.match(web['change stack web'].after!.compose, /DB_PASSWORD: "\*\*\*"/);
		assert.deepEqual(web['add record web.lab.test'].after, {
			type: 'A',
			value: '10.0.0.2',
			zone: 'lab.test',
		});
		assert.equal(web['add route web.lab.test'].after!.upstream, 'nas.lan:8080');
	});

	it('--markdown: a pull-request comment with a summary table and a compose diff', async () => {
		const secrets = fixtures.secrets();
		const result = await plan([
			'--offline',
			'--catalog',
			fixtures.catalog(changedWeb),
			'--base',
			fixtures.catalog(),
			'--markdown',
			'--secrets',
			secrets,
		]);
		assert.equal(result.code, 2, result.stderr);
		assert.match(result.stdout, /^### homelab plan$/m);
		assert.match(
			result.stdout,
			/\*\*Plan: 0 service\(s\) to add, 1 to change, 0 to remove, 1 unchanged\.\*\*/,
		);
		assert.match(
			result.stdout,
			/^\| ~ \| web \| infra \| nas \| ~ stack web, ~ docs docs\/services\/web\.md \|$/m,
		);
		assert.match(result.stdout, /- {5}image: nginx:1\.27\n\s+\+ {5}image: nginx:1\.28/);
		assert.match(result.stdout, /<details><summary>~ web<\/summary>/);
	});

	it('a git URL#ref as the catalog and refs as the base, from a local bare repository', async () => {
		const work = fixtures.tempDir('repo-');
		const lab = path.join(work, 'lab');
		mkdirSync(lab);
		git(work, 'init', '--quiet', '--initial-branch=main');
		writeCatalog(work, { 'README.md': 'before the catalog\n' });
		git(work, 'add', '.');
		git(work, 'commit', '--quiet', '-m', 'no catalog yet');
		writeCatalog(lab, BASE_CATALOG);
		git(work, 'add', '.');
		git(work, 'commit', '--quiet', '-m', 'v1');
		git(work, 'tag', 'v1');
		writeCatalog(lab, { ...changedWeb, ...addedCache });
		git(work, 'add', '.');
		git(work, 'commit', '--quiet', '-m', 'v2');
		const bare = path.join(fixtures.tempDir('bare-'), 'lab.git');
		git(work, 'clone', '--quiet', '--bare', work, bare);
		const secrets = fixtures.secrets();

		// the catalog folder inside the work tree against refs of its repository
		const v1 = await plan(['--offline', '--catalog', lab, '--base', 'v1', '--json', '--secrets', secrets]);
		assert.equal(v1.code, 2, v1.stderr);
		const json = JSON.parse(v1.stdout) as Plan;
		assert.deepEqual(json.summary, { add: 1, change: 1, remove: 0, unchanged: 1 });
		assert.equal(json.base?.commit, git(work, 'rev-parse', 'v1'));
		assert.equal(
			(await plan(['--offline', '--catalog', lab, '--base', 'HEAD', '--secrets', secrets])).code,
			0,
		);
		const before = JSON.parse(
			(await plan(['--offline', '--catalog', lab, '--base', 'HEAD~2', '--json', '--secrets', secrets]))
				.stdout,
		) as Plan;
		assert.deepEqual(
			before.summary,
			{ add: 3, change: 0, remove: 0, unchanged: 0 },
			'a base without a catalog is an empty lab',
		);

		// a bare repository is not a catalog folder: the catalog sits in lab/ of the clone, so the URL form needs it at the top
		const top = fixtures.tempDir('top-');
		git(top, 'init', '--quiet', '--initial-branch=main');
		writeCatalog(top, BASE_CATALOG);
		git(top, 'add', '.');
		git(top, 'commit', '--quiet', '-m', 'v1');
		git(top, 'tag', 'v1');
		writeCatalog(top, addedCache);
		git(top, 'add', '.');
		git(top, 'commit', '--quiet', '-m', 'v2');
		const topBare = path.join(fixtures.tempDir('bare-'), 'top.git');
		git(top, 'clone', '--quiet', '--bare', top, topBare);
		const remote = await plan([
			'--offline',
			'--catalog',
			`${topBare}#main`,
			'--base',
			'v1',
			'--json',
			'--secrets',
			secrets,
		]);
		assert.equal(remote.code, 2, remote.stderr);
		const remoteJson = JSON.parse(remote.stdout) as Plan;
		assert.equal(remoteJson.catalog.commit, git(top, 'rev-parse', 'main'));
		assert.deepEqual(remoteJson.summary, { add: 1, change: 0, remove: 0, unchanged: 2 });
		assert.equal(
			(await plan(['--offline', '--catalog', `file://${topBare}#v1`, '--base', 'v1', '--secrets', secrets]))
				.code,
			0,
		);

		const missing = await plan(['--offline', '--catalog', `${topBare}#nope`, '--secrets', secrets]);
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /"nope" is not a branch, tag or commit/);
		const badBase = await plan([
			'--offline',
			'--catalog',
			lab,
			'--base',
			'no-such-ref',
			'--secrets',
			secrets,
		]);
		assert.equal(badBase.code, 1);
		assert.match(badBase.stderr, /"no-such-ref" is not a branch, tag or commit/);
		const inFolder = await plan([
			'--offline',
			'--catalog',
			`${bare}#main:lab`,
			'--base',
			'v1',
			'--json',
			'--secrets',
			secrets,
		]);
		assert.equal(inFolder.code, 2, inFolder.stderr);
		assert.deepEqual((JSON.parse(inFolder.stdout) as Plan).summary, {
			add: 1,
			change: 1,
			remove: 0,
			unchanged: 1,
		});
		const notAtTop = await plan(['--offline', '--catalog', `${bare}#main`, '--secrets', secrets]);
		assert.equal(notAtTop.code, 1);
		assert.match(
			notAtTop.stderr,
			/has no homelab\.yaml\. Point --catalog at the folder holding homelab\.yaml/,
		);
	});
});
