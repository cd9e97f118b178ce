import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ComposeError, interpolate, parseCompose, parseDotEnv, shellSplit } from '../../clients/docker';

const minimal = (body: string) => `services:\n${body}`;

describe('compose model: parsing compose YAML for the engine API', () => {
	it('interpolates ${VAR}, defaults, alternatives, $$ and required variables from the given variables only', () => {
		const vars = { SET: 'x', EMPTY: '' };
		assert.equal(
			interpolate('$SET-${SET}-${UNSET:-d}-${EMPTY:-d}-${EMPTY-d}-${SET:+alt}-$$SET', vars, 't'),
			'x-x-d-d--alt-$SET',
		);
		assert.equal(interpolate('${HOME:-no-leak}', vars, 't'), 'no-leak');
		assert.throws(
			() => interpolate('${NEED:?set it}', vars, 'services.web.image'),
			(error: ComposeError) => {
				assert.equal(error.message, 'Required variable NEED is missing in services.web.image: set it');
				return true;
			},
		);
		assert.throws(() => interpolate('${BROKEN', vars, 'x'), /Unclosed/);
	});

	it('parses .env text and splits command strings like a shell, without running one', () => {
		assert.deepEqual(parseDotEnv('# c\nA=1\nexport B="two words"\nC=\'$lit\'\nD=x # note\n'), {
			A: '1',
			B: 'two words',
			C: '$lit',
			D: 'x',
		});
		assert.deepEqual(shellSplit(`sh -c 'echo "a b"; exit 1' "x\\"y" plain\\ space`), [
			'sh',
			'-c',
			'echo "a b"; exit 1',
			'x"y',
			'plain space',
		]);
	});

	it('normalizes services, networks and volumes, ordered by depends_on', () => {
		const project = parseCompose(
			`
name: ignored-when-given
services:
  web:
    image: nginx:\${TAG:-1.27}
    command: nginx -g 'daemon off;'
    depends_on: { api: { condition: service_started } }
    ports:
      - "8080:80"
      - target: 443
        published: 8443
        host_ip: 127.0.0.1
    volumes: [ "data:/var/lib/data:ro", "./conf:/etc/nginx/conf.d", "/srv/www:/www" ]
    networks: { front: { aliases: [www] }, back: {} }
    environment: [ "A=1", "FROM_VARS" ]
    restart: unless-stopped
    healthcheck: { test: "wget -q localhost", interval: 1m30s, retries: 3 }
    deploy: { replicas: 2 }
    sysctls: { a: b }
  api:
    image: busybox
    network_mode: host
networks: { front: {}, back: { external: true, name: shared-back } }
volumes: { data: {} }
`,
			{ projectName: 'media', variables: { FROM_VARS: 'v' }, workingDir: '/opt/stacks/media' },
		);
		assert.equal(project.name, 'media');
		assert.deepEqual(
			project.services.map((service) => service.name),
			['api', 'web'],
		);
		const web = project.services[1];
		assert.equal(web.image, 'nginx:1.27');
		assert.deepEqual(web.command, ['nginx', '-g', 'daemon off;']);
		assert.deepEqual(web.ports, ['8080:80/tcp', '127.0.0.1:8443:443/tcp']);
		assert.deepEqual(web.volumes, [
			{ type: 'volume', source: 'data', target: '/var/lib/data', readOnly: true },
			{ type: 'bind', source: '/opt/stacks/media/conf', target: '/etc/nginx/conf.d', readOnly: false },
			{ type: 'bind', source: '/srv/www', target: '/www', readOnly: false },
		]);
		assert.deepEqual(web.environment, { A: '1', FROM_VARS: 'v' });
		assert.deepEqual(web.networks, {
			front: { aliases: ['www'], ipv4Address: undefined },
			back: { aliases: [], ipv4Address: undefined },
		});
		assert.equal(web.replicas, 2);
		assert.deepEqual(web.healthcheck, {
			test: ['CMD-SHELL', 'wget -q localhost'],
			intervalNs: 90e9,
			retries: 3,
			timeoutNs: undefined,
			startPeriodNs: undefined,
		});
		assert.equal(project.services[0].networkMode, 'host');
		assert.deepEqual(
			project.networks.map((network) => [network.key, network.name, network.external]),
			[
				['front', 'media_front', false],
				['back', 'shared-back', true],
			],
		);
		assert.deepEqual(
			project.volumes.map((volume) => volume.name),
			['media_data'],
		);
		assert.deepEqual(project.warnings, ['services.web.sysctls is not supported and was ignored']);
	});

	it('reports invalid YAML with its line and column', () => {
		assert.throws(
			() => parseCompose('services:\n  web:\n    image: busybox\n   ports: [80]\n', { projectName: 'x' }),
			(error: ComposeError) => {
				assert.ok(error instanceof ComposeError);
				assert.match(
					error.message,
					/^Invalid compose YAML at line 4, column 1: All mapping items must start at the same column$/,
				);
				assert.equal(error.line, 4);
				return true;
			},
		);
		assert.throws(
			() => parseCompose('services: [\n', { projectName: 'x' }),
			/^ComposeError: Invalid compose YAML at line \d+/,
		);
	});

	it('points at the line of a value it cannot use, and says what to write instead', () => {
		const cases: Array<[string, RegExp]> = [
			[
				minimal('  web:\n    image: busybox\n    ports:\n      - "80:http"\n'),
				/services\.web\.ports\.0 "80:http" is not a port mapping \(line 5, column 9\)/,
			],
			[
				minimal('  web:\n    image: busybox\n    volumes: [ "data:/data" ]\n'),
				/refers to volume "data", which is not declared under the top-level volumes: \(line 4/,
			],
			[
				minimal('  web:\n    image: busybox\n    volumes: [ "./conf:/etc/x" ]\n'),
				/uses the relative path "\.\/conf", which needs a working directory/,
			],
			[
				minimal('  web:\n    build: .\n'),
				/services\.web uses build:, which this engine-API compose model does not run \(line 3/,
			],
			[minimal('  web:\n    command: [ls]\n'), /services\.web has no image/],
			[
				minimal('  web:\n    image: busybox\n    depends_on: [db]\n'),
				/refers to service "db", which is not in this file/,
			],
			[
				minimal('  web:\n    image: busybox\n    restart: sometimes\n'),
				/"sometimes" is not a restart policy/,
			],
			[
				minimal(
					'  a:\n    image: busybox\n    depends_on: [b]\n  b:\n    image: busybox\n    depends_on: [a]\n',
				),
				/depends_on forms a cycle: a -> b -> a/,
			],
			['version: "3"\n', /services is empty|top level must be a mapping/],
			['services: {}\nextra: 1\n', /extra is not a compose top-level key \(line 2/],
		];
		for (const [yaml, expected] of cases)
			assert.throws(() => parseCompose(yaml, { projectName: 'x' }), expected, yaml);
		assert.throws(
			() => parseCompose(minimal('  web:\n    image: busybox\n'), { projectName: 'Bad Name' }),
			/"Bad Name" is not a valid stack name/,
		);
		assert.throws(() => parseCompose(minimal('  web:\n    image: busybox\n')), /The stack has no name/);
	});

	it('reads env_file through the given reader, relative to the working directory', () => {
		const project = parseCompose(
			minimal('  web:\n    image: busybox\n    env_file: .env.web\n    environment: { B: "2" }\n'),
			{
				projectName: 'x',
				workingDir: '/stacks/x',
				readFile: (file) => {
					assert.equal(file, '/stacks/x/.env.web');
					return 'A=1\nB=1\n';
				},
			},
		);
		assert.deepEqual(project.services[0].environment, { A: '1', B: '2' });
		assert.throws(
			() => parseCompose(minimal('  web:\n    image: busybox\n    env_file: .env\n'), { projectName: 'x' }),
			/needs the file "\.env", which cannot be read here/,
		);
	});
});
