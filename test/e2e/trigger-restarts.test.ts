import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { DockerClient } from '../../clients/docker';
import { waitFor } from '../harness/net';
import { startN8n, type N8n, type WorkflowJson, type WorkflowNode } from '../harness/n8n';
import { HA_CREDENTIAL_TYPE, haCredential } from '../helpers/homeassistant';
import { sendMails } from '../helpers/mail';
import { startDocker, type DockerService } from '../services/docker';
import { startMail, type MailService } from '../services/mail';
import { startMqtt, type MqttService } from '../services/mqtt';
import { FrigatePublisher, reviewLifecycle } from '../simulators/frigate/mqtt';
import { HomeAssistantSimulator } from '../simulators/homeassistant';
import { DsmSimulator } from '../simulators/synology/server';

// Every trigger of the pack across n8n restarts, graceful (SIGTERM) and kill -9, in one n8n user folder so the
// whole file costs three n8n starts. Each phase makes one event per trigger: before the first restart, while n8n
// is down, after it, while it is down again (killed), and after that. Each must become exactly one execution.

const PHASES = ['p1-before', 'p2-down-graceful', 'p3-after-graceful', 'p4-down-killed', 'p5-after-killed'];
const PROBE = 'sensor.restart_probe';

type TriggerName = 'imap' | 'docker' | 'homeAssistant' | 'frigate' | 'synology';

