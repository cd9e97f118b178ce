import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { MailServerSettings } from '../../clients/email/connection';
import { ImapWatcher, type StateStore, type WatcherState } from '../../clients/email/imap-watcher';
import { asText } from '../../shared/values';
import { messageToItem } from './item';
import { homelabImapConnectionTest, searchMailboxes } from './methods';
import { imapSettings } from './transport/session';

export class ImapTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IMAP Trigger',
		name: 'imapTrigger',
		icon: { light: 'file:imap.svg', dark: 'file:imap.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"mailbox " + ($parameter["mailbox"].value || $parameter["mailbox"])}}',
		description:
			'Starts the workflow for each new email, exactly once: survives server restarts and dead connections',
		defaults: { name: 'IMAP Trigger' },
		// Not usableAsTool: a trigger starts workflows, an agent cannot call it.
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'homelabImapApi', required: true, testedBy: 'homelabImapConnectionTest' }],
		properties: [
			{
				displayName: 'Mailbox',
				name: 'mailbox',
				type: 'resourceLocator',
				default: { mode: 'list', value: 'INBOX' },
				required: true,
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchMailboxes', searchable: true },
					},
					{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'INBOX/Invoices' },
				],
			},
			{
				displayName: 'Only Unread Emails',
				name: 'unseenOnly',
				type: 'boolean',
				default: true,
				description: 'Whether to skip emails that are already marked as read',
			},
			{
				displayName: 'After Emitting',
				name: 'postAction',
				type: 'options',
				options: [
					{ name: 'Mark as Read', value: 'markSeen' },
					{ name: 'Move to Mailbox', value: 'move' },
					{ name: 'Mark as Read and Move', value: 'markSeenMove' },
					{ name: 'Leave Unchanged', value: 'nothing' },
				],
				default: 'markSeen',
				description: 'What to do with an email once the workflow has received it (never before)',
			},
			{
				displayName: 'Move To',
				name: 'moveTo',
				type: 'string',
				default: '',
				placeholder: 'Processed',
				required: true,
				displayOptions: { show: { postAction: ['move', 'markSeenMove'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ displayName: 'From Contains', name: 'from', type: 'string', default: '' },
					{
						displayName: 'Include Raw Message',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to add the original message (.eml) as binary property "raw"',
					},
					{
						displayName: 'Liveness Check Interval (Seconds)',
						name: 'watchdogSeconds',
						type: 'number',
						typeOptions: { minValue: 5 },
						default: 15,
						description: 'How often to check with NOOP that the server still answers (also polls for mail)',
					},
					{
						displayName: 'Max Attachment Size (MB)',
						name: 'maxAttachmentMb',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description: 'Larger attachments are listed but not downloaded',
					},
					{
						displayName: 'On First Activation',
						name: 'firstStart',
						type: 'options',
						options: [
							{ name: 'Only New Emails', value: 'new' },
							{ name: 'All Matching Emails Already There', value: 'all' },
						],
						default: 'new',
					},
					{
						displayName: 'Received Since',
						name: 'since',
						type: 'dateTime',
						default: '',
						description: 'Ignore emails received before this date',
					},
					{ displayName: 'Subject Contains', name: 'subject', type: 'string', default: '' },
				],
			},
		],
	};

	methods = {
		credentialTest: { homelabImapConnectionTest },
		listSearch: { searchMailboxes },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		let settings: MailServerSettings;
		try {
			settings = imapSettings(await this.getCredentials('homelabImapApi'));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message);
		}
		const mailbox = asText(this.getNodeParameter('mailbox', '', { extractValue: true })).trim();
		if (!mailbox) throw new NodeOperationError(this.getNode(), 'Mailbox is empty: choose one, e.g. INBOX');
		const postAction = this.getNodeParameter('postAction') as string;
		const moveTo =
			postAction === 'move' || postAction === 'markSeenMove'
				? (this.getNodeParameter('moveTo') as string).trim()
				: '';
		if ((postAction === 'move' || postAction === 'markSeenMove') && !moveTo) {
			throw new NodeOperationError(
				this.getNode(),
				'"Move To" is empty: name the mailbox emails go to after emitting',
			);
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const itemOptions = {
			maxAttachmentMb: Number(options.maxAttachmentMb ?? 10),
			includeRaw: options.includeRaw === true,
			attachmentPrefix: 'attachment_',
		};
		// Manual test runs must not move the saved position of the active workflow: they keep state in memory.
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		let memory: WatcherState = {};
		const state: StateStore = manual
			? { load: () => memory, save: (next) => void (memory = next) }
			: {
					load: () => (staticData.imap ?? {}) as WatcherState,
					save: (next) => {
						staticData.imap = next as unknown as IDataObject;
					},
				};
		const watcher = new ImapWatcher({
			server: settings,
			mailbox,
			criteria: {
				unseenOnly: this.getNodeParameter('unseenOnly') as boolean,
				from: (options.from as string) || undefined,
				subject: (options.subject as string) || undefined,
				since: options.since ? new Date(options.since as string) : undefined,
			},
			postAction: {
				markSeen: postAction === 'markSeen' || postAction === 'markSeenMove',
				moveTo: moveTo || undefined,
			},
			firstStart: options.firstStart === 'all' ? 'all' : 'new',
			state,
			watchdogMs: Number(options.watchdogSeconds ?? 15) * 1000,
			log: {
				info: (message, meta) => this.logger.info(message, meta),
				warn: (message, meta) => this.logger.warn(message, meta),
				debug: (message, meta) => this.logger.debug(message, meta),
			},
			deliver: {
				prepare: async (message) => {
					const item = await messageToItem(this, message, itemOptions);
					return () => this.emit([[item]]);
				},
			},
		});
		try {
			await watcher.start();
		} catch (error) {
			const failure = (error as Error & { failure?: { hint: string } }).failure;
			throw new NodeOperationError(
				this.getNode(),
				`Cannot watch mailbox "${mailbox}": ${(error as Error).message}`,
				{
					description: failure?.hint,
				},
			);
		}
		return { closeFunction: async () => await watcher.stop() };
	}
}
