// The real n8n editor UI in a real Chromium (Debian's /usr/bin/chromium driven by playwright-core, which never
// downloads a browser): log in through the sign-in form, open workflows on the Vue Flow canvas, read what it
// rendered, take screenshots, list the workflows page.
import { existsSync } from 'node:fs';

import { chromium, type Browser, type Page } from 'playwright-core';

import type { OwnerAccount } from './n8n';

export const CHROMIUM_PATH = process.env.HOMELAB_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The lab and CI have no route to the internet: without the background-networking flags Chromium keeps
 * trying Google services (component updates, sync, QUIC probes) and those failed connections slow and
 * disturb the page. Playwright starts every launch with a fresh temporary --user-data-dir of its own.
 */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * Every node of n8n 2.x's Vue Flow canvas is a `.vue-flow__node` whose `data-id` is the workflow node's id;
 * inside it a regular node is `[data-test-id="canvas-node"]` (with its name and type) and a sticky note is
 * `[data-test-id="sticky"]`.
 */
const FLOW_NODE = '.vue-flow__node';

/** The little of the page's DOM the functions evaluated in Chromium use (this project compiles without lib.dom). */
interface BrowserElement {
	querySelector(selector: string): BrowserElement | null;
	querySelectorAll(selector: string): Iterable<BrowserElement>;
	getAttribute(name: string): string | null;
	textContent: string | null;
	complete?: boolean;
}
interface BrowserGlobals {
	document: BrowserElement;
}

export interface CanvasNode {
	/** The workflow node's id. */
	id: string;
	name: string;
	type: string;
}

export interface CanvasStickyNote {
	id: string;
	text: string;
}

export interface CanvasState {
	/** Nodes on the canvas other than sticky notes, in DOM order. */
	nodes: CanvasNode[];
	stickyNotes: CanvasStickyNote[];
	/** Text of every error toast the editor showed while opening the workflow. */
	errorToasts: string[];
	/** Milliseconds from navigation to a fully rendered canvas. */
	renderMs: number;
}

export interface EditorOptions {
	baseUrl: string;
	owner: Pick<OwnerAccount, 'email' | 'password'>;
	viewport?: { width: number; height: number };
}

export class Editor {
	private constructor(
		readonly baseUrl: string,
		private readonly browser: Browser,
		readonly page: Page,
		/** Console errors of the page (for failure messages; the sign-in page's 401 probe is expected). */
		readonly consoleErrors: string[],
	) {}

	/** Launches Chromium and logs in as the owner through the editor's sign-in form. */
	static async open(options: EditorOptions): Promise<Editor> {
		if (!existsSync(CHROMIUM_PATH)) {
			throw new Error(
				`Chromium is not installed at ${CHROMIUM_PATH}: run scripts/install-system-deps.sh as root ` +
					'(Debian package "chromium") or point HOMELAB_CHROMIUM at a Chromium binary',
			);
		}
		const browser = await chromium.launch({
			executablePath: CHROMIUM_PATH,
			headless: true,
			args: CHROMIUM_ARGS,
		});
		try {
			const context = await browser.newContext({
				viewport: options.viewport ?? { width: 1600, height: 900 },
				deviceScaleFactor: 1,
				// Stable screenshots: no cursor blink or canvas animations half-way.
				reducedMotion: 'reduce',
			});
			const page = await context.newPage();
			// The editor's first load compiles nothing but fetches ~10 MB of assets; on a loaded 2-core CI box that
			// passed playwright's 30 s default once. Waits for canvas content keep their own, explicit timeouts.
			page.setDefaultNavigationTimeout(90000);
			const consoleErrors: string[] = [];
			page.on('console', (message) => {
				if (message.type() === 'error') consoleErrors.push(message.text());
			});
			page.on('pageerror', (error) => consoleErrors.push(error.message));
			const editor = new Editor(options.baseUrl.replace(/\/$/, ''), browser, page, consoleErrors);
			await editor.login(options.owner);
			return editor;
		} catch (error) {
			await browser.close();
			throw error;
		}
	}

