// Smoke test of the bundle the .vsix ships (out/extension.js, built by
// `npm run build`): it loads, and activate() registers the commands and,
// with no working failfast binary, shows an error notification naming what
// was tried and the install command. Real VS Code cannot run here, so the
// 'vscode' module is a minimal stand-in that records what the extension
// asks of it; everything the extension does with the server is covered by
// e2e.test.ts against the real binary.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { INSTALL_COMMAND } from '../src/binary';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };

const bundle = path.join(__dirname, '..', '..', 'out', 'extension.js');

interface Recorded {
	commands: string[];
	errors: string[];
	warnings: string[];
}

/** A stand-in for the parts of the vscode API that activation touches;
 * any other member is an inert class, as languageclient subclasses some
 * vscode classes when it loads. */
function fakeVscode(settings: Record<string, unknown>, rec: Recorded): unknown {
	const disposable = { dispose: () => undefined };
	class Inert {}
	const api: Record<string, unknown> = {
		window: {
			createOutputChannel: () => ({
				appendLine: () => undefined,
				info: () => undefined,
				warn: () => undefined,
				error: () => undefined,
				show: () => undefined,
				dispose: () => undefined,
			}),
			showErrorMessage: async (m: string) => {
				rec.errors.push(m);
				return undefined;
			},
			showWarningMessage: async (m: string) => {
				rec.warnings.push(m);
				return undefined;
			},
			showInformationMessage: async () => undefined,
		},
		commands: {
			registerCommand: (id: string) => {
				rec.commands.push(id);
				return disposable;
			},
			executeCommand: async () => undefined,
		},
		workspace: {
			getConfiguration: (section: string) => {
				assert.equal(section, 'failfast');
				return { get: (k: string) => settings[k] };
			},
			onDidChangeConfiguration: () => disposable,
			workspaceFolders: undefined,
		},
	};
	return new Proxy(api, { get: (t, p: string) => (p in t ? t[p] : Inert) });
}

test('the bundle activates and, with no failfast binary, says what was tried', { skip: !fs.existsSync(bundle) && 'out/extension.js not built (npm run build)' }, async () => {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'failfast-vscode-bundle-'));
	const rec: Recorded = { commands: [], errors: [], warnings: [] };
	const missing = path.join(tmp, 'nowhere', 'failfast');
	const vscode = fakeVscode({ path: missing }, rec);
	const load = Module._load;
	const savedPath = process.env.PATH;
	Module._load = function (request: string, ...rest: unknown[]) {
		return request === 'vscode' ? vscode : load.call(this, request, ...rest);
	};
	try {
		process.env.PATH = path.join(tmp, 'empty');
		delete require.cache[bundle];
		const ext = require(bundle) as { activate: (ctx: unknown) => Promise<void>; deactivate: () => Promise<void> };
		await ext.activate({ subscriptions: [], extensionPath: tmp });
		assert.deepEqual(rec.commands.sort(), ['failfast.fixAll', 'failfast.restart', 'failfast.showOutput']);
		assert.equal(rec.errors.length, 1, `error notifications: ${JSON.stringify(rec.errors)}`);
		const msg = rec.errors[0];
		assert.ok(msg.includes(missing), msg);
		assert.ok(msg.includes(path.join(tmp, 'bundled', 'bin')), msg);
		assert.ok(msg.includes('no failfast on PATH'), msg);
		assert.ok(msg.includes(INSTALL_COMMAND), msg);
		await ext.deactivate();
	} finally {
		Module._load = load;
		process.env.PATH = savedPath;
		fs.rmSync(tmp, { recursive: true, force: true });
	}
});
