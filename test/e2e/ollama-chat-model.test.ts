import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { outputOf, type N8n, type WorkflowJson } from '../harness/n8n';
import { sharedN8n } from '../helpers/shared-n8n';
import { startOllamaSimulator, type OllamaSimulator } from '../simulators/ollama/server';

function agentWorkflow(
	name: string,
	credential: { id: string; name: string },
	withTool: boolean,
): WorkflowJson {
	const nodes: WorkflowJson['nodes'] = [
		{
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			name: 'AI Agent',
			type: '@n8n/n8n-nodes-langchain.agent',
			typeVersion: 3.1,
			position: [240, 0],
			parameters: { promptType: 'define', text: 'Is the NAS up?', options: {} },
		},
		{
			name: 'Ollama Chat Model',
			type: 'n8n-nodes-homelab.ollamaChatModel',
			typeVersion: 1,
			position: [200, 220],
			parameters: {
				model: { __rl: true, mode: 'name', value: 'llama3.2' },
				options: { temperature: 0.1, numCtx: 2048 },
			},
			credentials: { ollamaApi: credential },
		},
	];
	const connections: Record<string, unknown> = {
		'Manual Trigger': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
		'Ollama Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
	};
	if (withTool) {
		nodes.push({
			name: 'NAS status',
			type: '@n8n/n8n-nodes-langchain.toolCode',
			typeVersion: 1.3,
			position: [400, 220],
			parameters: {
				name: 'nas_status',
				description: 'Tells whether the NAS is up',
				jsCode: "return 'NAS is up, 3 disks healthy';",
			},
		});
		connections['NAS status'] = { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] };
	}
	return { name, nodes, connections };
}

describe('Ollama Chat Model (Homelab) as the language model of n8n’s AI Agent', () => {
	let n8n: N8n;
	let sim: OllamaSimulator;
	let credential: { id: string; name: string };
	before(async () => {
		n8n = await sharedN8n();
		sim = await startOllamaSimulator();
		const name = `Ollama for agents ${Date.now()}`;
		credential = {
			id: await n8n.createCredential(name, 'ollamaApi', { baseUrl: sim.url, apiKey: '', extraHeaders: '' }),
			name,
		};
	});
	after(async () => await sim.stop());

	const chatRequests = () => sim.requests.filter((request) => request.path === '/api/chat');

	it('answers an agent prompt through /api/chat with the options set on the model node', async () => {
		const before = chatRequests().length;
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(agentWorkflow('agent: plain', credential, false)),
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'AI Agent');
		assert.match(String(item.json.output), /says: Is the NAS up\?/);
		const [request] = chatRequests().slice(before);
		assert.equal(request.body?.model, 'llama3.2');
		assert.deepEqual(request.body?.options, { temperature: 0.1, num_ctx: 2048 });
		const messages = request.body?.messages as Array<{ role: string; content: string }>;
		assert.equal(messages.at(-1)?.role, 'user');
		assert.equal(messages.at(-1)?.content, 'Is the NAS up?');
	});

	it('lets the agent call a tool and answers with its result', async () => {
		const before = chatRequests().length;
		const result = await n8n.runWorkflow(
			await n8n.importWorkflow(agentWorkflow('agent: tool', credential, true)),
		);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [item] = outputOf(result, 'AI Agent');
		assert.match(String(item.json.output), /tool result .*NAS is up, 3 disks healthy/);
		const requests = chatRequests().slice(before);
		assert.equal(requests.length, 2, 'one request that calls the tool, one with its result');
		const tools = requests[0].body?.tools as Array<{ function: { name: string } }>;
		assert.equal(tools[0].function.name, 'NAS_status'); // n8n names tools after their node
		const followUp = requests[1].body?.messages as Array<{
			role: string;
			content: string;
			tool_calls?: unknown[];
		}>;
		assert.ok(followUp.some((message) => message.role === 'assistant' && message.tool_calls?.length));
		assert.equal(followUp.at(-1)?.role, 'tool');
	});

	it('fails clearly when the model is not pulled', async () => {
		const workflow = agentWorkflow('agent: missing model', credential, false);
		workflow.nodes[2].parameters.model = { __rl: true, mode: 'name', value: 'not-pulled:7b' };
		const result = await n8n.runWorkflow(await n8n.importWorkflow(workflow));
		assert.equal(result.status, 'error');
		assert.match(JSON.stringify(result.error), /ollama pull not-pulled:7b/);
	});
});
