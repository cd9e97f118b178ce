// Imports each workflow into a fresh n8n (as the tests start it), opens it in the editor in Chromium, checks
// the canvas shows exactly its nodes and no error, and saves docs/workflows/<basename>.png.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { Editor } from '../test/harness/editor';
import { OWNER, startN8n, type WorkflowJson } from '../test/harness/n8n';
import { REPO_ROOT } from '../test/harness/runtime';

const workflowsDir = path.join(REPO_ROOT, 'workflows');
const outDir = path.join(REPO_ROOT, 'docs/workflows');

async function main(): Promise<void> {
	const files = (
		process.argv.length > 2
			? process.argv.slice(2).map((file) => path.resolve(file))
			: readdirSync(workflowsDir)
					.filter((file) => file.endsWith('.json'))
					.sort()
					.map((file) => path.join(workflowsDir, file))
	).filter((file) => file.endsWith('.json'));
	if (!files.length) throw new Error(`no workflow files (*.json) in ${workflowsDir}`);
	mkdirSync(outDir, { recursive: true });
	const started = Date.now();
	const n8n = await startN8n({ env: { N8N_LOG_LEVEL: 'warn' } });
	let editor: Editor | undefined;
	try {
		console.log(`n8n ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		editor = await Editor.open({ baseUrl: n8n.baseUrl, owner: OWNER });
		for (const file of files) {
			const workflow = JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
			const shotStarted = Date.now();
			const id = await n8n.importWorkflow(workflow);
			const canvas = await editor.openWorkflow(id, workflow.nodes.length);
			const expected = workflow.nodes
				.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
				.map((node) => node.name)
				.sort();
			const shown = canvas.nodes.map((node) => node.name).sort();
			if (JSON.stringify(shown) !== JSON.stringify(expected))
				throw new Error(
					`${path.basename(file)}: the canvas shows ${shown.join(', ')}; the file has ${expected.join(', ')}`,
				);
			if (canvas.errorToasts.length)
				throw new Error(`${path.basename(file)}: the editor showed ${canvas.errorToasts.join(' | ')}`);
			const out = path.join(outDir, `${path.basename(file, '.json')}.png`);
			await editor.screenshot(out);
			console.log(
				`${path.relative(REPO_ROOT, out)}: ${canvas.nodes.length} nodes, ${canvas.stickyNotes.length} ` +
					`sticky notes, rendered in ${canvas.renderMs} ms, ${Date.now() - shotStarted} ms in all`,
			);
		}
	} finally {
		await editor?.close();
		await n8n.stop();
	}
}

main().catch((error: Error) => {
	console.error(`screenshot-workflows: ${error.message}`);
	process.exit(1);
});
