// workflows/provision-vm.json end to end: the form submitted over HTTP the way n8n's form page does it, real n8n,
// the real backend running provision-vm against the Proxmox simulator, real SMTP -> dovecot. Only the settings'
// default recipient is adapted; the form answers pick template, size and where the mail goes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { BackendProcess } from '../backend/backend-process';
import { TOKEN } from '../backend/backend-process';
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
import { dockerApi, startDocker, type DockerService } from '../services/docker';
import { startMail, type MailService } from '../services/mail';
import { startRegistry, type RegistrySimulator } from '../simulators/docker-registry';
import { startProxmoxSimulator, type ProxmoxSimulator } from '../simulators/proxmox/server';

const FORM_PATH = 'provision-vm';

describe('workflows/provision-vm.json end to end (form + backend + Proxmox sim + Docker engine + dovecot)', () => {
	let n8n: N8n;
	let mail: MailService;
	let docker: DockerService;
	let registry: RegistrySimulator;
	let image: string;
	let sim: ProxmoxSimulator;
	let backend: BackendProcess;
	let stopBackend: () => Promise<void>;
	let credentials: Record<string, string>;
	let workflowId: string | undefined;

	before(async () => {
		n8n = await sharedN8n();
		[mail, docker, registry] = await Promise.all([startMail(), startDocker(), startRegistry()]);
		await registry.publish(docker.socketPath, docker.busyboxImage, 'lab/busybox', '1');
		image = `${registry.host}/lab/busybox:1`;
		sim = await startProxmoxSimulator({ cloneMs: 400, taskMs: 100, bootMs: 500 });
		({ backend, cleanup: stopBackend } = await backendForSimulator(sim, { dockerSocket: docker.socketPath }));
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
		]);
		const workflow: WorkflowJson = loadWorkflow('provision-vm.json');
		const settings = workflow.nodes.find((node) => node.name === 'Settings');
		assert.ok(settings);
		const notifyTo = (
			settings.parameters.assignments as { assignments: Array<{ name: string; value: unknown }> }
		).assignments.find((entry) => entry.name === 'notifyTo');
		assert.ok(notifyTo);
		notifyTo.value = mail.users.alice.address;
		workflowId = await n8n.importWorkflow(workflow);
		await n8n.activate(workflowId);
		// n8n registers an activated workflow's webhooks a moment after the API call returns
		const deadline = Date.now() + 30_000;
		while ((await fetch(`${n8n.baseUrl}/form/${FORM_PATH}`)).status !== 200) {
			assert.ok(Date.now() < deadline, `the form at /form/${FORM_PATH} is served`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	});
	after(async () => {
		if (workflowId) await n8n.deactivate(workflowId).catch(() => undefined);
		await stopBackend?.();
		await sim?.stop();
		await registry?.close();
		await docker?.stop();
		await mail?.stop();
	});

	/** What the form page's script does: POST the fields as multipart, get the waiting URL, poll, load the page. */
	async function submitForm(answers: string[]): Promise<{ executionId: string; page: string }> {
		const body = new FormData();
		answers.forEach((answer, index) => body.append(`field-${index}`, answer));
		const response = await fetch(`${n8n.baseUrl}/form/${FORM_PATH}`, { method: 'POST', body });
		const text = await response.text();
		assert.equal(response.status, 200, text);
		const { formWaitingUrl } = JSON.parse(text) as { formWaitingUrl: string };
		const executionId = /\/form-waiting\/(\d+)/.exec(formWaitingUrl)?.[1];
		assert.ok(executionId, `a waiting-form URL: ${formWaitingUrl}`);
		// the page polls the execution's status until its completion page is what it waits on
		const statusUrl = new URL(formWaitingUrl);
		statusUrl.pathname += '/n8n-execution-status';
		const deadline = Date.now() + 120_000;
		let status = '';
		while (status !== 'form-waiting') {
			assert.ok(Date.now() < deadline, `the execution reached its completion page (status ${status})`);
			status = await (await fetch(statusUrl)).text();
			assert.ok(
				!['error', 'canceled', 'crashed'].includes(status),
				`execution ${executionId} ended ${status}`,
			);
			if (status !== 'form-waiting') await new Promise((resolve) => setTimeout(resolve, 200));
		}
		const page = await (await fetch(formWaitingUrl)).text();
		return { executionId, page };
	}

	it('binds the credentials referenced by name on import', async () => {
		assert.ok(workflowId);
		const bound = await boundCredentials(n8n, workflowId);
		assert.deepEqual(bound['Provision VM'], {
			homelabBackendApi: { id: credentials['Homelab Backend'], name: 'Homelab Backend' },
		});
		for (const name of ['Email: VM ready', 'Email: provisioning failed'])
			assert.deepEqual(bound[name], { homelabSmtpApi: { id: credentials['Lab SMTP'], name: 'Lab SMTP' } });
	});

	it('a submitted form clones, configures and boots the VM, then shows and mails its VMID and IP', async () => {
		const clones = sim.counters.clone;
		const { executionId, page } = await submitForm([
			'web-01',
			'ubuntu-2404-cloud',
			'small',
			'',
			mail.users.bob.address,
		]);

		// the simulator has the clone of template 9000, cloud-init set, disk grown, running
		assert.equal(sim.counters.clone - clones, 1);
		const vm = [...sim.vms.values()].find((candidate) => candidate.config.name === 'web-01');
		assert.ok(vm, 'a VM named web-01 exists');
		assert.equal(vm.status, 'running');
		assert.equal(vm.node, 'pve1');
		assert.match(String(vm.config.description), /homelab-job:[0-9a-f-]{36}:clone/);
		assert.equal(vm.config.ciuser, 'admin');
		assert.equal(vm.config.ipconfig0, 'ip=dhcp');
		assert.equal(Number(vm.config.cores), 1);
		assert.equal(String(vm.config.memory), '2048');
		assert.match(String(vm.config.scsi0), /size=16G/);
		const ip = `192.168.100.${(vm.vmid % 200) + 20}`; // what the simulated guest agent reports

		// the form's completion page and the mail both carry the VMID and IP
		assert.match(page, new RegExp(`VM web-01 is ready`));
		assert.match(page, new RegExp(`VMID ${vm.vmid}, IP ${ip.replace(/\./g, '\\.')}`));
		const sent = await waitForMail(mail, mail.users.bob, /^VM web-01 is ready/);
		assert.equal(sent.subject, `VM web-01 is ready: VMID ${vm.vmid}, IP ${ip}`);
		assert.match(sent.text, new RegExp(`ssh admin@${ip.replace(/\./g, '\\.')}`));
		assert.match(sent.from, /alice@lab\.test/);

		const execution = await waitUntilDone(n8n, executionId, 10_000, (result) =>
			Boolean(result.runData['Show VMID and IP']),
		);
		assert.equal(execution.runData['Describe failure'], undefined);
	});

	it('a template the cluster lacks: the clone step fails, the page and the mail say so', async () => {
		// "debian-12-cloud" maps to VMID 9001 in Settings, which this cluster does not have
		const { page } = await submitForm(['web-02', 'debian-12-cloud', 'medium', '', mail.users.bob.address]);
		assert.equal(
			[...sim.vms.values()].some((candidate) => candidate.config.name === 'web-02'),
			false,
			'no VM was created',
		);
		assert.match(page, /Provisioning web-02 failed/);
		assert.match(page, /step &quot;clone&quot; failed|step "clone" failed/);
		const sent = await waitForMail(mail, mail.users.bob, /^Provisioning VM web-02 failed$/);
		assert.match(sent.text, /step "clone" failed after \d attempt\(s\): .*9001/);
	});

	it('a name Proxmox would refuse: the backend rejects the job and the failure branch explains', async () => {
		// the job's input schema only takes DNS-style names; the form accepts any text
		const { page } = await submitForm(['web_03!', 'ubuntu-2404-cloud', 'small', '', '']);
		assert.match(page, /Provisioning web_03! failed/);
		// no recipient in the form: the Settings default (alice) gets it
		const sent = await waitForMail(mail, mail.users.alice, /^Provisioning VM web_03! failed$/);
		assert.match(
			sent.text,
			/could not be submitted: The backend refused POST \/v1\/jobs \(400\): invalid input for provision-vm: \/name must match pattern/,
		);
	});
	it('a template choice Settings does not map: Build job input fails into the failure branch', async () => {
		// the form's dropdown and Settings.templates edited out of step (n8n does not check a dropdown answer)
		const clones = sim.counters.clone;
		const { page } = await submitForm(['web-04', 'windows-11', 'small', '', mail.users.bob.address]);
		assert.match(page, /Provisioning web-04 failed/);
		const sent = await waitForMail(mail, mail.users.bob, /^Provisioning VM web-04 failed$/);
		assert.match(sent.text, /Template "windows-11" is not in Settings\.templates: add it there/);
		assert.equal(sim.counters.clone, clones, 'nothing was cloned');
	});

	it('with a compose stack: the stack runs on the new VM (a real Docker engine) before the mail goes out', async () => {
		const compose = [
			'services:',
			'  app:',
			`    image: ${image}`,
			'    command: ["sh", "-c", "exec sleep 3600"]',
			'    network_mode: none',
		].join('\n');
		const { page } = await submitForm([
			'app-01',
			'ubuntu-2404-cloud',
			'small',
			compose,
			mail.users.bob.address,
		]);
		const vm = [...sim.vms.values()].find((candidate) => candidate.config.name === 'app-01');
		assert.ok(vm, 'a VM named app-01 exists');
		const ip = `192.168.100.${(vm.vmid % 200) + 20}`;
		assert.match(page, new RegExp(`VMID ${vm.vmid}, IP ${ip.replace(/\./g, '\\.')}`));
		// the compose project is named after the VM and its service runs on the engine the VM's address names
		const filter = encodeURIComponent(JSON.stringify({ label: ['com.docker.compose.project=app-01'] }));
		const listed = await dockerApi(docker.socketPath, 'GET', `/containers/json?filters=${filter}`);
		const containers = JSON.parse(listed.body) as Array<{
			State: string;
			Image: string;
			Labels: Record<string, string>;
		}>;
		assert.equal(containers.length, 1, listed.body);
		assert.equal(containers[0].State, 'running');
		assert.equal(containers[0].Labels['com.docker.compose.service'], 'app');
		const sent = await waitForMail(mail, mail.users.bob, /^VM app-01 is ready/);
		assert.match(sent.text, /size small, compose stack deployed/);
	});
});