/** A one-node workflow (trigger -> nothing) with a stable node id (the Frigate client id derives from it). */
function triggerWorkflow(name: string, trigger: WorkflowNode): WorkflowJson {
	return {
		name,
		nodes: [
			{ ...trigger, id: randomUUID(), position: [0, 0] },
			{
				id: randomUUID(),
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [String(trigger.name)]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
	};
}

describe('every trigger of the pack across n8n restarts (graceful and kill -9)', () => {
	let n8n: N8n;
	let mail: MailService;
	let docker: DockerService;
	let dockerClient: DockerClient;
	let broker: MqttService;
	let publisher: FrigatePublisher;
	let ha: HomeAssistantSimulator;
	let dsm: DsmSimulator;
	const workflows = {} as Record<TriggerName, string>;
	const nodeNames: Record<TriggerName, string> = {
		imap: 'IMAP Trigger',
		docker: 'Docker Events Trigger',
		homeAssistant: 'Home Assistant Trigger',
		frigate: 'Frigate Trigger',
		synology: 'Download Finished',
	};
	/** Frigate incidents by phase: the "new" message is emitted; its update and end come in the next phase. */
	const incidents = new Map<string, ReturnType<typeof reviewLifecycle>>();
	/** Synology task id by phase. */
	const tasks = new Map<string, string>();

	before(async () => {
		[n8n, mail, docker, broker, ha, dsm] = await Promise.all([
			startN8n(),
			startMail(),
			startDocker(),
			startMqtt(),
			HomeAssistantSimulator.start(),
			new DsmSimulator({ downloadMs: 10 * 60 * 1000 }).start(),
		]);
		dockerClient = new DockerClient({ connection: 'socket', socketPath: docker.socketPath });
		publisher = await FrigatePublisher.connect(broker.url, {
			prefix: 'restart',
			clientId: 'frigate-restart-sim',
		});
		ha.setState(PROBE, 'initial');
		const { alice } = mail.users;
		const credential = async (name: string, type: string, data: Record<string, unknown>) => ({
			[type]: { id: await n8n.createCredential(name, type, data), name },
		});
		const imported = {
			imap: triggerWorkflow('restart: imap', {
				name: nodeNames.imap,
				type: 'n8n-nodes-homelab.imapTrigger',
				typeVersion: 1,
				// the setting of the reported defect: nothing marks a mail, so only the saved UID prevents repeats
				parameters: {
					mailbox: { __rl: true, mode: 'name', value: 'INBOX' },
					unseenOnly: false,
					postAction: 'nothing',
				},
				credentials: await credential('IMAP alice', 'homelabImapApi', {
					host: mail.host,
					port: mail.imapPort,
					security: 'starttls',
					user: alice.address,
					authType: 'password',
					password: alice.password,
					allowSelfSigned: true,
				}),
			}),
			docker: triggerWorkflow('restart: docker', {
				name: nodeNames.docker,
				type: 'n8n-nodes-homelab.dockerEventsTrigger',
				typeVersion: 1,
				parameters: { types: ['container'], actions: ['start'], options: { labels: 'lab.restart=yes' } },
				credentials: await credential('Docker', 'dockerHostApi', {
					connection: 'socket',
					socketPath: docker.socketPath,
				}),
			}),
			homeAssistant: triggerWorkflow('restart: home assistant', {
				name: nodeNames.homeAssistant,
				type: 'n8n-nodes-homelab.homeAssistantTrigger',
				typeVersion: 1,
				parameters: { triggerOn: 'stateChanged', entities: PROBE, options: { maxReconnectDelay: 2 } },
				credentials: { [HA_CREDENTIAL_TYPE]: await haCredential(n8n, ha) },
			}),
			frigate: triggerWorkflow('restart: frigate', {
				name: nodeNames.frigate,
				type: 'n8n-nodes-homelab.frigateTrigger',
				typeVersion: 1,
				parameters: { source: 'reviews', emit: 'first', options: { topicPrefix: 'restart' } },
				credentials: await credential('Broker', 'mqttBrokerApi', {
					host: '127.0.0.1',
					port: broker.port,
					tls: false,
					username: '',
					password: '',
					clientId: 'n8n-restart',
				}),
			}),
			synology: triggerWorkflow('restart: synology', {
				name: nodeNames.synology,
				type: 'n8n-nodes-homelab.synologyDownloadFinishedTrigger',
				typeVersion: 1,
				parameters: { pollTimes: { item: [{ mode: 'everyHour' }] }, options: {} },
				credentials: await credential('DSM', 'synologyDsmApi', {
					url: dsm.url,
					account: dsm.account,
					password: dsm.password,
					otpSecret: '',
					otpCode: '',
					deviceName: 'n8n restart test',
					allowUnauthorizedCerts: false,
				}),
			}),
		};
		for (const [trigger, workflow] of Object.entries(imported) as Array<[TriggerName, WorkflowJson]>) {
			workflows[trigger] = await n8n.importWorkflow(workflow);
			await activate(trigger);
		}
		// the Frigate trigger subscribes right after its CONNACK, asynchronously to the activation
		await new Promise((resolve) => setTimeout(resolve, 500));
	});
	after(async () => {
		await publisher?.close().catch(() => undefined);
		await n8n?.stop();
		await Promise.allSettled([mail?.stop(), docker?.stop(), broker?.stop(), ha?.stop(), dsm?.close()]);
	});

	/** Activates a workflow and waits until n8n reports its trigger started (n8n 2.x activates in the background). */
	async function activate(trigger: TriggerName): Promise<void> {
		const id = workflows[trigger];
		await n8n.activate(id);
		type Status = { data: { status: string; triggers: Array<{ status: string; errorMessage?: string }> } };
		const status = await waitFor(
			`workflow ${trigger} to be activated`,
			async () => {
				const current = await n8n.rest<Status>('GET', `/workflows/${id}/publication-status`);
				return current.data.status === 'in_progress' ? undefined : current.data;
			},
			{ timeoutMs: 60000, intervalMs: 200 },
		);
		assert.notEqual(status.status, 'failed', JSON.stringify(status.triggers));
	}

	/** n8n polls Synology at activation (and hourly here): re-activating is that poll, sooner. */
	async function pollSynology(): Promise<void> {
		await n8n.deactivate(workflows.synology);
		const logouts = () => dsm.requestsFor('SYNO.API.Auth').filter((r) => r.method === 'logout').length;
		const before = logouts();
		await activate('synology');
		await waitFor('the Synology poll', () => (logouts() > before ? true : undefined), { timeoutMs: 30000 });
	}

	/** One event per trigger, named after the phase. `down`: n8n is not running (no poll can be forced). */
	async function makeEvents(phase: string, down: boolean): Promise<void> {
		await sendMails(mail, mail.users.bob, mail.users.alice, [phase]);
		await dockerClient.createContainer({
			name: phase,
			image: docker.busyboxImage,
			cmd: ['true'],
			labels: { 'lab.restart': 'yes' },
			networkMode: 'none',
		});
		await dockerClient.startContainer(phase);
		ha.setState(PROBE, phase);
		// the previous incident goes on (update, end): emitted on its "new" already, it must not come again
		const previous = [...incidents.values()].at(-1);
		if (previous) for (const message of previous.slice(1)) await publisher.review(message);
		const incident = reviewLifecycle({ camera: 'front_door' });
		incidents.set(phase, incident);
		await publisher.review(incident[0]);
		const id = `dbid_restart_${tasks.size + 1}`;
		dsm.downloads.set(id, {
			id,
			type: 'http',
			title: `${phase}.iso`,
			uri: `https://mirror.lab/${phase}.iso`,
			destination: 'downloads',
			size: 10,
			elapsedMs: 0,
			resumedAt: Date.now(),
			paused: false,
			finished: false,
			createdAt: Date.now(),
			content: Buffer.from(phase),
		});
		dsm.finishDownload(id);
		tasks.set(phase, id);
		if (!down) await pollSynology();
	}

	/** What each trigger emitted, oldest first: the field that names the phase of each item. */
	async function emitted(trigger: TriggerName): Promise<string[]> {
		const executions = (await n8n.allExecutions(workflows[trigger])).reverse();
		return executions.flatMap((execution) =>
			(execution.runData[nodeNames[trigger]]?.[0]?.data?.main?.[0] ?? []).map(({ json }) => {
				if (trigger === 'imap') return String(json.subject);
				if (trigger === 'docker') return String(json.name);
				if (trigger === 'homeAssistant')
					return `${String(json.state)}${json.caught_up ? ' (caught up)' : ''}`;
				if (trigger === 'frigate') {
					const phase = [...incidents].find(([, messages]) => messages[0].after.id === json.id)?.[0];
					return `${phase ?? String(json.id)} ${String(json.type)}`;
				}
				return [...tasks].find(([, id]) => id === json.id)?.[0] ?? String(json.id);
			}),
		);
	}

	/**
	 * Waits until every trigger emitted `count` items. The Synology trigger is another area's code: a miss of its
	 * own shows in its assertion below rather than stopping the scenario for the others.
	 */
	async function untilEmitted(count: number): Promise<void> {
		for (const trigger of Object.keys(workflows) as TriggerName[]) {
			const waiting = waitFor(
				`${count} emitted by the ${trigger} trigger`,
				async () => ((await emitted(trigger)).length >= count ? true : undefined),
				{ timeoutMs: trigger === 'synology' ? 20000 : 90000, intervalMs: 500 },
			);
			if (trigger === 'synology') await waiting.catch(() => undefined);
			else await waiting;
		}
	}

	const runs: Record<TriggerName, string[]> = {} as Record<TriggerName, string[]>;
	before(async () => {
		await makeEvents(PHASES[0], false);
		await untilEmitted(1);
		n8n = await n8n.restart('graceful', async () => await makeEvents(PHASES[1], true));
		await untilEmitted(2);
		await makeEvents(PHASES[2], false);
		await untilEmitted(3);
		n8n = await n8n.restart('kill', async () => await makeEvents(PHASES[3], true));
		await untilEmitted(4);
		await makeEvents(PHASES[4], false);
		await untilEmitted(5);
		// give a duplicate every chance to appear before counting
		await new Promise((resolve) => setTimeout(resolve, 3000));
		for (const trigger of Object.keys(workflows) as TriggerName[]) runs[trigger] = await emitted(trigger);
	});

	it('IMAP Trigger: every mail once (UIDs saved before the emit)', () => {
		assert.deepEqual(runs.imap, PHASES);
	});

	it('Docker Events Trigger: every container start once, also those while n8n was down (since)', () => {
		assert.deepEqual(runs.docker, PHASES);
	});

	it('Home Assistant Trigger: every change once; changes while n8n was down as a catch-up', () => {
		assert.deepEqual(runs.homeAssistant, [
			PHASES[0],
			`${PHASES[1]} (caught up)`,
			PHASES[2],
			`${PHASES[3]} (caught up)`,
			PHASES[4],
		]);
	});

	it('Frigate Trigger: every incident once (QoS 1 persistent session; emitted ids remembered)', () => {
		assert.deepEqual(
			runs.frigate,
			PHASES.map((phase) => `${phase} new`),
		);
	});

	it('Synology Download Finished Trigger: every finished task once (DSM task list)', () => {
		assert.deepEqual(runs.synology, PHASES);
	});
});
