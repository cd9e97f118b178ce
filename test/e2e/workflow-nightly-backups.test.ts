// workflows/nightly-backups.json end to end: real n8n, the real backend running backup-run against the Proxmox
// simulator, real SMTP -> dovecot, and the Home Assistant simulator. Only settings (guests, recipient) and, for
// the unreachable-backend case, one credential are adapted; the logic is the file's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { BackendProcess } from '../backend/backend-process';
import { TOKEN } from '../backend/backend-process';
import { freePort } from '../harness/net';
import type { N8n, WorkflowJson } from '../harness/n8n';
import {
	backendForSimulator,
	boundCredentials,
	createNamedCredentials,
	loadWorkflow,
	waitForMail,
	waitUntilDone,
} from '../helpers/backend-workflows';
import { sharedN8n } from '../helpers/shared-n8n';
import { startMail, type MailService } from '../services/mail';
import { HomeAssistantSimulator } from '../simulators/homeassistant';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';
import { startDsmSimulator, type DsmSimulator } from '../simulators/synology/server';

const TRIGGER = 'Every night at 02:30';

describe('workflows/nightly-backups.json end to end (backend + Proxmox and DSM sims + dovecot + Home Assistant sim)', () => {
	let n8n: N8n;
	let mail: MailService;
	let sim: ProxmoxSimulator;
	let ha: HomeAssistantSimulator;
	let dsm: DsmSimulator;
	let backend: BackendProcess;
	let stopBackend: () => Promise<void>;
	let credentials: Record<string, string>;

	before(async () => {
		n8n = await sharedN8n();
		mail = await startMail();
		sim = await startProxmoxSimulator({ vzdumpMs: 300, taskMs: 100 });
		ha = await HomeAssistantSimulator.start();
		dsm = await startDsmSimulator();
		({ backend, cleanup: stopBackend } = await backendForSimulator(sim, {
			synology: { baseUrl: dsm.url, username: dsm.account, password: dsm.password },
		}));
		credentials = await createNamedCredentials(n8n, [
			{ name: 'Homelab Backend', type: 'homelabBackendApi', data: { url: backend.url, token: TOKEN } },
			{
				name: 'Lab SMTP',
				type: 'homelabSmtpApi',
				data: {
					host: mail.host,
					port: mail.smtpPort,
					security: 'none',
					user: mail.users.alice.address,
					authType: 'password',
					password: mail.users.alice.password,
					from: `Homelab <${mail.users.alice.address}>`,
				},
			},
			{
				name: 'Home Assistant',
				type: 'homelabHomeAssistantApi',
				data: { url: ha.url, accessToken: ha.token, ignoreSslIssues: false },
			},
		]);
	});
	after(async () => {
		await stopBackend?.();
		await ha?.stop();
		await dsm?.close();
		await sim?.stop();
		await mail?.stop();
	});

	/** The shipped workflow with its settings node pointed at these guests and this recipient. */
	function configured(vmids: number[], hyperBackupTaskId = ''): WorkflowJson {
		const workflow = loadWorkflow('nightly-backups.json');
		const settings = workflow.nodes.find((node) => node.name === 'Backup settings');
		assert.ok(settings, 'the workflow has a "Backup settings" node');
		const assignments = (
			settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
		).assignments;
		const set = (name: string, value: string) => {
			const entry = assignments.find((candidate) => candidate.name === name);
			assert.ok(entry, `Backup settings has "${name}"`);
			entry.value = value;
		};
		set('vmids', JSON.stringify(vmids));
		set('reportTo', mail.users.bob.address);
		set('hyperBackupTaskId', hyperBackupTaskId);
		return workflow;
	}

	const notifyCalls = () =>
		ha.serviceCalls.filter((call) => call.domain === 'notify' && call.service === 'mobile_app_phone');

	async function runToEnd(workflow: WorkflowJson) {
		const id = await n8n.importWorkflow(workflow);
		const started = await n8n.runWorkflow(id, TRIGGER, 60_000);
		// submit-and-wait: the execution waits until the backend's callback resumes it
		return await waitUntilDone(n8n, started.id, 120_000);
	}

	it('binds the credentials referenced by name on import', async () => {
		const id = await n8n.importWorkflow(loadWorkflow('nightly-backups.json'));
		const bound = await boundCredentials(n8n, id);
		assert.deepEqual(bound['Run backups'], {
			homelabBackendApi: { id: credentials['Homelab Backend'], name: 'Homelab Backend' },
		});
		assert.deepEqual(bound['Email report'], {
			homelabSmtpApi: { id: credentials['Lab SMTP'], name: 'Lab SMTP' },
		});
		assert.deepEqual(bound['Notify Home Assistant'], {
			homelabHomeAssistantApi: { id: credentials['Home Assistant'], name: 'Home Assistant' },
		});
		const settings = loadWorkflow('nightly-backups.json').nodes.find((node) => node.name === TRIGGER);
		assert.deepEqual(settings?.parameters.rule, {
			interval: [{ field: 'cronExpression', expression: '30 2 * * *' }],
		});
	});

	it('all guests backed up: vzdump archives on the storage, HTML report mailed, no Home Assistant call', async () => {
		const before = { vzdump: sim.counters.vzdump, calls: notifyCalls().length };
		const hyperRuns = dsm.backupTasks[0].runs;
		const result = await runToEnd(configured([100, 200], String(dsm.backupTasks[0].task_id)));
		assert.equal(result.status, 'success', JSON.stringify(result.error));

		// side effects at the far end: one vzdump per guest, each archive tagged with the job's idempotency key
		assert.equal(sim.counters.vzdump - before.vzdump, 2);
		for (const vmid of [100, 200]) {
			const archives = sim.backups.filter((backup) => backup.vmid === vmid && backup.storage === 'local');
			assert.equal(archives.length, 1, `one archive of ${vmid}`);
			assert.match(archives[0].notes ?? '', /homelab-job:[0-9a-f-]{36}:vzdump-\d+/);
		}
		const report = await waitForMail(mail, mail.users.bob, /^Nightly backups OK: 2\/2 guests/);
		assert.match(report.subject, /2\/2 guests, 2\.4 GiB$/);
		assert.match(report.from, /alice@lab\.test/);
		assert.match(report.html, /<table/);
		for (const backup of sim.backups)
			assert.ok(report.html.includes(backup.volid), `report lists ${backup.volid}`);
		assert.match(report.html, /<td[^>]*>100<\/td><td[^>]*>ok<\/td>/);
		assert.match(report.html, /<td[^>]*>1\.2 GiB<\/td><td[^>]*>\d+(\.\d)? s<\/td>/);
		assert.match(report.text, /2\/2 guests backed up on pve1 \(2\.4 GiB\)/);
		// the Hyper Backup task ran once on the (simulated) NAS and the report says how it ended
		assert.equal(dsm.backupTasks[0].runs - hyperRuns, 1);
		assert.match(report.html, /Synology Hyper Backup task 1: done \(finished 2026\/11\/22 03:07\)/);
		// the restore test of the night: VM 100 (200 is a container, checked by its archive only)
		const archive100 = sim.backups.find((backup) => backup.vmid === 100)!;
		assert.ok(
			report.html.includes(
				`Restore test: VM 100 restored from ${archive100.volid} into 9999, booted (192.168.100.219), destroyed.`,
			),
			report.html,
		);
		assert.equal(sim.vms.has(9999), false, 'the restored copy is destroyed');
		assert.match(report.text, /Restore test: VM 100 restored/);
		assert.equal(notifyCalls().length, before.calls, 'no Home Assistant notification when all went well');
		assert.equal(result.runData['Notify Home Assistant'], undefined);
	});

	it('one guest fails: the report says which and why, and Home Assistant gets a notification', async (t) => {
		const before = notifyCalls().length;
		// 4242 is no guest on pve1: the simulator's vzdump task ends "job errors" (as PVE does) after its retries
		const result = await runToEnd(configured([100, 4242]));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const job = result.runData['Run backups'].at(-1)?.data?.main?.[0]?.[0]?.json as {
			status: string;
			steps: Array<{ name: string; status: string }>;
		};
		assert.equal(job.status, 'failed');
		assert.deepEqual(
			job.steps.filter((step) => step.status === 'failed').map((step) => step.name),
			['vzdump-4242'],
		);

		const report = await waitForMail(mail, mail.users.bob, /^Nightly backups FAILED: 1\/2 guests/);
		assert.match(report.html, /<td[^>]*>100<\/td><td[^>]*>ok<\/td>/);
		assert.match(report.html, /<td[^>]*>4242<\/td><td[^>]*>failed<\/td>/);
		assert.match(report.text, /failed: 4242 \(/);

		const calls = notifyCalls().slice(before);
		assert.equal(calls.length, 1, 'one Home Assistant notification');
		assert.equal(calls[0].data.title, 'Nightly backups failed');
		assert.match(String(calls[0].data.message), /1\/2 guests backed up on pve1.*failed: 4242/);
		t.diagnostic(`notification: ${String(calls[0].data.message)}`);
	});

	it('the restore test fails: the copy is destroyed, the report says why, Home Assistant is notified', async () => {
		const before = notifyCalls().length;
		sim.failNextTask('qmstart', 'start failed: QEMU exited with code 1');
		const result = await runToEnd(configured([100]));
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const report = await waitForMail(mail, mail.users.bob, /^Nightly backups FAILED: 1\/1 guests/);
		assert.match(report.html, /<td[^>]*>100<\/td><td[^>]*>ok<\/td>/);
		assert.match(
			report.html,
			/Restore test FAILED: restore-verify of 100 from local:backup\/vzdump-qemu-100-[^:]+: the restored VM did not boot: .*QEMU exited with code 1.* \(scratch VM 9999 destroyed\)/,
		);
		assert.equal(sim.vms.has(9999), false);
		const calls = notifyCalls().slice(before);
		assert.equal(calls.length, 1);
		assert.match(String(calls[0].data.message), /Restore test FAILED/);
	});

	it('backend unreachable: the error branch still mails a report and notifies Home Assistant', async () => {
		const before = notifyCalls().length;
		const deadPort = await freePort();
		const down = `Homelab Backend (down ${deadPort})`;
		const downId = await n8n.createCredential(down, 'homelabBackendApi', {
			url: `http://127.0.0.1:${deadPort}`,
			token: TOKEN,
		});
		const workflow = configured([100]);
		const run = workflow.nodes.find((node) => node.name === 'Run backups');
		assert.ok(run);
		run.credentials = { homelabBackendApi: { id: downId, name: down } };
		const result = await runToEnd(workflow);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const report = await waitForMail(mail, mail.users.bob, /^Nightly backups FAILED: 0\/1 guests/);
		assert.match(
			report.html,
			// the node's own words: which backend, which call, the request id, and the cause in brackets
			/the backup run never started: The backend at http:\/\/127\.0\.0\.1:\d+ did not answer POST \/v1\/jobs \[request id [0-9a-f-]{36}\][^<]*connection refused[^<]*<\/li>/i,
		);
		assert.match(report.html, /<td[^>]*>100<\/td><td[^>]*>not run<\/td>/);
		const calls = notifyCalls().slice(before);
		assert.equal(calls.length, 1);
		assert.match(String(calls[0].data.message), /never started/);
	});
});