	private async login(owner: Pick<OwnerAccount, 'email' | 'password'>): Promise<void> {
		const page = this.page;
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator('input[name="emailOrLdapLoginId"]').fill(owner.email);
		await page.locator('input[name="password"]').fill(owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		try {
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30000 });
		} catch {
			const shown = await this.notificationTexts();
			throw new Error(
				`Logging into the n8n editor at ${this.baseUrl} as ${owner.email} failed` +
					(shown.length ? `: ${shown.join(' | ')}` : ' (still on the sign-in page)'),
			);
		}
	}

	/**
	 * Opens a workflow and waits until the canvas shows `expectedNodes` nodes (sticky notes included), each
	 * drawn, with their icons loaded; then fits the view. Returns what the canvas rendered.
	 */
	async openWorkflow(workflowId: string, expectedNodes: number, timeoutMs = 60000): Promise<CanvasState> {
		const page = this.page;
		const started = Date.now();
		// A full page load each time: routing in-app from outside (history + popstate) rendered a previous
		// workflow's canvas or only part of the next one in n8n 2.41, so it is not worth its saved seconds.
		await page.goto(`${this.baseUrl}/workflow/${workflowId}`);
		try {
			await page.waitForFunction(
				({ selector, count }) => {
					const { document } = globalThis as unknown as BrowserGlobals;
					const nodes = [...document.querySelectorAll(selector)];
					if (nodes.length !== count) return false;
					const drawn = nodes.every((node) =>
						node.querySelector('[data-test-id="canvas-node"], [data-test-id="sticky"]'),
					);
					// Icons are <img> (the pack's SVGs) or inline SVG; an <img> counts once it has loaded.
					const images = nodes.flatMap((node) => [...node.querySelectorAll('img')]);
					return drawn && images.every((image) => image.complete === true);
				},
				{ selector: FLOW_NODE, count: expectedNodes },
				{ timeout: timeoutMs, polling: 100 },
			);
		} catch {
			const rendered = await page.locator(FLOW_NODE).count();
			const toasts = await this.notificationTexts();
			throw new Error(
				`The editor did not render workflow ${workflowId}: expected ${expectedNodes} canvas nodes, ` +
					`found ${rendered} after ${timeoutMs} ms` +
					(toasts.length ? `; the editor showed: ${toasts.join(' | ')}` : '') +
					(this.consoleErrors.length
						? `; browser console errors: ${this.consoleErrors.slice(-3).join(' | ')}`
						: ''),
			);
		}
		const renderMs = Date.now() - started;
		await this.fitView();
		const all = await page.$$eval(FLOW_NODE, (elements) =>
			(elements as unknown as BrowserElement[]).map((element) => {
				const id = element.getAttribute('data-id') ?? '';
				const node = element.querySelector('[data-test-id="canvas-node"]');
				const sticky = element.querySelector('[data-test-id="sticky"]');
				return {
					id,
					node: node && {
						id,
						name: node.getAttribute('data-node-name') ?? '',
						type: node.getAttribute('data-node-type') ?? '',
					},
					sticky: sticky && { id, text: (sticky.textContent ?? '').trim() },
				};
			}),
		);
		return {
			nodes: all.flatMap((entry) => (entry.node ? [entry.node] : [])),
			stickyNotes: all.flatMap((entry) => (entry.sticky ? [entry.sticky] : [])),
			errorToasts: await this.notificationTexts('error'),
			renderMs,
		};
	}

	/** The editor's "Zoom to fit" control, then a moment for Vue Flow to apply the transform. */
	async fitView(): Promise<void> {
		const page = this.page;
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		// Move the pointer off the canvas so no node shows its hover toolbar in the screenshot.
		await page.mouse.move(0, 0);
		const viewport = page.locator('.vue-flow__viewport');
		let transform = await viewport.getAttribute('style');
		for (let tries = 0; tries < 30; tries++) {
			await page.waitForTimeout(150);
			const now = await viewport.getAttribute('style');
			if (now === transform) return;
			transform = now;
		}
		throw new Error('The editor canvas kept moving after "Zoom to fit" (Vue Flow viewport never settled)');
	}

	async screenshot(file: string): Promise<void> {
		await this.page.screenshot({ path: file, animations: 'disabled' });
	}

	/** Names of the workflows the editor's workflows page lists (the first page of the list). */
	async listedWorkflows(expected: number, timeoutMs = 60000): Promise<string[]> {
		const page = this.page;
		await page.goto(`${this.baseUrl}/home/workflows`);
		const card = page.locator('[data-test-id="resources-list-item-workflow"]');
		try {
			await card.nth(expected - 1).waitFor({ timeout: timeoutMs });
		} catch {
			throw new Error(
				`The editor's workflows page listed ${await card.count()} workflows after ${timeoutMs} ms, ` +
					`expected at least ${expected}`,
			);
		}
		return await card.locator('[data-test-id="workflow-card-name"]').allInnerTexts();
	}

	/** Texts of the toasts (Element Plus notifications) on screen; `type` keeps only errors, warnings, ... */
	async notificationTexts(type?: 'error' | 'warning' | 'success' | 'info'): Promise<string[]> {
		const selector = type ? `.el-notification:has(.el-notification--${type})` : '.el-notification';
		return (await this.page.locator(selector).allInnerTexts()).map((text) =>
			text.replace(/\s+/g, ' ').trim(),
		);
	}

	async close(): Promise<void> {
		await this.browser.close();
	}
}
