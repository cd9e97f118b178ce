import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { loadCatalog } from '../../backend/src/catalog/load';
import { CatalogInvalidError, formatProblem, type CatalogProblem } from '../../backend/src/catalog/problems';
import { BASE_CATALOG, BASE_SECRETS, CatalogFixtures } from '../helpers/catalog';

const fixtures = new CatalogFixtures();
after(() => fixtures.cleanup());

/** loads a catalog that must be invalid; returns its problems */
function problemsOf(changes: Record<string, string | null>, secrets: Record<string, string> = BASE_SECRETS) {
	const dir = fixtures.catalog(changes);
	try {
		loadCatalog(dir, { secretsFile: fixtures.secrets(secrets) });
	} catch (error) {
		assert.ok(error instanceof CatalogInvalidError, String(error));
		return error.problems;
	}
	assert.fail('the catalog loaded although it is invalid');
}

function only(problems: CatalogProblem[]): CatalogProblem {
	assert.equal(problems.length, 1, problems.map(formatProblem).join('\n'));
	return problems[0];
}

const replace = (file: string, from: string, to: string) => {
	assert.ok(BASE_CATALOG[file].includes(from), `${file} has ${from}`);
	return { [file]: BASE_CATALOG[file].replace(from, to) };
};

describe('catalog errors name file:line:column and what to do', () => {
	it('loads the base catalog and the example lab', () => {
		const catalog = loadCatalog(fixtures.catalog(), { secretsFile: fixtures.secrets() });
		assert.deepEqual(
			catalog.services.map((service) => service.name),
			['db', 'web'],
		);
		assert.equal(catalog.services[1].expose[0].upstream, 'nas.lan:8080');
		const secrets = fixtures.secrets({
			NAS_DOCKER_CA: 'a',
			NAS_DOCKER_CERT: 'b',
			NAS_DOCKER_KEY: 'c',
			PDNS_API_KEY: 'd',
			POSTGRES_PASSWORD: 'e',
			WEBUI_SECRET_KEY: 'f',
		});
		const examples = loadCatalog(path.join(__dirname, '../../examples'), { secretsFile: secrets });
		assert.ok(examples.services.length >= 8);
		const order = examples.services.map((service) => service.name);
		assert.ok(order.indexOf('ollama') < order.indexOf('open-webui'), order.join(' '));
	});

	it('unknown key, with did-you-mean', () => {
		const problem = only(problemsOf(replace('services/web/service.yaml', 'expose:', 'exopse:')));
		assert.equal(problem.file, 'services/web/service.yaml');
		assert.deepEqual([problem.line, problem.column], [5, 1]);
		assert.match(problem.message, /unknown key "exopse"/);
		assert.match(problem.hint, /Did you mean "expose"\?/);
		const nested = only(problemsOf(replace('homelab.yaml', '    host: nas.lan', '    hots: nas.lan')));
		assert.equal(formatProblem(nested).split(': ')[0], 'homelab.yaml:5:5');
		assert.match(nested.message, /unknown key "hots" in hosts\.nas/);
		assert.match(nested.hint, /"host"/);
	});

	it('duplicate hostname', () => {
		const problem = only(
			problemsOf(
				replace(
					'services/db/service.yaml',
					'backup: critical',
					'expose: [{ hostname: web.lab.test, service: db, port: 5432 }]',
				),
			),
		);
		// db sorts first, so web's entry is the second use
		assert.equal(problem.file, 'services/web/service.yaml');
		assert.deepEqual([problem.line, problem.column], [6, 17]);
		assert.match(
			problem.message,
			/hostname web\.lab\.test is also exposed by services\/db\/service\.yaml:3:22/,
		);
	});

	it('two services on one host port', () => {
		const problem = only(problemsOf(replace('services/db/compose.yaml', "'5432:5432'", "'8080:5432'")));
		assert.equal(problem.file, 'services/web/compose.yaml');
		assert.deepEqual([problem.line, problem.column], [6, 13]);
		assert.match(
			problem.message,
			/host port 8080\/tcp on host nas is also published by service db \(services\/db\/compose\.yaml:4:13\)/,
		);
		// the same port on another host is fine
		const moved = {
			...replace('services/db/compose.yaml', "'5432:5432'", "'8080:5432'"),
			...replace('services/db/service.yaml', 'host: nas', 'host: mini'),
		};
		loadCatalog(fixtures.catalog(moved), { secretsFile: fixtures.secrets() });
	});

	it('missing secret, in homelab.yaml, in env and in compose', () => {
		const rest = { NAS_CA: BASE_SECRETS.NAS_CA };
		const problems = problemsOf(
			replace('services/db/compose.yaml', 'image: postgres:16', 'image: postgres:${PG_VERSION}'),
			rest,
		);
		const lines = problems.map(formatProblem);
		assert.equal(problems.length, 3, lines.join('\n'));
		assert.ok(
			lines.some((line) => line.startsWith('homelab.yaml:13:67: secret PDNS_KEY is not set.')),
			lines.join('\n'),
		);
		assert.ok(
			lines.some((line) => line.startsWith('services/web/service.yaml:4:16: secret DB_PASSWORD is not set.')),
		);
		assert.ok(
			lines.some((line) =>
				line.startsWith('services/db/compose.yaml:3:21: variable PG_VERSION is neither in the service'),
			),
			lines.join('\n'),
		);
		// the environment is a secret source too
		const dir = fixtures.catalog();
		loadCatalog(dir, { env: BASE_SECRETS });
	});

	it('unknown host, with did-you-mean', () => {
		const problem = only(problemsOf(replace('services/web/service.yaml', 'host: nas', 'host: nass')));
		assert.equal(formatProblem(problem).split(': ')[0], 'services/web/service.yaml:2:7');
		assert.match(problem.message, /host "nass" is not in homelab\.yaml hosts/);
		assert.match(problem.hint, /Did you mean "nas"\?/);
	});

	it('depends_on cycle, and an unknown dependency', () => {
		const problem = only(
			problemsOf(replace('services/db/service.yaml', 'backup: critical', 'depends_on: [web]')),
		);
		assert.equal(problem.file, 'services/db/service.yaml');
		assert.equal(problem.line, 3);
		assert.match(problem.message, /depends_on cycle: db -> web -> db/);
		const unknown = only(problemsOf(replace('services/web/service.yaml', '[db]', '[dbb]')));
		assert.deepEqual([unknown.line, unknown.column], [7, 14]);
		assert.match(unknown.hint, /Did you mean "db"\?/);
	});

	it('a compose file the deploy cannot use', () => {
		const problem = only(problemsOf(replace('services/db/compose.yaml', "'5432:5432'", "'54x32:5432'")));
		assert.equal(formatProblem(problem).split(': ')[0], 'services/db/compose.yaml:4:13');
		assert.match(
			problem.message,
			/the deploy cannot use this compose file: .*"54x32:5432" is not a port mapping/,
		);
		const relative = only(
			problemsOf(replace('services/db/compose.yaml', "ports: ['5432:5432']", "volumes: ['./data:/data']")),
		);
		assert.equal(relative.file, 'services/db/compose.yaml');
		assert.equal(relative.line, 4);
		const unpublished = only(problemsOf(replace('services/web/service.yaml', 'port: 80 }', 'port: 81 }')));
		assert.match(unpublished.message, /does not publish container port 81/);
		assert.deepEqual([unpublished.line, unpublished.column], [6, 42]);
	});

	it('invalid YAML and duplicate keys', () => {
		const problem = only(
			problemsOf(replace('services/web/service.yaml', 'backup: config', 'backup: config\nhost: mini')),
		);
		assert.equal(problem.file, 'services/web/service.yaml');
		assert.equal(problem.line, 9);
		assert.match(problem.message, /not valid YAML: Map keys must be unique/);
	});

	it('secrets: inline secrets refused without echoing them; the secrets file outside the catalog, mode 600', () => {
		const inline = only(problemsOf(replace('homelab.yaml', '${NAS_CA}', 'BEGIN-CERT-SECRET')));
		assert.deepEqual([inline.line, inline.column], [7, 9]);
		assert.match(inline.message, /hosts\.nas\.ca holds a secret written inline/);
		assert.ok(!formatProblem(inline).includes('BEGIN-CERT-SECRET'));

		const dir = fixtures.catalog();
		const open = fixtures.secrets(BASE_SECRETS, 0o644);
		assert.throws(
			() => loadCatalog(dir, { secretsFile: open }),
			/can be read by others \(mode 644\).*chmod 600/,
		);
		const inside = path.join(dir, 'secrets.env');
		writeFileSync(inside, 'NAS_CA=x\n', { mode: 0o600 });
		assert.throws(() => loadCatalog(dir, { secretsFile: inside }), /inside the catalog folder/);
	});

	it('masks secret values that a message would quote', () => {
		const problems = problemsOf(replace('services/web/compose.yaml', "'8080:80'", "'${DB_PASSWORD}:80'"));
		const text = problems.map(formatProblem).join('\n');
		assert.match(text, /"\*\*\*:80" is not a port mapping/);
		assert.ok(!text.includes(BASE_SECRETS.DB_PASSWORD));
	});

	it('reports every problem of every file at once', () => {
		const problems = problemsOf({
			...replace('services/web/service.yaml', 'stack: infra', 'stak: infra'),
			...replace('services/db/service.yaml', 'backup: critical', 'backup: weekly'),
		});
		assert.equal(problems.length, 2, problems.map(formatProblem).join('\n'));
		assert.match(
			problems.map(formatProblem).join('\n'),
			/backup is "weekly"\. Use one of: none, config, data, critical/,
		);
	});
});
