// What the server is sent from the editor's "failfast" settings. This module
// does not import 'vscode', so it is unit-tested under plain Node.

/** The keys of the "failfast" section that only the extension uses. */
export const CLIENT_ONLY_KEYS = ['path', 'trace'] as const;

/** The settings failfast serve reads (see `failfast help serve`). */
export interface ServerSettings {
	run?: 'onType' | 'onSave';
	debounceMs?: number;
	rules?: Record<string, string>;
	logger?: string;
	scope?: 'workspace' | 'openFiles';
}

/** Reads one key of the configuration (vscode.WorkspaceConfiguration.get). */
export type Getter = (key: string) => unknown;

/**
 * The server's settings from the "failfast" section: run, debounceMs,
 * rules, logger and scope, as the user wrote them (the server validates them and
 * names a bad one to the user), without the extension's own path and trace.
 * A rule set to null (how a user removes an entry VS Code merged in) is
 * left out; an unset logger is left out, so the server keeps its default.
 */
export function serverSettings(get: Getter): ServerSettings {
	const out: ServerSettings = {};
	const run = get('run');
	if (run !== undefined && run !== null) {
		out.run = run as ServerSettings['run'];
	}
	const debounce = get('debounceMs');
	if (debounce !== undefined && debounce !== null) {
		out.debounceMs = debounce as number;
	}
	const rules = get('rules');
	if (rules !== undefined && rules !== null) {
		if (typeof rules === 'object' && !Array.isArray(rules)) {
			const r: Record<string, string> = {};
			for (const [id, v] of Object.entries(rules as Record<string, unknown>)) {
				if (v !== null && v !== undefined) {
					r[id] = v as string;
				}
			}
			out.rules = r;
		} else {
			// Passed on as written: the server reports what is wrong with it.
			out.rules = rules as Record<string, string>;
		}
	}
	const logger = get('logger');
	if (logger !== undefined && logger !== null && logger !== '') {
		out.logger = logger as string;
	}
	const scope = get('scope');
	if (scope !== undefined && scope !== null) {
		out.scope = scope as ServerSettings['scope'];
	}
	return out;
}

/** serverSettings over a plain object (a section as JSON). */
export function serverSettingsFrom(section: Record<string, unknown> | null | undefined): ServerSettings {
	return serverSettings((key) => (section ? section[key] : undefined));
}

/** Whether a configuration change needs the server restarted (a new binary)
 * rather than sent to the running one. */
export function needsRestart(affects: (section: string) => boolean): boolean {
	return affects('failfast.path');
}
