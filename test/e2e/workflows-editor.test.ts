import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Editor } from '../harness/editor';
import { OWNER, type N8n, type WorkflowJson } from '../harness/n8n';
import { REPO_ROOT } from '../harness/runtime';
import { sharedN8n } from '../helpers/shared-n8n';

const STICKY = 'n8n-nodes-base.stickyNote';
const workflowFiles = readdirSync(path.join(REPO_ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.sort();
const load = (file: string) =>
	JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as WorkflowJson;
const screenshotOf = (file: string) => `docs/workflows/${path.basename(file, '.json')}.png`;

describe('workflows/ in the n8n editor (Chromium)', () => {
	let n8n: N8n;
	let editor: Editor;
	before(async () => {
		n8n = await sharedN8n();
		editor = await Editor.open({ baseUrl: n8n.baseUrl, owner: OWNER });
	});
	after(async () => await editor?.close());

	it('there are workflows to check', () => assert.ok(workflowFiles.length > 0));

	for (const file of workflowFiles) {
		it(`${file}: the canvas shows exactly its nodes and sticky notes, and no error`, async () => {
			const workflow = load(file);
			const id = await n8n.importWorkflow(workflow);
			const canvas = await editor.openWorkflow(id, workflow.nodes.length);
			const nodes = workflow.nodes.filter((node) => node.type !== STICKY);
			assert.deepEqual(
				canvas.nodes.map((node) => [node.name, node.type]).sort(),
				nodes.map((node) => [node.name, node.type]).sort(),
			);
			assert.equal(canvas.stickyNotes.length, workflow.nodes.length - nodes.length);
			assert.deepEqual(canvas.errorToasts, []);
			console.log(`# ${file}: canvas rendered in ${canvas.renderMs} ms`);
		});
	}

	it('every workflow has its screenshot committed in docs/workflows/ (scripts/screenshot-workflows.sh)', () => {
		const missing = workflowFiles.map(screenshotOf).filter((png) => !existsSync(path.join(REPO_ROOT, png)));
		assert.deepEqual(missing, [], 'run `bash scripts/screenshot-workflows.sh` and commit the PNGs');
		for (const file of workflowFiles) {
			const png = readFileSync(path.join(REPO_ROOT, screenshotOf(file)));
			// A real PNG of editor size (IHDR width and height), not an empty placeholder.
			assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${screenshotOf(file)} is not a PNG`);
			assert.ok(png.readUInt32BE(16) >= 1200 && png.readUInt32BE(20) >= 700, `${screenshotOf(file)} size`);
		}
	});

	it('the README links every screenshot', () => {
		const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
		const unlinked = workflowFiles.map(screenshotOf).filter((png) => !readme.includes(`(${png})`));
		assert.deepEqual(unlinked, [], 'link each screenshot from README.md');
	});
});
