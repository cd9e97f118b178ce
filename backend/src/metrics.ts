/** A small Prometheus text-format registry (counters and gauges with labels); no dependency needed. */
type Labels = Record<string, string>;

const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels) => {
	const entries = Object.entries(labels);
	return entries.length ? `{${entries.map(([k, v]) => `${k}="${escape(v)}"`).join(',')}}` : '';
};

interface Family {
	help: string;
	kind: 'counter' | 'gauge';
	values: Map<string, number>;
}

export class Metrics {
	private readonly families = new Map<string, Family>();
	private readonly collectors: Array<() => Promise<void>> = [];

	define(name: string, kind: 'counter' | 'gauge', help: string): void {
		this.families.set(name, { help, kind, values: new Map() });
	}

	inc(name: string, labels: Labels = {}, by = 1): void {
		const family = this.families.get(name)!;
		const key = labelText(labels);
		family.values.set(key, (family.values.get(key) ?? 0) + by);
	}

	set(name: string, labels: Labels, value: number): void {
		this.families.get(name)!.values.set(labelText(labels), value);
	}

	/** refreshes gauges just before each scrape */
	collect(collector: () => Promise<void>): void {
		this.collectors.push(collector);
	}

	async render(): Promise<string> {
		for (const collector of this.collectors) await collector();
		const lines: string[] = [];
		for (const [name, family] of this.families) {
			lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} ${family.kind}`);
			for (const [labels, value] of family.values) lines.push(`${name}${labels} ${value}`);
		}
		return `${lines.join('\n')}\n`;
	}
}
